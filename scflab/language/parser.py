"""Read a CAM policy document, check it the way CAM would, and explain.

>>> policy = parse_policy('''{"version": "2.0", "statement": [
...     {"effect": "allow", "action": "scf:List*", "resource": "*"}]}''')
>>> policy.statements[0].actions
('scf:List*',)

`parse_policy` returns a normalised `Policy`, or raises `PolicyError` listing
every problem it finds in one pass, ordered by where they are. Each problem
carries CAM's error code, a JSON pointer, the line and column in the text
(None for a mapping), the offending value in backticks and a hint.

Where CAM's documents are silent, scflab decides:

- `statement` may be a single statement object; like every element that
  takes a list, a single value stands for a list of one.
- `resource` is required, except in trust policies: the official trust
  policies omit it, and there it means `*`.
- Trust and bucket policy statements need a principal, their own or the
  document's; a trust policy may only allow assuming the role
  (`sts:AssumeRole`, `sts:AssumeRoleWithSAML`,
  `sts:AssumeRoleWithWebIdentity`, with or without `name/`).
- The 6,144-character limit ("spaces not counted") counts the document with
  every whitespace character removed, inside strings too; a mapping is
  measured as compact JSON.
- A misspelt element (`Effect`, `statements`) is reported once and its value
  is still checked, so that one pass also finds the problems inside it.
- A missing element is reported at the pointer it would have, located at
  the object that lacks it. A duplicate key is reported at its second
  occurrence, whose value is the one checked.
- An empty `condition` object means no conditions. Condition keys are free
  text, but a key that differs only in case from a documented `qcs:` key
  is an error, since keys are case-sensitive.
- A condition value holding a policy variable (`${uin}`) is not checked
  against its operator's type: its value is known only per request.

Unknown actions and services are not problems here; the linter finds them.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from scflab.errors import InvalidValue, PolicyError, Problem
from scflab.language.actions import ActionPattern
from scflab.language.jsontext import (
    MAX_DEPTH,
    JsonDocument,
    JsonSyntaxError,
    decode,
    load,
    pointer,
)
from scflab.language.model import (
    Condition,
    Effect,
    Policy,
    PolicyKind,
    Principal,
    Statement,
)
from scflab.language.operators import OPERATORS, coerce, parse_operator
from scflab.language.resources import VARIABLES, ResourceName

__all__ = ["parse_policy", "LENGTH_LIMIT"]

#: The most characters a policy may have, whitespace not counted.
LENGTH_LIMIT = 6144

_CODE = "InvalidParameter."
DOCUMENT = _CODE + "PolicyDocumentError"
LENGTH = _CODE + "PolicyDocumentLengthOverLimit"
VERSION = _CODE + "VersionError"
STATEMENT = _CODE + "StatementError"
EFFECT = _CODE + "EffectError"
ACTION = _CODE + "ActionError"
RESOURCE = _CODE + "ResourceError"
CONDITION = _CODE + "ConditionError"
CONDITION_CONTENT = _CODE + "ConditionContentError"
PRINCIPAL = _CODE + "PrincipalError"
PRINCIPAL_QCS = _CODE + "PrincipalQcsError"

_DOCUMENT_ELEMENTS = ("version", "principal", "statement")
_STATEMENT_ELEMENTS = ("effect", "action", "resource", "condition",
                       "principal")
_PRINCIPAL_ELEMENTS = ("qcs", "service", "federated")

#: Elements of other policy languages, and what to do instead.
_FOREIGN = {
    "sid": "CAM statements have no `sid`; remove it",
    "id": "CAM policies have no `id`; remove it",
    "notaction": "CAM has no `not_action`; list the actions, or add a "
                 "`deny` statement",
    "notresource": "CAM has no `not_resource`; list the resources, or add "
                   "a `deny` statement",
    "notprincipal": "CAM has no `not_principal`; list the principals",
    "document": "this looks like a wrapper: parse the value of `document`, "
                "and pass its `name` as `name=`",
}

_ASSUME_ROLE = ("assumerole", "assumerolewithsaml",
                "assumerolewithwebidentity")

#: Documented keys, to catch the same key written in another case.
_KNOWN_KEYS = {key.lower(): key for key in (
    "qcs:ip", "qcs:current_time", "qcs:resource_tag", "qcs:request_tag",
    "qcs:uin", "qcs:owner_uin", "qcs:create_uin")}

_QCS_PRINCIPAL = re.compile(
    r"qcs::cam::(anyone:anyone|uin/\d+:(root|uin/\d+|groupid/\d+"
    r"|roleName/[\w+=,.@-]+|role/\S+|saml-provider/\S+"
    r"|oidc-provider/\S+))", re.ASCII)
_FEDERATED = re.compile(r"qcs::cam::uin/\d+:(saml|oidc)-provider/\S+",
                        re.ASCII)
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")
_VARIABLE = re.compile(r"\$\{[^}]*\}")


class _Missing:
    """Stands for an element the document does not have."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()
_JSON_ONLY = ("a policy holds only JSON values: objects with string keys, "
              "lists, strings, finite numbers, `true`, `false` and `null`")


def parse_policy(source: Any, *, kind: PolicyKind | str = "identity",
                 name: str | None = None) -> Policy:
    """Parse and check a policy document; raise `PolicyError` if invalid.

    `source` is JSON text, UTF-8 bytes, a path to a JSON file (a `PathLike`,
    or a string naming an existing file), or a mapping of plain data.
    `kind` (`identity`, `trust`, `session` or `bucket`) decides where a
    `principal` is allowed and what a trust policy may say.

    Any text and any JSON data give a `Policy` or a `PolicyError`. A
    `source` of another type raises `TypeError`, an unknown `kind` raises
    `ValueError`, and a path that cannot be read raises `OSError`.
    """
    kind = _policy_kind(kind)
    data, text, places, duplicates = _read(source, name)
    checker = _Checker(kind, places)
    checker.measure(text, data)
    checker.duplicates(duplicates)
    policy = checker.policy(data, name, text)
    if checker.found:
        raise PolicyError(checker.problems(), name)
    return policy


def _policy_kind(kind: PolicyKind | str) -> PolicyKind:
    try:
        return PolicyKind(kind)
    except ValueError:
        kinds = ", ".join(f"`{k.value}`" for k in PolicyKind)
        raise ValueError(f"unknown policy kind `{kind}`; "
                         f"use one of {kinds}") from None


# Reading the source.

class _Place(NamedTuple):
    line: int | None
    column: int | None
    order: int


class _Places:
    """Where each value and each member's key is, by JSON pointer."""

    def __init__(self, values: Mapping[str, _Place],
                 keys: Mapping[str, _Place]):
        self._values = values
        self._keys = keys

    @classmethod
    def of_text(cls, document: JsonDocument) -> _Places:
        return cls(document.values, document.keys)

    def value(self, path: str) -> _Place:
        return self._values.get(path) or self._values.get(
            "", _Place(None, None, 0))

    def key(self, path: str) -> _Place:
        return self._keys.get(path) or self.value(path)


def _read(source: Any, name: str | None):
    """The data, text, places and duplicate keys of `source`."""
    if isinstance(source, (Mapping, list, tuple)):
        plain = _Plain()
        data = plain.copy(source, "", 0)
        if plain.problems:
            raise PolicyError(plain.problems, name)
        return data, None, _Places(plain.values, plain.keys), ()
    text = _text_of(source, name)
    try:
        document = load(text)
    except JsonSyntaxError as error:
        problems = [p for p in (_length_problem(text, True),) if p]
        problems.append(Problem(DOCUMENT, error.message, "", error.line,
                                error.column, _syntax_hint(text, error)))
        raise PolicyError(problems, name) from None
    places = _Places.of_text(document)
    return document.value, document.text, places, document.duplicates


def _syntax_hint(text: str, error: JsonSyntaxError) -> str | None:
    """The reader's hint, or a word on a path that names no file."""
    if text.strip().lower().endswith(".json") and "\n" not in text:
        return f"no file `{text.strip()}` exists; pass JSON text or the " \
            "path of an existing file"
    return error.hint


def _text_of(source: Any, name: str | None) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _decoded(bytes(source), name)
    if isinstance(source, os.PathLike) or _names_file(source):
        with open(source, "rb") as file:
            return _decoded(file.read(), name)
    if isinstance(source, str):
        return source
    raise TypeError(
        "parse_policy() reads JSON text, bytes, a path or a mapping, not "
        f"`{type(source).__name__}`; this is a programming error, not a "
        "problem in a policy")


def _names_file(source: Any) -> bool:
    """Whether a string is the path of an existing file, not JSON text."""
    return (isinstance(source, str) and "\n" not in source
            and not source.lstrip().startswith(("{", "["))
            and len(source) < 4096 and os.path.isfile(source))


def _decoded(data: bytes, name: str | None) -> str:
    try:
        return decode(data)
    except JsonSyntaxError as error:
        problem = Problem(DOCUMENT, error.message, "", error.line,
                          error.column, error.hint)
        raise PolicyError([problem], name) from None


def _length_problem(text: str, located: bool) -> Problem | None:
    count = len("".join(text.split()))
    if count <= LENGTH_LIMIT:
        return None
    return Problem(
        LENGTH,
        f"the document has {count:,} characters not counting whitespace, "
        f"over CAM's limit of {LENGTH_LIMIT:,}",
        "", 1 if located else None, 1 if located else None,
        "split the statements between several policies")


class _Plain:
    """Copies data into plain JSON values, noting what is not JSON."""

    def __init__(self):
        self.values: dict[str, _Place] = {}
        self.keys: dict[str, _Place] = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()

    def copy(self, value: Any, path: str, depth: int) -> Any:
        self.values[path] = self._next()
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, int):
            if value.bit_length() > 10_000:
                return self.reject(path, "a number is too large")
            return int(value)
        if isinstance(value, float) and math.isfinite(value):
            return float(value)
        if isinstance(value, (Mapping, list, tuple)):
            return self.container(value, path, depth)
        return self.reject(path, f"`{_repr(value)}` is not a JSON value")

    def container(self, value: Any, path: str, depth: int) -> Any:
        if depth >= MAX_DEPTH:
            return self.reject(path, f"values nest deeper than "
                                     f"{MAX_DEPTH} levels")
        if id(value) in self._open:
            return self.reject(path, "a value contains itself")
        self._open.add(id(value))
        if isinstance(value, Mapping):
            copied = self.mapping(value, path, depth)
        else:
            copied = [self.copy(item, pointer(path, index), depth + 1)
                      for index, item in enumerate(value)]
        self._open.discard(id(value))
        return copied

    def mapping(self, value: Mapping, path: str, depth: int) -> dict:
        copied = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.reject(path, f"key `{_repr(key)}` is not a string")
                continue
            member = pointer(path, key)
            self.keys[member] = self._next()
            copied[str.__str__(key)] = self.copy(item, member, depth + 1)
        return copied

    def reject(self, path: str, message: str) -> None:
        self.problems.append(Problem(DOCUMENT, message, path,
                                     hint=_JSON_ONLY))

    def _next(self) -> _Place:
        return _Place(None, None, len(self.values) + len(self.keys))


# Checking the document.

class _Checker:
    """Walks one document, collecting problems and building values."""

    def __init__(self, kind: PolicyKind, places: _Places):
        self.kind = kind
        self.places = places
        self.found: list[tuple[int, int, Problem]] = []
        self.document_principal = False

    def problems(self) -> list[Problem]:
        """Every problem, ordered by position, then by discovery."""
        return [problem for *_, problem in sorted(
            self.found, key=lambda found: found[:2])]

    def report(self, code: str, message: str, hint: str | None,
               path: str, *, at: str | None = None,
               key: bool = False) -> None:
        """Record a problem at `path`, located at `at` (default `path`)."""
        where = path if at is None else at
        place = self.places.key(where) if key else self.places.value(where)
        line, column, order = place
        problem = Problem(code, message, path, line, column, hint)
        self.found.append((order, len(self.found), problem))

    def missing(self, code: str, message: str, hint: str,
                path: str) -> None:
        """Record a missing element, located at the object lacking it."""
        self.report(code, message, hint, path, at=path.rpartition("/")[0])

    def invalid(self, problem: InvalidValue, path: str, *,
                key: bool = False) -> None:
        """Record what one of the value parsers found wrong."""
        self.report(problem.code, problem.message, problem.hint, path,
                    key=key)

    def measure(self, text: str | None, data: Any) -> None:
        if text is None:
            text = json.dumps(data, ensure_ascii=False,
                              separators=(",", ":"))
        located = self.places.value("")[0] is not None
        problem = _length_problem(text, located)
        if problem:
            self.found.append((-1, len(self.found), problem))

    def duplicates(self, duplicates) -> None:
        for duplicate in duplicates:
            first = duplicate.first
            self.report(DOCUMENT, f"duplicate key `{duplicate.key}`",
                        f"it first appears at line {first.line}, column "
                        f"{first.column}; keep one of them",
                        duplicate.pointer, key=True)

    def policy(self, data: Any, name: str | None,
               text: str | None) -> Policy | None:
        if not isinstance(data, dict):
            self.report(DOCUMENT, f"the document is {_describe(data)}, "
                        "not an object",
                        "a policy is a JSON object: "
                        "`{\"version\": \"2.0\", \"statement\": [...]}`", "")
            return None
        elements = self.elements(data, "", _DOCUMENT_ELEMENTS,
                                 "the document", DOCUMENT)
        self.version(*elements["version"])
        self.document_principal = elements["principal"][1] is not _MISSING
        principal = self.principal(*elements["principal"])
        statements = self.statements(*elements["statement"])
        if self.found:
            return None
        return Policy(tuple(statements), self.kind, name, "2.0",
                      principal, text)

    def elements(self, data: dict, path: str, allowed: tuple[str, ...],
                 owner: str, code: str) -> dict[str, tuple[str, Any]]:
        """Each allowed element as `(pointer, value)`, or `_MISSING`.

        Other keys are reported; one that is a near miss of an absent
        element (`Effect` for `effect`) stands in for it.
        """
        found = {key: (pointer(path, key), value)
                 for key, value in data.items() if key in allowed}
        for key, value in data.items():
            if key in allowed:
                continue
            meant, hint = _element_hint(key, allowed, owner)
            if meant in found:
                hint = f"`{meant}` is already given; remove `{key}`"
            elif meant is not None:
                found[meant] = (pointer(path, key), value)
            self.report(code, f"unknown element `{key}` in {owner}", hint,
                        pointer(path, key), key=True)
        return {element: found.get(element, (pointer(path, element),
                                             _MISSING))
                for element in allowed}

    def version(self, path: str, value: Any) -> None:
        if value is _MISSING:
            self.missing(VERSION, "the document has no `version`",
                         "add `\"version\": \"2.0\"`", path)
        elif not isinstance(value, str):
            self.report(VERSION, f"`version` is {_describe(value)}, not "
                        "the string `\"2.0\"`",
                        "write the version in quotes: "
                        "`\"version\": \"2.0\"`", path)
        elif value != "2.0":
            hint = "remove the spaces" if value.strip() == "2.0" \
                else "the only version CAM knows is `\"2.0\"`"
            self.report(VERSION, f"`{value}` is not a policy version",
                        hint, path)

    def statements(self, path: str, value: Any) -> list[Statement]:
        if value is _MISSING:
            self.missing(STATEMENT, "the document has no `statement`",
                         "add `\"statement\": [...]` with at least one "
                         "statement", path)
            return []
        if isinstance(value, dict):
            items = [(path, value)]
        elif isinstance(value, list):
            items = [(pointer(path, i), item) for i, item in enumerate(value)]
            if not items:
                self.report(STATEMENT, "`statement` is an empty list",
                            "add at least one statement", path)
        else:
            self.report(STATEMENT, f"`statement` is {_describe(value)}, "
                        "not a list of statements",
                        "write `\"statement\": [{\"effect\": ..., "
                        "\"action\": ..., \"resource\": ...}]`", path)
            items = []
        statements = [self.statement(*item) for item in items]
        return [s for s in statements if s is not None]

    def statement(self, path: str, value: Any) -> Statement | None:
        if not isinstance(value, dict):
            self.report(STATEMENT, f"a statement is {_describe(value)}, "
                        "not an object",
                        "write a statement as `{\"effect\": ..., "
                        "\"action\": ..., \"resource\": ...}`", path)
            return None
        elements = self.elements(value, path, _STATEMENT_ELEMENTS,
                                 "a statement", DOCUMENT)
        effect = self.effect(*elements["effect"])
        actions = self.actions(*elements["action"])
        resources = self.resources(*elements["resource"])
        conditions = self.conditions(*elements["condition"])
        principal = self.principal(*elements["principal"])
        self.principal_needed(*elements["principal"])
        if None in (effect, actions, resources, conditions):
            return None
        return Statement(effect, actions, resources, conditions, principal)

    def effect(self, path: str, value: Any) -> Effect | None:
        if value is _MISSING:
            self.missing(EFFECT, "a statement has no `effect`",
                         "add `\"effect\": \"allow\"` or "
                         "`\"effect\": \"deny\"`", path)
            return None
        if isinstance(value, str) and value in ("allow", "deny"):
            return Effect(value)
        self.report(EFFECT, f"`{_show(value)}` is not an effect",
                    _effect_hint(value), path)
        return None

    def actions(self, path: str, value: Any) -> tuple[str, ...] | None:
        if value is _MISSING:
            self.missing(ACTION, "a statement has no `action`",
                         "add `\"action\": [\"scf:ListFunctions\"]`, or "
                         "`\"*\"` for every action", path)
            return None
        items = self.listed(path, value, "action", ACTION)
        if items is None:
            return None
        actions = [item for at, item in items if self.action(at, item)]
        return tuple(actions) if len(actions) == len(items) else None

    def action(self, path: str, value: Any) -> bool:
        if not isinstance(value, str):
            self.report(ACTION, f"an action is {_describe(value)}, not a "
                        "string", "write `service:ApiName`, such as "
                        "`scf:InvokeFunction`", path)
            return False
        try:
            pattern = ActionPattern.parse(value)
        except InvalidValue as problem:
            self.invalid(problem, path)
            return False
        if self.kind is PolicyKind.TRUST and not _assumes_role(pattern):
            self.report(ACTION, "a trust policy can only allow assuming "
                        f"the role, not `{value}`",
                        "write `name/sts:AssumeRole`; identity providers "
                        "use `sts:AssumeRoleWithSAML` or "
                        "`sts:AssumeRoleWithWebIdentity`", path)
            return False
        return True

    def resources(self, path: str, value: Any) -> tuple[str, ...] | None:
        if value is _MISSING:
            if self.kind is PolicyKind.TRUST:
                return ("*",)
            self.missing(RESOURCE, "a statement has no `resource`",
                         "add `\"resource\": [\"*\"]`, or name the "
                         "resources, such as `qcs::scf:ap-guangzhou:"
                         "uin/100000000001:namespace/default/function/"
                         "hello`", path)
            return None
        items = self.listed(path, value, "resource", RESOURCE)
        if items is None:
            return None
        resources = [item for at, item in items if self.resource(at, item)]
        return tuple(resources) if len(resources) == len(items) else None

    def resource(self, path: str, value: Any) -> bool:
        if not isinstance(value, str):
            self.report(RESOURCE, f"a resource is {_describe(value)}, not "
                        "a string", "write a six-segment name or `*`", path)
            return False
        try:
            ResourceName.parse(value)
        except InvalidValue as problem:
            self.invalid(problem, path)
            return False
        return True

    def listed(self, path: str, value: Any, element: str,
               code: str) -> list[tuple[str, Any]] | None:
        """A single value or a list as `(pointer, item)` pairs."""
        if isinstance(value, list):
            if not value:
                self.report(code, f"`{element}` is an empty list",
                            f"give at least one {element}", path)
                return None
            return [(pointer(path, i), item) for i, item in enumerate(value)]
        if isinstance(value, str):
            return [(path, value)]
        self.report(code, f"`{element}` is {_describe(value)}, not a "
                    "string or a list of strings",
                    f"write `\"{element}\": [...]` with strings", path)
        return None

    def conditions(self, path: str, value: Any
                   ) -> tuple[Condition, ...] | None:
        if value is _MISSING:
            return ()
        if not isinstance(value, dict):
            self.report(CONDITION, f"`condition` is {_describe(value)}, "
                        "not an object",
                        "write `{\"operator\": {\"key\": value}}`, such as "
                        "`{\"ip_equal\": {\"qcs:ip\": \"10.0.0.0/8\"}}`",
                        path)
            return None
        before = len(self.found)
        conditions = []
        for operator, keys in value.items():
            conditions += self.operator(pointer(path, operator), operator,
                                        keys)
        return tuple(conditions) if len(self.found) == before else None

    def operator(self, path: str, operator: str,
                 keys: Any) -> list[Condition]:
        try:
            value_type = OPERATORS[parse_operator(operator)[1]]
        except InvalidValue as problem:
            self.invalid(problem, path, key=True)
            value_type = None
        if not isinstance(keys, dict) or not keys:
            self.report(CONDITION, f"`{operator}` takes an object of keys "
                        f"and values, not {_describe(keys)}",
                        f"write `\"{operator}\": {{\"<key>\": "
                        "[\"<value>\", ...]}`", path)
            return []
        return [self.condition(pointer(path, key), operator, value_type,
                               key, values)
                for key, values in keys.items()]

    def condition(self, path: str, operator: str, value_type: str | None,
                  key: str, values: Any) -> Condition:
        self.condition_key(path, key)
        if isinstance(values, list):
            items = [(pointer(path, i), v) for i, v in enumerate(values)]
            if not items:
                self.report(CONDITION_CONTENT, f"`{key}` has an empty list "
                            "of values", "give at least one value", path)
        else:
            items = [(path, values)]
        for at, item in items:
            self.condition_value(at, value_type, item)
        return Condition(operator, key, tuple(item for _, item in items))

    def condition_key(self, path: str, key: str) -> None:
        known = _KNOWN_KEYS.get(key.lower())
        if known is not None and known != key:
            self.report(CONDITION, f"unknown condition key `{key}`",
                        f"condition keys are case-sensitive: did you mean "
                        f"`{known}`?", path, key=True)

    def condition_value(self, path: str, value_type: str | None,
                        value: Any) -> None:
        if value is None or isinstance(value, (list, dict)):
            self.report(CONDITION_CONTENT, f"a condition value is "
                        f"{_describe(value)}",
                        "write a string, a number or `true`/`false`", path)
            return
        variables = _VARIABLE.findall(value) if isinstance(value, str) \
            else []
        for variable in variables:
            if variable not in VARIABLES:
                self.report(CONDITION_CONTENT, f"unknown policy variable "
                            f"`{variable}` in `{value}`",
                            "the variables are " + _listing(VARIABLES),
                            path)
        if value_type is None or variables:
            return
        try:
            coerce(value_type, value)
        except InvalidValue as problem:
            self.invalid(problem, path)

    def principal(self, path: str, value: Any) -> Principal | None:
        if value is _MISSING:
            return None
        if self.kind in (PolicyKind.IDENTITY, PolicyKind.SESSION):
            self.report(PRINCIPAL, f"{_a(self.kind.value)} policy takes no "
                        "`principal`",
                        "`principal` belongs in trust policies and bucket "
                        "policies; remove it, or parse the document with "
                        "`kind=\"trust\"`", path, key=True)
            return None
        if value == "*":
            return Principal(anyone=True)
        if not isinstance(value, dict) or not value:
            self.report(PRINCIPAL, f"`principal` is {_describe(value)}",
                        "write `\"*\"`, or an object such as "
                        "`{\"qcs\": [\"qcs::cam::uin/100000000001:root\"]}`"
                        " or `{\"service\": [\"scf.qcloud.com\"]}`", path)
            return None
        elements = self.elements(value, path, _PRINCIPAL_ELEMENTS,
                                 "`principal`", PRINCIPAL)
        named = {element: self.principals(element, *member)
                 for element, member in elements.items()
                 if member[1] is not _MISSING}
        if None in named.values() or not named:
            return None
        return Principal(**named)

    def principals(self, element: str, path: str,
                   value: Any) -> tuple[str, ...] | None:
        items = self.listed(path, value, element, PRINCIPAL)
        if items is None:
            return None
        names = [item for at, item in items
                 if self.principal_name(element, at, item)]
        return tuple(names) if len(names) == len(items) else None

    def principal_name(self, element: str, path: str, value: Any) -> bool:
        if not isinstance(value, str):
            self.report(PRINCIPAL, f"a principal is {_describe(value)}, "
                        "not a string", f"write `\"{element}\": [...]` with "
                        "strings", path)
            return False
        hint = _principal_fault(element, value)
        if hint is None:
            return True
        code = PRINCIPAL if element == "service" else PRINCIPAL_QCS
        self.report(code, f"`{value}` is not a {element} principal", hint,
                    path)
        return False

    def principal_needed(self, path: str, value: Any) -> None:
        """Trust and bucket statements must say whom they speak of."""
        needs = self.kind in (PolicyKind.TRUST, PolicyKind.BUCKET)
        if needs and value is _MISSING and not self.document_principal:
            self.missing(PRINCIPAL, f"{_a(self.kind.value)} policy "
                         "statement has no `principal`",
                         "add the principal it admits, such as "
                         "`\"principal\": {\"service\": "
                         "[\"scf.qcloud.com\"]}`", path)


_PRINCIPAL_SHAPES = {
    "qcs": (_QCS_PRINCIPAL,
            "write `qcs::cam::uin/<uin>:root`, `qcs::cam::uin/<uin>:uin/"
            "<sub-uin>`, `qcs::cam::uin/<uin>:roleName/<name>` or "
            "`qcs::cam::anyone:anyone`"),
    "service": (_SERVICE_PRINCIPAL,
                "write the service's domain, such as `scf.qcloud.com`"),
    "federated": (_FEDERATED,
                  "write `qcs::cam::uin/<uin>:saml-provider/<name>` or "
                  "`qcs::cam::uin/<uin>:oidc-provider/<name>`"),
}


def _principal_fault(element: str, value: str) -> str | None:
    """A hint saying what is wrong with a principal, or None if nothing."""
    shape, hint = _PRINCIPAL_SHAPES[element]
    if value != value.strip() or " " in value:
        return f"remove the spaces: `{value.replace(' ', '')}`"
    if element == "service" and value.startswith("service-"):
        return f"the console shows `{value}`; the policy value is " \
            f"`{value.removeprefix('service-')}`"
    return None if shape.fullmatch(value) else hint


def _assumes_role(pattern: ActionPattern) -> bool:
    return pattern.service == "sts" and pattern.name.lower() in _ASSUME_ROLE


def _element_hint(key: str, allowed: tuple[str, ...],
                  owner: str) -> tuple[str | None, str]:
    """The element a key was meant to be (or None), and a hint."""
    lowered = key.strip().lower()
    if lowered in allowed:
        fix = "remove the spaces" if key.strip() != key \
            else "element names are lowercase"
        return lowered, f"{fix}: did you mean `{lowered}`?"
    foreign = _FOREIGN.get(re.sub(r"[\s_-]", "", lowered))
    if foreign is not None:
        return None, foreign
    close = difflib.get_close_matches(lowered, allowed, n=1, cutoff=0.75)
    if close:
        return close[0], f"did you mean `{close[0]}`?"
    return None, f"{owner} takes {_listing(allowed)}"


def _effect_hint(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        return "an effect is one string, not a list: write " \
            f"`\"{_show(value[0])}\"`"
    if not isinstance(value, str):
        return "write `\"allow\"` or `\"deny\"`"
    cleaned = value.strip().lower()
    if cleaned in ("allow", "deny"):
        fix = "remove the spaces" if value.strip() != value \
            else "effects are lowercase"
        return f"{fix}: did you mean `{cleaned}`?"
    close = difflib.get_close_matches(cleaned, ("allow", "deny"), n=1,
                                      cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "write `allow` or `deny`"


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _listing(words) -> str:
    quoted = [f"`{word}`" for word in words]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _show(value: Any, width: int = 60) -> str:
    """A value as it reads in JSON (strings bare), cut to `width`."""
    text = value if isinstance(value, str) else \
        json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…"


def _describe(value: Any) -> str:
    """`the string `x``, `the number `2``, `a list`, `an object` …"""
    if isinstance(value, dict):
        return "an object" if value else "an empty object"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, str):
        return f"the string `{_show(value)}`"
    if value is None or isinstance(value, bool):
        return f"`{_show(value)}`"
    return f"the number `{_show(value)}`"


def _repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
