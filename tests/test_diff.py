"""Policy differences: witnesses that replay, `is_subset`, the universe."""

import pytest

import scflab
from scflab.analysis.diff import COLUMNS
from scflab.analysis.universe import Universe

FN = "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/"
DIR = "qcs::cos:ap-shanghai:uid/1250000000:Bucket1-1250000000/dir1/"


def doc(*statements):
    return {"version": "2.0", "statement": list(statements)}


def allow(action, resource="*", **extra):
    return {"effect": "allow", "action": action, "resource": resource,
            **extra}


def deny(action, resource="*", **extra):
    return {"effect": "deny", "action": action, "resource": resource,
            **extra}


def trust(principal):
    return {"effect": "allow", "action": "name/sts:AssumeRole",
            "principal": principal}


def parsed(document):
    if isinstance(document, scflab.Policy):
        return document
    kind = "trust" if "principal" in str(document) else "identity"
    return scflab.parse_policy(document, kind=kind)


def preset(name):
    return scflab.preset(name).policy()


IPS = {"qcs:ip": ["10.217.182.3/24", "111.21.33.72/24"]}
TWO_BLOCKS = doc(allow("cos:PutObject", condition={"ip_equal": IPS}))
ONE_BLOCK = doc(allow("cos:PutObject", condition={
    "ip_equal": {"qcs:ip": ["10.217.182.3/24"]}}))
FOLDER = doc(allow("cos:*", DIR + "*"))
FOLDER_BUT_ONE = doc(allow("cos:*", DIR + "*"), deny("cos:*", DIR + "Object1"))
LIST_ONE = doc(allow("scf:ListFunctions"))
LIST_ALL = doc(allow("scf:List*"))

PAIRS = [
    (LIST_ONE, LIST_ALL),
    (TWO_BLOCKS, ONE_BLOCK),
    (FOLDER_BUT_ONE, FOLDER),
    (preset("QcloudSCFReadOnlyAccess"), preset("QcloudSCFFullAccess")),
    (doc(allow("scf:GetFunction", FN + "a",
               condition={"date_less_than": {
                   "qcs:current_time": "2030-01-01T00:00:00Z"}})),
     doc(allow("scf:GetFunction", FN + "*"))),
]


@pytest.mark.parametrize("old, new", PAIRS)
def test_witnesses_replay_with_evaluate(old, new):
    """Every witness, decided again by `evaluate`, gives the outcomes the
    diff reports, and its access really changed."""
    old_policy, new_policy = parsed(old), parsed(new)

    frame = scflab.diff(old_policy, new_policy, all_contexts=True)

    assert len(frame) > 0
    for row in frame.to_dict("records"):
        request = scflab.Request(row["action"], row["resource"],
                                 row["principal"], row["context"])
        before = scflab.evaluate(request, old_policy)
        after = scflab.evaluate(request, new_policy)
        assert before.outcome.value == row["old_outcome"]
        assert after.outcome.value == row["new_outcome"]
        assert after.allowed == (row["change"] == "added")
        assert before.allowed != after.allowed


def test_diff_has_the_documented_columns():
    """The frame has change, action, resource, principal, context and both
    outcomes, and says which universe it searched."""
    frame = scflab.diff(LIST_ONE, LIST_ALL)

    assert tuple(frame.columns) == COLUMNS
    assert "requests" in frame.attrs["universe"]


def test_removed_address_block_is_witnessed_from_inside_it():
    """Dropping an address block shows a request from that block as
    removed access."""
    frame = scflab.diff(TWO_BLOCKS, ONE_BLOCK)

    [row] = frame.to_dict("records")
    assert row["change"] == "removed"
    assert row["context"] == {"qcs:ip": "111.21.33.0"}


def test_dropping_a_deny_adds_only_the_denied_object():
    """Without the deny, the object it named becomes allowed, and nothing
    else in the folder changes."""
    frame = scflab.diff(FOLDER_BUT_ONE, FOLDER)

    assert set(frame["change"]) == {"added"}
    assert set(frame["resource"]) == {DIR + "Object1"}


def test_wildcard_adds_the_actions_it_covers():
    """`scf:List*` adds every catalog list action, and one not yet listed."""
    frame = scflab.diff(LIST_ONE, LIST_ALL)

    added = set(frame["action"])
    assert {"scf:ListAliases", "scf:ListNamespaces"} <= added
    assert "scf:ListUnlisted" in added
    assert "scf:ListFunctions" not in added


def test_wildcard_and_its_expansion_differ_only_on_unlisted_actions():
    """A wildcard and the list of catalog actions it covers differ only
    on actions the catalog does not list."""
    catalog = scflab.default_catalog()
    names = [a.qualified for a in catalog.expand("scf:Get*")]

    frame = scflab.diff(doc(allow("scf:Get*")), doc(allow(names)))

    assert frame[["change", "action"]].values.tolist() == [
        ["removed", "scf:GetUnlisted"]]


def test_same_policy_has_no_differences():
    """A policy differs from itself nowhere."""
    policy = preset("QcloudSCFFullAccess")

    assert scflab.diff(policy, policy).empty


def test_lists_of_policies_are_taken_together():
    """Each side may be several policies; their allows add up."""
    frame = scflab.diff([LIST_ONE, doc(allow("scf:ListAliases"))], LIST_ALL)

    assert "scf:ListAliases" not in set(frame["action"])


def test_one_witness_per_request_by_default():
    """Without `all_contexts`, each change of one action on one resource
    has one witness, in the simplest context."""
    old = doc(allow("cos:PutObject"))
    new = doc(allow("cos:PutObject"), deny("cos:PutObject", condition={
        "ip_not_equal_if_exist": {"qcs:ip": "10.0.0.0/8"}}))

    frame = scflab.diff(old, new)
    every = scflab.diff(old, new, all_contexts=True)

    assert frame["context"].tolist() == [{}]
    assert every["context"].tolist() == [{}, {"qcs:ip": "192.0.2.1"}]


SUBSETS = [
    (LIST_ONE, LIST_ALL, True),
    (LIST_ALL, LIST_ONE, False),
    (ONE_BLOCK, TWO_BLOCKS, True),
    (TWO_BLOCKS, ONE_BLOCK, False),
    (FOLDER_BUT_ONE, FOLDER, True),
    (FOLDER, FOLDER_BUT_ONE, False),
    (doc(allow("scf:GetFunction", FN + "a")),
     doc(allow("scf:GetFunction", FN + "*")), True),
    (doc(allow("scf:GetFunction", FN + "*")),
     doc(allow("scf:GetFunction", FN + "a")), False),
    (doc(deny("*")), doc(allow("scf:ListFunctions")), True),
    (preset("QcloudCOSReadOnlyAccess"), preset("QcloudCOSFullAccess"), True),
    (preset("QcloudSCFReadOnlyAccess"), preset("QcloudSCFFullAccess"), False),
    (doc(trust({"service": ["scf.qcloud.com"]})), doc(trust("*")), True),
    (doc(trust("*")), doc(trust({"service": ["scf.qcloud.com"]})), False),
]


@pytest.mark.parametrize("a, b, expected", SUBSETS)
def test_is_subset(a, b, expected):
    """`is_subset(a, b)` holds when `a` allows nothing `b` does not."""
    assert scflab.is_subset(parsed(a), parsed(b)) is expected


def test_is_subset_agrees_with_diff():
    """`is_subset(new, old)` is true exactly when the diff adds nothing."""
    for old, new in PAIRS:
        added = (scflab.diff(old, new)["change"] == "added").any()
        assert scflab.is_subset(new, old) is not added


def test_universe_holds_the_generic_resource_and_absence():
    """The universe has `*` as a resource no pattern names, an instance of
    each wildcard pattern, and the context without the key."""
    universe = Universe.of(parsed(FOLDER_BUT_ONE), parsed(TWO_BLOCKS))

    assert "*" in universe.resources
    assert DIR + "unlisted" in universe.resources
    assert DIR + "Object1" in universe.resources
    assert {} in universe.contexts
    assert {"qcs:ip": "192.0.2.1"} in universe.contexts


def test_universe_varies_one_key_at_a_time_when_too_many():
    """Past `max_contexts`, contexts vary one key at a time."""
    keys = {f"cos:key{i}": ["a", "b", "c"] for i in range(5)}
    policy = parsed(doc(allow("cos:GetObject",
                              condition={"string_equal": keys})))

    full = Universe.of(policy, max_contexts=10_000)
    small = Universe.of(policy, max_contexts=10)

    assert len(full.contexts) == 5 ** 5
    assert len(small.contexts) == 1 + 5 * 4


def test_universe_uses_the_given_principal():
    """A given principal is the only caller the universe tries."""
    caller = "qcs::cam::uin/12345:uin/67890"

    universe = Universe.of(parsed(LIST_ONE), principal=caller)

    assert universe.principals == (caller,)


def test_trust_universe_adds_an_outsider():
    """With principals in play, the universe also tries one no policy
    names."""
    universe = Universe.of(parsed(doc(trust({"service": ["scf.qcloud.com"]}))))

    assert "scf.qcloud.com" in universe.principals
    assert len(universe.principals) == 3
