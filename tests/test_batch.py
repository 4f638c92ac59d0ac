"""`evaluate_many` answers exactly as `evaluate` does, request by request."""

from __future__ import annotations

import math
import subprocess
import sys

import pandas
import pytest

from scflab import (
    Effect, Outcome, Policy, Request, RequestError, Statement,
    evaluate, evaluate_many, parse_policy, preset)
from scflab.evaluation.compiled import compile_policies

ROOT = "100000000001"
OTHER = "200000000001"
SUB = f"qcs::cam::uin/{ROOT}:uin/100000000002"
SUB3 = f"qcs::cam::uin/{ROOT}:uin/100000000003"
ROOT_CALLER = f"qcs::cam::uin/{ROOT}:root"
OTHER_ROOT = f"qcs::cam::uin/{OTHER}:uin/{OTHER}"
ROLE = f"qcs::cam::uin/{ROOT}:roleName/deployer"
FUNCTION = f"qcs::scf:ap-guangzhou:uin/{ROOT}:namespace/default/function/{{}}"
ELSEWHERE = f"qcs::scf:ap-guangzhou:uin/{OTHER}:namespace/default/function/f"
BUCKET = "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/{}"
QUEUE = f"qcs::cmqqueue:ap-guangzhou:uin/{ROOT}:queueName/uin/{{}}/q1"
PCX = f"qcs::vpc:ap-shanghai:uin/{ROOT}:pcx/2341"


def policy(*statements, name="test", kind="identity", **document):
    return parse_policy({"version": "2.0", "statement": list(statements),
                         **document}, kind=kind, name=name)


def allow(action, resource="*", **extra):
    return {"effect": "allow", "action": action, "resource": resource,
            **extra}


def deny(action, resource="*", **extra):
    return {"effect": "deny", "action": action, "resource": resource,
            **extra}


def when(operator, key, values):
    return {"condition": {operator: {key: values}}}


IP_WRITE = policy(allow("cos:PutObject", **when(
    "ip_equal", "qcs:ip", ["10.217.182.3/24", "111.21.33.72/24"])))
TWO_FUNCTIONS = policy(
    allow(["scf:ListFunctions", "scf:GetAccountSettings", "monitor:*"]),
    allow(["scf:DeleteFunction", "scf:CreateFunction", "scf:InvokeFunction",
           "scf:UpdateFunction", "scf:GetFunctionLogs", "scf:SetTrigger",
           "scf:DeleteTrigger", "scf:GetFunction", "scf:ListVersion"],
          [FUNCTION.format("Test1"), FUNCTION.format("Test2")]))
FOLDER = policy(allow("cos:*", BUCKET.format("dir1/*")),
                deny("cos:*", BUCKET.format("dir1/Object1")))
IF_EXIST = policy(allow("name/vpc:AcceptVpcPeeringConnection",
                        "qcs::vpc:sh::pcx/2341",
                        **when("string_equal_if_exist", "vpc:region", "sh")))
VERSION = policy(allow("cos:GetObject", **when(
    "string_equal", "cos:versionid", "v1")))
VERSION_IF_EXIST = policy(allow("cos:GetObject", **when(
    "string_equal_if_exist", "cos:versionid", "v1")))
CREATOR_ONLY = policy(allow("cmqqueue:*",
                            "qcs::cmqqueue:::queueName/uin/${uin}/*"))
READ_ONLY = preset("QcloudSCFReadOnlyAccess").policy()
EVERYTHING = policy(allow("*"), name="everything")

# Each case: an id, the policies, the request, and the outcome expected.
CASES = [
    # The reference's documented examples.
    ("ip inside the first block", [IP_WRITE],
     Request("cos:PutObject", "*", SUB, {"qcs:ip": "10.217.182.77"}),
     "allow"),
    ("ip inside the second block", [IP_WRITE],
     Request("cos:PutObject", "*", SUB, {"qcs:ip": "111.21.33.5"}),
     "allow"),
    ("ip outside both blocks", [IP_WRITE],
     Request("cos:PutObject", "*", SUB, {"qcs:ip": "8.8.8.8"}),
     "implicit_deny"),
    ("two functions: list", [TWO_FUNCTIONS],
     Request("scf:ListFunctions", "*", SUB), "allow"),
    ("two functions: named", [TWO_FUNCTIONS],
     Request("scf:InvokeFunction", FUNCTION.format("Test1"), SUB), "allow"),
    ("two functions: other", [TWO_FUNCTIONS],
     Request("scf:InvokeFunction", FUNCTION.format("Test3"), SUB),
     "implicit_deny"),
    ("folder: allowed object", [FOLDER],
     Request("cos:GetObject", BUCKET.format("dir1/Object2"), SUB), "allow"),
    ("folder: denied object", [FOLDER],
     Request("cos:GetObject", BUCKET.format("dir1/Object1"), SUB),
     "explicit_deny"),
    ("folder: outside", [FOLDER],
     Request("cos:GetObject", BUCKET.format("dir2/a"), SUB),
     "implicit_deny"),
    ("if_exist: value matches", [IF_EXIST],
     Request("vpc:AcceptVpcPeeringConnection", PCX, SUB,
             {"vpc:region": "sh"}), "allow"),
    ("if_exist: key absent", [IF_EXIST],
     Request("vpc:AcceptVpcPeeringConnection", PCX, SUB), "allow"),
    ("if_exist: other value", [IF_EXIST],
     Request("vpc:AcceptVpcPeeringConnection", PCX, SUB,
             {"vpc:region": "gz"}), "implicit_deny"),
    ("string_equal: key absent", [VERSION],
     Request("cos:GetObject", "*", SUB), "implicit_deny"),
    ("string_equal_if_exist: key absent", [VERSION_IF_EXIST],
     Request("cos:GetObject", "*", SUB), "allow"),
    ("string_equal: other value", [VERSION_IF_EXIST],
     Request("cos:GetObject", "*", SUB, {"cos:versionid": "v2"}),
     "implicit_deny"),
    ("variable: own queue", [CREATOR_ONLY],
     Request("cmqqueue:SendMessage", QUEUE.format("100000000002"), SUB),
     "allow"),
    ("variable: another's queue", [CREATOR_ONLY],
     Request("cmqqueue:SendMessage", QUEUE.format("100000000003"), SUB),
     "implicit_deny"),
    ("preset in lower camel case", [READ_ONLY],
     Request("cls:GetTopic", "*", SUB), "allow"),

    # Failing closed.
    ("deny with a variable the role lacks blocks the allow",
     [EVERYTHING, policy(deny("scf:*", "qcs::scf:::namespace/${uin}/*"))],
     Request("scf:GetFunction", FUNCTION.format("f"), ROLE),
     "implicit_deny"),
    ("allow with a variable the role lacks grants nothing",
     [policy(allow("scf:*", "qcs::scf:::namespace/${uin}/*"))],
     Request("scf:GetFunction", FUNCTION.format("f"), ROLE),
     "implicit_deny"),
    ("deny on an unreadable ip blocks the allow",
     [EVERYTHING, policy(deny("*", **when("ip_equal", "qcs:ip",
                                          "10.0.0.0/8")))],
     Request("scf:GetFunction", "*", SUB, {"qcs:ip": "not-an-ip"}),
     "implicit_deny"),
    ("allow on an unreadable ip grants nothing",
     [IP_WRITE], Request("cos:PutObject", "*", SUB, {"qcs:ip": "1.2.3"}),
     "implicit_deny"),
    ("a condition not met outweighs one not evaluated",
     [EVERYTHING, policy(deny("*", condition={
         "ip_equal": {"qcs:ip": "10.0.0.0/8"},
         "string_equal": {"vpc:region": "sh"}}))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:ip": "bad", "vpc:region": "gz"}), "allow"),
    ("a text condition cannot read a boolean",
     [EVERYTHING, policy(deny("*", **when("string_equal", "k", "true")))],
     Request("scf:GetFunction", "*", SUB, {"k": True}), "implicit_deny"),

    # Operation-level actions.
    ("operation-level action, named resource", [policy(allow(
        "scf:ListFunctions", FUNCTION.format("*")))],
     Request("scf:ListFunctions", FUNCTION.format("f"), SUB),
     "implicit_deny"),
    ("operation-level action, every resource", [policy(allow(
        "scf:ListFunctions"))],
     Request("scf:ListFunctions", FUNCTION.format("f"), SUB), "allow"),
    ("operation-level deny on a named resource does not apply",
     [EVERYTHING, policy(deny("scf:ListFunctions", FUNCTION.format("*")))],
     Request("scf:ListFunctions", FUNCTION.format("f"), SUB), "allow"),

    # The root account.
    ("root owns its function, even against a deny",
     [policy(deny("*"))],
     Request("scf:DeleteFunction", FUNCTION.format("f"), ROOT_CALLER),
     "allow"),
    ("root of another account needs a grant", [],
     Request("scf:DeleteFunction", FUNCTION.format("f"), OTHER_ROOT),
     "implicit_deny"),
    ("root and the resource `*`", [policy(deny("*"))],
     Request("scf:ListFunctions", "*", ROOT_CALLER), "explicit_deny"),
    ("root owns a resource named by app id", [],
     Request("cos:GetObject", f"qcs::cos:ap-shanghai:uid/{ROOT}:b-1/k",
             ROOT_CALLER), "allow"),

    # Principals in statements and policies.
    ("a bucket statement naming the caller",
     [policy({**allow("cos:GetObject"), "principal": {"qcs": [SUB]}},
             kind="bucket")],
     Request("cos:GetObject", "*", SUB), "allow"),
    ("a bucket statement naming someone else",
     [policy({**allow("cos:GetObject"), "principal": {"qcs": [SUB]}},
             kind="bucket")],
     Request("cos:GetObject", "*", SUB3), "implicit_deny"),
    ("a policy principal naming the caller's account",
     [policy(allow("cos:GetObject"), kind="bucket",
             principal={"qcs": [f"qcs::cam::uin/{ROOT}:root"]})],
     Request("cos:GetObject", "*", SUB3), "allow"),
    ("a trust policy admits a service",
     [policy({"effect": "allow", "action": "name/sts:AssumeRole",
              "principal": {"service": ["scf.qcloud.com"]}}, kind="trust")],
     Request("sts:AssumeRole", "*", "scf.qcloud.com"), "allow"),
    ("a trust policy does not admit another service",
     [policy({"effect": "allow", "action": "name/sts:AssumeRole",
              "principal": {"service": ["scf.qcloud.com"]}}, kind="trust")],
     Request("sts:AssumeRole", "*", "cos.qcloud.com"), "implicit_deny"),

    # Conditions.
    ("ip_equal_if_exist with the key absent",
     [policy(allow("*", **when("ip_equal_if_exist", "qcs:ip",
                               "10.0.0.0/8")))],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("ip_not_equal: none of several blocks",
     [policy(allow("*", **when("ip_not_equal", "qcs:ip",
                               ["10.0.0.0/8", "192.168.0.0/16"])))],
     Request("scf:GetFunction", "*", SUB, {"qcs:ip": "172.16.0.1"}),
     "allow"),
    ("ip_not_equal: inside one of them",
     [policy(allow("*", **when("ip_not_equal", "qcs:ip",
                               ["10.0.0.0/8", "192.168.0.0/16"])))],
     Request("scf:GetFunction", "*", SUB, {"qcs:ip": "192.168.3.4"}),
     "implicit_deny"),
    ("an IPv6 address against an IPv4 block",
     [policy(allow("*", **when("ip_equal", "qcs:ip", "10.0.0.0/8")))],
     Request("scf:GetFunction", "*", SUB, {"qcs:ip": "::1"}),
     "implicit_deny"),
    ("a request block inside the policy's block",
     [policy(allow("*", **when("ip_equal", "qcs:ip", "10.0.0.0/8")))],
     Request("scf:GetFunction", "*", SUB, {"qcs:ip": "10.1.0.0/16"}),
     "allow"),
    ("string_not_equal: none of several values",
     [policy(allow("*", **when("string_not_equal", "vpc:region",
                               ["sh", "gz"])))],
     Request("scf:GetFunction", "*", SUB, {"vpc:region": "bj"}), "allow"),
    ("string_equal_ignore_case",
     [policy(allow("*", **when("string_equal_ignore_case", "k", "Prod")))],
     Request("scf:GetFunction", "*", SUB, {"k": "PROD"}), "allow"),
    ("string_like with a prefix",
     [policy(allow("*", **when("string_like", "k", "prod-*")))],
     Request("scf:GetFunction", "*", SUB, {"k": "prod-eu"}), "allow"),
    ("string_equal on a number in the request",
     [policy(allow("*", **when("string_equal", "k", "5")))],
     Request("scf:GetFunction", "*", SUB, {"k": 5}), "allow"),
    ("for_all_value: every request value listed",
     [policy(allow("*", **when("for_all_value:string_equal",
                               "qcs:request_tag", ["a&1", "b&2"])))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:request_tag": ["a&1", "b&2"]}), "allow"),
    ("for_all_value: one request value unlisted",
     [policy(allow("*", **when("for_all_value:string_equal",
                               "qcs:request_tag", ["a&1"])))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:request_tag": ["a&1", "c&3"]}), "implicit_deny"),
    ("for_any_value: one request value listed",
     [policy(allow("*", **when("for_any_value:string_equal",
                               "qcs:request_tag", ["a&1"])))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:request_tag": ["a&1", "c&3"]}), "allow"),
    ("an empty list is an absent key",
     [policy(allow("*", **when("string_equal_if_exist", "k", "v")))],
     Request("scf:GetFunction", "*", SUB, {"k": []}), "allow"),
    ("several request values without a qualifier",
     [policy(allow("*", **when("ip_equal", "qcs:ip", "10.0.0.0/8")))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:ip": ["8.8.8.8", "10.0.0.1"]}), "allow"),
    ("date_less_than",
     [policy(allow("*", **when("date_less_than", "qcs:current_time",
                               "2030-01-01T00:00:00Z")))],
     Request("scf:GetFunction", "*", SUB,
             {"qcs:current_time": "2026-06-01T00:00:00Z"}), "allow"),
    ("numeric_greater_than",
     [policy(allow("*", **when("numeric_greater_than", "n", 10)))],
     Request("scf:GetFunction", "*", SUB, {"n": "9.5"}), "implicit_deny"),
    ("bool_equal", [policy(allow("*", **when("bool_equal", "mfa", True)))],
     Request("scf:GetFunction", "*", SUB, {"mfa": "true"}), "allow"),
    ("null_equal: the key is absent",
     [policy(allow("*", **when("null_equal", "mfa", True)))],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("null_equal: the key is present",
     [policy(allow("*", **when("null_equal", "mfa", True)))],
     Request("scf:GetFunction", "*", SUB, {"mfa": "true"}),
     "implicit_deny"),
    ("a condition value with a variable",
     [policy(allow("*", **when("string_equal", "owner", "${uin}")))],
     Request("scf:GetFunction", "*", SUB, {"owner": "100000000002"}),
     "allow"),
    ("a condition variable without a value",
     [EVERYTHING, policy(deny("*", **when("string_equal", "owner",
                                          "${uin}")))],
     Request("scf:GetFunction", "*", ROLE, {"owner": "1"}),
     "implicit_deny"),

    # Resources.
    ("a legacy region in the policy",
     [policy(allow("scf:GetFunction",
                   f"qcs::scf:gz:uin/{ROOT}:namespace/default/function/*"))],
     Request("scf:GetFunction", FUNCTION.format("f"), SUB), "allow"),
    ("a legacy region in the request",
     [policy(allow("scf:GetFunction", FUNCTION.format("*")))],
     Request("scf:GetFunction",
             f"qcs::scf:gz:uin/{ROOT}:namespace/default/function/f", SUB),
     "allow"),
    ("an empty account is the caller's root",
     [policy(allow("scf:GetFunction",
                   "qcs::scf:ap-guangzhou::namespace/default/function/*"))],
     Request("scf:GetFunction", FUNCTION.format("f"), SUB), "allow"),
    ("an empty account is not another account",
     [policy(allow("scf:GetFunction",
                   "qcs::scf:ap-guangzhou::namespace/default/function/*"))],
     Request("scf:GetFunction", ELSEWHERE, SUB), "implicit_deny"),
    ("an empty account and nobody calling",
     [policy(allow("scf:GetFunction",
                   "qcs::scf:ap-guangzhou::namespace/default/function/*"))],
     Request("scf:GetFunction", ELSEWHERE), "allow"),
    ("empty service and region",
     [policy(allow("scf:GetFunction", "qcs:::::namespace/default/*"))],
     Request("scf:GetFunction", FUNCTION.format("f"), SUB), "allow"),
    ("`?` is an ordinary character",
     [policy(allow("scf:GetFunction", FUNCTION.format("f?")))],
     Request("scf:GetFunction", FUNCTION.format("fx"), SUB),
     "implicit_deny"),
    ("a malformed pattern built by hand covers nothing",
     [Policy((Statement(Effect.ALLOW, ("scf:GetFunction",), ("bad",)),),
             name="by-hand")],
     Request("scf:GetFunction", FUNCTION.format("f"), SUB),
     "implicit_deny"),

    # Actions and reasons.
    ("action names ignore case and `name/`",
     [policy(allow("name/SCF:getfunction"))],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("every applying allow is a reason, in order",
     [policy(allow("scf:Get*"), allow("scf:GetFunction"), name="a"),
      policy(allow("*"), name="b")],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("every applying deny is a reason, in order",
     [policy(deny("scf:*"), allow("*"), deny("*"), name="a")],
     Request("scf:GetFunction", "*", SUB), "explicit_deny"),
    ("an unnamed policy", [Policy(EVERYTHING.statements)],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("the same policy twice", [EVERYTHING, EVERYTHING],
     Request("scf:GetFunction", "*", SUB), "allow"),
    ("no policies at all", [], Request("scf:GetFunction", "*", SUB),
     "implicit_deny"),
]


def answer(decision) -> dict:
    return {"outcome": decision.outcome.value,
            "reason": ", ".join(map(str, decision.reasons))}


@pytest.mark.parametrize("policies, request_, outcome",
                         [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_one_request_as_evaluate_decides_it(policies, request_, outcome):
    """Each case gets `evaluate`'s outcome and reasons, as expected."""
    expected = answer(evaluate(request_, policies))

    frame = evaluate_many([request_], policies)

    assert frame.to_dict("records") == [expected]
    assert expected["outcome"] == outcome


def test_all_cases_in_one_batch_under_a_mapping():
    """A batch mixing every case, each principal with its own policies."""
    principals = [f"qcs::cam::uin/{ROOT}:uin/{500000000000 + i}"
                  for i in range(len(CASES))]
    requests = [Request(r.action, r.resource, p, r.context)
                for (_, _, r, _), p in zip(CASES, principals)]
    mapping = {p: case[1] for case, p in zip(CASES, principals)}
    expected = [answer(evaluate(r, mapping[r.principal])) for r in requests]

    frame = evaluate_many(requests, mapping)

    assert frame.to_dict("records") == expected


def test_a_table_with_context_columns():
    """A DataFrame's context columns become each row's context; a missing
    cell (None or NaN) is an absent key."""
    policies = [IP_WRITE, IF_EXIST, VERSION]
    requests = [
        Request("cos:PutObject", "*", SUB, {"qcs:ip": "10.217.182.77"}),
        Request("cos:PutObject", "*", SUB, {"cos:versionid": "v1"}),
        Request("vpc:AcceptVpcPeeringConnection", PCX, SUB,
                {"vpc:region": "gz"}),
        Request("vpc:AcceptVpcPeeringConnection", PCX, None,
                {"qcs:ip": "8.8.8.8"}),
        Request("cos:GetObject", "*", SUB,
                {"vpc:region": "sh", "cos:versionid": "v1"}),
    ]
    table = pandas.DataFrame({
        "action": [r.action for r in requests],
        "resource": ["*", "*", PCX, PCX, None],
        "principal": [r.principal for r in requests],
        "qcs:ip": ["10.217.182.77", math.nan, None, "8.8.8.8", None],
        "vpc:region": [None, None, "gz", math.nan, "sh"],
        "cos:versionid": [None, "v1", None, None, "v1"],
    })
    expected = [answer(evaluate(r, policies)) for r in requests]

    frame = evaluate_many(table, policies)

    assert frame.to_dict("records") == expected
    assert list(frame.outcome) == ["allow", "implicit_deny",
                                   "implicit_deny", "allow", "allow"]


def test_a_table_keeps_its_index():
    """The answer for a DataFrame has that DataFrame's index."""
    table = pandas.DataFrame({"action": ["scf:GetFunction"] * 3},
                             index=["x", "y", "z"])

    frame = evaluate_many(table, [EVERYTHING])

    assert list(frame.index) == ["x", "y", "z"]


def test_a_table_with_a_numeric_context_column():
    """Numbers in a column with gaps are compared as `evaluate` would."""
    policies = [policy(allow("*", **when("numeric_less_than", "n", 3)))]
    table = pandas.DataFrame({"action": ["scf:GetFunction"] * 3,
                              "principal": [SUB] * 3,
                              "n": [1, None, 7]})
    expected = [answer(evaluate(Request("scf:GetFunction", "*", SUB, c),
                                policies))
                for c in ({"n": 1.0}, {}, {"n": 7.0})]

    frame = evaluate_many(table, policies)

    assert frame.to_dict("records") == expected


def test_mapping_gives_each_principal_its_policies():
    """Policies are looked up by principal; a missing principal has none,
    though a root account still owns its resources."""
    mapping = {SUB: [EVERYTHING], SUB3: [policy(deny("*"))]}
    requests = [Request("scf:GetFunction", "*", SUB),
                Request("scf:GetFunction", "*", SUB3),
                Request("scf:GetFunction", "*", ROLE),
                Request("scf:GetFunction", FUNCTION.format("f"),
                        ROOT_CALLER)]

    frame = evaluate_many(requests, mapping)

    assert list(frame.outcome) == ["allow", "explicit_deny",
                                   "implicit_deny", "allow"]


def test_rows_follow_the_order_of_the_requests():
    """Row i answers request i, whatever order the requests come in."""
    requests = [Request("cos:GetObject", BUCKET.format(key), SUB)
                for key in ("dir1/Object1", "dir2/a", "dir1/x") * 5]
    expected = [answer(evaluate(r, [FOLDER])) for r in requests]

    frame = evaluate_many(requests, [FOLDER])
    backwards = evaluate_many(requests[::-1], [FOLDER])

    assert frame.to_dict("records") == expected
    assert backwards.to_dict("records") == expected[::-1]


@pytest.mark.parametrize("requests", [
    [], (r for r in []),
    pandas.DataFrame({"action": [], "resource": [], "qcs:ip": []}),
], ids=["list", "generator", "table"])
def test_no_requests_no_rows(requests):
    """No requests give an empty table with both columns."""
    frame = evaluate_many(requests, [EVERYTHING])

    assert frame.empty
    assert list(frame.columns) == ["outcome", "reason"]


def test_a_single_policy_is_a_list_of_one():
    """A policy given alone counts as a list holding it."""
    requests = [Request("cos:GetObject", BUCKET.format("dir1/a"), SUB)]

    assert evaluate_many(requests, FOLDER).equals(
        evaluate_many(requests, [FOLDER]))


def test_equal_policies_give_equal_answers():
    """A policy parsed twice decides as the one compiled before it."""
    again = policy(*FOLDER.to_data()["statement"])
    requests = [Request("cos:GetObject", BUCKET.format(k), SUB)
                for k in ("dir1/Object1", "dir1/a")]

    assert evaluate_many(requests, [again]).equals(
        evaluate_many(requests, [FOLDER]))


def test_policies_are_compiled_once():
    """The same list of policy objects reuses its compiled form."""
    policies = [FOLDER, IP_WRITE]

    assert compile_policies(policies) is compile_policies(list(policies))


def test_a_table_needs_an_action_column():
    """A table without `action` is refused, naming its columns."""
    with pytest.raises(RequestError, match="no `action` column"):
        evaluate_many(pandas.DataFrame({"resource": ["*"]}), [EVERYTHING])


@pytest.mark.parametrize("column, value, words", [
    ("action", "scf:List*", "not the pattern"),
    ("action", "cos: GetObject", "contains spaces"),
    ("resource", "qcs::scf:ap-guangzhou", "segments"),
    ("principal", "alice", "not a CAM principal"),
])
def test_a_bad_row_is_named(column, value, words):
    """A row `Request` would refuse raises its error, with the row."""
    table = pandas.DataFrame({"action": ["scf:GetFunction"] * 3,
                              "resource": ["*"] * 3,
                              "principal": [SUB] * 3})
    table.loc[2, column] = value

    with pytest.raises(RequestError, match=f"row 2: .*{words}"):
        evaluate_many(table, [EVERYTHING])


def test_outcomes_are_the_outcome_values():
    """The outcome column holds `Outcome` values as plain strings."""
    requests = [Request("cos:GetObject", BUCKET.format(k), SUB)
                for k in ("dir1/a", "dir1/Object1", "dir2/a")]

    frame = evaluate_many(requests, [FOLDER])

    assert list(frame.outcome) == [o.value for o in Outcome]


def test_import_scflab_leaves_pandas_alone():
    """`import scflab` loads neither pandas nor the batch module."""
    code = ("import sys, scflab; print('pandas' in sys.modules, "
            "'scflab.evaluation.batch' in sys.modules)")

    shown = subprocess.run([sys.executable, "-c", code], check=True,
                           capture_output=True, text=True).stdout

    assert shown.split() == ["False", "False"]
