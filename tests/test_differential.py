"""Four evaluators, one answer: `evaluate`, `evaluate_many`, Cedar on the
translated policies, and the plain reference evaluator.

Hypothesis writes policies (actions and resources with wildcards, allow and
deny, IP and string conditions, `_if_exist`, policy variables) and a batch
of requests against them; every evaluator must give the same outcome and
name the same deciding statements, in the same order.
"""

from __future__ import annotations

import pathlib
import sys
from collections import defaultdict

import cedarpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference_evaluator import decide as reference_decide
from scflab import (
    Condition, Effect, Policy, Request, Statement, evaluate, evaluate_many)

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "benchmarks"))
from peers import cedar_answer, cedar_policies, cedar_request  # noqa: E402

ROOT = "100000000001"
OTHER = "200000000001"
APP = "1250000000"

CALLERS = [
    f"qcs::cam::uin/{ROOT}:uin/100000000002",
    f"qcs::cam::uin/{ROOT}:uin/100000000003",
    f"qcs::cam::uin/{ROOT}:uin/{ROOT}",
    f"qcs::cam::uin/{ROOT}:root",
    f"qcs::cam::uin/{OTHER}:uin/{OTHER}",
    f"qcs::cam::uin/{ROOT}:roleName/deployer",
    None,
]

ACTIONS = [
    "scf:InvokeFunction", "scf:GetFunction", "scf:ListFunctions",
    "scf:CreateNamespace", "name/scf:DeleteFunction", "SCF:getfunction",
    "cos:GetObject", "cos:PutObject", "cls:getTopic", "cls:GetTopic",
    "apigw:DescribeService", "cmqqueue:SendMessage",
]

ACTION_PATTERNS = [
    "scf:InvokeFunction", "scf:GetFunction", "scf:ListFunctions",
    "cos:GetObject", "cls:GetTopic", "scf:*", "scf:Get*", "scf:*Function",
    "cos:*Object", "name/cos:Put*", "cls:get*", "*", "*:*", "*:Get*",
    "cmqqueue:*",
]

FUNCTION = "qcs::scf:{}:uin/{}:namespace/{}/function/{}"
OBJECT = f"qcs::cos:ap-shanghai:uid/{APP}:bucket-{APP}/{{}}"

RESOURCES = [
    "*",
    FUNCTION.format("ap-guangzhou", ROOT, "default", "hello"),
    FUNCTION.format("gz", ROOT, "default", "resize"),
    FUNCTION.format("ap-beijing", ROOT, "prod", "hello"),
    FUNCTION.format("ap-guangzhou", OTHER, "default", "hello"),
    FUNCTION.format("ap-guangzhou", "100000000002", "100000000002", "own"),
    "qcs::scf:ap-guangzhou::namespace/default/function/hello",
    OBJECT.format("dir1/a.txt"),
    OBJECT.format("dir1/Object1"),
    OBJECT.format("dir2/a.txt"),
    f"qcs::cmqqueue:ap-guangzhou:uin/{ROOT}:queueName/uin/100000000002/q1",
]

RESOURCE_PATTERNS = [
    "*",
    FUNCTION.format("ap-guangzhou", ROOT, "default", "hello"),
    FUNCTION.format("ap-guangzhou", ROOT, "default", "*"),
    FUNCTION.format("gz", ROOT, "*", "*"),
    "qcs::scf:::namespace/*/function/hello",
    f"qcs::scf:ap-*:uin/{ROOT}:*",
    "qcs::SCF:ap-beijing:*:namespace/prod/*",
    "qcs::scf:ap-guangzhou:uin/${uin}:namespace/${uin}/function/*",
    OBJECT.format("dir1/*"),
    OBJECT.format("dir1/Object1"),
    f"qcs::cos::uid/{APP}:*/a.txt",
    "qcs::cmqqueue:::queueName/uin/${uin}/*",
    "qcs::cmqqueue:::queueName/uin/${owner_uin}/*",
    "qcs:::::*",
]

IP_BLOCKS = ["10.0.0.0/16", "10.217.182.3/24", "192.168.1.9", "10.1.2.3"]
IPS = ["10.0.3.4", "10.217.182.77", "192.168.1.9", "8.8.8.8", "10.1.0.0/16",
       "not-an-ip", "", "300.1.1.1"]

ip_conditions = st.builds(
    Condition,
    st.sampled_from(["ip_equal", "ip_not_equal", "ip_equal_if_exist",
                     "ip_not_equal_if_exist"]),
    st.just("qcs:ip"),
    st.lists(st.sampled_from(IP_BLOCKS), min_size=1, max_size=2,
             unique=True).map(tuple))

string_conditions = st.builds(
    Condition,
    st.sampled_from(["string_equal", "string_not_equal", "string_like",
                     "string_equal_if_exist", "string_not_equal_if_exist",
                     "string_like_if_exist"]),
    st.sampled_from(["vpc:region", "cos:versionid"]),
    st.lists(st.sampled_from(["sh", "gz", "v1", "v*", "*h"]), min_size=1,
             max_size=2, unique=True).map(tuple))

statements = st.builds(
    Statement,
    st.sampled_from(list(Effect)),
    st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3,
             unique=True).map(tuple),
    st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2,
             unique=True).map(tuple),
    st.lists(ip_conditions | string_conditions, max_size=2).map(tuple))


@st.composite
def policy_lists(draw) -> list[Policy]:
    count = draw(st.integers(1, 3))
    return [Policy(tuple(draw(st.lists(statements, min_size=1,
                                       max_size=4))), name=f"p{i}")
            for i in range(count)]


contexts = st.fixed_dictionaries({}, optional={
    "qcs:ip": st.sampled_from(IPS),
    "vpc:region": st.sampled_from(["sh", "gz", "ap-shanghai"]),
    "cos:versionid": st.sampled_from(["v1", "v2"]),
})

requests = st.builds(Request, st.sampled_from(ACTIONS),
                     st.sampled_from(RESOURCES), st.sampled_from(CALLERS),
                     contexts)

BATCH = 12


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(policy_lists(), st.lists(requests, min_size=BATCH, max_size=BATCH))
def test_every_evaluator_gives_the_same_answer(policies, batch):
    """evaluate, evaluate_many, Cedar and the reference agree on each
    request: the same outcome and the same deciding statements."""
    expected = [_answer(evaluate(r, policies)) for r in batch]

    assert _many(batch, policies) == expected
    assert _reference(batch, policies) == expected
    assert _cedar(batch, policies) == expected


def _answer(decision) -> tuple[str, tuple[str, ...]]:
    return decision.outcome.value, tuple(map(str, decision.reasons))


def _many(batch, policies):
    frame = evaluate_many(batch, policies)
    return [(outcome, tuple(reason.split(", ")) if reason else ())
            for outcome, reason in zip(frame.outcome, frame.reason)]


def _reference(batch, policies):
    return [reference_decide(policies, r.action, r.resource, r.principal,
                             dict(r.context)) for r in batch]


def _cedar(batch, policies):
    """Cedar's answers, one policy set and one batch call per caller."""
    by_caller = defaultdict(list)
    for position, request in enumerate(batch):
        by_caller[request.principal].append(position)
    answers = [None] * len(batch)
    for principal, positions in by_caller.items():
        translated = cedar_policies(policies, principal)
        asked = [cedar_request(batch[i].action, batch[i].resource,
                               principal, dict(batch[i].context))
                 for i in positions]
        results = cedarpy.is_authorized_batch(asked, translated.text, [])
        for i, result in zip(positions, results):
            answers[i] = cedar_answer(result, translated)
    return answers


def _statement(effect, actions, resources=("*",), conditions=()):
    return Statement(Effect(effect), tuple(actions), tuple(resources),
                     tuple(Condition(*c) for c in conditions))


# Cases each of which once split the evaluators, or easily could.
HARD_CASES = {
    "a service wildcard with a name covers that name only": (
        [_statement("allow", ["*:Get*"])],
        Request("scf:ListFunctions", "*", CALLERS[0])),
    "a deny on an unreadable address blocks an allow": (
        [_statement("allow", ["*"]),
         _statement("deny", ["*"], conditions=[
             ("ip_equal", "qcs:ip", ("10.0.0.0/16",))])],
        Request("cos:GetObject", "*", CALLERS[0], {"qcs:ip": ""})),
    "a role session has no uin for a variable": (
        [_statement("allow", ["scf:*"]),
         _statement("deny", ["scf:*"], [RESOURCE_PATTERNS[7]])],
        Request("scf:GetFunction", RESOURCES[1], CALLERS[5])),
    "a legacy region on both sides": (
        [_statement("allow", ["scf:GetFunction"], [RESOURCE_PATTERNS[3]])],
        Request("scf:GetFunction", RESOURCES[2], CALLERS[0])),
    "an empty account is the caller's own root": (
        [_statement("allow", ["scf:GetFunction"], [RESOURCE_PATTERNS[4]])],
        Request("scf:GetFunction", RESOURCES[6], CALLERS[0])),
    "an operation-level action and a named resource": (
        [_statement("allow", ["scf:*"], [RESOURCE_PATTERNS[2]])],
        Request("scf:ListFunctions", RESOURCES[1], CALLERS[0])),
    "a root account past a deny": (
        [_statement("deny", ["*"])],
        Request("scf:GetFunction", RESOURCES[1], CALLERS[3])),
}


@pytest.mark.parametrize("statements, request_", HARD_CASES.values(),
                         ids=HARD_CASES.keys())
def test_every_evaluator_agrees_on_hard_cases(statements, request_):
    """Named cases get one answer from all four evaluators."""
    policies = [Policy(tuple(statements), name="hard")]
    expected = [_answer(evaluate(request_, policies))]

    assert _many([request_], policies) == expected
    assert _reference([request_], policies) == expected
    assert _cedar([request_], policies) == expected
