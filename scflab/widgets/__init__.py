"""Notebook widgets: build a policy, simulate requests, walk through a role.

    >>> from scflab.widgets import PolicyBuilder, RequestSimulator
    >>> builder = PolicyBuilder()
    >>> simulator = RequestSimulator(policy_source=builder)

- `PolicyBuilder`: write a policy statement by statement, checked live;
- `RequestSimulator`: decide one request, or a grid of them, and explain;
- `RoleWalkthrough`: how SCF gives a function's code its role's
  credentials, and what happens when they expire.

Importing this package imports ipywidgets; `import scflab` does not. No
callback lets an exception reach the notebook: each widget shows the error
as a message and keeps it in `last_error`. JupyterLab does not save widget
state in the notebook, so a reopened notebook shows the widgets only after
their cells run again.
"""

from __future__ import annotations

from scflab.widgets.builder import PolicyBuilder
from scflab.widgets.simulator import RequestSimulator
from scflab.widgets.walkthrough import RoleWalkthrough

__all__ = ["PolicyBuilder", "RequestSimulator", "RoleWalkthrough"]
