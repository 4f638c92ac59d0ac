"""RequestSimulator, driven without a kernel: choose, type, read back."""

from __future__ import annotations

import pytest

from scflab import Outcome, RequestError, parse_policy, sample_account
from scflab.widgets import PolicyBuilder, RequestSimulator
from scflab.widgets.simulator import (
    decision_grid, grid_html, identity_choices, read_context,
    resource_choices)

UIN = "100000000001"
TEST1 = f"qcs::scf:ap-guangzhou:uin/{UIN}:namespace/default/function/Test1"
REPORT = f"qcs::scf:ap-shanghai:uin/{UIN}:namespace/prod/function/" \
    "report-builder"
CAT = "qcs::cos:ap-guangzhou:uid/1250000000:uploads-1250000000/cat.jpg"

OFFICE = parse_policy({"version": "2.0", "statement": [
    {"effect": "allow", "action": "scf:ListFunctions", "resource": "*",
     "condition": {"ip_equal": {"qcs:ip": "10.0.0.0/24"}}},
    {"effect": "allow", "action": "scf:GetFunction", "resource": "*",
     "condition": {"date_less_than": {
         "qcs:current_time": "2025-06-01T00:00:00Z"}}},
    {"effect": "allow", "action": "scf:InvokeFunction", "resource": "*",
     "condition": {"for_any_value:string_equal": {
         "qcs:request_tag": "team&ops"}}}]}, name="Office")


@pytest.fixture
def simulator():
    return RequestSimulator()


def choose(simulator, label):
    """Pick an identity by the label the dropdown shows."""
    simulator.identity.value = dict(simulator.identity.options)[label]


def ask(simulator, action, resource="*"):
    simulator.action.value = action
    simulator.resource.value = resource
    return simulator.decision


# The pure functions behind the controls.

@pytest.mark.parametrize("fields, expected", [
    (("", "", ""), {}),
    (("10.0.0.8", "", ""), {"qcs:ip": "10.0.0.8"}),
    ((" 2001:db8::1 ", "", ""), {"qcs:ip": "2001:db8::1"}),
    (("", "2025-03-03T09:30:00Z", ""),
     {"qcs:current_time": "2025-03-03T09:30:00Z"}),
    (("", "2025-03-03 10:30:00+01:00", ""),
     {"qcs:current_time": "2025-03-03T09:30:00Z"}),
    (("", "", "team&ops, env&prod,"),
     {"qcs:request_tag": ["team&ops", "env&prod"]}),
])
def test_context_fields_become_condition_keys(fields, expected):
    """Each filled field adds its key; empty fields add nothing."""
    assert read_context(*fields) == expected


@pytest.mark.parametrize("fields, message", [
    (("999.1.1.1", "", ""), "source IP `999.1.1.1` is not an IP address"),
    (("10.0.0.0/24", "", ""), "no `/24`"),
    (("", "tuesday", ""), "time `tuesday` is not an ISO 8601 time"),
    (("", "", "team"), "tag `team` is not written `key&value`"),
    (("", "", "&ops"), "tag `&ops`"),
])
def test_unreadable_context_names_the_value(fields, message):
    """A bad field raises RequestError quoting what was typed."""
    with pytest.raises(RequestError, match=message.replace("*", r"\*")):
        read_context(*fields)


def test_identities_are_root_users_and_role_sessions():
    """The root comes first; users say their kind; roles are sessions."""
    labels = [label for label, _ in identity_choices(sample_account())]

    assert labels[0] == f"root account ({UIN})"
    assert "sub-user mei" in labels
    assert "collaborator kai" in labels
    assert "session of role thumbnail_writer" in labels


def test_resources_offered_are_the_accounts():
    """Every function, bucket, object and role, after `*`."""
    account = sample_account()

    names = resource_choices(account)

    assert names[0] == "*"
    assert {TEST1, REPORT, CAT} <= set(names)
    assert account.role("ops_admin").arn in names


def test_a_grid_decides_every_pair_and_shows_words():
    """Rows are actions, columns resources; cells carry symbol and word."""
    account = sample_account()
    mei = account.user("mei")

    def decide(action, resource):
        return account.authorize(mei, action, resource)

    grid = decision_grid(decide, ["scf:GetFunction", "scf:DeleteFunction"],
                         [TEST1, REPORT])
    html = grid_html(["scf:GetFunction", "scf:DeleteFunction"],
                     [TEST1, REPORT], grid)

    assert [[d.outcome for d in row] for row in grid] == [
        [Outcome.ALLOW, Outcome.IMPLICIT_DENY],
        [Outcome.ALLOW, Outcome.EXPLICIT_DENY]]
    assert "✔ allow" in html and "⊘ explicit deny" in html
    assert "✘ implicit deny" in html
    assert f"title='{REPORT}'" in html


# Deciding with the account's policies.

def test_the_first_decision_is_made_at_once(simulator):
    """A sub-user is chosen and scf:ListFunctions decided on start."""
    assert simulator.identity.label == "sub-user mei"
    assert simulator.decision.allowed
    assert "✔ ALLOW" in simulator.result.value
    assert "policies of account" in simulator.source.value


@pytest.mark.parametrize("who, action, resource, outcome", [
    ("sub-user mei", "scf:DeleteFunction", REPORT, Outcome.EXPLICIT_DENY),
    ("sub-user mei", "scf:DeleteFunction", TEST1, Outcome.ALLOW),
    ("sub-user lena", "scf:InvokeFunction", TEST1, Outcome.IMPLICIT_DENY),
    ("collaborator kai", "scf:GetFunction", TEST1, Outcome.ALLOW),
    (f"root account ({UIN})", "scf:DeleteFunction", REPORT, Outcome.ALLOW),
    ("session of role thumbnail_writer", "cos:GetObject", CAT,
     Outcome.ALLOW),
    ("session of role thumbnail_writer", "cos:DeleteObject", CAT,
     Outcome.IMPLICIT_DENY),
])
def test_identities_get_the_accounts_answers(simulator, who, action,
                                             resource, outcome):
    """Each choice of identity, action and resource gives CAM's answer."""
    choose(simulator, who)

    assert ask(simulator, action, resource).outcome is outcome


@pytest.mark.parametrize("action, resource, shown", [
    ("scf:ListFunctions", "*", "✔ ALLOW"),
    ("scf:DeleteFunction", REPORT, "⊘ EXPLICIT DENY"),
    ("scf:InvokeFunction", "qcs::scf:ap-beijing::namespace/default/"
     "function/x", "✘ IMPLICIT DENY"),
])
def test_outcomes_are_shown_by_word_and_symbol(simulator, action,
                                               resource, shown):
    """Colour is never the only sign of an outcome."""
    ask(simulator, action, resource)

    assert shown in simulator.result.value


def test_a_denial_says_what_would_change_it(simulator):
    """The advice of the decision is shown under the statements."""
    decision = ask(simulator, "scf:DeleteFunction", REPORT)

    assert "What would change it:" in simulator.result.value
    assert "explicit deny beats every allow" in decision.advice
    assert "ProtectProduction" in simulator.result.value


def test_every_statement_read_is_a_row(simulator):
    """The explanation table lists each statement with its verdict."""
    ask(simulator, "scf:ListFunctions")

    rows = simulator.result.value.count("<tr>") - 1
    assert rows == len(simulator.decision.statements) > 1
    assert "✔ applies" in simulator.result.value


# Bad input.

@pytest.mark.parametrize("control, text, message", [
    ("source_ip", "999.1.1.1", "is not an IP address"),
    ("time", "yesterday", "is not an ISO 8601 time"),
    ("tags", "ops", "is not written"),
    ("resource", "qcs::scf:guangzhou", "has 4 segments, not six"),
    ("action", "scf List", "contains spaces"),
])
def test_bad_input_is_a_message_and_the_decision_stays(simulator, control,
                                                       text, message):
    """The last good decision is kept and marked; no exception escapes."""
    before = simulator.decision

    getattr(simulator, control).value = text

    assert simulator.decision is before
    assert message in simulator.message.value
    assert isinstance(simulator.last_error, RequestError)
    assert "below is the last one that could" in simulator.result.value


def test_fixing_the_input_clears_the_message(simulator):
    """A good value after a bad one decides again and clears the error."""
    simulator.source_ip.value = "999.1.1.1"

    simulator.source_ip.value = "10.0.0.8"

    assert simulator.last_error is None
    assert simulator.message.value == ""
    assert simulator.decision.request.context["qcs:ip"] == "10.0.0.8"


@pytest.mark.parametrize("control, value, action, allowed", [
    ("source_ip", "10.0.0.8", "scf:ListFunctions", True),
    ("source_ip", "192.168.1.1", "scf:ListFunctions", False),
    ("time", "2025-05-31T23:00:00Z", "scf:GetFunction", True),
    ("time", "2025-06-02T00:00:00Z", "scf:GetFunction", False),
    ("tags", "env&prod, team&ops", "scf:InvokeFunction", True),
    ("tags", "team&dev", "scf:InvokeFunction", False),
])
def test_context_reaches_the_conditions(control, value, action, allowed):
    """Source IP, time and tags are what the conditions compare."""
    simulator = RequestSimulator(policy_source=OFFICE)
    getattr(simulator, control).value = value

    assert ask(simulator, action).allowed is allowed


def test_a_role_session_can_ask_under_a_lone_policy():
    """With a policy source, a role stands for a session of it."""
    simulator = RequestSimulator(policy_source=parse_policy(
        '{"version": "2.0", "statement": [{"effect": "allow", "action": '
        '"cos:GetObject", "resource": "*"}]}'))
    choose(simulator, "session of role thumbnail_writer")

    decision = ask(simulator, "cos:GetObject", CAT)

    assert simulator.last_error is None
    assert decision.request.caller.role == "thumbnail_writer"
    assert decision.allowed


def test_the_time_defaults_to_the_accounts_clock():
    """With no time given, the sample account's clock supplies it."""
    simulator = RequestSimulator(policy_source=OFFICE)

    context = simulator.decision.request.context

    assert context["qcs:current_time"] == "2025-03-03T09:00:00Z"


# Following a PolicyBuilder.

def test_decisions_follow_the_builders_policy():
    """A change in the builder decides the request again."""
    builder = PolicyBuilder()
    simulator = RequestSimulator(policy_source=builder)
    assert simulator.decision.allowed
    assert "policy <code>MyPolicy</code> alone" in simulator.source.value

    builder.effect.value = "deny"

    assert simulator.decision.outcome is Outcome.EXPLICIT_DENY
    assert "MyPolicy/statement/0" in simulator.result.value


def test_an_invalid_builder_draft_leaves_decisions_alone():
    """The simulator sees only valid policies."""
    builder = PolicyBuilder()
    simulator = RequestSimulator(policy_source=builder)
    builder.resource_kind.value = "text"
    builder.resource_text.value = "nonsense"

    builder.add_resource_button.click()

    assert simulator.decision.allowed
    assert simulator.last_error is None


def test_observers_see_each_decision(simulator):
    """`decision` is a trait other code can observe."""
    seen = []
    simulator.observe(lambda change: seen.append(change["new"]), "decision")

    ask(simulator, "scf:DeleteFunction", REPORT)

    assert seen[-1].outcome is Outcome.EXPLICIT_DENY


# The grid.

def test_grid_mode_shows_a_table(simulator):
    """Switching to grid hides the single request and draws the table."""
    simulator.mode.value = "grid"

    assert simulator.single.layout.display == "none"
    assert "scflab-grid" in simulator.grid_table.value
    assert "scf:DeleteFunction" in simulator.grid_table.value


def test_grid_rows_and_frame(simulator):
    """`grid()` gives one mapping a cell; `grid_frame()` pivots them."""
    rows = simulator.grid(["scf:GetFunction", "scf:DeleteFunction"],
                          [TEST1, REPORT])
    frame = simulator.grid_frame()

    assert [(r["action"], r["outcome"]) for r in rows][-1] == (
        "scf:DeleteFunction", "explicit_deny")
    assert frame.shape == (len(simulator.grid_actions.value),
                           len(simulator.grid_resources.value))


def test_an_empty_grid_asks_for_a_choice(simulator):
    """Nothing selected: a hint instead of an empty table."""
    simulator.mode.value = "grid"

    simulator.grid_resources.value = ()

    assert "choose at least one action and one resource" in \
        simulator.grid_table.value


def test_a_bad_context_in_grid_mode_is_a_message(simulator):
    """The grid reports bad context the same way."""
    simulator.mode.value = "grid"

    simulator.tags.value = "broken"

    assert "is not written" in simulator.message.value


# Robustness and labels.

def test_an_unexpected_error_is_shown_not_raised(simulator, monkeypatch):
    """A failure inside the account becomes a message and last_error."""
    def broken(*args, **kwargs):
        raise RuntimeError("account offline")

    monkeypatch.setattr(simulator.account, "authorize", broken)
    simulator.decide_button.click()

    assert isinstance(simulator.last_error, RuntimeError)
    assert "unexpected error (RuntimeError: account offline)" in \
        simulator.message.value


def test_every_control_has_a_label(simulator):
    """Each input and button carries a description."""
    import ipywidgets as widgets

    inputs = [w for w in vars(simulator).values()
              if isinstance(w, (widgets.ValueWidget, widgets.Button))
              and not isinstance(w, widgets.HTML)]

    assert len(inputs) >= 9
    assert all(w.description for w in inputs)
