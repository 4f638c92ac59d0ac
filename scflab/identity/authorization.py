"""How an account decides a request made by one of its identities.

CAM gathers what applies to the caller and reads it in layers:

1. **policies**: a sub-account's own and those of every group it belongs
   to; a role session's are its role's. A root account needs none for the
   resources it owns.
2. **permission boundary** (sub-accounts and roles): the request must be
   allowed here as well; a boundary grants nothing by itself.
3. **session policy** (role sessions): the same, it only narrows.

An explicit deny in any layer decides. Otherwise the request is allowed
only if every layer allows it. The combined `Decision` lists the statements
of every layer, each policy labelled with how it applies (`X (via group
developers)`, `Y (permission boundary)`), and its notes say which layer
refused.

A role session whose credentials have expired is refused before any
statement is read: an implicit deny whose note gives the expiry time and
the time of the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from scflab.evaluation.decision import Decision, Outcome
from scflab.evaluation.evaluator import evaluate
from scflab.evaluation.request import Request
from scflab.identity.clock import iso_utc
from scflab.identity.identities import Root, SubAccount
from scflab.identity.sts import RoleSession
from scflab.language.model import Policy

if TYPE_CHECKING:
    from scflab.identity.account import Account

__all__ = ["Layer", "layers_of", "decide", "authorize"]


@dataclass(frozen=True)
class Layer:
    """Policies read together; `limits` marks a boundary or session policy.

    `label` names the layer in explanations: `policies of \\`mei\\``,
    `permission boundary \\`CiBoundary\\``, `session policy`.
    """

    label: str
    policies: tuple[Policy, ...]
    limits: bool = False


def authorize(account: Account, identity, request: Request) -> Decision:
    """Decide `request`, made by `identity` of `account`, layer by layer."""
    refusal = _refused_outright(account, identity, request)
    if refusal is not None:
        return refusal
    notes = _notes(account, identity, request)
    return decide(request, layers_of(account, identity), notes)


def layers_of(account: Account, identity) -> list[Layer]:
    """The layers that apply to `identity`, the granting layer first."""
    if isinstance(identity, Root):
        return [Layer("root account", ())]
    if isinstance(identity, SubAccount):
        layers = [Layer(f"policies of `{identity.name}`",
                        _sub_account_policies(account, identity))]
        return layers + _boundary(account, identity)
    role = identity.role if isinstance(identity, RoleSession) else identity
    layers = [Layer(f"policies of role `{role.name}`",
                    tuple(account.policy(n) for n in role.policies))]
    layers += _boundary(account, role)
    if isinstance(identity, RoleSession) and identity.policy is not None:
        name = identity.policy.name
        label = f"{name} (session policy)" if name else "session policy"
        layers.append(Layer("session policy",
                            (identity.policy.with_name(label),), True))
    return layers


def decide(request: Request, layers: list[Layer],
           notes: tuple[str, ...] = ()) -> Decision:
    """Combine the layers: a deny anywhere wins, and every layer must allow."""
    judged = [(layer, evaluate(request, layer.policies)) for layer in layers]
    statements = tuple(r for _, d in judged for r in d.statements)
    notes += tuple(n for _, d in judged for n in d.notes)
    denying = [(l, d) for l, d in judged
               if d.outcome is Outcome.EXPLICIT_DENY]
    if denying:
        return _explicit_deny(request, denying, statements, notes)
    refusing = next(((l, d) for l, d in judged if not d.allowed), None)
    if refusing is None:
        return _allow(request, judged, statements, notes)
    return _implicit_deny(request, judged, refusing, statements, notes)


def expired(request: Request, session: RoleSession, now: datetime
            ) -> Decision:
    """The refusal of a request made with expired credentials."""
    note = (f"the credentials of role session `{session.session_name}` "
            f"expired at {session.credentials.expiration} (now "
            f"{iso_utc(now)}); every request made with them is refused "
            "and no statement is read")
    return Decision(request, Outcome.IMPLICIT_DENY, notes=(note,),
                    advice=f"assume role `{session.role.name}` again for "
                    "fresh credentials")


# Gathering.

def _sub_account_policies(account: Account, user: SubAccount
                          ) -> tuple[Policy, ...]:
    own = [account.policy(name) for name in user.policies]
    inherited = [account.policy(name).with_name(
                     f"{name} (via group {group.name})")
                 for group in user.groups for name in group.policies]
    return tuple(own + inherited)


def _boundary(account: Account, holder) -> list[Layer]:
    name = holder.boundary
    if name is None:
        return []
    policy = account.policy(name).with_name(f"{name} (permission boundary)")
    return [Layer(f"permission boundary `{name}`", (policy,), True)]


def _refused_outright(account: Account, identity,
                      request: Request) -> Decision | None:
    if not isinstance(identity, RoleSession):
        return None
    now = account.clock.now()
    if identity.expired(now):
        return expired(request, identity, now)
    if account.roles.get(identity.role.name) is not identity.role:
        note = (f"role `{identity.role.name}` no longer exists, so its "
                "sessions may do nothing")
        return Decision(request, Outcome.IMPLICIT_DENY, notes=(note,))
    return None


def _notes(account: Account, identity, request: Request) -> tuple[str, ...]:
    notes = []
    if isinstance(identity, SubAccount) and not (
            identity.policies or any(g.policies for g in identity.groups)):
        notes.append(f"`{identity.name}` has no policy, directly or "
                     "through a group: a sub-account starts with no access")
    creator = account.creator_of(request.resource_name)
    if creator is not None and creator == request.caller.principal \
            and not isinstance(identity, Root):
        notes.append(f"`{identity.name}` created this resource, which gives "
                     "it no access: the root account owns it and must "
                     "grant it")
    return tuple(notes)


# Combining.

def _explicit_deny(request, denying, statements, notes) -> Decision:
    reasons = tuple(ref for _, d in denying for ref in d.reasons)
    notes += tuple(f"the {layer.label} denies it explicitly, and a deny "
                   "in any layer wins" for layer, _ in denying if layer.limits)
    return Decision(request, Outcome.EXPLICIT_DENY, reasons, statements,
                    advice=denying[0][1].advice, notes=notes)


def _allow(request, judged, statements, notes) -> Decision:
    (first, granted), *limits = judged
    notes += tuple(
        f"also allowed by the {layer.label} ("
        + ", ".join(map(str, d.reasons)) + ")" for layer, d in limits)
    return Decision(request, Outcome.ALLOW, granted.reasons, statements,
                    notes=notes)


def _implicit_deny(request, judged, refusing, statements, notes
                   ) -> Decision:
    (first, granted), *limits = judged
    layer, decision = refusing
    if layer is first:
        notes += tuple(
            f"the {limit.label} would allow it, but it only limits: it "
            "grants nothing by itself" for limit, d in limits if d.allowed)
    else:
        notes += (f"allowed by the {first.label} but not by the "
                  f"{layer.label}",)
    return Decision(request, Outcome.IMPLICIT_DENY, (), statements,
                    decision.nearest_miss, decision.advice, notes)
