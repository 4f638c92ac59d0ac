"""Who asks for what: the caller and the request CAM decides on.

A principal is written as CAM writes it:

- `qcs::cam::uin/<root>:uin/<sub>`: a sub-user (a root account when both
  uins are the same); `qcs::cam::uin/<root>:root` is the root account;
- `qcs::cam::uin/<root>:roleName/<role>`: a session of a role;
- a service domain such as `scf.qcloud.com`: a Tencent Cloud service.

Identities of scflab's account model turn themselves into a `Caller` through
a `caller` attribute, so a `Request` can name either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from scflab.language.actions import ActionPattern, normalise_action
from scflab.language.resources import ResourceName

__all__ = ["CallerKind", "Caller", "Request", "RequestError"]

_CAM = re.compile(r"qcs::cam::uin/(\d+):(?:(root)|uin/(\d+)"
                  r"|roleName/([\w+=,.@-]+))")
_SERVICE = re.compile(r"(?:service-)?([a-z0-9-]+(\.[a-z0-9-]+)+)")


class RequestError(ValueError):
    """A request scflab cannot read; the message says which part and why."""


class CallerKind(StrEnum):
    ROOT = "root"
    SUB_USER = "sub_user"
    ROLE_SESSION = "role_session"
    SERVICE = "service"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Caller:
    """The identity behind a request, as policies see it."""

    kind: CallerKind
    root_uin: str | None = None
    uin: str | None = None
    role: str | None = None
    session: str | None = None
    service: str | None = None
    app_id: str | None = None

    @classmethod
    def parse(cls, principal: str | None) -> Caller:
        """Read a CAM principal string (see the module docstring)."""
        if principal is None:
            return cls(CallerKind.ANONYMOUS)
        text = principal.strip()
        found = _CAM.fullmatch(text)
        if found:
            root, is_root, uin, role = found.groups()
            if role:
                return cls(CallerKind.ROLE_SESSION, root, role=role)
            if is_root or uin == root:
                return cls(CallerKind.ROOT, root, root)
            return cls(CallerKind.SUB_USER, root, uin)
        service = _SERVICE.fullmatch(text)
        if service:
            return cls(CallerKind.SERVICE, service=service.group(1))
        raise RequestError(
            f"principal `{principal}` is not a CAM principal; write "
            "`qcs::cam::uin/<root>:uin/<sub>`, `qcs::cam::uin/<root>:root`, "
            "`qcs::cam::uin/<root>:roleName/<role>` or a service such as "
            "`scf.qcloud.com`")

    @classmethod
    def of(cls, principal) -> Caller:
        """A caller from a principal string, a `Caller`, or an identity."""
        if principal is None or isinstance(principal, str):
            return cls.parse(principal)
        if isinstance(principal, Caller):
            return principal
        caller = getattr(principal, "caller", None)
        if isinstance(caller, Caller):
            return caller
        raise RequestError(f"`{principal!r}` is not a principal: give a "
                           "CAM principal string or an scflab identity")

    @property
    def principal(self) -> str:
        """The CAM principal string for this caller."""
        if self.kind is CallerKind.SERVICE:
            return self.service or ""
        if self.kind is CallerKind.ANONYMOUS:
            return "(anonymous)"
        if self.kind is CallerKind.ROLE_SESSION:
            return f"qcs::cam::uin/{self.root_uin}:roleName/{self.role}"
        return f"qcs::cam::uin/{self.root_uin}:uin/{self.uin}"

    @property
    def variables(self) -> dict[str, str]:
        """Values of the policy variables for this caller."""
        values = {}
        if self.uin:
            values["${uin}"] = self.uin
        if self.root_uin:
            values["${owner_uin}"] = self.root_uin
        if self.app_id:
            values["${app_id}"] = self.app_id
        return values

    @property
    def accounts(self) -> tuple[str, ...] | None:
        """The caller's root account as resource names write it.

        `uin/<root>`, and `uid/<app id>` when the app id is known (COS
        names its owners that way); None for a caller with no account.
        """
        if not self.root_uin:
            return None
        if self.app_id:
            return (f"uin/{self.root_uin}", f"uid/{self.app_id}")
        return (f"uin/{self.root_uin}",)

    def owns(self, resource: ResourceName) -> bool:
        """Whether this root account owns `resource` (by uin or app id)."""
        if self.kind is not CallerKind.ROOT or resource.is_everything:
            return False
        owner = resource.owner
        if owner is None:
            return not resource.account
        return owner in (self.root_uin, self.app_id)


@dataclass(frozen=True)
class Request:
    """An action on a resource by a principal, with its context.

    `context` maps condition keys to a value or a list of values: IP
    addresses and ISO 8601 times as strings, numbers, booleans.

    >>> Request("scf:InvokeFunction",
    ...         "qcs::scf:ap-guangzhou:uin/100000000001:"
    ...         "namespace/default/function/hello",
    ...         "qcs::cam::uin/100000000001:uin/100000000002",
    ...         {"qcs:ip": "10.0.0.8"}).caller.kind
    <CallerKind.SUB_USER: 'sub_user'>
    """

    action: str
    resource: str = "*"
    principal: Any = None
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.context is None:
            object.__setattr__(self, "context", {})
        if not isinstance(self.context, Mapping):
            raise RequestError(
                f"context `{self.context!r:.60}` is not a mapping; write "
                "it as `{\"qcs:ip\": \"10.0.0.8\"}`: condition keys to "
                "a value or a list of values")
        _check_action(self.action)
        self.resource_name  # raise early on a malformed resource
        self.caller

    @cached_property
    def caller(self) -> Caller:
        return Caller.of(self.principal)

    @cached_property
    def resource_name(self) -> ResourceName:
        try:
            return ResourceName.parse(str(self.resource))
        except ValueError as problem:
            raise RequestError(f"resource of the request: {problem}; "
                               f"{getattr(problem, 'hint', '')}") from None

    @property
    def service(self) -> str:
        return normalise_action(self.action).partition(":")[0].lower()

    @property
    def owner_accounts(self) -> tuple[str, ...] | None:
        """What an empty account segment in a policy stands for."""
        return self.caller.accounts


def _check_action(action) -> None:
    if not isinstance(action, str):
        raise RequestError(f"action `{action!r}` is not text; write "
                           "`service:ApiName`, such as `scf:InvokeFunction`")
    try:
        pattern = ActionPattern.parse(action)
    except ValueError as problem:
        raise RequestError(f"action of the request: {problem}; "
                           f"{getattr(problem, 'hint', '')}") from None
    if "*" in pattern.text:
        raise RequestError(f"a request names one action, not the pattern "
                           f"`{action}`; write a concrete action such as "
                           "`scf:ListFunctions`")
