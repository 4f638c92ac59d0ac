"""Whether a condition holds for a request's context, and why.

The documented rules: the values listed for one key are alternatives (OR);
the keys under one operator and the operators of one statement must all hold
(AND); a key missing from the request fails its condition unless the
operator ends in `_if_exist`; `null_equal: true` holds exactly when the key
is missing. Keys are case-sensitive.

Where the documents are silent scflab chooses:
- a negated operator (`string_not_equal`, `ip_not_equal` …) with several
  values holds when the request value equals none of them;
- a request giving several values for a key without a qualifier is read as
  `for_any_value`;
- `for_all_value` holds when every request value matches; a missing key (or
  an empty list) fails it unless `_if_exist` is given.
A value scflab cannot read (a request IP that is not an address, a variable
with no value) makes the condition *not evaluated*, never met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from scflab.errors import InvalidValue
from scflab.language.model import Condition
from scflab.language.operators import NEGATED, OPERATORS, coerce
from scflab.language.resources import substitute
from scflab.language.wildcard import compile_pattern

__all__ = ["ConditionCheck", "check_condition", "context_values"]


@dataclass(frozen=True)
class ConditionCheck:
    """The outcome of one condition: `met` is True, False or None.

    None means scflab could not evaluate it; `problem` then says why. The
    sentence in `detail` is built only when read.
    """

    condition: Condition
    met: bool | None
    actual: tuple[Any, ...]
    problem: str | None = None

    @property
    def detail(self) -> str:
        """One sentence: the values compared and the verdict."""
        if self.problem is not None:
            return f"not evaluated: {self.problem}"
        if self.condition.base == "null_equal":
            return _describe_null(self.condition, self.actual, self.met)
        if not self.actual:
            return _describe_absent(self.condition, self.met)
        return _describe(self.condition, self.actual, self.met)


def context_values(context: Mapping[str, Any], key: str) -> tuple[Any, ...]:
    """The request's values for `key`, as a tuple; empty when absent."""
    value = context.get(key)
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)


def check_condition(condition: Condition, context: Mapping[str, Any],
                    variables: Mapping[str, str] | None = None
                    ) -> ConditionCheck:
    """Decide one condition against a request context."""
    actual = context_values(context, condition.key)
    if condition.base == "null_equal":
        return _check_null(condition, actual)
    if not actual:
        return ConditionCheck(condition, condition.if_exist, actual)
    try:
        expected = _policy_values(condition, variables or {})
        given = [_request_value(condition, value) for value in actual]
    except InvalidValue as problem:
        return ConditionCheck(condition, None, actual, problem.message)
    test = _comparison(condition.base, expected)
    results = [test(value) for value in given]
    met = all(results) if condition.qualifier == "for_all_value" \
        else any(results)
    return ConditionCheck(condition, met, actual)


def _check_null(condition: Condition, actual: tuple) -> ConditionCheck:
    try:
        wanted = {coerce("null", value) for value in condition.values}
    except InvalidValue as problem:
        return ConditionCheck(condition, None, actual, problem.message)
    return ConditionCheck(condition, (not actual) in wanted, actual)


def _policy_values(condition: Condition, variables) -> list:
    value_type = OPERATORS[condition.base]
    values = []
    for value in condition.values:
        if isinstance(value, str):
            replaced = substitute(value, variables)
            if replaced is None:
                raise InvalidValue("", f"`{value}` uses a policy variable "
                                   "this request gives no value for")
            value = replaced
        values.append(coerce(value_type, value))
    return values


def _request_value(condition: Condition, value):
    value_type = OPERATORS[condition.base]
    try:
        return coerce(value_type, value)
    except InvalidValue as problem:
        raise InvalidValue(problem.code, f"the request's `{condition.key}` "
                           f"value {problem.message.partition(' ')[0]} "
                           f"is not usable with `{condition.base}`") from None


def _comparison(base: str, expected: list):
    """A test for one request value against the policy's values (OR)."""
    positive = _POSITIVE[base.replace("_not_equal", "_equal")]
    if base in NEGATED:
        return lambda value: not any(positive(value, e) for e in expected)
    return lambda value: any(positive(value, e) for e in expected)


def _ip_within(address, network) -> bool:
    if address.version != network.version:
        return False
    return address.subnet_of(network)


def _like(value: str, pattern: str) -> bool:
    return compile_pattern(pattern)(value)


_POSITIVE = {
    "string_equal": lambda a, b: a == b,
    "string_equal_ignore_case": lambda a, b: a.casefold() == b.casefold(),
    "string_like": _like,
    "numeric_equal": lambda a, b: a == b,
    "numeric_less_than": lambda a, b: a < b,
    "numeric_less_than_equal": lambda a, b: a <= b,
    "numeric_greater_than": lambda a, b: a > b,
    "numeric_greater_than_equal": lambda a, b: a >= b,
    "date_equal": lambda a, b: a == b,
    "date_less_than": lambda a, b: a < b,
    "date_less_than_equal": lambda a, b: a <= b,
    "date_greater_than": lambda a, b: a > b,
    "date_greater_than_equal": lambda a, b: a >= b,
    "bool_equal": lambda a, b: a == b,
    "binary_equal": lambda a, b: a == b,
    "ip_equal": _ip_within,
}


def _describe(condition: Condition, actual: tuple, met: bool) -> str:
    quantity = {"for_all_value": "every value", None: "the value"}.get(
        condition.qualifier, "some value")
    relation = "match none of" if condition.base in NEGATED else "match"
    return (f"`{condition.key}` is {_show(actual)}; `{condition.operator}` "
            f"wants {quantity} to {relation} {_show(condition.values)}: "
            f"{_verdict(met)}")


def _describe_absent(condition: Condition, met: bool) -> str:
    text = (f"`{condition.key}` is absent from the request, so "
            f"`{condition.operator}` is {_verdict(met)}")
    if not met:
        text += "; `_if_exist` would accept its absence"
    return text


def _describe_null(condition: Condition, actual: tuple, met: bool) -> str:
    state = "present" if actual else "absent"
    wanted = "absent" if True in condition.values else "present"
    return (f"`{condition.key}` is {state}; `null_equal` wants it "
            f"{wanted}: {_verdict(met)}")


def _verdict(met: bool) -> str:
    return "met" if met else "not met"


def _show(values) -> str:
    shown = [f"`{v}`" if not isinstance(v, bool) else f"`{str(v).lower()}`"
             for v in values]
    return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


