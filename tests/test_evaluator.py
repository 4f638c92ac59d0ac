"""How scflab decides: the documented rules and the choices it makes."""

from __future__ import annotations

import pathlib

import pytest

import scflab
from scflab import Outcome, PolicyError, Request, evaluate, parse_policy
from scflab.evaluation.choices import MODELLING_CHOICES

ROOT = "100000000001"
SUB = f"qcs::cam::uin/{ROOT}:uin/100000000002"
ROOT_CALLER = f"qcs::cam::uin/{ROOT}:uin/{ROOT}"
OTHER_ROOT = "qcs::cam::uin/200000000001:uin/200000000001"
FUNCTION = (f"qcs::scf:ap-guangzhou:uin/{ROOT}:"
            "namespace/default/function/{}")
BUCKET = "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/{}"


def policy(*statements, name="test", kind="identity"):
    return parse_policy({"version": "2.0", "statement": list(statements)},
                        kind=kind, name=name)


def allow(action, resource="*", **extra):
    return {"effect": "allow", "action": action, "resource": resource,
            **extra}


def deny(action, resource="*", **extra):
    return {"effect": "deny", "action": action, "resource": resource,
            **extra}


IP_POLICY = policy(allow("cos:PutObject", condition={
    "ip_equal": {"qcs:ip": ["10.217.182.3/24", "111.21.33.72/24"]}}))

TWO_FUNCTIONS = policy(
    allow(["scf:ListFunctions", "scf:GetAccountSettings", "monitor:*"],
          ["*"]),
    allow(["scf:DeleteFunction", "scf:CreateFunction", "scf:InvokeFunction",
           "scf:UpdateFunction", "scf:GetFunctionLogs", "scf:SetTrigger",
           "scf:DeleteTrigger", "scf:GetFunction", "scf:ListVersion"],
          [FUNCTION.format("Test1"), FUNCTION.format("Test2")]))

FOLDER = policy(
    allow("cos:*", BUCKET.format("dir1/*")),
    deny("cos:*", BUCKET.format("dir1/Object1")))

IF_EXIST = policy(allow(
    "name/vpc:AcceptVpcPeeringConnection", "qcs::vpc:sh::pcx/2341",
    condition={"string_equal_if_exist": {"vpc:region": "sh"}}))

VERSION_EXACT = policy(allow("cos:GetObject", condition={
    "string_equal": {"cos:versionid": "v1"}}))
VERSION_IF_EXIST = policy(allow("cos:GetObject", condition={
    "string_equal_if_exist": {"cos:versionid": "v1"}}))

CREATOR_ONLY = policy(allow(
    "cmqqueue:*", "qcs::cmqqueue:::queueName/uin/${uin}/*"))

PCX = f"qcs::vpc:ap-shanghai:uin/{ROOT}:pcx/2341"
QUEUE = "qcs::cmqqueue:ap-guangzhou:uin/" + ROOT + ":queueName/uin/{}/q1"

# The reference's example policies with their documented outcomes.
DOCUMENTED = [
    # (a) IP-restricted COS write
    (IP_POLICY, "cos:PutObject", "*", {"qcs:ip": "10.217.182.77"}, True),
    (IP_POLICY, "cos:PutObject", "*", {"qcs:ip": "111.21.33.5"}, True),
    (IP_POLICY, "cos:PutObject", "*", {"qcs:ip": "8.8.8.8"}, False),
    # (b) a sub-user limited to two functions
    (TWO_FUNCTIONS, "scf:ListFunctions", "*", {}, True),
    (TWO_FUNCTIONS, "scf:InvokeFunction", FUNCTION.format("Test1"), {},
     True),
    (TWO_FUNCTIONS, "scf:DeleteFunction", FUNCTION.format("Test2"), {},
     True),
    (TWO_FUNCTIONS, "scf:InvokeFunction", FUNCTION.format("Test3"), {},
     False),
    # (c) an explicit deny inside an allowed folder
    (FOLDER, "cos:GetObject", BUCKET.format("dir1/Object2"), {}, True),
    (FOLDER, "cos:GetObject", BUCKET.format("dir1/sub/Object1"), {}, True),
    (FOLDER, "cos:GetObject", BUCKET.format("dir1/Object1"), {}, False),
    (FOLDER, "cos:GetObject", BUCKET.format("dir2/Object2"), {}, False),
    # (d) _if_exist
    (IF_EXIST, "vpc:AcceptVpcPeeringConnection", PCX,
     {"vpc:region": "sh"}, True),
    (IF_EXIST, "vpc:AcceptVpcPeeringConnection", PCX, {}, True),
    (IF_EXIST, "vpc:AcceptVpcPeeringConnection", PCX,
     {"vpc:region": "gz"}, False),
    # (e) string_equal versus string_equal_if_exist on cos:versionid
    (VERSION_EXACT, "cos:GetObject", "*", {}, False),
    (VERSION_IF_EXIST, "cos:GetObject", "*", {}, True),
    (VERSION_EXACT, "cos:GetObject", "*", {"cos:versionid": "v1"}, True),
    (VERSION_IF_EXIST, "cos:GetObject", "*", {"cos:versionid": "v1"}, True),
    (VERSION_EXACT, "cos:GetObject", "*", {"cos:versionid": "v2"}, False),
    (VERSION_IF_EXIST, "cos:GetObject", "*", {"cos:versionid": "v2"},
     False),
    # (f) a policy variable: each user reaches only their own queues
    (CREATOR_ONLY, "cmqqueue:SendMessage",
     QUEUE.format("100000000002"), {}, True),
    (CREATOR_ONLY, "cmqqueue:SendMessage",
     QUEUE.format("100000000003"), {}, False),
]


@pytest.mark.parametrize(
    "policy, action, resource, context, allowed", DOCUMENTED)
def test_documented_outcomes(policy, action, resource, context, allowed):
    """Every example with a documented outcome is decided as documented."""
    decision = evaluate(Request(action, resource, SUB, context), [policy])

    assert decision.allowed is allowed, decision.explain()


def test_default_deny():
    """With no policy at all a sub-user is denied, implicitly."""
    decision = evaluate(Request("scf:ListFunctions", "*", SUB), [])

    assert decision.outcome is Outcome.IMPLICIT_DENY
    assert decision.reasons == ()


def test_explicit_deny_names_the_statement():
    """An explicit deny names the deny statement that decided it."""
    decision = evaluate(
        Request("cos:GetObject", BUCKET.format("dir1/Object1"), SUB),
        [FOLDER])

    assert decision.outcome is Outcome.EXPLICIT_DENY
    assert [str(r) for r in decision.reasons] == ["test/statement/1"]
    assert "explicit deny beats every allow" in decision.advice


def test_deny_in_another_policy_still_wins():
    """A deny in one policy beats an allow in another."""
    granted = policy(allow("scf:*"), name="grant")
    refused = policy(deny("scf:DeleteFunction"), name="refuse")
    request = Request("scf:DeleteFunction", FUNCTION.format("Test1"), SUB)

    decision = evaluate(request, [granted, refused])

    assert decision.outcome is Outcome.EXPLICIT_DENY
    assert [r.policy for r in decision.reasons] == ["refuse"]


def test_root_owns_its_resources():
    """A root account may act on what it owns without any policy."""
    decision = evaluate(
        Request("scf:DeleteFunction", FUNCTION.format("Test1"),
                ROOT_CALLER), [])

    assert decision.allowed
    assert "root account" in decision.explain()


def test_root_of_another_account_needs_a_grant():
    """A root account gets nothing by default on another account's resource."""
    decision = evaluate(
        Request("scf:DeleteFunction", FUNCTION.format("Test1"),
                OTHER_ROOT), [])

    assert decision.outcome is Outcome.IMPLICIT_DENY


def test_statement_principal_must_name_the_caller():
    """A statement with a principal applies only to the callers it names."""
    bucket = policy({"effect": "allow", "action": "cos:GetObject",
                     "resource": "*",
                     "principal": {"qcs": [f"qcs::cam::uin/{ROOT}:uin/"
                                           "100000000002"]}},
                    kind="bucket")
    other = f"qcs::cam::uin/{ROOT}:uin/100000000003"

    named = evaluate(Request("cos:GetObject", "*", SUB), [bucket])
    unnamed = evaluate(Request("cos:GetObject", "*", other), [bucket])

    assert named.allowed
    assert not unnamed.allowed
    assert unnamed.statements[0].part == "principal"


@pytest.mark.parametrize("action, resource, part", [
    ("scf:DeleteFunction", FUNCTION.format("Test1"), "action"),
    ("scf:InvokeFunction", FUNCTION.format("Test3"), "resource"),
])
def test_miss_names_the_failed_part(action, resource, part):
    """A statement that does not apply names the first part that failed."""
    single = policy(allow("scf:InvokeFunction", FUNCTION.format("Test1")))

    decision = evaluate(Request(action, resource, SUB), [single])

    assert decision.statements[0].part == part
    assert decision.nearest_miss is decision.statements[0]
    assert part + "s" in decision.advice or part in decision.advice


def test_condition_miss_shows_the_values_compared():
    """A failed condition shows the key, the request value and the policy's."""
    decision = evaluate(
        Request("cos:PutObject", "*", SUB, {"qcs:ip": "8.8.8.8"}),
        [IP_POLICY])

    text = decision.explain()
    assert "`qcs:ip` is `8.8.8.8`" in text
    assert "10.217.182.3/24" in text
    assert decision.statements[0].part == "condition"


def test_action_names_ignore_case():
    """Action names match whatever their case (scflab's choice)."""
    logs = policy(allow("cls:getTopic"))

    decision = evaluate(Request("cls:GetTopic", "*", SUB), [logs])

    assert decision.allowed


def test_question_mark_is_literal():
    """`?` and `.` in a resource match only themselves (scflab's choice)."""
    odd = policy(allow("cos:*", BUCKET.format("a?b.c")))

    def decide(key):
        request = Request("cos:GetObject", BUCKET.format(key), SUB)
        return evaluate(request, [odd]).allowed

    assert decide("a?b.c")
    assert not decide("axb.c")
    assert not decide("a?bxc")


def test_question_mark_in_an_action_is_rejected():
    """An action with `?` is reported: `*` is CAM's only wildcard."""
    with pytest.raises(PolicyError) as raised:
        policy(allow("scf:Get?unction"))

    problem = raised.value.problems[0]
    assert problem.path == "/statement/0/action"
    assert "only `*`" in problem.hint


def test_negated_operator_means_none_of():
    """`string_not_equal` with several values holds only when none match."""
    guarded = policy(allow("scf:ListFunctions", condition={
        "string_not_equal": {"qcs:request_tag": ["env&prod", "env&stage"]}}))

    def decide(tag):
        request = Request("scf:ListFunctions", "*", SUB,
                          {"qcs:request_tag": tag})
        return evaluate(request, [guarded]).allowed

    assert decide("env&dev")
    assert not decide("env&prod")
    assert not decide("env&stage")


def test_list_without_qualifier_is_any():
    """Several request values without a qualifier: one match is enough."""
    tagged = policy(allow("scf:ListFunctions", condition={
        "string_equal": {"qcs:request_tag": "env&dev"}}))
    request = Request("scf:ListFunctions", "*", SUB,
                      {"qcs:request_tag": ["team&a", "env&dev"]})

    assert evaluate(request, [tagged]).allowed


def test_for_all_value_missing_key_fails():
    """`for_all_value` fails on a missing key unless `_if_exist` is given."""
    strict = policy(allow("scf:ListFunctions", condition={
        "for_all_value:string_equal": {"qcs:request_tag": "env&dev"}}))
    lenient = policy(allow("scf:ListFunctions", condition={
        "for_all_value:string_equal_if_exist": {
            "qcs:request_tag": "env&dev"}}))
    request = Request("scf:ListFunctions", "*", SUB)

    assert not evaluate(request, [strict]).allowed
    assert evaluate(request, [lenient]).allowed


def test_for_all_value_needs_every_value():
    """`for_all_value` holds only when every request value matches."""
    strict = policy(allow("scf:ListFunctions", condition={
        "for_all_value:string_equal": {
            "qcs:request_tag": ["env&dev", "team&a"]}}))

    def decide(tags):
        request = Request("scf:ListFunctions", "*", SUB,
                          {"qcs:request_tag": tags})
        return evaluate(request, [strict]).allowed

    assert decide(["env&dev", "team&a"])
    assert not decide(["env&dev", "team&b"])


def test_operation_level_needs_star():
    """An operation-level action is granted only by `resource: *`."""
    scoped = policy(allow("scf:ListFunctions", FUNCTION.format("*")))
    starred = policy(allow("scf:ListFunctions", "*"))
    request = Request("scf:ListFunctions", "*", SUB)

    decision = evaluate(request, [scoped])

    assert not decision.allowed
    assert "operation-level" in decision.explain()
    assert '"resource": "*"' in decision.advice
    assert evaluate(request, [starred]).allowed


def test_legacy_region_codes():
    """A legacy region code in a policy matches the region it stands for."""
    legacy = policy(allow("scf:InvokeFunction",
                          f"qcs::scf:gz:uin/{ROOT}:function/*"))
    request = Request("scf:InvokeFunction",
                      f"qcs::scf:ap-guangzhou:uin/{ROOT}:function/hello",
                      SUB)

    assert evaluate(request, [legacy]).allowed


def test_empty_account_is_callers_root():
    """An empty account segment stands for the caller's own root account."""
    mine = policy(allow("cos:GetObject", "qcs::cos:ap-shanghai::b-1/*"))
    own = "qcs::cos:ap-shanghai:uin/" + ROOT + ":b-1/key"
    foreign = "qcs::cos:ap-shanghai:uin/200000000001:b-1/key"

    assert evaluate(Request("cos:GetObject", own, SUB), [mine]).allowed
    assert not evaluate(Request("cos:GetObject", foreign, SUB),
                        [mine]).allowed


def test_unevaluable_deny_fails_closed():
    """A deny scflab cannot evaluate blocks the allow, and says so."""
    policies = [policy(allow("scf:ListFunctions"), deny(
        "scf:ListFunctions", condition={"ip_equal": {"qcs:ip": "10.0.0.0/8"}
                                        }))]
    request = Request("scf:ListFunctions", "*", SUB,
                      {"qcs:ip": "not-an-address"})

    decision = evaluate(request, policies)

    assert decision.outcome is Outcome.IMPLICIT_DENY
    assert decision.statements[1].status.value == "not evaluated"
    assert "fails closed" in decision.explain()


def test_unevaluable_allow_grants_nothing():
    """An allow scflab cannot evaluate grants nothing, visibly."""
    policies = [policy(allow("scf:ListFunctions", condition={
        "ip_equal": {"qcs:ip": "10.0.0.0/8"}}))]
    request = Request("scf:ListFunctions", "*", SUB, {"qcs:ip": "nowhere"})

    decision = evaluate(request, policies)

    assert decision.outcome is Outcome.IMPLICIT_DENY
    assert "not evaluated" in decision.explain()


def test_variable_without_value_is_not_evaluated():
    """A policy variable the caller cannot fill leaves the statement open."""
    request = Request("cmqqueue:SendMessage", QUEUE.format("1"),
                      "scf.qcloud.com")

    decision = evaluate(request, [CREATOR_ONLY])

    assert decision.statements[0].status.value == "not evaluated"
    assert not decision.allowed


def test_decision_renders_as_a_table():
    """A decision shows as an HTML table with a word, not colour alone."""
    decision = evaluate(Request("cos:PutObject", "*", SUB,
                                {"qcs:ip": "8.8.8.8"}), [IP_POLICY])

    html = decision._repr_html_()

    assert "<table>" in html
    assert "IMPLICIT DENY" in html
    assert decision.rows()[0]["part"] == "condition"


def test_every_modelling_choice_names_a_real_test():
    """Each row of the choices table points at a test that exists."""
    root = pathlib.Path(__file__).parent.parent
    for choice in MODELLING_CHOICES:
        path, _, name = choice.test.partition("::")
        source = (root / path).read_text(encoding="utf-8")
        assert f"def {name}(" in source, choice.test


def test_service_wildcard_keeps_the_api_name():
    """`*:Get*` covers the Get actions of every service, and nothing else."""
    readers = policy(allow("*:Get*"))

    assert evaluate(Request("cos:GetObject", "*", SUB), [readers]).allowed
    assert not evaluate(Request("scf:DeleteFunction", "*", SUB),
                        [readers]).allowed


def test_advice_for_an_unevaluable_nearest_miss_names_the_gap():
    """When the nearest miss could not be evaluated, the advice says why."""
    request = Request("cmqqueue:SendMessage", QUEUE.format("1"),
                      "scf.qcloud.com")

    decision = evaluate(request, [CREATOR_ONLY])

    assert "could not be evaluated" in decision.advice
    assert "policy variable" in decision.advice


def test_empty_account_covers_the_callers_app_id():
    """An empty account also stands for `uid/<app id>` when it is known."""
    from scflab import Caller
    from scflab.evaluation.request import CallerKind

    mine = policy(allow("cos:GetObject",
                        "qcs::cos:ap-shanghai::Bucket1-1250000000/*"))
    caller = Caller(CallerKind.SUB_USER, ROOT, "100000000002",
                    app_id="1250000000")
    request = Request("cos:GetObject", BUCKET.format("a"), caller)

    assert evaluate(request, [mine]).allowed
    assert scflab.evaluate_many([request], [mine]).outcome[0] == "allow"


def test_remembered_values_keep_their_types():
    """`true` is no number even after `1` has been read as one."""
    from scflab.errors import InvalidValue
    from scflab.language.operators import coerce

    assert coerce("numeric", 1) == 1.0
    with pytest.raises(InvalidValue):
        coerce("numeric", True)


@pytest.mark.parametrize("policies", [
    '{"version": "2.0", "statement": []}',
    {"version": "2.0"},
    ["not a policy"],
])
def test_documents_must_be_parsed_first(policies):
    """Handing `evaluate` a document says to parse it first."""
    with pytest.raises(TypeError, match="parse_policy"):
        evaluate(Request("scf:ListFunctions", "*", SUB), policies)


def test_context_must_be_a_mapping():
    """A context that is not a mapping is refused with an example."""
    from scflab import RequestError

    with pytest.raises(RequestError, match="qcs:ip"):
        Request("scf:ListFunctions", "*", SUB, ["10.0.0.8"])
