"""Where Tencent's documents are silent, what scflab does.

Each entry names the question, what the documents say, the behaviour scflab
chose, and the test that holds scflab to it. The workbook shows this table;
nothing in it is Tencent's rule unless the "documents" column says so.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModellingChoice", "MODELLING_CHOICES", "modelling_choices"]


@dataclass(frozen=True)
class ModellingChoice:
    topic: str
    documents: str
    scflab: str
    test: str


MODELLING_CHOICES: tuple[ModellingChoice, ...] = (
    ModellingChoice(
        "case of action names",
        "silent; presets write `cls:getTopic` for the API `GetTopic`",
        "action names match without regard to case; the linter flags a "
        "spelling that differs from the catalog",
        "tests/test_evaluator.py::test_action_names_ignore_case"),
    ModellingChoice(
        "`?` in patterns",
        "only `*` is documented as a wildcard",
        "`?` and `.` are ordinary characters in resources and values, and "
        "an action containing `?` is rejected; `*` matches any run of "
        "characters, `/` included",
        "tests/test_evaluator.py::test_question_mark_is_literal"),
    ModellingChoice(
        "negated operators with several values",
        "silent",
        "`string_not_equal` and `ip_not_equal` hold when the request value "
        "matches none of the listed values",
        "tests/test_evaluator.py::test_negated_operator_means_none_of"),
    ModellingChoice(
        "several request values without a qualifier",
        "silent",
        "read as `for_any_value`: one matching value is enough",
        "tests/test_evaluator.py::test_list_without_qualifier_is_any"),
    ModellingChoice(
        "`for_all_value` on a missing key",
        "a missing key fails a condition unless `_if_exist` is given",
        "the same rule applies to `for_all_value`: a missing key or an "
        "empty list fails it",
        "tests/test_evaluator.py::test_for_all_value_missing_key_fails"),
    ModellingChoice(
        "operation-level actions",
        "an action that cannot be scoped is allowed only by `resource: *`; "
        "the sources disagree on InvokeFunction and CreateTrigger",
        "the action catalog says which actions are operation-level; "
        "InvokeFunction and CreateTrigger are treated as resource-level, as "
        "SCF's own permission pages list them; unknown actions too",
        "tests/test_evaluator.py::test_operation_level_needs_star"),
    ModellingChoice(
        "legacy region codes",
        "older documents write `gz`, `sh`, `bj` …",
        "each code is read as the region it stands for (`sh` is "
        "`ap-shanghai`) on both the policy and the request side",
        "tests/test_evaluator.py::test_legacy_region_codes"),
    ModellingChoice(
        "empty account segment",
        "it means the root account that owns the policy",
        "it stands for the caller's root account; for a request with no "
        "caller it matches any account",
        "tests/test_evaluator.py::test_empty_account_is_callers_root"),
    ModellingChoice(
        "statements scflab cannot evaluate",
        "silent",
        "shown as *not evaluated*; such an allow grants nothing and such a "
        "deny blocks every allow (fail closed)",
        "tests/test_evaluator.py::test_unevaluable_deny_fails_closed"),
    ModellingChoice(
        "shortest role session",
        "STS documents a default (7,200 s) and a maximum (43,200 s), "
        "no minimum",
        "scflab refuses DurationSeconds below 900 with "
        "`InvalidParameter.ParamError`, and says the minimum is its own",
        "tests/test_sts.py::test_duration_below_scflab_minimum"),
    ModellingChoice(
        "requests with expired credentials",
        "credentials carry `ExpiredTime`; how a late request is refused "
        "is not described",
        "an implicit deny, with no statement read; its note gives the "
        "expiry time and the time of the request",
        "tests/test_sts.py::test_expired_credentials_are_refused"),
    ModellingChoice(
        "ExternalId in a trust policy",
        "AssumeRole takes `ExternalId`; the condition key is not on "
        "scflab's reference sheet",
        "the trust policy sees it as the condition key `sts:external_id`",
        "tests/test_sts.py::test_external_id_reaches_trust_conditions"),
    ModellingChoice(
        "`cam:PassRole` when binding an execution role",
        "Tencent's Serverless Framework asks for it; whether SCF itself "
        "checks it is not documented",
        "SCF checks that the caller may `cam:PassRole` on the role before "
        "binding it, and refuses with `UnauthorizedOperation.CAM`",
        "tests/test_scf_roles.py::test_binding_needs_pass_role"),
    ModellingChoice(
        "binding a role SCF cannot assume",
        "an execution role is a role whose entity is SCF; what happens "
        "when another role is bound is not described",
        "the binding is refused at once with `InvalidParameterValue` and "
        "the trust decision that shows why",
        "tests/test_scf_roles.py::test_binding_role_scf_cannot_assume"),
    ModellingChoice(
        "type of SCF_QcsRole",
        "CAM has user, system and service-linked roles; SCF's pages do "
        "not say which SCF_QcsRole is",
        "service authorization creates it as a `system` role",
        "tests/test_scf_roles.py::test_service_authorization_creates_role"),
    ModellingChoice(
        "credentials for each invocation",
        "SCF asks STS for the execution role's credentials; for how long, "
        "and how often, is not documented",
        "each invocation gets a fresh role session lasting 7,200 s, or "
        "the role's maximum when that is shorter",
        "tests/test_scf_roles.py::test_each_invocation_gets_a_new_session"),
    ModellingChoice(
        "legacy SCF action names",
        "SCF's permission pages name `scf:SetTrigger` and "
        "`scf:UpdateFunction`; the API calls them CreateTrigger and "
        "UpdateFunctionConfiguration",
        "those SCF operations are allowed by either name, and refused by "
        "a deny of either",
        "tests/test_scf_roles.py::test_legacy_action_names_also_grant"),
    ModellingChoice(
        "names of users and groups",
        "CAM documents the rule for policy and role names only",
        "user and group names follow the same rule: 1-128 letters, "
        "digits and `+=,.@-_`",
        "tests/test_account.py::test_names_follow_the_documented_rule"),
)


def modelling_choices():
    """The table as a pandas DataFrame (imports pandas)."""
    import pandas

    return pandas.DataFrame([vars(c) for c in MODELLING_CHOICES])
