"""Whether a statement's `principal` names the caller.

- `"*"` names everyone;
- `qcs::cam::uin/<A>:root` (or `…:uin/<A>`) names account A: its root and,
  through the root's own grants, its sub-users and role sessions;
- `qcs::cam::uin/<A>:uin/<B>` names sub-user B only;
- `qcs::cam::uin/<A>:roleName/<R>` names sessions of role R;
- a `service` entry (`scf.qcloud.com`) names that Tencent Cloud service;
- a `federated` entry names an identity provider.

Entries may contain `*`, matched as everywhere else in scflab.
"""

from __future__ import annotations

import re

from scflab.evaluation.request import Caller, CallerKind
from scflab.language.model import Principal
from scflab.language.wildcard import compile_pattern

__all__ = ["admits"]

_ACCOUNT = re.compile(r"qcs::cam::uin/([^:]+):(?:root|uin/\1)")


def admits(principal: Principal, caller: Caller) -> bool:
    """Whether `principal` names `caller` (see the module docstring)."""
    if principal.anyone:
        return True
    if caller.kind is CallerKind.SERVICE:
        return any(compile_pattern(s, True)(caller.service or "")
                   for s in principal.service)
    if caller.kind is CallerKind.ANONYMOUS:
        return False
    return any(_names(entry, caller) for entry in principal.qcs)


def _names(entry: str, caller: Caller) -> bool:
    account = _ACCOUNT.fullmatch(entry)
    if account:
        return compile_pattern(account.group(1))(caller.root_uin or "")
    return compile_pattern(entry)(caller.principal)
