"""What `scflab.check` hands back: a verdict a learner can read at a glance.

A `Feedback` says whether the answer passed, lists what is wrong and what is
right (wrong first: it is what the learner acts on), and ends with a hint.
It renders as HTML in a notebook and as plain text anywhere else; both say
✔ or ✘ *and* a word, so nothing depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from html import escape

__all__ = ["Status", "Feedback"]


class Status(StrEnum):
    """How an answer fared."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_ATTEMPTED = "not attempted"

    @property
    def heading(self) -> str:
        return {"passed": "✔ Correct", "failed": "✘ Not yet",
                "not attempted": "○ Not attempted yet"}[self.value]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer to one exercise.

    `right` and `wrong` hold one sentence per thing checked; `hint` points
    the way when something is wrong or missing. `passed` is what tests read.
    """

    exercise: str
    title: str
    status: Status
    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def attempted(self) -> bool:
        return self.status is not Status.NOT_ATTEMPTED

    def __bool__(self) -> bool:
        return self.passed

    def text(self) -> str:
        """The verdict as plain text, one line per point."""
        lines = [f"{self.status.heading}: {self.title} [{self.exercise}]"]
        lines += [f"  ✘ {line}" for line in self.wrong]
        lines += [f"  ✔ {line}" for line in self.right]
        if self.hint and not self.passed:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = {Status.PASSED: "#1b7f3b", Status.FAILED: "#b3261e"}.get(
            self.status, "#555555")
        head = (f"<p style='font-weight:bold;color:{colour}'>"
                f"{escape(self.status.heading)}: {escape(self.title)} "
                f"<code>{escape(self.exercise)}</code></p>")
        items = [f"<li>✘ wrong: {_code(line)}</li>" for line in self.wrong]
        items += [f"<li>✔ right: {_code(line)}</li>" for line in self.right]
        body = f"<ul>{''.join(items)}</ul>" if items else ""
        hint = ""
        if self.hint and not self.passed:
            hint = f"<p><b>Hint:</b> {_code(self.hint)}</p>"
        return f"<div class='scflab-feedback'>{head}{body}{hint}</div>"


def _code(text: str) -> str:
    """Escape `text` and show its `backticked` parts as code."""
    parts = escape(text).split("`")
    return "".join(f"<code>{part}</code>" if index % 2 else part
                   for index, part in enumerate(parts))
