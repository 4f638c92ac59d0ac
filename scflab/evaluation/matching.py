"""Statements prepared for matching: done once, reused for every request.

Action patterns become a set of exact names plus a few wildcard matchers,
all on lowercased text (action names match without regard to case); resource
patterns are parsed once. Each matcher also remembers its answers for the
actions and resources it has seen (a bounded memo), since logs and grids ask
the same questions many times. The explaining evaluator matches through this
form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from scflab.errors import InvalidValue
from scflab.language.actions import ActionPattern
from scflab.evaluation.decision import StatementRef
from scflab.language.model import Policy, Statement
from scflab.language.resources import ResourceName, substitute
from scflab.language.wildcard import compile_pattern

__all__ = ["StatementMatcher", "PolicyMatchers", "matcher_for",
           "policy_matchers", "action_key", "parse_pattern",
           "resource_level"]

_CACHE_LIMIT = 100_000
_SEEN_LIMIT = 4096
_UNSEEN = object()


def action_key(action: str) -> str:
    """The form actions are compared in: `scf:listfunctions`."""
    if action.startswith("name/"):
        action = action[5:]
    return action.lower()


@dataclass(frozen=True, slots=True)
class StatementMatcher:
    """A statement's action and resource patterns, ready to match."""

    statement: Statement
    any_action: bool
    exact_actions: frozenset[str]
    action_globs: tuple[Callable[[str], bool], ...]
    any_resource: bool
    resources: tuple[tuple[str, ResourceName | None], ...]
    variable_resources: bool = False
    seen: dict = field(default_factory=dict, compare=False, repr=False)

    def matches_action(self, key: str) -> bool:
        """Whether an action in `action_key` form is covered."""
        if self.any_action or key in self.exact_actions:
            return True
        if not self.action_globs:
            return False
        covered = self.seen.get(key)
        if covered is None:
            covered = any(glob(key) for glob in self.action_globs)
            self._remember(key, covered)
        return covered

    def covers_resource(self, resource: ResourceName,
                        owner_accounts: tuple[str, ...] | None,
                        variables: dict[str, str]) -> bool | None:
        """Whether a resource pattern covers `resource`.

        None when no pattern covers it and one of them uses a policy
        variable the caller gives no value for.
        """
        if self.any_resource:
            return True
        if self.variable_resources:
            key = (resource, owner_accounts, tuple(variables.values()))
        else:
            key = (resource, owner_accounts)
        covered = self.seen.get(key, _UNSEEN)
        if covered is _UNSEEN:
            covered = self._covers(resource, owner_accounts, variables)
            self._remember(key, covered)
        return covered

    def _remember(self, key, covered: bool | None) -> None:
        if len(self.seen) >= _SEEN_LIMIT:
            self.seen.clear()
        self.seen[key] = covered

    def _covers(self, resource, owner_accounts, variables) -> bool | None:
        unresolved = False
        for text, parsed in self.resources:
            if parsed is None:
                filled = substitute(text, variables)
                if filled is None:
                    unresolved = True
                    continue
                parsed = parse_pattern(filled)
            if parsed.covers(resource, owner_accounts):
                return True
        return None if unresolved else False


def matcher_for(statement: Statement) -> StatementMatcher:
    """The matcher of `statement`, built on first use and kept."""
    entry = _matchers.get(id(statement))
    if entry is not None and entry.statement is statement:
        return entry
    if len(_matchers) >= _CACHE_LIMIT:
        _matchers.clear()
    entry = _build(statement)
    _matchers[id(statement)] = entry
    return entry


_matchers: dict[int, StatementMatcher] = {}


class PolicyMatchers(tuple):
    """Each statement of one policy as `(StatementRef, StatementMatcher)`.

    `candidates(key)` gives the positions of the statements whose actions
    cover an action, remembered per action: a request only needs to look
    closely at those.
    """

    def __new__(cls, pairs):
        self = super().__new__(cls, pairs)
        self._candidates: dict[str, tuple[int, ...]] = {}
        return self

    def candidates(self, key: str) -> tuple[int, ...]:
        """Positions of the statements whose actions cover `key`."""
        found = self._candidates.get(key)
        if found is None:
            found = tuple(index for index, (_, matcher) in enumerate(self)
                          if matcher.matches_action(key))
            if len(self._candidates) >= _SEEN_LIMIT:
                self._candidates.clear()
            self._candidates[key] = found
        return found


def policy_matchers(policy: Policy) -> PolicyMatchers:
    """The matchers of `policy`'s statements, built on first use and kept."""
    entry = _policies.get(id(policy))
    if entry is not None and entry[0] is policy:
        return entry[1]
    if len(_policies) >= _CACHE_LIMIT:
        _policies.clear()
    matchers = PolicyMatchers(
        (StatementRef(policy.label, index, statement.effect),
         matcher_for(statement))
        for index, statement in enumerate(policy.statements))
    _policies[id(policy)] = (policy, matchers)
    return matchers


_policies: dict[int, tuple[Policy, PolicyMatchers]] = {}


def _build(statement: Statement) -> StatementMatcher:
    exact, globs, any_action = set(), [], False
    for text in statement.actions:
        pattern = _action_pattern(text)
        if pattern is None:
            continue
        if pattern.everything:
            any_action = True
        elif "*" in pattern.text:
            globs.append(compile_pattern(pattern.text.lower()))
        else:
            exact.add(pattern.text.lower())
    resources = tuple(
        (text, None if "${" in text else parse_pattern(text))
        for text in statement.resources)
    return StatementMatcher(statement, any_action, frozenset(exact),
                            tuple(globs), "*" in statement.resources,
                            resources, any(p is None for _, p in resources))


def _action_pattern(text: str) -> ActionPattern | None:
    try:
        return ActionPattern.parse(text)
    except InvalidValue:
        return None  # a malformed action covers nothing


@lru_cache(maxsize=65536)
def parse_pattern(text: str) -> ResourceName:
    """A policy's resource pattern, parsed; malformed ones cover nothing."""
    try:
        return ResourceName.parse(text)
    except InvalidValue:
        return _NOTHING


_NOTHING = ResourceName("", "", "", "", "")


@lru_cache(maxsize=4096)
def resource_level(action: str) -> bool:
    """Whether `action` can be scoped to a resource; unknown actions can."""
    from scflab.catalog import default_catalog

    info = default_catalog().get(action)
    return True if info is None else info.resource_level
