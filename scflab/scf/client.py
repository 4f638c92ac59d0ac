"""How code with credentials calls Tencent Cloud services.

Function code builds a `Client` from what SCF handed it (environment
variables or `X-Scf-*` headers) and calls services through it, as it would
with the Tencent Cloud SDK:

    def handler(event, context):
        client = Client.from_env(context.env)
        return client.cos.get_object("uploads", "cat.jpg")

Each call reaches the account (a `Cloud`) with the secret id, secret key
and token the code read. The account finds the role session it issued for
that secret id, checks that the key and token belong to it, and decides the
call as that session with `Account.authorize`. A refused call raises
`AccessDenied`, whose message starts as Tencent's denials do and carries
the `Decision`. Every call, allowed or not, is logged for the invocation
to show.

Codes (Tencent Cloud API's common codes): no credentials or an unknown
secret id, `AuthFailure.SecretIdNotFound`; a key that does not match,
`AuthFailure.SignatureFailure`; a missing or wrong token,
`AuthFailure.TokenFailure`; a refusal by CAM (expired credentials
included), `AuthFailure.UnauthorizedOperation`, or `AccessDenied` for COS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping

from scflab.evaluation.decision import Decision, Outcome
from scflab.evaluation.request import Request
from scflab.identity.credentials import Credentials, Secret
from scflab.identity.errors import AccessDenied
from scflab.language.resources import ResourceName

if TYPE_CHECKING:
    from scflab.identity.account import Account

__all__ = ["Cloud", "Client", "CosClient", "Call", "ENV_NAMES",
           "HEADER_NAMES"]

#: Where SCF puts the credentials for a code-package function.
ENV_NAMES = ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY",
             "TENCENTCLOUD_SESSIONTOKEN")

#: Where SCF puts the credentials for an image function.
HEADER_NAMES = ("X-Scf-Secret-Id", "X-Scf-Secret-Key", "X-Scf-Session-Token")


@dataclass(frozen=True)
class Call:
    """One call code made: what it asked for and what CAM decided."""

    action: str
    resource: str
    decision: Decision
    code: str | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    def __str__(self) -> str:
        text = (f"{self.decision.outcome.label.upper()}: {self.action} on "
                f"{self.resource}")
        if self.decision.reasons:
            text += " (decided by " + ", ".join(
                map(str, self.decision.reasons)) + ")"
        if self.code:
            text += f" [{self.code}]"
        return text


class Cloud:
    """An account as API callers reach it, with a log of their calls."""

    def __init__(self, account: Account, log: list[Call] | None = None):
        self.account = account
        self.log = log if log is not None else []

    def perform(self, credentials: tuple[Secret | None, ...],
                action: str, resource: str | ResourceName,
                operation: Callable[[], Any] | None = None,
                context: Mapping[str, Any] | None = None,
                denied_code: str = "AuthFailure.UnauthorizedOperation"):
        """Decide a call and, if allowed, run `operation` and return its
        result (or the `Decision` when there is no operation)."""
        session, code, why = self._identify(*credentials)
        if session is None:
            decision = _unauthenticated(action, resource, why)
        else:
            decision = self.account.authorize(session, action, resource,
                                              context)
            code = None if decision else denied_code
        self.log.append(Call(action, str(resource), decision, code))
        if not decision:
            raise AccessDenied(decision, code)
        return decision if operation is None else operation()

    def _identify(self, secret_id, secret_key, token):
        if secret_id is None:
            return None, "AuthFailure.SecretIdNotFound", (
                "the request carries no credentials: without an execution "
                "role SCF hands the code no secret id")
        session = self.account.sessions.find(secret_id.reveal())
        if session is None:
            return None, "AuthFailure.SecretIdNotFound", (
                f"secret id `{secret_id.masked}` was not issued by "
                f"account {self.account.uin}")
        issued = session.credentials
        if secret_key is None or not issued.tmp_secret_key.matches(
                secret_key.reveal()):
            return None, "AuthFailure.SignatureFailure", (
                "the secret key does not belong to the secret id, so the "
                "request's signature is wrong")
        if token is None or not issued.token.matches(token.reveal()):
            return None, "AuthFailure.TokenFailure", (
                "temporary credentials need their own session token, and "
                "the token given is missing or wrong")
        return session, None, None

    def __repr__(self) -> str:
        return f"Cloud(account={self.account.uin}, calls={len(self.log)})"


class Client:
    """Calls services with one set of credentials; see the module text.

    The secret key and token are kept as `Secret`s, so printing a client
    shows them masked.
    """

    def __init__(self, secret_id: str | None, secret_key: str | None,
                 token: str | None = None, *, cloud: Cloud | Account):
        self.secret_id = Secret(secret_id, "AKID") if secret_id else None
        self._secret_key = Secret(secret_key) if secret_key else None
        self._token = Secret(token) if token else None
        self.cloud = cloud if isinstance(cloud, Cloud) else Cloud(cloud)

    @classmethod
    def from_env(cls, env: Mapping[str, str], cloud: Cloud | None = None
                 ) -> Client:
        """A client from `TENCENTCLOUD_SECRETID` and its two companions.

        `env` is what a code-package function gets as `context.env`; it
        carries the cloud it belongs to. For another mapping pass `cloud`.
        """
        return cls(*(env.get(name) for name in ENV_NAMES),
                   cloud=_cloud_of(env, cloud))

    @classmethod
    def from_headers(cls, headers: Mapping[str, str],
                     cloud: Cloud | None = None) -> Client:
        """A client from the `X-Scf-Secret-Id` header and its companions."""
        return cls(*(_header(headers, name) for name in HEADER_NAMES),
                   cloud=_cloud_of(headers, cloud))

    @classmethod
    def from_credentials(cls, credentials: Credentials,
                         cloud: Cloud | Account) -> Client:
        return cls(credentials.tmp_secret_id.reveal(),
                   credentials.tmp_secret_key.reveal(),
                   credentials.token.reveal(), cloud=cloud)

    def call(self, action: str, resource: str | ResourceName = "*",
             context: Mapping[str, Any] | None = None) -> Decision:
        """Call `action` on `resource`; the `Decision` if allowed.

        Raises `AccessDenied` when refused.
        """
        return self.cloud.perform(self._credentials(), action, resource,
                                  context=context)

    @property
    def cos(self) -> CosClient:
        return CosClient(self)

    def _credentials(self):
        return self.secret_id, self._secret_key, self._token

    def __repr__(self) -> str:
        shown = self.secret_id.masked if self.secret_id else None
        return (f"Client(secret_id={shown!r}, "
                f"account={self.cloud.account.uin})")


class CosClient:
    """COS through a `Client`: every call decided as the client's session."""

    def __init__(self, client: Client):
        self._client = client
        self._cos = client.cloud.account.cos

    def get_object(self, bucket: str, key: str) -> Any:
        found = self._cos.bucket(bucket)
        return self._do("cos:GetObject", found.resource(key),
                        lambda: found.read(key))

    def put_object(self, bucket: str, key: str, body: Any) -> None:
        found = self._cos.bucket(bucket)
        self._do("cos:PutObject", found.resource(key),
                 lambda: found.objects.__setitem__(key, body))

    def delete_object(self, bucket: str, key: str) -> None:
        found = self._cos.bucket(bucket)
        self._do("cos:DeleteObject", found.resource(key),
                 lambda: found.objects.pop(key, None))

    def list_objects(self, bucket: str, prefix: str = "") -> list[str]:
        found = self._cos.bucket(bucket)
        return self._do("cos:GetBucket", found.resource(),
                        lambda: found.keys(prefix))

    def _do(self, action: str, resource: ResourceName,
            operation: Callable[[], Any]) -> Any:
        client = self._client
        return client.cloud.perform(client._credentials(), action, resource,
                                    operation, denied_code="AccessDenied")


def _unauthenticated(action: str, resource, why: str) -> Decision:
    request = Request(action, str(resource))
    return Decision(request, Outcome.IMPLICIT_DENY, notes=(why,),
                    advice="call with the credentials SCF handed the code; "
                    "a function gets them only with an execution role")


def _cloud_of(mapping: Mapping[str, str], cloud: Cloud | None) -> Cloud:
    found = cloud or getattr(mapping, "cloud", None)
    if found is None:
        raise TypeError("this mapping does not say which cloud it came from:"
                        " pass cloud=context.cloud (or an Account)")
    return found if isinstance(found, Cloud) else Cloud(found)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    if name in headers:
        return headers[name]
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
