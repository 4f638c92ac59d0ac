"""PolicyBuilder, driven without a kernel: set values, click, read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import traitlets

from scflab import Condition, PolicyError, parse_policy
from scflab.catalog import default_catalog
from scflab.widgets import PolicyBuilder
from scflab.widgets.builder import (
    compose_resource, condition_values, describe_condition,
    matching_actions, problem_field, wildcard_summary)
from scflab.widgets.common import rich, write_atomically

GOOD = """{"version": "2.0", "statement": [
  {"effect": "deny", "action": ["cos:DeleteObject"], "resource": ["*"]},
  {"effect": "allow", "action": ["cos:GetObject"], "resource": ["*"]}]}"""

BROKEN = """{"version": "2.0",
 "statement": [{"effect": allow}]}"""


@pytest.fixture
def builder():
    return PolicyBuilder()


def add_wildcard(builder, pattern):
    builder.wildcard.value = pattern
    builder.add_wildcard_button.click()


def add_free_resource(builder, text):
    builder.resource_kind.value = "text"
    builder.resource_text.value = text
    builder.add_resource_button.click()


# The pure functions behind the form.

@pytest.mark.parametrize("path, expected", [
    ("/statement/0/effect", (0, "effect")),
    ("/statement/2/action/1", (2, "action")),
    ("/statement/1/resource/0", (1, "resource")),
    ("/statement/0/condition/ip_equal/qcs:ip/0", (0, "condition")),
    ("/statement/0", (0, "statement")),
    ("/statement/0/principal", (0, "statement")),
    ("/version", (None, "policy")),
    ("", (None, "policy")),
    ("/statement", (None, "policy")),
])
def test_problem_paths_map_to_form_parts(path, expected):
    """A JSON pointer names the statement and the control to flag."""
    assert problem_field(path) == expected


@pytest.mark.parametrize("kind, values, expected", [
    ("*", {}, "*"),
    ("scf", {"region": "ap-guangzhou", "function": "hello"},
     "qcs::scf:ap-guangzhou::namespace/default/function/hello"),
    ("scf", {"region": "ap-beijing", "uin": "100000000001",
             "namespace": "prod", "function": ""},
     "qcs::scf:ap-beijing:uin/100000000001:namespace/prod/function/*"),
    ("cos", {"region": "ap-guangzhou", "app_id": "1250000000",
             "bucket": "logs", "prefix": "2024/*"},
     "qcs::cos:ap-guangzhou:uid/1250000000:logs-1250000000/2024/*"),
    ("cos", {"region": "", "bucket": "", "prefix": ""}, "qcs::cos:::*/*"),
    ("cam", {"uin": "100000000001", "role": "scf_cos_full_access"},
     "qcs::cam::uin/100000000001:roleName/scf_cos_full_access"),
    ("text", {"text": "  qcs::cam::uin/1:root "}, "qcs::cam::uin/1:root"),
])
def test_resource_fields_compose_a_name(kind, values, expected):
    """Each resource kind turns its fields into a six-segment name."""
    assert compose_resource(kind, values) == expected


def test_an_unknown_resource_kind_is_refused():
    """A kind the form does not offer raises a ValueError naming it."""
    with pytest.raises(ValueError, match="`s3`"):
        compose_resource("s3", {})


@pytest.mark.parametrize("text, operator, expected", [
    ("10.0.0.0/24, 1.2.3.4", "ip_equal", ("10.0.0.0/24", "1.2.3.4")),
    ("true", "bool_equal", (True,)),
    ("False", "null_equal", (False,)),
    ("10, 2.5, ten", "numeric_less_than", (10, 2.5, "ten")),
    ("10", "string_equal", ("10",)),
    (" , ,", "string_equal", ()),
    ("a&b", "for_any_value:string_equal_if_exist", ("a&b",)),
])
def test_condition_values_are_typed_by_operator(text, operator, expected):
    """Values are split at commas and typed as the operator compares."""
    assert condition_values(text, operator) == expected


def test_a_condition_reads_as_one_line():
    """The conditions list shows operator, key and values."""
    condition = Condition("bool_equal", "cos:secure-transport", (True,))

    assert describe_condition(condition) == \
        "bool_equal cos:secure-transport: true"


@pytest.mark.parametrize("pattern, expected", [
    ("scf:List*", "`scf:List*` covers 10 known actions"),
    ("scf:GetFunction", "`scf:GetFunction` covers 1 known action"),
    ("scf:Nothing*", "`scf:Nothing*` covers no action scflab knows"),
    ("scf:ListFuntions", "did you mean `scf:ListFunctions`?"),
    ("scf: List*", "contains spaces"),
    ("", "type a pattern"),
])
def test_wildcard_summary_says_what_a_pattern_covers(pattern, expected):
    """The preview counts covered actions or explains what is wrong."""
    assert expected in wildcard_summary(default_catalog(), pattern)


def test_the_action_filter_matches_any_part_of_a_name():
    """Filtering ignores case and keeps to the chosen service."""
    found = matching_actions(default_catalog(), "scf", "FUNCTIONCODE")

    assert found == ["scf:UpdateFunctionCode"]


def test_rich_text_escapes_html_and_marks_code():
    """Backticked words become code; markup in values is escaped."""
    assert rich("`<b>` & `x`") == "<code>&lt;b&gt;</code> &amp; <code>x</code>"


# The widget: statements, actions, resources and conditions.

def test_a_new_builder_holds_a_valid_policy(builder):
    """It starts with one statement allowing scf:ListFunctions on *."""
    assert builder.to_json() == parse_policy(
        '{"version": "2.0", "statement": [{"effect": "allow", '
        '"action": "scf:ListFunctions", "resource": "*"}]}').to_json()
    assert builder.problems == ()
    assert "valid identity policy" in builder.status.value


def test_a_wildcard_entry_is_previewed_then_added(builder):
    """Typing a wildcard previews it; the button adds it to the policy."""
    builder.wildcard.value = "scf:Get*Concurrency*"
    assert "covers 2 known actions" in builder.wildcard_preview.value

    builder.add_wildcard_button.click()

    assert builder.policy.statements[0].actions == (
        "scf:ListFunctions", "scf:Get*Concurrency*")


def test_known_actions_are_filtered_then_added(builder):
    """The filter narrows the list; selected actions join the statement."""
    builder.service.value = "cos"
    builder.action_filter.value = "object"
    assert "cos:GetObject" in builder.action_catalog.options
    assert "cos:GetBucket" not in builder.action_catalog.options

    builder.action_catalog.value = ("cos:GetObject", "cos:PutObject")
    builder.add_actions_button.click()

    assert builder.policy.statements[0].actions == (
        "scf:ListFunctions", "cos:GetObject", "cos:PutObject")


def test_adding_with_nothing_chosen_says_what_to_do(builder):
    """Empty additions are refused with a message, not an exception."""
    builder.add_actions_button.click()
    assert "select one or more" in builder.action_message.value

    builder.add_wildcard_button.click()
    assert "type a wildcard entry" in builder.action_message.value
    assert isinstance(builder.last_error, ValueError)


def test_removing_actions_updates_the_policy(builder):
    """Selected actions leave the statement; none left is a problem."""
    add_wildcard(builder, "scf:Get*")
    builder.actions.value = ("scf:ListFunctions",)
    builder.remove_actions_button.click()
    assert builder.policy.statements[0].actions == ("scf:Get*",)

    builder.actions.value = ("scf:Get*",)
    builder.remove_actions_button.click()

    assert builder.policy.statements[0].actions == ("scf:Get*",)
    assert "empty list" in builder.action_problems.value


def test_the_effect_toggle_sets_the_statement_effect(builder):
    """Choosing deny makes the policy's statement a deny."""
    builder.effect.value = "deny"

    assert builder.policy.statements[0].effect.value == "deny"


def test_choosing_a_service_follows_through_the_form(builder):
    """The service picks the actions, condition keys and resource fields."""
    builder.resource_kind.value = "scf"
    builder.service.value = "cos"

    assert all(a.startswith("cos:") for a in builder.action_catalog.options)
    assert "cos:secure-transport" in builder.condition_key.options
    assert builder.resource_kind.value == "cos"
    assert builder.bucket.layout.display is None
    assert builder.function.layout.display == "none"


def test_a_scf_resource_replaces_the_star(builder):
    """Adding a function replaces `*` and says so."""
    builder.resource_kind.value = "scf"
    builder.function.value = "hello"
    assert "function/hello" in builder.resource_preview.value

    builder.add_resource_button.click()

    assert builder.policy.statements[0].resources == (
        "qcs::scf:ap-guangzhou::namespace/default/function/hello",)
    assert "replaced" in builder.resource_message.value


def test_bad_resource_text_is_flagged_beside_resources(builder):
    """A malformed name shows its problem and hint; the policy stays."""
    before = builder.policy

    add_free_resource(builder, "qcs::scf:guangzhou")

    assert builder.policy is before
    assert [p.path for p in builder.problems] == ["/statement/0/resource/0"]
    assert "not six" in builder.resource_problems.value
    assert "hint:" in builder.resource_problems.value
    assert "keeps the last valid policy" in builder.status.value
    assert "qcs::scf:guangzhou" in builder.preview.value


def test_removing_the_bad_resource_makes_the_policy_valid(builder):
    """Once the bad entry is gone the flag clears and policy updates."""
    add_free_resource(builder, "qcs::cos:ap-guangzhou:uid/1:b-1/*")
    add_free_resource(builder, "nonsense")

    builder.resources.value = ("nonsense",)
    builder.remove_resources_button.click()

    assert builder.problems == ()
    assert builder.resource_problems.value == ""
    assert builder.policy.statements[0].resources == (
        "qcs::cos:ap-guangzhou:uid/1:b-1/*",)


def test_a_condition_is_added_from_its_parts(builder):
    """Operator, qualifier, _if_exist, key and values make one condition."""
    builder.condition_operator.value = "string_equal"
    builder.condition_qualifier.value = "for_any_value"
    builder.condition_if_exist.value = True
    builder.condition_key.value = "qcs:request_tag"
    builder.condition_values.value = "team&ops, team&dev"

    builder.add_condition_button.click()

    assert builder.policy.statements[0].conditions == (Condition(
        "for_any_value:string_equal_if_exist", "qcs:request_tag",
        ("team&ops", "team&dev")),)
    assert builder.conditions.options[0][0].startswith("for_any_value:")


def test_a_second_condition_on_one_key_adds_values(builder):
    """Same operator and key: the values join the existing condition."""
    builder.condition_key.value = "qcs:ip"
    for values in ("10.0.0.0/8", "192.168.0.0/16, 10.0.0.0/8"):
        builder.condition_values.value = values
        builder.add_condition_button.click()

    (condition,) = builder.policy.statements[0].conditions
    assert condition.values == ("10.0.0.0/8", "192.168.0.0/16")


def test_a_bad_condition_value_is_flagged_beside_conditions(builder):
    """An IP that is not an address is a problem with a hint."""
    builder.condition_key.value = "qcs:ip"
    builder.condition_values.value = "10.0.0.300"

    builder.add_condition_button.click()

    assert builder.policy.statements[0].conditions == ()
    assert "10.0.0.300" in builder.condition_problems.value
    assert "hint:" in builder.condition_problems.value


def test_removing_a_condition(builder):
    """A selected condition leaves the statement."""
    builder.condition_key.value = "qcs:ip"
    builder.condition_values.value = "10.0.0.0/8"
    builder.add_condition_button.click()

    builder.conditions.value = (0,)
    builder.remove_conditions_button.click()

    assert builder.policy.statements[0].conditions == ()


def test_null_equal_cannot_take_if_exist(builder):
    """The _if_exist box is disabled for null_equal."""
    builder.condition_operator.value = "null_equal"

    assert builder.condition_if_exist.disabled


# Several statements.

def test_a_new_statement_is_selected_and_flagged(builder):
    """It has no action yet: flagged in the picker and beside Actions."""
    builder.add_statement_button.click()

    assert builder.selected == 1
    assert builder.statement_picker.value == 1
    assert "⚠ 1 problem" in builder.statement_picker.options[1][0]
    assert "empty list" in builder.action_problems.value
    assert len(builder.policy.statements) == 1


def test_problems_show_beside_the_statement_they_belong_to(builder):
    """Selecting another statement shows that statement's problems."""
    add_free_resource(builder, "bad")
    builder.add_statement_button.click()
    add_wildcard(builder, "cos:Get*")
    assert builder.resource_problems.value == ""
    assert "1 in other statements" in builder.status.value

    builder.statement_picker.value = 0

    assert "bad" in builder.resource_problems.value
    assert builder.wildcard.value == "cos:Get*"
    assert builder.actions.options == ("scf:ListFunctions",)


def test_selecting_a_statement_shows_its_fields(builder):
    """Effect, service and lists follow the selected statement."""
    builder.load(GOOD)

    builder.statement_picker.value = 1

    assert builder.effect.value == "allow"
    assert builder.service.value == "cos"
    assert builder.actions.options == ("cos:GetObject",)


def test_removing_a_statement(builder):
    """The selected statement goes; the one before it is selected."""
    builder.load(GOOD)
    builder.statement_picker.value = 1

    builder.remove_statement_button.click()

    assert [s.effect.value for s in builder.policy.statements] == ["deny"]
    assert builder.selected == 0


def test_removing_an_earlier_statement_keeps_the_selection(builder):
    """The statement shown stays shown when one before it goes."""
    builder.load(GOOD)
    builder.select(1)

    builder.remove_statement(0)

    assert builder.selected == 0
    assert builder.statement.actions == ("cos:GetObject",)


def test_the_last_statement_cannot_be_removed(builder):
    """The refusal is a message in the widget, kept in last_error."""
    builder.remove_statement_button.click()

    assert len(builder.statements) == 1
    assert "at least one statement" in builder.message.value
    assert isinstance(builder.last_error, ValueError)


def test_selecting_a_missing_statement_is_an_index_error(builder):
    """Programs calling select() get a precise IndexError."""
    with pytest.raises(IndexError, match="no statement 3"):
        builder.select(2)


# The policy trait.

def test_observers_see_each_new_valid_policy_once(builder):
    """Valid edits notify observers; invalid ones do not."""
    seen = []
    builder.observe(lambda change: seen.append(change["new"]), "policy")

    add_wildcard(builder, "scf:Get*")
    add_free_resource(builder, "bad")
    builder.effect.value = "deny"

    assert len(seen) == 1
    assert seen[0].statements[0].actions[-1] == "scf:Get*"


def test_the_policy_trait_is_read_only(builder):
    """Programs change the policy through load(), not by assignment."""
    with pytest.raises(traitlets.TraitError):
        builder.policy = parse_policy(GOOD)


def test_only_identity_and_session_policies_are_built():
    """The form has no principal, so trust policies are refused."""
    with pytest.raises(ValueError, match="identity and session"):
        PolicyBuilder(kind="trust")


def test_a_builder_can_start_from_a_policy():
    """A Policy, JSON text or a mapping fills the form."""
    policy = parse_policy(GOOD, name="MyPolicy")

    for start in (policy, GOOD, json.loads(GOOD)):
        assert PolicyBuilder(start).policy == policy


# Loading pasted JSON.

def test_pasted_json_replaces_the_form(builder):
    """Load parses the text; the form shows the first statement."""
    builder.paste.value = GOOD

    builder.load_button.click()

    assert len(builder.policy.statements) == 2
    assert builder.effect.value == "deny"
    assert "loaded 2 statements" in builder.io_message.value
    assert builder.last_error is None


def test_invalid_pasted_json_shows_line_and_column(builder):
    """Problems name their line and column; the policy is kept."""
    before = builder.to_json()
    builder.paste.value = BROKEN

    builder.load_button.click()

    assert builder.to_json() == before
    assert isinstance(builder.last_error, PolicyError)
    assert builder.last_error.problems[0].line == 2
    assert "(line 2, column 27)" in builder.io_message.value
    assert "nothing was changed" in builder.io_message.value


def test_pasted_text_is_never_read_as_a_file_name(builder, tmp_path):
    """A path pasted by mistake is JSON to be checked, not a file to open."""
    path = tmp_path / "policy.json"
    path.write_text(GOOD)
    builder.paste.value = str(path)

    builder.load_button.click()

    assert isinstance(builder.last_error, PolicyError)
    assert len(builder.policy.statements) == 1


# Saving.

def test_save_writes_the_policy_and_nothing_else(builder, tmp_path):
    """The file holds the canonical JSON; no temporary file remains."""
    path = tmp_path / "policy.json"
    builder.save_path.value = str(path)

    builder.save_button.click()

    assert json.loads(path.read_text()) == json.loads(builder.to_json())
    assert os.listdir(tmp_path) == ["policy.json"]
    assert "saved 1 statement to" in builder.io_message.value


@pytest.mark.parametrize("where, reason", [
    ("missing/policy.json", "does not exist"),
    ("afile/policy.json", "is a file, not a folder"),
    (".", "is a folder"),
])
def test_save_to_an_unwritable_place_is_a_message(builder, tmp_path,
                                                   where, reason):
    """Missing folders and the like are reported in the widget."""
    (tmp_path / "afile").write_text("keep")
    builder.save_path.value = str(tmp_path / where)

    builder.save_button.click()

    assert reason in builder.io_message.value
    assert isinstance(builder.last_error, OSError)
    assert sorted(os.listdir(tmp_path)) == ["afile"]


def test_save_without_a_path_says_so(builder):
    """An empty path asks for a file name."""
    builder.save_button.click()

    assert "give a file name" in builder.io_message.value


def test_save_while_the_form_is_invalid_writes_the_last_valid_policy(
        builder, tmp_path):
    """The message says the file holds the last valid policy."""
    add_free_resource(builder, "bad")
    path = tmp_path / "policy.json"
    builder.save_path.value = str(path)

    builder.save_button.click()

    assert "bad" not in path.read_text()
    assert "last valid policy" in builder.io_message.value


def test_a_failed_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    """When the final step fails the old file and folder are unchanged."""
    path = tmp_path / "policy.json"
    path.write_text("old")

    def fail(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(PermissionError) as caught:
        write_atomically(path, "new")

    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["policy.json"]
    assert caught.value.filename == str(path)


def test_save_keeps_an_existing_files_permissions(tmp_path):
    """Replacing a file does not change who may read it."""
    path = tmp_path / "policy.json"
    path.write_text("old")
    path.chmod(0o640)

    write_atomically(path, "new")

    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640


# No exception escapes a callback.

def test_an_unexpected_error_is_shown_not_raised(builder, monkeypatch):
    """A bug inside a callback becomes a message and last_error."""
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr("scflab.widgets.builder.compose_resource", broken)
    builder.add_resource_button.click()

    assert isinstance(builder.last_error, RuntimeError)
    assert "unexpected error (RuntimeError: boom)" in \
        builder.resource_message.value
    assert builder.policy.statements[0].resources == ("*",)


def test_a_good_action_clears_the_last_error(builder):
    """last_error and the message describe the latest action only."""
    builder.remove_statement_button.click()

    add_wildcard(builder, "scf:Get*")

    assert builder.last_error is None
    assert builder.message.value == ""


def test_every_control_has_a_label(builder):
    """Each input carries a description (or is a labelled checkbox)."""
    import ipywidgets as widgets

    inputs = [w for w in vars(builder).values()
              if isinstance(w, (widgets.ValueWidget, widgets.Button))
              and not isinstance(w, widgets.HTML)]

    assert inputs
    assert all(w.description for w in inputs)


def test_importing_scflab_does_not_import_ipywidgets():
    """Widgets load only when scflab.widgets is imported."""
    code = "import sys, scflab; print('ipywidgets' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code],
                            capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"
