"""A decision and its explanation.

Every statement of every policy gets a `StatementResult`: it *applies*, it
*does not apply* (and then the first part that failed is named: principal,
action, resource or condition), or it is *not evaluated* because scflab could
not read something it needs. The `Decision` combines them, names the
statements that decided, and for an implicit deny points at the nearest miss
and what would change the outcome.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from scflab.language.conditions import ConditionCheck
from scflab.language.model import Effect, Statement

if TYPE_CHECKING:
    from scflab.evaluation.request import Request

__all__ = ["Outcome", "Applicability", "StatementRef", "StatementResult",
           "Decision"]


class Outcome(StrEnum):
    """What CAM answers: allow, or one of the two kinds of deny."""

    ALLOW = "allow"
    EXPLICIT_DENY = "explicit_deny"
    IMPLICIT_DENY = "implicit_deny"

    @property
    def label(self) -> str:
        """`allow`, `explicit deny` or `implicit deny`, for people."""
        return self.value.replace("_", " ")


class Applicability(StrEnum):
    APPLIES = "applies"
    DOES_NOT_APPLY = "does not apply"
    NOT_EVALUATED = "not evaluated"


class StatementRef(NamedTuple):
    """Which statement: the policy's name and the statement's index."""

    policy: str
    index: int | None
    effect: Effect | None = None

    def __str__(self) -> str:
        if self.index is None:
            return self.policy
        return f"{self.policy}/statement/{self.index}"


class StatementResult(NamedTuple):
    """How one statement relates to the request.

    `part` names the first part that failed (`principal`, `action`,
    `resource`, `condition`) or could not be evaluated; `details` says why
    in words (built only when read); `conditions` holds every condition
    check made; `passed` counts the parts that matched, in that order. A
    named tuple, as millions are made when whole logs are explained.
    """

    ref: StatementRef
    statement: Statement
    status: Applicability
    part: str | None = None
    request: Request | None = None
    conditions: tuple[ConditionCheck, ...] = ()
    passed: int = 0

    @property
    def effect(self) -> Effect:
        return self.statement.effect

    @property
    def applies(self) -> bool:
        return self.status is Applicability.APPLIES

    @property
    def details(self) -> tuple[str, ...]:
        """Sentences saying why the statement missed; empty if it applies."""
        if self.part is None or self.request is None:
            return ()
        return _WHY[self.part](self)

    @property
    def summary(self) -> str:
        """One line: status, and for a miss the part that failed and why."""
        if self.applies:
            return f"applies ({self.effect.value})"
        reason = "; ".join(self.details)
        return f"{self.status.value}: {self.part}: {reason}"


def _principal_miss(result: StatementResult) -> tuple[str, ...]:
    caller = result.request.caller.principal
    return (f"the caller `{caller}` is not named by its principal",)


def _action_miss(result: StatementResult) -> tuple[str, ...]:
    return (f"`{result.request.action}` is not among "
            f"{listing(result.statement.actions)}",)


def _resource_miss(result: StatementResult) -> tuple[str, ...]:
    from scflab.evaluation.matching import resource_level

    request, resources = result.request, result.statement.resources
    if result.status is Applicability.NOT_EVALUATED:
        return (f"{listing(resources)} uses a policy variable this caller "
                "gives no value for",)
    if "*" not in resources and not resource_level(request.action):
        return (f"`{request.action}` is an operation-level action: only "
                "`\"resource\": \"*\"` grants it",)
    return (f"`{request.resource}` is not covered by {listing(resources)}",)


def _condition_miss(result: StatementResult) -> tuple[str, ...]:
    failed = [c for c in result.conditions if c.met is False]
    shown = failed or [c for c in result.conditions if c.met is None]
    return tuple(check.detail for check in shown)


_WHY = {"principal": _principal_miss, "action": _action_miss,
        "resource": _resource_miss, "condition": _condition_miss}


def listing(values) -> str:
    """`` `a` `` for one value, `` [`a`, `b`] `` for several."""
    shown = [f"`{v}`" for v in values]
    return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


class Decision:
    """The outcome for one request, with everything needed to explain it.

    `reasons` name the statements that decided; `statements` holds a
    `StatementResult` for every statement read, in policy order;
    `nearest_miss` and `advice` say, for a denial, which statement came
    closest and what would change the outcome; `notes` add what no
    statement says (an expired session, a boundary).

    The evaluator decides from the few statements whose actions cover the
    request, and hands the rest of the explanation over as `trace`, a
    function giving `(statements, nearest_miss, advice)`: it runs the first
    time any of the three is read, so deciding stays cheap and explaining
    costs only when asked for.
    """

    __slots__ = ("request", "outcome", "reasons", "notes", "_trace",
                 "_explained")

    def __init__(self, request: Request, outcome: Outcome,
                 reasons: tuple[StatementRef, ...] = (),
                 statements: tuple[StatementResult, ...] = (),
                 nearest_miss: StatementResult | None = None,
                 advice: str | None = None, notes: tuple[str, ...] = (),
                 *, trace: Callable[[], tuple] | None = None):
        self.request = request
        self.outcome = outcome
        self.reasons = tuple(reasons)
        self.notes = tuple(notes)
        self._trace = trace
        self._explained = None if trace else (tuple(statements),
                                              nearest_miss, advice)

    def _explanation(self) -> tuple:
        if self._explained is None:
            self._explained = self._trace()
        return self._explained

    @property
    def statements(self) -> tuple[StatementResult, ...]:
        return self._explanation()[0]

    @property
    def nearest_miss(self) -> StatementResult | None:
        return self._explanation()[1]

    @property
    def advice(self) -> str | None:
        return self._explanation()[2]

    def __repr__(self) -> str:
        reasons = ", ".join(map(str, self.reasons))
        return (f"Decision({self.outcome.value}, {self.request.action!r}, "
                f"{self.request.resource!r}, reasons=[{reasons}])")

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def headline(self) -> str:
        """`ALLOW scf:InvokeFunction on qcs::… (decided by …)`."""
        request = self.request
        text = (f"{self.outcome.label.upper()}: {request.action} on "
                f"{request.resource}")
        if self.reasons:
            text += " (decided by " + ", ".join(map(str, self.reasons)) + ")"
        return text

    def explain(self) -> str:
        """The decision in plain text: the headline, every statement, advice."""
        lines = [self.headline, f"caller: {self.request.caller.principal}"]
        lines += [f"note: {note}" for note in self.notes]
        for result in self.statements:
            lines.append(f"  {result.ref}: {result.summary}")
        if not self.statements:
            lines.append("  no statement was read for this request")
        if self.advice:
            lines.append(f"what would change it: {self.advice}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def rows(self) -> list[dict[str, Any]]:
        """One mapping per statement, ready for `pandas.DataFrame`."""
        return [{"policy": r.ref.policy, "statement": r.ref.index,
                 "effect": r.effect.value, "status": r.status.value,
                 "part": r.part or "", "why": "; ".join(r.details)}
                for r in self.statements]

    def _repr_html_(self) -> str:
        from html import escape

        colour = {Outcome.ALLOW: "#1b7f3b"}.get(self.outcome, "#b3261e")
        symbol = "✔" if self.allowed else "✘"
        head = (f"<p style='color:{colour};font-weight:bold'>{symbol} "
                f"{escape(self.headline)}</p>")
        cells = "".join(
            f"<tr><td>{escape(str(r.ref))}</td><td>{r.effect.value}</td>"
            f"<td>{r.status.value}</td><td>{escape(r.part or '')}</td>"
            f"<td>{escape('; '.join(r.details))}</td></tr>"
            for r in self.statements)
        table = ("<table><tr><th>statement</th><th>effect</th><th>status</th>"
                 f"<th>part</th><th>why</th></tr>{cells}</table>")
        notes = "".join(f"<p>note: {escape(n)}</p>" for n in self.notes)
        advice = (f"<p><b>What would change it:</b> {escape(self.advice)}"
                  "</p>" if self.advice else "")
        return head + notes + table + advice
