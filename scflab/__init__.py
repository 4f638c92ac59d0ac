"""scflab: an explaining model of Tencent Cloud CAM for Serverless Cloud Function.

The policy language (`parse_policy`, `Policy`), the evaluator (`Request`,
`evaluate`, `Decision`), and, loaded on first use, the account model with
roles, STS and SCF, the analysis tools and the notebook widgets.

    >>> import scflab
    >>> policy = scflab.parse_policy(
    ...     '{"version": "2.0", "statement": [{"effect": "allow",'
    ...     ' "action": "scf:ListFunctions", "resource": "*"}]}')
    >>> scflab.evaluate(scflab.Request("scf:ListFunctions"), [policy]).allowed
    True
"""

from __future__ import annotations

from importlib import import_module

from scflab.errors import PolicyError, Problem, ScfError, StsError
from scflab.evaluation.decision import (
    Applicability, Decision, Outcome, StatementRef, StatementResult)
from scflab.evaluation.evaluator import evaluate
from scflab.evaluation.request import Caller, Request, RequestError
from scflab.language.model import (
    Condition, Effect, Policy, PolicyKind, Principal, Statement)
from scflab.language.resources import ResourceName

# Names whose modules load on first use, so that `import scflab` stays quick
# and never imports pandas, ipywidgets or JupyterLab.
_LAZY = {
    "Account": "scflab.identity.account",
    "sample_account": "scflab.identity.sample",
    "SubUser": "scflab.identity.identities",
    "Collaborator": "scflab.identity.identities",
    "Group": "scflab.identity.identities",
    "Role": "scflab.identity.roles",
    "RoleType": "scflab.identity.roles",
    "trust_policy": "scflab.identity.roles",
    "RoleSession": "scflab.identity.sts",
    "Credentials": "scflab.identity.credentials",
    "Clock": "scflab.identity.clock",
    "ManualClock": "scflab.identity.clock",
    "AccessDenied": "scflab.identity.errors",
    "CamError": "scflab.identity.errors",
    "Client": "scflab.scf.client",
    "Invocation": "scflab.scf.runtime",
    "parse_policy": "scflab.language.parser",
    "MODELLING_CHOICES": "scflab.evaluation.choices",
    "modelling_choices": "scflab.evaluation.choices",
    "ActionCatalog": "scflab.catalog",
    "default_catalog": "scflab.catalog",
    "preset_policies": "scflab.presets",
    "preset": "scflab.presets",
    "evaluate_many": "scflab.evaluation.batch",
    "lint": "scflab.analysis.lint",
    "Finding": "scflab.analysis.findings",
    "findings_frame": "scflab.analysis.findings",
    "diff": "scflab.analysis.diff",
    "is_subset": "scflab.analysis.diff",
    "least_privilege": "scflab.analysis.least_privilege",
    "least_privilege_gaps": "scflab.analysis.least_privilege",
    "access_matrix": "scflab.analysis.matrix",
    "styled_matrix": "scflab.analysis.matrix",
    "request_log": "scflab.analysis.requestlog",
    "check": "scflab.teaching",
}

__all__ = [
    "Applicability",
    "Caller",
    "Condition",
    "Decision",
    "Effect",
    "Outcome",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "Principal",
    "Problem",
    "Request",
    "RequestError",
    "ResourceName",
    "ScfError",
    "Statement",
    "StatementRef",
    "StatementResult",
    "StsError",
    "evaluate",
    *_LAZY,
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scflab' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
