"""Deciding many requests at once: `evaluate_many`.

Every answer is the one `scflab.evaluate` gives, outcome and deciding
statements alike; only the explanation is left out. Policies are compiled
once (see `scflab.evaluation.compiled`) and reused by later calls.

    >>> import scflab
    >>> policy = scflab.parse_policy(
    ...     '{"version": "2.0", "statement": [{"effect": "allow",'
    ...     ' "action": "scf:List*", "resource": "*"}]}', name="list")
    >>> requests = [scflab.Request("scf:ListFunctions"),
    ...             scflab.Request("scf:DeleteFunction")]
    >>> decisions = scflab.evaluate_many(requests, [policy])
    >>> decisions.to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'outcome': 'allow', 'reason': 'list/statement/0'},
     {'outcome': 'implicit_deny', 'reason': ''}]

pandas is imported here, on the first call, never by `import scflab`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scflab.errors import InvalidValue
from scflab.evaluation.compiled import (
    CallerFacts, PolicySet, Target, compile_policies, facts_of, target_of)
from scflab.evaluation.request import Caller, Request, RequestError
from scflab.language.model import Policy

if TYPE_CHECKING:
    import pandas

__all__ = ["evaluate_many", "REQUEST_COLUMNS"]

#: The columns of a request table that are not context keys.
REQUEST_COLUMNS = ("action", "resource", "principal")

Policies = Iterable[Policy] | Mapping[Any, Iterable[Policy]]

_NO_CONTEXT: Mapping[str, Any] = {}


def evaluate_many(requests: Iterable[Request] | pandas.DataFrame,
                  policies: Policies) -> pandas.DataFrame:
    """Decide every request; one row per request, in the order given.

    `requests` is an iterable of `Request`s, or a DataFrame with an
    `action` column, optional `resource` (default `*`) and `principal`
    columns, and one column per context key (`qcs:ip` …) in which a missing
    value (None, NaN) means the key is absent.

    `policies` is the list of policies every request is subject to, or a
    mapping from principal string to that principal's list. A request's
    principal is looked up as written (a `Caller` or identity by its
    `principal` string); a principal the mapping lacks has no policies.

    The result has the columns `outcome` (`allow`, `explicit_deny`,
    `implicit_deny`) and `reason`: the deciding statements as `evaluate`
    names them, joined by `", "`, empty for an implicit deny. A DataFrame's
    index is kept. A row scflab cannot read raises `RequestError` naming
    the row.
    """
    import pandas

    if isinstance(requests, pandas.DataFrame):
        batch = _from_frame(requests)
        index = requests.index
    else:
        batch = _from_requests(requests)
        index = None
    outcomes, reasons = _decide(batch, policies)
    return pandas.DataFrame({"outcome": outcomes, "reason": reasons},
                            index=index, dtype=object)


class _Batch:
    """Requests as parallel columns: action, target, the key their
    policies are found under, caller facts, context."""

    def __init__(self, actions, targets, keys, facts, contexts):
        self.actions = actions
        self.targets = targets
        self.keys = keys
        self.facts = facts
        self.contexts = contexts


def _from_requests(requests: Iterable[Request]) -> _Batch:
    actions, targets, keys, facts, contexts = [], [], [], [], []
    for request in requests:
        caller = request.caller
        principal = request.principal
        actions.append(request.action)
        targets.append(target_of(request.resource_name))
        keys.append(_key(principal, caller))
        facts.append(facts_of(caller))
        contexts.append(request.context)
    return _Batch(actions, targets, keys, facts, contexts)


def _from_frame(frame: pandas.DataFrame) -> _Batch:
    if "action" not in frame.columns:
        raise RequestError("the request table has no `action` column; "
                           f"its columns are {list(frame.columns)}")
    rows = len(frame)
    actions = frame["action"].tolist()
    resources = _column(frame, "resource", rows, "*")
    principals = _column(frame, "principal", rows, None)
    _check_actions(actions)
    targets = _read(resources, _target, actions, principals)
    facts = _read(principals, _facts, actions, principals)
    keys = [c for c in frame.columns if c not in REQUEST_COLUMNS]
    return _Batch(actions, targets,
                  _keys(principals, facts), facts, _contexts(frame, keys))


def _keys(principals: list, facts: list[CallerFacts]) -> list:
    if all(p is None or type(p) is str for p in _distinct(principals)):
        return principals
    return [_key(p, f.caller) for p, f in zip(principals, facts)]


def _key(principal, caller: Caller):
    """What a request's policies are found under in a mapping: the
    principal as written, or for a `Caller` or identity its string."""
    if principal is None or isinstance(principal, str):
        return principal
    return caller.principal


def _column(frame, name, rows: int, default) -> list:
    """A column's cells, `default` where one is missing (None, NaN)."""
    import pandas

    if name not in frame.columns:
        return [default] * rows
    values = frame[name].tolist()
    if pandas.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    missing = frame[name].isna().tolist()
    return [default if gone else value
            for value, gone in zip(values, missing)]


_valid_actions: set[str] = set()


def _check_actions(actions: list) -> None:
    for action in _distinct(actions):
        if isinstance(action, str) and action in _valid_actions:
            continue
        try:
            Request(action)
        except RequestError as problem:
            raise _at_row(actions.index(action), problem) from None
        _valid_actions.add(action)


def _read(values: list, reader, actions: list, principals: list) -> list:
    """`reader` applied to each distinct value once, spread over the rows.

    A value `Request` refuses raises its `RequestError`, with the row.
    """
    read = {}
    for value in _distinct(values):
        try:
            read[value] = reader(value)
        except (RequestError, InvalidValue):
            row = values.index(value)
            try:  # for the very words `Request` would use
                Request(actions[row], value if reader is _target else "*",
                        principals[row])
            except RequestError as problem:
                raise _at_row(row, problem) from None
            raise
    return [read[value] for value in values]


def _distinct(values: list) -> list:
    try:
        return list(dict.fromkeys(values))
    except TypeError:  # unhashable cells: let `Request` name the problem
        return values


def _target(resource) -> Target:
    return target_of(str(resource))


_principals: dict[Any, CallerFacts] = {}


def _facts(principal) -> CallerFacts:
    if principal is not None and not isinstance(principal, str):
        return facts_of(Caller.of(principal))
    facts = _principals.get(principal)
    if facts is None:
        if len(_principals) >= 1 << 16:
            _principals.clear()
        facts = _principals[principal] = facts_of(Caller.of(principal))
    return facts


def _at_row(row: int, problem: Exception) -> RequestError:
    return RequestError(f"row {row}: {problem}")


class _Row(Mapping):
    """The context of one row of a request table, moved along the rows.

    A missing cell reads as None, which a context treats as an absent key.
    """

    __slots__ = ("row", "_columns")

    def __init__(self, columns: dict[str, list]):
        self.row = 0
        self._columns = columns

    def get(self, key, default=None):
        column = self._columns.get(key)
        value = None if column is None else column[self.row]
        return default if value is None else value

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self):
        return (key for key, column in self._columns.items()
                if column[self.row] is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _contexts(frame, keys: list) -> Iterable[Mapping[str, Any]]:
    """Each row's context, as one `_Row` moved from row to row."""
    count = len(frame)
    if not keys:
        return itertools.repeat(_NO_CONTEXT, count)
    columns = {str(key): _column(frame, key, count, None) for key in keys}
    return _rows(_Row(columns), count)


def _rows(context: _Row, count: int) -> Iterator[_Row]:
    for row in range(count):
        context.row = row
        yield context


def _policy_sets(policies: Policies, keys: list) -> list[PolicySet]:
    """Each row's compiled `PolicySet`."""
    if isinstance(policies, Policy):
        policies = [policies]
    if not isinstance(policies, Mapping):
        return [compile_policies(policies)] * len(keys)
    empty = compile_policies(())
    sets = {}
    for key in _distinct(keys):
        listed = policies.get(key)
        sets[key] = empty if listed is None else compile_policies(listed)
    return [sets[key] for key in keys]


def _decide(batch: _Batch, policies: Policies
            ) -> tuple[list[str], list[str]]:
    answers = [policy_set.decide(action, target, facts, context)
               for policy_set, action, target, facts, context in zip(
                   _policy_sets(policies, batch.keys), batch.actions,
                   batch.targets, batch.facts, batch.contexts)]
    return [a[0] for a in answers], [a[1] for a in answers]
