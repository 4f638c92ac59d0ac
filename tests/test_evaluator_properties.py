"""Properties every CAM decision keeps, checked on generated policies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scflab import (
    Condition, Effect, Outcome, Policy, Request, Statement, evaluate)

ROOT = "100000000001"
CALLERS = [f"qcs::cam::uin/{ROOT}:uin/100000000002",
           f"qcs::cam::uin/{ROOT}:uin/100000000003"]
ACTIONS = ["scf:InvokeFunction", "scf:GetFunction", "scf:ListFunctions",
           "cos:GetObject", "cos:PutObject"]
ACTION_PATTERNS = ACTIONS + ["scf:*", "scf:Get*", "cos:*", "*",
                             "name/cos:Put*"]
FUNCTIONS = [f"qcs::scf:ap-guangzhou:uin/{ROOT}:namespace/default/"
             f"function/{name}" for name in ("hello", "resize", "report")]
RESOURCE_PATTERNS = FUNCTIONS + [
    "*", f"qcs::scf:ap-guangzhou:uin/{ROOT}:namespace/default/function/*",
    "qcs::scf:::namespace/*", f"qcs::scf:gz:uin/{ROOT}:*"]
IPS = ["10.0.0.5", "10.1.2.3", "192.168.1.9"]

conditions = st.lists(st.builds(
    Condition,
    st.sampled_from(["ip_equal", "ip_not_equal", "ip_equal_if_exist"]),
    st.just("qcs:ip"),
    st.lists(st.sampled_from(["10.0.0.0/16", "192.168.1.0/24",
                              "10.1.2.3"]), min_size=1, max_size=2,
             unique=True).map(tuple)), max_size=1).map(tuple)

statements = st.builds(
    Statement,
    st.sampled_from(list(Effect)),
    st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3,
             unique=True).map(tuple),
    st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2,
             unique=True).map(tuple),
    conditions)

policies = st.lists(
    st.lists(statements, max_size=4).map(tuple).map(
        lambda s: Policy(s, name="generated")),
    max_size=3)

requests = st.builds(
    Request,
    st.sampled_from(ACTIONS),
    st.sampled_from(FUNCTIONS + ["*"]),
    st.sampled_from(CALLERS),
    st.one_of(st.just({}), st.sampled_from(IPS).map(
        lambda ip: {"qcs:ip": ip})))

RUNS = settings(max_examples=300, deadline=None)


@RUNS
@given(requests)
def test_default_deny(request):
    """Without policies every request by a sub-user is implicitly denied."""
    assert evaluate(request, []).outcome is Outcome.IMPLICIT_DENY


@RUNS
@given(policies, requests)
def test_deny_dominates(policies, request):
    """When a deny statement applies the outcome is an explicit deny."""
    decision = evaluate(request, policies)

    denying = [r for r in decision.statements
               if r.applies and r.effect is Effect.DENY]
    assert (decision.outcome is Outcome.EXPLICIT_DENY) == bool(denying)


@RUNS
@given(policies, requests, st.randoms(use_true_random=False))
def test_statement_order_does_not_matter(policies, request, random):
    """Shuffling policies and statements never changes the outcome."""
    shuffled = [Policy(tuple(random.sample(p.statements, len(p))),
                       name=p.name) for p in policies]
    random.shuffle(shuffled)

    assert evaluate(request, shuffled).outcome \
        is evaluate(request, policies).outcome


@RUNS
@given(policies, requests, statements)
def test_adding_an_allow_never_removes_access(policies, request, extra):
    """An extra allow statement never turns an allow into a deny."""
    allow = Statement(Effect.ALLOW, extra.actions, extra.resources,
                      extra.conditions)
    before = evaluate(request, policies).allowed

    after = evaluate(request, [*policies, Policy((allow,), name="extra")])

    assert after.allowed or not before


@RUNS
@given(policies, requests, statements)
def test_adding_a_deny_never_adds_access(policies, request, extra):
    """An extra deny statement never turns a deny into an allow."""
    deny = Statement(Effect.DENY, extra.actions, extra.resources,
                     extra.conditions)
    before = evaluate(request, policies).allowed

    after = evaluate(request, [*policies, Policy((deny,), name="extra")])

    assert before or not after.allowed


@RUNS
@given(policies, requests)
def test_allow_names_only_applying_allows(policies, request):
    """An allow is explained by allow statements that really apply."""
    decision = evaluate(request, policies)

    applying = {r.ref for r in decision.statements if r.applies}
    assert set(decision.reasons) <= applying
    if decision.allowed:
        assert all(r.effect is Effect.ALLOW for r in decision.reasons)
