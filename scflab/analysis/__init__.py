"""Tools that read policies as a whole rather than one request at a time.

- `lint`: findings about a policy (`scflab.lint`, `scflab.Finding`,
  `scflab.findings_frame`), worded from one rules table;
- `diff`: what one policy allows that another does not (`scflab.diff`,
  `scflab.is_subset`), over a finite `universe` of requests;
- `matrix`: who may do what in an account (`scflab.access_matrix`,
  `scflab.styled_matrix`);
- `requestlog`: the sample request log (`scflab.request_log`);
- `least_privilege`: the smallest policy a log needs
  (`scflab.least_privilege`, `scflab.least_privilege_gaps`);
- `containment`: whether one pattern or statement covers another.

Each module is imported on first use; none imports pandas until a function
that returns a DataFrame is called. `scflab.cli` puts lint, diff and the
evaluator on the command line.
"""
