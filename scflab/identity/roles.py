"""Roles: identities with policies that others assume for a while.

A role has a trust policy (the console's "role entity") naming who may
assume it: Tencent Cloud accounts and their users, Tencent Cloud services
such as `scf.qcloud.com`, or identity providers. Its policies say what a
session of the role may do. Its resource is
`qcs::cam::uin/<owner>:roleName/<name>`.

    >>> trust = trust_policy(services=["scf.qcloud.com"])
    >>> trust.statements[0].principal.service
    ('scf.qcloud.com',)

The trust policy is read for its principals, actions and conditions; a
trust policy speaks of its own role, so its resources are not consulted.
Assuming a role through an identity provider (AssumeRoleWithSAML,
AssumeRoleWithWebIdentity) is not modelled: such roles can be built and
shown, not assumed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Iterable, Mapping

from scflab.evaluation.decision import Decision
from scflab.evaluation.evaluator import evaluate
from scflab.evaluation.request import Caller, CallerKind, Request
from scflab.language.model import Policy
from scflab.language.resources import ResourceName

__all__ = ["RoleType", "Role", "trust_policy", "ASSUME_ROLE",
           "MAX_SESSION_DURATION", "EXTERNAL_ID_KEY"]

#: The action both checks of AssumeRole are about.
ASSUME_ROLE = "name/sts:AssumeRole"

#: The longest a role session may last, in seconds (STS AssumeRole).
MAX_SESSION_DURATION = 43200

#: The condition key under which a trust policy sees AssumeRole's ExternalId.
EXTERNAL_ID_KEY = "sts:external_id"


class RoleType(StrEnum):
    """CAM's three kinds of role."""

    USER = "user"
    SYSTEM = "system"
    SERVICE_LINKED = "service_linked"


class Role:
    """A role of one account: trust policy, attached policies, limits.

    `max_session_duration` caps DurationSeconds for this role's sessions.
    Build roles with `Account.create_role`, which checks names and limits.
    """

    def __init__(self, name: str, trust: Policy, *, owner_uin: str,
                 role_id: str, type: RoleType = RoleType.USER,
                 max_session_duration: int = MAX_SESSION_DURATION,
                 description: str = ""):
        self.name = name
        self.trust = trust
        self.owner_uin = owner_uin
        self.role_id = role_id
        self.type = RoleType(type)
        self.max_session_duration = max_session_duration
        self.description = description
        self._policies: list[str] = []
        self.boundary: str | None = None

    @property
    def policies(self) -> tuple[str, ...]:
        """Names of the attached policies, in attachment order."""
        return tuple(self._policies)

    @property
    def resource(self) -> ResourceName:
        """`qcs::cam::uin/<owner>:roleName/<name>`."""
        return ResourceName.cam_role(self.owner_uin, self.name)

    @property
    def caller(self) -> Caller:
        """The role as a caller: a session of it, with no session name."""
        return Caller(CallerKind.ROLE_SESSION, self.owner_uin, role=self.name)

    @property
    def arn(self) -> str:
        """The role's name as STS's `RoleArn` takes it."""
        return str(self.resource)

    @property
    def entities(self) -> tuple[str, ...]:
        """Who the trust policy names, as the console lists role entities."""
        found = []
        for statement in self.trust.statements:
            principal = statement.principal or self.trust.principal
            if principal is None:
                continue
            if principal.anyone:
                found.append("*")
            found += [f"service-{s}" if kind == "service" else s
                      for kind, s in principal]
        return tuple(dict.fromkeys(found))

    def trust_decision(self, caller, context: Mapping[str, Any] | None = None
                       ) -> Decision:
        """Whether the trust policy lets `caller` assume this role, and why."""
        request = Request(ASSUME_ROLE, "*", Caller.of(caller), context or {})
        return evaluate(request, [self.trust])

    def admits(self, caller, context: Mapping[str, Any] | None = None
               ) -> bool:
        """Whether the trust policy lets `caller` assume this role."""
        return self.trust_decision(caller, context).allowed

    def __repr__(self) -> str:
        return (f"Role('{self.name}', type={self.type.value}, "
                f"entities={list(self.entities)}, "
                f"policies={list(self._policies)})")

    def _repr_html_(self) -> str:
        from html import escape

        rows = [("name", self.name), ("resource", self.arn),
                ("type", self.type.value),
                ("entities", ", ".join(self.entities) or "(none)"),
                ("policies", ", ".join(self._policies) or "(none)"),
                ("permission boundary", self.boundary or "(none)"),
                ("longest session", f"{self.max_session_duration} s")]
        cells = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>"
                        for k, v in rows)
        return f"<table>{cells}</table>"


def trust_policy(*, services: Iterable[str] = (),
                 accounts: Iterable[str] = (),
                 principals: Iterable[str] = (),
                 providers: Iterable[str] = (),
                 name: str | None = None) -> Policy:
    """A trust policy admitting the given principals to assume the role.

    `services` are domains (`scf.qcloud.com`); `accounts` are root uins,
    written as `qcs::cam::uin/<uin>:root`; `principals` are CAM principals
    as they are (a sub-user, a role); `providers` are identity providers
    (`qcs::cam::uin/<uin>:saml-provider/<name>`).
    """
    from scflab.language.parser import parse_policy

    principal: dict[str, list[str]] = {}
    qcs = [f"qcs::cam::uin/{uin}:root" for uin in accounts] + list(principals)
    for element, values in (("qcs", qcs), ("service", list(services)),
                            ("federated", list(providers))):
        if values:
            principal[element] = values
    if not principal:
        raise ValueError("a trust policy must admit someone: give services, "
                         "accounts, principals or providers")
    document = {"version": "2.0", "statement": [{
        "effect": "allow", "action": [ASSUME_ROLE], "principal": principal}]}
    return parse_policy(document, kind="trust", name=name)
