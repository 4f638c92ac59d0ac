"""Every exercise of the workbook, in one place.

Each `Exercise` names its episode, says what to do in a sentence, and holds
the task that judges an answer with the engine. The notebooks show the task
text; `tests/test_solutions.py` proves each notebook's solution passes and
that typical wrong answers fail with a useful message.

The names and numbers are those of the sample account,
`scflab.sample_account()`: root account `100000000001`, app id
`1250000000`, `mei` a developer (uin `100000000002`), `lena` an analyst
(`100000000004`), functions in `ap-guangzhou` and a `prod` namespace in
`ap-shanghai`. The first sub-user a notebook creates gets `100000000006`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scflab.teaching.tasks import (
    ChoiceTask, NamesTask, PatternTask, PolicyTask, PredictionTask,
    ResourceTask, allows, denies)

__all__ = ["Exercise", "EXERCISES", "ROOT", "APP_ID", "MEI", "LENA", "NORA",
           "function", "obj"]

ROOT = "100000000001"
APP_ID = "1250000000"
MEI = f"qcs::cam::uin/{ROOT}:uin/100000000002"
LENA = f"qcs::cam::uin/{ROOT}:uin/100000000004"
#: The first sub-user created in a fresh sample account gets this uin.
NORA = f"qcs::cam::uin/{ROOT}:uin/100000000006"


def function(name: str, namespace: str = "default",
             region: str = "ap-guangzhou", uin: str = ROOT) -> str:
    """The resource name of an SCF function in the workbook's account."""
    return (f"qcs::scf:{region}:uin/{uin}:namespace/{namespace}/"
            f"function/{name}")


def obj(bucket: str, key: str, region: str = "ap-guangzhou") -> str:
    """The resource name of a COS object in the workbook's account."""
    return f"qcs::cos:{region}:uid/{APP_ID}:{bucket}-{APP_ID}/{key}"


def role(name: str) -> str:
    """The resource name of a CAM role in the workbook's account."""
    return f"qcs::cam::uin/{ROOT}:roleName/{name}"


@dataclass(frozen=True)
class Exercise:
    """One exercise: where it is, what it asks, and how it is judged."""

    id: str
    episode: int
    title: str
    task: str
    hint: str
    checker: Any

    def judge(self, answer: Any):
        return self.checker.judge(answer)


def _decide(action, resource, principal, *documents, context=None):
    """A function deciding one request under some policy documents."""
    def decide():
        from scflab import Request, evaluate, parse_policy

        policies = [parse_policy(d, name=n) for n, d in documents]
        return evaluate(Request(action, resource, principal, context),
                        policies)
    return decide


def _statement(effect, action, resource="*", **extra) -> dict:
    return {"effect": effect, "action": action, "resource": resource,
            **extra}


def _document(*statements) -> dict:
    return {"version": "2.0", "statement": list(statements)}


# Episode 0: start here

#: The policy episode 0 runs its first request against.
LIST_POLICY = _document(_statement("allow", "scf:ListFunctions"))

_warm_up_decision = _decide("scf:ListFunctions", "*", MEI,
                            ("list-functions", LIST_POLICY))

_WARM_UP = Exercise(
    "warm-up", 0, "Read a decision",
    "Run the cell that asks whether Mei may list functions under "
    "`LIST_POLICY`, and type the outcome its first line shows: `allow`, "
    "`explicit deny` or `implicit deny`.",
    "the first line of a decision starts with its outcome in capitals",
    ChoiceTask(("allow", "explicit deny", "implicit deny"),
               lambda: _warm_up_decision().outcome.label))


# Episode 1: roles, policies and permissions


#: What episode 1's new sub-user may do: create functions, nothing more.
CREATE_ONLY = _document(_statement("allow", "scf:CreateFunction"))


def nora_creates_hello():
    """A fresh sample account in which Nora has just created `hello`.

    Nora is the first sub-user created in a fresh sample account (uin
    100000000006); her only policy, `CreateOnly`, lets her create
    functions.
    """
    from scflab import sample_account

    account = sample_account()
    nora = account.create_user("nora")
    account.create_policy("CreateOnly", CREATE_ONLY)
    account.attach_policy("CreateOnly", to=nora)
    hello = account.scf.create_function("hello", _hello, by=nora)
    return account, nora, hello


def _hello(event, context):
    return "hello"


def _creator_outcome() -> str:
    account, nora, hello = nora_creates_hello()
    decision = account.authorize(nora, "scf:InvokeFunction", hello.resource)
    return decision.outcome.label


_CREATOR = Exercise(
    "creator-access", 1, "The creator of a function",
    "Nora, whose only policy lets her create functions, has just created "
    "the function `hello`. What happens when she invokes it? Answer "
    "`allow`, `explicit deny` or `implicit deny`.",
    "creating a resource gives its creator nothing; think about which "
    "deny happens when no statement allows and none denies",
    ChoiceTask(
        ("allow", "explicit deny", "implicit deny"), _creator_outcome,
        why={"allow": "creating a resource does not grant the creator "
                      "access; only the root account's grants do",
             "explicit deny": "an explicit deny needs a deny statement, "
                              "and no policy of Nora's denies anything",
             "implicit deny": "no statement allows it, so the default "
                              "deny stands"}))


def _first_grant_cases():
    return [
        allows("Nora invoking `hello`", "scf:InvokeFunction",
               function("hello"), NORA),
        denies("Nora invoking another function, `Test2`",
               "scf:InvokeFunction", function("Test2"), NORA),
        denies("Nora deleting `hello`", "scf:DeleteFunction",
               function("hello"), NORA),
    ]


_FIRST_GRANT = Exercise(
    "first-grant", 1, "Nora's first permission",
    "Write a policy that lets Nora invoke `hello` and do nothing else.",
    "one allow statement: the action `scf:InvokeFunction` and the "
    "function's full six-segment resource name",
    PolicyTask(_first_grant_cases))


# Episode 2: the policy language


_GET_ACTIONS = Exercise(
    "get-actions", 2, "Every SCF `Get` action, nothing more",
    "Give one action pattern covering every SCF action whose name starts "
    "with `Get`, and no other action.",
    "a pattern is `service:Name`, and `*` stands for any run of "
    "characters; compare your pattern with `catalog.expand(...)`",
    PatternTask(("scf:Get*",)))


def _test1_resource_cases():
    return [
        ("`Test1`", function("Test1"), True),
        ("`Test2`", function("Test2"), False),
        ("`Test1` in the namespace `prod`", function("Test1", "prod"),
         False),
        ("`Test1` in ap-beijing", function("Test1", region="ap-beijing"),
         False),
        ("`Test1` of another account (200000000001)",
         function("Test1", uin="200000000001"), False),
    ]


_TEST1_RESOURCE = Exercise(
    "test1-resource", 2, "Name one function",
    "Write the six-segment resource name of the function `Test1` in the "
    "namespace `default`, region `ap-guangzhou`, account `100000000001`.",
    "`qcs:<project>:<service>:<region>:<account>:<resource>`; the project "
    "stays empty, the account is `uin/…` and the resource is "
    "`namespace/<ns>/function/<name>`",
    ResourceTask(_test1_resource_cases))

#: The broken policy episode 2 asks learners to repair.
BROKEN_POLICY = """{
  "version": "1.0",
  "statement": [
    {
      "effect": "Allow",
      "action": ["cos: GetObject"],
      "resource": "qcs::cos:ap-guangzhou:uid/1250000000/photos-1250000000/*"
    }
  ]
}"""


def _repair_cases():
    return [
        allows("Mei reading `photos/cat.jpg`", "cos:GetObject",
               obj("photos", "cat.jpg"), MEI),
        allows("Mei reading `photos/2024/dog.png`", "cos:GetObject",
               obj("photos", "2024/dog.png"), MEI),
        denies("Mei writing `photos/cat.jpg`", "cos:PutObject",
               obj("photos", "cat.jpg"), MEI),
        denies("Mei reading from another bucket, `payroll`",
               "cos:GetObject", obj("payroll", "march.csv"), MEI),
    ]


_REPAIR = Exercise(
    "repair-policy", 2, "Repair a broken policy",
    "The policy in `BROKEN_POLICY` should let Mei read every object of the "
    "bucket `photos-1250000000`. Fix every problem the validator reports.",
    "work through the problems in order: each names the element, the line "
    "and the column; the resource needs six segments separated by `:`",
    PolicyTask(_repair_cases))


def _office_network_cases():
    return [
        allows("an upload from 10.0.0.7", "cos:PutObject",
               obj("photos", "cat.jpg"), MEI, qcs_ip="10.0.0.7"),
        denies("an upload from 8.8.8.8", "cos:PutObject",
               obj("photos", "cat.jpg"), MEI, qcs_ip="8.8.8.8"),
        denies("an upload from 10.0.1.7, outside the /24",
               "cos:PutObject", obj("photos", "cat.jpg"), MEI,
               qcs_ip="10.0.1.7"),
        denies("a download from 10.0.0.7", "cos:GetObject",
               obj("photos", "cat.jpg"), MEI, qcs_ip="10.0.0.7"),
    ]


_OFFICE_NETWORK = Exercise(
    "office-network", 2, "Uploads from the office only",
    "Write a policy that lets Mei upload objects (`cos:PutObject`) to any "
    "bucket, but only from the office network `10.0.0.0/24`.",
    "a `condition` with the operator `ip_equal` on the key `qcs:ip`",
    PolicyTask(_office_network_cases))


# Episode 3: how CAM decides

#: The sample account's production report, in ap-shanghai.
REPORT = function("report-builder", "prod", "ap-shanghai")

#: The two policies of episode 3's prediction exercise.
TEAM_POLICIES = (
    ("team-allow", _document(_statement("allow", "scf:*"))),
    ("no-prod-delete", _document(_statement(
        "deny", "scf:DeleteFunction",
        f"qcs::scf:ap-shanghai:uin/{ROOT}:namespace/prod/function/*"))),
)

_PREDICT = Exercise(
    "predict-outcomes", 3, "Predict three decisions",
    "Mei has the policies `team-allow` and `no-prod-delete`. Predict the "
    "outcome of (a) invoking `prod/report-builder`, (b) deleting it, (c) "
    "reading the COS object `photos/cat.jpg`.",
    "look for a deny that applies first, then an allow; with neither, the "
    "default deny stands",
    PredictionTask({
        "a": ("invoke prod/report-builder", _decide(
            "scf:InvokeFunction", REPORT, MEI, *TEAM_POLICIES)),
        "b": ("delete prod/report-builder", _decide(
            "scf:DeleteFunction", REPORT, MEI, *TEAM_POLICIES)),
        "c": ("read photos/cat.jpg", _decide(
            "cos:GetObject", obj("photos", "cat.jpg"), MEI,
            *TEAM_POLICIES)),
    }))


def _with_team_allow(policy):
    """Decide with the learner's policy beside `team-allow`."""
    from scflab import evaluate, parse_policy

    team = parse_policy(TEAM_POLICIES[0][1], name=TEAM_POLICIES[0][0])
    return lambda request: evaluate(request, [team, policy])


def _guard_prod_cases():
    return [
        denies("deleting `prod/report-builder`", "scf:DeleteFunction",
               REPORT, MEI),
        denies("deleting `prod/billing`", "scf:DeleteFunction",
               function("billing", "prod", "ap-shanghai"), MEI),
        allows("deleting `default/hello`", "scf:DeleteFunction",
               function("hello"), MEI),
        allows("invoking `prod/report-builder`", "scf:InvokeFunction",
               REPORT, MEI),
        allows("updating the code of `prod/report-builder`",
               "scf:UpdateFunctionCode", REPORT, MEI),
    ]


_GUARD_PROD = Exercise(
    "guard-prod", 3, "Protect production with a deny",
    "Mei already has `team-allow` (every SCF action). Write a second "
    "policy so that nobody with it can delete a function in the namespace "
    "`prod`, while everything else stays allowed.",
    "a `deny` statement beats every allow; give it the action "
    "`scf:DeleteFunction` and a resource ending in "
    "`namespace/prod/function/*`",
    PolicyTask(_guard_prod_cases, decider=_with_team_allow))

#: What Mei's own policies grant in the boundary exercise.
BROAD_POLICY = _document(_statement("allow", ["scf:*", "cos:*"]))


def _within_boundary(boundary):
    """Allowed only when Mei's policies and the boundary both allow it."""
    from scflab import evaluate, parse_policy

    broad = parse_policy(BROAD_POLICY, name="broad")

    def decide(request):
        granted = evaluate(request, [broad])
        return evaluate(request, [boundary]) if granted.allowed else granted
    return decide


def _boundary_cases():
    return [
        allows("invoking `hello`", "scf:InvokeFunction", function("hello"),
               MEI),
        allows("listing functions", "scf:ListFunctions", "*", MEI),
        denies("reading `photos/cat.jpg` from COS", "cos:GetObject",
               obj("photos", "cat.jpg"), MEI),
        denies("deleting a bucket policy", "cos:DeleteBucketPolicy",
               f"qcs::cos:ap-guangzhou:uid/{APP_ID}:photos-{APP_ID}/*", MEI),
        denies("creating a role (which no policy of Mei grants)",
               "cam:CreateRole", "*", MEI),
    ]


_BOUNDARY = Exercise(
    "scf-boundary", 3, "A boundary that keeps Mei inside SCF",
    "Mei's policy allows `scf:*` and `cos:*`. Write a permission boundary "
    "that leaves Mei's SCF work alone but takes COS away.",
    "a boundary is written like any policy; the caller gets only what "
    "both the policies and the boundary allow",
    PolicyTask(_boundary_cases, decider=_within_boundary))


# Episode 4: the configuration role


def _missing_role_code() -> str:
    from scflab import ScfError, sample_account

    account = sample_account(authorized=False)
    try:
        account.scf.create_trigger("thumbnailer", "cos", bucket="uploads")
    except ScfError as refusal:
        return refusal.code
    return "no error"


_QCSROLE_MISSING = Exercise(
    "qcsrole-missing", 4, "Before service authorization",
    "In an account that has not yet authorized SCF, the root account adds "
    "a COS trigger on `uploads` to `thumbnailer`. Which error code comes "
    "back?",
    "the root account may do anything, so CAM does not refuse the caller; "
    "think about what SCF itself needs and does not find",
    ChoiceTask(
        ("FailedOperation.QcsRoleNotFound", "UnauthorizedOperation.CAM",
         "UnauthorizedOperation.Role", "ResourceNotFound.Role"),
        _missing_role_code,
        why={"FailedOperation.QcsRoleNotFound":
             "SCF writes the trigger as `SCF_QcsRole`, and the role does "
             "not exist until the service is authorized",
             "UnauthorizedOperation.CAM":
             "that would mean CAM refused the caller, but the caller is the "
             "root account",
             "UnauthorizedOperation.Role":
             "that comes when the role exists but its policy refuses"}))


def _as_configuration_role(action: str, bucket: str, key: str = "*"):
    """A function deciding `action` on a COS object as SCF_QcsRole."""
    def decide():
        from scflab import sample_account
        from scflab.identity import SCF_SERVICE

        account = sample_account()
        session = account.assume_role(SCF_SERVICE, "SCF_QcsRole",
                                      "scf-configuration")
        return account.authorize(session, action, obj(bucket, key))
    return decide


_QCSROLE_PREDICT = Exercise(
    "qcsrole-predict", 4, "What the configuration role may do",
    "SCF acts as `SCF_QcsRole`, whose policy is `QcloudAccessForScfRole`. "
    "Predict the outcome of (a) writing the trigger configuration of "
    "`uploads`, (b) reading the code package `releases/thumbnailer-1.1.zip` "
    "from `code`, (c) deleting `cat.jpg` from `uploads`.",
    "read the action list of `QcloudAccessForScfRole`: which COS actions "
    "does it name, and with which wildcards?",
    PredictionTask({
        "a": ("write the trigger configuration of uploads",
              _as_configuration_role("cos:PutBucketNotification",
                                     "uploads")),
        "b": ("read the code package",
              _as_configuration_role("cos:GetObject", "code",
                                     "releases/thumbnailer-1.1.zip")),
        "c": ("delete uploads/cat.jpg",
              _as_configuration_role("cos:DeleteObject", "uploads",
                                     "cat.jpg")),
    }))


# Episode 5: execution roles and temporary credentials

#: The role session episode 5's session-policy exercise narrows.
FULL_ACCESS_SESSION = f"qcs::cam::uin/{ROOT}:roleName/scf_cos_full_access"


def _narrowed_session(policy):
    """Decide as a session of `scf_cos_full_access` narrowed by `policy`."""
    from scflab import sample_account
    from scflab.identity import SCF_SERVICE

    account = sample_account()
    session = account.assume_role(SCF_SERVICE, "scf_cos_full_access",
                                  "narrowed", policy=policy)
    return lambda request: account.authorize(
        session, request.action, request.resource, request.context)


def _session_policy_cases():
    s = FULL_ACCESS_SESSION
    return [
        allows("reading `uploads/cat.jpg`", "cos:GetObject",
               obj("uploads", "cat.jpg"), s),
        allows("reading `uploads/2025/dog.jpg`", "cos:GetObject",
               obj("uploads", "2025/dog.jpg"), s),
        denies("writing `uploads/cat.jpg`", "cos:PutObject",
               obj("uploads", "cat.jpg"), s),
        denies("deleting `uploads/cat.jpg`", "cos:DeleteObject",
               obj("uploads", "cat.jpg"), s),
        denies("reading the code package in `code`", "cos:GetObject",
               obj("code", "releases/thumbnailer-1.1.zip"), s),
        denies("invoking `Test1` (the role itself never allowed it)",
               "scf:InvokeFunction", function("Test1"), s),
    ]


_SESSION_POLICY = Exercise(
    "session-policy", 5, "Narrow a session",
    "`scf_cos_full_access` may do anything in COS. Write a session policy "
    "so that one session of it may only read objects of the bucket "
    "`uploads`.",
    "a session policy looks like any policy without a `principal`; the "
    "session gets only what both the role and the session policy allow",
    PolicyTask(_session_policy_cases, kind="session",
               decider=_narrowed_session))


def _image_channel() -> str:
    from scflab import sample_account

    account = sample_account()
    render = account.scf.function("render-image", "prod", "ap-shanghai")
    return account.scf.invoke(render, {"key": "dog.jpg"}).delivery.channel


_CREDENTIALS_CHANNEL = Exercise(
    "credentials-channel", 5, "Where an image function finds credentials",
    "`render-image` is an image function. Through what does SCF hand it "
    "the temporary credentials of its execution role: `environment "
    "variables` or `HTTP headers`?",
    "a container image runs a web server on port 9000; SCF calls it for "
    "every event",
    ChoiceTask(
        ("environment variables", "HTTP headers"), _image_channel,
        why={"environment variables":
             "that is how code-package functions get them "
             "(`TENCENTCLOUD_SECRETID` …)",
             "HTTP headers":
             "each request to the container carries `X-Scf-Secret-Id`, "
             "`X-Scf-Secret-Key` and `X-Scf-Session-Token`"}))


def _ravi_deletes_test1(minutes_later: int, renew_at: int | None = None):
    """Ravi assumes `ops_admin` for 900 s at 09:00 and deletes `Test1`
    `minutes_later`; with `renew_at` he assumes it again at that minute."""
    def decide():
        from scflab import sample_account

        account = sample_account()
        ravi = account.user("ravi")
        session = account.assume_role(ravi, "ops_admin", "ravi-maintenance",
                                      duration_seconds=900)
        if renew_at is not None:
            account.clock.advance(renew_at * 60)
            session = account.assume_role(ravi, "ops_admin",
                                          "ravi-maintenance",
                                          duration_seconds=900)
            minutes = minutes_later - renew_at
        else:
            minutes = minutes_later
        account.clock.advance(minutes * 60)
        return account.authorize(session, "scf:DeleteFunction",
                                 function("Test1"))
    return decide


_SESSION_EXPIRY = Exercise(
    "session-expiry", 5, "When credentials run out",
    "At 09:00 Ravi assumes `ops_admin` for 900 seconds. Predict the outcome "
    "of deleting `Test1` with the session (a) at 09:10, (b) at 09:20, "
    "(c) at 09:25 with a session he assumed again at 09:20.",
    "900 seconds is 15 minutes; expired credentials are refused before any "
    "policy is read, and a new AssumeRole gives new ones",
    PredictionTask({
        "a": ("delete Test1 at 09:10", _ravi_deletes_test1(10)),
        "b": ("delete Test1 at 09:20", _ravi_deletes_test1(20)),
        "c": ("delete Test1 at 09:25, renewed at 09:20",
              _ravi_deletes_test1(25, renew_at=20)),
    }))


# Episode 6: policy lab


def _analyst_logs_cases():
    return [
        allows("Lena reading the logs of `Test1`",
               "scf:GetFunctionLogs", function("Test1"), LENA),
        denies("Lena reading the logs of `Test2`",
               "scf:GetFunctionLogs", function("Test2"), LENA),
        denies("Lena invoking `Test1`", "scf:InvokeFunction",
               function("Test1"), LENA),
        denies("Lena deleting `Test1`", "scf:DeleteFunction",
               function("Test1"), LENA),
    ]


_ANALYST_LOGS = Exercise(
    "analyst-logs", 6, "Logs of one function",
    "Write a policy that lets Lena, the analyst, read the function logs "
    "of `Test1` and of no other function.",
    "the action is `scf:GetFunctionLogs`; the resource names `Test1` "
    "exactly",
    PolicyTask(_analyst_logs_cases))


def _two_functions_cases():
    return [
        allows("listing every function", "scf:ListFunctions", "*", MEI),
        allows("invoking `Test1`", "scf:InvokeFunction", function("Test1"),
               MEI),
        allows("updating the code of `Test2`", "scf:UpdateFunctionCode",
               function("Test2"), MEI),
        allows("reading the logs of `Test2`", "scf:GetFunctionLogs",
               function("Test2"), MEI),
        denies("invoking `Test3`", "scf:InvokeFunction", function("Test3"),
               MEI),
        denies("deleting `Test3`", "scf:DeleteFunction", function("Test3"),
               MEI),
        denies("reading COS objects", "cos:GetObject",
               obj("photos", "cat.jpg"), MEI),
    ]


_TWO_FUNCTIONS = Exercise(
    "two-functions", 6, "See everything, touch two functions",
    "Write a policy for Mei: list every function, and invoke, update the "
    "code of and read the logs of `Test1` and `Test2` only.",
    "`scf:ListFunctions` is operation-level: only `\"resource\": \"*\"` "
    "grants it, so it needs a statement of its own",
    PolicyTask(_two_functions_cases))


def _deadline_cases():
    return [
        allows("invoking `Test1` on 2029-06-01", "scf:InvokeFunction",
               function("Test1"), MEI,
               qcs_current_time="2029-06-01T10:00:00Z"),
        denies("invoking `Test1` on 2030-06-01", "scf:InvokeFunction",
               function("Test1"), MEI,
               qcs_current_time="2030-06-01T10:00:00Z"),
        denies("invoking `Test2` on 2029-06-01", "scf:InvokeFunction",
               function("Test2"), MEI,
               qcs_current_time="2029-06-01T10:00:00Z"),
    ]


_DEADLINE = Exercise(
    "deadline", 6, "Access that ends on a date",
    "Write a policy that lets Mei invoke `Test1` until the end of 2029 "
    "(UTC) and not after.",
    "the operator `date_less_than` on the key `qcs:current_time`, with a "
    "value such as `2030-01-01T00:00:00Z`",
    PolicyTask(_deadline_cases))


# Episode 7: exploring policies with pandas


def _who_can_delete_test1() -> set[str]:
    from scflab import sample_account

    account = sample_account()
    test1 = account.scf.function("Test1").resource
    identities = [*account.users.values(), *account.roles.values()]
    return {identity.name for identity in identities
            if account.authorize(identity, "scf:DeleteFunction", test1)}


_WHO_CAN_DELETE = Exercise(
    "who-can-delete", 7, "Who may delete `Test1`",
    "Which sub-users, collaborators and roles of the sample account may "
    "delete the function `Test1`? Give their names as a list (the root "
    "account aside).",
    "build an access matrix with the action `scf:DeleteFunction` and read "
    "the column of `default/Test1`; a role's row is labelled `<name> "
    "(role)`",
    NamesTask(_who_can_delete_test1, "identities"))


def attached_policies(account) -> set[str]:
    """Every policy attached somewhere in `account`, boundaries included."""
    holders = [*account.users.values(), *account.groups.values(),
               *account.roles.values()]
    names = {name for holder in holders for name in holder.policies}
    names |= {holder.boundary for holder in holders
              if getattr(holder, "boundary", None)}
    return names


def _policies_with_security_findings() -> set[str]:
    from scflab import lint, sample_account

    account = sample_account()
    return {name for name in attached_policies(account)
            if any(finding.severity.value == "security"
                   for finding in lint(account.policy(name)))}


_SECURITY_FINDINGS = Exercise(
    "security-findings", 7, "Policies the linter worries about",
    "Lint every policy attached somewhere in the sample account (to a "
    "user, a group or a role, or as a permission boundary). Which policies "
    "have at least one finding of severity `security`? Give their names.",
    "`attached_policies(account)` lists the names; `scflab.lint(policy)` "
    "returns findings, each with a `severity`",
    NamesTask(_policies_with_security_findings, "policies"))


def _most_refused() -> set[str]:
    from scflab import request_log

    log = request_log()
    refused = log[log["outcome"] != "allow"]
    return {refused["identity"].value_counts().idxmax()}


_MOST_REFUSED = Exercise(
    "most-refused", 7, "Refused most often",
    "In the sample request log, which identity had the most requests "
    "refused (an explicit or an implicit deny)?",
    "filter the rows whose `outcome` is not `allow`, then count them by "
    "`identity` with `value_counts()`",
    NamesTask(_most_refused, "identities"))


# Episode 8: capstone, a thumbnail application

#: The capstone's names.
THUMBNAIL_ROLE = "thumbnail_least"
THUMBNAIL_SESSION = f"qcs::cam::uin/{ROOT}:roleName/{THUMBNAIL_ROLE}"
#: The capstone's deployer: the first sub-user created there, like Nora.
DEPLOYER = NORA


def _thumbnail_role_cases():
    s = THUMBNAIL_SESSION
    return [
        allows("reading the upload `photos/cat.jpg`", "cos:GetObject",
               obj("uploads", "photos/cat.jpg"), s),
        allows("writing `photos/cat.jpg` to the thumbnails bucket",
               "cos:PutObject", obj("thumbnails", "photos/cat.jpg"), s),
        denies("writing into the uploads bucket (it would trigger the "
               "function again)", "cos:PutObject",
               obj("uploads", "photos/cat.jpg"), s),
        denies("deleting an upload", "cos:DeleteObject",
               obj("uploads", "photos/cat.jpg"), s),
        denies("reading from another bucket, `payroll`", "cos:GetObject",
               obj("payroll", "march.csv"), s),
        denies("changing the thumbnails bucket's policy",
               "cos:PutBucketPolicy",
               f"qcs::cos:ap-guangzhou:uid/{APP_ID}:thumbnails-{APP_ID}/*",
               s),
        denies("invoking another function", "scf:InvokeFunction",
               function("Test1"), s),
    ]


_THUMBNAIL_ROLE = Exercise(
    "thumbnail-role", 8, "The execution role's policy",
    "Write the policy of `thumbnail_least`, the new execution role of "
    "`thumbnailer`: the code reads objects from `uploads-1250000000` and "
    "writes thumbnails to `thumbnails-1250000000`, and may do nothing "
    "else.",
    "two allow statements: `cos:GetObject` on the uploads bucket's objects "
    "and `cos:PutObject` on the thumbnails bucket's objects "
    "(`.../<bucket>-1250000000/*`)",
    PolicyTask(_thumbnail_role_cases))


def _thumbnail_trust_cases():
    resource = role(THUMBNAIL_ROLE)
    return [
        allows("SCF assuming the role", "sts:AssumeRole", resource,
               "scf.qcloud.com"),
        denies("CVM assuming the role", "sts:AssumeRole", resource,
               "cvm.qcloud.com"),
        denies("the deployer (a sub-user) assuming the role",
               "sts:AssumeRole", resource, DEPLOYER),
        denies("another account (200000000001) assuming the role",
               "sts:AssumeRole", resource,
               "qcs::cam::uin/200000000001:root"),
    ]


_THUMBNAIL_TRUST = Exercise(
    "thumbnail-trust", 8, "Who may assume the role",
    "Write the trust policy of `thumbnail_least` so that SCF, and only "
    "SCF, may assume it.",
    "a trust policy has a `principal`; SCF is the service "
    "`scf.qcloud.com`, and the action is `name/sts:AssumeRole`",
    PolicyTask(_thumbnail_trust_cases, kind="trust"))


def _deployer_cases():
    d, thumbnail = DEPLOYER, function("thumbnailer")
    return [
        allows("listing functions", "scf:ListFunctions", "*", d),
        allows("updating the code of `thumbnailer`",
               "scf:UpdateFunctionCode", thumbnail, d),
        allows("reading the logs of `thumbnailer`",
               "scf:GetFunctionLogs", thumbnail, d),
        denies("deleting `thumbnailer`", "scf:DeleteFunction",
               thumbnail, d),
        denies("updating the code of another function, `Test1`",
               "scf:UpdateFunctionCode", function("Test1"), d),
        denies("reading uploads directly", "cos:GetObject",
               obj("uploads", "photos/cat.jpg"), d),
    ]


_DEPLOYER = Exercise(
    "thumbnail-deployer", 8, "The deployer's policy",
    "Write the policy of the deployer, a sub-user: list functions, and "
    "update the code of and read the logs of `thumbnailer`; nothing "
    "else.",
    "one statement for the operation-level `scf:ListFunctions` on `*`, "
    "one for the two actions on the function's resource name",
    PolicyTask(_deployer_cases))


EXERCISES: dict[str, Exercise] = {e.id: e for e in (
    _WARM_UP,
    _CREATOR, _FIRST_GRANT,
    _GET_ACTIONS, _TEST1_RESOURCE, _OFFICE_NETWORK, _REPAIR,
    _PREDICT, _GUARD_PROD, _BOUNDARY,
    _QCSROLE_MISSING, _QCSROLE_PREDICT,
    _CREDENTIALS_CHANNEL, _SESSION_POLICY, _SESSION_EXPIRY,
    _ANALYST_LOGS, _TWO_FUNCTIONS, _DEADLINE,
    _WHO_CAN_DELETE, _SECURITY_FINDINGS, _MOST_REFUSED,
    _THUMBNAIL_ROLE, _THUMBNAIL_TRUST, _DEPLOYER,
)}
