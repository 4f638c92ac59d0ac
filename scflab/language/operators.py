"""Condition operators and the values each one compares.

CAM names operators in snake_case (`string_equal`, `ip_not_equal` …). Any
operator but `null_equal` takes the suffix `_if_exist`, and any may carry the
qualifier `for_any_value:` or `for_all_value:` for multi-valued keys. This
module knows the names and turns policy and request values into comparable
Python values; `scflab.language.conditions` decides whether a condition holds.
"""

from __future__ import annotations

from functools import lru_cache

from scflab.errors import InvalidValue

# The modules that read dates, addresses and base64 are imported where they
# are used: most policies never need them, and `import scflab` stays quick.

__all__ = [
    "OPERATORS",
    "NEGATED",
    "QUALIFIERS",
    "parse_operator",
    "coerce",
    "suggest_operator",
]

#: Every base operator and the type of value it compares.
OPERATORS: dict[str, str] = {
    "string_equal": "string",
    "string_not_equal": "string",
    "string_equal_ignore_case": "string",
    "string_not_equal_ignore_case": "string",
    "string_like": "string",
    "numeric_equal": "numeric",
    "numeric_not_equal": "numeric",
    "numeric_less_than": "numeric",
    "numeric_less_than_equal": "numeric",
    "numeric_greater_than": "numeric",
    "numeric_greater_than_equal": "numeric",
    "date_equal": "date",
    "date_not_equal": "date",
    "date_less_than": "date",
    "date_less_than_equal": "date",
    "date_greater_than": "date",
    "date_greater_than_equal": "date",
    "bool_equal": "bool",
    "binary_equal": "binary",
    "ip_equal": "ip",
    "ip_not_equal": "ip",
    "null_equal": "null",
}

#: Operators that hold when the value matches none of the policy's values.
NEGATED = frozenset(name for name in OPERATORS if "_not_" in name)

QUALIFIERS = ("for_any_value", "for_all_value")

_SUFFIX = "_if_exist"


def parse_operator(text: str) -> tuple[str | None, str, bool]:
    """Split `for_any_value:string_equal_if_exist` into its three parts.

    Returns `(qualifier, base, if_exist)`; raises `InvalidValue` for an
    unknown operator, an unknown qualifier, or `_if_exist` on `null_equal`.
    """
    qualifier, sep, name = text.rpartition(":")
    if not sep:
        qualifier = None
    elif qualifier not in QUALIFIERS:
        raise InvalidValue(
            "InvalidParameter.ConditionTypeError",
            f"unknown qualifier `{qualifier}` in operator `{text}`",
            _did_you_mean(qualifier, QUALIFIERS,
                          "use `for_any_value:` or `for_all_value:`"),
        )
    if_exist = name.endswith(_SUFFIX)
    base = name.removesuffix(_SUFFIX)
    if base not in OPERATORS:
        raise InvalidValue(
            "InvalidParameter.ConditionTypeError",
            f"unknown condition operator `{text}`",
            suggest_operator(text),
        )
    if if_exist and base == "null_equal":
        raise InvalidValue(
            "InvalidParameter.ConditionTypeError",
            "`null_equal` cannot take `_if_exist`",
            "`null_equal` already tests whether the key is absent; "
            "drop the `_if_exist` suffix",
        )
    return qualifier, base, if_exist


def suggest_operator(text: str) -> str:
    """A "did you mean" hint for a misspelt operator."""
    cleaned = text.strip().lower().replace("-", "_")
    guess = cleaned.rpartition(":")[2]
    guess = guess.removesuffix(_SUFFIX).replace("equals", "equal")
    names = list(OPERATORS)
    if guess in OPERATORS:
        match = guess
    else:
        import difflib

        close = difflib.get_close_matches(guess, names, n=1, cutoff=0.6)
        match = close[0] if close else None
    if match is None:
        return "operators are snake_case, such as `string_equal`, " \
            "`ip_equal` or `date_less_than`"
    prefix = cleaned.rpartition(":")[0]
    suffix = _SUFFIX if cleaned.endswith(_SUFFIX) else ""
    full = f"{prefix}:{match}{suffix}" if prefix in QUALIFIERS else match + suffix
    return f"did you mean `{full}`?"


def _did_you_mean(word: str, choices, fallback: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else fallback


def coerce(value_type: str, value):
    """Turn a policy or request value into the Python value it compares as.

    string → str; numeric → float; date → aware UTC datetime; bool → bool;
    binary → bytes; ip → an `ipaddress` network (a single address becomes a
    /32 or /128); null → bool. Raises `InvalidValue` naming the value.
    Results are remembered: the same addresses and times come back often.
    """
    try:
        return _remembered(value_type, value)
    except TypeError:  # an unhashable value, such as a list
        return _COERCE[value_type](value)


@lru_cache(maxsize=8192, typed=True)  # typed: `1` and `True` differ
def _remembered(value_type: str, value):
    return _COERCE[value_type](value)


def _as_string(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _bad(value, "a string", "`\"prod\"`")
    return str(value)


def _as_number(value) -> float:
    if not isinstance(value, bool) and isinstance(value, (int, float)):
        return float(value)
    try:
        if isinstance(value, str):
            return float(value.strip())
    except ValueError:
        pass
    raise _bad(value, "a number", "`10` or `2.5`")


def _as_date(value):
    from datetime import datetime, timezone

    try:
        if isinstance(value, str) and value.strip():
            text = value.strip().replace("Z", "+00:00")
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc)
    except ValueError:
        pass
    raise _bad(value, "an ISO 8601 time", "`2016-06-01T00:01:00Z`")


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _bad(value, "a boolean", "`true` or `false`")


def _as_binary(value) -> bytes:
    import base64
    import binascii

    try:
        if isinstance(value, str):
            return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        pass
    raise _bad(value, "base64 text", "`c2NmbGFi`")


def _as_network(value):
    import ipaddress

    try:
        if isinstance(value, str):
            return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        pass
    raise _bad(value, "an IP address or CIDR block", "`10.0.0.0/24`")


def _bad(value, expected: str, example: str) -> InvalidValue:
    import json

    shown = value if isinstance(value, str) else json.dumps(value)
    return InvalidValue(
        "InvalidParameter.ConditionContentError",
        f"`{shown}` is not {expected}",
        f"write {expected}, such as {example}",
    )


_COERCE = {
    "string": _as_string,
    "numeric": _as_number,
    "date": _as_date,
    "bool": _as_bool,
    "binary": _as_binary,
    "ip": _as_network,
    "null": _as_bool,
}
