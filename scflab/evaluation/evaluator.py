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

from functools import lru_cache
from typing import Iterable

from scflab.errors import InvalidValue
from scflab.evaluation.decision import (
    Applicability, Decision, Outcome, StatementRef, StatementResult)
from scflab.evaluation.principals import admits
from scflab.evaluation.request import Request
from scflab.language.actions import ActionPattern
from scflab.language.conditions import check_condition
from scflab.language.model import Effect, Policy, Statement
from scflab.language.resources import ResourceName, substitute

__all__ = ["evaluate", "check_statement", "ROOT_REF"]

#: The reason given when a root account acts on what it owns.
ROOT_REF = StatementRef("root account owns the resource", None, Effect.ALLOW)

_PARTS = ("principal", "action", "resource", "condition")


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
    if request.caller.owns(request.resource_name):
        return Decision(request, Outcome.ALLOW, (ROOT_REF,))
    results = tuple(
        check_statement(statement, request,
                        StatementRef(policy.label, index, statement.effect),
                        policy.principal)
        for policy in policies
        for index, statement in enumerate(policy.statements))
    return _combine(request, results)


def check_statement(statement: Statement, request: Request,
                    ref: StatementRef, principal=None) -> StatementResult:
    """How one statement relates to `request`."""
    principal = statement.principal or principal
    if principal is not None and not admits(principal, request.caller):
        return _miss(ref, statement, 0, "principal",
                     f"the caller `{request.caller.principal}` is not named "
                     "by its principal")
    if not any(_action(a).matches(request.action) for a in statement.actions):
        return _miss(ref, statement, 1, "action",
                     f"`{request.action}` is not among "
                     f"{_listing(statement.actions)}")
    resource = _check_resources(statement, request)
    if resource is not True:
        status, detail = resource
        return _miss(ref, statement, 2, "resource", detail, status)
    return _check_conditions(statement, request, ref)


def _check_resources(statement: Statement, request: Request):
    if "*" in statement.resources:
        return True
    if not _resource_level(request.action):
        return (Applicability.DOES_NOT_APPLY,
                f"`{request.action}` is an operation-level action: only "
                "`\"resource\": \"*\"` grants it")
    variables = request.caller.variables
    unresolved = []
    for pattern in statement.resources:
        text = substitute(pattern, variables)
        if text is None:
            unresolved.append(pattern)
        elif _resource(text).covers(request.resource_name,
                                    request.owner_account):
            return True
    if unresolved:
        return (Applicability.NOT_EVALUATED,
                f"{_listing(unresolved)} uses a policy variable this "
                "caller gives no value for")
    return (Applicability.DOES_NOT_APPLY,
            f"`{request.resource}` is not covered by "
            f"{_listing(statement.resources)}")


def _check_conditions(statement: Statement, request: Request,
                      ref: StatementRef) -> StatementResult:
    variables = request.caller.variables
    checks = tuple(check_condition(c, request.context, variables)
                   for c in statement.conditions)
    failed = [c for c in checks if c.met is False]
    unknown = [c for c in checks if c.met is None]
    if failed or unknown:
        status = Applicability.DOES_NOT_APPLY if failed \
            else Applicability.NOT_EVALUATED
        details = tuple(c.detail for c in failed or unknown)
        return StatementResult(ref, statement, status, "condition", details,
                               checks, 3)
    return StatementResult(ref, statement, Applicability.APPLIES,
                           conditions=checks, passed=4)


def _miss(ref, statement, passed, part, detail,
          status=Applicability.DOES_NOT_APPLY) -> StatementResult:
    return StatementResult(ref, statement, status, part, (detail,),
                           passed=passed)


def _combine(request: Request, results: tuple[StatementResult, ...]
             ) -> Decision:
    applying = [r for r in results if r.applies]
    denies = [r.ref for r in applying if r.effect is Effect.DENY]
    if denies:
        return Decision(request, Outcome.EXPLICIT_DENY, tuple(denies),
                        results, advice=_deny_advice(denies))
    allows = [r.ref for r in applying if r.effect is Effect.ALLOW]
    blocked = [r for r in results if r.effect is Effect.DENY
               and r.status is Applicability.NOT_EVALUATED]
    if allows and blocked:
        note = (f"{blocked[0].ref} could not be evaluated, so scflab fails "
                "closed and does not let the allow through")
        return Decision(request, Outcome.IMPLICIT_DENY, (), results,
                        blocked[0], f"make {blocked[0].ref} evaluable: "
                        f"{blocked[0].details[0]}", (note,))
    if allows:
        return Decision(request, Outcome.ALLOW, tuple(allows), results)
    nearest = _nearest_miss(results)
    return Decision(request, Outcome.IMPLICIT_DENY, (), results, nearest,
                    _allow_advice(request, nearest))


def _nearest_miss(results) -> StatementResult | None:
    allows = [r for r in results if r.effect is Effect.ALLOW]
    if not allows:
        return None
    return max(allows, key=lambda r: r.passed)


def _allow_advice(request: Request, nearest: StatementResult | None) -> str:
    if nearest is None:
        return (f"no statement allows anything here; add an allow statement "
                f"for `{request.action}` on `{request.resource}`")
    where = str(nearest.ref)
    fixes = {
        "principal": f"{where} would need to name the caller in its "
                     "principal",
        "action": f"{where} would apply if its actions covered "
                  f"`{request.action}`",
        "resource": f"{where} would apply if its resources covered "
                    f"`{request.resource}`",
        "condition": f"{where} would apply if its conditions held: "
                     + "; ".join(nearest.details),
    }
    advice = fixes[nearest.part]
    if nearest.part == "resource" and not _resource_level(request.action):
        advice = (f"{where} would apply with `\"resource\": \"*\"`: "
                  f"`{request.action}` cannot be scoped to one resource")
    return advice


def _deny_advice(denies) -> str:
    names = ", ".join(map(str, denies))
    return (f"an explicit deny beats every allow: remove or narrow {names}; "
            "no allow statement can override it")


def _listing(values) -> str:
    shown = [f"`{v}`" for v in values]
    return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


@lru_cache(maxsize=8192)
def _action(text: str) -> ActionPattern:
    return ActionPattern.parse(text)


@lru_cache(maxsize=65536)
def _resource(text: str) -> ResourceName:
    try:
        return ResourceName.parse(text)
    except InvalidValue:
        return _NOTHING


#: What a malformed resource pattern covers: nothing (parse reports it).
_NOTHING = ResourceName("", "", "", "", "")


@lru_cache(maxsize=4096)
def _resource_level(action: str) -> bool:
    """Whether `action` can be scoped to a resource; unknown actions can."""
    from scflab.catalog import default_catalog

    info = default_catalog().get(action)
    return True if info is None else info.resource_level
