"""Properties of the reader and the validator over generated input."""

from __future__ import annotations

import json
from datetime import timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scflab.errors import PolicyError
from scflab.language.jsontext import JsonSyntaxError, load, pointer
from scflab.language.model import PolicyKind
from scflab.language.parser import parse_policy

QUICK = settings(max_examples=100, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=4)
                   | st.dictionaries(st.text(max_size=8), inner,
                                     max_size=4)),
    max_leaves=16)

# Documents shaped like policies, so that the checks deep inside run too.
names = st.sampled_from(["scf:ListFunctions", "cos:*", "name/sts:AssumeRole",
                         "*", "Allow", "allow ", "qcs::cam::uin/1:root",
                         "10.0.0.0/8", "${uin}", "${user}", "2.0", ""])
loose = names | json_values
loose_statement = st.dictionaries(
    st.sampled_from(["effect", "action", "resource", "condition",
                     "principal", "Effect", "sid"]),
    loose | st.dictionaries(st.sampled_from(
        ["ip_equal", "string_equals", "qcs", "service", "null_equal"]),
        st.dictionaries(st.sampled_from(["qcs:ip", "qcs:IP", "a:b"]),
                        loose, max_size=2) | loose, max_size=2),
    max_size=6)
policy_shaped = st.dictionaries(
    st.sampled_from(["version", "statement", "principal", "Statement"]),
    loose | st.lists(loose_statement | loose, max_size=3) | loose_statement,
    max_size=4)


def pointers(value, path=""):
    """Every JSON pointer inside `value`, the root included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from pointers(item, pointer(path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from pointers(item, pointer(path, index))


def outcome(source, kind="identity"):
    """The policy parsed from `source`, or the problems it has."""
    try:
        return parse_policy(source, kind=kind)
    except PolicyError as error:
        assert error.problems, "a PolicyError lists at least one problem"
        return error.problems


@QUICK
@given(json_values, st.sampled_from([None, 0, 2]))
def test_reader_agrees_with_json_and_locates_every_value(value, indent):
    """`load` returns `json.loads`'s value and a place for every pointer."""
    text = json.dumps(value, indent=indent)

    document = load(text)

    assert document.value == json.loads(text)
    assert set(document.values) == set(pointers(value))
    for path, place in document.values.items():
        assert text[place.offset] in '{["-0123456789tfn'


@QUICK
@given(st.text(max_size=40))
def test_reader_raises_only_its_syntax_error_on_any_text(text):
    """Any text is read or refused with a located `JsonSyntaxError`."""
    try:
        load(text)
    except JsonSyntaxError as error:
        assert error.line >= 1 and error.column >= 1


@QUICK
@given(json_values | policy_shaped,
       st.sampled_from(list(PolicyKind)))
def test_validator_raises_only_policy_error_on_json_text(value, kind):
    """Any JSON value, as text, parses or raises `PolicyError`."""
    outcome(json.dumps(value), kind)


@QUICK
@given(policy_shaped | st.dictionaries(st.text(max_size=8), json_values),
       st.sampled_from(list(PolicyKind)))
def test_validator_raises_only_policy_error_on_mappings(value, kind):
    """Any mapping of JSON data parses or raises `PolicyError`."""
    result = outcome(value, kind)

    if isinstance(result, list):
        assert all(p.line is None and p.column is None for p in result)


@QUICK
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_validator_raises_only_policy_error_on_any_text(source):
    """Arbitrary text and bytes parse or raise `PolicyError`."""
    outcome(source)


@QUICK
@given(policy_shaped, st.sampled_from([None, 1, 4]))
def test_problems_are_ordered_by_position(value, indent):
    """The problems of a text come top to bottom, left to right."""
    result = outcome(json.dumps(value, indent=indent))

    if isinstance(result, list):
        places = [(p.line, p.column) for p in result if p.line is not None]
        assert places == sorted(places)


# A strategy for valid policies.

regions = st.sampled_from(["ap-guangzhou", "ap-shanghai", "gz", "sh", ""])
function_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}",
                               fullmatch=True)
resources = st.sampled_from([
    "*",
    "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/dir1/*",
    "qcs::cam::uin/12345:roleName/DevOpsRole",
    "qcs::cmqqueue:::queueName/uin/${uin}/*",
]) | st.builds(
    "qcs::scf:{}:uin/100000000001:namespace/default/function/{}".format,
    regions, function_names)
actions = st.sampled_from([
    "scf:ListFunctions", "cos:*", "scf:List*", "name/cos:GetObject", "*",
    "cls:getTopic", "cam:PassRole"])
assume_role = st.sampled_from([
    "name/sts:AssumeRole", "sts:AssumeRole", "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity"])

safe_text = st.text(max_size=10).filter(lambda text: "${" not in text)
dates = st.datetimes(timezones=st.just(timezone.utc)).map(
    lambda moment: moment.isoformat())
addresses = st.ip_addresses().map(str) | st.sampled_from(
    ["10.217.182.3/24", "111.21.33.72/24", "::1/128"])
numbers = st.integers(-10**6, 10**6) | st.floats(
    -1e6, 1e6, allow_nan=False)
VALUES = {
    "string_equal": safe_text, "string_not_equal_ignore_case": safe_text,
    "string_like": safe_text, "numeric_less_than": numbers,
    "numeric_equal": numbers, "date_greater_than": dates,
    "bool_equal": st.booleans(), "ip_equal": addresses,
    "ip_not_equal": addresses, "null_equal": st.booleans(),
}
condition_keys = st.sampled_from(["qcs:ip", "vpc:region", "cos:versionid",
                                  "qcs:current_time", "qcs:resource_tag"])


@st.composite
def conditions(draw):
    """A condition object of one or two operators with valid values."""
    result = {}
    for base in draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1,
                              max_size=2, unique=True)):
        suffix = "" if base == "null_equal" else draw(
            st.sampled_from(["", "_if_exist"]))
        prefix = draw(st.sampled_from(["", "for_any_value:"]))
        values = VALUES[base]
        result[prefix + base + suffix] = draw(st.dictionaries(
            condition_keys, values | st.lists(values, min_size=1,
                                              max_size=3),
            min_size=1, max_size=2))
    return result


def one_or_list(values):
    """A value drawn from `values`, or a short list of them."""
    return values | st.lists(values, min_size=1, max_size=3)


@st.composite
def statements(draw, kind):
    """A valid statement for a policy of `kind`."""
    statement = {"effect": draw(st.sampled_from(["allow", "deny"]))}
    trust = kind is PolicyKind.TRUST
    statement["action"] = draw(one_or_list(assume_role if trust
                                           else actions))
    if not trust or draw(st.booleans()):
        statement["resource"] = draw(one_or_list(resources))
    if draw(st.booleans()):
        statement["condition"] = draw(conditions())
    if kind in (PolicyKind.TRUST, PolicyKind.BUCKET):
        statement["principal"] = draw(st.sampled_from([
            "*", {"service": "scf.qcloud.com"},
            {"qcs": ["qcs::cam::uin/67890:root",
                     "qcs::cam::uin/12345:uin/678"]},
            {"federated": "qcs::cam::uin/12345:oidc-provider/idp"}]))
    return statement


@st.composite
def valid_policies(draw):
    """A valid document and the kind it is valid for."""
    kind = draw(st.sampled_from(list(PolicyKind)))
    body = draw(st.lists(statements(kind), min_size=1, max_size=3))
    return {"version": "2.0", "statement": body}, kind


@QUICK
@given(valid_policies(), st.sampled_from([None, "Generated"]))
def test_parse_to_json_parse_is_identity(document, name):
    """A valid policy survives `to_json` and parsing unchanged."""
    data, kind = document

    policy = parse_policy(json.dumps(data, indent=1), kind=kind, name=name)

    assert parse_policy(policy.to_json(), kind=policy.kind,
                        name=policy.name) == policy
    assert parse_policy(data, kind=kind, name=name) == policy


@QUICK
@given(valid_policies())
def test_valid_policies_keep_every_statement(document):
    """Parsing keeps each statement, its actions and its conditions."""
    data, kind = document

    policy = parse_policy(data, kind=kind)

    assert len(policy) == len(data["statement"])
    for written, statement in zip(data["statement"], policy):
        action = written["action"]
        assert statement.actions == tuple(
            action if isinstance(action, list) else [action])
        operators = written.get("condition", {})
        assert len(statement.conditions) == sum(map(len, operators.values()))
