"""Finite sets of requests that tell policies apart.

Two policies can differ on infinitely many requests, but only through what
they mention: their action patterns, resource patterns, condition values
and principals. `Universe.of(*policies)` builds, from those alone, a finite
set of requests meant to contain a witness of every difference:

- actions: every catalog action some pattern covers, every action named
  without `*` that the catalog lacks, and for each pattern with `*` one
  action the catalog does not list (each `*` written `Unlisted`:
  `scf:Get*` gives `scf:GetUnlisted`), standing for actions added later;
- resources: every resource pattern written without `*`, one instance of
  each pattern with `*` (each `*` replaced by a token that fits its
  segment), and `*`: a request naming `*` is covered only by
  `"resource": "*"`, so it stands for a resource no specific pattern
  names;
- contexts: for each condition key, the values the conditions name, values
  just beside them (one second, one unit, an address outside every block,
  an unlisted string), and the key's absence; combined in full when that
  makes at most `max_contexts` contexts, otherwise one key at a time;
- principals: one sub-user of the first account a resource names (or of
  `DEFAULT_ACCOUNT`); when a policy has a `principal`, also every
  principal it names and an outsider of another account.

Known limits: a difference visible only at a point this construction does
not produce is missed. Resource patterns are instantiated one point each,
so a pattern inside another (`dir/*` within `*`) is told apart only where
a third pattern or the generic `*` separates them; variables (`${uin}`)
take the universe principal's values; federated principals are left out;
and since the request resource `*` is covered by `"resource": "*"` alone,
a policy naming `*` and one naming a pattern that matches every name
(`qcs::*:*:*:*`) differ there although no real resource tells them apart.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Iterable, Iterator, Mapping

from scflab.errors import InvalidValue
from scflab.evaluation.request import Caller, Request, RequestError
from scflab.language.actions import ActionPattern
from scflab.language.model import Condition, Policy
from scflab.language.operators import OPERATORS, coerce
from scflab.language.resources import ResourceName, substitute

__all__ = ["Universe", "DEFAULT_ACCOUNT", "MAX_CONTEXTS"]

#: The root account the universe's caller belongs to, unless the policies
#: name one.
DEFAULT_ACCOUNT = "100000000001"

#: The most contexts a full combination of condition values may make.
MAX_CONTEXTS = 256

#: The account standing for one no policy names.
OTHER_ACCOUNT = "900000000009"

#: The word that stands for what no policy names.
UNLISTED = "Unlisted"

_UIN = re.compile(r"uin/(\d+)")
_OUTSIDE_V4 = ("192.0.2.1", "198.51.100.1", "203.0.113.1")
_OUTSIDE_V6 = ("2001:db8::1", "2001:db8:ffff::1")


@dataclass(frozen=True)
class Universe:
    """The actions, resources, contexts and principals to try.

    Every combination is one request: `len(universe)` of them.
    """

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    contexts: tuple[Mapping[str, Any], ...]
    principals: tuple[str, ...]

    def __len__(self) -> int:
        return (len(self.actions) * len(self.resources)
                * len(self.contexts) * len(self.principals))

    def __iter__(self) -> Iterator[Request]:
        """Every request, principals outermost, contexts innermost."""
        for principal, action, resource, context in itertools.product(
                self.principals, self.actions, self.resources,
                self.contexts):
            yield Request(action, resource, principal, context)

    @classmethod
    def of(cls, *policies: Policy, catalog=None,
           principal: str | None = None,
           max_contexts: int = MAX_CONTEXTS) -> Universe:
        """The universe telling `policies` apart (see the module text).

        `principal` fixes the caller (a CAM principal string); by default
        it is a sub-user of the first account the policies name.
        """
        catalog = catalog or _default_catalog()
        statements = [s for p in policies for s in p.statements]
        caller = principal or _member(policies)
        variables = Caller.parse(caller).variables
        principals = (caller,) if principal else _principals(policies,
                                                              caller)
        return cls(_actions(statements, catalog),
                   _resources(statements, variables),
                   _contexts(statements, variables, max_contexts),
                   principals)

    def describe(self) -> str:
        """`12 actions × 3 resources × 4 contexts × 1 principal = 144`."""
        parts = [(len(self.actions), "action"),
                 (len(self.resources), "resource"),
                 (len(self.contexts), "context"),
                 (len(self.principals), "principal")]
        shown = " × ".join(f"{n} {word}{'' if n == 1 else 's'}"
                           for n, word in parts)
        return f"{shown} = {len(self)} requests"


# Actions.

def _actions(statements, catalog) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for statement in statements:
        for text in statement.actions:
            for action in _actions_of(text, catalog):
                found.setdefault(action)
    return tuple(found)


def _actions_of(text: str, catalog) -> list[str]:
    try:
        pattern = ActionPattern.parse(text)
    except InvalidValue:
        return []
    known = [info.qualified for info in catalog.expand(pattern.text)]
    if "*" not in pattern.text:
        return known or [pattern.text]
    if pattern.service == "*":
        return known + [f"unlisted:{UNLISTED}"]
    fresh = pattern.text.replace("*", UNLISTED)
    return known + ([] if fresh in catalog else [fresh])


# Resources.

def _resources(statements, variables) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for statement in statements:
        for pattern in statement.resources:
            instance = _instance(pattern, variables)
            if instance is not None:
                found.setdefault(instance)
    found.setdefault("*")
    return tuple(found)


def _instance(pattern: str, variables) -> str | None:
    """A request resource that `pattern` covers, or None."""
    text = substitute(pattern, variables)
    if text is None or text == "*":
        return None
    try:
        name = ResourceName.parse(text)
    except InvalidValue:
        return None
    owner = variables.get("${owner_uin}", DEFAULT_ACCOUNT)
    filled = ResourceName(
        "", name.service.replace("*", "unlisted"),
        _region(name.region), _account(name.account, owner),
        name.resource.replace("*", "unlisted"))
    try:
        instance = ResourceName.parse(str(filled))
    except InvalidValue:
        return None
    return str(instance) if name.covers(instance) else None


def _region(segment: str) -> str:
    return "ap-unlisted" if segment == "*" \
        else segment.replace("*", "unlisted")


def _account(segment: str, owner: str) -> str:
    """An account the segment names; empty means the caller's own."""
    if not segment:
        return f"uin/{owner}"
    if segment == "*":
        return f"uin/{OTHER_ACCOUNT}"
    return segment.replace("*", OTHER_ACCOUNT)


# Contexts.

def _contexts(statements, variables, limit: int
              ) -> tuple[Mapping[str, Any], ...]:
    values: dict[str, dict[Any, None]] = {}
    types: dict[str, set[str]] = {}
    for statement in statements:
        for condition in statement.conditions:
            bucket = values.setdefault(condition.key, {})
            types.setdefault(condition.key, set()).add(
                OPERATORS.get(condition.base, "string"))
            for value in _values_for(condition, variables):
                bucket.setdefault(value)
    if not values:
        return ({},)
    for key, bucket in values.items():
        bucket.update(dict.fromkeys(_outside(types[key], bucket)))
    choices = {key: [None, *bucket] for key, bucket in values.items()}
    return _combine(choices, limit)


def _combine(choices: dict[str, list], limit: int
             ) -> tuple[Mapping[str, Any], ...]:
    """Every combination if few enough, otherwise one key at a time."""
    keys = list(choices)
    count = 1
    for options in choices.values():
        count *= len(options)
    if count <= limit:
        combos = itertools.product(*(choices[k] for k in keys))
        return tuple(_context(keys, combo) for combo in combos)
    contexts: list[Mapping[str, Any]] = [{}]
    for key in keys:
        contexts += [{key: value} for value in choices[key][1:]]
    return tuple(contexts)


def _context(keys, combo) -> dict[str, Any]:
    return {k: v for k, v in zip(keys, combo) if v is not None}


def _values_for(condition: Condition, variables) -> list:
    """Request values at and beside each value the condition names."""
    value_type = OPERATORS.get(condition.base, "string")
    found = []
    for value in condition.values:
        if isinstance(value, str):
            value = substitute(value, variables)
            if value is None:
                continue
        found += _near(value_type, condition.base, value)
    return found


def _near(value_type: str, base: str, value) -> list:
    try:
        read = coerce(value_type, value)
    except InvalidValue:
        return [str(value)]
    if value_type == "numeric":
        return [_number(read), _number(read - 1), _number(read + 1)]
    if value_type == "date":
        second = timedelta(seconds=1)
        return [_iso(read), _iso(read - second), _iso(read + second)]
    if value_type == "bool":
        return ["true", "false"]
    if value_type == "ip":
        return [str(read.network_address)]
    if value_type == "null":
        return [UNLISTED.lower()]
    if base == "string_like":
        return [str(value).replace("*", UNLISTED.lower())]
    return [str(value)]


def _outside(types: set[str], present: Mapping) -> list:
    """A value unlike every value found: an address, or a string."""
    if types == {"ip"}:
        networks = [n for n in map(_network, present) if n is not None]
        return _address_outside(networks)
    if "string" in types or "binary" in types:
        return ["scflab-unlisted"]
    return []


def _network(value):
    try:
        return ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        return None


def _address_outside(networks) -> list[str]:
    for candidate in _OUTSIDE_V4 + _OUTSIDE_V6:
        address = ipaddress.ip_network(candidate)
        if not any(address.version == n.version and address.subnet_of(n)
                   for n in networks):
            return [candidate]
    return []


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Principals.

def _member(policies) -> str:
    """A sub-user of the first account a resource names."""
    account = _first_account(policies)
    return f"qcs::cam::uin/{account}:uin/{int(account) + 1}"


def _principals(policies, member: str) -> tuple[str, ...]:
    """The member, and with principals in play, those and an outsider."""
    named = _named_principals(policies)
    if not named:
        return (member,)
    outsider = f"qcs::cam::uin/{OTHER_ACCOUNT}:uin/{OTHER_ACCOUNT}0"
    return tuple(dict.fromkeys([*named, member, outsider]))


def _named_principals(policies) -> list[str]:
    named = []
    for policy in policies:
        for statement in policy.statements:
            principal = statement.principal or policy.principal
            if principal is None:
                continue
            for element, value in principal:
                if element == "federated":
                    continue
                text = value.replace("*", OTHER_ACCOUNT)
                try:
                    Caller.parse(text)
                except RequestError:
                    continue
                named.append(text)
    return named


def _first_account(policies) -> str:
    for policy in policies:
        for statement in policy.statements:
            for text in statement.resources:
                found = _UIN.search(text)
                if found:
                    return found.group(1)
    return DEFAULT_ACCOUNT


def _default_catalog():
    from scflab.catalog import default_catalog

    return default_catalog()
