"""scflab's peers: CAM policies translated for Cedar and Casbin, and a
plain `fnmatch` loop.

The Cedar translation is the one the differential tests use too. It keeps
CAM's meaning on the subset those tests generate (see
`tests/reference_evaluator.py`): actions and resource segments with `*`,
empty segments, legacy regions, an empty account standing for the caller's
root, operation-level actions, policy variables, string and IP conditions
with `_if_exist`, the root account's shortcut, and failing closed.

How CAM becomes Cedar:

- One Cedar policy set per caller: policy variables are resolved for that
  caller while translating.
- The request is described in Cedar's context: the action, the resource's
  segments, the caller's account, and each condition key both as text
  (`c:<key>`) and, when it reads as one, as an IP address (`ip:<key>`).
- An allow statement becomes a `permit`, a deny statement a `forbid`. A deny
  statement that cannot be evaluated becomes a second `forbid`, marked
  *blocking*: it denies without being an explicit deny.
- The root account's shortcut is a `permit` that every `forbid` excepts.

Casbin and the `fnmatch` loop handle the benchmark's workload only: full
six-segment resource patterns whose `*` never crosses a segment, and IP
conditions.
"""

from __future__ import annotations

import fnmatch
import functools
import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import casbin

from scflab.catalog import default_catalog
from scflab.language.model import Condition, Policy, Statement
from scflab.language.resources import LEGACY_REGIONS

ROOT_REASON = "root account owns the resource"

_CALLER = re.compile(r"qcs::cam::uin/(\d+):(root|uin/(\d+)|roleName/.+)")
_ACTION = {"type": "Action", "id": "request"}
_TRUE = "true"


# Cedar: the request.

def cedar_request(action: str, resource: str, principal: str | None,
                  context: dict | None = None) -> dict:
    """A Cedar request describing a CAM request, everything in context."""
    root, _, is_root = _caller(principal)
    name = action.removeprefix("name/").casefold()
    info = default_catalog().get(action)
    facts = {
        "action": name,
        "resource_level": info is None or info.resource_level,
        "owner_account": f"uin/{root}" if root else "",
        "caller_root": root or "",
        "is_root": is_root,
        **_resource_facts(resource),
    }
    for key, value in (context or {}).items():
        if value is None:
            continue
        facts["c:" + key] = value
        address = _address(value)
        if address is not None:
            facts["ip:" + key] = {"__extn": {"fn": "ip", "arg": address}}
    return {"principal": {"type": "Caller", "id": principal or ""},
            "action": _ACTION,
            "resource": {"type": "Resource", "id": resource},
            "context": facts}


def _caller(principal: str | None) -> tuple[str | None, str | None, bool]:
    """(root uin, own uin, whether the caller is the root account)."""
    if principal is None:
        return None, None, False
    root, kind, sub = _CALLER.fullmatch(principal).groups()
    if kind == "root" or sub == root:
        return root, root, True
    return root, sub, False


def _resource_facts(resource: str) -> dict:
    if resource == "*":
        return {"everything": True, "service": "", "region": "",
                "account": "", "path": "*", "owner": ""}
    _, _, service, region, account, path = resource.split(":", 5)
    kind, _, number = account.partition("/")
    owned_by = number if kind in ("uin", "uid") and number.isdigit() else ""
    return {"everything": False, "service": service.casefold(),
            "region": LEGACY_REGIONS.get(region, region),
            "account": account, "path": path, "owner": owned_by}


def _address(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        return None


# Cedar: the policies.

@dataclass(frozen=True)
class CedarPolicies:
    """A translated policy set, and what each Cedar policy stands for.

    `meaning[i]` belongs to Cedar's `policy<i>`: `("allow" | "deny" |
    "blocking" | "root", statement name, position)`.
    """

    text: str
    meaning: tuple[tuple[str, str, int], ...]


def cedar_policies(policies: Sequence[Policy], principal: str | None
                   ) -> CedarPolicies:
    """Translate the policies one caller is subject to."""
    root, uin, _ = _caller(principal)
    variables = {"${uin}": uin, "${owner_uin}": root}
    owned = ("context.is_root && !context.everything && "
             "((context.owner != \"\" && context.owner == "
             "context.caller_root) || context.account == \"\")")
    texts = [f"permit(principal, action, resource) when {{ {owned} }};"]
    meaning = [("root", ROOT_REASON, -1)]
    position = 0
    for policy in policies:
        for index, statement in enumerate(policy.statements):
            name = f"{policy.label}/statement/{index}"
            for kind, when in _statement(statement, variables):
                verb = "permit" if kind == "allow" else "forbid"
                if verb == "forbid":
                    when = f"({when}) && !({owned})"
                texts.append(f"{verb}(principal, action, resource) "
                             f"when {{ {when} }};")
                meaning.append((kind, name, position))
            position += 1
    return CedarPolicies("\n".join(texts), tuple(meaning))


def cedar_answer(result, policies: CedarPolicies
                 ) -> tuple[str, tuple[str, ...]]:
    """The CAM outcome and deciding statements of a Cedar answer."""
    if result.diagnostics.errors:
        raise AssertionError(f"cedar errors: {result.diagnostics.errors}")
    found = sorted(policies.meaning[int(r.removeprefix("policy"))]
                   for r in result.diagnostics.reasons)
    kinds = {kind for kind, _, _ in found}
    if "root" in kinds:
        return "allow", (ROOT_REASON,)
    if "deny" in kinds:
        return "explicit_deny", _names(found, "deny")
    if result.allowed:
        return "allow", _names(found, "allow")
    return "implicit_deny", ()


def _names(found, kind: str) -> tuple[str, ...]:
    ordered = sorted((position, name) for k, name, position in found
                     if k == kind)
    return tuple(name for _, name in ordered)


def _statement(statement: Statement, variables: dict
               ) -> Iterable[tuple[str, str]]:
    """The Cedar conditions for one statement: when it applies, and for a
    deny statement when it cannot be evaluated."""
    if statement.principal is not None:
        raise NotImplementedError("statements with a principal")
    action = _any(_action(p) for p in statement.actions)
    covered, unresolved = _resources(statement.resources, variables)
    star = "*" in statement.resources
    resource_ok = _TRUE if star else f"context.resource_level && {covered}"
    met = [_met(c) for c in statement.conditions]
    unknown = [_unknown(c) for c in statement.conditions]
    applies = _all([action, resource_ok, *met])
    yield statement.effect.value, applies
    if statement.effect.value != "deny":
        return
    hold_or_unknown = _all(f"({m} || {u})" for m, u in zip(met, unknown))
    conditions_unknown = _all([resource_ok, hold_or_unknown,
                               _any(unknown)])
    if unresolved and not star:
        resource_unknown = f"context.resource_level && !({covered})"
        conditions_unknown = _any([conditions_unknown, resource_unknown])
    yield "blocking", _all([action, conditions_unknown])


def _action(pattern: str) -> str:
    text = pattern.removeprefix("name/")
    if text in ("*", "*:*"):
        return _TRUE
    return f"context.action like {_string(text.casefold())}"


def _resources(patterns, variables: dict) -> tuple[str, bool]:
    """A Cedar test for "some pattern covers the resource", and whether
    some pattern has a variable this caller gives no value for."""
    tests, unresolved = [], False
    for pattern in patterns:
        pattern = _substitute(pattern, variables)
        if pattern is None:
            unresolved = True
        else:
            tests.append(_covers(pattern))
    return _any(tests), unresolved


def _substitute(pattern: str, variables: dict) -> str | None:
    for name, value in variables.items():
        if name in pattern:
            if value is None:
                return None
            pattern = pattern.replace(name, value)
    if "${" in pattern:
        raise NotImplementedError(f"variables in {pattern}")
    return pattern


def _covers(pattern: str) -> str:
    if pattern == "*":
        return _TRUE
    _, _, service, region, account, path = pattern.split(":", 5)
    if (service, region, account, path) == ("", "", "", "*"):
        return _TRUE
    region = LEGACY_REGIONS.get(region, region)
    tests = ["!context.everything"]
    if service:
        tests.append(f"context.service like {_string(service.casefold())}")
    if region:
        tests.append(f"context.region like {_string(region)}")
    if account:
        tests.append(f"context.account like {_string(account)}")
    else:
        tests.append("(context.owner_account == \"\" || context.account == "
                     "\"\" || context.account == context.owner_account)")
    tests.append(f"context.path like {_string(path)}")
    return _all(tests)


def _met(condition: Condition) -> str:
    """Cedar for "the condition holds" (never an error)."""
    operator = condition.operator
    if ":" in operator:
        raise NotImplementedError(f"qualifier in {operator}")
    if_exist = operator.endswith("_if_exist")
    base = operator.removesuffix("_if_exist")
    text = _string("c:" + condition.key)
    absent = f"!(context has {text})"
    if base in ("ip_equal", "ip_not_equal"):
        key = _string("ip:" + condition.key)
        value = f"context[{key}]"
        found = _any(f"{value}.isInRange(ip({_string(_address(v))}))"
                     for v in condition.values)
        present = f"context has {key}"
    elif base in ("string_equal", "string_not_equal", "string_like"):
        value = f"context[{text}]"
        verb = "like" if base == "string_like" else "=="
        found = _any(f"{value} {verb} {_string(v)}"
                     for v in condition.values)
        present = f"context has {text}"
    else:
        raise NotImplementedError(f"operator {operator}")
    if "_not_" in base:
        found = f"!({found})"
    holds = f"({present} && {found})"
    return f"({holds} || {absent})" if if_exist else holds


def _unknown(condition: Condition) -> str:
    """Cedar for "the request's value cannot be read"."""
    if condition.operator.removesuffix("_if_exist") not in (
            "ip_equal", "ip_not_equal"):
        return "false"
    text = _string("c:" + condition.key)
    key = _string("ip:" + condition.key)
    return f"(context has {text} && !(context has {key}))"


def _string(text: str) -> str:
    if not text.isascii() or "\\" in text:
        raise NotImplementedError(f"text {text!r}")
    return json.dumps(text)


def _all(tests) -> str:
    tests = [t for t in tests if t != _TRUE]
    if not tests:
        return _TRUE
    return "(" + " && ".join(f"({t})" for t in tests) + ")"


def _any(tests) -> str:
    tests = list(tests)
    if _TRUE in tests:
        return _TRUE
    if not tests:
        return "false"
    return "(" + " || ".join(f"({t})" for t in tests) + ")"


# Casbin: a deny-override model over the benchmark's workload.

CASBIN_MODEL = """
[request_definition]
r = sub, act, res, level, ip

[policy_definition]
p = sub, act, res, star, ip, eft

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.sub == p.sub && r.act == p.act && regexMatch(r.res, p.res) && \
(p.star == "1" || r.level == "1") && (p.ip == "*" || ipMatch(r.ip, p.ip))
"""


def casbin_enforcer(policies_of: dict[str, Sequence[Policy]]):
    """A Casbin `FastEnforcer` holding every principal's rules, which it
    narrows by principal and action before matching."""
    model = casbin.FastModel([0, 1])
    model.load_model_from_text(CASBIN_MODEL)
    rows = [row for principal, policies in policies_of.items()
            for row in casbin_rules(principal, policies)]
    return casbin.FastEnforcer(model, _Rows(rows), cache_key_order=[0, 1])


def casbin_rules(principal: str, policies: Sequence[Policy]
                 ) -> list[list[str]]:
    """Casbin rows for one principal: one for each action the catalog
    knows an entry to cover, resource entry and IP block of a statement.

    Expanding action patterns lets Casbin's filter pick the rows of one
    action; it also means actions outside the catalog are never granted,
    which the workload never asks for.
    """
    rows = []
    for policy in policies:
        for statement in policy.statements:
            star = "1" if "*" in statement.resources else "0"
            blocks = _ip_blocks(statement.conditions)
            actions = {name for entry in statement.actions
                       for name in _expand(entry)}
            for action in sorted(actions):
                for resource in statement.resources:
                    for block in blocks:
                        rows.append([principal, action, _regex(resource),
                                     star, block, statement.effect.value])
    return rows


def casbin_request(principal: str, action: str, resource: str, ip: str
                   ) -> tuple[str, str, str, str, str]:
    info = default_catalog().get(action)
    level = "1" if info is None or info.resource_level else "0"
    return principal, action.casefold(), resource, level, ip


class _Rows(casbin.persist.Adapter):
    """An in-memory Casbin adapter: it hands the rows to the model."""

    def __init__(self, rows: list[list[str]]):
        self.rows = rows

    def load_policy(self, model) -> None:
        policy = model.model["p"]["p"].policy
        for row in self.rows:
            policy.append(row)


def _ip_blocks(conditions: Sequence[Condition]) -> list[str]:
    if not conditions:
        return ["*"]
    (condition,) = conditions
    if condition.operator != "ip_equal" or condition.key != "qcs:ip":
        raise NotImplementedError(f"condition {condition}")
    return list(condition.values)


@functools.lru_cache(maxsize=None)
def _expand(entry: str) -> tuple[str, ...]:
    return tuple(info.qualified.casefold()
                 for info in default_catalog().expand(entry))


@functools.lru_cache(maxsize=None)
def _regex(pattern: str) -> str:
    return "^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$"


# The plain loop: every statement, every request, with `fnmatch`.

class FnmatchLoop:
    """The obvious evaluator: no index, no compiling; `fnmatch` on each
    entry of each statement of the caller's policies."""

    def __init__(self, policies_of: dict[str, Sequence[Policy]]):
        self.policies_of = policies_of

    def decide(self, principal: str, action: str, resource: str, ip: str
               ) -> tuple[str, str]:
        info = default_catalog().get(action)
        scoped = info is None or info.resource_level
        action = action.casefold()
        address = ipaddress.ip_address(ip)
        denies, allows = [], []
        for policy in self.policies_of.get(principal, ()):
            for index, statement in enumerate(policy.statements):
                if _applies(statement, action, resource, scoped, address):
                    found = denies if statement.effect.value == "deny" \
                        else allows
                    found.append(f"{policy.label}/statement/{index}")
        if denies:
            return "explicit_deny", ", ".join(denies)
        if allows:
            return "allow", ", ".join(allows)
        return "implicit_deny", ""


def _applies(statement: Statement, action, resource, scoped, address):
    if not any(fnmatch.fnmatchcase(action, p.casefold())
               for p in statement.actions):
        return False
    if "*" not in statement.resources and not (scoped and any(
            fnmatch.fnmatchcase(resource, p) for p in statement.resources)):
        return False
    return all(any(address in _network(v) for v in c.values)
               for c in statement.conditions)


@functools.lru_cache(maxsize=None)
def _network(block: str):
    return ipaddress.ip_network(block, strict=False)
