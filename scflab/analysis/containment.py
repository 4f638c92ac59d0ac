"""Whether one pattern covers everything another covers.

CAM patterns have a single wildcard, `*`, matching any run of characters.
For such patterns, `outer` covers every text `inner` covers exactly when
`outer`, read as a pattern, matches `inner` read as plain text: each `*` of
`inner` is then a character that only a `*` of `outer` can absorb. (Replace
every `*` of `inner` by a character `outer` never names: if `outer` matches
that text, its `*`s absorbed those characters, so they absorb any run.)

The answers are exact for action and resource-segment patterns. Two things
make them conservative, answering "not covered" where the truth may be
"covered": policy variables (`${uin}`) are compared as written, and an
empty account segment (the policy owner's account) covers only itself.
"""

from __future__ import annotations

from scflab.errors import InvalidValue
from scflab.language.actions import ActionPattern
from scflab.language.model import Statement
from scflab.language.resources import ResourceName
from scflab.language.wildcard import matches

__all__ = ["pattern_covers", "action_covers", "resource_covers",
           "statement_covers"]


def pattern_covers(outer: str, inner: str, ignore_case: bool = False
                   ) -> bool:
    """Whether every text `inner` matches is matched by `outer`.

    >>> pattern_covers("scf:*", "scf:Get*")
    True
    >>> pattern_covers("scf:Get*", "scf:*")
    False
    """
    return matches(outer, inner, ignore_case)


def action_covers(outer: str, inner: str) -> bool:
    """Whether action pattern `outer` covers every action `inner` covers.

    Case is ignored and `name/` dropped, as in matching.
    """
    return pattern_covers(_action_text(outer), _action_text(inner), True)


def resource_covers(outer: str, inner: str) -> bool:
    """Whether resource pattern `outer` covers every resource of `inner`.

    An empty service or region segment stands for every value; the project
    segment takes no part, as in matching.
    """
    if outer == "*":
        return True
    if inner == "*":
        return False
    try:
        big, small = ResourceName.parse(outer), ResourceName.parse(inner)
    except InvalidValue:
        return False
    return (_segment_covers(big.service, small.service, True)
            and _segment_covers(big.canonical_region,
                                small.canonical_region)
            and _account_covers(big.account, small.account)
            and pattern_covers(big.resource, small.resource))


def statement_covers(outer: Statement, inner: Statement, action: str,
                     resource: str) -> bool:
    """Whether `outer` applies to every request `inner` does, for the
    requests of `inner` under one of its action patterns and one of its
    resource patterns.

    `outer` must name the same principal, lay no condition `inner` does not
    also lay, cover `action` and cover `resource`. A `*` resource of `inner`
    is covered only by a `*` of `outer`, since only `*` grants
    operation-level actions.
    """
    if outer.principal != inner.principal:
        return False
    if not set(outer.conditions) <= set(inner.conditions):
        return False
    if not any(action_covers(a, action) for a in outer.actions):
        return False
    if resource == "*":
        return "*" in outer.resources
    return any(resource_covers(r, resource) for r in outer.resources)


def _action_text(action: str) -> str:
    try:
        pattern = ActionPattern.parse(action)
    except InvalidValue:
        return action
    if pattern.service == "*" and pattern.name == "*":
        return "*"
    return f"{pattern.service}:{pattern.name}"


def _segment_covers(outer: str, inner: str, ignore_case: bool = False
                    ) -> bool:
    """Empty means every value, so it covers all and is covered by `*`."""
    if not outer:
        return True
    return pattern_covers(outer, inner or "*", ignore_case)


def _account_covers(outer: str, inner: str) -> bool:
    if not outer:
        return not inner
    return bool(inner) and pattern_covers(outer, inner)
