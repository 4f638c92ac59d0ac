"""Identities, roles and STS: who may act in an account, and for how long.

- `account`: the root account, its sub-users, collaborators, groups,
  policies, roles and limits, and `Account.authorize`;
- `authorization`: how the layers (policies, boundary, session policy)
  combine into one decision;
- `roles` and `sts`: roles, trust policies, AssumeRole and role sessions;
- `credentials`: temporary credentials and the masking of secrets;
- `clock`: the account's time, which notebooks may move;
- `sample`: the fictional company the workbook uses.
"""

from scflab.identity.account import Account
from scflab.identity.clock import Clock, ManualClock
from scflab.identity.credentials import Credentials, Secret
from scflab.identity.errors import (
    AccessDenied, CamError, LimitExceeded, ScfDenied, StsDenied)
from scflab.identity.identities import (
    SCF_SERVICE, Collaborator, Group, Root, Service, SubAccount, SubUser)
from scflab.identity.roles import Role, RoleType, trust_policy
from scflab.identity.sts import RoleSession

__all__ = [
    "AccessDenied", "Account", "CamError", "Clock", "Collaborator",
    "Credentials", "Group", "LimitExceeded", "ManualClock", "Role",
    "RoleSession", "RoleType", "Root", "SCF_SERVICE", "ScfDenied", "Secret",
    "Service", "StsDenied", "SubAccount", "SubUser", "trust_policy",
]
