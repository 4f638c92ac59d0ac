"""A Tencent Cloud root account: its identities, policies, roles and time.

    >>> account = Account("100000000001", "1250000000")
    >>> mei = account.create_user("mei")
    >>> account.attach_policy("QcloudSCFReadOnlyAccess", to=mei)
    >>> account.authorize(mei, "scf:ListFunctions").allowed
    True

The account keeps CAM's documented limits: 1,500 custom policies, 200
policies attached to one user, group or role, 1,000 sub-accounts (sub-users
and collaborators together), 300 groups, 10 groups a user, 1,000 roles.
Crossing one raises `LimitExceeded`; other refusals raise `CamError`, each
with CAM's error code and a hint.

Names of policies and roles are 1-128 characters of letters, digits and
`+=,.@-_`, as CAM documents; scflab applies the same rule to users and
groups. Policies are attached by name, so a changed custom policy applies
at once wherever it is attached. Preset policies (`QcloudSCFFullAccess` …)
are available by name without being created.

The account's SCF and COS live in `account.scf` and `account.cos`, loaded on
first use. Not modelled: message recipients, MFA, access keys of
sub-users, policy versions, deleting users and groups.
"""

from __future__ import annotations

import re
from functools import cached_property
from html import escape
from types import MappingProxyType
from typing import Any, Mapping

from scflab.evaluation.decision import Decision
from scflab.evaluation.request import Request
from scflab.identity import authorization, sts
from scflab.identity.clock import Clock, iso_utc
from scflab.identity.credentials import KeyMaker
from scflab.identity.errors import CamError, LimitExceeded
from scflab.identity.identities import (
    Collaborator, Group, Root, SubAccount, SubUser)
from scflab.identity.roles import MAX_SESSION_DURATION, Role, RoleType
from scflab.language.model import Policy, PolicyKind
from scflab.language.resources import ResourceName

__all__ = ["Account", "MAX_CUSTOM_POLICIES", "MAX_ATTACHED_POLICIES",
           "MAX_SUB_ACCOUNTS", "MAX_GROUPS", "MAX_GROUPS_PER_USER",
           "MAX_ROLES"]

MAX_CUSTOM_POLICIES = 1500
MAX_ATTACHED_POLICIES = 200
MAX_SUB_ACCOUNTS = 1000
MAX_GROUPS = 300
MAX_GROUPS_PER_USER = 10
MAX_ROLES = 1000

_NAME = re.compile(r"[\w+=,.@-]{1,128}", re.ASCII)
_UIN = re.compile(r"[1-9]\d{4,19}")
_FIRST_ROLE_ID = 4611686018427387905


class Account:
    """A root account that owns resources and holds identities and policies.

    `uin` is the root account's id and `app_id` the id COS names buckets
    with. `clock` defaults to the computer's time (`Clock()`); pass a
    `ManualClock` to make times reproducible. `seed` fixes the generator of
    credentials and ids (the uin by default).
    """

    def __init__(self, uin: str | int, app_id: str | int, *,
                 name: str | None = None, clock: Clock | None = None,
                 seed: object = None):
        self.uin = _uin(uin, "uin")
        self.app_id = _uin(app_id, "app_id")
        self.name = name or f"account {self.uin}"
        self.clock = clock or Clock()
        self.root = Root(self)
        self.sessions = sts.IssuedSessions(
            KeyMaker(self.uin if seed is None else seed))
        self._users: dict[str, SubAccount] = {}
        self._groups: dict[str, Group] = {}
        self._roles: dict[str, Role] = {}
        self._policies: dict[str, Policy] = {}
        self._descriptions: dict[str, str] = {}
        self._presets: dict[str, Policy] = {}
        self._creators: dict[str, str] = {}

    # Identities.

    @property
    def users(self) -> Mapping[str, SubAccount]:
        """Sub-users and collaborators by name (read-only)."""
        return MappingProxyType(self._users)

    @property
    def groups(self) -> Mapping[str, Group]:
        return MappingProxyType(self._groups)

    @property
    def roles(self) -> Mapping[str, Role]:
        return MappingProxyType(self._roles)

    def create_user(self, name: str, uin: str | int | None = None
                    ) -> SubUser:
        """Create a sub-user; it starts with no access."""
        uin = self._new_sub_account(name, uin)
        user = SubUser(self, name, uin)
        self._users[name] = user
        return user

    def add_collaborator(self, name: str, uin: str | int) -> Collaborator:
        """Admit another root account (`uin`) as a collaborator."""
        if uin is None:
            raise CamError("InvalidParameter.UinError",
                           "a collaborator needs its own root uin",
                           "give the uin of the account you invite")
        uin = self._new_sub_account(name, uin)
        collaborator = Collaborator(self, name, uin)
        self._users[name] = collaborator
        return collaborator

    def user(self, name: str) -> SubAccount:
        """The sub-user or collaborator called `name`."""
        return _lookup(self._users, name, "ResourceNotFound.UserNotExist",
                       "sub-user or collaborator")

    def create_group(self, name: str) -> Group:
        """Create an empty user group."""
        _check_name(name, "group", "InvalidParameter.ParamError")
        _check_new(name, self._groups, "InvalidParameter.GroupNameInUse",
                   "group")
        _check_room(len(self._groups), MAX_GROUPS,
                    "InvalidParameter.GroupFull", "groups an account has")
        group = Group(name, len(self._groups) + 1)
        self._groups[name] = group
        return group

    def group(self, name: str) -> Group:
        return _lookup(self._groups, name, "ResourceNotFound.GroupNotExist",
                       "group")

    def add_to_group(self, user: SubAccount | str, group: Group | str
                     ) -> None:
        """Make `user` a member of `group` (at most ten groups a user)."""
        user, group = self._own_user(user), self._own_group(group)
        if group in user._groups:
            return
        _check_room(len(user._groups), MAX_GROUPS_PER_USER,
                    "InvalidParameter.UserGroupFull",
                    f"groups `{user.name}` belongs to")
        user._groups.append(group)
        group._members.append(user)

    def remove_from_group(self, user: SubAccount | str, group: Group | str
                          ) -> None:
        user, group = self._own_user(user), self._own_group(group)
        if group in user._groups:
            user._groups.remove(group)
            group._members.remove(user)

    # Roles.

    def create_role(self, name: str, trust: Any, *,
                    policies: tuple[Any, ...] = (),
                    type: RoleType | str = RoleType.USER,
                    max_session_duration: int = MAX_SESSION_DURATION,
                    description: str = "") -> Role:
        """Create a role with a trust policy and, optionally, policies.

        `trust` is a trust policy: JSON text, a mapping or a `Policy`
        (see `scflab.identity.roles.trust_policy`). `max_session_duration`
        caps the sessions' DurationSeconds (at most 43,200).
        """
        _check_name(name, "role", "InvalidParameter.RoleNameError")
        _check_new(name, self._roles, "InvalidParameter.RoleNameInUse",
                   "role")
        _check_room(len(self._roles), MAX_ROLES, "InvalidParameter.RoleFull",
                    "roles an account has")
        _check_session_limit(max_session_duration)
        _check_description(description)
        role = Role(name, _trust(trust, name), owner_uin=self.uin,
                    role_id=str(_FIRST_ROLE_ID + len(self._roles)),
                    type=type, max_session_duration=max_session_duration,
                    description=description)
        self._roles[name] = role
        for policy in policies:
            self.attach_policy(policy, to=role)
        return role

    def role(self, name: str) -> Role:
        return _lookup(self._roles, name, "InvalidParameter.RoleNotExist",
                       "role")

    def update_trust_policy(self, role: Role | str, trust: Any) -> Role:
        """Replace who may assume `role` (CAM's UpdateAssumeRolePolicy)."""
        role = self._own_role(role)
        role.trust = _trust(trust, role.name)
        return role

    def delete_role(self, role: Role | str) -> None:
        """Delete a role; its sessions may do nothing from then on."""
        role = self._own_role(role)
        del self._roles[role.name]

    # Policies.

    def create_policy(self, name: str, document: Any,
                      description: str = "") -> Policy:
        """Create a custom policy from JSON text, a mapping or a `Policy`.

        Raises `PolicyError` listing every problem of an invalid document.
        """
        _check_name(name, "policy", "InvalidParameter.PolicyNameError")
        if name in self._policies or self._is_preset(name):
            raise CamError("FailedOperation.PolicyNameInUse",
                           f"a policy named `{name}` already exists",
                           "choose another name, or attach the existing "
                           "policy")
        _check_room(len(self._policies), MAX_CUSTOM_POLICIES,
                    "FailedOperation.PolicyFull", "custom policies")
        _check_description(description)
        policy = _identity_policy(document, name)
        self._policies[name] = policy
        self._descriptions[name] = description
        return policy

    def update_policy(self, name: str, document: Any) -> Policy:
        """Replace a custom policy's document; it applies at once."""
        if name not in self._policies:
            self.policy(name)
            raise CamError("InvalidParameter.PolicyIdNotExist",
                           f"`{name}` is a preset policy, which cannot be "
                           "changed", "create a custom policy instead")
        self._policies[name] = _identity_policy(document, name)
        return self._policies[name]

    def policy(self, name: str) -> Policy:
        """The custom or preset policy called `name`."""
        if name in self._policies:
            return self._policies[name]
        if name not in self._presets:
            self._presets[name] = _preset(name, list(self._policies))
        return self._presets[name]

    @property
    def custom_policies(self) -> Mapping[str, Policy]:
        return MappingProxyType(self._policies)

    def attach_policy(self, policy: Any, to: SubAccount | Group | Role
                      ) -> None:
        """Attach a policy (a name or a named `Policy`) to a user, group
        or role; attaching it again changes nothing."""
        name = self._policy_name(policy)
        holder = self._holder(to)
        if name in holder._policies:
            return
        _check_room(len(holder._policies), MAX_ATTACHED_POLICIES,
                    "InvalidParameter.AttachmentFull",
                    f"policies attached to `{holder.name}`")
        holder._policies.append(name)

    def detach_policy(self, policy: Any, target: SubAccount | Group | Role
                      ) -> None:
        name = self._policy_name(policy)
        holder = self._holder(target)
        if name in holder._policies:
            holder._policies.remove(name)

    def set_boundary(self, target: SubAccount | Role, policy: Any) -> None:
        """Limit a sub-account or role to what `policy` also allows.

        A permission boundary grants nothing: a request must be allowed by
        the target's policies and by the boundary.
        """
        holder = self._holder(target)
        if isinstance(holder, Group):
            raise CamError("InvalidParameter.ParamError",
                           "a permission boundary applies to a sub-account "
                           f"or a role, not to group `{holder.name}`",
                           "set it on each member instead")
        if isinstance(holder, Role) and \
                holder.type is RoleType.SERVICE_LINKED:
            raise CamError(
                "InvalidParameter.ServiceLinkedRoleCantUsePermissionBoundary",
                f"role `{holder.name}` is service-linked and takes no "
                "permission boundary", "set boundaries on other roles")
        holder.boundary = self._policy_name(policy)

    def remove_boundary(self, target: SubAccount | Role) -> None:
        self._holder(target).boundary = None

    # Deciding.

    def authorize(self, identity, action: str,
                  resource: str | ResourceName = "*",
                  context: Mapping[str, Any] | None = None) -> Decision:
        """Decide whether `identity` may do `action` on `resource`, and why.

        `identity` is `account.root`, a sub-user, a collaborator, a role
        session or a role (read as a session without a session policy).
        What applies to it is gathered and read in layers (see
        `scflab.identity.authorization`): its policies and its groups'
        (or its role's), then any permission boundary, then any session
        policy. When `context` has no `qcs:current_time`, the account's
        clock gives it.
        """
        self._check_member(identity)
        request = Request(action, str(resource), identity.caller,
                          self._context(context))
        return authorization.authorize(self, identity, request)

    def assume_role(self, caller, role: Role | str, session_name: str,
                    duration_seconds: int = sts.DEFAULT_DURATION,
                    policy: Any = None, external_id: str | None = None,
                    now: Any = None) -> sts.RoleSession:
        """Ask STS for a session of `role`; see `scflab.identity.sts`.

        Both must hold: `caller` may call `name/sts:AssumeRole` on the
        role's resource, and the role's trust policy admits `caller` (a
        service such as `"scf.qcloud.com"` needs only the trust policy).
        Raises `StsError` for a bad parameter or an unknown role, and
        `StsDenied` (code `UnauthorizedOperation`, with `.decision`) when a
        check fails.
        """
        return sts.assume_role(self, caller, role, session_name,
                               duration_seconds, policy, external_id, now)

    # Resources.

    @cached_property
    def scf(self):
        """This account's Serverless Cloud Function: namespaces, functions,
        service authorization and invocation."""
        from scflab.scf.service import ScfService

        return ScfService(self)

    @cached_property
    def cos(self):
        """This account's Cloud Object Storage buckets."""
        from scflab.scf.cos import CosService

        return CosService(self)

    def record_creator(self, resource: ResourceName | str, identity) -> None:
        """Remember who created `resource`; it gives them no access."""
        self._creators[str(resource)] = identity.caller.principal

    def creator_of(self, resource: ResourceName | str) -> str | None:
        """The principal that created `resource`, if the account knows."""
        return self._creators.get(str(resource))

    # Display.

    def __repr__(self) -> str:
        return (f"Account(uin={self.uin}, app_id={self.app_id}, "
                f"name='{self.name}', users={len(self._users)}, "
                f"groups={len(self._groups)}, roles={len(self._roles)}, "
                f"custom_policies={len(self._policies)})")

    def _repr_html_(self) -> str:
        rows = [
            ("root", f"uin {self.uin}, app id {self.app_id}"),
            ("sub-users", _names(u for u in self._users.values()
                                 if isinstance(u, SubUser))),
            ("collaborators", _names(u for u in self._users.values()
                                     if isinstance(u, Collaborator))),
            ("groups", _names(self._groups.values())),
            ("roles", _names(self._roles.values())),
            ("custom policies", ", ".join(self._policies) or "(none)"),
            ("time", iso_utc(self.clock.now())),
        ]
        cells = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>"
                        for k, v in rows)
        return f"<b>{escape(self.name)}</b><table>{cells}</table>"

    # Checks and lookups.

    def _new_sub_account(self, name: str, uin: Any) -> str:
        _check_name(name, "user", "InvalidParameter.UserNameIllegal")
        _check_new(name, self._users, "InvalidParameter.SubUserNameInUse",
                   "sub-user or collaborator")
        _check_room(len(self._users), MAX_SUB_ACCOUNTS,
                    "InvalidParameter.SubUserFull", "sub-accounts")
        if uin is None:
            return self._free_uin()
        uin = _uin(uin, "uin")
        taken = {u.uin for u in self._users.values()} | {self.uin}
        if uin in taken:
            raise CamError("InvalidParameter.UinError",
                           f"uin `{uin}` is already in account {self.uin}",
                           "each sub-account has its own uin")
        return uin

    def _free_uin(self) -> str:
        taken = {u.uin for u in self._users.values()}
        candidate = int(self.uin) + 1
        while str(candidate) in taken:
            candidate += 1
        return str(candidate)

    def _is_preset(self, name: str) -> bool:
        from scflab.presets import preset_policies

        return name in preset_policies()

    def _policy_name(self, policy: Any) -> str:
        if isinstance(policy, str):
            self.policy(policy)
            return policy
        if isinstance(policy, Policy) and policy.name:
            known = self._policies.get(policy.name)
            if known is None and not self._is_preset(policy.name):
                self.create_policy(policy.name, policy)
            elif known is not None and known != policy:
                raise CamError("FailedOperation.PolicyNameInUse",
                               f"another policy is already named "
                               f"`{policy.name}`",
                               "attach it by name, or use update_policy")
            return policy.name
        name = getattr(policy, "name", None)
        if callable(getattr(policy, "policy", None)) and name:
            return self._policy_name(name)
        raise CamError("InvalidParameter.PolicyIdError",
                       f"`{policy!r}` is not a policy name or a named policy",
                       "give the policy's name, or create it first with "
                       "create_policy")

    def _holder(self, target: Any) -> SubAccount | Group | Role:
        if isinstance(target, (SubAccount, Group, Role)):
            if target in (self._users.get(target.name),
                          self._groups.get(target.name),
                          self._roles.get(target.name)):
                return target
            raise CamError("InvalidParameter.ParamError",
                           f"`{target.name}` is not part of account "
                           f"{self.uin}", "use this account's identities")
        if isinstance(target, Root):
            raise CamError("InvalidParameter.ParamError",
                           "no policy is attached to a root account: it may "
                           "do anything with what it owns",
                           "attach policies to sub-users, groups or roles")
        if isinstance(target, sts.RoleSession):
            raise CamError("InvalidParameter.ParamError",
                           "policies attach to a role, not to a role session",
                           f"attach it to role `{target.role.name}`")
        raise CamError("InvalidParameter.ParamError",
                       f"`{target!r}` cannot have policies",
                       "give a sub-user, collaborator, group or role")

    def _own_user(self, user: SubAccount | str) -> SubAccount:
        if isinstance(user, str):
            return self.user(user)
        if not isinstance(user, SubAccount):
            raise CamError("InvalidParameter.UserNotExist",
                           f"`{user!r}` is not a sub-user or collaborator",
                           "only sub-accounts join groups")
        return self._holder(user)

    def _own_group(self, group: Group | str) -> Group:
        if isinstance(group, str):
            return self.group(group)
        if not isinstance(group, Group):
            raise CamError("InvalidParameter.GroupNotExist",
                           f"`{group!r}` is not a group",
                           "give a group or its name")
        return self._holder(group)

    def _own_role(self, role: Role | str) -> Role:
        return self.role(role if isinstance(role, str) else role.name)

    def _check_member(self, identity: Any) -> None:
        if not isinstance(identity, (Root, SubAccount, Role,
                                     sts.RoleSession)):
            raise TypeError(f"`{identity!r}` is not an identity of an "
                            "account: give account.root, a sub-user, a "
                            "collaborator, a role or a role session")
        if isinstance(identity, Role):
            mine = self._roles.get(identity.name) is identity
        else:
            mine = identity.account is self
        if not mine:
            raise CamError("InvalidParameter.ParamError",
                           f"`{identity!r}` belongs to another account",
                           "ask the account it belongs to")

    def _context(self, context: Mapping[str, Any] | None) -> dict:
        values = dict(context or {})
        values.setdefault("qcs:current_time", iso_utc(self.clock.now()))
        return values


# Module-level checks, shared by the methods above.

def _uin(value: Any, what: str) -> str:
    text = str(value)
    if isinstance(value, bool) or not _UIN.fullmatch(text):
        raise CamError("InvalidParameter.UinError",
                       f"{what} `{value}` is not an account id",
                       "account ids are digits, such as `100000000001`")
    return text


def _check_name(name: Any, what: str, code: str) -> None:
    if isinstance(name, str) and _NAME.fullmatch(name):
        return
    raise CamError(code, f"{what} name `{name}` is not 1-128 characters of "
                   "letters, digits and `+=,.@-_`",
                   f"choose a name such as `scf-{what}-1`")


def _check_new(name: str, existing: Mapping, code: str, what: str) -> None:
    if name in existing:
        raise CamError(code, f"a {what} named `{name}` already exists",
                       "choose another name")


def _check_room(count: int, limit: int, code: str, what: str) -> None:
    if count >= limit:
        raise LimitExceeded(code, f"the {what} are at CAM's limit of "
                            f"{limit}", "remove one before adding another")


def _check_description(description: str) -> None:
    if len(description.encode()) > 300:
        raise CamError("InvalidParameter.DescriptionLengthOverlimit",
                       "a description is longer than 300 bytes",
                       "shorten it")


def _check_session_limit(seconds: Any) -> None:
    if isinstance(seconds, int) and not isinstance(seconds, bool) and \
            sts.MIN_DURATION <= seconds <= MAX_SESSION_DURATION:
        return
    raise CamError("InvalidParameter.ParamError",
                   f"maximum session duration `{seconds}` is outside "
                   f"{sts.MIN_DURATION}-{MAX_SESSION_DURATION} seconds",
                   f"give whole seconds, at most {MAX_SESSION_DURATION}")


def _lookup(found: Mapping, name: str, code: str, what: str):
    if name in found:
        return found[name]
    import difflib

    close = difflib.get_close_matches(name, list(found), n=1)
    hint = f"did you mean `{close[0]}`?" if close else \
        "known: " + (", ".join(f"`{n}`" for n in found) or "none yet")
    raise CamError(code, f"there is no {what} named `{name}`", hint)


def _identity_policy(document: Any, name: str) -> Policy:
    from scflab.language.parser import parse_policy

    if isinstance(document, Policy):
        if document.kind is PolicyKind.IDENTITY:
            return document.with_name(name)
        document = document.to_data()
    return parse_policy(document, kind="identity", name=name)


def _trust(trust: Any, role: str) -> Policy:
    from scflab.language.parser import parse_policy

    if isinstance(trust, Policy):
        if trust.kind is PolicyKind.TRUST:
            return trust.with_name(trust.name or f"trust policy of {role}")
        trust = trust.to_data()
    return parse_policy(trust, kind="trust", name=f"trust policy of {role}")


def _preset(name: str, custom: list[str]) -> Policy:
    from scflab.presets import preset

    try:
        return preset(name).policy()
    except KeyError as error:
        text = error.args[0]
        if custom:
            text += "; custom policies: " + ", ".join(custom)
        raise CamError("InvalidParameter.PolicyIdNotExist", text,
                       "create it with create_policy, or check the "
                       "spelling") from None


def _names(items) -> str:
    return ", ".join(item.name for item in items) or "(none)"
