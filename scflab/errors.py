"""The errors scflab raises, each with a stable code and a plain explanation.

    ValueError
    ├── PolicyError     a policy is not valid CAM (every problem, in one pass)
    ├── RequestError    a request scflab cannot read (scflab.evaluation)
    ├── StsError        STS refused a request (parameters, trust, expiry)
    │   └── StsDenied   … because permission or trust was missing
    ├── ScfError        SCF refused an operation (no SCF_QcsRole, bad name)
    │   └── ScfDenied   … because CAM said no
    └── CamError        CAM refused a change to the account
        └── LimitExceeded
    PermissionError
    └── AccessDenied    a service call was refused; carries the Decision

The denials live with the account model in `scflab.identity.errors`. Every
problem or refusal names the offending value in backticks and says how to
fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "PolicyError", "StsError", "ScfError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy document, and where it is.

    `path` is a JSON pointer (`/statement/0/effect`); `line` and `column` are
    1-based positions in the source text, or None when the policy was given as
    a mapping.
    """

    code: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        """`/statement/0/effect (line 3, column 12)`, or just the path."""
        return location_text(self.path, self.line, self.column)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def location_text(path: str, line: int | None, column: int | None) -> str:
    """A JSON pointer with its line and column where they are known."""
    where = path or "/"
    if line is not None:
        where += f" (line {line}, column {column})"
    return where


class PolicyError(ValueError):
    """A policy document that is not valid CAM; `.problems` lists every problem."""

    def __init__(self, problems: list[Problem], name: str | None = None):
        self.problems = list(problems)
        self.name = name
        count = len(self.problems)
        title = f"policy `{name}`" if name else "the policy"
        noun = "problem" if count == 1 else "problems"
        lines = [f"{title} has {count} {noun}:"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class _CodedError(ValueError):
    """A refusal with a service error code, as the real API would return it."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        self.code = code
        self.message = message
        self.hint = hint
        text = f"{code}: {message}"
        if hint:
            text += f"\n    hint: {hint}"
        super().__init__(text)


class StsError(_CodedError):
    """STS refused a request; `.code` is STS's own error code."""


class ScfError(_CodedError):
    """SCF refused an operation; `.code` is SCF's own error code."""


class InvalidValue(ValueError):
    """One malformed value (an action, a resource name, a condition value).

    Raised by the small parsers of the policy language; the validator turns
    it into a `Problem` at the value's location. Not part of the public API.
    """

    def __init__(self, code: str, message: str, hint: str | None = None):
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(message)
