"""The `scflab` command: lint, simulate and diff CAM policies.

    scflab lint policies/*.json
    scflab simulate --policy dev.json --action scf:ListFunctions \\
        --principal qcs::cam::uin/100000000001:uin/100000000002
    scflab diff old.json new.json

Meant for a repository's CI as much as for a terminal: every subcommand
exits 0 when all is well, 1 when it found what CI should stop on, and 2
when its input could not be read or is not a valid policy. Bad input is
reported on stderr as `FILE:LINE:COLUMN: message [code]`, never as a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence, TextIO

from scflab.errors import PolicyError

__all__ = ["main", "OK", "FOUND", "BAD_INPUT"]

#: Exit statuses.
OK, FOUND, BAD_INPUT = 0, 1, 2

_KINDS = ("auto", "identity", "trust", "session", "bucket")
_SEVERITIES = ("error", "security", "warning", "suggestion")


class _BadInput(Exception):
    """Input the command cannot use; the message is ready to print."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default `sys.argv[1:]`).

    Returns the exit status instead of exiting, except that argparse
    itself exits with status 2 on a usage error and 0 after `--help`.
    """
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        return options.run(options, sys.stdout)
    except _BadInput as problem:
        print(f"scflab {options.command}: {problem}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        # The reader (`| head`) left before the end: say nothing more, and
        # fail closed, since the verdict was never read.
        _silence_stdout()
        return FOUND


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scflab",
        description="Check Tencent Cloud CAM policies before they are "
                    "applied: lint them, simulate a request, or compare "
                    "two versions.",
        epilog="Exit status: 0 all is well; 1 the subcommand found what "
               "it looks for (see its --help); 2 unreadable input, a "
               "document that is not a valid policy, or a usage error.")
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="COMMAND")
    _lint_parser(commands)
    _simulate_parser(commands)
    _diff_parser(commands)
    return parser


# lint

def _lint_parser(commands) -> None:
    parser = commands.add_parser(
        "lint", help="report findings about policy files",
        description="Validate each policy file and report the linter's "
                    "findings: what a policy grants too widely, or not at "
                    "all.",
        epilog="Exit status: 0 no finding at or above --fail-on; 1 at "
               "least one such finding; 2 a file could not be read or is "
               "not a valid policy (its problems are printed with "
               "FILE:LINE:COLUMN). Other files are still checked.")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="a policy document (JSON); `-` reads stdin")
    _add_kind(parser)
    parser.add_argument("--fail-on", choices=_SEVERITIES, default="error",
                        help="the least severity that makes the exit "
                             "status 1 (default: error)")
    parser.add_argument("--account", metavar="UIN",
                        help="the uin owning the policies: trust in that "
                             "account as a whole is not reported")
    _add_format(parser)
    parser.set_defaults(run=_run_lint)


def _run_lint(options, out: TextIO) -> int:
    from scflab.analysis.findings import Severity
    from scflab.analysis.lint import lint

    threshold = Severity(options.fail_on).rank
    status, report, linted = OK, [], 0
    for file in options.files:
        try:
            policy = _load(file, options.kind)
        except _BadInput as problem:
            print(f"scflab lint: {problem}", file=sys.stderr)
            status = BAD_INPUT
            continue
        findings = lint(policy, account=options.account)
        report += [(file, finding) for finding in findings]
        linted += 1
        if status == OK and any(f.severity.rank <= threshold
                                for f in findings):
            status = FOUND
    if linted or options.format == "json":
        _print_findings(report, options.format, out)
    return status


def _print_findings(report, form: str, out: TextIO) -> None:
    if form == "json":
        data = [{"file": file, **finding.to_dict()}
                for file, finding in report]
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        return
    for file, finding in report:
        print(f"{_where(file, finding)}: {finding.severity.value}: "
              f"{finding.message} [{finding.code}]", file=out)
        if finding.hint:
            print(f"    hint: {finding.hint}", file=out)
    print(_summary([finding for _, finding in report]), file=out)


def _summary(findings) -> str:
    if not findings:
        return "no findings"
    counts = {}
    for finding in findings:
        counts[finding.severity.value] = counts.get(
            finding.severity.value, 0) + 1
    parts = [f"{counts[s]} {s}" for s in _SEVERITIES if s in counts]
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}: " + ", ".join(parts)


# simulate

def _simulate_parser(commands) -> None:
    parser = commands.add_parser(
        "simulate", help="decide one request under policies",
        description="Decide one request under the given policies and "
                    "explain the decision, statement by statement.",
        epilog="Exit status: 0 the request is allowed; 1 it is denied "
               "(explicitly or implicitly); 2 a policy or the request "
               "could not be read.")
    parser.add_argument("--policy", action="append", required=True,
                        metavar="FILE", help="a policy the caller has; "
                        "repeat for several (`-` reads stdin)")
    parser.add_argument("--action", required=True,
                        help="the action, such as `scf:InvokeFunction`")
    parser.add_argument("--resource", default="*",
                        help="the six-segment resource name (default `*`)")
    parser.add_argument("--principal", help="the caller, such as "
                        "`qcs::cam::uin/100000000001:uin/100000000002`")
    parser.add_argument("--context", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="a condition key's value, such as "
                             "`qcs:ip=10.0.0.8`; repeat a key for a list")
    _add_kind(parser)
    _add_format(parser)
    parser.set_defaults(run=_run_simulate)


def _run_simulate(options, out: TextIO) -> int:
    from scflab.evaluation.evaluator import evaluate

    policies = [_load(file, options.kind) for file in options.policy]
    decision = evaluate(_request(options), policies)
    if options.format == "json":
        data = {"outcome": decision.outcome.value,
                "reasons": [str(r) for r in decision.reasons],
                "advice": decision.advice,
                "explanation": decision.explain()}
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    else:
        print(decision.explain(), file=out)
    return OK if decision.allowed else FOUND


def _request(options):
    from scflab.evaluation.request import Request, RequestError

    context: dict[str, Any] = {}
    for item in options.context:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _BadInput(f"--context `{item}` is not KEY=VALUE, such "
                            "as `qcs:ip=10.0.0.8`")
        if key in context:
            known = context[key]
            context[key] = [*known, value] if isinstance(known, list) \
                else [known, value]
        else:
            context[key] = value
    try:
        return Request(options.action, options.resource,
                       options.principal, context)
    except RequestError as problem:
        raise _BadInput(str(problem)) from None


# diff

def _diff_parser(commands) -> None:
    parser = commands.add_parser(
        "diff", help="what NEW allows that OLD did not, and the reverse",
        description="Compare two policies over a finite set of requests "
                    "built from what they mention, and print a witness "
                    "request for each change of access.",
        epilog="Exit status: 0 NEW grants nothing OLD did not (it may "
               "take access away); 1 NEW grants some access OLD did "
               "not; 2 a file could not be read or is not a valid "
               "policy.")
    parser.add_argument("old", metavar="OLD", help="the policy in force")
    parser.add_argument("new", metavar="NEW", help="the proposed policy")
    parser.add_argument("--principal", help="the caller to try "
                        "(default: a sub-user of the account the "
                        "policies name)")
    parser.add_argument("--all-contexts", action="store_true",
                        help="list every context that shows a change, "
                             "not only the simplest")
    _add_kind(parser)
    _add_format(parser)
    parser.set_defaults(run=_run_diff)


def _run_diff(options, out: TextIO) -> int:
    from scflab.analysis.diff import diff

    old = _load(options.old, options.kind)
    new = _load(options.new, options.kind)
    try:
        frame = diff(old, new, principal=options.principal,
                     all_contexts=options.all_contexts)
    except ValueError as problem:
        raise _BadInput(str(problem)) from None
    rows = frame.to_dict("records")
    if options.format == "json":
        data = {"universe": frame.attrs["universe"], "changes": rows}
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    else:
        _print_changes(rows, frame.attrs["universe"], out)
    return FOUND if any(r["change"] == "added" for r in rows) else OK


def _print_changes(rows, universe: str, out: TextIO) -> None:
    print(f"searched {universe}", file=out)
    for row in rows:
        context = ", ".join(f"{k}={v}" for k, v in row["context"].items())
        line = (f"{row['change']:<8} {row['action']} on {row['resource']}"
                f" ({row['old_outcome']} -> {row['new_outcome']})")
        if context:
            line += f" when {context}"
        print(line, file=out)
    if any(row["resource"] == "*" for row in rows):
        print("(resource `*` stands for a resource no specific pattern "
              "names)", file=out)
    added = sum(r["change"] == "added" for r in rows)
    print(f"{added} added, {len(rows) - added} removed", file=out)


# Shared pieces.

def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

def _add_kind(parser) -> None:
    parser.add_argument("--kind", choices=_KINDS, default="auto",
                        help="how to read the documents (default: auto, "
                             "trust or bucket when a document has a "
                             "principal)")


def _add_format(parser) -> None:
    parser.add_argument("--format", choices=("text", "json"),
                        default="text", help="output format")


def _load(file: str, kind: str):
    """The policy in `file` (`-`: stdin), or `_BadInput` saying why not."""
    from scflab.analysis.lint import guess_kind
    from scflab.language.parser import parse_policy

    data = _read_bytes(file)
    name = "stdin" if file == "-" else Path(file).name
    try:
        return parse_policy(data, kind=guess_kind(data) if kind == "auto"
                            else kind, name=name)
    except PolicyError as error:
        raise _BadInput(_problems(file, error)) from None


def _read_bytes(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise _BadInput(f"cannot read `{file}`: {reason}") from None


def _problems(file: str, error: PolicyError) -> str:
    count = len(error.problems)
    noun = "problem" if count == 1 else "problems"
    lines = [f"`{file}` is not a valid policy ({count} {noun}):"]
    for problem in error.problems:
        lines.append(f"{_where(file, problem)}: {problem.message} "
                     f"[{problem.code}]")
        if problem.hint:
            lines.append(f"    hint: {problem.hint}")
    return "\n".join(lines)


def _where(file: str, item) -> str:
    """`FILE:LINE:COLUMN`, or `FILE: /path` when there is no position."""
    if item.line is not None:
        return f"{file}:{item.line}:{item.column}"
    return f"{file}: {item.path or '/'}"
