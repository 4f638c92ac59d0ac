"""Lanternfish Labs, the sample account: consistent, fresh, as documented."""

import pytest

import scflab
from scflab import ResourceName, sample_account
from scflab.identity.identities import SCF_SERVICE, Collaborator, SubUser
from scflab.identity.sample import POLICIES
from scflab.language.parser import parse_policy

UIN = "100000000001"
TEST1 = ResourceName.scf_function(UIN, "Test1")
TEST2 = ResourceName.scf_function(UIN, "Test2")
THUMBNAILER = ResourceName.scf_function(UIN, "thumbnailer")
REPORTS = ResourceName.scf_function(UIN, "report-builder",
                                    region="ap-shanghai", namespace="prod")
UPLOAD = ResourceName.cos_object("1250000000", "uploads", "cat.jpg")


@pytest.fixture(scope="module")
def account():
    return sample_account()


def _holders(account):
    yield from account.users.values()
    yield from account.groups.values()
    yield from account.roles.values()


def test_ids_are_the_fictional_ones(account):
    """Name, root uin and app id are the documented fictional values."""
    assert (account.name, account.uin, account.app_id) == (
        "Lanternfish Labs", "100000000001", "1250000000")


def test_every_attached_policy_parses(account):
    """Each policy and boundary named anywhere resolves to a valid policy."""
    names = {name for holder in _holders(account)
             for name in holder.policies}
    names |= {h.boundary for h in _holders(account) if getattr(
        h, "boundary", None)}

    for name in sorted(names):
        assert isinstance(account.policy(name), scflab.Policy), name


@pytest.mark.parametrize("name", POLICIES)
def test_custom_policies_are_valid_cam(name):
    """Each custom policy document passes the parser on its own."""
    assert parse_policy(POLICIES[name], name=name).statements


def test_every_execution_role_exists_and_admits_scf(account):
    """Every function's role exists and its trust policy admits SCF."""
    for function in account.scf.functions:
        if function.role is not None:
            role = account.role(function.role)
            assert role.admits(SCF_SERVICE), function.where


def test_people_are_as_documented(account):
    """Four sub-users, one collaborator, two groups with their members."""
    kinds = {name: type(user) for name, user in account.users.items()}

    assert kinds == {"mei": SubUser, "ravi": SubUser, "lena": SubUser,
                     "ci-bot": SubUser, "kai": Collaborator}
    assert [u.name for u in account.group("developers").members] == ["mei"]
    assert [u.name for u in account.group("operators").members] == ["ravi"]
    assert account.user("ci-bot").boundary == "CiBoundary"
    assert account.user("kai").uin == "200000000001"


def test_roles_are_as_documented(account):
    """SCF_QcsRole and the three execution-role candidates."""
    roles = {name: (role.type.value, role.policies)
             for name, role in account.roles.items()}

    assert roles == {
        "SCF_QcsRole": ("system", ("QcloudAccessForScfRole",)),
        "scf_cos_full_access": ("user", ("QcloudCOSFullAccess",)),
        "thumbnail_writer": ("user", ("ThumbnailWriterAccess",)),
        "ops_admin": ("user", ("QcloudSCFFullAccess",)),
    }
    assert not account.role("ops_admin").admits(
        SCF_SERVICE)


def test_functions_span_two_namespaces_and_regions(account):
    """Functions sit in ap-guangzhou/default and ap-shanghai/prod."""
    shown = {f.where: (f.kind, f.role) for f in account.scf.functions}

    assert shown == {
        "ap-guangzhou/default/Test1": ("code package", None),
        "ap-guangzhou/default/Test2": ("code package", None),
        "ap-guangzhou/default/thumbnailer":
            ("code package", "thumbnail_writer"),
        "ap-shanghai/prod/report-builder":
            ("code package", "scf_cos_full_access"),
        "ap-shanghai/prod/render-image": ("image", "thumbnail_writer"),
    }


def test_buckets_hold_the_sample_objects(account):
    """Three buckets; uploads has two photos, code a package."""
    cos = account.cos

    assert list(cos.buckets) == ["uploads", "thumbnails", "code"]
    assert cos.bucket("uploads").keys() == ["cat.jpg", "dog.jpg"]
    assert cos.bucket("code").keys() == ["releases/thumbnailer-1.1.zip"]


def test_each_call_is_fresh_and_independent():
    """Changing one sample account leaves the next one as shipped."""
    first = sample_account()
    first.create_user("extra")
    first.clock.advance(3600)
    first.cos.put_object("uploads", "new.jpg", "<new>")

    second = sample_account()

    assert "extra" not in second.users
    assert second.clock.now() != first.clock.now()
    assert "new.jpg" not in second.cos.bucket("uploads").objects
    assert second.role("SCF_QcsRole") is not first.role("SCF_QcsRole")


def test_unauthorized_variant_lacks_qcs_role():
    """`authorized=False`: no SCF_QcsRole and no COS trigger yet."""
    account = sample_account(authorized=False)

    assert "SCF_QcsRole" not in account.roles
    assert account.scf.function("thumbnailer").triggers == []
    assert not account.scf.authorized


@pytest.mark.parametrize("who, action, resource, outcome", [
    ("mei", "scf:InvokeFunction", TEST1, "allow"),
    ("mei", "scf:DeleteFunction", REPORTS, "explicit_deny"),
    ("mei", "cos:GetObject", UPLOAD, "allow"),
    ("ravi", "scf:InvokeFunction", REPORTS, "allow"),
    ("ravi", "scf:InvokeFunction", TEST1, "implicit_deny"),
    ("lena", "scf:GetFunction", THUMBNAILER, "allow"),
    ("lena", "scf:InvokeFunction", THUMBNAILER, "implicit_deny"),
    ("lena", "cos:GetObject", UPLOAD, "allow"),
    ("lena", "cos:PutObject", UPLOAD, "implicit_deny"),
    ("ci-bot", "scf:UpdateFunctionCode", REPORTS, "allow"),
    ("ci-bot", "scf:UpdateFunctionCode", TEST1, "implicit_deny"),
    ("kai", "scf:ListFunctions", "*", "allow"),
    ("kai", "scf:InvokeFunction", TEST2, "allow"),
    ("kai", "scf:InvokeFunction", THUMBNAILER, "implicit_deny"),
])
def test_access_grid(account, who, action, resource, outcome):
    """Who may do what in the sample account."""
    decision = account.authorize(account.user(who), action, resource)

    assert decision.outcome.value == outcome


@pytest.mark.parametrize("where, ok", [
    (("Test1",), True),
    (("Test2",), False),
    (("thumbnailer",), True),
    (("report-builder", "prod", "ap-shanghai"), True),
    (("render-image", "prod", "ap-shanghai"), True),
])
def test_sample_functions_run(where, ok):
    """Each function runs; Test2, with no role, is refused its COS read."""
    account = sample_account()

    invocation = account.scf.invoke(account.scf.function(*where))

    assert invocation.ok is ok


def test_operator_assumes_ops_admin(account):
    """`ravi` may assume `ops_admin`: permission and trust both hold."""
    session = account.assume_role(account.user("ravi"), "ops_admin",
                                  "ravi-debug", 3600)

    assert account.authorize(session, "scf:DeleteFunction", TEST1)
