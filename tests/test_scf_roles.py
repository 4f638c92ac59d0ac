"""SCF and CAM: service authorization, execution roles, invocation."""

import os

import pytest

import scflab
from scflab import AccessDenied, ScfError, sample_account
from scflab.identity.errors import ScfDenied
from scflab.scf import Client, CosCode, UNCHANGED

SECRET_ENV = ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY",
              "TENCENTCLOUD_SESSIONTOKEN")
SECRET_HEADERS = ("X-Scf-Secret-Id", "X-Scf-Secret-Key",
                  "X-Scf-Session-Token")
BUILT_IN_ENV = ("TENCENTCLOUD_REGION", "TENCENTCLOUD_APPID",
                "TENCENTCLOUD_UIN", "SCF_FUNCTIONNAME", "SCF_FUNCTIONVERSION",
                "TENCENTCLOUD_RUNENV")
BUILT_IN_HEADERS = ("X-Scf-Request-Id", "X-Scf-Name", "X-Scf-Namespace",
                    "X-Scf-Region", "X-Scf-Appid", "X-Scf-Uin",
                    "X-Scf-Memory", "X-Scf-Timeout", "X-Scf-Version")


@pytest.fixture
def account():
    return sample_account()


@pytest.fixture
def unauthorized():
    return sample_account(authorized=False)


def _seen(store):
    """A code-package handler that records what it was handed."""
    def handler(event, context):
        store["env"] = dict(context.env)
        store["context"] = context
        return "seen"
    return handler


# Service authorization and SCF_QcsRole.

def test_service_authorization_creates_role(unauthorized):
    """Before: no SCF_QcsRole. After: a system role SCF may assume."""
    assert unauthorized.scf.qcs_role is None

    role = unauthorized.scf.authorize_service()

    assert role is unauthorized.role("SCF_QcsRole")
    assert role.type is scflab.RoleType.SYSTEM
    assert role.entities == ("service-scf.qcloud.com",)
    assert role.policies == ("QcloudAccessForScfRole",)
    assert unauthorized.scf.authorize_service() is role


@pytest.mark.parametrize("operation", [
    lambda scf: scf.create_trigger("thumbnailer", "cos", bucket="uploads"),
    lambda scf: scf.create_trigger("Test1", "apigw"),
    lambda scf: scf.create_function(
        "from-cos", lambda e, c: None,
        code=CosCode("code", "releases/thumbnailer-1.1.zip")),
], ids=["cos trigger", "apigw trigger", "code from COS"])
def test_operations_need_qcs_role(unauthorized, account, operation):
    """Without SCF_QcsRole they fail as SCF fails; with it they work."""
    with pytest.raises(ScfError) as refusal:
        operation(unauthorized.scf)

    assert refusal.value.code == "FailedOperation.QcsRoleNotFound"
    assert "authorize_service" in refusal.value.hint
    operation(account.scf)


def test_timer_trigger_needs_no_qcs_role(unauthorized):
    """A timer trigger involves no other service, so no role."""
    trigger = unauthorized.scf.create_trigger("Test2", "timer")

    assert trigger.kind == "timer"


def test_configuration_role_is_checked_as_a_role_session(account):
    """SCF acts as SCF_QcsRole; without its policy, `.Role` refuses."""
    account.detach_policy("QcloudAccessForScfRole", account.role("SCF_QcsRole"))

    with pytest.raises(ScfDenied) as refusal:
        account.scf.create_trigger("Test1", "cos", bucket="uploads")

    error = refusal.value
    assert error.code == "UnauthorizedOperation.Role"
    assert error.decision.request.action == "cos:PutBucketNotification"
    assert error.decision.request.caller.role == "SCF_QcsRole"


def test_cos_trigger_bucket_must_share_the_region(account):
    """A COS trigger's bucket is in the function's region."""
    function = account.scf.function("report-builder", "prod", "ap-shanghai")

    with pytest.raises(ScfError) as refusal:
        account.scf.create_trigger(function, "cos", bucket="uploads")

    assert refusal.value.code == "InvalidParameterValue.CosBucketRegion"


# Names.

@pytest.mark.parametrize("name, valid", [
    ("ab", True), ("resizer", True), ("resize_image-v2", True),
    ("a" * 60, True), ("a", False), ("a" * 61, False), ("1st", False),
    ("_hidden", False), ("trailing-", False), ("trailing_", False),
    ("has space", False), ("dot.name", False),
])
def test_function_name_rules(account, name, valid):
    """FunctionName: 2-60 of letters, digits, - and _, a letter first, and
    no - or _ last."""
    def create():
        account.scf.create_function(name, lambda e, c: None)

    if valid:
        create()
    else:
        with pytest.raises(ScfError) as refusal:
            create()
        assert refusal.value.code == "InvalidParameter.FunctionName"


@pytest.mark.parametrize("call, code", [
    (lambda scf: scf.create_namespace("default"),
     "InvalidParameterValue.DefaultNamespace"),
    (lambda scf: scf.delete_namespace("default"),
     "FailedOperation.DeleteNamespace"),
    (lambda scf: scf.create_namespace("n" * 31),
     "InvalidParameterValue.NamespaceInvalid"),
    (lambda scf: scf.create_namespace("team.a"),
     "InvalidParameterValue.NamespaceInvalid"),
    (lambda scf: scf.create_namespace("prod", "ap-shanghai"),
     "ResourceInUse.Namespace"),
    (lambda scf: scf.create_function("x1", print, namespace="nowhere"),
     "ResourceNotFound.Namespace"),
    (lambda scf: scf.create_function("Test1", print),
     "ResourceInUse.Function"),
    (lambda scf: scf.create_function("x1", print,
                                     environment={"SCF_MODE": "1"}),
     "InvalidParameterValue.EnvironmentSystemProtect"),
])
def test_namespace_and_function_rules(account, call, code):
    """Namespaces and functions are refused with SCF's codes."""
    with pytest.raises(ScfError) as refusal:
        call(account.scf)

    assert refusal.value.code == code


def test_namespace_of_thirty_characters_is_fine(account):
    """Namespace names may be up to 30 characters."""
    assert account.scf.create_namespace("n" * 30).name == "n" * 30


# Binding execution roles.

def test_binding_role_scf_cannot_assume(account):
    """A role whose trust policy does not admit SCF cannot be bound."""
    with pytest.raises(ScfDenied) as refusal:
        account.scf.create_function("admin-tool", lambda e, c: None,
                                    role="ops_admin")

    error = refusal.value
    assert error.code == "InvalidParameterValue"
    assert "scf.qcloud.com" in error.message
    assert error.decision.request.caller.service == "scf.qcloud.com"
    assert not error.decision.allowed


def test_binding_unknown_role(account):
    """An execution role must exist."""
    with pytest.raises(ScfError) as refusal:
        account.scf.update_function_configuration("Test2", role="ghost")

    assert refusal.value.code == "ResourceNotFound.Role"


def test_binding_needs_pass_role(account):
    """`mei` may pass `thumbnail_writer`, not `scf_cos_full_access`."""
    mei = account.user("mei")
    scf = account.scf

    scf.update_function_configuration("Test2", role="thumbnail_writer",
                                      by=mei)
    with pytest.raises(ScfDenied) as refusal:
        scf.update_function_configuration("Test2", role="scf_cos_full_access",
                                          by=mei)

    error = refusal.value
    assert error.code == "UnauthorizedOperation.CAM"
    assert error.decision.request.action == "cam:PassRole"
    assert "cam:PassRole" in error.message
    assert scf.function("Test2").role == "thumbnail_writer"


def test_unchanged_role_stays_bound(account):
    """Changing only the environment leaves the role alone; None unbinds."""
    scf = account.scf

    scf.update_function_configuration("thumbnailer", environment={"A": "1"},
                                      role=UNCHANGED)
    assert scf.function("thumbnailer").role == "thumbnail_writer"
    scf.update_function_configuration("thumbnailer", role=None)
    assert scf.function("thumbnailer").role is None


# The caller's own permission.

def test_creator_gets_nothing(account):
    """A user allowed only to create a function may not then invoke it."""
    ana = account.create_user("ana")
    account.create_policy("CreateOnly", {"version": "2.0", "statement": [
        {"effect": "allow", "action": "scf:CreateFunction",
         "resource": "*"}]})
    account.attach_policy("CreateOnly", to=ana)

    function = account.scf.create_function("ana-fn", lambda e, c: 1, by=ana)
    with pytest.raises(ScfDenied) as refusal:
        account.scf.invoke(function, by=ana)

    assert function.created_by == "ana"
    assert refusal.value.code == "UnauthorizedOperation.CAM"
    assert any("created this resource" in note
               for note in refusal.value.decision.notes)


@pytest.mark.parametrize("who, function, allowed", [
    ("lena", ("Test1",), False),
    ("ravi", ("report-builder", "prod", "ap-shanghai"), True),
    ("mei", ("Test1",), True),
    ("kai", ("Test1",), True),
    ("kai", ("thumbnailer",), False),
])
def test_invoking_needs_invoke_function(account, who, function, allowed):
    """Invocation is decided for the invoker under `scf:InvokeFunction`."""
    target = account.scf.function(*function)

    def invoke():
        return account.scf.invoke(target, by=account.user(who))

    if allowed:
        assert invoke().invoked_by == who
    else:
        with pytest.raises(ScfDenied) as refusal:
            invoke()
        assert refusal.value.decision.request.action == "scf:InvokeFunction"


def test_legacy_action_names_also_grant(account):
    """`scf:SetTrigger` in SCF's example policy lets `kai` create triggers
    on Test1, and only there."""
    kai = account.user("kai")

    account.scf.create_trigger("Test1", "timer", name="kai-timer", by=kai)
    with pytest.raises(ScfDenied):
        account.scf.create_trigger("thumbnailer", "timer", by=kai)


def test_deny_of_either_name_refuses(account):
    """A deny naming only the legacy action still refuses the operation."""
    ravi = account.user("ravi")
    account.create_policy("Triggers", {"version": "2.0", "statement": [
        {"effect": "allow", "action": "scf:CreateTrigger", "resource": "*"},
        {"effect": "deny", "action": "scf:SetTrigger", "resource": "*"}]})
    account.attach_policy("Triggers", to=ravi)

    with pytest.raises(ScfDenied) as refusal:
        account.scf.create_trigger("Test1", "timer", by=ravi)

    assert refusal.value.decision.outcome is scflab.Outcome.EXPLICIT_DENY


# Invocation and delivery.

def test_code_package_gets_environment_variables(account):
    """Credentials and built-ins arrive as variables, not headers."""
    store = {}
    account.scf.update_function_configuration(
        "Test2", role="scf_cos_full_access")
    account.scf.function("Test2").handler = _seen(store)

    invocation = account.scf.invoke("Test2")

    env = store["env"]
    assert set(SECRET_ENV + BUILT_IN_ENV) <= set(env)
    assert not any(name.startswith("X-Scf") for name in env)
    assert env["TENCENTCLOUD_RUNENV"] == "SCF"
    assert env["TENCENTCLOUD_APPID"] == "1250000000"
    assert env["SCF_FUNCTIONNAME"] == "Test2"
    assert env["SCF_FUNCTIONVERSION"] == "$LATEST"
    assert invocation.delivery.channel == "environment variables"


def test_image_gets_headers(account):
    """Credentials and the X-Scf-* headers arrive on the request."""
    seen = {}

    def handler(request):
        seen.update(request.headers)
        return request.headers["x-scf-name"]

    function = account.scf.create_function(
        "render-two", handler, role="thumbnail_writer",
        image="ccr.ccs.tencentyun.com/lanternfish/render-image:2.0")

    invocation = account.scf.invoke(function, {"key": "cat.jpg"})

    assert set(SECRET_HEADERS + BUILT_IN_HEADERS) <= set(seen)
    assert "TENCENTCLOUD_SECRETID" not in seen
    assert invocation.return_value == "render-two"
    assert invocation.delivery.channel == "HTTP headers"


def test_without_a_role_there_are_no_credentials(account):
    """No execution role: no credential variables, and calls are refused."""
    store = {}
    account.scf.function("Test1").handler = _seen(store)
    account.scf.invoke("Test1")
    refused = account.scf.invoke("Test2")

    assert not set(SECRET_ENV) & set(store["env"])
    assert set(BUILT_IN_ENV) <= set(store["env"])
    assert isinstance(refused.error, AccessDenied)
    assert refused.error.code == "AuthFailure.SecretIdNotFound"
    assert "no credentials" in str(refused.error)
    assert refused.session is None


def test_function_reads_cos_with_full_access_and_fails_without(account):
    """Test2 reads an upload once bound to `scf_cos_full_access`, and not
    when the role loses QcloudCOSFullAccess."""
    scf = account.scf
    scf.update_function_configuration("Test2", role="scf_cos_full_access")

    works = scf.invoke("Test2", {"key": "cat.jpg"})
    account.detach_policy("QcloudCOSFullAccess",
                          account.role("scf_cos_full_access"))
    fails = scf.invoke("Test2", {"key": "cat.jpg"})

    assert works.ok and works.return_value == {"read": "<a photo of a cat>"}
    assert str(works.calls[0].decision.reasons[0]) == \
        "QcloudCOSFullAccess/statement/0"
    assert isinstance(fails.error, AccessDenied)
    assert str(fails.error).startswith(
        "AccessDenied: you are not authorized to perform operation "
        "(cos:GetObject) resource (qcs::cos:ap-guangzhou:uid/1250000000:"
        "uploads-1250000000/cat.jpg) has no permission")


def test_narrow_role_is_refused_outside_its_policy(account):
    """`thumbnail_writer` may not write into `uploads`."""
    def handler(event, context):
        Client.from_env(context.env).cos.put_object("uploads", "x", "y")

    function = account.scf.create_function("writer", handler,
                                           role="thumbnail_writer")

    invocation = account.scf.invoke(function)

    assert isinstance(invocation.error, PermissionError)
    assert invocation.error.decision.request.caller.role == "thumbnail_writer"
    assert not invocation.calls[0].allowed
    assert "uploads-1250000000/x" in invocation.calls[0].resource


def test_credentials_reach_authorization_by_secret_id(account):
    """The secret id the code read is what finds the role session."""
    store = {}
    account.scf.update_function_configuration("Test1",
                                              role="thumbnail_writer")
    account.scf.function("Test1").handler = _seen(store)

    invocation = account.scf.invoke("Test1")

    found = account.sessions.find(store["env"]["TENCENTCLOUD_SECRETID"])
    assert found is invocation.session


@pytest.mark.parametrize("tamper, code", [
    (lambda env: {**env, "TENCENTCLOUD_SECRETID": "AKID" + "x" * 32},
     "AuthFailure.SecretIdNotFound"),
    (lambda env: {**env, "TENCENTCLOUD_SECRETKEY": "k" * 32},
     "AuthFailure.SignatureFailure"),
    (lambda env: {k: v for k, v in env.items()
                  if k != "TENCENTCLOUD_SESSIONTOKEN"},
     "AuthFailure.TokenFailure"),
], ids=["forged secret id", "wrong key", "no token"])
def test_tampered_credentials_are_refused(account, tamper, code):
    """Only the issued secret id, key and token together are accepted."""
    def handler(event, context):
        client = Client.from_env(tamper(context.env), cloud=context.cloud)
        return client.cos.get_object("uploads", "cat.jpg")

    function = account.scf.create_function("tamper", handler,
                                           role="scf_cos_full_access")

    invocation = account.scf.invoke(function)

    assert invocation.error.code == code
    assert invocation.calls[0].code == code


def test_credentials_expire_during_a_long_run(account):
    """Calls made after the credentials expired are refused."""
    def handler(event, context):
        account.clock.advance(7200)
        return Client.from_env(context.env).cos.get_object("uploads",
                                                           "cat.jpg")

    function = account.scf.create_function("slow", handler,
                                           role="scf_cos_full_access")

    invocation = account.scf.invoke(function)

    assert isinstance(invocation.error, AccessDenied)
    assert "expired at" in str(invocation.error)


def test_each_invocation_gets_a_new_session(account):
    """A fresh role session per invocation, lasting min(7200, the role's
    maximum)."""
    role = account.create_role(
        "short", scflab.trust_policy(services=["scf.qcloud.com"]),
        max_session_duration=1800)
    account.scf.update_function_configuration("Test1", role=role)

    first = account.scf.invoke("Test1").session
    second = account.scf.invoke("Test1").session
    other = account.scf.invoke("thumbnailer").session

    assert first is not second
    assert first.credentials.tmp_secret_id != second.credentials.tmp_secret_id
    assert first.credentials.expired_time - \
        int(first.issued_at.timestamp()) == 1800
    assert other.credentials.expired_time - \
        int(other.issued_at.timestamp()) == 7200


def test_trust_changed_after_binding_fails_at_invocation(account):
    """If SCF can no longer assume the role, invocation fails."""
    account.update_trust_policy("thumbnail_writer",
                                scflab.trust_policy(accounts=[account.uin]))

    with pytest.raises(ScfError) as refusal:
        account.scf.invoke("thumbnailer")

    assert refusal.value.code == "InternalError.GetStsTokenFailed"


def test_process_environment_is_untouched(account):
    """The code reads `context.env`; `os.environ` never changes."""
    before = dict(os.environ)

    account.scf.invoke("thumbnailer", {"key": "dog.jpg"})

    assert dict(os.environ) == before
    assert "TENCENTCLOUD_SECRETID" not in os.environ


def test_invocation_display_masks_secrets(account):
    """Text, repr and HTML of an invocation and its mappings are masked."""
    store = {}
    account.scf.function("thumbnailer").handler = _seen(store)

    invocation = account.scf.invoke("thumbnailer")

    secrets = [store["env"][name] for name in SECRET_ENV]
    shown = [str(invocation), repr(invocation), invocation._repr_html_(),
             repr(store["context"]), repr(store["context"].env)]
    for text in shown:
        assert not any(secret in text for secret in secrets)
    assert f"AKID****…{secrets[0][-4:]}" in str(invocation)


def test_invocation_shows_calls_and_outcome(account):
    """The explanation lists the role, the delivery, each call and result."""
    invocation = account.scf.invoke("thumbnailer", {"key": "cat.jpg"})

    text = invocation.explain()

    assert "execution role: thumbnail_writer" in text
    assert "TENCENTCLOUD_SESSIONTOKEN = ****…" in text
    assert "ALLOW: cos:GetObject" in text
    assert "returned: {'thumbnail': 'cat.jpg'}" in text
    assert account.cos.bucket("thumbnails").objects["cat.jpg"] == \
        "small <a photo of a cat>"
