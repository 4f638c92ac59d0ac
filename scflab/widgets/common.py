"""What the three widgets share: messages, the look of a decision, guarded
callbacks and saving a file whole.

Messages are HTML built from plain text: text between backticks becomes
code, everything else is escaped. Every decision is shown with a symbol and
a word as well as a colour, so colour is never the only signal.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from html import escape
from pathlib import Path
from typing import Callable, Iterable

import ipywidgets as widgets

from scflab.errors import PolicyError, Problem
from scflab.evaluation.decision import Applicability, Decision, Outcome

__all__ = [
    "LABELS",
    "OUTCOME_LOOK",
    "TABLE_STYLE",
    "button",
    "decision_html",
    "describe_error",
    "error_html",
    "field",
    "guarded",
    "message_html",
    "outcome_badge",
    "plural",
    "problems_html",
    "rich",
    "statement_table",
    "write_atomically",
]

#: The width every description label gets, so controls line up.
LABELS = {"description_width": "10em"}

#: Symbol, word and colour of each outcome; the symbols are in common
#: fonts (DejaVu, Liberation), so they never show as empty boxes.
OUTCOME_LOOK: dict[Outcome, tuple[str, str, str]] = {
    Outcome.ALLOW: ("✔", "ALLOW", "#1b6e35"),
    Outcome.EXPLICIT_DENY: ("⊘", "EXPLICIT DENY", "#a4161a"),
    Outcome.IMPLICIT_DENY: ("✘", "IMPLICIT DENY", "#8a4b00"),
}

_LOOKS = {
    "error": ("⚠", "#a4161a", "#fdecea"),
    "ok": ("✔", "#1b6e35", "#e8f5ec"),
    "info": ("ℹ", "#1f4e79", "#eaf2fb"),
}
_CODE = re.compile(r"`([^`]*)`")

#: Padding and rules for scflab's tables, scoped by their class.
TABLE_STYLE = ("<style>.scflab-table{border-collapse:collapse;margin:4px 0}"
               ".scflab-table th,.scflab-table td{padding:2px 8px;"
               "border-bottom:1px solid #ddd;text-align:left;"
               "vertical-align:top}</style>")

_STATUS_LOOK = {
    Applicability.APPLIES: "✔ applies",
    Applicability.DOES_NOT_APPLY: "– does not apply",
    Applicability.NOT_EVALUATED: "? not evaluated",
}


# Messages.

def rich(text: str) -> str:
    """Escape `text` for HTML and show its `backticked` parts as code.

    >>> rich("effect `alow` <b>")
    'effect <code>alow</code> &lt;b&gt;'
    """
    parts = _CODE.split(str(text))
    return "".join(f"<code>{escape(part)}</code>" if index % 2
                   else escape(part)
                   for index, part in enumerate(parts))


def message_html(kind: str, text: str, detail: str = "") -> str:
    """A boxed message: `kind` is `error`, `ok` or `info`.

    `detail` is HTML added under the text, such as a list of problems.
    """
    symbol, colour, background = _LOOKS[kind]
    role = "alert" if kind == "error" else "status"
    return (f"<div role='{role}' class='scflab-{kind}' style='color:"
            f"{colour};background:{background};border-left:4px solid "
            f"{colour};padding:4px 8px;margin:2px 0'>"
            f"<b>{symbol}</b> {rich(text)}{detail}</div>")


def problems_html(problems: Iterable[Problem], *, where: bool = True
                  ) -> str:
    """A list of problems, each with its location (when `where`) and hint."""
    items = []
    for problem in problems:
        place = f"<b>{escape(problem.location)}</b>: " if where else ""
        hint = (f"<br><i>hint:</i> {rich(problem.hint)}"
                if problem.hint else "")
        items.append(f"<li>{place}{rich(problem.message)}{hint}</li>")
    if not items:
        return ""
    return "<ul style='margin:2px 0;padding-left:1.4em'>" \
        + "".join(items) + "</ul>"


def plural(count: int, noun: str) -> str:
    """`1 statement`, `2 statements`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# Decisions.

def outcome_badge(outcome: Outcome, text: str = "") -> str:
    """The outcome as symbol, capitalised word and colour, then `text`."""
    symbol, word, colour = OUTCOME_LOOK[outcome]
    return (f"<div role='status' class='scflab-outcome' style='color:white;"
            f"background:{colour};padding:6px 10px;font-weight:bold;"
            f"border-radius:3px'>{symbol} {word}"
            f"<span style='font-weight:normal'> {rich(text)}</span></div>")


def decision_html(decision: Decision, *, title: str = "") -> str:
    """A decision as a badge, its notes, one row per statement, and advice.

    `title` replaces the request line in the badge. The advice is labelled
    as what would change the outcome, for a deny of either kind.
    """
    request = decision.request
    text = title or f"`{request.action}` on `{request.resource}`"
    parts = [outcome_badge(decision.outcome, text),
             f"<div>caller: {rich(f'`{request.caller.principal}`')}</div>"]
    if decision.reasons:
        names = ", ".join(f"`{r}`" for r in decision.reasons)
        parts.append(f"<div>decided by {rich(names)}</div>")
    parts += [f"<div>note: {rich(note)}</div>" for note in decision.notes]
    parts.append(statement_table(decision))
    if decision.advice:
        parts.append("<div class='scflab-advice'><b>What would change it:"
                     f"</b> {rich(decision.advice)}</div>")
    return "<div class='scflab-decision'>" + "".join(parts) + "</div>"


def statement_table(decision: Decision) -> str:
    """One row per statement read: where it is, its effect and verdict."""
    if not decision.statements:
        return "<div><i>no statement was read for this request</i></div>"
    rows = "".join(
        f"<tr><td>{escape(str(r.ref))}</td><td>{r.effect.value}</td>"
        f"<td>{_STATUS_LOOK[r.status]}</td><td>{escape(r.part or '')}</td>"
        f"<td>{rich('; '.join(r.details))}</td></tr>"
        for r in decision.statements)
    head = "".join(f"<th>{name}</th>" for name in
                   ("statement", "effect", "verdict", "part", "why"))
    return (f"{TABLE_STYLE}<table class='scflab-statements scflab-table'>"
            f"<tr>{head}</tr>{rows}</table>")


# Callbacks that never raise.

def guarded(area: str = "message") -> Callable:
    """Wrap a widget method so that no exception escapes it.

    The outermost guarded call clears `self.last_error` and the widget's
    message areas (those named in `self.message_areas`, or just `area`),
    then runs the method. If anything inside raises, the error is kept in
    `self.last_error`, shown in the area named `area` as a readable
    message, and the call returns None. A guarded method called while
    another one runs (an observer fired by a callback) lets its errors
    rise to that outer callback, which reports them once.
    """
    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            if getattr(self, "_in_callback", False):
                return method(self, *args, **kwargs)
            self._in_callback = True
            self.last_error = None
            for name in getattr(self, "message_areas", (area,)):
                getattr(self, name).value = ""
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # shown to the learner instead
                self.last_error = error
                getattr(self, area).value = error_html(error)
                return None
            finally:
                self._in_callback = False
        return run
    return decorate


def error_html(error: BaseException) -> str:
    """`error` as a boxed, readable message (see `describe_error`)."""
    text, detail = describe_error(error)
    return message_html("error", text, detail)


def describe_error(error: BaseException) -> tuple[str, str]:
    """A plain sentence for `error`, and HTML details (possibly empty).

    Known errors read as what went wrong and how to fix it; anything else is
    named by its type, since it means scflab itself went wrong.
    """
    if isinstance(error, PolicyError):
        found = plural(len(error.problems), "problem")
        return (f"the policy has {found}; nothing was changed",
                problems_html(error.problems))
    if isinstance(error, OSError):
        return _file_error(error), ""
    if isinstance(error, (ValueError, LookupError)):
        text = error.args[0] if error.args else type(error).__name__
        return str(text), ""
    return (f"scflab hit an unexpected error ({type(error).__name__}: "
            f"{error}); the last good state is kept", "")


def _file_error(error: OSError) -> str:
    path = Path(error.filename or "")
    reasons = {
        FileNotFoundError: f"the folder `{path.parent}` does not exist",
        NotADirectoryError: f"a part of `{path.parent}` is a file, "
                            "not a folder",
        IsADirectoryError: f"`{path}` is a folder; give a file name",
        PermissionError: f"no permission to write in `{path.parent}`",
    }
    reason = reasons.get(type(error), error.strerror or str(error))
    return f"could not write `{path}`: {reason}"


# Controls.

def field(kind: type, description: str, *, width: str = "34em",
          **options) -> widgets.Widget:
    """A control of class `kind` with a visible label, aligned with others.

    `width` covers the label and the control together.
    """
    options.setdefault("style", LABELS)
    options.setdefault("layout", widgets.Layout(width=width))
    return kind(description=description, **options)


def button(description: str, icon: str = "", tooltip: str = ""
           ) -> widgets.Button:
    """A button as wide as its words, with a tooltip for the curious."""
    layout = widgets.Layout(width="auto", flex="0 0 auto",
                            align_self="flex-start")
    return widgets.Button(description=description, icon=icon,
                          tooltip=tooltip or description, layout=layout)


# Files.

def write_atomically(path: str | os.PathLike, text: str) -> Path:
    """Write `text` to `path` in UTF-8, all or nothing; return the path.

    The text goes to a temporary file in the same folder, which then
    replaces `path` in one step, so a failure never leaves half a file.
    An existing file keeps its permissions; a new one gets `rw-r--r--`.
    Raises `OSError` naming `path` when the folder is missing or cannot be
    written, and `ValueError` for an empty path.
    """
    if not str(path).strip():
        raise ValueError("give a file name to save to, such as "
                         "`policy.json`")
    target = Path(path).expanduser()
    try:
        _replace(target, text)
    except OSError as error:
        error.filename = str(target)
        raise
    return target


def _replace(target: Path, text: str) -> None:
    mode = target.stat().st_mode & 0o777 if target.is_file() else 0o644
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
