"""The smallest policy that allows what a request log shows was allowed.

`least_privilege(log)` reads the allowed requests of a log and writes one
allow statement per set of resources, listing the actions used on exactly
those resources. Actions are merged into a wildcard (`scf:Get*`) only when
every catalog action the wildcard covers is already in the statement, so
the wildcard adds no action the catalog knows.

What "exactly" means: over the log's universe, every distinct action of the
log paired with every distinct resource of the log, the policy allows a
pair when, and only when, the log shows it allowed, with two exceptions the
language forces:

- an operation-level action is granted with `"resource": "*"`, so once
  allowed anywhere it is allowed on every resource;
- a request whose resource is `*` is granted with `*`, likewise.

`least_privilege_gaps(policy, log)` checks exactly that and lists every
pair where the policy and the log disagree.

Known limits: conditions are not inferred (a request denied only for its
source IP becomes allowed once the same action and resource is); callers
are not told apart, so filter the log by caller first to get one
identity's policy; a wildcard may cover actions newer than the catalog;
and a large log can give a policy over CAM's 6,144-character limit, which
the result does not check (measure `len(policy.to_json(indent=None))`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from scflab.evaluation.decision import Outcome
from scflab.evaluation.request import Request
from scflab.language.actions import normalise_action
from scflab.language.model import Effect, Policy, PolicyKind, Statement
from scflab.language.wildcard import matches

__all__ = ["least_privilege", "least_privilege_gaps"]

_ALLOW = Outcome.ALLOW.value
_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")

Pair = tuple[str, str]


def least_privilege(requests, *, name: str = "least-privilege",
                    catalog=None) -> Policy:
    """The smallest identity policy allowing the log's allowed requests.

    `requests` is a DataFrame with `action` and `resource` columns (such
    as `scflab.request_log()`), or an iterable of `Request`s or
    `Decision`s. When an `outcome` is known (a column, or a decision's),
    only `allow` rows count; otherwise every request does. A row whose
    action or resource is malformed raises `RequestError`. See the module
    text for what the result guarantees.
    """
    catalog = catalog or _default_catalog()
    allowed, _ = _read(requests, catalog)
    groups = _group(allowed, catalog)
    statements = tuple(
        Statement(Effect.ALLOW, _merge(actions, catalog), resources)
        for resources, actions in sorted(groups.items(), key=_group_order))
    return Policy(statements, PolicyKind.IDENTITY, name)


def least_privilege_gaps(policy: Policy, requests, *, catalog=None):
    """Pairs of the log's universe where `policy` and the log disagree.

    A pandas DataFrame with columns `action`, `resource`, `expected`
    (`allow` or `deny`, as the module text defines) and `outcome` (what
    `policy` decides for a caller with no other policy); empty when the
    policy is exact. Imports pandas.
    """
    import pandas

    from scflab.evaluation.batch import evaluate_many

    catalog = catalog or _default_catalog()
    allowed, seen = _read(requests, catalog)
    somewhere = {action for action, _ in allowed}
    pairs = list(_universe(seen))
    table = pandas.DataFrame(pairs, columns=["action", "resource"])
    table["expected"] = [
        "allow" if _expected(a, r, allowed, somewhere, catalog) else "deny"
        for a, r in pairs]
    table["outcome"] = evaluate_many(table[["action", "resource"]],
                                     [policy])["outcome"]
    wrong = (table["outcome"] == _ALLOW) != (table["expected"] == "allow")
    return table[wrong].reset_index(drop=True)


# Reading the log.

def _read(requests, catalog) -> tuple[set[Pair], set[Pair]]:
    """The allowed (action, resource) pairs, and every pair seen."""
    allowed: set[Pair] = set()
    seen: set[Pair] = set()
    for action, resource, outcome in _rows(requests):
        pair = (_action_name(action, catalog), str(resource))
        if pair not in seen:
            Request(*pair)  # raises RequestError for a malformed row
            seen.add(pair)
        if outcome is None or outcome == _ALLOW:
            allowed.add(pair)
    return allowed, seen


def _rows(requests) -> Iterable[tuple[str, str, str | None]]:
    columns = getattr(requests, "columns", None)
    if columns is not None:
        resources = requests["resource"] if "resource" in columns \
            else ["*"] * len(requests)
        outcomes = requests["outcome"] if "outcome" in columns \
            else [None] * len(requests)
        yield from zip(requests["action"], resources,
                       map(_outcome_text, outcomes))
        return
    for item in requests:
        request = getattr(item, "request", item)
        if not isinstance(request, Request):
            raise TypeError(f"expected requests or decisions, not "
                            f"`{type(item).__name__}`")
        outcome = getattr(item, "outcome", None)
        yield request.action, request.resource, _outcome_text(outcome)


def _outcome_text(outcome: Any) -> str | None:
    if outcome is None:
        return None
    return getattr(outcome, "value", str(outcome))


def _action_name(action: str, catalog) -> str:
    info = catalog.get(action)
    return info.qualified if info else normalise_action(action)


# Building statements.

def _group(allowed: set[Pair], catalog) -> dict[tuple, list[str]]:
    """Actions by the exact tuple of resources they were allowed on."""
    resources: dict[str, set[str]] = defaultdict(set)
    for action, resource in allowed:
        if resource == "*" or not _resource_level(action, catalog):
            resource = "*"
        resources[action].add(resource)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for action, found in resources.items():
        key = ("*",) if "*" in found else tuple(sorted(found))
        groups[key].append(action)
    return groups


def _group_order(item) -> tuple:
    resources, _ = item
    return resources != ("*",), resources


def _merge(actions: list[str], catalog) -> tuple[str, ...]:
    """The actions, with wildcards where they add no catalog action."""
    by_service: dict[str, set[str]] = defaultdict(set)
    for action in actions:
        by_service[action.partition(":")[0]].add(action)
    merged: list[str] = []
    for service in sorted(by_service):
        merged += _merge_service(service, by_service[service], catalog)
    return tuple(merged)


def _merge_service(service: str, names: set[str], catalog) -> list[str]:
    known = {a.qualified for a in catalog.actions(service)}
    if known and known <= names:
        return [f"{service}:*"]
    patterns: list[str] = []
    for action in sorted(names):
        if not any(_covers(p, action) for p in patterns):
            patterns.append(_widest_prefix(action, names, catalog))
    return patterns


def _widest_prefix(action: str, names: set[str], catalog) -> str:
    """`scf:Get*` for `scf:GetAlias` when every `scf:Get…` is in `names`.

    Prefixes end at word boundaries of the API name; one qualifies when it
    covers at least two catalog actions, all of them in `names`.
    """
    service, _, api = action.partition(":")
    words = _WORD.findall(api)
    for count in range(1, len(words) + 1):
        pattern = f"{service}:{''.join(words[:count])}*"
        found = {a.qualified for a in catalog.expand(pattern)}
        if len(found) >= 2 and found <= names:
            return pattern
    return action


def _covers(pattern: str, action: str) -> bool:
    return matches(pattern, action, True)


# Checking a policy against the log.

def _universe(seen: set[Pair]) -> Iterable[Pair]:
    actions = sorted({a for a, _ in seen})
    resources = sorted({r for _, r in seen})
    return ((a, r) for a in actions for r in resources)


def _expected(action: str, resource: str, allowed: set[Pair],
              somewhere: set[str], catalog) -> bool:
    """Whether the log asks `policy` to allow the pair (module text)."""
    if (action, resource) in allowed or (action, "*") in allowed:
        return True
    return action in somewhere and not _resource_level(action, catalog)


def _resource_level(action: str, catalog) -> bool:
    info = catalog.get(action)
    return True if info is None else info.resource_level


def _default_catalog():
    from scflab.catalog import default_catalog

    return default_catalog()
