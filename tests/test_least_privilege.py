"""Least privilege: the policy a log needs, checked against the log."""

import pandas
import pytest

import scflab
from scflab.analysis.least_privilege import (
    least_privilege, least_privilege_gaps)

FN = "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/"
CATALOG = scflab.default_catalog()


def names(pattern, resource_level=True):
    return [a.qualified for a in CATALOG.expand(pattern)
            if a.resource_level == resource_level]


def frame(rows):
    return pandas.DataFrame(rows, columns=["action", "resource", "outcome"])


SMALL_LOG = frame([
    ("scf:ListFunctions", "*", "allow"),
    ("scf:InvokeFunction", FN + "a", "allow"),
    ("scf:InvokeFunction", FN + "b", "allow"),
    ("scf:GetFunction", FN + "a", "allow"),
    ("scf:GetFunction", FN + "b", "allow"),
    ("scf:DeleteFunction", FN + "a", "implicit_deny"),
    ("scf:InvokeFunction", FN + "c", "explicit_deny"),
])


def test_statements_merge_actions_per_resource_set():
    """Actions allowed on the same resources share one statement."""
    policy = least_privilege(SMALL_LOG)

    shapes = [(s.actions, s.resources) for s in policy.statements]

    assert shapes == [
        (("scf:ListFunctions",), ("*",)),
        (("scf:GetFunction", "scf:InvokeFunction"), (FN + "a", FN + "b")),
    ]


def test_only_allowed_rows_count():
    """Denied rows of the log are not granted."""
    policy = least_privilege(SMALL_LOG)

    for action, resource in [("scf:DeleteFunction", FN + "a"),
                             ("scf:InvokeFunction", FN + "c")]:
        request = scflab.Request(action, resource)
        assert not scflab.evaluate(request, policy).allowed


def test_small_log_has_no_gaps():
    """The policy allows exactly the log's allowed pairs."""
    policy = least_privilege(SMALL_LOG)

    assert least_privilege_gaps(policy, SMALL_LOG).empty


def test_wildcard_when_it_adds_no_action():
    """All resource-level `scf:Get…` actions on one function merge into
    wildcards that cover no other catalog action."""
    log = frame([(a, FN + "a", "allow") for a in names("scf:Get*")])

    policy = least_privilege(log)

    [statement] = policy.statements
    assert "scf:GetFunction*" in statement.actions
    covered = {a.qualified for p in statement.actions
               for a in CATALOG.expand(p)}
    assert covered == set(names("scf:Get*"))


def test_no_wildcard_when_it_would_add_an_action():
    """Missing one action of a family keeps the others listed by name."""
    family = names("scf:GetFunction*")
    log = frame([(a, FN + "a", "allow") for a in family[1:]])

    policy = least_privilege(log)

    assert all("*" not in a for s in policy for a in s.actions)


def test_whole_service_becomes_service_wildcard():
    """Every catalog action of a service on `*` becomes `service:*`."""
    log = frame([(a.qualified, "*", "allow")
                 for a in CATALOG.actions("monitor")])

    policy = least_privilege(log)

    assert policy.statements[0].actions == ("monitor:*",)


def test_operation_level_actions_go_on_every_resource():
    """An operation-level action is granted with `*`, whatever resource
    the log names."""
    log = frame([("scf:ListFunctions", FN + "a", "allow")])

    policy = least_privilege(log)

    assert policy.statements[0].resources == ("*",)


def test_requests_and_decisions_are_accepted():
    """A list of requests counts every request; a list of decisions only
    the allowed ones."""
    allowed = scflab.Request("scf:GetFunction", FN + "a")
    denied = scflab.Request("scf:GetFunction", FN + "b")
    grant = least_privilege([allowed])
    decisions = [scflab.evaluate(r, grant) for r in (allowed, denied)]

    from_requests = least_privilege([allowed, denied])
    from_decisions = least_privilege(decisions)

    assert from_requests.statements[0].resources == (FN + "a", FN + "b")
    assert from_decisions.statements[0].resources == (FN + "a",)


def test_action_names_are_written_as_the_catalog_spells_them():
    """Lower-case or prefixed action names come out in catalog spelling."""
    log = frame([("name/scf:getfunction", FN + "a", "allow")])

    policy = least_privilege(log)

    assert policy.statements[0].actions == ("scf:GetFunction",)


def test_result_is_a_valid_policy():
    """The result parses back to an equal policy."""
    policy = least_privilege(SMALL_LOG, name="small")

    again = scflab.parse_policy(policy.to_json(), name="small")

    assert again == policy


def test_gaps_report_a_policy_that_grants_too_much():
    """A broader policy shows up as pairs the log did not allow."""
    broad = scflab.parse_policy({"version": "2.0", "statement": [
        {"effect": "allow", "action": "scf:*", "resource": "*"}]})

    gaps = least_privilege_gaps(broad, SMALL_LOG)

    assert set(gaps["expected"]) == {"deny"}
    assert ("scf:DeleteFunction", FN + "a") in set(
        zip(gaps["action"], gaps["resource"]))


@pytest.mark.parametrize("seed", range(5))
def test_random_logs_have_no_gaps(seed):
    """For random logs over a few actions and resources, the result is
    exact."""
    import random

    chooser = random.Random(seed)
    actions = names("scf:*") + names("scf:*", resource_level=False)
    resources = [FN + name for name in "abcd"] + ["*"]
    log = frame([(chooser.choice(actions), chooser.choice(resources),
                  chooser.choice(["allow", "implicit_deny"]))
                 for _ in range(200)])

    policy = least_privilege(log)

    assert least_privilege_gaps(policy, log).empty


def test_full_request_log_has_no_gaps():
    """On the sample request log, the policy is exact, and small."""
    log = scflab.request_log()

    policy = least_privilege(log)

    assert least_privilege_gaps(policy, log).empty
    assert len(policy.statements) < 12


@pytest.mark.parametrize("identity", ["mei", "ravi", "kai", "ci-bot",
                                      "thumbnail_writer"])
def test_one_identity_of_the_log(identity):
    """Filtered to one identity, the log gives that identity's exact
    policy."""
    log = scflab.request_log()
    rows = log[log["identity"] == identity]

    policy = least_privilege(rows, name=identity)

    assert least_privilege_gaps(policy, rows).empty


def test_malformed_rows_are_refused():
    """A row whose resource is not a resource name raises `RequestError`."""
    log = frame([("scf:GetFunction", "function/a", "allow")])

    with pytest.raises(scflab.RequestError, match="function/a"):
        least_privilege(log)
