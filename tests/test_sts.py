"""STS AssumeRole: both conditions, every parameter, sessions and expiry."""

import dataclasses
import json
from urllib.parse import quote

import pytest

import scflab
from scflab import Account, ManualClock, ResourceName, StsError
from scflab.identity.errors import StsDenied
from scflab.language.parser import parse_policy

UIN = "100000000001"
FUNCTION = ResourceName.scf_function(UIN, "hello")
LIST_ONLY = {"version": "2.0", "statement": [
    {"effect": "allow", "action": "scf:List*", "resource": "*"}]}


def _policy(action, resource="*", effect="allow", name=None):
    return parse_policy({"version": "2.0", "statement": [
        {"effect": effect, "action": action, "resource": resource}]},
        name=name)


@pytest.fixture
def account():
    account = Account(UIN, "1250000000", clock=ManualClock(), seed="t")
    account.create_role(
        "admin", scflab.trust_policy(accounts=[UIN]),
        policies=("QcloudSCFFullAccess",), max_session_duration=3600)
    account.create_role(
        "runner", scflab.trust_policy(services=["scf.qcloud.com"]),
        policies=("QcloudCOSFullAccess",))
    return account


def _user(account, *actions_on_roles):
    """A sub-user allowed `name/sts:AssumeRole` on the named roles."""
    user = account.create_user(f"user{len(account.users)}")
    if actions_on_roles:
        resources = [str(account.role(r).resource) for r in actions_on_roles]
        account.attach_policy(_policy("name/sts:AssumeRole", resources,
                                      name=f"Assume{len(account.users)}"),
                              to=user)
    return user


def test_permission_and_trust_give_a_session(account):
    """A trusted caller allowed to assume the role gets a session."""
    ravi = _user(account, "admin")

    session = account.assume_role(ravi, "admin", "ravi-debug", 900)

    assert session.role is account.role("admin")
    assert session.assumed_by == ravi.caller.principal
    assert session.caller.principal == f"qcs::cam::uin/{UIN}:roleName/admin"


def test_trust_without_permission_is_refused(account):
    """The trust policy names the caller, but no policy lets it assume."""
    mei = _user(account)

    with pytest.raises(StsDenied) as refusal:
        account.assume_role(mei, "admin", "mei-try", 900)

    error = refusal.value
    assert error.code == "UnauthorizedOperation"
    assert error.trust.allowed and not error.permission.allowed
    assert error.decision is error.permission
    assert "admits" in error.message


def test_permission_without_trust_is_refused(account):
    """A policy allows assuming the role, but its trust names only SCF."""
    ravi = _user(account, "runner")

    with pytest.raises(StsDenied) as refusal:
        account.assume_role(ravi, "runner", "ravi-try")

    error = refusal.value
    assert error.permission.allowed and not error.trust.allowed
    assert error.decision is error.trust
    assert "does not admit" in error.message


def test_neither_permission_nor_trust(account):
    """Both checks fail, and the message says both."""
    mei = _user(account)

    with pytest.raises(StsDenied) as refusal:
        account.assume_role(mei, "runner", "mei-try")

    assert not refusal.value.permission and not refusal.value.trust
    assert "both" in refusal.value.hint


def test_service_is_admitted_by_trust_alone(account):
    """`scf.qcloud.com` needs no policy: the trust policy decides."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run")

    assert session.assumed_by == "scf.qcloud.com"


def test_service_not_named_by_trust_is_refused(account):
    """A service the trust policy does not name is refused."""
    with pytest.raises(StsDenied) as refusal:
        account.assume_role("scf.qcloud.com", "admin", "scf-run", 900)

    assert refusal.value.permission is None
    assert not refusal.value.trust


def test_root_assumes_its_own_trusted_role(account):
    """The root owns its roles, so the trust policy is what decides."""
    session = account.assume_role(account.root, "admin", "root-debug", 900)

    assert session.assumed_by == f"qcs::cam::uin/{UIN}:uin/{UIN}"


def test_explicit_deny_of_assume_role_refuses(account):
    """A deny on `sts:AssumeRole` beats the allow and the trust."""
    ravi = _user(account, "admin")
    account.attach_policy(_policy("sts:*", effect="deny", name="NoSts"),
                          to=ravi)

    with pytest.raises(StsDenied) as refusal:
        account.assume_role(ravi, "admin", "ravi-try", 900)

    assert refusal.value.decision.outcome is scflab.Outcome.EXPLICIT_DENY


@pytest.mark.parametrize("arguments, code", [
    ({"session_name": "a"}, "InvalidParameter.ParamError"),
    ({"session_name": "has space"}, "InvalidParameter.ParamError"),
    ({"session_name": "x" * 129}, "InvalidParameter.ParamError"),
    ({"session_name": "naïve"}, "InvalidParameter.ParamError"),
    ({"duration_seconds": 43201}, "InvalidParameter.OverTimeError"),
    ({"role": "admin", "duration_seconds": 3601},
     "InvalidParameter.OverTimeError"),
    ({"duration_seconds": "7200"}, "InvalidParameter.ParamError"),
    ({"external_id": "x"}, "InvalidParameter.ParamError"),
    ({"external_id": "x" * 129}, "InvalidParameter.ParamError"),
    ({"policy": {"version": "2.0", "principal": {"qcs": [
        f"qcs::cam::uin/{UIN}:root"]}, "statement": [
        {"effect": "allow", "action": "cos:*", "resource": "*"}]}},
     "InvalidParameter.StrategyFormatError"),
    ({"policy": "{not json"}, "InvalidParameter.StrategyFormatError"),
    ({"policy": {"version": "1.0", "statement": []}},
     "InvalidParameter.StrategyFormatError"),
    ({"policy": {"version": "2.0", "statement": [
        {"effect": "allow", "action": "cos:*", "resource": "cos-bucket"}]}},
     "InvalidParameter.ResouceError"),
    ({"policy": {"version": "2.0", "statement": [
        {"effect": "allow", "action": ["cos:GetObject"] * 800,
         "resource": "*"}]}},
     "InvalidParameter.PolicyTooLong"),
    ({"role": "nobody"}, "ResourceNotFound.RoleNotFound"),
    ({"role": "qcs::cam::uin/100000000999:roleName/runner"},
     "ResourceNotFound.RoleNotFound"),
])
def test_parameters_are_checked_as_sts_does(account, arguments, code):
    """Each malformed parameter raises StsError with STS's code."""
    call = {"role": "runner", "session_name": "build-42", **arguments}

    with pytest.raises(StsError) as refusal:
        account.assume_role(account.root, **call)

    assert refusal.value.code == code
    assert refusal.value.hint


def test_duration_below_scflab_minimum(account):
    """Below 900 seconds is refused, and the message says it is scflab's."""
    with pytest.raises(StsError) as refusal:
        account.assume_role("scf.qcloud.com", "runner", "short", 899)

    assert refusal.value.code == "InvalidParameter.ParamError"
    assert "scflab" in refusal.value.message
    assert account.assume_role("scf.qcloud.com", "runner", "short", 900)


@pytest.mark.parametrize("role", [
    "runner", f"qcs::cam::uin/{UIN}:roleName/runner",
    f"qcs::cam::uin/{UIN}:role/4611686018427387906"])
def test_role_by_name_arn_or_id(account, role):
    """A role is found by its name, its RoleArn, or its role id."""
    session = account.assume_role("scf.qcloud.com", role, "scf-run")

    assert session.role.name == "runner"


def test_credentials_look_like_tencents(account):
    """Secret id `AKID…`, key, token, ExpiredTime and Expiration agree."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run")
    credentials = session.credentials

    issued = int(account.clock.now().timestamp())
    assert credentials.tmp_secret_id.reveal().startswith("AKID")
    assert len(credentials.tmp_secret_key.reveal()) == 32
    assert credentials.expired_time == issued + 7200
    assert credentials.expiration == "2025-03-03T11:00:00Z"


def test_now_sets_the_issue_time(account):
    """`now` replaces the clock for the issue time and the expiry."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run",
                                  900, now="2025-03-03T10:00:00Z")

    assert session.credentials.expiration == "2025-03-03T10:15:00Z"


def test_credentials_are_reproducible_and_distinct():
    """The same seed gives the same values; each session gets new ones."""
    def secret_ids():
        account = Account(UIN, "1250000000", clock=ManualClock(), seed=7)
        account.create_role("r", scflab.trust_policy(
            services=["scf.qcloud.com"]))
        return [account.assume_role("scf.qcloud.com", "r", "s1")
                .credentials.tmp_secret_id.reveal() for _ in range(2)]

    first, again = secret_ids(), secret_ids()

    assert first == again
    assert first[0] != first[1]


def test_session_acts_with_the_roles_policies(account):
    """A role session may do what its role's policies allow."""
    session = account.assume_role(account.root, "admin", "root-debug", 900)

    decision = account.authorize(session, "scf:InvokeFunction", FUNCTION)

    assert decision.allowed
    assert str(decision.reasons[0]) == "QcloudSCFFullAccess/statement/0"


@pytest.mark.parametrize("policy", [
    LIST_ONLY,
    json.dumps(LIST_ONLY),
    quote(json.dumps(LIST_ONLY)),
    parse_policy(LIST_ONLY, name="ListOnly"),
], ids=["mapping", "text", "url-encoded", "Policy"])
def test_session_policy_narrows_the_role(account, policy):
    """Role policies ∩ session policy; the note names the session policy."""
    session = account.assume_role(account.root, "admin", "narrow", 900,
                                  policy=policy)

    listed = account.authorize(session, "scf:ListFunctions")
    invoked = account.authorize(session, "scf:InvokeFunction", FUNCTION)

    assert listed.allowed
    assert not invoked.allowed
    assert ("allowed by the policies of role `admin` but not by the "
            "session policy") in invoked.notes


def test_session_policy_grants_nothing_beyond_the_role(account):
    """A session policy allowing COS adds nothing to an SCF-only role."""
    broad = {"version": "2.0", "statement": [
        {"effect": "allow", "action": "cos:*", "resource": "*"}]}
    session = account.assume_role(account.root, "admin", "broad", 900,
                                  policy=broad)

    assert not account.authorize(session, "cos:DeleteBucket", "*")


def test_deny_in_session_policy_wins(account):
    """An explicit deny in the session policy is an explicit deny."""
    deny = {"version": "2.0", "statement": [
        {"effect": "deny", "action": "scf:*", "resource": "*"}]}
    session = account.assume_role(account.root, "admin", "deny", 900,
                                  policy=deny)

    decision = account.authorize(session, "scf:ListFunctions")

    assert decision.outcome is scflab.Outcome.EXPLICIT_DENY
    assert any("session policy denies it" in n for n in decision.notes)


def test_role_boundary_limits_its_sessions(account):
    """A role's permission boundary narrows every session of it."""
    account.set_boundary(account.role("admin"),
                         _policy("scf:List*", name="ListBoundary"))
    session = account.assume_role(account.root, "admin", "bounded", 900)

    assert account.authorize(session, "scf:ListFunctions")
    assert not account.authorize(session, "scf:InvokeFunction", FUNCTION)


def test_expired_credentials_are_refused(account):
    """After expiry every request is refused, the note giving both times."""
    session = account.assume_role(account.root, "admin", "brief", 900)
    assert account.authorize(session, "scf:ListFunctions")

    account.clock.advance(900)
    decision = account.authorize(session, "scf:ListFunctions")

    assert decision.outcome is scflab.Outcome.IMPLICIT_DENY
    assert decision.statements == ()
    assert ("expired at 2025-03-03T09:15:00Z (now 2025-03-03T09:15:00Z)"
            in decision.notes[0])
    assert session.expired()


def test_sessions_of_a_deleted_role_may_do_nothing(account):
    """Deleting the role ends what its sessions may do."""
    session = account.assume_role(account.root, "admin", "gone", 900)

    account.delete_role("admin")

    assert not account.authorize(session, "scf:ListFunctions")


def test_external_id_reaches_trust_conditions(account):
    """A trust condition on `sts:external_id` sees AssumeRole's ExternalId."""
    trust = {"version": "2.0", "statement": [{
        "effect": "allow", "action": "name/sts:AssumeRole",
        "principal": {"qcs": [f"qcs::cam::uin/{UIN}:root"]},
        "condition": {"string_equal": {"sts:external_id": "lantern-42"}}}]}
    account.create_role("partner", trust)

    with pytest.raises(StsDenied):
        account.assume_role(account.root, "partner", "p1")
    with pytest.raises(StsDenied):
        account.assume_role(account.root, "partner", "p2",
                            external_id="wrong-id")
    assert account.assume_role(account.root, "partner", "p3",
                               external_id="lantern-42")


def test_session_is_found_by_secret_id(account):
    """The account finds an issued session again by its secret id."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run")

    found = account.sessions.find(
        session.credentials.tmp_secret_id.reveal())

    assert found is session
    assert account.sessions.find("AKIDforged") is None


def test_role_session_can_assume_another_role(account):
    """A role session is a caller too: role chaining needs both checks."""
    account.attach_policy(_policy("name/sts:AssumeRole", name="Chain"),
                          to=account.role("admin"))
    account.update_trust_policy("runner", scflab.trust_policy(
        principals=[f"qcs::cam::uin/{UIN}:roleName/admin"]))
    first = account.assume_role(account.root, "admin", "first", 900)

    second = account.assume_role(first, "runner", "second")

    assert second.assumed_by == f"qcs::cam::uin/{UIN}:roleName/admin"


def _renderings(session):
    credentials = session.credentials
    return [repr(session), str(session), session._repr_html_(),
            repr(credentials), str(credentials), credentials._repr_html_(),
            repr(vars(session)), repr(vars(credentials)),
            repr(dataclasses.asdict(credentials)),
            f"{credentials.tmp_secret_key}", repr(session.client())]


def test_secrets_are_never_printed_whole(account):
    """repr, str, HTML, vars() and asdict() show secrets masked."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run")
    credentials = session.credentials
    secrets = [credentials.tmp_secret_id.reveal(),
               credentials.tmp_secret_key.reveal(),
               credentials.token.reveal()]

    for text in _renderings(session):
        assert not any(secret in text for secret in secrets), text
    assert "AKID****…" + secrets[0][-4:] in repr(credentials)


def test_reveal_gives_the_real_value(account):
    """`reveal()` is the one way to the secret, and compares exactly."""
    session = account.assume_role("scf.qcloud.com", "runner", "scf-run")
    key = session.credentials.tmp_secret_key

    assert key.matches(key.reveal())
    assert not key.matches(key.reveal()[:-1])
