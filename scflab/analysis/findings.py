"""Findings: one record for each thing the linter noticed about a policy.

A `Finding` carries a stable code, a severity, where it is (a JSON pointer,
and a line and column when the policy came from text), a message naming the
offending value in backticks, and a hint. The words come from the linter's
rules table; a finding only stores them. `findings_frame` turns a list of
findings into a pandas DataFrame, one row each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Iterable

from scflab.errors import location_text

__all__ = ["Severity", "Finding", "findings_frame"]


class Severity(StrEnum):
    """How much a finding matters, most serious first.

    - `error`: the policy does not do what it says (a statement that can
      never apply, a condition CAM does not support);
    - `security`: the policy grants more than it probably should;
    - `warning`: likely a mistake, though the policy works as written;
    - `suggestion`: a clearer or more current way to write the same thing.
    """

    ERROR = "error"
    SECURITY = "security"
    WARNING = "warning"
    SUGGESTION = "suggestion"

    @property
    def rank(self) -> int:
        """0 for `error` up to 3 for `suggestion`."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One thing the linter noticed, and where.

    `policy` is the label of the policy it was found in; `path` is a JSON
    pointer into the canonical document (`/statement/0/action/2`); `line`
    and `column` are 1-based and None when the policy was not parsed from
    text.
    """

    code: str
    severity: Severity
    title: str
    path: str
    message: str
    hint: str | None = None
    line: int | None = None
    column: int | None = None
    policy: str | None = None

    @property
    def location(self) -> str:
        """`/statement/0/action/1 (line 3, column 14)`, or just the path."""
        return location_text(self.path, self.line, self.column)

    def __str__(self) -> str:
        text = (f"{self.location}: {self.severity.value}: {self.message} "
                f"[{self.code}]")
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict:
        """The finding as plain data, the severity as its name."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @staticmethod
    def to_frame(findings: Iterable[Finding]):
        """The same as `findings_frame(findings)`."""
        return findings_frame(findings)


_COLUMNS = ("policy", "severity", "code", "title", "path", "line",
            "column", "message", "hint")


def findings_frame(findings: Iterable[Finding]):
    """A pandas DataFrame with one row per finding (imports pandas).

    The columns are `policy`, `severity`, `code`, `title`, `path`, `line`,
    `column`, `message` and `hint`; `line` and `column` are nullable
    integers.
    """
    import pandas

    rows = [finding.to_dict() for finding in findings]
    frame = pandas.DataFrame(rows, columns=list(_COLUMNS))
    for column in ("line", "column"):
        frame[column] = frame[column].astype("Int64")
    return frame
