"""The preset policies shipped as data, and how they meet the catalog."""

import re

import pytest

from scflab.catalog import default_catalog
from scflab.presets import (
    PRESET_NOTICE, PresetPolicy, preset, preset_policies)

EXACT = {
    "QcloudAccessForScfRole": True,
    "QcloudSCFFullAccess": True,
    "QcloudSCFReadOnlyAccess": True,
    "QcloudCOSFullAccess": False,
    "QcloudCOSReadOnlyAccess": False,
}


def _actions_by_preset():
    for name, entry in preset_policies().items():
        for statement in entry.document["statement"]:
            for action in statement["action"]:
                yield name, action


def test_the_five_presets_are_shipped():
    """The three SCF presets and the two COS equivalents are there."""
    assert list(preset_policies()) == list(EXACT)


@pytest.mark.parametrize("name, exact", EXACT.items())
def test_exact_marks_literal_copies(name, exact):
    """Only the SCF presets are literal; the COS ones are equivalents."""
    assert preset(name).exact is exact


@pytest.mark.parametrize("name", EXACT)
def test_every_preset_says_where_it_comes_from(name):
    """Each entry carries a description, a source and a YYYY-MM date."""
    entry = preset(name)

    assert entry.name == name
    assert entry.description
    assert entry.source
    assert re.fullmatch(r"\d{4}-\d{2}", entry.as_of)


@pytest.mark.parametrize("name", EXACT)
def test_presets_allow_on_every_resource(name):
    """Each preset is one allow statement on `*`, version 2.0."""
    document = preset(name).document

    assert document["version"] == "2.0"
    [statement] = document["statement"]
    assert statement["effect"] == "allow"
    assert statement["resource"] == "*"


@pytest.mark.parametrize("name, count, first, last", [
    ("QcloudAccessForScfRole", 15, "cos:GetBucket*", "ckafka:CreateRoute"),
    ("QcloudSCFFullAccess", 30, "scf:*", "cdb:DescribeDBInstances"),
    ("QcloudSCFReadOnlyAccess", 21, "scf:Get*", "cos:GetObject"),
    ("QcloudCOSFullAccess", 1, "cos:*", "cos:*"),
    ("QcloudCOSReadOnlyAccess", 4, "cos:List*", "cos:OptionsObject"),
])
def test_action_lists_are_copied_whole(name, count, first, last):
    """Each action list has the published length, first and last entry."""
    actions = preset(name).document["statement"][0]["action"]

    assert len(actions) == count
    assert (actions[0], actions[-1]) == (first, last)


@pytest.mark.parametrize("name, action", list(_actions_by_preset()))
def test_every_preset_action_is_known(name, action):
    """Each action a preset names is known or a pattern covering one."""
    catalog = default_catalog()

    if "*" in action:
        assert catalog.expand(action), f"{action} covers no known action"
    else:
        assert action in catalog


def test_changing_a_returned_document_leaves_the_preset_alone():
    """Callers get their own copies of the documents."""
    entry = preset("QcloudCOSFullAccess")
    entry.document["statement"].clear()

    assert preset("QcloudCOSFullAccess").document["statement"]


def test_presets_are_hashable():
    """A preset can go in a set although its document is a dict."""
    entries = set(preset_policies().values())

    assert len(entries) == len(EXACT)


@pytest.mark.parametrize("misspelt, suggestion", [
    ("QcloudSCFFullAcess", "QcloudSCFFullAccess"),
    ("qcloudcosreadonlyaccess", "QcloudCOSReadOnlyAccess"),
])
def test_unknown_name_raises_with_a_suggestion(misspelt, suggestion):
    """An unknown name raises KeyError listing the presets and a guess."""
    with pytest.raises(KeyError) as raised:
        preset(misspelt)

    message = str(raised.value)
    assert f"did you mean `{suggestion}`" in message
    assert all(name in message for name in EXACT)


def test_unknown_name_without_a_close_match():
    """Far from every preset, the error lists them and guesses nothing."""
    with pytest.raises(KeyError, match="known presets") as raised:
        preset("AdministratorAccess")

    assert "did you mean" not in str(raised.value)


def test_notice_is_one_sentence_about_live_contents():
    """The notice warns in one sentence that live presets may differ."""
    assert PRESET_NOTICE.endswith(".")
    assert PRESET_NOTICE.count(". ") == 0
    assert "differ" in PRESET_NOTICE


@pytest.mark.parametrize("name", EXACT)
def test_policy_parses_under_the_preset_name(name):
    """`policy()` gives a valid Policy named after the preset."""
    entry: PresetPolicy = preset(name)

    policy = entry.policy()

    assert policy.name == name
    assert len(policy) == len(entry.document["statement"])
    [statement] = policy.statements
    assert statement.effect == "allow"
