"""Policies compiled once, for deciding many requests quickly.

`compile_policies` turns a list of policies into a `PolicySet`; its
`decide` gives the outcome of one request and the statements that decided
it, exactly as `scflab.evaluate` would, but builds no explanation.

Compiling does the work that does not depend on the request:

- every statement gets the evaluator's own matcher
  (`scflab.evaluation.matching`), so actions and resources are matched by
  the very code that explains decisions;
- the statements go into an index by action: exact names in a dict,
  wildcard names under their service, `*` in a list of its own; the
  statements one action reaches are looked up once and kept, split into
  deny and allow, and for an operation-level action narrowed to those whose
  resource is `*`;
- what a statement's resources cover is remembered per request resource
  (and per owner account, where an empty account segment makes it depend
  on the caller);
- condition values are read once, and request values (an IP address) once
  per distinct value.

Operators other than the string and IP ones, and condition values with
policy variables, are decided by `check_condition` itself. Compiled policies
are cached: by identity, then by equality.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping

from scflab.errors import InvalidValue
from scflab.evaluation.decision import Outcome
from scflab.evaluation.evaluator import ROOT_REF
from scflab.evaluation.matching import (
    StatementMatcher, action_key, policy_matchers, resource_level)
from scflab.evaluation.principals import admits
from scflab.evaluation.request import Caller, CallerKind
from scflab.language.actions import ActionPattern
from scflab.language.conditions import check_condition, context_values
from scflab.language.model import Condition, Effect, Policy, Principal
from scflab.language.operators import NEGATED, OPERATORS, coerce
from scflab.language.resources import ResourceName
from scflab.language.wildcard import compile_pattern

__all__ = ["PolicySet", "CompiledPolicy", "CallerFacts", "Target",
           "compile_policies", "compile_policy", "facts_of", "target_of"]

ALLOW = Outcome.ALLOW.value
EXPLICIT_DENY = Outcome.EXPLICIT_DENY.value
IMPLICIT_DENY = Outcome.IMPLICIT_DENY.value

#: The reason given when a root account acts on what it owns.
ROOT_REASON = str(ROOT_REF)

#: The caches of parsed request values start again from empty when they
#: reach this many entries.
_CACHE_LIMIT = 1 << 17

Result = tuple[str, str]


# The request side: resources and callers, read once per distinct value.

class Target:
    """A request resource, parsed; compared by identity, so cheaply.

    `covered` remembers, for the statements that can, whether their
    resources cover this one: kept here, the answers for one request sit
    together.
    """

    __slots__ = ("name", "covered")

    def __init__(self, name: ResourceName):
        self.name = name
        self.covered: dict[CompiledStatement, bool] = {}


_targets: dict[str, Target] = {}


def target_of(resource: str | ResourceName) -> Target:
    """The `Target` of a request resource; raise `InvalidValue` if the
    text is not a resource name."""
    text = resource if isinstance(resource, str) else str(resource)
    target = _targets.get(text)
    if target is None:
        if len(_targets) >= _CACHE_LIMIT:
            _targets.clear()
        target = _targets[text] = Target(ResourceName.parse(text))
    return target


class CallerFacts:
    """What statements ask of a caller, worked out once per caller."""

    __slots__ = ("caller", "variables", "variables_key", "owner_accounts",
                 "root", "_admitted")

    def __init__(self, caller: Caller):
        self.caller = caller
        self.variables = caller.variables
        self.variables_key = tuple(sorted(self.variables.items()))
        self.owner_accounts = caller.accounts
        self.root = caller.kind is CallerKind.ROOT
        self._admitted: dict[Principal, bool] = {}

    def admitted_by(self, principal: Principal) -> bool:
        """Whether a statement's `principal` names this caller."""
        known = self._admitted.get(principal)
        if known is None:
            known = self._admitted[principal] = admits(principal,
                                                       self.caller)
        return known


_callers: dict[Caller, CallerFacts] = {}


def facts_of(caller: Caller) -> CallerFacts:
    """The `CallerFacts` of `caller`, made once per distinct caller."""
    facts = _callers.get(caller)
    if facts is None:
        if len(_callers) >= _CACHE_LIMIT:
            _callers.clear()
        facts = _callers[caller] = CallerFacts(caller)
    return facts


# Conditions: each becomes a function of (context, caller) giving True
# (met), False (not met) or None (not evaluated).

ConditionTest = Callable[[Mapping[str, Any], "CallerFacts"], "bool | None"]

_UNREADABLE = object()

#: Request values already read, by value type; only text is kept, since
#: `1`, `1.0` and `True` are equal keys yet read differently.
_readings: dict[str, dict[str, Any]] = {"string": {}, "ip": {}}


def _remembered(value_type: str, value):
    """A request value read as `value_type` (`_UNREADABLE` if it is not
    one), remembered when it is text."""
    if type(value) is not str:
        return _read(value_type, value)
    seen = _readings[value_type]
    if len(seen) >= _CACHE_LIMIT:
        seen.clear()
    known = seen[value] = _read(value_type, value)
    return known


def _read(value_type: str, value):
    if value_type == "ip" and type(value) is str \
            and _DOTTED.fullmatch(value):
        a, b, c, d = map(int, value.split("."))
        number = (a << 24) | (b << 16) | (c << 8) | d
        return 4, number, number
    try:
        read = coerce(value_type, value)
    except InvalidValue:
        return _UNREADABLE
    if value_type == "ip":
        return _span(read)
    return read


#: A plain IPv4 address, read without `ipaddress`; anything else (a block,
#: IPv6, leading zeros, spaces) is left to `coerce`.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def _span(network) -> tuple[int, int, int]:
    """An IP network as (version, first address, last address)."""
    return (network.version, int(network.network_address),
            int(network.broadcast_address))


def _ip_test(expected: list) -> Callable[[Any], bool]:
    spans = [_span(network) for network in expected]

    def within(value) -> bool:
        version, first, last = value
        for outer in spans:
            if version == outer[0] and outer[1] <= first \
                    and last <= outer[2]:
                return True
        return False

    return within


def _string_test(expected: list) -> Callable[[Any], bool]:
    return frozenset(expected).__contains__


def _folded_test(expected: list) -> Callable[[Any], bool]:
    folded = frozenset(value.casefold() for value in expected)
    return lambda value: value.casefold() in folded


def _like_test(expected: list) -> Callable[[Any], bool]:
    matchers = [compile_pattern(pattern) for pattern in expected]
    return lambda value: any(match(value) for match in matchers)


#: The operators with a fast form, and how each builds its test of one
#: request value against the policy's values.
_FAST = {
    "string_equal": ("string", _string_test),
    "string_not_equal": ("string", _string_test),
    "string_equal_ignore_case": ("string", _folded_test),
    "string_not_equal_ignore_case": ("string", _folded_test),
    "string_like": ("string", _like_test),
    "ip_equal": ("ip", _ip_test),
    "ip_not_equal": ("ip", _ip_test),
}


def _compile_condition(condition: Condition) -> ConditionTest:
    fast = _FAST.get(condition.base)
    if fast is None or _has_variables(condition.values) \
            or OPERATORS.get(condition.base) is None:
        return _general(condition)
    value_type, build = fast
    try:
        test = build([coerce(value_type, v) for v in condition.values])
    except InvalidValue:
        test = None
    return _fast_condition(condition, value_type, test)


def _has_variables(values) -> bool:
    return any(isinstance(v, str) and "${" in v for v in values)


def _general(condition: Condition) -> ConditionTest:
    def test(context, facts):
        return check_condition(condition, context, facts.variables).met
    return test


def _fast_condition(condition: Condition, value_type: str, test
                    ) -> ConditionTest:
    """The condition as `check_condition` decides it, reading each request
    value once: `test` compares one read value with the policy's values
    (None when those cannot be read)."""
    key = condition.key
    if_exist = condition.if_exist
    negated = condition.base in NEGATED
    every = condition.qualifier == "for_all_value"
    seen = _readings[value_type]

    def read(value):
        if type(value) is str:
            known = seen.get(value)
            if known is not None:
                return known
        return _remembered(value_type, value)

    def check(context, facts):
        value = context.get(key)
        if value is None:
            return if_exist
        if type(value) is str:  # the usual case: one value, read before
            if test is None:
                return None
            value = seen.get(value) or _remembered(value_type, value)
            if value is _UNREADABLE:
                return None
            return test(value) is not negated
        actual = context_values(context, key)
        if not actual:
            return if_exist
        if test is None:
            return None
        values = [read(item) for item in actual]
        if any(value is _UNREADABLE for value in values):
            return None
        results = [test(value) is not negated for value in values]
        return all(results) if every else any(results)

    return check


# Statements.

#: How a statement is checked once the index has chosen it: it always
#: applies; what it covers is remembered per request resource; or `check`.
ALWAYS, REMEMBERED, CHECKED = 0, 1, 2


class CompiledStatement:
    """One statement, ready to be checked against many requests."""

    __slots__ = ("matcher", "ref", "deny", "principal", "any_resource",
                 "conditions", "kind", "_remembers", "_by_owner")

    def __init__(self, matcher: StatementMatcher, ref: str,
                 principal: Principal | None = None):
        statement = matcher.statement
        self.matcher = matcher
        self.ref = ref
        self.deny = statement.effect is Effect.DENY
        self.principal = statement.principal or principal
        self.any_resource = matcher.any_resource
        self.conditions = tuple(
            _compile_condition(c) for c in statement.conditions)
        # What the resources cover is remembered by each request resource
        # (`Target.covered`); per owner account too when an empty account
        # segment stands for the caller's root; never when a policy
        # variable is involved.
        parsed = [name for _, name in matcher.resources]
        self._by_owner = not all(name.account or name.is_everything
                                 for name in parsed if name is not None)
        self._remembers = None not in parsed
        self.kind = self._kind()

    def _kind(self) -> int:
        if self.principal is not None or self.conditions:
            return CHECKED
        if self.any_resource:
            return ALWAYS
        if not self._remembers or self._by_owner:
            return CHECKED
        return REMEMBERED

    @property
    def entry(self) -> tuple:
        """What the index keeps: `(kind, name, statement)`."""
        return self.kind, self.ref, self

    def check(self, target: Target, facts: CallerFacts,
              context: Mapping[str, Any]) -> bool | None:
        """True if it applies, False if not, None if not evaluated.

        The action is known to match: the index chose this statement.
        """
        if self.principal is not None \
                and not facts.admitted_by(self.principal):
            return False
        if not self.any_resource:
            covered = self.covers(target, facts)
            if covered is not True:
                return covered
        verdict = True
        for test in self.conditions:
            met = test(context, facts)
            if met is False:
                return False
            if met is None:
                verdict = None
        return verdict

    def covers(self, target: Target, facts: CallerFacts) -> bool | None:
        """Whether the resources cover the target (None: not evaluated)."""
        if not self._remembers:
            return self.matcher.covers_resource(
                target.name, facts.owner_accounts, facts.variables)
        key = (self, facts.owner_accounts) if self._by_owner else self
        remembered = target.covered
        known = remembered.get(key)
        if known is None:
            if len(remembered) >= _CACHE_LIMIT:
                remembered.clear()
            known = remembered[key] = self.matcher.covers_resource(
                target.name, facts.owner_accounts, facts.variables)
        return known


# Policies and the action index.

class CompiledPolicy:
    """A policy's statements, indexed by the actions they name."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.statements = tuple(
            CompiledStatement(matcher, str(ref), policy.principal)
            for ref, matcher in policy_matchers(policy))
        self._exact: dict[str, list[int]] = {}
        self._wild: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        for position, statement in enumerate(self.statements):
            self._index(statement.matcher, position)
        self._lookups: dict[str, tuple[tuple, tuple]] = {}

    def _index(self, matcher: StatementMatcher, position: int) -> None:
        if matcher.any_action:
            self._everywhere.append(position)
            return
        for key in matcher.exact_actions:
            self._exact.setdefault(key, []).append(position)
        for service in _wildcard_services(matcher.statement.actions):
            self._wild.setdefault(service, []).append(position)

    def reached_by(self, action: str) -> tuple[tuple, tuple]:
        """The deny and the allow statements that may apply to `action`,
        in order, as `CompiledStatement.entry`s: those whose actions cover
        it, and for an operation-level action only those whose resource is
        `*`."""
        found = self._lookups.get(action)
        if found is None:
            reached = [self.statements[i]
                       for i in sorted(self._find(action_key(action)))]
            if not resource_level(action):
                reached = [s for s in reached if s.any_resource]
            found = (tuple(s.entry for s in reached if s.deny),
                     tuple(s.entry for s in reached if not s.deny))
            self._lookups[action] = found
        return found

    def _find(self, key: str) -> set[int]:
        found = set(self._exact.get(key, ()))
        found.update(self._everywhere)
        service = key.partition(":")[0]
        for position in self._wild.get(service, []) + self._wild.get(
                "*", []):
            if self.statements[position].matcher.matches_action(key):
                found.add(position)
        return found


def _wildcard_services(entries: tuple[str, ...]) -> set[str]:
    """The services of the entries with a `*` in their name; `*` for an
    entry such as `*:List*`, which may match any service."""
    services = set()
    for text in entries:
        try:
            pattern = ActionPattern.parse(text)
        except InvalidValue:
            continue  # a malformed entry covers nothing
        if not pattern.everything and "*" in pattern.text:
            services.add(pattern.service)
    return services


_by_identity: dict[int, tuple[Policy, CompiledPolicy]] = {}
_by_value: dict[Policy, CompiledPolicy] = {}
_POLICY_LIMIT = 8192


def compile_policy(policy: Policy) -> CompiledPolicy:
    """The compiled form of `policy`, made once and then reused."""
    known = _by_identity.get(id(policy))
    if known is not None and known[0] is policy:
        return known[1]
    compiled = _by_value.get(policy)
    if compiled is None:
        compiled = CompiledPolicy(policy)
        _remember(_by_value, policy, compiled)
    _remember(_by_identity, id(policy), (policy, compiled))
    return compiled


def _remember(cache: dict, key, value) -> None:
    if len(cache) >= _POLICY_LIMIT:
        del cache[next(iter(cache))]
    cache[key] = value


# Policy sets: what one caller is subject to.

class PolicySet:
    """Every policy that applies to a caller, ready to decide requests."""

    def __init__(self, policies: Iterable[Policy]):
        self.policies = tuple(policies)
        self._compiled = tuple(compile_policy(p) for p in self.policies)
        self._reach: dict[str, tuple[tuple, tuple]] = {}

    def candidates(self, action: str) -> tuple[tuple, tuple]:
        """The deny and the allow statements that may apply to `action`,
        in order (see `CompiledPolicy.reached_by`)."""
        found = self._reach.get(action)
        if found is None:
            denies, allows = (), ()
            for policy in self._compiled:
                more_denies, more_allows = policy.reached_by(action)
                denies += more_denies
                allows += more_allows
            found = self._reach[action] = denies, allows
        return found

    def decide(self, action: str, target: Target, facts: CallerFacts,
               context: Mapping[str, Any]) -> Result:
        """`(outcome, reasons)` for one request: the reasons are the
        deciding statements as `evaluate` names them, joined by `", "`,
        empty for an implicit deny."""
        if facts.root and facts.caller.owns(target.name):
            return ALLOW, ROOT_REASON
        denies, allows = self._reach.get(action) or self.candidates(action)
        blocked = False
        applying = []
        # The quick checks are written out in both loops rather than
        # called: this runs for every request, and a call would cost more
        # than the check itself.
        covered = target.covered
        for kind, name, statement in denies:
            if kind == REMEMBERED:
                verdict = covered.get(statement)
                if verdict is None:
                    verdict = statement.covers(target, facts)
            elif kind == ALWAYS:
                verdict = True
            else:
                verdict = statement.check(target, facts, context)
            if verdict:
                applying.append(name)
            elif verdict is None:
                blocked = True
        if applying:
            return EXPLICIT_DENY, ", ".join(applying)
        for kind, name, statement in allows:
            if kind == REMEMBERED:
                verdict = covered.get(statement)
                if verdict is None:
                    verdict = statement.covers(target, facts)
            elif kind == ALWAYS:
                verdict = True
            else:
                verdict = statement.check(target, facts, context)
            if verdict:
                applying.append(name)
        if not applying or blocked:
            return IMPLICIT_DENY, ""
        return ALLOW, ", ".join(applying)


_sets: dict[tuple[int, ...], PolicySet] = {}


def compile_policies(policies: Iterable[Policy] | Policy) -> PolicySet:
    """A `PolicySet` for `policies`, reused while the same objects are given.

    >>> from scflab import parse_policy, Request
    >>> policy = parse_policy('{"version": "2.0", "statement": [{"effect":'
    ...     ' "allow", "action": "scf:List*", "resource": "*"}]}')
    >>> policies = compile_policies([policy])
    >>> caller = facts_of(Request("scf:ListFunctions").caller)
    >>> policies.decide("scf:ListFunctions", target_of("*"), caller, {})
    ('allow', '(unnamed)/statement/0')
    """
    if isinstance(policies, Policy):
        policies = (policies,)
    policies = tuple(policies)
    key = tuple(map(id, policies))
    known = _sets.get(key)
    if known is None or any(a is not b for a, b in
                            zip(known.policies, policies)):
        known = PolicySet(policies)
        _remember(_sets, key, known)
    return known
