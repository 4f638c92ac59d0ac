"""Broken policies: every problem has CAM's code, a pointer and a place."""

from __future__ import annotations

import json

import pytest

from scflab.errors import PolicyError
from scflab.language.parser import parse_policy

V = "InvalidParameter."


def statement(body: str) -> str:
    """A policy whose only statement opens at line 2, column 16.

    The lines of `body` become lines 3, 4 … of the document.
    """
    return '{"version": "2.0",\n "statement": [{\n' + body + "\n }]}"


ALLOW = '  "effect": "allow", "action": "scf:*", "resource": "*",'
ONE = '[{"effect": "allow", "action": "scf:*", "resource": "*"}]'
TRUST = '  "effect": "allow", "action": "sts:AssumeRole",'

#: (id, kind, document, code, path, line, column, text there, fragment)
CASES = [
    # Documents that are not JSON, or not an object.
    ("not-json", "identity", '{"version": "2.0",\n "statement": [}',
     "PolicyDocumentError", "", 2, 16, "}", "expected a value"),
    ("trailing-comma", "identity", '{"version": "2.0",\n}',
     "PolicyDocumentError", "", 2, 1, "}", "trailing comma"),
    ("single-quotes", "identity", "{'version': '2.0'}",
     "PolicyDocumentError", "", 1, 2, "'", "double quotes"),
    ("empty", "identity", "  \n",
     "PolicyDocumentError", "", 2, 1, "", "empty"),
    ("top-level-array", "identity", "\n [1, 2]",
     "PolicyDocumentError", "", 2, 2, "[", "a list, not an object"),
    ("duplicate-key", "identity",
     statement(ALLOW + '\n  "effect": "deny"'),
     "PolicyDocumentError", "/statement/0/effect", 4, 3, '"effect"',
     "first appears at line 3, column 3"),
    # The document's own elements.
    ("missing-version", "identity", '{"statement":\n' + ONE + "}",
     "VersionError", "/version", 1, 1, "{", "no `version`"),
    ("version-number", "identity", '{"version": 2.0, "statement": ' + ONE
     + "}", "VersionError", "/version", 1, 13, "2.0", "in quotes"),
    ("version-one", "identity", '{"version": "1.0", "statement": ' + ONE
     + "}", "VersionError", "/version", 1, 13, '"1.0"', "`1.0`"),
    ("missing-statement", "identity", '{"version": "2.0"}',
     "StatementError", "/statement", 1, 1, "{", "no `statement`"),
    ("empty-statement", "identity", '{"version": "2.0", "statement": []}',
     "StatementError", "/statement", 1, 33, "[]", "empty list"),
    ("statement-string", "identity",
     '{"version": "2.0", "statement": "allow"}',
     "StatementError", "/statement", 1, 33, '"allow"', "not a list"),
    ("statement-item-not-object", "identity",
     '{"version": "2.0", "statement": [null]}',
     "StatementError", "/statement/0", 1, 34, "null", "`null`"),
    ("capitalised-document-element", "identity",
     '{"version": "2.0",\n "Statement": ' + ONE + "}",
     "PolicyDocumentError", "/Statement", 2, 2, '"Statement"',
     "did you mean `statement`?"),
    ("unknown-document-element", "identity",
     '{"version": "2.0",\n "owner": 1, "statement": ' + ONE + "}",
     "PolicyDocumentError", "/owner", 2, 2, '"owner"',
     "`version`, `principal` and `statement`"),
    # Statement elements.
    ("capitalised-statement-element", "identity",
     statement('  "Effect": "allow", "action": "scf:*", "resource": "*"'),
     "PolicyDocumentError", "/statement/0/Effect", 3, 3, '"Effect"',
     "did you mean `effect`?"),
    ("sid", "identity", statement(ALLOW + ' "Sid": "1"'),
     "PolicyDocumentError", "/statement/0/Sid", 3, 58, '"Sid"',
     "no `sid`"),
    ("missing-effect", "identity",
     statement('  "action": "scf:*", "resource": "*"'),
     "EffectError", "/statement/0/effect", 2, 16, "{", "no `effect`"),
    ("capitalised-effect", "identity",
     statement('  "effect": "Allow", "action": "scf:*", "resource": "*"'),
     "EffectError", "/statement/0/effect", 3, 13, '"Allow"',
     "did you mean `allow`?"),
    ("effect-trailing-space", "identity",
     statement('  "effect": "allow ", "action": "scf:*", "resource": "*"'),
     "EffectError", "/statement/0/effect", 3, 13, '"allow "',
     "remove the spaces"),
    ("effect-list", "identity",
     statement('  "effect": ["deny"], "action": "scf:*", "resource": "*"'),
     "EffectError", "/statement/0/effect", 3, 13, '["deny"]',
     "not a list"),
    ("effect-unknown", "identity",
     statement('  "effect": "permit", "action": "scf:*", "resource": "*"'),
     "EffectError", "/statement/0/effect", 3, 13, '"permit"',
     "`allow` or `deny`"),
    ("missing-action", "identity",
     statement('  "effect": "allow", "resource": "*"'),
     "ActionError", "/statement/0/action", 2, 16, "{", "no `action`"),
    ("empty-action", "identity",
     statement('  "effect": "allow", "action": [], "resource": "*"'),
     "ActionError", "/statement/0/action", 3, 32, "[]", "empty list"),
    ("action-without-service", "identity",
     statement('  "effect": "allow", "action": ["ListFunctions"],\n'
               '  "resource": "*"'),
     "ActionError", "/statement/0/action/0", 3, 33, '"ListFunctions"',
     "scf:ListFunctions"),
    ("action-with-space", "identity",
     statement('  "effect": "allow", "action": "cos: GetObject",\n'
               '  "resource": "*"'),
     "ActionError", "/statement/0/action", 3, 32, '"cos: GetObject"',
     "`cos:GetObject`"),
    ("action-number", "identity",
     statement('  "effect": "allow", "action": [7], "resource": "*"'),
     "ActionError", "/statement/0/action/0", 3, 33, "7", "number `7`"),
    ("missing-resource", "identity",
     statement('  "effect": "allow", "action": "scf:*"'),
     "ResourceError", "/statement/0/resource", 2, 16, "{",
     "no `resource`"),
    ("resource-not-qcs", "identity",
     statement('  "effect": "allow", "action": "scf:*",\n'
               '  "resource": ["scf::ap-guangzhou"]'),
     "ResourceQcsError", "/statement/0/resource/0", 4, 16,
     '"scf::ap-guangzhou"', "start with `qcs:`"),
    ("resource-bad-region", "identity",
     statement('  "effect": "allow", "action": "scf:*",\n'
               '  "resource": "qcs::scf:Guangzhou:uin/1:function/f"'),
     "ResourceRegionError", "/statement/0/resource", 4, 15,
     '"qcs::scf:Guangzhou', "`Guangzhou`"),
    ("resource-bad-account", "identity",
     statement('  "effect": "allow", "action": "scf:*",\n'
               '  "resource": "qcs::scf:ap-guangzhou:root:function/f"'),
     "ResourceUinError", "/statement/0/resource", 4, 15,
     '"qcs::scf:ap-guangzhou:root', "`root`"),
    ("resource-unknown-variable", "identity",
     statement('  "effect": "allow", "action": "scf:*",\n'
               '  "resource": "qcs::cos:::queue/${user}/*"'),
     "ResourceError", "/statement/0/resource", 4, 15,
     '"qcs::cos:::queue/${user}', "`${user}`"),
    # Conditions.
    ("condition-list", "identity", statement(ALLOW + '\n  "condition": []'),
     "ConditionError", "/statement/0/condition", 4, 16, "[]",
     "not an object"),
    ("unknown-operator", "identity",
     statement(ALLOW + '\n  "condition": {"string_equals": {"a:b": "c"}}'),
     "ConditionTypeError", "/statement/0/condition/string_equals", 4, 17,
     '"string_equals"', "did you mean `string_equal`?"),
    ("null-equal-if-exist", "identity",
     statement(ALLOW + '\n  "condition": {"null_equal_if_exist": '
               '{"a:b": true}}'),
     "ConditionTypeError", "/statement/0/condition/null_equal_if_exist",
     4, 17, '"null_equal_if_exist"', "drop the `_if_exist`"),
    ("operator-value-not-object", "identity",
     statement(ALLOW + '\n  "condition": {"ip_equal": "10.0.0.0/8"}'),
     "ConditionError", "/statement/0/condition/ip_equal", 4, 29,
     '"10.0.0.0/8"', "object of keys and values"),
    ("operator-without-keys", "identity",
     statement(ALLOW + '\n  "condition": {"ip_equal": {}}'),
     "ConditionError", "/statement/0/condition/ip_equal", 4, 29, "{}",
     "an empty object"),
    ("empty-values", "identity",
     statement(ALLOW + '\n  "condition": {"ip_equal": {"qcs:ip": []}}'),
     "ConditionContentError", "/statement/0/condition/ip_equal/qcs:ip",
     4, 40, "[]", "at least one value"),
    ("bad-cidr", "identity",
     statement(ALLOW + '\n  "condition": {"ip_equal": {"qcs:ip": '
               '["10.0.0.0/8", "10.0.0.300"]}}'),
     "ConditionContentError", "/statement/0/condition/ip_equal/qcs:ip/1",
     4, 55, '"10.0.0.300"', "CIDR"),
    ("bad-date", "identity",
     statement(ALLOW + '\n  "condition": {"date_less_than": '
               '{"qcs:current_time": "tomorrow"}}'),
     "ConditionContentError",
     "/statement/0/condition/date_less_than/qcs:current_time",
     4, 56, '"tomorrow"', "2016-06-01T00:01:00Z"),
    ("bad-number", "identity",
     statement(ALLOW + '\n  "condition": {"numeric_equal": '
               '{"cos:content-length": "ten"}}'),
     "ConditionContentError",
     "/statement/0/condition/numeric_equal/cos:content-length",
     4, 57, '"ten"', "not a number"),
    ("bad-bool", "identity",
     statement(ALLOW + '\n  "condition": {"bool_equal": {"mfa": "yes"}}'),
     "ConditionContentError", "/statement/0/condition/bool_equal/mfa",
     4, 39, '"yes"', "`true` or `false`"),
    ("null-value", "identity",
     statement(ALLOW + '\n  "condition": {"string_equal": {"a:b": null}}'),
     "ConditionContentError", "/statement/0/condition/string_equal/a:b",
     4, 41, "null", "`null`"),
    ("unknown-variable-in-condition", "identity",
     statement(ALLOW + '\n  "condition": {"string_equal": '
               '{"a:b": "${name}"}}'),
     "ConditionContentError", "/statement/0/condition/string_equal/a:b",
     4, 41, '"${name}"', "`${uin}`, `${owner_uin}` and `${app_id}`"),
    ("condition-key-case", "identity",
     statement(ALLOW + '\n  "condition": {"ip_equal": {"qcs:IP": '
               '"10.0.0.0/8"}}'),
     "ConditionError", "/statement/0/condition/ip_equal/qcs:IP", 4, 30,
     '"qcs:IP"', "did you mean `qcs:ip`?"),
    # Principals.
    ("principal-in-identity", "identity",
     statement(ALLOW + '\n  "principal": "*"'),
     "PrincipalError", "/statement/0/principal", 4, 3, '"principal"',
     "belongs in trust policies and bucket policies"),
    ("principal-in-session", "session",
     '{"version": "2.0", "principal": "*", "statement": '
     '{"effect": "allow", "action": "scf:*", "resource": "*"}}',
     "PrincipalError", "/principal", 1, 20, '"principal"',
     "a session policy takes no `principal`"),
    ("principal-number", "trust", statement(TRUST + '\n  "principal": 1'),
     "PrincipalError", "/statement/0/principal", 4, 16, "1",
     '`"*"`, or an object'),
    ("principal-bad-qcs", "trust",
     statement(TRUST + '\n  "principal": {"qcs": "qcs::cam::uin/x:root"}'),
     "PrincipalQcsError", "/statement/0/principal/qcs", 4, 24,
     '"qcs::cam::uin/x:root"', "qcs::cam::uin/<uin>:root"),
    ("principal-capitalised-element", "trust",
     statement(TRUST + '\n  "principal": {"Service": "scf.qcloud.com"}'),
     "PrincipalError", "/statement/0/principal/Service", 4, 17,
     '"Service"', "did you mean `service`?"),
    ("principal-console-service-name", "trust",
     statement(TRUST + '\n  "principal": {"service": '
               '["service-scf.qcloud.com"]}'),
     "PrincipalError", "/statement/0/principal/service/0", 4, 29,
     '"service-scf.qcloud.com"', "policy value is `scf.qcloud.com`"),
    ("trust-without-principal", "trust", statement(TRUST[:-1]),
     "PrincipalError", "/statement/0/principal", 2, 16, "{",
     "a trust policy statement has no `principal`"),
    ("trust-other-action", "trust",
     statement('  "effect": "allow", "action": ["cos:GetObject"],\n'
               '  "principal": "*"'),
     "ActionError", "/statement/0/action/0", 3, 33, '"cos:GetObject"',
     "name/sts:AssumeRole"),
    ("bucket-without-principal", "bucket", statement(ALLOW[:-1]),
     "PrincipalError", "/statement/0/principal", 2, 16, "{",
     "a bucket policy statement has no `principal`"),
    # The size limit.
    ("too-long", "identity",
     statement(ALLOW + '\n  "condition": {"string_equal": {"a:b": ['
               + ", ".join(['"xxxxxxxxxx"'] * 500) + "]}}"),
     "PolicyDocumentLengthOverLimit", "", 1, 1, "{", "6,144"),
]


def only_problem(text, kind):
    """The single problem `parse_policy` finds in `text`."""
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, kind=kind)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def text_at(text: str, line: int, column: int) -> str:
    """What `text` holds from `line`, `column` to the end of that line."""
    lines = text.split("\n")
    return lines[line - 1][column - 1:] if line <= len(lines) else ""


@pytest.mark.parametrize(
    "kind, text, code, path, line, column, there, fragment",
    [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_broken_policy_reports_one_located_problem(
        kind, text, code, path, line, column, there, fragment):
    """Each broken document yields one problem with code, path and place."""
    problem = only_problem(text, kind)

    assert problem.code == V + code
    assert (problem.path, problem.line, problem.column) == (
        path, line, column)
    assert text_at(text, line, column).startswith(there)
    assert fragment in f"{problem.message} {problem.hint}"


@pytest.mark.parametrize("kind, text, code, path, line, column, _, __",
                         [case[1:] for case in CASES
                          if case[3].startswith("Principal")
                          or case[3].startswith("Condition")],
                         ids=[case[0] for case in CASES
                              if case[3].startswith(("Principal",
                                                     "Condition"))])
def test_mapping_problems_have_a_path_but_no_place(
        kind, text, code, path, line, column, _, __):
    """The same document given as a mapping reports the path, no line."""
    problem = only_problem(json.loads(text), kind)

    assert (problem.code, problem.path) == (V + code, path)
    assert (problem.line, problem.column) == (None, None)


@pytest.mark.parametrize("source, line, column, fragment", [
    (b'{"version":\n "\xff"}', 2, 3, "`0xff` is not UTF-8"),
    (b"\xef\xbb\xbf[1,\n 2,]", 2, 4, "a comma before `]`"),
    ('{"a": "tab\there"}', 1, 11, "control character"),
    ('{"a": 1e999}', 1, 7, "out of range"),
    ("[" * 200, 1, 102, "deeper than 100"),
    ('{"a": NaN}', 1, 7, "`NaN` is not JSON"),
    ('{"a": 1} {}', 1, 10, "after the document's end"),
])
def test_text_that_is_not_json_is_located(source, line, column, fragment):
    """Malformed text and bytes give the line and column of the error."""
    problem = only_problem(source, "identity")

    assert problem.code == V + "PolicyDocumentError"
    assert (problem.path, problem.line, problem.column) == ("", line, column)
    assert fragment in f"{problem.message} {problem.hint}"


@pytest.mark.parametrize("data, path, fragment", [
    ({"version": "2.0", "statement": [{"effect": {1, 2}}]},
     "/statement/0/effect", "is not a JSON value"),
    ({"version": "2.0", 2: "x"}, "", "key `2` is not a string"),
    ({"version": float("nan")}, "/version", "`nan` is not a JSON value"),
    ({"version": b"2.0"}, "/version", "is not a JSON value"),
])
def test_mapping_with_python_objects_is_a_policy_error(data, path,
                                                        fragment):
    """Python values that JSON cannot hold are problems, not crashes."""
    problem = only_problem(data, "identity")

    assert (problem.code, problem.path) == (V + "PolicyDocumentError", path)
    assert fragment in problem.message


def test_mapping_that_contains_itself_is_a_policy_error():
    """A self-containing mapping is reported at the place it recurs."""
    data = {"version": "2.0", "statement": []}
    data["statement"].append(data)

    problem = only_problem(data, "identity")

    assert problem.path == "/statement/0"
    assert "contains itself" in problem.message


def test_a_missing_file_name_gets_a_hint():
    """Text that looks like a file name that does not exist says so."""
    problem = only_problem("no-such-policy.json", "identity")

    assert "no file `no-such-policy.json` exists" in problem.hint


MANY_PROBLEMS = """{
  "Version": "2.0",
  "statement": [
    {"effect": "Allow", "action": "ListFunctions", "resource": "*"},
    {"effect": "allow", "action": [], "resource": "scf",
     "condition": {"ip_equal": {"qcs:ip": "somewhere"}}},
    "deny",
    {"effect": "deny", "action": "cos:*", "principal": "*"}
  ]
}"""


def test_every_problem_is_reported_in_one_pass_in_order():
    """One document with many faults lists each of them, top to bottom."""
    with pytest.raises(PolicyError) as caught:
        parse_policy(MANY_PROBLEMS)

    found = [(p.code.removeprefix(V), p.path, p.line, p.column)
             for p in caught.value.problems]
    assert found == [
        ("PolicyDocumentError", "/Version", 2, 3),
        ("EffectError", "/statement/0/effect", 4, 16),
        ("ActionError", "/statement/0/action", 4, 35),
        ("ActionError", "/statement/1/action", 5, 35),
        ("ResourceQcsError", "/statement/1/resource", 5, 51),
        ("ConditionContentError",
         "/statement/1/condition/ip_equal/qcs:ip", 6, 43),
        ("StatementError", "/statement/2", 7, 5),
        ("ResourceError", "/statement/3/resource", 8, 5),
        ("PrincipalError", "/statement/3/principal", 8, 43),
    ]


def test_misspelt_element_is_reported_once_and_still_checked():
    """`Effect` is one problem; the value under it is checked as an effect."""
    text = statement('  "Effect": "Allow", "action": "scf:*", '
                     '"resource": "*"')

    with pytest.raises(PolicyError) as caught:
        parse_policy(text)

    assert [(p.code, p.path) for p in caught.value.problems] == [
        (V + "PolicyDocumentError", "/statement/0/Effect"),
        (V + "EffectError", "/statement/0/Effect"),
    ]


def test_near_miss_next_to_the_real_element_is_only_unknown():
    """With both `effect` and `Effect`, the hint says to remove the extra."""
    problem = only_problem(statement(ALLOW + ' "Effect": "deny"'),
                           "identity")

    assert problem.path == "/statement/0/Effect"
    assert "`effect` is already given" in problem.hint


def test_length_problem_comes_with_the_others():
    """A long document with other faults reports the length first."""
    values = ", ".join(['"xxxxxxxxxx"'] * 700)
    text = statement('  "effect": "alow", "action": "scf:*",\n'
                     '  "resource": "*", "condition": {"string_equal": '
                     '{"a:b": [' + values + "]}}")

    with pytest.raises(PolicyError) as caught:
        parse_policy(text)

    assert [p.code for p in caught.value.problems] == [
        V + "PolicyDocumentLengthOverLimit", V + "EffectError"]


def test_whitespace_does_not_count_towards_the_length():
    """A document under the limit stays under it however it is indented."""
    body = {"effect": "allow", "action": ["scf:ListFunctions"] * 300,
            "resource": "*"}
    text = json.dumps({"version": "2.0", "statement": [body]}, indent=8)

    assert len(text) > 6144
    assert len(parse_policy(text).statements[0].actions) == 300


def test_error_text_shows_each_problem_with_its_place_and_hint():
    """`str(error)` lists the location, message, code and hint."""
    with pytest.raises(PolicyError) as caught:
        parse_policy('{"version": "2.0", "statement": []}', name="Empty")

    assert str(caught.value) == (
        "policy `Empty` has 1 problem:\n"
        "  /statement (line 1, column 33): `statement` is an empty list "
        "[InvalidParameter.StatementError]\n"
        "    hint: add at least one statement")
