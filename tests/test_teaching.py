"""`scflab.check`: feedback on any answer, never an exception."""

from __future__ import annotations

import math

import pytest

import scflab
from scflab import Outcome
from scflab.teaching import (
    Feedback, Status, check, exercise_cases, exercise_table, exercises)

ODD_ANSWERS = [
    None,
    ...,
    "",
    "...",
    42,
    math.nan,
    [],
    ["scf:Get*", 3],
    {},
    {"version": "2.0"},
    {"version": "2.0", "statement": [{"effect": ..., "action": "x"}]},
    "not a policy at all",
    "{ this is not JSON",
    b'{"version": "2.0", "statement": []}',
    object(),
    Outcome.ALLOW,
    True,
    {"a": 1, "b": [None], "c": object()},
]

IDS = [e.id for e in exercises()]


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=repr)
@pytest.mark.parametrize("exercise_id", IDS)
def test_check_never_raises(exercise_id, answer):
    """Any answer to any exercise gives feedback that renders; no raise."""
    feedback = check(exercise_id, answer)

    assert isinstance(feedback, Feedback)
    assert isinstance(feedback.passed, bool)
    assert feedback.text() and feedback._repr_html_()


@pytest.mark.parametrize("answer", [..., None, "", "  ", "..."])
def test_placeholders_are_not_attempted(answer):
    """The workbook's placeholders count as not attempted, politely."""
    feedback = check("analyst-logs", answer)

    assert feedback.status is Status.NOT_ATTEMPTED
    assert not feedback.attempted and not feedback.passed
    assert "Not attempted yet" in feedback.text()


def test_partial_answer_names_every_hole():
    """A skeleton with `...` left in says where each hole is."""
    skeleton = {"version": "2.0", "statement": [
        {"effect": "allow", "action": ..., "resource": ...}]}

    feedback = check("analyst-logs", skeleton)

    assert feedback.status is Status.NOT_ATTEMPTED
    assert "/statement/0/action" in feedback.hint
    assert "/statement/0/resource" in feedback.hint


def test_check_without_answer_is_not_attempted():
    """`check(id)` alone reads as a question not yet answered."""
    assert check("warm-up").status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("exercise_id", ["analyst_logs", "nope", None, 3])
def test_unknown_exercise_is_feedback(exercise_id):
    """An unknown id is reported, with the closest id when there is one."""
    feedback = check(exercise_id, "x")

    assert feedback.status is Status.FAILED
    assert "no exercise called" in feedback.text()


def test_unknown_exercise_suggests_the_closest():
    """A misspelt id names the exercise it probably meant."""
    assert "analyst-logs" in check("analyst_logs", "x").hint


def test_invalid_policy_reports_each_problem_with_its_place():
    """A policy the validator rejects lists its problems and locations."""
    text = ('{"version": "2.0", "statement": [{"effect": "Allow",\n'
            ' "action": "scf: GetFunctionLogs", "resource": "*"}]}')

    feedback = check("analyst-logs", text)

    assert feedback.status is Status.FAILED
    assert any("/statement/0/effect (line 1" in w for w in feedback.wrong)
    assert any("contains spaces" in w for w in feedback.wrong)


def test_passing_feedback_says_correct_in_words_and_symbol():
    """A pass shows a tick and the word, so colour is never the only cue."""
    feedback = check("get-actions", "scf:Get*")

    assert feedback.passed and bool(feedback)
    assert "✔ Correct" in feedback.text()
    assert "✔ Correct" in feedback._repr_html_()


def test_failing_feedback_puts_what_is_wrong_first():
    """A failure shows ✘ with the word, wrong points before right ones."""
    feedback = check("get-actions", "scf:*")

    html = feedback._repr_html_()
    assert "✘ Not yet" in feedback.text()
    assert html.index("✘ wrong") < html.index("✔ right")
    assert feedback.hint


def test_feedback_html_escapes_the_answer():
    """Whatever the learner typed is shown as text, never as markup."""
    feedback = check("get-actions", "<script>alert(1)</script>")

    assert "<script>" not in feedback._repr_html_()


def test_outcome_answers_accept_enums_and_spellings():
    """`Outcome.IMPLICIT_DENY`, `implicit_deny`, `Implicit Deny` all work."""
    for answer in (Outcome.IMPLICIT_DENY, "implicit_deny", " Implicit Deny"):
        assert check("creator-access", answer).passed


def test_check_is_a_lazy_attribute_of_scflab():
    """`scflab.check` is the teaching module's `check`."""
    assert scflab.check is check
    assert "check" in dir(scflab)


def test_every_exercise_is_described_and_belongs_to_an_episode():
    """Each exercise has a title, a task, a hint and an episode 0-8."""
    for item in exercises():
        assert item.title and item.task and item.hint
        assert 0 <= item.episode <= 8


def test_every_episode_has_an_exercise():
    """Episodes 0-8 each have at least one exercise."""
    assert {item.episode for item in exercises()} == set(range(9))


def test_exercise_table_has_one_row_per_exercise():
    """The instructors' table lists every exercise once."""
    table = exercise_table()

    assert list(table.columns) == ["episode", "id", "title", "task"]
    assert sorted(table["id"]) == sorted(IDS)


LOGS_TEST1 = {"version": "2.0", "statement": [{
    "effect": "allow", "action": "scf:GetFunctionLogs",
    "resource": "qcs::scf:ap-guangzhou:uin/100000000001:"
                "namespace/default/function/Test1"}]}


def test_a_parsed_policy_is_an_answer():
    """A `Policy` (from the policy builder, say) is judged like a dict."""
    assert check("analyst-logs", scflab.parse_policy(LOGS_TEST1)).passed


def test_a_policy_is_checked_again_as_the_exercise_kind():
    """An identity policy given to a trust exercise fails validation."""
    document = {"version": "2.0", "statement": [{
        "effect": "allow", "action": "name/sts:AssumeRole",
        "resource": "*"}]}

    feedback = check("thumbnail-trust", scflab.parse_policy(document))

    assert feedback.status is Status.FAILED
    assert "principal" in feedback.text()


def test_exercise_cases_lists_the_requests_of_a_policy_exercise():
    """A policy exercise's table has one row per request, with its want."""
    cases = exercise_cases("analyst-logs")

    assert list(cases["expect"]) == ["allow", "deny", "deny", "deny"]
    assert {"request", "action", "resource", "principal"} <= set(cases)


def test_exercise_cases_refuses_other_exercises():
    """A question without a request table says so."""
    with pytest.raises(ValueError, match="no table of requests"):
        exercise_cases("warm-up")
