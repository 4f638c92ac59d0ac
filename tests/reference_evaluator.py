"""A second CAM evaluator, plain on purpose, to check scflab's against.

It reads policies through scflab's data model (`Policy`, `Statement`,
`Condition`) and two data tables (the action catalog, the legacy region
codes), and shares no code with scflab's evaluator. It covers what the
differential tests generate:

- callers: root accounts, sub-users, role sessions, or nobody;
- actions and six-segment resources with `*` anywhere, `*` alone;
- policy variables `${uin}` and `${owner_uin}` in resources;
- `string_equal`, `string_not_equal`, `string_like`, `ip_equal`,
  `ip_not_equal`, each with or without `_if_exist`, on single-valued keys.

Anything else raises `NotImplementedError`, so a wider generator cannot
pass by accident.

The rules, as CAM documents them: a root account may do anything to what it
owns; otherwise a deny statement that applies wins, then an allow statement
that applies, then the default deny. A statement that cannot be evaluated
(a variable without a value, an IP address that is not one) never allows,
and as a deny it blocks every allow.
"""

from __future__ import annotations

import ipaddress
import re

from scflab.catalog import default_catalog
from scflab.language.model import Condition, Policy, Statement
from scflab.language.resources import LEGACY_REGIONS

ROOT_REASON = "root account owns the resource"

APPLIES, DOES_NOT_APPLY, UNKNOWN = "applies", "does not apply", "unknown"

_CALLER = re.compile(r"qcs::cam::uin/(\d+):(root|uin/(\d+)|roleName/.+)")


def decide(policies: list[Policy], action: str, resource: str,
           principal: str | None = None, context: dict | None = None
           ) -> tuple[str, tuple[str, ...]]:
    """The outcome (`allow`, `explicit_deny`, `implicit_deny`) and the
    names of the statements that decided it."""
    caller = _caller(principal)
    context = context or {}
    if _owns(caller, resource):
        return "allow", (ROOT_REASON,)

    verdicts = []
    for policy in policies:
        for index, statement in enumerate(policy.statements):
            name = f"{policy.name or '(unnamed)'}/statement/{index}"
            verdict = _statement(statement, action, resource, caller,
                                 context)
            verdicts.append((statement.effect.value, verdict, name))

    denies = [n for e, v, n in verdicts if e == "deny" and v == APPLIES]
    allows = [n for e, v, n in verdicts if e == "allow" and v == APPLIES]
    blocked = [n for e, v, n in verdicts if e == "deny" and v == UNKNOWN]
    if denies:
        return "explicit_deny", tuple(denies)
    if allows and not blocked:
        return "allow", tuple(allows)
    return "implicit_deny", ()


def _caller(principal: str | None) -> dict:
    if principal is None:
        return {"root": None, "uin": None, "is_root": False}
    found = _CALLER.fullmatch(principal)
    if found is None:
        raise NotImplementedError(f"caller {principal}")
    root, kind, sub = found.groups()
    if kind == "root" or sub == root:
        return {"root": root, "uin": root, "is_root": True}
    return {"root": root, "uin": sub, "is_root": False}


def _owns(caller: dict, resource: str) -> bool:
    if not caller["is_root"] or resource == "*":
        return False
    account = resource.split(":")[4]
    if account == "":
        return True
    kind, _, number = account.partition("/")
    return kind in ("uin", "uid") and number == caller["root"]


def _statement(statement: Statement, action: str, resource: str,
               caller: dict, context: dict) -> str:
    if statement.principal is not None:
        raise NotImplementedError("statements with a principal")
    if not any(_action_matches(p, action) for p in statement.actions):
        return DOES_NOT_APPLY
    covered = _resources(statement.resources, action, resource, caller)
    if covered != APPLIES:
        return covered
    verdicts = [_condition(c, context) for c in statement.conditions]
    if DOES_NOT_APPLY in verdicts:
        return DOES_NOT_APPLY
    if UNKNOWN in verdicts:
        return UNKNOWN
    return APPLIES


def _action_matches(pattern: str, action: str) -> bool:
    pattern = pattern.removeprefix("name/")
    action = action.removeprefix("name/")
    if pattern in ("*", "*:*"):
        return True
    return _glob(pattern.lower(), action.lower())


def _resources(patterns, action: str, resource: str, caller: dict) -> str:
    if "*" in patterns:
        return APPLIES
    info = default_catalog().get(action)
    if info is not None and not info.resource_level:
        return DOES_NOT_APPLY
    unknown = False
    for pattern in patterns:
        pattern = _substitute(pattern, caller)
        if pattern is None:
            unknown = True
        elif _covers(pattern, resource, caller):
            return APPLIES
    return UNKNOWN if unknown else DOES_NOT_APPLY


def _substitute(pattern: str, caller: dict) -> str | None:
    for name, value in (("${uin}", caller["uin"]),
                        ("${owner_uin}", caller["root"])):
        if name in pattern:
            if value is None:
                return None
            pattern = pattern.replace(name, value)
    if "${" in pattern:
        raise NotImplementedError(f"variables in {pattern}")
    return pattern


def _covers(pattern: str, resource: str, caller: dict) -> bool:
    _, _, service, region, account, rest = pattern.split(":", 5)
    if (service, region, account, rest) == ("", "", "", "*"):
        return True
    if resource == "*":
        return False
    _, _, r_service, r_region, r_account, r_rest = resource.split(":", 5)
    region = LEGACY_REGIONS.get(region, region)
    r_region = LEGACY_REGIONS.get(r_region, r_region)
    if service and not _glob(service.lower(), r_service.lower()):
        return False
    if region and not _glob(region, r_region):
        return False
    if account:
        if not _glob(account, r_account):
            return False
    elif caller["root"] is not None and r_account not in (
            "", f"uin/{caller['root']}"):
        return False
    return _glob(rest, r_rest)


def _condition(condition: Condition, context: dict) -> str:
    operator = condition.operator
    if ":" in operator:
        raise NotImplementedError(f"qualifier in {operator}")
    if_exist = operator.endswith("_if_exist")
    base = operator.removesuffix("_if_exist")
    value = context.get(condition.key)
    if value is None:
        return APPLIES if if_exist else DOES_NOT_APPLY
    if not isinstance(value, str):
        raise NotImplementedError(f"context value {value!r}")

    if base in ("ip_equal", "ip_not_equal"):
        try:
            address = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return UNKNOWN
        found = any(_inside(address, v) for v in condition.values)
    elif base in ("string_equal", "string_not_equal"):
        found = value in condition.values
    elif base == "string_like":
        found = any(_glob(v, value) for v in condition.values)
    else:
        raise NotImplementedError(f"operator {operator}")

    met = not found if "_not_" in base else found
    return APPLIES if met else DOES_NOT_APPLY


def _inside(address, block: str) -> bool:
    network = ipaddress.ip_network(block, strict=False)
    return address.version == network.version \
        and address.subnet_of(network)


def _glob(pattern: str, text: str) -> bool:
    """`*` matches any run of characters; everything else is literal."""
    parts = [re.escape(part) for part in pattern.split("*")]
    return re.fullmatch(".*".join(parts), text, re.DOTALL) is not None
