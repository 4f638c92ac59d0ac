"""RoleWalkthrough, driven without a kernel: step, advance time, read."""

from __future__ import annotations

import pytest

from scflab import Outcome, sample_account, trust_policy
from scflab.widgets import RoleWalkthrough
from scflab.widgets.walkthrough import (
    STEPS, call_choices, duration_text, steps_html)

LAST = len(STEPS) - 1


@pytest.fixture
def walkthrough():
    return RoleWalkthrough()


def page(walkthrough, step):
    walkthrough.go(step)
    return walkthrough.panel.value


def secrets_of(session):
    credentials = session.credentials
    return [credentials.tmp_secret_id.reveal(),
            credentials.tmp_secret_key.reveal(),
            credentials.token.reveal()]


# The pure functions.

@pytest.mark.parametrize("seconds, text", [
    (7500, "2 h 5 min"), (7200, "2 h"), (3540, "59 min"), (40, "40 s"),
    (-600, "10 min"),
])
def test_durations_read_as_hours_and_minutes(seconds, text):
    """Spans of time are written for people, without a sign."""
    assert duration_text(seconds) == text


def test_the_step_indicator_names_the_current_step():
    """`Step n of 6: title`, with the current step marked for readers."""
    html = steps_html(2)

    assert "Step 3 of 6: AssumeRole" in html
    assert html.count("aria-current") == 1


def test_calls_the_code_made_come_first():
    """Step 6 offers the invocation's own calls, then a few more."""
    account = sample_account()
    invocation = account.scf.invoke(account.scf.function("thumbnailer"))

    labels = [label for label, _ in call_choices(account, invocation)]

    assert labels[:2] == ["cos:GetObject on uploads-1250000000/cat.jpg",
                          "cos:PutObject on thumbnails-1250000000/cat.jpg"]
    assert "cos:DeleteObject on uploads-1250000000/cat.jpg" in labels
    assert len(labels) == len(set(labels))


# Stepping.

def test_it_starts_at_step_one_with_a_role(walkthrough):
    """The first function with an execution role is chosen and invoked."""
    assert walkthrough.function.name == "thumbnailer"
    assert walkthrough.step == 0
    assert "Step 1 of 6: The function" in walkthrough.indicator.value
    assert walkthrough.back_button.disabled
    assert walkthrough.session is not None


def test_next_and_back_move_one_step_within_bounds(walkthrough):
    """Buttons move the indicator; Next stops at the last step."""
    for _ in range(LAST + 2):
        walkthrough.next_button.click()
    assert walkthrough.step == LAST
    assert walkthrough.next_button.disabled

    walkthrough.back_button.click()

    assert walkthrough.step == LAST - 1
    assert "Step 5 of 6" in walkthrough.indicator.value


def test_the_step_changes_only_through_go(walkthrough):
    """Assigning `step` would skip drawing it, so it is read-only."""
    import traitlets

    with pytest.raises(traitlets.TraitError):
        walkthrough.step = 2


def test_going_to_a_missing_step_is_an_index_error(walkthrough):
    """Programs get a precise error for a step that does not exist."""
    with pytest.raises(IndexError, match="no step 7"):
        walkthrough.go(6)


@pytest.mark.parametrize("step, shown", [
    (0, ["thumbnail_writer", "service-scf.qcloud.com",
         "ThumbnailWriterAccess"]),
    (1, ["scf.qcloud.com may assume the role", "✔ ALLOW",
         "&quot;service&quot;"]),
    (2, ["RoleArn", "roleName/thumbnail_writer", "RoleSessionName",
         "scf-default-thumbnailer", "DurationSeconds", "7200",
         "ExpiredTime", "2025-03-03T11:00:00Z"]),
    (3, ["TmpSecretId", "AKID****…", "valid for another 2 h"]),
    (4, ["environment variables", "TENCENTCLOUD_SECRETID",
         "TENCENTCLOUD_SESSIONTOKEN", "SCF_FUNCTIONNAME"]),
    (5, ["role session <code>scf-default-thumbnailer</code>", "✔ ALLOW",
         "ThumbnailWriterAccess/statement/0"]),
])
def test_each_step_tells_its_part(walkthrough, step, shown):
    """Every step shows what happens at that point of the story."""
    html = page(walkthrough, step)

    for text in shown:
        assert text in html


def test_no_step_shows_a_whole_secret(walkthrough):
    """Credentials are masked on every page."""
    secrets = secrets_of(walkthrough.session)

    for step in range(len(STEPS)):
        html = page(walkthrough, step)
        assert not any(secret in html for secret in secrets)


def test_an_image_function_gets_headers():
    """render-image receives X-Scf-* headers instead of variables."""
    walkthrough = RoleWalkthrough(function="ap-shanghai/prod/render-image")

    html = page(walkthrough, 4)

    assert "HTTP headers" in html
    assert "X-Scf-Secret-Id" in html and "X-Scf-Session-Token" in html
    assert "TENCENTCLOUD_SECRETID" not in html


def test_choosing_another_function_starts_again(walkthrough):
    """A new function is invoked and the story restarts at step 1."""
    walkthrough.go(3)
    account = walkthrough.account

    walkthrough.function_picker.value = account.scf.function(
        "report-builder", "prod", "ap-shanghai")

    assert walkthrough.step == 0
    assert walkthrough.session.role.name == "scf_cos_full_access"
    assert walkthrough.last_error is None


# Time.

def test_the_call_fails_once_the_clock_passes_expiry(walkthrough):
    """Two hours on, the same credentials are refused before any policy."""
    walkthrough.go(LAST)
    assert walkthrough.decision.allowed
    walkthrough.clock_minutes.value = 150

    walkthrough.advance_button.click()

    decision = walkthrough.decision
    assert decision.outcome is Outcome.IMPLICIT_DENY
    assert "expired at 2025-03-03T11:00:00Z" in decision.notes[0]
    assert "✘ IMPLICIT DENY" in walkthrough.panel.value
    assert "2025-03-03T11:30:00Z" in walkthrough.clock_line.value


def test_the_credentials_step_says_they_expired(walkthrough):
    """After expiry the credentials page says how long ago."""
    walkthrough.advance_clock(2 * 3600 + 600)

    assert "expired 10 min ago" in page(walkthrough, 3)


def test_invoking_again_brings_fresh_credentials(walkthrough):
    """A new invocation is a new session, valid from the new time."""
    old = walkthrough.session
    walkthrough.advance_clock(3 * 3600)

    walkthrough.invoke_button.click()
    walkthrough.go(LAST)

    assert walkthrough.session is not old
    assert secrets_of(walkthrough.session) != secrets_of(old)
    assert walkthrough.decision.allowed


def test_another_call_is_decided_by_the_roles_policies(walkthrough):
    """The role may write thumbnails, not delete uploads."""
    walkthrough.go(LAST)
    calls = dict(walkthrough.call.options)

    walkthrough.call.value = calls[
        "cos:DeleteObject on uploads-1250000000/cat.jpg"]

    assert walkthrough.decision.outcome is Outcome.IMPLICIT_DENY
    assert "What would change it:" in walkthrough.panel.value


# Functions that get no credentials.

def test_without_a_role_the_code_gets_nothing():
    """Test2 has no role: no session, no secret variables, call refused."""
    walkthrough = RoleWalkthrough(function="Test2")

    assert walkthrough.session is None
    assert "no credentials at all" in page(walkthrough, 0)
    assert "no execution role" in page(walkthrough, 2)
    assert "No credential is among them" in page(walkthrough, 4)
    assert "TENCENTCLOUD_SESSIONTOKEN" not in walkthrough.panel.value
    page(walkthrough, LAST)
    assert "carries no credentials" in walkthrough.decision.notes[0]


def test_a_trust_policy_without_scf_stops_the_story():
    """When the trust policy no longer admits SCF, STS refuses."""
    account = sample_account()
    account.update_trust_policy("thumbnail_writer",
                                trust_policy(accounts=[account.uin]))

    walkthrough = RoleWalkthrough(account)

    assert walkthrough.session is None
    assert walkthrough.last_error is None
    assert "does not admit scf.qcloud.com" in page(walkthrough, 1)
    assert "IMPLICIT DENY" in walkthrough.panel.value
    assert "GetStsTokenFailed" in page(walkthrough, 2)


def test_a_deleted_role_is_named_as_missing():
    """The function still names its role; the pages say it is gone."""
    account = sample_account()
    account.delete_role("thumbnail_writer")

    walkthrough = RoleWalkthrough(account)

    assert "no longer exists" in page(walkthrough, 0)
    assert "no such role any more" in page(walkthrough, 1)
    assert "could not get credentials" in page(walkthrough, 3)


def test_a_function_of_another_account_is_refused():
    """The walkthrough tells a story of its own account only."""
    elsewhere = sample_account().scf.function("thumbnailer")

    with pytest.raises(ValueError, match="not one of account"):
        RoleWalkthrough(function=elsewhere)


# Robustness and labels.

def test_an_unexpected_error_is_shown_not_raised(walkthrough, monkeypatch):
    """A failing clock becomes a message and last_error."""
    def broken(seconds):
        raise RuntimeError("clock stuck")

    monkeypatch.setattr(walkthrough.account.clock, "advance", broken)
    walkthrough.advance_button.click()

    assert isinstance(walkthrough.last_error, RuntimeError)
    assert "clock stuck" in walkthrough.message.value


def test_every_control_has_a_label(walkthrough):
    """Each input and button carries a description."""
    import ipywidgets as widgets

    inputs = [w for w in vars(walkthrough).values()
              if isinstance(w, (widgets.ValueWidget, widgets.Button))
              and not isinstance(w, widgets.HTML)]

    assert len(inputs) >= 7
    assert all(w.description for w in inputs)
