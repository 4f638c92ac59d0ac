"""The account model: identities, groups, policies, boundaries, limits."""

import pytest

import scflab
from scflab import Account, CamError, ManualClock, ResourceName
from scflab.evaluation.evaluator import ROOT_REF
from scflab.identity import SCF_SERVICE
from scflab.identity.errors import LimitExceeded
from scflab.language.parser import parse_policy

UIN = "100000000001"
APP_ID = "1250000000"
FUNCTION = ResourceName.scf_function(UIN, "hello")
OTHER = ResourceName.scf_function(UIN, "other")


def _allow(action, resource="*", name=None, effect="allow", condition=None):
    statement = {"effect": effect, "action": action, "resource": resource}
    if condition:
        statement["condition"] = condition
    return parse_policy({"version": "2.0", "statement": [statement]},
                        name=name)


@pytest.fixture
def account():
    return Account(UIN, APP_ID, clock=ManualClock())


def test_root_owns_its_resources(account):
    """The root account may act on what it owns, with no policy at all."""
    decision = account.authorize(account.root, "scf:DeleteFunction", FUNCTION)

    assert decision.allowed
    assert decision.reasons == (ROOT_REF,)


def test_root_does_not_own_another_accounts_resources(account):
    """Ownership covers the root's own account only."""
    elsewhere = ResourceName.scf_function("100000000999", "hello")

    assert not account.authorize(account.root, "scf:GetFunction", elsewhere)


def test_sub_user_starts_with_nothing(account):
    """A new sub-user is refused, and the note says it has no policy."""
    mei = account.create_user("mei")

    decision = account.authorize(mei, "scf:ListFunctions")

    assert decision.outcome is scflab.Outcome.IMPLICIT_DENY
    assert any("starts with no access" in note for note in decision.notes)


def test_attached_policy_is_named_in_the_reasons(account):
    """An allow names the policy and statement that granted it."""
    mei = account.create_user("mei")
    account.attach_policy("QcloudSCFReadOnlyAccess", to=mei)

    decision = account.authorize(mei, "scf:GetFunction", FUNCTION)

    assert decision.allowed
    assert [str(r) for r in decision.reasons] == [
        "QcloudSCFReadOnlyAccess/statement/0"]


def test_group_policies_apply_to_members(account):
    """A member gets its group's policies, labelled with the group."""
    mei = account.create_user("mei")
    developers = account.create_group("developers")
    account.attach_policy(_allow("scf:*", name="Dev"), to=developers)
    account.add_to_group(mei, developers)

    decision = account.authorize(mei, "scf:InvokeFunction", FUNCTION)

    assert decision.allowed
    assert str(decision.reasons[0]) == "Dev (via group developers)/statement/0"


def test_leaving_a_group_takes_its_policies_away(account):
    """Removing a member removes what the group granted."""
    mei = account.create_user("mei")
    group = account.create_group("developers")
    account.attach_policy(_allow("scf:*", name="Dev"), to=group)
    account.add_to_group(mei, group)
    account.remove_from_group(mei, group)

    assert not account.authorize(mei, "scf:InvokeFunction", FUNCTION)
    assert group.members == ()


def test_explicit_deny_in_any_policy_wins(account):
    """A deny in a group policy beats the user's own allow."""
    mei = account.create_user("mei")
    group = account.create_group("careful")
    account.attach_policy(_allow("scf:*", name="All"), to=mei)
    account.attach_policy(_allow("scf:DeleteFunction", name="NoDelete",
                                 effect="deny"), to=group)
    account.add_to_group(mei, group)

    decision = account.authorize(mei, "scf:DeleteFunction", FUNCTION)

    assert decision.outcome is scflab.Outcome.EXPLICIT_DENY
    assert "NoDelete" in str(decision.reasons[0])


def test_collaborator_acts_as_a_sub_account(account):
    """A collaborator keeps its own uin and is judged by this account's
    policies like a sub-user."""
    kai = account.add_collaborator("kai", "200000000001")
    account.attach_policy(_allow("scf:GetFunction", str(FUNCTION),
                                 name="OnlyHello"), to=kai)

    assert kai.caller.principal == f"qcs::cam::uin/{UIN}:uin/200000000001"
    assert account.authorize(kai, "scf:GetFunction", FUNCTION)
    assert not account.authorize(kai, "scf:GetFunction", OTHER)


def test_boundary_is_an_intersection(account):
    """Policies and boundary must both allow; the note names the boundary."""
    ci = account.create_user("ci-bot")
    account.attach_policy("QcloudSCFFullAccess", to=ci)
    account.set_boundary(ci, _allow("scf:*", str(FUNCTION), name="OnlyHello"))

    inside = account.authorize(ci, "scf:GetFunction", FUNCTION)
    outside = account.authorize(ci, "scf:GetFunction", OTHER)

    assert inside.allowed
    assert not outside.allowed
    assert ("allowed by the policies of `ci-bot` but not by the permission "
            "boundary `OnlyHello`") in outside.notes


def test_boundary_grants_nothing_by_itself(account):
    """A boundary that allows, with no policy that allows, refuses."""
    ci = account.create_user("ci-bot")
    account.set_boundary(ci, _allow("scf:*", name="Everything"))

    decision = account.authorize(ci, "scf:GetFunction", FUNCTION)

    assert not decision.allowed
    assert any("grants nothing by itself" in n for n in decision.notes)


def test_deny_in_boundary_wins(account):
    """An explicit deny in the boundary is an explicit deny."""
    ci = account.create_user("ci-bot")
    account.attach_policy("QcloudSCFFullAccess", to=ci)
    account.set_boundary(ci, _allow("scf:*", name="NoScf", effect="deny"))

    decision = account.authorize(ci, "scf:ListFunctions")

    assert decision.outcome is scflab.Outcome.EXPLICIT_DENY
    assert str(decision.reasons[0]) == \
        "NoScf (permission boundary)/statement/0"


def test_removing_the_boundary_restores_the_policies(account):
    """Without its boundary a user may do what its policies allow."""
    ci = account.create_user("ci-bot")
    account.attach_policy("QcloudSCFFullAccess", to=ci)
    account.set_boundary(ci, _allow("cos:*", name="CosOnly"))
    account.remove_boundary(ci)

    assert account.authorize(ci, "scf:ListFunctions")


def test_creator_gets_nothing_by_creating(account):
    """Having created a resource grants nothing, and the note says so."""
    mei = account.create_user("mei")
    account.record_creator(FUNCTION, mei)

    decision = account.authorize(mei, "scf:GetFunction", FUNCTION)

    assert not decision.allowed
    assert any("created this resource" in n for n in decision.notes)


def test_current_time_comes_from_the_clock(account):
    """`qcs:current_time` is filled from the account's clock."""
    mei = account.create_user("mei")
    morning = {"date_less_than": {"qcs:current_time": "2025-03-03T12:00:00Z"}}
    account.attach_policy(_allow("scf:ListFunctions", name="Morning",
                                 condition=morning), to=mei)

    before = account.authorize(mei, "scf:ListFunctions")
    account.clock.advance(4 * 3600)
    after = account.authorize(mei, "scf:ListFunctions")

    assert before.allowed and not after.allowed


def test_given_current_time_is_kept(account):
    """A `qcs:current_time` in the context is not overwritten."""
    context = {"qcs:current_time": "2030-01-01T00:00:00Z"}

    decision = account.authorize(account.root, "scf:ListFunctions", "*",
                                 context)

    assert decision.request.context == context


@pytest.mark.parametrize("resource", [FUNCTION, str(FUNCTION)])
def test_resource_may_be_text_or_resource_name(account, resource):
    """Both forms of a resource give the same decision."""
    mei = account.create_user("mei")
    account.attach_policy("QcloudSCFReadOnlyAccess", to=mei)

    assert account.authorize(mei, "scf:GetFunction", resource).allowed


def test_changed_policy_applies_at_once(account):
    """Policies attach by name, so an update reaches every holder."""
    mei = account.create_user("mei")
    account.create_policy("Mine", _allow("scf:ListFunctions"))
    account.attach_policy("Mine", to=mei)

    account.update_policy("Mine", _allow("cos:GetService"))

    assert not account.authorize(mei, "scf:ListFunctions")


@pytest.mark.parametrize("make, principal, text", [
    (lambda a: a.root, f"qcs::cam::uin/{UIN}:uin/{UIN}", "Root(uin="),
    (lambda a: a.create_user("mei"), f"qcs::cam::uin/{UIN}:uin/", "SubUser("),
    (lambda a: a.add_collaborator("kai", "200000000001"),
     f"qcs::cam::uin/{UIN}:uin/200000000001", "Collaborator("),
])
def test_identities_have_a_caller_and_a_repr(account, make, principal, text):
    """Each identity can be a request principal and prints readably."""
    identity = make(account)

    request = scflab.Request("scf:ListFunctions", "*", identity)

    assert request.caller.principal.startswith(principal)
    assert repr(identity).startswith(text)


@pytest.mark.parametrize("create, code", [
    (lambda a: a.create_user("has space"), "InvalidParameter.UserNameIllegal"),
    (lambda a: a.create_group(""), "InvalidParameter.ParamError"),
    (lambda a: a.create_role("r" * 129, {}), "InvalidParameter.RoleNameError"),
    (lambda a: a.create_policy("bad/name", {}),
     "InvalidParameter.PolicyNameError"),
])
def test_names_follow_the_documented_rule(account, create, code):
    """Names are 1-128 of letters, digits and `+=,.@-_`, for every kind."""
    with pytest.raises(CamError) as refusal:
        create(account)

    assert refusal.value.code == code
    assert refusal.value.hint


@pytest.mark.parametrize("create, code", [
    (lambda a: a.create_user("mei"), "InvalidParameter.SubUserNameInUse"),
    (lambda a: a.create_group("ops"), "InvalidParameter.GroupNameInUse"),
    (lambda a: a.create_policy("QcloudSCFFullAccess", _allow("scf:*")),
     "FailedOperation.PolicyNameInUse"),
    (lambda a: a.add_collaborator("kai", "100000000002"),
     "InvalidParameter.UinError"),
])
def test_names_and_uins_are_unique(account, create, code):
    """A second identity or policy with a taken name or uin is refused."""
    account.create_user("mei")
    account.create_group("ops")

    with pytest.raises(CamError) as refusal:
        create(account)

    assert refusal.value.code == code


def _nothing(account):
    pass


def _mei_and_policies(account):
    account.create_user("mei")
    document = _allow("scf:ListFunctions")
    for n in range(201):
        account.create_policy(f"policy{n}", document)


def _mei_and_groups(account):
    account.create_user("mei")
    for n in range(11):
        account.create_group(f"group{n}")


_TRUST = {"version": "2.0", "statement": [{
    "effect": "allow", "action": "name/sts:AssumeRole",
    "principal": {"service": ["scf.qcloud.com"]}}]}
_DOCUMENT = _allow("scf:ListFunctions")


@pytest.mark.parametrize("setup, add, limit, code", [
    (_nothing, lambda a, n: a.create_user(f"user{n}"), 1000,
     "InvalidParameter.SubUserFull"),
    (_nothing, lambda a, n: a.create_group(f"group{n}"), 300,
     "InvalidParameter.GroupFull"),
    (_nothing, lambda a, n: a.create_role(f"role{n}", _TRUST), 1000,
     "InvalidParameter.RoleFull"),
    (_nothing, lambda a, n: a.create_policy(f"policy{n}", _DOCUMENT), 1500,
     "FailedOperation.PolicyFull"),
    (_mei_and_policies,
     lambda a, n: a.attach_policy(f"policy{n}", to=a.user("mei")), 200,
     "InvalidParameter.AttachmentFull"),
    (_mei_and_groups, lambda a, n: a.add_to_group("mei", f"group{n}"), 10,
     "InvalidParameter.UserGroupFull"),
], ids=["sub-accounts", "groups", "roles", "custom policies",
        "policies per user", "groups per user"])
def test_limits_are_cams(account, setup, add, limit, code):
    """Reaching a documented limit is fine; one more raises LimitExceeded."""
    setup(account)
    for n in range(limit):
        add(account, n)

    with pytest.raises(LimitExceeded) as refusal:
        add(account, limit)

    assert refusal.value.code == code
    assert isinstance(refusal.value, ValueError)
    assert str(limit) in refusal.value.message


def test_collaborators_count_as_sub_accounts(account):
    """Sub-users and collaborators share the 1,000 sub-account limit."""
    for n in range(999):
        account.create_user(f"user{n}")
    account.add_collaborator("kai", "200000000001")

    with pytest.raises(LimitExceeded):
        account.create_user("one-more")


@pytest.mark.parametrize("target, text", [
    (lambda a: a.root, "root account"),
    (lambda a: "mei", "cannot have policies"),
])
def test_only_users_groups_and_roles_take_policies(account, target, text):
    """Attaching to the root account, or to a non-identity, is refused."""
    with pytest.raises(CamError) as refusal:
        account.attach_policy("QcloudSCFFullAccess", to=target(account))

    assert text in refusal.value.message


def test_boundary_is_not_for_groups(account):
    """A permission boundary belongs to a sub-account or a role."""
    group = account.create_group("ops")

    with pytest.raises(CamError):
        account.set_boundary(group, "QcloudSCFReadOnlyAccess")


def test_unknown_policy_is_refused_with_a_suggestion(account):
    """A misspelt preset name is refused, with the closest name offered."""
    mei = account.create_user("mei")

    with pytest.raises(CamError) as refusal:
        account.attach_policy("QcloudScfFullAccess", to=mei)

    assert refusal.value.code == "InvalidParameter.PolicyIdNotExist"
    assert "QcloudSCFFullAccess" in refusal.value.message


def test_identity_of_another_account_is_refused(account):
    """An account decides only for its own identities."""
    other = Account("100000000999", "1250000999")
    stranger = other.create_user("zed")

    with pytest.raises(CamError):
        account.authorize(stranger, "scf:ListFunctions")


def test_account_ids_are_checked():
    """A uin or app id that is not digits is refused."""
    with pytest.raises(CamError) as refusal:
        Account("root", APP_ID)

    assert refusal.value.code == "InvalidParameter.UinError"


def test_account_prints_a_summary(account):
    """The repr counts identities; the HTML lists them."""
    account.create_user("mei")

    assert "users=1" in repr(account)
    assert "mei" in account._repr_html_()


def test_a_role_is_judged_by_its_policies(account):
    """A role itself may be asked about, as a session without a policy."""
    role = account.create_role(
        "runner", scflab.trust_policy(services=["scf.qcloud.com"]),
        policies=("QcloudSCFReadOnlyAccess",))

    assert account.authorize(role, "scf:GetFunction", FUNCTION).allowed
    assert not account.authorize(role, "scf:DeleteFunction", FUNCTION)


def test_a_service_is_not_an_account_identity(account):
    """A service has no policies in an account; asking about it is a
    programming error."""
    with pytest.raises(TypeError):
        account.authorize(SCF_SERVICE, "scf:ListFunctions")
