"""STS AssumeRole: checking a request, issuing a role session.

Assuming a role needs two things, and scflab checks both, always:

1. **permission**: the caller's own policies allow `name/sts:AssumeRole` on
   the role's resource `qcs::cam::uin/<owner>:roleName/<name>` (a root
   account owns its roles, so it passes this check for them);
2. **trust**: the role's trust policy names the caller.

A Tencent Cloud service such as `scf.qcloud.com` has no policies of its own;
the trust policy alone decides for it.

The parameters are checked as STS documents them: RoleSessionName 2-128
characters of `[\\w+=,.@-]`; DurationSeconds at most 43,200 and at most the
role's own maximum; ExternalId 2-128 characters; a session policy that is a
valid CAM policy without `principal`. STS documents no shortest duration:
scflab asks for at least `MIN_DURATION` seconds and says that this is its
own rule. Tags are not modelled.

A `RoleSession` carries the `Credentials`. The account keeps every session
it issued, found again by secret id (`IssuedSessions`), which is how
credentials read from an environment reach authorization. After
`expired_time` every request made with them is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import unquote

from scflab.errors import PolicyError, StsError
from scflab.evaluation.request import Caller, CallerKind
from scflab.identity.clock import as_moment, iso_utc
from scflab.identity.credentials import Credentials, KeyMaker
from scflab.identity.errors import StsDenied
from scflab.identity.identities import Service
from scflab.identity.roles import (
    ASSUME_ROLE, EXTERNAL_ID_KEY, MAX_SESSION_DURATION, Role)
from scflab.language.model import Policy

if TYPE_CHECKING:
    from scflab.evaluation.decision import Decision
    from scflab.identity.account import Account

__all__ = ["RoleSession", "IssuedSessions", "assume_role",
           "DEFAULT_DURATION", "MIN_DURATION"]

#: DurationSeconds when none is given (STS's default).
DEFAULT_DURATION = 7200

#: scflab's shortest role session, in seconds: Tencent documents none.
MIN_DURATION = 900

_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,128}", re.ASCII)
_ROLE_ARN = re.compile(r"qcs::cam::uin/(\d+):(roleName|role)/(.+)")


class RoleSession:
    """A session of a role: who assumed it, until when, with what policy.

    As a caller it may do what the role's policies allow, narrowed by the
    session policy and the role's permission boundary, until its
    credentials expire. Its `repr`, `str` and HTML never show a whole
    secret.
    """

    def __init__(self, account: Account, role: Role, session_name: str,
                 credentials: Credentials, *, assumed_by: str,
                 issued_at: datetime, policy: Policy | None = None,
                 request_id: str = ""):
        self.account = account
        self.role = role
        self.session_name = session_name
        self.credentials = credentials
        self.assumed_by = assumed_by
        self.issued_at = issued_at
        self.policy = policy
        self.request_id = request_id

    @property
    def name(self) -> str:
        """`<role>/<session name>`, as explanations show the session."""
        return f"{self.role.name}/{self.session_name}"

    @property
    def caller(self) -> Caller:
        return Caller(CallerKind.ROLE_SESSION, self.role.owner_uin,
                      role=self.role.name, session=self.session_name,
                      app_id=self.account.app_id)

    @property
    def expires_at(self) -> datetime:
        return self.credentials.expires_at

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the credentials have expired (by the account's clock)."""
        return self.credentials.expired(now or self.account.clock.now())

    def client(self):
        """A `Client` that calls services with this session's credentials."""
        from scflab.scf.client import Client

        return Client.from_credentials(self.credentials, self.account)

    def _state(self) -> str:
        return "expired" if self.expired() else "valid"

    def __repr__(self) -> str:
        return (f"RoleSession(role='{self.role.name}', "
                f"session_name='{self.session_name}', "
                f"assumed_by='{self.assumed_by}', "
                f"credentials={self.credentials.tmp_secret_id.masked}, "
                f"expiration={self.credentials.expiration}, "
                f"{self._state()})")

    def __str__(self) -> str:
        lines = [f"role session `{self.session_name}` of role "
                 f"`{self.role.name}` ({self._state()})",
                 f"assumed by: {self.assumed_by}",
                 f"issued at: {iso_utc(self.issued_at)}"]
        if self.policy is not None:
            lines.append("session policy: narrows the role's permissions")
        lines += [f"{k}: {v}" for k, v in self.credentials.lines()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [("role", self.role.name), ("session name", self.session_name),
                ("assumed by", self.assumed_by),
                ("issued at", iso_utc(self.issued_at)),
                ("state", self._state()),
                ("session policy", "yes" if self.policy else "none")]
        rows += self.credentials.lines()
        cells = "".join(f"<tr><th>{escape(k)}</th><td><code>{escape(v)}"
                        "</code></td></tr>" for k, v in rows)
        return f"<table>{cells}</table>"


class IssuedSessions:
    """The role sessions an account's STS has issued, by secret id."""

    def __init__(self, keys: KeyMaker):
        self.keys = keys
        self._by_secret_id: dict[str, RoleSession] = {}

    def find(self, secret_id: str | None) -> RoleSession | None:
        """The session whose secret id is `secret_id`, or None."""
        if not isinstance(secret_id, str):
            return None
        return self._by_secret_id.get(secret_id)

    def issue(self, account: Account, role: Role, session_name: str, *,
              duration: int, assumed_by: str, issued_at: datetime,
              policy: Policy | None) -> RoleSession:
        expired_time = int(issued_at.timestamp()) + duration
        session = RoleSession(
            account, role, session_name, self.keys.credentials(expired_time),
            assumed_by=assumed_by, issued_at=issued_at, policy=policy,
            request_id=self.keys.request_id())
        secret_id = session.credentials.tmp_secret_id.reveal()
        self._by_secret_id[secret_id] = session
        return session

    def __iter__(self) -> Iterator[RoleSession]:
        return iter(tuple(self._by_secret_id.values()))

    def __len__(self) -> int:
        return len(self._by_secret_id)

    def __repr__(self) -> str:
        return f"IssuedSessions({len(self)} sessions)"


def assume_role(account: Account, caller, role: Role | str,
                session_name: str, duration_seconds: int = DEFAULT_DURATION,
                policy: Any = None, external_id: str | None = None,
                now: datetime | float | str | None = None) -> RoleSession:
    """Check an AssumeRole request on `account`'s role and issue a session.

    `caller` is an identity (root, sub-user, collaborator, role session) or
    a service (`"scf.qcloud.com"`). `role` is a `Role`, a role name or a
    RoleArn. `policy` is a session policy: JSON text, URL-encoded JSON
    text, a mapping or a `Policy`. `now` defaults to the account's clock.
    Raises `StsError` with STS's code, or `StsDenied` (code
    `UnauthorizedOperation`) carrying the decision that refused.
    """
    _check_session_name(session_name)
    _check_duration(duration_seconds)
    _check_external_id(external_id)
    session_policy = _session_policy(policy)
    found = _find_role(account, role)
    _check_role_duration(found, duration_seconds)
    identity = _identity(caller)
    moment = account.clock.now() if now is None else as_moment(now)
    permission, trust = _checks(identity, found, moment, external_id)
    if not trust or (permission is not None and not permission):
        raise _refusal(identity, found, permission, trust)
    return account.sessions.issue(
        account, found, session_name, duration=duration_seconds,
        assumed_by=identity.caller.principal, issued_at=moment,
        policy=session_policy)


def _checks(identity, role: Role, moment: datetime,
            external_id: str | None):
    context: dict[str, Any] = {"qcs:current_time": iso_utc(moment)}
    if external_id is not None:
        context[EXTERNAL_ID_KEY] = external_id
    trust = role.trust_decision(identity, context)
    if isinstance(identity, Service):
        return None, trust
    permission = identity.account.authorize(
        identity, ASSUME_ROLE, role.resource,
        {"qcs:current_time": iso_utc(moment)})
    return permission, trust


# Parameters.

def _check_session_name(name: Any) -> None:
    if isinstance(name, str) and _SESSION_NAME.fullmatch(name):
        return
    raise StsError(
        "InvalidParameter.ParamError",
        f"RoleSessionName `{name}` is not 2-128 characters of letters, "
        "digits and `_+=,.@-`",
        "name the session after who uses it, such as `deploy-42` or "
        "`alice@example.com`")


def _check_duration(seconds: Any) -> None:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise StsError("InvalidParameter.ParamError",
                       f"DurationSeconds `{seconds!r}` is not a whole "
                       "number of seconds",
                       f"give an integer such as `{DEFAULT_DURATION}`")
    if seconds > MAX_SESSION_DURATION:
        raise StsError("InvalidParameter.OverTimeError",
                       f"DurationSeconds `{seconds}` is longer than STS "
                       f"allows ({MAX_SESSION_DURATION} seconds, 12 hours)",
                       f"ask for at most {MAX_SESSION_DURATION} seconds")
    if seconds < MIN_DURATION:
        raise StsError("InvalidParameter.ParamError",
                       f"DurationSeconds `{seconds}` is shorter than "
                       f"scflab's minimum of {MIN_DURATION} seconds",
                       "Tencent documents no minimum; this one is scflab's "
                       "choice (see scflab.MODELLING_CHOICES)")


def _check_role_duration(role: Role, seconds: int) -> None:
    if seconds <= role.max_session_duration:
        return
    raise StsError("InvalidParameter.OverTimeError",
                   f"DurationSeconds `{seconds}` is longer than role "
                   f"`{role.name}` allows ({role.max_session_duration} "
                   "seconds)",
                   f"ask for at most {role.max_session_duration} seconds, "
                   "or raise the role's maximum session duration")


def _check_external_id(external_id: Any) -> None:
    if external_id is None:
        return
    if isinstance(external_id, str) and 2 <= len(external_id) <= 128:
        return
    raise StsError("InvalidParameter.ParamError",
                   f"ExternalId `{external_id}` is not 2-128 characters",
                   "use the value the role's owner gave you, or leave "
                   "ExternalId out")


def _session_policy(policy: Any) -> Policy | None:
    if policy is None:
        return None
    source, name = _policy_source(policy)
    from scflab.language.parser import parse_policy

    try:
        return parse_policy(source, kind="session", name=name)
    except PolicyError as error:
        raise _policy_refusal(error) from None


def _policy_source(policy: Any) -> tuple[Any, str | None]:
    if isinstance(policy, Policy):
        return policy.to_data(), policy.name
    if isinstance(policy, Mapping):
        return policy, None
    if isinstance(policy, str):
        text = policy.strip()
        return (text if text.startswith("{") else unquote(text)), None
    raise TypeError(f"a session policy is JSON text, URL-encoded JSON "
                    f"text, a mapping or a Policy, not "
                    f"`{type(policy).__name__}`")


def _policy_refusal(error: PolicyError) -> StsError:
    codes = [problem.code for problem in error.problems]
    code = "InvalidParameter.StrategyFormatError"
    if any("Length" in c for c in codes):
        code = "InvalidParameter.PolicyTooLong"
    elif codes and all(".Resource" in c for c in codes):
        code = "InvalidParameter.ResouceError"
    problems = "; ".join(f"{p.location}: {p.message}" for p in error.problems)
    hint = next((p.hint for p in error.problems if p.hint), None)
    if any("Principal" in c for c in codes):
        hint = ("a session policy only narrows the role session and names "
                "no principal: remove `principal`")
    return StsError(code, f"the session policy is not valid: {problems}",
                    hint)


# The role and the caller.

def _find_role(account: Account, role: Role | str) -> Role:
    if isinstance(role, Role):
        owner, key = role.owner_uin, role.name
    else:
        owner, key = _role_name(account, role)
    found = None
    if owner == account.uin:
        found = account.roles.get(key) or _role_by_id(account, key)
    if found is not None:
        return found
    roles = ", ".join(f"`{name}`" for name in account.roles) or "none yet"
    raise StsError("ResourceNotFound.RoleNotFound",
                   f"account {account.uin} has no role `{key}`",
                   f"check the name or RoleArn; its roles: {roles}")


def _role_name(account: Account, text: Any) -> tuple[str, str]:
    if not isinstance(text, str):
        raise TypeError(f"a role is a Role, a name or a RoleArn, not "
                        f"`{type(text).__name__}`")
    arn = _ROLE_ARN.fullmatch(text)
    if arn is None:
        return account.uin, text
    uin, _, name = arn.groups()
    return uin, name.rsplit("/", 1)[-1]


def _role_by_id(account: Account, role_id: str) -> Role | None:
    return next((r for r in account.roles.values() if r.role_id == role_id),
                None)


def _identity(caller):
    if isinstance(caller, str):
        return Service(caller.removeprefix("service-"))
    if isinstance(caller, Service) or hasattr(caller, "account"):
        return caller
    raise TypeError(f"`{caller!r}` cannot assume a role: give an identity "
                    "of an account (root, sub-user, collaborator, role "
                    "session) or a service such as `scf.qcloud.com`")


def _refusal(identity, role: Role, permission: Decision | None,
             trust: Decision) -> StsDenied:
    who = f"`{identity.caller.principal}`"
    target = f"role `{role.name}`"
    may = permission is None or permission.allowed
    if may:
        message = (f"the trust policy of {target} does not admit {who}"
                   + ("" if permission is None else
                      f", though its policies allow `{ASSUME_ROLE}` on it"))
        hint = (f"add {who} to the principal of the trust policy of "
                f"{target}; assuming a role needs both permission and "
                "trust")
    elif trust.allowed:
        message = (f"the trust policy of {target} admits {who}, but no "
                   f"policy of the caller allows `{ASSUME_ROLE}` on "
                   f"`{role.arn}`")
        hint = (f"attach a policy allowing `{ASSUME_ROLE}` on "
                f"`{role.arn}`; the trust policy alone is not enough")
    else:
        message = (f"{who} may not assume {target}: no policy of the "
                   f"caller allows `{ASSUME_ROLE}` on `{role.arn}`, and "
                   "the role's trust policy does not admit it")
        hint = ("assuming a role needs both: a policy of the caller that "
                "allows it, and a trust policy that names the caller")
    return StsDenied(message, hint, permission=permission, trust=trust)
