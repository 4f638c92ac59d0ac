"""parse_policy reads every documented policy and normalises what it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scflab.errors import PolicyError
from scflab.language.model import (
    Condition,
    Effect,
    Policy,
    PolicyKind,
    Principal,
    Statement,
)
from scflab.language.parser import parse_policy

SCF_ROLE_TRUST = """{"version": "2.0", "statement": [{"action":
  ["name/sts:AssumeRole"], "effect": "allow",
  "principal": {"service": ["scf.qcloud.com"]}}]}"""

ACCOUNT_TRUST = """{"version": "2.0", "statement": [{"action":
  "name/sts:AssumeRole", "effect": "allow",
  "principal": {"qcs": ["qcs::cam::uin/67890:root"]}}]}"""

ASSUME_ONE_ROLE = """{"version": "2.0", "statement": [{"effect": "allow",
  "action": ["name/sts:AssumeRole"],
  "resource": ["qcs::cam::uin/12345:roleName/DevOpsRole"]}]}"""

ACCESS_FOR_SCF_ROLE = """{"version": "2.0", "statement": [{"effect":
  "allow", "resource": "*", "action": ["cos:GetBucket*", "cos:HeadBucket",
  "cos:PutBucket*", "apigw:*", "cls:*", "cos:List*", "cos:Get*",
  "cos:Head*", "cos:OptionsObject", "cmqqueue:*", "cmqtopic:*",
  "ckafka:List*", "ckafka:Describe*", "ckafka:AddRoute",
  "ckafka:CreateRoute"]}]}"""

SCF_FULL_ACCESS = """{"version": "2.0", "statement": [{"effect": "allow",
  "resource": "*", "action": ["scf:*", "tag:*", "cam:DescribeRoleList",
  "cam:GetRole", "cam:ListAttachedRolePolicies",
  "apigw:DescribeServicesStatus", "apigw:DescribeService",
  "apigw:DescribeApisStatus", "cmqtopic:ListTopicDetail",
  "cmqqueue:ListQueueDetail", "cmqtopic:GetSubscriptionAttributes",
  "cmqtopic:GetTopicAttributes", "cos:GetService", "cos:HeadBucket",
  "cos:HeadObject", "vpc:DescribeVpcEx", "vpc:DescribeSubnetEx",
  "cls:getTopic", "cls:getLogset", "cls:listLogset", "cls:listTopic",
  "ckafka:List*", "ckafka:Describe*", "ckafka:ListInstance",
  "monitor:GetMonitorData", "monitor:DescribeBasicAlarmList",
  "monitor:DescribeBaseMetrics", "monitor:DescribeSortObjectList",
  "monitor:DescribePolicyConditionList", "cdb:DescribeDBInstances"]}]}"""

SCF_READ_ONLY = """{"version": "2.0", "statement": [{"effect": "allow",
  "resource": "*", "action": ["scf:Get*", "scf:List*", "ckafka:List*",
  "ckafka:Describe*", "monitor:GetMonitorData",
  "monitor:DescribeBasicAlarmList", "monitor:DescribeBaseMetrics",
  "monitor:DescribeSortObjectList", "cam:GetRole",
  "cam:ListAttachedRolePolicies", "vpc:DescribeVpcEx",
  "vpc:DescribeSubnetEx", "cls:getLogset", "cls:getTopic",
  "cls:listTopic", "apigw:DescribeService", "cmqtopic:GetTopicAttributes",
  "cmqtopic:GetSubscriptionAttributes", "cos:HeadBucket",
  "cos:GetService", "cos:GetObject"]}]}"""

IP_RESTRICTED_WRITE = """{"version": "2.0", "statement": [{"effect":
  "allow", "action": "cos:PutObject", "resource": "*", "condition":
  {"ip_equal": {"qcs:ip": ["10.217.182.3/24", "111.21.33.72/24"]}}}]}"""

TWO_FUNCTIONS = """{"version": "2.0", "statement": [
  {"effect": "allow", "action": ["scf:ListFunctions",
   "scf:GetAccountSettings", "monitor:*"], "resource": ["*"]},
  {"effect": "allow", "action": ["scf:DeleteFunction",
   "scf:CreateFunction", "scf:InvokeFunction", "scf:UpdateFunction",
   "scf:GetFunctionLogs", "scf:SetTrigger", "scf:DeleteTrigger",
   "scf:GetFunction", "scf:ListVersion"],
   "resource": [
   "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/Test1",
   "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/Test2"
   ]}]}"""

DENY_INSIDE_FOLDER = """{"version": "2.0", "statement": [
  {"effect": "allow", "action": "cos:*", "resource":
   "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/dir1/*"},
  {"effect": "deny", "action": "cos:*", "resource":
   "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/dir1/Object1"}
  ]}"""

IF_EXIST = """{"version": "2.0", "statement": [{"effect": "allow",
  "action": "name/vpc:AcceptVpcPeeringConnection",
  "resource": "qcs::vpc:sh::pcx/2341",
  "condition": {"string_equal_if_exist": {"vpc:region": "sh"}}}]}"""

CREATOR_ONLY = """{"version": "2.0", "statement": [{"effect": "allow",
  "action": "cmqqueue:*",
  "resource": "qcs::cmqqueue:::queueName/uin/${uin}/*"}]}"""

#: (name, kind, document, statements, actions in the first statement)
CAM_EXAMPLES = [
    ("scf-role-trust", "trust", SCF_ROLE_TRUST, 1, 1),
    ("account-trust", "trust", ACCOUNT_TRUST, 1, 1),
    ("assume-one-role", "identity", ASSUME_ONE_ROLE, 1, 1),
    ("QcloudAccessForScfRole", "identity", ACCESS_FOR_SCF_ROLE, 1, 15),
    ("QcloudSCFFullAccess", "identity", SCF_FULL_ACCESS, 1, 30),
    ("QcloudSCFReadOnlyAccess", "identity", SCF_READ_ONLY, 1, 21),
    ("11a-ip-restricted-write", "identity", IP_RESTRICTED_WRITE, 1, 1),
    ("11b-two-functions", "identity", TWO_FUNCTIONS, 2, 3),
    ("11c-deny-inside-folder", "identity", DENY_INSIDE_FOLDER, 2, 1),
    ("11d-if-exist", "identity", IF_EXIST, 1, 1),
    ("11f-creator-only", "identity", CREATOR_ONLY, 1, 1),
]

EXAMPLE_IDS = [case[0] for case in CAM_EXAMPLES]


def minimal(**statement) -> str:
    """A one-statement identity policy with the given elements."""
    body = {"effect": "allow", "action": "scf:ListFunctions",
            "resource": "*", **statement}
    return json.dumps({"version": "2.0", "statement": [body]})


@pytest.mark.parametrize("name, kind, text, statements, actions",
                         CAM_EXAMPLES, ids=EXAMPLE_IDS)
def test_documented_policies_parse(name, kind, text, statements, actions):
    """Every policy document of the reference parses under its kind."""
    policy = parse_policy(text, kind=kind, name=name)

    assert policy.kind == PolicyKind(kind)
    assert policy.name == name
    assert len(policy) == statements
    assert len(policy.statements[0].actions) == actions


@pytest.mark.parametrize("name, kind, text, statements, actions",
                         CAM_EXAMPLES, ids=EXAMPLE_IDS)
def test_documented_policies_round_trip(name, kind, text, statements,
                                        actions):
    """Writing a parsed policy as JSON and parsing it gives it back."""
    policy = parse_policy(text, kind=kind, name=name)

    again = parse_policy(policy.to_json(), kind=policy.kind, name=name)

    assert again == policy
    assert again.to_json() == policy.to_json()


def test_ip_restricted_write_is_read_in_full():
    """The IP example becomes one statement with one two-valued condition."""
    policy = parse_policy(IP_RESTRICTED_WRITE)

    assert policy.statements == (Statement(
        Effect.ALLOW, ("cos:PutObject",), ("*",),
        (Condition("ip_equal", "qcs:ip",
                   ("10.217.182.3/24", "111.21.33.72/24")),)),)


def test_scf_trust_policy_is_read_in_full():
    """A trust policy without `resource` covers every resource."""
    policy = parse_policy(SCF_ROLE_TRUST, kind="trust")

    assert policy.statements == (Statement(
        Effect.ALLOW, ("name/sts:AssumeRole",), ("*",),
        principal=Principal(service=("scf.qcloud.com",))),)


@pytest.mark.parametrize("element, written, normalised", [
    ("action", "cos:*", ("cos:*",)),
    ("action", ["cos:*", "scf:List*"], ("cos:*", "scf:List*")),
    ("action", "name/cos:GetObject", ("name/cos:GetObject",)),
    ("resource", "*", ("*",)),
    ("resource", ["qcs::cos:ap-shanghai:uid/1250000000:b-1250000000/*"],
     ("qcs::cos:ap-shanghai:uid/1250000000:b-1250000000/*",)),
])
def test_single_values_become_tuples(element, written, normalised):
    """A single action or resource reads as a tuple of one; `name/` stays."""
    statement = parse_policy(minimal(**{element: written})).statements[0]

    assert getattr(statement, element + "s") == normalised


def test_to_json_writes_lists_in_a_stable_order():
    """The canonical JSON lists every element and orders them one way."""
    text = """{"statement": {"condition": {"bool_equal": {"mfa": true}},
      "resource": "*", "action": "scf:*", "effect": "deny"},
      "version": "2.0"}"""

    data = json.loads(parse_policy(text).to_json())

    assert data == {"version": "2.0", "statement": [{
        "effect": "deny", "action": ["scf:*"], "resource": ["*"],
        "condition": {"bool_equal": {"mfa": [True]}}}]}
    assert list(data) == ["version", "statement"]
    assert list(data["statement"][0]) == [
        "effect", "action", "resource", "condition"]


def test_single_statement_object_is_a_list_of_one():
    """`statement` given as one object reads like a list holding it."""
    single = minimal().replace('[{', '{').replace('}]', '}')

    assert parse_policy(single) == parse_policy(minimal())


@pytest.mark.parametrize("values, expected", [
    ({"numeric_less_than": {"cos:content-length": 1024}}, (1024,)),
    ({"bool_equal": {"mfa": True}}, (True,)),
    ({"date_less_than": {"qcs:current_time": "2016-06-01T00:01:00Z"}},
     ("2016-06-01T00:01:00Z",)),
    ({"string_equal": {"qcs:uin": "${uin}"}}, ("${uin}",)),
    ({"numeric_equal": {"qcs:uin": "${owner_uin}"}}, ("${owner_uin}",)),
    ({"for_any_value:string_equal": {"qcs:resource_tag": ["env&prod"]}},
     ("env&prod",)),
    ({"null_equal": {"cos:versionid": True}}, (True,)),
])
def test_condition_values_are_kept_as_written(values, expected):
    """Condition values keep their JSON type; policy variables pass."""
    statement = parse_policy(minimal(condition=values)).statements[0]

    assert statement.conditions[0].values == expected


def test_empty_condition_means_no_conditions():
    """An empty `condition` object leaves the statement unconditional."""
    statement = parse_policy(minimal(condition={})).statements[0]

    assert statement.conditions == ()


def test_conditions_keep_document_order():
    """Conditions are listed operator by operator, key by key, as written."""
    condition = {"ip_equal": {"qcs:ip": "10.0.0.0/8"},
                 "string_equal": {"vpc:region": "sh", "mfa": "yes"}}

    statement = parse_policy(minimal(condition=condition)).statements[0]

    assert [(c.operator, c.key) for c in statement.conditions] == [
        ("ip_equal", "qcs:ip"), ("string_equal", "vpc:region"),
        ("string_equal", "mfa")]


@pytest.mark.parametrize("kind", ["trust", PolicyKind.TRUST, "bucket"])
def test_principal_is_read_in_trust_and_bucket_policies(kind):
    """Trust and bucket policies take a principal; its lists become tuples."""
    principal = {"qcs": "qcs::cam::uin/67890:root",
                 "service": ["scf.qcloud.com"]}
    text = json.dumps({"version": "2.0", "statement": [{
        "effect": "allow", "action": "name/sts:AssumeRole",
        "resource": "*", "principal": principal}]})

    statement = parse_policy(text, kind=kind).statements[0]

    assert statement.principal == Principal(
        qcs=("qcs::cam::uin/67890:root",), service=("scf.qcloud.com",))


@pytest.mark.parametrize("principal, expected", [
    ("*", Principal(anyone=True)),
    ({"qcs": ["qcs::cam::anyone:anyone"]},
     Principal(qcs=("qcs::cam::anyone:anyone",))),
    ({"qcs": ["qcs::cam::uin/100000000001:uin/100000000011"]},
     Principal(qcs=("qcs::cam::uin/100000000001:uin/100000000011",))),
    ({"qcs": ["qcs::cam::uin/12345:roleName/DevOpsRole"]},
     Principal(qcs=("qcs::cam::uin/12345:roleName/DevOpsRole",))),
    ({"federated": ["qcs::cam::uin/12345:saml-provider/idp"]},
     Principal(federated=("qcs::cam::uin/12345:saml-provider/idp",))),
])
def test_principal_forms(principal, expected):
    """`*`, CAM principals, services and identity providers are read."""
    text = json.dumps({"version": "2.0", "statement": [{
        "effect": "allow", "action": "sts:AssumeRoleWithSAML",
        "principal": principal}]})

    assert parse_policy(text, kind="trust").statements[0].principal \
        == expected


def test_document_principal_serves_every_trust_statement():
    """A principal at the top of a trust policy is kept on the policy."""
    text = json.dumps({"version": "2.0",
                       "principal": {"service": "scf.qcloud.com"},
                       "statement": [{"effect": "allow",
                                      "action": "sts:AssumeRole"}]})

    policy = parse_policy(text, kind="trust")

    assert policy.principal == Principal(service=("scf.qcloud.com",))
    assert policy.statements[0].principal is None
    assert parse_policy(policy.to_json(), kind="trust") == policy


@pytest.mark.parametrize("kind", list(PolicyKind))
def test_every_kind_accepts_an_identity_style_policy(kind):
    """A plain allow on scf is legal as identity, session or bucket policy."""
    principal = {"principal": "*"} if kind in ("trust", "bucket") else {}
    action = "sts:AssumeRole" if kind == "trust" else "scf:ListFunctions"

    policy = parse_policy(minimal(action=action, **principal), kind=kind)

    assert policy.kind is kind


def test_unknown_kind_is_a_value_error_naming_the_kinds():
    """A kind that is not a `PolicyKind` is refused with the choices."""
    with pytest.raises(ValueError, match=r"`role`.*`identity`, `trust`"):
        parse_policy(minimal(), kind="role")


def test_sources_of_every_type_give_the_same_policy(tmp_path):
    """Text, bytes, a BOM, a path, a path string and a mapping all parse."""
    text = minimal()
    file = tmp_path / "policy.json"
    file.write_text(text, encoding="utf-8")
    expected = parse_policy(text)

    sources = [text, text.encode(), b"\xef\xbb\xbf" + text.encode(),
               bytearray(text.encode()), "\ufeff" + text, file, str(file),
               json.loads(text)]

    for source in sources:
        assert parse_policy(source) == expected, source


def test_source_text_is_kept_for_text_and_not_for_mappings(tmp_path):
    """`source` holds the text read, and is None for a mapping."""
    text = minimal()
    file = tmp_path / "policy.json"
    file.write_bytes(text.encode())

    assert parse_policy(text).source == text
    assert parse_policy(file).source == text
    assert parse_policy(json.loads(text)).source is None


@pytest.mark.parametrize("source", [None, 42, 2.0, object(), {1, 2}])
def test_source_of_another_type_is_a_type_error(source):
    """Anything but text, bytes, a path or a mapping is a programming error."""
    with pytest.raises(TypeError, match="programming error"):
        parse_policy(source)


def test_policy_error_carries_the_name():
    """The error names the policy it was raised for."""
    with pytest.raises(PolicyError) as caught:
        parse_policy("{}", name="Broken")

    assert caught.value.name == "Broken"
    assert str(caught.value).startswith("policy `Broken` has 2 problems")


def test_result_is_a_policy_with_version_two():
    """The parsed value is a `Policy` carrying version `2.0`."""
    policy = parse_policy(minimal())

    assert isinstance(policy, Policy)
    assert policy.version == "2.0"


def test_reading_a_missing_path_object_raises_os_error(tmp_path):
    """A `PathLike` that names no file is an input error of the caller."""
    with pytest.raises(FileNotFoundError):
        parse_policy(Path(tmp_path / "missing.json"))
