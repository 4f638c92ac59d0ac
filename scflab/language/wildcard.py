"""Patterns with `*`, compiled to matchers.

`*` is the only wildcard CAM documents; it matches any run of characters,
`/` included. Every other character is literal (`.` and `?` too): patterns
are escaped before they become regular expressions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

__all__ = ["compile_pattern", "matches", "has_wildcard"]

Matcher = Callable[[str], bool]


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern


@lru_cache(maxsize=65536)
def compile_pattern(pattern: str, ignore_case: bool = False) -> Matcher:
    """A function telling whether a text matches `pattern`.

    >>> compile_pattern("scf:List*")("scf:ListFunctions")
    True
    >>> compile_pattern("a.b")("axb")
    False
    """
    if pattern == "*":
        return _always
    if "*" not in pattern:
        if ignore_case:
            folded = pattern.casefold()
            return lambda text: text.casefold() == folded
        return pattern.__eq__
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    flags = re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL
    fullmatch = re.compile(body, flags).fullmatch
    return lambda text: fullmatch(text) is not None


def matches(pattern: str, text: str, ignore_case: bool = False) -> bool:
    """Whether `text` matches `pattern` (see `compile_pattern`)."""
    return compile_pattern(pattern, ignore_case)(text)


def _always(text: str) -> bool:
    return True
