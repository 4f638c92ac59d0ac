"""Refusals of the account model, each with a code and, where CAM decided,
the `Decision` that explains why.

    ValueError
    ├── CamError           CAM refused a change to the account
    │   └── LimitExceeded  … because a documented quota would be exceeded
    ├── StsError
    │   └── StsDenied      AssumeRole refused: permission or trust missing
    └── ScfError
        └── ScfDenied      SCF refused: the caller or SCF_QcsRole may not
    PermissionError
    └── AccessDenied       a service call refused; carries the Decision

`StsError` and `ScfError` live in `scflab.errors`; the classes here add the
decision to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scflab.errors import ScfError, StsError, _CodedError

if TYPE_CHECKING:
    from scflab.evaluation.decision import Decision

__all__ = ["CamError", "LimitExceeded", "StsDenied", "ScfDenied",
           "AccessDenied", "denial_text"]


class CamError(_CodedError):
    """CAM refused a change (an unknown user, a name in use, a bad name)."""


class LimitExceeded(CamError):
    """A CAM quota would be exceeded (200 policies per user, 300 groups …)."""


class StsDenied(StsError):
    """AssumeRole was refused; `.decision` is the check that failed.

    `.permission` is the decision on the caller's own policies (None for a
    service, which needs none) and `.trust` the decision on the role's
    trust policy. `.decision` is the first of them that did not allow.
    """

    def __init__(self, message: str, hint: str, *,
                 permission: Decision | None, trust: Decision):
        super().__init__("UnauthorizedOperation", message, hint)
        self.permission = permission
        self.trust = trust
        failed = [d for d in (permission, trust) if d is not None and not d]
        self.decision = failed[0] if failed else trust


class ScfDenied(ScfError):
    """SCF refused an operation after CAM said no; `.decision` says why."""

    def __init__(self, code: str, message: str, hint: str | None,
                 decision: Decision):
        super().__init__(code, message, hint)
        self.decision = decision


class AccessDenied(PermissionError):
    """A call to a cloud service was refused.

    The message begins as Tencent's denials do (`you are not authorized to
    perform operation (cos:PutObject) resource (…) has no permission`) and
    goes on with scflab's explanation. `.code` is the API error code,
    `.decision` the full `Decision`.
    """

    def __init__(self, decision: Decision,
                 code: str = "AuthFailure.UnauthorizedOperation"):
        self.decision = decision
        self.code = code
        request = decision.request
        self.action = request.action
        self.resource = str(request.resource)
        super().__init__(f"{code}: {denial_text(decision)}")

    def explain(self) -> str:
        """The denial line followed by the decision's full explanation."""
        return f"{self}\n{self.decision.explain()}"


def denial_text(decision: Decision, advice: bool = True) -> str:
    """The refusal as Tencent words it, then why, in one or two lines.

    With `advice=False` the line saying what would change the outcome is
    left out, for errors that give it as their hint.
    """
    request = decision.request
    text = (f"you are not authorized to perform operation "
            f"({request.action}) resource ({request.resource}) has no "
            "permission")
    why = list(decision.notes)
    if decision.reasons:
        why.insert(0, f"{decision.outcome.label} by "
                   + ", ".join(map(str, decision.reasons)))
    if advice and decision.advice:
        why.append(f"what would change it: {decision.advice}")
    return text + "".join(f"\n    {line}" for line in why)
