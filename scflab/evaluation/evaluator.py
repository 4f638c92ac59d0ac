"""How CAM decides, with the reasons.

1. Every request is denied by default (implicit deny).
2. A root account may do anything on the resources it owns.
3. Otherwise every statement of every policy that applies to the caller is
   checked. If a deny statement applies, the outcome is an explicit deny.
   Otherwise, if an allow statement applies, the request is allowed.
   Otherwise it stays denied.

A statement applies when its principal (if any) names the caller, an action
pattern covers the action, a resource pattern covers the resource, and every
condition holds. An operation-level action (one that cannot be scoped to a
resource) is granted only by a statement whose resource is `*`.

scflab fails closed: a statement it cannot evaluate is shown as *not
evaluated*. Such an allow grants nothing, and such a deny blocks every allow,
leaving an implicit deny that says so.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from scflab.evaluation.matching import (
    StatementMatcher, action_key, matcher_for, policy_matchers,
    resource_level)
from scflab.evaluation.decision import (
    Applicability, Decision, Outcome, StatementRef, StatementResult, listing)
from scflab.evaluation.principals import admits
from scflab.evaluation.request import Caller, Request
from scflab.language.conditions import check_condition
from scflab.language.model import Effect, Policy, Statement
from scflab.language.resources import ResourceName

__all__ = ["evaluate", "check_statement", "ROOT_REF"]

#: The reason given when a root account acts on what it owns.
ROOT_REF = StatementRef("root account owns the resource", None, Effect.ALLOW)

_MISS = Applicability.DOES_NOT_APPLY
_OPEN = Applicability.NOT_EVALUATED
_APPLIES = Applicability.APPLIES


def evaluate(request: Request, policies: Iterable[Policy] | Policy
             ) -> Decision:
    """Decide `request` under `policies`, explaining every statement.

    >>> from scflab import parse_policy
    >>> policy = parse_policy('{"version": "2.0", "statement": [{"effect":'
    ...     ' "allow", "action": "scf:ListFunctions", "resource": "*"}]}')
    >>> evaluate(Request("scf:ListFunctions"), [policy]).outcome.value
    'allow'
    """
    if isinstance(policies, Policy):
        policies = [policies]
    policies = _checked(policies)
    if request.caller.owns(request.resource_name):
        return Decision(request, Outcome.ALLOW, (ROOT_REF,))
    view = _View.of(request)
    plan = [(policy, policy_matchers(policy)) for policy in policies]
    candidates = [_check(view, *matchers[index], policy.principal)
                  for policy, matchers in plan
                  for index in matchers.candidates(view.action)]
    return _combine(view, candidates, lambda: _trace(view, plan))


def _checked(policies) -> list[Policy]:
    """The policies as a list; a clear TypeError for anything else."""
    if isinstance(policies, (str, bytes, dict)):
        raise TypeError("evaluate takes `Policy` values, not a document: "
                        "read it first with `scflab.parse_policy(...)`")
    policies = list(policies)
    for policy in policies:
        if not isinstance(policy, Policy):
            raise TypeError(f"`{policy!r:.60}` is not a `Policy`: read "
                            "documents with `scflab.parse_policy(...)`")
    return policies


def check_statement(statement: Statement, request: Request,
                    ref: StatementRef, principal=None) -> StatementResult:
    """How one statement relates to `request`.

    `principal` is the policy-level principal, if the policy has one.
    """
    return _check(_View.of(request), ref, matcher_for(statement), principal)


class _View(NamedTuple):
    """What every statement check needs of a request, worked out once."""

    request: Request
    caller: Caller
    action: str
    resource_level: bool
    resource: ResourceName
    owner_accounts: tuple[str, ...] | None
    variables: dict[str, str]

    @classmethod
    def of(cls, request: Request) -> _View:
        caller = request.caller
        return cls(request, caller, action_key(request.action),
                   resource_level(request.action), request.resource_name,
                   request.owner_accounts, caller.variables)


def _check(view: _View, ref: StatementRef, matcher: StatementMatcher,
           principal) -> StatementResult:
    request = view.request
    statement = matcher.statement
    principal = statement.principal or principal
    if principal is not None and not admits(principal, view.caller):
        return StatementResult(ref, statement, _MISS, "principal", request)
    if not matcher.matches_action(view.action):
        return StatementResult(ref, statement, _MISS, "action", request,
                               passed=1)
    if not matcher.any_resource and not view.resource_level:
        return StatementResult(ref, statement, _MISS, "resource", request,
                               passed=2)
    covered = matcher.covers_resource(view.resource, view.owner_accounts,
                                      view.variables)
    if not covered:
        status = _OPEN if covered is None else _MISS
        return StatementResult(ref, statement, status, "resource", request,
                               passed=2)
    if not statement.conditions:
        return StatementResult(ref, statement, _APPLIES, passed=4)
    return _check_conditions(statement, view, ref)


def _check_conditions(statement: Statement, view: _View,
                      ref: StatementRef) -> StatementResult:
    checks = tuple(check_condition(c, view.request.context, view.variables)
                   for c in statement.conditions)
    if all(check.met for check in checks):
        return StatementResult(ref, statement, _APPLIES,
                               conditions=checks, passed=4)
    failed = any(check.met is False for check in checks)
    return StatementResult(ref, statement, _MISS if failed else _OPEN,
                           "condition", view.request, checks, 3)


def _trace(view: _View, plan) -> tuple[StatementResult, ...]:
    """Every statement's result, in policy order, for the explanation."""
    return tuple(_check(view, ref, matcher, policy.principal)
                 for policy, matchers in plan
                 for ref, matcher in matchers)


def _combine(view: _View, candidates: list[StatementResult],
             trace: Callable[[], tuple[StatementResult, ...]]
             ) -> Decision:
    """The outcome from the statements whose actions cover the request.

    No other statement can apply, so they take no part in the outcome;
    `trace` gives all of them when the explanation is read.
    """
    request = view.request
    applying = [r for r in candidates if r.applies]
    denies = tuple(r.ref for r in applying if r.effect is Effect.DENY)
    if denies:
        return Decision(request, Outcome.EXPLICIT_DENY, denies, trace=lambda:
                        (trace(), None, _deny_advice(denies)))
    allows = tuple(r.ref for r in applying if r.effect is Effect.ALLOW)
    blocked = [r for r in candidates
               if r.effect is Effect.DENY and r.status is _OPEN]
    if allows and blocked:
        return _fail_closed(request, trace, blocked[0])
    if allows:
        return Decision(request, Outcome.ALLOW, allows,
                        trace=lambda: (trace(), None, None))
    return Decision(request, Outcome.IMPLICIT_DENY,
                    trace=lambda: _implicit_deny(request, trace()))


def _implicit_deny(request: Request, results) -> tuple:
    nearest = _nearest_miss(results)
    return results, nearest, _allow_advice(request, nearest)


def _fail_closed(request, trace, blocked: StatementResult) -> Decision:
    note = (f"{blocked.ref} could not be evaluated, so scflab fails closed "
            "and does not let the allow through")
    advice = f"make {blocked.ref} evaluable: {blocked.details[0]}"
    return Decision(request, Outcome.IMPLICIT_DENY, notes=(note,),
                    trace=lambda: (trace(), blocked, advice))


def _nearest_miss(results) -> StatementResult | None:
    allows = [r for r in results if r.effect is Effect.ALLOW]
    if not allows:
        return None
    return max(allows, key=lambda r: r.passed)


def _allow_advice(request: Request, nearest: StatementResult | None) -> str:
    if nearest is None:
        return ("no statement allows anything here; add an allow statement "
                f"for `{request.action}` on `{request.resource}`")
    where = str(nearest.ref)
    if nearest.status is _OPEN:
        return (f"{where} could not be evaluated: "
                + "; ".join(nearest.details))
    if nearest.part == "resource" and not resource_level(request.action):
        return (f"{where} would apply with `\"resource\": \"*\"`: "
                f"`{request.action}` cannot be scoped to one resource")
    if nearest.part == "condition":
        return (f"{where} would apply if its conditions held: "
                + "; ".join(nearest.details))
    if nearest.part == "principal":
        return f"{where} would need to name the caller in its principal"
    plural = {"action": "actions", "resource": "resources"}[nearest.part]
    value = getattr(request, nearest.part)
    return (f"{where} comes closest: it would apply if its {plural} "
            f"covered `{value}` (widen it only if that access is intended)")


def _deny_advice(denies) -> str:
    names = ", ".join(map(str, denies))
    return (f"an explicit deny beats every allow: remove or narrow {names}; "
            "no allow statement can override it")
