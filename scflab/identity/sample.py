"""Lanternfish Labs: the small, fictional company the workbook uses.

    >>> account = sample_account()
    >>> account.name, account.uin, account.app_id
    ('Lanternfish Labs', '100000000001', '1250000000')

Every id is made up. Each call builds a new, independent account on a
`ManualClock` (starting 2025-03-03T09:00:00Z) with a fixed seed, so a
notebook shows the same credentials and times on every run.

| who            | kind          | what it gets                              |
|----------------|---------------|-------------------------------------------|
| `mei`          | sub-user      | group `developers`                        |
| `ravi`         | sub-user      | group `operators`                         |
| `lena`         | sub-user      | read-only SCF and COS presets             |
| `ci-bot`       | sub-user      | QcloudSCFFullAccess, boundary `CiBoundary`|
| `kai`          | collaborator  | `TwoFunctionsOnly` (Test1 and Test2)      |

Roles: `SCF_QcsRole` (present unless `authorized=False`), and three
execution-role candidates: `scf_cos_full_access` (QcloudCOSFullAccess),
`thumbnail_writer` (read `uploads`, write `thumbnails`), and `ops_admin`,
whose trust policy admits the account, not SCF.

Functions: `Test1`, `Test2` and `thumbnailer` in ap-guangzhou/default;
`report-builder` and the image function `render-image` in
ap-shanghai/prod. Buckets (ap-guangzhou): `uploads`, `thumbnails`, `code`.
"""

from __future__ import annotations

from scflab.identity.account import Account
from scflab.identity.clock import ManualClock
from scflab.identity.roles import trust_policy

__all__ = ["sample_account", "SAMPLE_UIN", "SAMPLE_APP_ID",
           "COLLABORATOR_UIN"]

SAMPLE_UIN = "100000000001"
SAMPLE_APP_ID = "1250000000"
COLLABORATOR_UIN = "200000000001"

_FUNCTIONS = f"qcs::scf:ap-guangzhou:uin/{SAMPLE_UIN}:namespace/default"
_PROD = f"qcs::scf:ap-shanghai:uin/{SAMPLE_UIN}:namespace/prod"
_BUCKETS = f"qcs::cos:ap-guangzhou:uid/{SAMPLE_APP_ID}"
_ROLES = f"qcs::cam::uin/{SAMPLE_UIN}:roleName"

#: The custom policies, as the workbook shows them.
POLICIES: dict[str, dict] = {
    # SCF's own example of a sub-account limited to two functions.
    "TwoFunctionsOnly": {"version": "2.0", "statement": [
        {"effect": "allow",
         "action": ["scf:ListFunctions", "scf:GetAccountSettings",
                    "monitor:*"],
         "resource": ["*"]},
        {"effect": "allow",
         "action": ["scf:DeleteFunction", "scf:CreateFunction",
                    "scf:InvokeFunction", "scf:UpdateFunction",
                    "scf:GetFunctionLogs", "scf:SetTrigger",
                    "scf:DeleteTrigger", "scf:GetFunction",
                    "scf:ListVersion"],
         "resource": [f"{_FUNCTIONS}/function/Test1",
                      f"{_FUNCTIONS}/function/Test2"]}]},
    "DeveloperAccess": {"version": "2.0", "statement": [
        {"effect": "allow", "action": ["scf:List*", "scf:GetAccount"],
         "resource": "*"},
        {"effect": "allow", "action": "scf:*",
         "resource": f"{_FUNCTIONS}/function/*"},
        {"effect": "allow", "action": "name/cam:PassRole",
         "resource": f"{_ROLES}/thumbnail_writer"},
        {"effect": "allow",
         "action": ["cos:GetObject", "cos:PutObject", "cos:GetBucket"],
         "resource": f"{_BUCKETS}:uploads-{SAMPLE_APP_ID}/*"}]},
    "ProtectProduction": {"version": "2.0", "statement": [
        {"effect": "deny",
         "action": ["scf:DeleteFunction", "scf:UpdateFunctionCode",
                    "scf:UpdateFunctionConfiguration"],
         "resource": f"{_PROD}/function/*"}]},
    "OperatorAccess": {"version": "2.0", "statement": [
        {"effect": "allow",
         "action": ["scf:InvokeFunction", "scf:GetFunctionLogs"],
         "resource": f"{_PROD}/function/*"},
        {"effect": "allow", "action": "name/sts:AssumeRole",
         "resource": f"{_ROLES}/ops_admin"}]},
    "CiBoundary": {"version": "2.0", "statement": [
        {"effect": "allow", "action": ["scf:List*", "scf:GetAccount"],
         "resource": "*"},
        {"effect": "allow", "action": "scf:*",
         "resource": f"{_PROD}/function/*"}]},
    "ThumbnailWriterAccess": {"version": "2.0", "statement": [
        {"effect": "allow", "action": "cos:GetObject",
         "resource": f"{_BUCKETS}:uploads-{SAMPLE_APP_ID}/*"},
        {"effect": "allow", "action": "cos:PutObject",
         "resource": f"{_BUCKETS}:thumbnails-{SAMPLE_APP_ID}/*"}]},
}


def sample_account(*, authorized: bool = True) -> Account:
    """A fresh Lanternfish Labs account (see the module docstring).

    With `authorized=False` the root account has not yet authorized SCF:
    there is no `SCF_QcsRole`, and the `thumbnailer` has no COS trigger.
    """
    account = Account(SAMPLE_UIN, SAMPLE_APP_ID, name="Lanternfish Labs",
                      clock=ManualClock(), seed="lanternfish-labs")
    for name, document in POLICIES.items():
        account.create_policy(name, document)
    _people(account)
    if authorized:
        account.scf.authorize_service()
    _roles(account)
    _buckets(account)
    _functions(account, authorized)
    return account


def _people(account: Account) -> None:
    developers = account.create_group("developers")
    operators = account.create_group("operators")
    account.attach_policy("DeveloperAccess", to=developers)
    account.attach_policy("ProtectProduction", to=developers)
    account.attach_policy("QcloudSCFReadOnlyAccess", to=operators)
    account.attach_policy("OperatorAccess", to=operators)

    account.add_to_group(account.create_user("mei"), developers)
    account.add_to_group(account.create_user("ravi"), operators)
    lena = account.create_user("lena")
    account.attach_policy("QcloudSCFReadOnlyAccess", to=lena)
    account.attach_policy("QcloudCOSReadOnlyAccess", to=lena)
    ci = account.create_user("ci-bot")
    account.attach_policy("QcloudSCFFullAccess", to=ci)
    account.set_boundary(ci, "CiBoundary")
    kai = account.add_collaborator("kai", COLLABORATOR_UIN)
    account.attach_policy("TwoFunctionsOnly", to=kai)


def _roles(account: Account) -> None:
    scf = trust_policy(services=["scf.qcloud.com"])
    account.create_role(
        "scf_cos_full_access", scf, policies=("QcloudCOSFullAccess",),
        description="Lets function code use every COS bucket")
    account.create_role(
        "thumbnail_writer", scf, policies=("ThumbnailWriterAccess",),
        description="Reads uploads, writes thumbnails")
    account.create_role(
        "ops_admin", trust_policy(accounts=[account.uin]),
        policies=("QcloudSCFFullAccess",), max_session_duration=3600,
        description="For operators; SCF cannot assume it")


def _buckets(account: Account) -> None:
    cos = account.cos
    for name in ("uploads", "thumbnails", "code"):
        cos.create_bucket(name, "ap-guangzhou")
    cos.put_object("uploads", "cat.jpg", "<a photo of a cat>")
    cos.put_object("uploads", "dog.jpg", "<a photo of a dog>")
    cos.put_object("code", "releases/thumbnailer-1.1.zip",
                   "<a code package>")


def _functions(account: Account, authorized: bool) -> None:
    scf = account.scf
    scf.create_namespace("prod", "ap-shanghai")
    test1 = scf.create_function("Test1", say_hello)
    scf.create_trigger(test1, "timer")
    scf.create_function("Test2", read_upload)
    thumbnailer = scf.create_function("thumbnailer", make_thumbnail,
                                      role="thumbnail_writer")
    if authorized:
        scf.create_trigger(thumbnailer, "cos", bucket="uploads")
    scf.create_function("report-builder", count_uploads, namespace="prod",
                        region="ap-shanghai", role="scf_cos_full_access")
    scf.create_function(
        "render-image", render_image, namespace="prod", region="ap-shanghai",
        role="thumbnail_writer",
        image="ccr.ccs.tencentyun.com/lanternfish/render-image:1.4")


# The functions' code, as a learner would write it in a notebook.

def say_hello(event, context):
    """Greet, and show which built-in variables SCF set."""
    return {"hello": event.get("name", "world"),
            "function": context.env["SCF_FUNCTIONNAME"],
            "runs_in": context.env["TENCENTCLOUD_RUNENV"]}


def read_upload(event, context):
    """Read one upload with whatever credentials SCF handed over."""
    from scflab.scf.client import Client

    cos = Client.from_env(context.env).cos
    return {"read": cos.get_object("uploads", event.get("key", "cat.jpg"))}


def make_thumbnail(event, context):
    """Copy an upload into `thumbnails` (a stand-in for resizing it)."""
    from scflab.scf.client import Client

    cos = Client.from_env(context.env).cos
    key = event.get("key", "cat.jpg")
    photo = cos.get_object("uploads", key)
    cos.put_object("thumbnails", key, f"small {photo}")
    return {"thumbnail": key}


def count_uploads(event, context):
    """List the uploads bucket and count what is there."""
    from scflab.scf.client import Client

    keys = Client.from_env(context.env).cos.list_objects("uploads")
    return {"uploads": len(keys), "keys": keys}


def render_image(request):
    """An image function: credentials arrive in the X-Scf-* headers."""
    from scflab.scf.client import Client

    cos = Client.from_headers(request.headers).cos
    key = request.json().get("key", "dog.jpg")
    photo = cos.get_object("uploads", key)
    cos.put_object("thumbnails", f"rendered/{key}", f"rendered {photo}")
    return {"rendered": key}
