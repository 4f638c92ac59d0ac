"""Read JSON text and remember where every value was written.

`load(text)` gives the same value `json.loads` would, together with the line
and column where each value starts and where each object member's key
starts, both addressed by JSON pointer (`/statement/0/effect`), and every
duplicate key with both of its positions. Text that is not JSON raises
`JsonSyntaxError` with the line and column of the first error and a hint.

The reader is strict where the standard is: `NaN`, `Infinity`, comments,
single quotes, trailing commas and control characters inside strings are
errors, as are numbers too large for a float. A duplicate key keeps its last
value, as `json.loads` does. Bytes are read as UTF-8, with or without a
byte order mark; lines are counted at `\\n` and columns in characters, both
from 1. Nesting deeper than `MAX_DEPTH` is refused rather than recursed into.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple

__all__ = [
    "MAX_DEPTH",
    "Position",
    "Duplicate",
    "JsonDocument",
    "JsonSyntaxError",
    "decode",
    "load",
    "pointer",
]

#: How deeply arrays and objects may nest; policies need six levels.
MAX_DEPTH = 100

_BOM = "\ufeff"
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS = (("true", True), ("false", False), ("null", None))
_FOREIGN_WORDS = ("NaN", "Infinity", "-Infinity", "True", "False", "None")


class Position(NamedTuple):
    """Where something starts: 1-based line and column, 0-based offset."""

    line: int
    column: int
    offset: int


@dataclass(frozen=True)
class Duplicate:
    """A key written twice in one object; the second value is kept."""

    pointer: str
    key: str
    first: Position
    second: Position


@dataclass(frozen=True)
class JsonDocument:
    """A parsed JSON text with the position of every value and key."""

    value: Any
    text: str
    values: Mapping[str, Position]
    keys: Mapping[str, Position]
    duplicates: tuple[Duplicate, ...] = ()


class JsonSyntaxError(ValueError):
    """Text that is not JSON; `line` and `column` locate the first error."""

    def __init__(self, message: str, position: Position,
                 hint: str | None = None):
        self.message = message
        self.line, self.column, self.offset = position
        self.hint = hint
        super().__init__(
            f"{message} (line {self.line}, column {self.column})")


def pointer(parent: str, token: str | int) -> str:
    """The JSON pointer of member or item `token` under `parent`.

    >>> pointer("/condition", "qcs:ip/v4")
    '/condition/qcs:ip~1v4'
    """
    escaped = str(token).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{escaped}"


def decode(data: bytes) -> str:
    """UTF-8 bytes as text, without a byte order mark.

    Raises `JsonSyntaxError` at the first byte that is not UTF-8.
    """
    data = bytes(data).removeprefix(_BOM.encode())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start].decode("utf-8", errors="replace")
        raise JsonSyntaxError(
            f"byte `0x{data[error.start]:02x}` is not UTF-8",
            _locate(before, len(before)),
            "save the document as UTF-8 text") from None


def load(text: str | bytes) -> JsonDocument:
    """Parse JSON text, keeping positions; raise `JsonSyntaxError` if invalid.

    >>> document = load('{"a": [1, {"b": null}]}')
    >>> document.value
    {'a': [1, {'b': None}]}
    >>> document.values["/a/1/b"]
    Position(line=1, column=17, offset=16)
    """
    if not isinstance(text, str):
        text = decode(text)
    text = text.removeprefix(_BOM)
    reader = _Reader(text)
    value = reader.document()
    return JsonDocument(value, text, reader.values, reader.keys,
                        tuple(reader.duplicates))


def _string_problem(message: str) -> tuple[str, str]:
    """A message and hint for one of `json.decoder.scanstring`'s errors."""
    escape = "escape `\\` as `\\\\`, `\"` as `\\\"` and control " \
        "characters as `\\n`, `\\t` …"
    if message.startswith("Unterminated"):
        return "a string is not closed", "end it with `\"`"
    if message.startswith("Invalid control"):
        return "a control character inside a string", escape
    return "an invalid escape inside a string", escape


def _locate(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(line, column, offset)


class _Reader:
    """A recursive-descent reader over one text."""

    def __init__(self, text: str):
        self.text = text
        self.index = 0
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.duplicates: list[Duplicate] = []
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def document(self) -> Any:
        if not self.skip():
            raise self.error("the document is empty",
                             "a policy is a JSON object: "
                             "`{\"version\": \"2.0\", \"statement\": [...]}`")
        value = self.value("", 0)
        self.skip()
        if self.index < len(self.text):
            raise self.error(f"unexpected {self.shown()} after the "
                             "document's end",
                             "a JSON document holds one value; remove "
                             "what follows it")
        return value

    def value(self, path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.error(f"values nest deeper than {MAX_DEPTH} levels")
        self.values[path] = self.position()
        char = self.peek()
        if char == "{":
            return self.object(path, depth + 1)
        if char == "[":
            return self.array(path, depth + 1)
        if char == '"':
            return self.string()
        if char and char in "-0123456789":
            return self.number()
        for word, value in _WORDS:
            if self.text.startswith(word, self.index):
                self.index += len(word)
                return value
        raise self.error(f"expected a value, found {self.shown()}",
                         self.value_hint())

    def object(self, path: str, depth: int) -> dict[str, Any]:
        self.index += 1
        result: dict[str, Any] = {}
        if self.skip() == "}":
            self.index += 1
            return result
        while True:
            key, at = self.key()
            member = pointer(path, key)
            if key in result:
                first = self.keys[member]
                self.forget(member)
                self.duplicates.append(Duplicate(member, key, first, at))
            self.keys[member] = at
            self.skip()
            result[key] = self.value(member, depth)
            if self.close("}"):
                return result

    def key(self) -> tuple[str, Position]:
        if self.skip() != '"':
            raise self.error(f"expected a key in double quotes, found "
                             f"{self.shown()}", self.key_hint())
        at = self.position()
        key = self.string()
        if self.skip() != ":":
            raise self.error(f"expected `:` after the key `{key}`, found "
                             f"{self.shown()}")
        self.index += 1
        return key, at

    def array(self, path: str, depth: int) -> list[Any]:
        self.index += 1
        result: list[Any] = []
        if self.skip() == "]":
            self.index += 1
            return result
        while True:
            result.append(self.value(pointer(path, len(result)), depth))
            if self.close("]"):
                return result

    def close(self, bracket: str) -> bool:
        """After a member or item: True at `bracket`, False after a comma."""
        char = self.skip()
        self.index += 1
        if char == bracket:
            return True
        if char == ",":
            after = self.skip()
            if after and after in "]}":
                raise self.error(f"a comma before `{after}`",
                                 "JSON allows no trailing comma; remove it")
            return False
        self.index -= 1
        raise self.error(f"expected `,` or `{bracket}`, found "
                         f"{self.shown()}",
                         "is a comma missing between two entries?")

    def string(self) -> str:
        try:
            value, self.index = json.decoder.scanstring(
                self.text, self.index + 1, True)
        except json.JSONDecodeError as error:
            self.index = error.pos
            raise self.error(*_string_problem(error.msg)) from None
        return value

    def number(self) -> int | float:
        match = _NUMBER.match(self.text, self.index)
        if match is None:
            raise self.error(f"expected a number, found {self.shown()}",
                             self.value_hint())
        written = match.group()
        try:
            value = float(written) if match.group(1, 2) != (None, None) \
                else int(written)
        except ValueError:
            value = math.inf
        if math.isinf(value):
            raise self.error(f"number `{written[:40]}` is out of range")
        self.index = match.end()
        return value

    def forget(self, member: str) -> None:
        """Drop the positions of a value about to be replaced."""
        inside = member + "/"
        for table in (self.values, self.keys):
            for stale in [p for p in table
                          if p == member or p.startswith(inside)]:
                del table[stale]

    def skip(self) -> str:
        """Move past whitespace; return the next character, or `""`."""
        self.index = _SPACE.match(self.text, self.index).end()
        return self.peek()

    def peek(self) -> str:
        return self.text[self.index:self.index + 1]

    def shown(self) -> str:
        char = self.peek()
        return f"`{char}`" if char else "the end of the text"

    def value_hint(self) -> str:
        rest = self.text[self.index:self.index + 10]
        if rest.startswith("'"):
            return "JSON strings use double quotes"
        if rest.startswith("/"):
            return "JSON has no comments; remove them"
        for word in _FOREIGN_WORDS:
            if rest.startswith(word):
                return f"`{word}` is not JSON; write a string, a number, " \
                    "`true`, `false` or `null`"
        return "a value is a string in double quotes, a number, an " \
            "object, an array, `true`, `false` or `null`"

    def key_hint(self) -> str:
        if self.peek() in ("'", "/"):
            return self.value_hint()
        return "write every key in double quotes: `\"effect\"`"

    def position(self) -> Position:
        offset = self.index
        line = bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1, offset)

    def error(self, message: str, hint: str | None = None
              ) -> JsonSyntaxError:
        if not self.peek() and self.text.strip():
            hint = "the text ends too soon; close every `{`, `[` and `\"`"
        return JsonSyntaxError(message, self.position(), hint)
