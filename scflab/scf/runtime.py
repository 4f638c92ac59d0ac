"""Running a function: the execution role, and how credentials arrive.

When a function has an execution role, SCF assumes it as `scf.qcloud.com`
(the trust policy alone decides) and hands the temporary credentials to the
code:

- a **code-package** function gets environment variables:
  `TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY`,
  `TENCENTCLOUD_SESSIONTOKEN`, beside the built-ins `TENCENTCLOUD_REGION`,
  `TENCENTCLOUD_APPID`, `TENCENTCLOUD_UIN`, `SCF_FUNCTIONNAME`,
  `SCF_FUNCTIONVERSION` and `TENCENTCLOUD_RUNENV=SCF`;
- an **image** function gets HTTP headers on its port 9000:
  `X-Scf-Secret-Id`, `X-Scf-Secret-Key`, `X-Scf-Session-Token`, with
  `X-Scf-Request-Id`, `X-Scf-Name`, `X-Scf-Namespace`, `X-Scf-Region`,
  `X-Scf-Appid`, `X-Scf-Uin`, `X-Scf-Memory`, `X-Scf-Timeout` and
  `X-Scf-Version`.

Without an execution role, none of the credential names is present.

In scflab the body is a Python callable. A code-package handler is called
as `handler(event, context)`; where SCF code reads `os.environ`, it reads
`context.env`, a mapping with the same names, so the notebook's own
process environment is never touched. An image handler is called as
`handler(request)` with `request.headers` and `request.body`. Reading one
name gives the real value, as `os.environ` would; printing either mapping
shows the secrets masked.

scflab asks STS for `min(7200, the role's maximum)` seconds for each
invocation, and every invocation gets a fresh role session; how long SCF
keeps its credentials is not documented. The handler runs synchronously in
the notebook's process: timeouts and memory are shown, not enforced.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from scflab.errors import ScfError, StsError
from scflab.identity.credentials import mask
from scflab.identity.errors import ScfDenied, StsDenied
from scflab.identity.identities import SCF_SERVICE
from scflab.identity.sts import DEFAULT_DURATION, RoleSession
from scflab.scf.client import ENV_NAMES, HEADER_NAMES, Call, Cloud

if TYPE_CHECKING:
    from scflab.scf.functions import Function
    from scflab.scf.service import ScfService

__all__ = ["Environment", "Headers", "Context", "ImageRequest", "Delivery",
           "Invocation", "run"]

_SECRET_NAMES = frozenset(n.lower() for n in ENV_NAMES + HEADER_NAMES)


class _MaskedMapping(Mapping[str, str]):
    """A read-only mapping that prints credential values masked."""

    def __init__(self, values: Mapping[str, str], cloud: Cloud):
        self._values = dict(values)
        self.cloud = cloud

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def masked(self) -> dict[str, str]:
        """Every name with its value, credentials masked."""
        return {name: _shown(name, value)
                for name, value in self._values.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked()!r})"


class Environment(_MaskedMapping):
    """The environment variables a code-package function sees."""


class Headers(_MaskedMapping):
    """HTTP headers, looked up without regard to case."""

    def __getitem__(self, name: str) -> str:
        wanted = name.lower()
        for key, value in self._values.items():
            if key.lower() == wanted:
                return value
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(
            key.lower() == name.lower() for key in self._values)


@dataclass(frozen=True)
class Context:
    """The second argument of a code-package handler."""

    request_id: str
    function_name: str
    function_version: str
    namespace: str
    region: str
    memory_limit_in_mb: int
    time_limit_in_ms: int
    env: Environment

    @property
    def cloud(self) -> Cloud:
        """Where this function's calls go (for `Client(..., cloud=…)`)."""
        return self.env.cloud


@dataclass(frozen=True)
class ImageRequest:
    """The HTTP request an image function receives for one event."""

    headers: Headers
    body: str
    method: str = "POST"

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def cloud(self) -> Cloud:
        return self.headers.cloud


@dataclass(frozen=True)
class Delivery:
    """How the credentials reached the code, values masked."""

    channel: str
    entries: tuple[tuple[str, str], ...]

    @property
    def credentials_given(self) -> bool:
        return any(name.lower() in _SECRET_NAMES for name, _ in self.entries)


class Invocation:
    """What happened when a function ran: role session, delivery, calls,
    and the return value or the error."""

    def __init__(self, function: Function, event: Any, invoked_by: str,
                 request_id: str, session: RoleSession | None,
                 delivery: Delivery, calls: list[Call]):
        self.function = function
        self.event = event
        self.invoked_by = invoked_by
        self.request_id = request_id
        self.session = session
        self.delivery = delivery
        self.calls = calls
        self.return_value: Any = None
        self.error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def explain(self) -> str:
        """Everything in plain text, secrets masked."""
        lines = [f"invocation {self.request_id} of {self.function.where} "
                 f"({self.function.kind}) by {self.invoked_by}",
                 self._role_line(),
                 f"credentials delivered as {self.delivery.channel}:"]
        lines += [f"  {name} = {value}"
                  for name, value in self.delivery.entries]
        lines.append("calls:" if self.calls else "calls: none")
        lines += [f"  {call}" for call in self.calls]
        lines.append(self._outcome_line())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"error={type(self.error).__name__}"
        return (f"Invocation('{self.function.where}', calls="
                f"{len(self.calls)}, {state})")

    def _role_line(self) -> str:
        if self.session is None:
            return "execution role: none, so the code got no credentials"
        return (f"execution role: {self.session.role.name}, role session "
                f"`{self.session.session_name}` "
                f"({self.session.credentials.tmp_secret_id.masked}, "
                f"expires {self.session.credentials.expiration})")

    def _outcome_line(self) -> str:
        if self.ok:
            return f"returned: {self.return_value!r}"
        return f"raised {type(self.error).__name__}: {self.error}"

    def _repr_html_(self) -> str:
        entries = "".join(f"<tr><td>{escape(n)}</td><td><code>{escape(v)}"
                          "</code></td></tr>"
                          for n, v in self.delivery.entries)
        calls = "".join(
            f"<tr><td>{'✔' if c.allowed else '✘'}</td>"
            f"<td>{escape(c.action)}</td><td>{escape(c.resource)}</td>"
            f"<td>{escape(_why(c))}</td></tr>" for c in self.calls)
        colour = "#1b7f3b" if self.ok else "#b3261e"
        return (f"<p><b>{escape(self.function.where)}</b> "
                f"({self.function.kind}), request {self.request_id}</p>"
                f"<p>{escape(self._role_line())}</p>"
                f"<p>credentials delivered as {self.delivery.channel}:</p>"
                f"<table>{entries}</table>"
                "<table><tr><th></th><th>action</th><th>resource</th>"
                f"<th>why</th></tr>{calls}</table>"
                f"<p style='color:{colour}'>"
                f"{escape(self._outcome_line())}</p>")


def run(scf: ScfService, function: Function, event: Any, invoked_by: str
        ) -> Invocation:
    """Run `function` once with `event`, as SCF would."""
    account = scf.account
    request_id = account.sessions.keys.request_id()
    session = _execution_session(scf, function)
    calls: list[Call] = []
    cloud = Cloud(account, calls)
    if function.image:
        argument = ImageRequest(_headers(function, session, request_id,
                                         cloud), json.dumps(event))
        mapping = argument.headers
        channel = "HTTP headers"
        call = (argument,)
    else:
        env = _environment(function, session, cloud)
        mapping = env
        channel = "environment variables"
        call = (event, _context(function, request_id, env))
    delivery = Delivery(channel, tuple(mapping.masked().items()))
    invocation = Invocation(function, event, invoked_by, request_id,
                            session, delivery, calls)
    try:
        invocation.return_value = function.handler(*call)
    except Exception as error:  # the function's own failure, shown
        invocation.error = error
    return invocation


def _execution_session(scf: ScfService, function: Function
                       ) -> RoleSession | None:
    if function.role is None:
        return None
    account = scf.account
    role = account.roles.get(function.role)
    name = f"scf-{function.namespace}-{function.name}"
    try:
        if role is None:
            raise StsError("ResourceNotFound.RoleNotFound",
                           f"role `{function.role}` no longer exists", None)
        duration = min(DEFAULT_DURATION, role.max_session_duration)
        return account.assume_role(SCF_SERVICE, role, name, duration)
    except StsDenied as refusal:
        raise ScfDenied("InternalError.GetStsTokenFailed",
                        f"SCF could not assume execution role "
                        f"`{function.role}`: {refusal.message}",
                        refusal.hint, refusal.decision) from refusal
    except StsError as refusal:
        raise ScfError("InternalError.GetStsTokenFailed",
                       f"SCF could not assume execution role "
                       f"`{function.role}`: {refusal.message}",
                       "bind an existing role whose trust policy admits "
                       "`scf.qcloud.com`") from refusal


def _environment(function: Function, session: RoleSession | None,
                 cloud: Cloud) -> Environment:
    account = cloud.account
    values = dict(function.environment)
    values.update({
        "TENCENTCLOUD_REGION": function.region,
        "TENCENTCLOUD_APPID": account.app_id,
        "TENCENTCLOUD_UIN": account.uin,
        "SCF_FUNCTIONNAME": function.name,
        "SCF_FUNCTIONVERSION": function.version,
        "TENCENTCLOUD_RUNENV": "SCF",
    })
    if session is not None:
        values.update(zip(ENV_NAMES, _revealed(session)))
    return Environment(values, cloud)


def _headers(function: Function, session: RoleSession | None,
             request_id: str, cloud: Cloud) -> Headers:
    account = cloud.account
    values = {}
    if session is not None:
        values.update(zip(HEADER_NAMES, _revealed(session)))
    values.update({
        "X-Scf-Request-Id": request_id,
        "X-Scf-Name": function.name,
        "X-Scf-Namespace": function.namespace,
        "X-Scf-Region": function.region,
        "X-Scf-Appid": account.app_id,
        "X-Scf-Uin": account.uin,
        "X-Scf-Memory": str(function.memory),
        "X-Scf-Timeout": str(function.timeout),
        "X-Scf-Version": function.version,
    })
    return Headers(values, cloud)


def _context(function: Function, request_id: str, env: Environment
             ) -> Context:
    return Context(request_id, function.name, function.version,
                   function.namespace, function.region, function.memory,
                   function.timeout * 1000, env)


def _revealed(session: RoleSession) -> tuple[str, str, str]:
    """The real values, handed to the code as SCF hands them."""
    credentials = session.credentials
    return (credentials.tmp_secret_id.reveal(),
            credentials.tmp_secret_key.reveal(),
            credentials.token.reveal())


def _shown(name: str, value: str) -> str:
    if name.lower() not in _SECRET_NAMES:
        return value
    return mask(value, "AKID")


def _why(call: Call) -> str:
    decision = call.decision
    if decision.reasons:
        return "decided by " + ", ".join(map(str, decision.reasons))
    parts = list(decision.notes) + ([decision.advice] if decision.advice
                                     else [])
    return "; ".join(parts) or decision.outcome.label
