"""Who acts in an account: the root, sub-users, collaborators, services.

Every identity has a `caller` (a `scflab.Caller`), so it can stand as the
principal of a `Request`, and a short `repr`. Policies are attached by the
`Account`, which keeps the limits; an identity only records their names.

- The **root account** owns every resource of the account and may do
  anything with it. No policy is attached to it.
- A **sub-user** is created by the root and starts with no access.
- A **collaborator** is another root account admitted as a sub-account: it
  keeps its own uin and is treated like a sub-user of this account.
- A **group** gives its policies to every member; a user joins at most ten.
- A **service** such as `scf.qcloud.com` acts only through roles it is
  trusted to assume.

Message recipients (CAM's fourth kind of account, with no access and no
policies) are not modelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scflab.evaluation.request import Caller, CallerKind

if TYPE_CHECKING:
    from scflab.identity.account import Account

__all__ = ["Root", "SubAccount", "SubUser", "Collaborator", "Group",
           "Service", "SCF_SERVICE"]


class Root:
    """The root account: owner of every resource of its account."""

    kind = "root account"

    def __init__(self, account: Account):
        self.account = account

    @property
    def name(self) -> str:
        return "root"

    @property
    def uin(self) -> str:
        return self.account.uin

    @property
    def caller(self) -> Caller:
        account = self.account
        return Caller(CallerKind.ROOT, account.uin, account.uin,
                      app_id=account.app_id)

    def __repr__(self) -> str:
        return f"Root(uin={self.uin}, app_id={self.account.app_id})"


class SubAccount:
    """A sub-account of a root: policies, groups and a boundary by name."""

    kind = "sub-account"

    def __init__(self, account: Account, name: str, uin: str):
        self.account = account
        self.name = name
        self.uin = uin
        self._policies: list[str] = []
        self._groups: list[Group] = []
        self.boundary: str | None = None

    @property
    def policies(self) -> tuple[str, ...]:
        """Names of the policies attached directly, in attachment order."""
        return tuple(self._policies)

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(self._groups)

    @property
    def caller(self) -> Caller:
        return Caller(CallerKind.SUB_USER, self.account.uin, self.uin,
                      app_id=self.account.app_id)

    def __repr__(self) -> str:
        parts = [f"'{self.name}'", f"uin={self.uin}",
                 f"policies={list(self._policies)}"]
        if self._groups:
            parts.append(f"groups={[g.name for g in self._groups]}")
        if self.boundary:
            parts.append(f"boundary='{self.boundary}'")
        return f"{type(self).__name__}({', '.join(parts)})"


class SubUser(SubAccount):
    """A user the root account created; it starts with no access."""

    kind = "sub-user"


class Collaborator(SubAccount):
    """Another root account acting in this account as a sub-account.

    `uin` is the collaborator's own root uin; policies of this account
    see it as `qcs::cam::uin/<this root>:uin/<collaborator uin>`.
    """

    kind = "collaborator"


class Group:
    """A user group; every member gets the group's policies."""

    def __init__(self, name: str, group_id: int):
        self.name = name
        self.group_id = group_id
        self._policies: list[str] = []
        self._members: list[SubAccount] = []

    @property
    def policies(self) -> tuple[str, ...]:
        return tuple(self._policies)

    @property
    def members(self) -> tuple[SubAccount, ...]:
        return tuple(self._members)

    def __repr__(self) -> str:
        return (f"Group('{self.name}', id={self.group_id}, "
                f"members={[m.name for m in self._members]}, "
                f"policies={list(self._policies)})")


class Service:
    """A Tencent Cloud service as a principal, such as `scf.qcloud.com`."""

    kind = "service"

    def __init__(self, domain: str):
        self.domain = domain

    @property
    def name(self) -> str:
        return self.domain

    @property
    def caller(self) -> Caller:
        return Caller(CallerKind.SERVICE, service=self.domain)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Service) and other.domain == self.domain

    def __hash__(self) -> int:
        return hash(self.domain)

    def __repr__(self) -> str:
        return f"Service('{self.domain}')"


#: Serverless Cloud Function, as role trust policies name it.
SCF_SERVICE = Service("scf.qcloud.com")
