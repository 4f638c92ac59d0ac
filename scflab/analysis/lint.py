"""Lint a valid CAM policy: what it grants too widely, or not at all.

`parse_policy` decides whether a document is valid CAM; `lint` reads a
valid one and reports findings (`scflab.Finding`). Every finding's words
come from `RULES`, one table of code, severity, title, message and hint:

    >>> findings = lint('{"version": "2.0", "statement": [{"effect": '
    ...     '"allow", "action": "*", "resource": "*"}]}')
    >>> [(f.code, f.severity.value) for f in findings]
    [('full-admin', 'security')]

The rules, by severity (each entry of `RULES` states exactly when it
fires; `rules_frame()` shows them as a table):

- error: `operation-level-scoped`, `for-all-value-tag`;
- security: `full-admin`, `privilege-escalation`, `permissions-on-all`,
  `open-trust`, `account-trust-without-condition`,
  `deny-skipped-when-absent`;
- warning: `write-on-all`, `for-all-value-single-valued`,
  `allow-when-absent`, `unknown-condition-key`, `unknown-action`,
  `no-matching-action`, `shadowed-by-deny`;
- suggestion: `unknown-service`, `action-case`, `legacy-action`,
  `duplicate-statement`, `redundant-statement`.

Codes are stable: tools may filter on them. Known limits:

- Action knowledge comes from scflab's catalog, which is complete for SCF
  and partial for other services: an action the catalog lacks is reported
  as unknown, and a wildcard is judged by the catalog actions it covers.
- "All resources" means the resource `*`. A pattern such as
  `qcs::scf:*:*:*` is wide too, but is not reported as such.
- Coverage between statements (shadowed, redundant) is decided pattern by
  pattern and is conservative: a statement covered only by the union of
  two patterns, or by a deny whose conditions differ, is not reported.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, NamedTuple

from scflab.analysis.containment import statement_covers
from scflab.analysis.findings import Finding, Severity
from scflab.errors import InvalidValue
from scflab.language.actions import ActionPattern
from scflab.language.jsontext import JsonSyntaxError, decode, load, pointer
from scflab.language.model import Effect, Policy, PolicyKind, Statement
from scflab.language.operators import NEGATED

__all__ = ["Rule", "RULES", "lint", "rules_frame", "guess_kind"]

ERROR, SECURITY = Severity.ERROR, Severity.SECURITY
WARNING, SUGGESTION = Severity.WARNING, Severity.SUGGESTION


@dataclass(frozen=True)
class Rule:
    """One kind of finding: its code, severity and words.

    `message` and `hint` are templates filled from the finding's fields;
    `definition` states exactly when the rule fires.
    """

    code: str
    severity: Severity
    title: str
    message: str
    hint: str
    definition: str

    def finding(self, path: str, fields: Mapping[str, Any],
                place: tuple[int | None, int | None] = (None, None),
                policy: str | None = None) -> Finding:
        """A finding of this rule at `path`, its words filled in."""
        return Finding(self.code, self.severity, self.title, path,
                       self.message.format(**fields),
                       self.hint.format(**fields), *place, policy)


_TABLE = (
    Rule("full-admin", SECURITY, "full administrator access",
         "`{action}` on every resource allows every action of every "
         "service",
         "grant the actions the work needs, such as `scf:Get*` on the "
         "functions it touches",
         "An allow statement whose actions include `*` (or `*:*`) and "
         "whose resources include `*`."),
    Rule("privilege-escalation", SECURITY, "privilege escalation",
         "`{action}` on every resource covers `{covered}`, which lets the "
         "caller take on any role's permissions",
         "name the roles it may use, such as "
         "`qcs::cam::uin/<uin>:roleName/<role>`",
         "An allow statement with resource `*` whose action pattern "
         "covers `cam:PassRole` or `sts:AssumeRole` (`cam:*`, `sts:*` "
         "...), full administrator access aside."),
    Rule("permissions-on-all", SECURITY,
         "permissions management on every resource",
         "`{action}` on every resource covers permissions management: "
         "{examples}",
         "scope it to the users, groups, roles or policies concerned, or "
         "drop the permissions actions",
         "An allow statement with resource `*` whose action pattern covers "
         "a resource-level action of access level `permissions` (catalog), "
         "privilege escalation aside."),
    Rule("write-on-all", WARNING, "write access on every resource",
         "`{action}` on every resource grants write actions that could "
         "be scoped: {examples}",
         "name the resources, such as `qcs::scf:<region>:uin/<uin>:"
         "namespace/<ns>/function/<name>`",
         "An allow statement with resource `*` whose action pattern covers "
         "a resource-level action of access level `write` (catalog); "
         "operation-level actions are left out since only `*` grants "
         "them."),
    Rule("open-trust", SECURITY, "trust open to anyone",
         "principal `{principal}` lets anyone assume the role",
         "name the accounts, roles or services that may assume it",
         "An allow statement of a trust or bucket policy whose principal "
         "is `*`, `qcs::cam::anyone:anyone`, or names an account with a "
         "wildcard."),
    Rule("account-trust-without-condition", SECURITY,
         "a whole account trusted without a condition",
         "principal `{principal}` trusts every identity of account "
         "`{account}` that is granted `sts:AssumeRole`",
         "name a user or role of that account, or add a condition such "
         "as `{{\"ip_equal\": {{\"qcs:ip\": [\"<office CIDR>\"]}}}}`",
         "An allow statement of a trust policy, without conditions, whose "
         "principal names a whole account (`qcs::cam::uin/<A>:root` or "
         "`qcs::cam::uin/<A>:uin/<A>`) other than the `account` given to "
         "`lint`."),
    Rule("for-all-value-single-valued", WARNING,
         "`for_all_value` on a single-valued key",
         "`{operator}` on `{key}`: a request carries one `{key}`, so the "
         "qualifier adds nothing",
         "write `{plain}` without the qualifier",
         "A condition qualified `for_all_value:` on a key that carries one "
         "value per request (`qcs:ip`, `qcs:current_time`, `vpc:region`, "
         "`cos:versionid` ...)."),
    Rule("for-all-value-tag", ERROR, "`for_all_value` on a tag key",
         "`{operator}` on `{key}`: tag conditions support only "
         "`for_any_value`",
         "write `for_any_value:{plain}`",
         "A condition qualified `for_all_value:` on `qcs:resource_tag` or "
         "`qcs:request_tag`; CAM documents tag conditions with "
         "`for_any_value` only."),
    Rule("deny-skipped-when-absent", SECURITY,
         "a deny that requests without the key escape",
         "this deny applies only when the request has `{key}`: without "
         "it `{operator}` is not met, so the deny is skipped",
         "write `{fixed}` so that the deny also applies when `{key}` is "
         "missing",
         "A deny statement with a negated condition (`string_not_equal`, "
         "`ip_not_equal` ...) without `_if_exist`. Such a deny reads "
         "\"deny unless the key has these values\", yet a request lacking "
         "the key fails the condition, so the deny does not apply to it."),
    Rule("allow-when-absent", WARNING, "an allow that also applies "
         "without the key",
         "`{operator}` is met when the request has no `{key}`, so this "
         "allow also applies to requests without it",
         "if `{key}` must be present, write `{fixed}`",
         "An allow statement with a condition ending in `_if_exist`: the "
         "condition is met when its key is absent, so the restriction it "
         "states does not hold for such requests."),
    Rule("unknown-condition-key", WARNING,
         "a condition key the service does not use",
         "condition key `{key}` is not one {services} uses",
         "{suggestion}the keys scflab knows for {services} are {known}",
         "A condition key that is neither global nor among the catalog's "
         "keys of any service the statement's actions name. Statements "
         "naming a service the catalog does not know are not checked."),
    Rule("unknown-service", SUGGESTION, "a service scflab does not know",
         "`{action}` names service `{service}`, which scflab's catalog "
         "does not list",
         "check the spelling of `{service}`; scflab cannot check actions "
         "of services outside its catalog",
         "An action whose service has no action in the catalog."),
    Rule("unknown-action", WARNING, "an unknown action",
         "`{action}` is not an action of `{service}` in scflab's catalog",
         "{suggestion}check the spelling; the catalog may lack actions "
         "newer than it",
         "An action without `*` of a known service that the catalog does "
         "not list."),
    Rule("no-matching-action", WARNING, "a pattern that covers no action",
         "`{action}` covers no action of `{service}` in scflab's catalog",
         "check the pattern; `*` matches any run of characters, so "
         "`{service}:Get*` covers every action starting with `Get`",
         "An action pattern with `*`, of a known service, that covers no "
         "catalog action."),
    Rule("action-case", SUGGESTION, "an action spelt in another case",
         "`{action}` is spelt `{expected}` in the catalog",
         "write `{expected}`; scflab matches actions without regard to "
         "case, but CAM's documents do not promise that",
         "An action without `*` that names a catalog action in a "
         "different case."),
    Rule("legacy-action", SUGGESTION, "a legacy action name",
         "`{action}` is a legacy name of `{current}`",
         "write `{current}`, or both while older tools still use the "
         "legacy name",
         "An action without `*` that the catalog marks as replaced by a "
         "newer one (`legacy_for`)."),
    Rule("operation-level-scoped", ERROR,
         "an operation-level action scoped to resources",
         "`{action}` is operation-level: a statement naming specific "
         "resources never applies to it",
         "move `{action}` to a statement with `\"resource\": \"*\"`",
         "A statement without resource `*` naming an action the catalog "
         "marks operation-level, or a pattern all of whose catalog "
         "actions are."),
    Rule("shadowed-by-deny", WARNING, "an allow that a deny cancels",
         "every request this allow applies to is denied by {denies}, so "
         "it grants nothing",
         "remove the allow, or narrow the deny",
         "An allow statement such that, for each of its action patterns "
         "and resource patterns, one deny statement of the same policy "
         "with the same principal and no condition the allow lacks covers "
         "both."),
    Rule("duplicate-statement", SUGGESTION, "a duplicate statement",
         "this statement repeats {original}",
         "remove one of them",
         "A statement equal to an earlier one once lists are read as sets "
         "and action names without regard to case."),
    Rule("redundant-statement", SUGGESTION, "a redundant statement",
         "everything this statement {verb} is already {verb_past} by "
         "{others}",
         "remove it, or merge it into {others}",
         "A statement such that, for each of its action patterns and "
         "resource patterns, another statement of the same effect, "
         "principal and no extra condition covers both. Of statements "
         "that cover each other, the later is reported."),
)

#: Every rule, by code.
RULES: dict[str, Rule] = {rule.code: rule for rule in _TABLE}

#: Keys that carry one value per request.
SINGLE_VALUED_KEYS = frozenset({
    "qcs:ip", "qcs:current_time", "qcs:uin", "qcs:owner_uin",
    "qcs:create_uin", "vpc:region", "cos:versionid",
    "cos:secure-transport", "cos:response-content-type", "cos:prefix"})

#: Keys whose values are tags, `key&value`.
TAG_KEYS = frozenset({"qcs:resource_tag", "qcs:request_tag"})

#: Actions that hand over another identity's permissions.
ESCALATION_ACTIONS = ("cam:PassRole", "sts:AssumeRole")


def lint(policy: Any, *, kind: PolicyKind | str | None = None,
         name: str | None = None, account: str | None = None,
         catalog=None) -> list[Finding]:
    """Findings about `policy`, in document order.

    `policy` is a `Policy` or anything `parse_policy` reads; an invalid
    document raises `PolicyError`. Without `kind`, a document without a
    `principal` is read as an identity policy, one with a `principal` and
    only `sts:` actions as a trust policy, any other as a bucket policy.
    `account` is the uin owning the policy: a trust policy naming that
    account as a whole is then not reported. `catalog` defaults to
    `scflab.default_catalog()`.
    """
    if not isinstance(policy, Policy):
        from scflab.language.parser import parse_policy

        kind = kind or guess_kind(policy)
        policy = parse_policy(policy, kind=kind, name=name)
    subject = _Subject(policy, catalog or _default_catalog(), account)
    places = _Places(policy.source)
    hits = [hit for check in _CHECKS for hit in check(subject)]
    hits.sort(key=lambda hit: (_path_key(hit.path),
                               RULES[hit.code].severity.rank))
    return [RULES[hit.code].finding(hit.path, hit.fields,
                                    places.locate(hit.path), policy.label)
            for hit in hits]


def rules_frame():
    """The rules table as a pandas DataFrame (imports pandas)."""
    import pandas

    return pandas.DataFrame(
        [{"code": r.code, "severity": r.severity.value, "title": r.title,
          "definition": r.definition} for r in _TABLE])


class _Hit(NamedTuple):
    code: str
    path: str
    fields: dict[str, Any]


class _Subject:
    """The policy under study, with the catalog to read it by."""

    def __init__(self, policy: Policy, catalog, account: str | None):
        self.policy = policy
        self.catalog = catalog
        self.account = account

    def statements(self, effect: Effect | None = None
                   ) -> Iterator[tuple[str, Statement]]:
        for index, statement in enumerate(self.policy.statements):
            if effect is None or statement.effect is effect:
                yield f"/statement/{index}", statement

    def actions(self, statement: Statement, path: str
                ) -> Iterator[tuple[str, str, ActionPattern]]:
        """Each action entry: its path, its text and its parsed form."""
        for index, text in enumerate(statement.actions):
            try:
                parsed = ActionPattern.parse(text)
            except InvalidValue:
                continue
            yield f"{path}/action/{index}", text, parsed

    def expand(self, pattern: ActionPattern):
        return self.catalog.expand(pattern.text)

    def principal(self, statement: Statement):
        return statement.principal or self.policy.principal


# The checks: each yields hits for one family of rules.

def _broad_grants(subject: _Subject) -> Iterator[_Hit]:
    if subject.policy.kind is PolicyKind.TRUST:
        return  # a trust policy's resource is the role it belongs to
    for path, statement in subject.statements(Effect.ALLOW):
        if "*" not in statement.resources:
            continue
        for at, text, pattern in subject.actions(statement, path):
            hit = _broad_grant(subject, at, text, pattern)
            if hit is not None:
                yield hit


def _broad_grant(subject: _Subject, path: str, text: str,
                 pattern: ActionPattern) -> _Hit | None:
    if pattern.text == "*":
        return _Hit("full-admin", path, {"action": text})
    covered = [a for a in ESCALATION_ACTIONS if pattern.matches(a)]
    if covered:
        return _Hit("privilege-escalation", path,
                    {"action": text, "covered": covered[0]})
    scoped = [a for a in subject.expand(pattern) if a.resource_level]
    for level, code in (("permissions", "permissions-on-all"),
                        ("write", "write-on-all")):
        found = [a.qualified for a in scoped if a.access == level]
        if found:
            return _Hit(code, path, {"action": text,
                                     "examples": _examples(found)})
    return None


def _trust(subject: _Subject) -> Iterator[_Hit]:
    for path, statement in subject.statements(Effect.ALLOW):
        principal = subject.principal(statement)
        if principal is None:
            continue
        where = f"{path}/principal" if statement.principal else "/principal"
        if principal.anyone:
            yield _Hit("open-trust", where, {"principal": "*"})
            continue
        for index, entry in enumerate(principal.qcs):
            at = f"{where}/qcs/{index}"
            hit = _trusted_entry(subject, statement, at, entry)
            if hit is not None:
                yield hit


def _trusted_entry(subject: _Subject, statement: Statement, path: str,
                   entry: str) -> _Hit | None:
    if entry == "qcs::cam::anyone:anyone" or "uin/*" in entry:
        return _Hit("open-trust", path, {"principal": entry})
    if subject.policy.kind is not PolicyKind.TRUST or statement.conditions:
        return None
    account = _whole_account(entry)
    if account is None or account == subject.account:
        return None
    return _Hit("account-trust-without-condition", path,
                {"principal": entry, "account": account})


def _whole_account(entry: str) -> str | None:
    """The uin of `qcs::cam::uin/<A>:root` or `…uin/<A>:uin/<A>`."""
    head, _, tail = entry.removeprefix("qcs::cam::").partition(":")
    uin = head.removeprefix("uin/")
    if head.startswith("uin/") and tail in ("root", f"uin/{uin}"):
        return uin
    return None


def _conditions(subject: _Subject) -> Iterator[_Hit]:
    for path, statement in subject.statements():
        for condition in statement.conditions:
            at = pointer(pointer(f"{path}/condition", condition.operator),
                         condition.key)
            yield from _qualifier(condition, at)
            yield from _absence(statement, condition, at)
        yield from _condition_keys(subject, path, statement)


def _qualifier(condition, path: str) -> Iterator[_Hit]:
    if condition.qualifier != "for_all_value":
        return
    fields = {"operator": condition.operator, "key": condition.key,
              "plain": condition.operator.partition(":")[2]}
    if condition.key in TAG_KEYS:
        yield _Hit("for-all-value-tag", path, fields)
    elif condition.key in SINGLE_VALUED_KEYS:
        yield _Hit("for-all-value-single-valued", path, fields)


def _absence(statement: Statement, condition, path: str
             ) -> Iterator[_Hit]:
    fields = {"operator": condition.operator, "key": condition.key}
    if statement.effect is Effect.DENY:
        if condition.base in NEGATED and not condition.if_exist:
            fixed = condition.operator + "_if_exist"
            yield _Hit("deny-skipped-when-absent", path,
                       {**fields, "fixed": fixed})
    elif condition.if_exist:
        fixed = condition.operator.removesuffix("_if_exist")
        yield _Hit("allow-when-absent", path, {**fields, "fixed": fixed})


def _condition_keys(subject: _Subject, path: str, statement: Statement
                    ) -> Iterator[_Hit]:
    services = _statement_services(subject, statement)
    if services is None:
        return
    known = frozenset().union(*(subject.catalog.condition_keys(s)
                                for s in services))
    for condition in statement.conditions:
        if condition.key in known:
            continue
        at = pointer(pointer(f"{path}/condition", condition.operator),
                     condition.key)
        yield _Hit("unknown-condition-key", at, {
            "key": condition.key, "services": _listing(sorted(services)),
            "known": _listing(sorted(known)),
            "suggestion": _key_advice(subject.catalog, condition.key)})


def _statement_services(subject: _Subject, statement: Statement
                        ) -> set[str] | None:
    """The services a statement's actions name; None if one is unknown."""
    services = set()
    for text in statement.actions:
        try:
            service = ActionPattern.parse(text).service
        except InvalidValue:
            return None
        if service == "*":
            return set(subject.catalog.services())
        if not subject.catalog.is_known_service(service):
            return None
        services.add(service)
    return services


def _key_advice(catalog, key: str) -> str:
    """Which service uses `key`, or the known key it was meant to be."""
    owners = [s for s in catalog.services()
              if key in catalog.condition_keys(s)]
    if owners:
        return f"`{key}` is a key of {_listing(owners)}; "
    everything = frozenset().union(*(catalog.condition_keys(s)
                                     for s in catalog.services()))
    return _did_you_mean(key, everything)


def _action_names(subject: _Subject) -> Iterator[_Hit]:
    for path, statement in subject.statements():
        scoped = "*" not in statement.resources
        for at, text, pattern in subject.actions(statement, path):
            if pattern.service == "*":
                continue
            yield from _action_name(subject, at, text, pattern, scoped)


def _action_name(subject: _Subject, path: str, text: str,
                 pattern: ActionPattern, scoped: bool) -> Iterator[_Hit]:
    catalog = subject.catalog
    fields = {"action": text, "service": pattern.service}
    if not catalog.is_known_service(pattern.service):
        yield _Hit("unknown-service", path, fields)
        return
    found = subject.expand(pattern)
    if not found:
        code = "no-matching-action" if "*" in pattern.name \
            else "unknown-action"
        suggestion = _did_you_mean(text, [a.qualified for a in catalog])
        yield _Hit(code, path, {**fields, "suggestion": suggestion})
        return
    if scoped and not any(a.resource_level for a in found):
        yield _Hit("operation-level-scoped", path, fields)
    if "*" not in pattern.name:
        yield from _spelling(text, found[0], path)


def _spelling(text: str, info, path: str) -> Iterator[_Hit]:
    written = text.removeprefix("name/")
    if written != info.qualified:
        yield _Hit("action-case", path,
                   {"action": text, "expected": info.qualified})
    if info.legacy_for:
        current = f"{info.service}:{info.legacy_for}"
        yield _Hit("legacy-action", path,
                   {"action": text, "current": current})


def _shadowed(subject: _Subject) -> Iterator[_Hit]:
    denies = list(subject.statements(Effect.DENY))
    if not denies:
        return
    for path, statement in subject.statements(Effect.ALLOW):
        covering = _covering(statement, denies)
        if covering:
            yield _Hit("shadowed-by-deny", path,
                       {"denies": _listing(covering)})


def _redundant(subject: _Subject) -> Iterator[_Hit]:
    """Duplicates, then statements covered by the others still kept.

    Walking from the last statement back, a statement is reported when
    statements not yet reported cover it, so that every reported statement
    can be removed at once.
    """
    statements = list(subject.statements())
    dropped: set[str] = set()
    for path, original in _duplicates(statements):
        dropped.add(path)
        yield _Hit("duplicate-statement", path, {"original": original})
    for path, statement in reversed(statements):
        if path in dropped:
            continue
        others = [(p, s) for p, s in statements
                  if p != path and p not in dropped
                  and s.effect is statement.effect]
        covering = _covering(statement, others)
        if covering:
            dropped.add(path)
            verb = "allows" if statement.effect is Effect.ALLOW \
                else "denies"
            yield _Hit("redundant-statement", path, {
                "verb": verb, "verb_past": verb[:-1] + "ed",
                "others": _listing(covering)})


def _duplicates(statements) -> Iterator[tuple[str, str]]:
    seen: dict[Any, str] = {}
    for path, statement in statements:
        shape = _shape(statement)
        if shape in seen:
            yield path, f"`{seen[shape]}`"
        else:
            seen[shape] = path


def _shape(statement: Statement):
    """What a statement says, with lists read as sets."""
    actions = frozenset(a.removeprefix("name/").casefold()
                        for a in statement.actions)
    conditions = frozenset((c.operator, c.key, frozenset(map(str, c.values)))
                           for c in statement.conditions)
    return (statement.effect, actions, frozenset(statement.resources),
            conditions, statement.principal)


def _covering(statement: Statement, others) -> list[str]:
    """Paths of statements in `others` that together cover `statement`.

    Each (action pattern, resource pattern) pair of `statement` must be
    covered by one of them; an empty list means it is not covered.
    """
    used: list[str] = []
    for action in statement.actions:
        for resource in statement.resources:
            path = next((p for p, other in others
                         if statement_covers(other, statement, action,
                                             resource)), None)
            if path is None:
                return []
            if path not in used:
                used.append(path)
    return used


_CHECKS = (_broad_grants, _trust, _conditions, _action_names, _shadowed,
           _redundant)


# Locating findings in the source text.

class _Places:
    """Line and column of a canonical path in the text it came from."""

    def __init__(self, source: str | None):
        self._document = None
        if source is not None:
            try:
                self._document = load(source)
            except JsonSyntaxError:
                pass

    def locate(self, path: str) -> tuple[int | None, int | None]:
        if self._document is None:
            return None, None
        position = self._document.values.get(self._source_path(path))
        return (position.line, position.column) if position else (None,
                                                                  None)

    def _source_path(self, path: str) -> str:
        """The deepest pointer of the text along a canonical path.

        The canonical form has lists where the text may have one value
        (`"action": "scf:*"`), so an index into a missing list stays on
        the single value.
        """
        node, found = self._document.value, ""
        for token in _tokens(path):
            if isinstance(node, list) and token.isdigit() \
                    and int(token) < len(node):
                node, found = node[int(token)], pointer(found, token)
            elif isinstance(node, dict) and token in node:
                node, found = node[token], pointer(found, token)
            elif token != "0":
                break
        return found


def _tokens(path: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~")
            for t in path.split("/")[1:]]


def _path_key(path: str) -> tuple:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t)
                 for t in _tokens(path))


# Small helpers.

def guess_kind(source: Any) -> str:
    """The kind a document reads as: see `lint`."""
    data = source
    if not isinstance(source, Mapping):
        try:
            data = json.loads(_text(source))
        except (OSError, ValueError, TypeError, JsonSyntaxError):
            return "identity"
    if not isinstance(data, Mapping):
        return "identity"
    statements = _statements(data)
    if not ("principal" in data or any("principal" in s
                                       for s in statements)):
        return "identity"
    actions = [a for s in statements for a in _listed(s.get("action"))]
    assumes = all(isinstance(a, str) and a.removeprefix("name/")
                  .lower().startswith("sts:") for a in actions)
    return "trust" if assumes else "bucket"


def _text(source: Any) -> str:
    import os

    if isinstance(source, (bytes, bytearray)):
        return decode(bytes(source))
    if isinstance(source, os.PathLike) or (
            isinstance(source, str) and not source.lstrip().startswith("{")
            and os.path.isfile(source)):
        with open(source, "rb") as file:
            return decode(file.read())
    return source


def _statements(data: Any) -> list[Mapping]:
    if not isinstance(data, Mapping):
        return []
    return [s for s in _listed(data.get("statement"))
            if isinstance(s, Mapping)]


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _default_catalog():
    from scflab.catalog import default_catalog

    return default_catalog()


def _examples(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (" ..." if len(names) > limit else "")


def _listing(values) -> str:
    shown = [f"`{v}`" for v in values]
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _did_you_mean(word: str, choices) -> str:
    folded = {c.casefold(): c for c in choices}
    cleaned = "".join(word.removeprefix("name/").split()).casefold()
    close = difflib.get_close_matches(cleaned, list(folded), n=1)
    return f"did you mean `{folded[close[0]]}`? " if close else ""
