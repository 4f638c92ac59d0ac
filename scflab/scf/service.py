"""An account's Serverless Cloud Function, as CAM sees it.

**Service authorization.** Until the root account grants it (the console
asks on the first visit; here `account.scf.authorize_service()`), the
account has no `SCF_QcsRole`. That configuration role (entity
`scf.qcloud.com`, policy `QcloudAccessForScfRole`) is how SCF acts on the
user's other services. Without it, what needs it fails with
`FailedOperation.QcsRoleNotFound`: creating a COS or API Gateway trigger,
reading a code package from COS. With it, SCF assumes the role and CAM
decides each step as that role session; a refusal raises `ScfDenied`
`UnauthorizedOperation.Role`.

**The caller's own permission.** Every operation is first decided for
the identity that asks (`by`, the root account unless given). Two
operations also answer to the legacy names SCF's permission pages use:
`scf:SetTrigger` for CreateTrigger and `scf:UpdateFunction` for
UpdateFunctionConfiguration; either name grants, a deny of either refuses.

| operation                     | action                           |
|-------------------------------|----------------------------------|
| create_namespace              | `scf:CreateNamespace`            |
| delete_namespace              | `scf:DeleteNamespace`            |
| create_function               | `scf:CreateFunction`             |
| update_function_configuration | `scf:UpdateFunctionConfiguration`|
| delete_function               | `scf:DeleteFunction`             |
| create_trigger                | `scf:CreateTrigger`              |
| invoke                        | `scf:InvokeFunction`             |

A refusal raises `ScfDenied` `UnauthorizedOperation.CAM`. Creating a
function gives its creator no access to it: the root account owns it.

**Binding an execution role** (`role=` of create_function and
update_function_configuration) needs the role to exist
(`ResourceNotFound.Role`), its trust policy to admit `scf.qcloud.com`
(else `InvalidParameterValue`), and the caller to be allowed
`cam:PassRole` on the role (else `UnauthorizedOperation.CAM`). The last
two are scflab's choices where Tencent's documents are silent; see
`scflab.MODELLING_CHOICES`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Callable

from scflab.errors import ScfError
from scflab.evaluation.decision import Decision, Outcome
from scflab.identity.errors import ScfDenied, StsDenied, denial_text
from scflab.identity.identities import SCF_SERVICE
from scflab.identity.roles import Role, RoleType, trust_policy
from scflab.language.resources import ResourceName
from scflab.scf.cos import CosError
from scflab.scf.functions import (
    DEFAULT_NAMESPACE, DEFAULT_REGION, CosCode, Function, Namespace,
    Trigger, check_environment, check_function_name, check_namespace_name)
from scflab.scf.runtime import Invocation, run

if TYPE_CHECKING:
    from scflab.identity.account import Account

__all__ = ["ScfService", "QCS_ROLE", "QCS_ROLE_POLICY", "UNCHANGED"]

#: SCF's configuration role, created by service authorization.
QCS_ROLE = "SCF_QcsRole"

#: The preset policy service authorization attaches to it.
QCS_ROLE_POLICY = "QcloudAccessForScfRole"

TRIGGER_KINDS = ("timer", "cos", "apigw")

#: Names SCF's permission pages still use for operations renamed since.
LEGACY_ACTIONS = {
    "scf:CreateTrigger": "scf:SetTrigger",
    "scf:UpdateFunctionConfiguration": "scf:UpdateFunction",
}


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: Leave a setting as it is (`role=UNCHANGED`); `role=None` unbinds.
UNCHANGED: Any = _Unchanged()


class ScfService:
    """Namespaces, functions, triggers and invocations of one account."""

    def __init__(self, account: Account):
        self.account = account
        self._namespaces: dict[tuple[str, str], Namespace] = {}
        self._functions: dict[tuple[str, str, str], Function] = {}

    # Service authorization.

    @property
    def qcs_role(self) -> Role | None:
        """`SCF_QcsRole`, or None before service authorization."""
        return self.account.roles.get(QCS_ROLE)

    @property
    def authorized(self) -> bool:
        return self.qcs_role is not None

    def authorize_service(self) -> Role:
        """Grant SCF its configuration role, as the root account does in
        the console; granting it again changes nothing."""
        if self.qcs_role is not None:
            return self.qcs_role
        return self.account.create_role(
            QCS_ROLE, trust_policy(services=[SCF_SERVICE.domain]),
            policies=(QCS_ROLE_POLICY,), type=RoleType.SYSTEM,
            description="SCF's configuration role: triggers and code "
                        "packages on the account's behalf")

    # Namespaces.

    def namespaces(self, region: str = DEFAULT_REGION) -> list[Namespace]:
        """The namespaces of `region`, `default` first."""
        created = [ns for (r, _), ns in self._namespaces.items()
                   if r == region]
        return [Namespace(DEFAULT_NAMESPACE, region)] + created

    def namespace(self, name: str, region: str = DEFAULT_REGION
                  ) -> Namespace:
        for namespace in self.namespaces(region):
            if namespace.name == name:
                return namespace
        raise ScfError("ResourceNotFound.Namespace",
                       f"region {region} has no namespace `{name}`",
                       "create it with create_namespace first")

    def create_namespace(self, name: str, region: str = DEFAULT_REGION, *,
                         description: str = "", by=None) -> Namespace:
        if name == DEFAULT_NAMESPACE:
            raise ScfError("InvalidParameterValue.DefaultNamespace",
                           "the namespace `default` exists in every region "
                           "and cannot be created", "choose another name")
        check_namespace_name(name)
        if (region, name) in self._namespaces:
            raise ScfError("ResourceInUse.Namespace",
                           f"namespace `{name}` already exists in {region}",
                           "choose another name")
        self._require(by, "scf:CreateNamespace",
                      _namespace_resource(self.account, region, name))
        namespace = Namespace(name, region, description)
        self._namespaces[(region, name)] = namespace
        return namespace

    def delete_namespace(self, name: str, region: str = DEFAULT_REGION, *,
                         by=None) -> None:
        if name == DEFAULT_NAMESPACE:
            raise ScfError("FailedOperation.DeleteNamespace",
                           "the namespace `default` cannot be deleted",
                           "delete its functions instead")
        self.namespace(name, region)
        self._require(by, "scf:DeleteNamespace",
                      _namespace_resource(self.account, region, name))
        if any(f.namespace == name and f.region == region
               for f in self._functions.values()):
            raise ScfError("ResourceInUse",
                           f"namespace `{name}` still holds functions",
                           "delete them first")
        del self._namespaces[(region, name)]

    # Functions.

    @property
    def functions(self) -> tuple[Function, ...]:
        return tuple(self._functions.values())

    def function(self, name: str, namespace: str = DEFAULT_NAMESPACE,
                 region: str = DEFAULT_REGION) -> Function:
        found = self._functions.get((region, namespace, name))
        if found is None:
            raise ScfError("ResourceNotFound.Function",
                           f"there is no function `{name}` in "
                           f"{region}/{namespace}",
                           "check the name, namespace and region")
        return found

    def create_function(self, name: str, handler: Callable[..., Any], *,
                        namespace: str = DEFAULT_NAMESPACE,
                        region: str = DEFAULT_REGION,
                        role: Role | str | None = None,
                        image: str | None = None,
                        code: CosCode | None = None,
                        environment: dict[str, str] | None = None,
                        memory: int = 128, timeout: int = 3,
                        by=None) -> Function:
        """Create a code-package function, or an image function (`image`).

        `handler` is the function's body: `handler(event, context)` for a
        code package, `handler(request)` for an image. `code` names a
        package in COS, which SCF reads as SCF_QcsRole.
        """
        function = self._new_function(name, handler, namespace, region,
                                      image, environment)
        function.memory, function.timeout = memory, timeout
        identity = self._require(by, "scf:CreateFunction", function.resource)
        if role is not None:
            function.role = self._bindable(identity, role)
        if code is not None:
            self._read_code(code)
            function.code = code
        function.created_by = identity.name
        self._functions[(region, namespace, name)] = function
        self.account.record_creator(function.resource, identity)
        return function

    def update_function_configuration(
            self, function: Function | str, *, role: Any = UNCHANGED,
            environment: dict[str, str] | None = None, by=None) -> Function:
        """Change a function's execution role (None unbinds it) or its
        environment variables."""
        function = self._own(function)
        identity = self._require(by, "scf:UpdateFunctionConfiguration",
                                 function.resource)
        if environment is not None:
            check_environment(environment)
        if role is not UNCHANGED:
            new = None if role is None else self._bindable(identity, role)
            function.role = new
        if environment is not None:
            function.environment = dict(environment)
        return function

    def delete_function(self, function: Function | str, *, by=None) -> None:
        function = self._own(function)
        self._require(by, "scf:DeleteFunction", function.resource)
        del self._functions[(function.region, function.namespace,
                             function.name)]

    # Triggers.

    def create_trigger(self, function: Function | str, kind: str, *,
                       bucket: str | None = None, name: str | None = None,
                       by=None) -> Trigger:
        """Attach a `timer`, `cos` or `apigw` trigger to `function`.

        COS and API Gateway triggers are set up by SCF as SCF_QcsRole; a
        timer needs no role.
        """
        function = self._own(function)
        if kind not in TRIGGER_KINDS:
            raise ScfError("InvalidParameterValue",
                           f"trigger type `{kind}` is not modelled",
                           "use `timer`, `cos` or `apigw`")
        name = name or f"{kind}-{len(function.triggers) + 1}"
        if any(t.name == name for t in function.triggers):
            raise ScfError("ResourceInUse.TriggerName",
                           f"`{function.name}` already has a trigger "
                           f"`{name}`", "choose another name")
        self._require(by, "scf:CreateTrigger", function.resource)
        source = self._configure_trigger(function, kind, bucket)
        trigger = Trigger(kind, name, source)
        function.triggers.append(trigger)
        return trigger

    # Invocation.

    def invoke(self, function: Function | str, event: Any = None, *,
               by=None) -> Invocation:
        """Run `function` once; the `Invocation` shows how and why.

        SCF assumes the execution role (if any) as `scf.qcloud.com` and
        hands its credentials to the code (see `scflab.scf.runtime`).
        """
        function = self._own(function)
        identity = self._require(by, "scf:InvokeFunction", function.resource)
        event = {} if event is None else event
        return run(self, function, event, identity.name)

    # Display.

    def __repr__(self) -> str:
        state = "authorized" if self.authorized else "not authorized"
        return (f"ScfService(account={self.account.uin}, {state}, "
                f"functions={[f.where for f in self._functions.values()]})")

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(f.region)}</td><td>{escape(f.namespace)}</td>"
            f"<td>{escape(f.name)}</td><td>{f.kind}</td>"
            f"<td>{escape(f.role or '(none)')}</td></tr>"
            for f in self._functions.values())
        state = ("SCF_QcsRole present" if self.authorized else
                 "service not authorized: no SCF_QcsRole")
        return (f"<p>{state}</p><table><tr><th>region</th><th>namespace</th>"
                "<th>function</th><th>kind</th><th>execution role</th></tr>"
                f"{rows}</table>")

    # Steps.

    def _new_function(self, name, handler, namespace, region, image,
                      environment) -> Function:
        check_function_name(name)
        self.namespace(namespace, region)
        check_environment(environment or {})
        if not callable(handler):
            raise TypeError(f"a function's handler is a callable, not "
                            f"`{type(handler).__name__}`")
        if (region, namespace, name) in self._functions:
            raise ScfError("ResourceInUse.Function",
                           f"function `{name}` already exists in "
                           f"{region}/{namespace}", "choose another name")
        return Function(name, handler, self.account.uin, namespace, region,
                        image=image, environment=dict(environment or {}))

    def _own(self, function: Function | str) -> Function:
        if isinstance(function, str):
            return self.function(function)
        key = (function.region, function.namespace, function.name)
        if self._functions.get(key) is not function:
            raise ScfError("ResourceNotFound.Function",
                           f"function `{function.where}` is not in account "
                           f"{self.account.uin}", "create it first")
        return function

    def _require(self, by, action: str, resource: ResourceName):
        identity = by or self.account.root
        decision = self._decide(identity, action, resource)
        if not decision:
            raise ScfDenied("UnauthorizedOperation.CAM",
                            denial_text(decision, advice=False),
                            decision.advice, decision)
        return identity

    def _decide(self, identity, action: str, resource) -> Decision:
        """The decision on `action`, or on its legacy name when only that
        one is allowed; a deny of either name decides."""
        decision = self.account.authorize(identity, action, resource)
        legacy = LEGACY_ACTIONS.get(action)
        if legacy is None or decision.outcome is Outcome.EXPLICIT_DENY:
            return decision
        older = self.account.authorize(identity, legacy, resource)
        if older.outcome is Outcome.EXPLICIT_DENY or (
                older.allowed and not decision.allowed):
            return older
        return decision

    def _bindable(self, identity, role: Role | str) -> str:
        name = role.name if isinstance(role, Role) else role
        found = self.account.roles.get(name)
        if found is None:
            raise ScfError("ResourceNotFound.Role",
                           f"account {self.account.uin} has no role "
                           f"`{name}`", "create the role first")
        self._check_trust(found)
        self._check_pass_role(identity, found)
        return found.name

    def _check_trust(self, role: Role) -> None:
        trust = role.trust_decision(SCF_SERVICE)
        if trust:
            return
        raise ScfDenied(
            "InvalidParameterValue",
            f"role `{role.name}` cannot be an execution role: its trust "
            "policy does not admit `scf.qcloud.com`, so SCF could never "
            f"assume it (its entities: {', '.join(role.entities)})",
            "choose a role whose entity is SCF, or add "
            "`\"service\": [\"scf.qcloud.com\"]` to its trust policy",
            trust)

    def _check_pass_role(self, identity, role: Role) -> None:
        decision = self.account.authorize(identity, "cam:PassRole",
                                          role.resource)
        if decision:
            return
        raise ScfDenied(
            "UnauthorizedOperation.CAM",
            f"binding role `{role.name}` to a function needs `cam:PassRole` "
            f"on `{role.arn}`, which `{identity.name}` is not allowed "
            "(scflab checks this; see scflab.MODELLING_CHOICES)",
            decision.advice, decision)

    def _as_configuration_role(self, action: str, resource: Any,
                               purpose: str) -> Decision:
        role = self.qcs_role
        if role is None:
            raise ScfError(
                "FailedOperation.QcsRoleNotFound",
                f"SCF needs its configuration role `{QCS_ROLE}` to "
                f"{purpose}, and account {self.account.uin} has none",
                "authorize the service first: account.scf."
                "authorize_service(), the console's Grant button")
        try:
            session = self.account.assume_role(SCF_SERVICE, role,
                                               "scf-configuration")
        except StsDenied as refusal:
            raise ScfDenied("InternalError.GetStsTokenFailed",
                            f"SCF could not assume `{QCS_ROLE}`: "
                            f"{refusal.message}", refusal.hint,
                            refusal.decision) from refusal
        decision = self.account.authorize(session, action, resource)
        if not decision:
            raise ScfDenied(
                "UnauthorizedOperation.Role",
                f"`{QCS_ROLE}` may not {purpose}: "
                f"{denial_text(decision, advice=False)}",
                f"attach `{QCS_ROLE_POLICY}` to `{QCS_ROLE}` again: SCF "
                "relies on it", decision)
        return decision

    def _read_code(self, code: CosCode) -> None:
        bucket = self._bucket(code.bucket)
        self._as_configuration_role(
            "cos:GetObject", bucket.resource(code.key),
            f"read the code package `{code.key}` from `{bucket.full_name}`")
        if code.key not in bucket.objects:
            raise ScfError("ResourceNotFound.CosObject",
                           f"bucket `{bucket.full_name}` has no object "
                           f"`{code.key}`", "upload the package first")

    def _configure_trigger(self, function: Function, kind: str,
                           bucket: str | None) -> str:
        if kind == "cos":
            return self._cos_trigger(function, bucket)
        if kind == "apigw":
            resource = ResourceName("", "apigw", function.region,
                                    f"uin/{self.account.uin}", "service/*")
            for action in ("apigw:CreateService", "apigw:CreateApi"):
                self._as_configuration_role(
                    action, resource, f"create the API Gateway service and "
                    f"API for `{function.name}`")
            return f"API Gateway in {function.region}"
        return "timer"

    def _cos_trigger(self, function: Function, name: str | None) -> str:
        if name is None:
            raise ScfError("InvalidParameterValue.Cos",
                           "a COS trigger needs a bucket",
                           "pass bucket=\"uploads\"")
        bucket = self._bucket(name)
        if bucket.region != function.region:
            raise ScfError("InvalidParameterValue.CosBucketRegion",
                           f"bucket `{bucket.full_name}` is in "
                           f"{bucket.region}, the function in "
                           f"{function.region}",
                           "a COS trigger's bucket is in the function's "
                           "region")
        self._as_configuration_role(
            "cos:PutBucketNotification", bucket.resource(),
            f"write the trigger configuration of `{bucket.full_name}`")
        bucket.notifications.append(function.where)
        return bucket.full_name

    def _bucket(self, name: str):
        try:
            return self.account.cos.bucket(name)
        except CosError as error:
            raise ScfError("ResourceNotFound.Cos", error.message,
                           error.hint) from None


def _namespace_resource(account: Account, region: str, name: str
                        ) -> ResourceName:
    return ResourceName("", "scf", region, f"uin/{account.uin}",
                        f"namespace/{name}")
