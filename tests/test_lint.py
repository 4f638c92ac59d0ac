"""The linter: each rule on a case that triggers it and a near case that
does not, the preset policies, and where findings point."""

import json

import pytest

import scflab
from scflab.analysis.lint import RULES, lint, rules_frame

FN = "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/"
ROLE = "qcs::cam::uin/100000000001:roleName/DevOpsRole"
SCF = {"service": ["scf.qcloud.com"]}


def allow(action, resource="*", **extra):
    return {"effect": "allow", "action": action, "resource": resource,
            **extra}


def deny(action, resource="*", **extra):
    return {"effect": "deny", "action": action, "resource": resource,
            **extra}


def trust(principal, **extra):
    return {"effect": "allow", "action": "name/sts:AssumeRole",
            "principal": principal, **extra}


def doc(*statements):
    return {"version": "2.0", "statement": list(statements)}


def codes(document, **options):
    return {finding.code for finding in lint(document, **options)}


IP = {"qcs:ip": "10.0.0.0/8"}

# Each rule: a document that triggers it, and a near one that must not.
CASES = {
    "full-admin": (
        doc(allow("*")),
        doc(allow("*", FN + "hello"))),
    "privilege-escalation": (
        doc(allow("cam:*")),
        doc(allow("cam:PassRole", ROLE))),
    "permissions-on-all": (
        doc(allow("cam:AttachUserPolicy")),
        doc(allow("cam:GetUser"))),
    "write-on-all": (
        doc(allow("scf:DeleteFunction")),
        doc(allow("scf:CreateNamespace"))),
    "open-trust": (
        doc(trust("*")),
        doc(trust(SCF))),
    "account-trust-without-condition": (
        doc(trust({"qcs": ["qcs::cam::uin/67890:root"]})),
        doc(trust({"qcs": ["qcs::cam::uin/67890:root"]},
                  condition={"ip_equal": IP}))),
    "for-all-value-single-valued": (
        doc(allow("scf:ListFunctions",
                  condition={"for_all_value:ip_equal": IP})),
        doc(allow("scf:ListFunctions", condition={"ip_equal": IP}))),
    "for-all-value-tag": (
        doc(allow("scf:ListFunctions", condition={
            "for_all_value:string_equal": {"qcs:resource_tag": "env&dev"}})),
        doc(allow("scf:ListFunctions", condition={
            "for_any_value:string_equal": {"qcs:resource_tag": "env&dev"}}))),
    "deny-skipped-when-absent": (
        doc(allow("scf:ListFunctions"),
            deny("scf:*", condition={"ip_not_equal": IP})),
        doc(allow("scf:ListFunctions"),
            deny("scf:*", condition={"ip_not_equal_if_exist": IP}))),
    "allow-when-absent": (
        doc(allow("scf:ListFunctions",
                  condition={"ip_equal_if_exist": IP})),
        doc(allow("scf:ListFunctions", condition={"ip_equal": IP}))),
    "unknown-condition-key": (
        doc(allow("scf:ListFunctions", condition={
            "string_equal": {"cos:versionid": "1"}})),
        doc(allow("cos:GetObject", condition={
            "string_equal": {"cos:versionid": "1"}}))),
    "unknown-service": (
        doc(allow("nosuchservice:Read")),
        doc(allow("scf:ListFunctions"))),
    "unknown-action": (
        doc(allow("scf:ListFunction")),
        doc(allow("scf:ListFunctions"))),
    "no-matching-action": (
        doc(allow("scf:Lst*")),
        doc(allow("scf:List*"))),
    "action-case": (
        doc(allow("scf:listfunctions")),
        doc(allow("scf:ListFunctions"))),
    "legacy-action": (
        doc(allow("scf:UpdateFunction", FN + "hello")),
        doc(allow("scf:UpdateFunctionCode", FN + "hello"))),
    "operation-level-scoped": (
        doc(allow("scf:ListFunctions", FN + "hello")),
        doc(allow("scf:GetFunction", FN + "hello"))),
    "shadowed-by-deny": (
        doc(allow("scf:GetFunction", FN + "hello"), deny("scf:*")),
        doc(allow("scf:GetFunction", FN + "hello"),
            deny("scf:*", condition={"ip_equal": IP}))),
    "duplicate-statement": (
        doc(allow("scf:GetFunction", FN + "a"),
            allow("scf:GetFunction", FN + "a")),
        doc(allow("scf:GetFunction", FN + "a"),
            allow("scf:GetFunction", FN + "b"))),
    "redundant-statement": (
        doc(allow("scf:Get*", FN + "*"), allow("scf:GetFunction", FN + "a")),
        doc(allow("scf:Get*", FN + "b"), allow("scf:GetFunction", FN + "a"))),
}


def test_every_rule_has_a_case():
    """The table of cases covers every rule of the rules table."""
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("code", CASES)
def test_rule_fires_on_its_case(code):
    """Each rule reports the document written to trigger it."""
    triggering, _ = CASES[code]

    assert code in codes(triggering)


@pytest.mark.parametrize("code", CASES)
def test_rule_is_silent_on_the_near_case(code):
    """Each rule stays silent on a document one step away."""
    _, near = CASES[code]

    assert code not in codes(near)


@pytest.mark.parametrize("name", list(scflab.preset_policies()))
def test_presets_have_no_errors(name):
    """No official preset policy gets an `error` finding."""
    policy = scflab.preset(name).policy()

    assert [f for f in lint(policy) if f.severity == "error"] == []


def test_rules_table_holds_all_words():
    """Every rule has a known severity, a title, a message, a hint and a
    definition."""
    for rule in RULES.values():
        assert rule.severity in scflab.analysis.findings.Severity
        assert rule.title and rule.message and rule.hint and rule.definition


def test_rules_frame_lists_every_rule():
    """The rules table converts to one DataFrame row per rule."""
    frame = rules_frame()

    assert list(frame["code"]) == list(RULES)


def test_message_names_the_offending_value_in_backticks():
    """A finding's message quotes the value it is about."""
    [finding] = lint(doc(allow("*")))

    assert "`*`" in finding.message
    assert finding.path == "/statement/0/action/0"


def test_findings_from_text_have_line_and_column():
    """A policy read from text locates each finding by line and column."""
    text = ('{"version": "2.0", "statement": [\n'
            '  {"effect": "allow",\n'
            '   "action": ["scf:ListFunctions", "scf:listfunctions"],\n'
            '   "resource": "*"}]}')

    finding = next(f for f in lint(text) if f.code == "action-case")

    assert (finding.line, finding.column) == (3, 36)


def test_single_values_in_text_are_located():
    """A single value standing for a list is located at that value."""
    text = ('{"version": "2.0", "statement":\n'
            ' {"effect": "allow", "action": "*", "resource": "*"}}')

    [finding] = lint(text)

    assert (finding.line, finding.column) == (2, 32)


def test_findings_from_a_mapping_have_no_position():
    """A policy given as data has paths but no line or column."""
    [finding] = lint(doc(allow("*")))

    assert finding.line is None and finding.column is None


def test_lint_accepts_a_parsed_policy():
    """A `Policy` is linted as it is, without parsing again."""
    policy = scflab.parse_policy(json.dumps(doc(allow("*"))), name="p")

    [finding] = lint(policy)

    assert finding.policy == "p"


def test_invalid_documents_raise_policy_error():
    """A document that is not valid CAM raises `PolicyError`."""
    with pytest.raises(scflab.PolicyError):
        lint('{"version": "2.0"}')


def test_trust_kind_is_guessed_from_the_principal():
    """A document with a principal and only `sts:` actions is linted as a
    trust policy."""
    assert "open-trust" in codes(json.dumps(doc(trust("*"))))


def test_own_account_may_be_trusted_as_a_whole():
    """Trusting the policy's own account is not reported when it is
    given."""
    document = doc(trust({"qcs": ["qcs::cam::uin/67890:root"]}))

    assert "account-trust-without-condition" not in codes(
        document, account="67890")


def test_equivalent_statements_report_only_the_later():
    """Of two statements covering each other, only the later is reported."""
    document = doc(allow("scf:GetFunction", FN + "a"),
                   allow("SCF:getfunction", [FN + "a", FN + "a"]))

    found = [(f.code, f.path) for f in lint(document)
             if f.code in ("duplicate-statement", "redundant-statement")]

    assert found == [("duplicate-statement", "/statement/1")]


def test_redundancy_across_two_statements():
    """A statement covered by two others together is reported once."""
    document = doc(allow("scf:Get*", FN + "a"), allow("scf:List*", FN + "a"),
                   allow(["scf:GetAlias", "scf:ListAliases"], FN + "a"))

    [finding] = [f for f in lint(document)
                 if f.code == "redundant-statement"]

    assert finding.path == "/statement/2"
    assert "/statement/0" in finding.message
    assert "/statement/1" in finding.message


def test_deny_skipped_when_absent_is_true_of_evaluation():
    """The deny the rule reports does not apply to a request without the
    key, while the `_if_exist` form does."""
    skipped, kept = CASES["deny-skipped-when-absent"]
    request = scflab.Request("scf:ListFunctions")

    assert scflab.evaluate(request, scflab.parse_policy(skipped)).allowed
    assert not scflab.evaluate(request, scflab.parse_policy(kept)).allowed


def test_shadowed_allow_grants_nothing():
    """An allow reported as shadowed allows none of its requests."""
    shadowed, _ = CASES["shadowed-by-deny"]
    request = scflab.Request("scf:GetFunction", FN + "hello")

    decision = scflab.evaluate(request, scflab.parse_policy(shadowed))

    assert decision.outcome is scflab.Outcome.EXPLICIT_DENY


def test_operation_level_scoped_grants_nothing():
    """An operation-level action scoped to a resource is never allowed."""
    scoped, _ = CASES["operation-level-scoped"]
    request = scflab.Request("scf:ListFunctions", FN + "hello")

    assert not scflab.evaluate(request, scflab.parse_policy(scoped)).allowed


def test_findings_convert_to_a_frame():
    """Findings become one DataFrame row each, with nullable positions."""
    findings = lint('{"version": "2.0", "statement": [{"effect": "allow",'
                    ' "action": "*", "resource": "*"}]}')

    frame = scflab.findings_frame(findings)

    assert list(frame["code"]) == ["full-admin"]
    assert frame["line"].dtype == "Int64"
    assert frame.equals(scflab.Finding.to_frame(findings))


def test_findings_are_ordered_by_place_then_severity():
    """Findings come in document order, the most severe first at one
    place."""
    document = doc(allow("scf:listfunctions", FN + "a"))

    found = [f.code for f in lint(document)]

    assert found == ["operation-level-scoped", "action-case"]


def test_module_text_lists_every_rule_under_its_severity():
    """The linter's module docstring names each rule under its severity."""
    import scflab.analysis.lint as module

    sections = module.__doc__.split("\n- ")[1:]
    for code, rule in RULES.items():
        [section] = [s for s in sections if f"`{code}`" in s]
        assert section.startswith(rule.severity.value + ":")


def test_trust_policy_assume_role_is_not_escalation():
    """A trust policy's `sts:AssumeRole` is not a grant on every resource."""
    trust = scflab.trust_policy(services=["scf.qcloud.com"])

    codes = {finding.code for finding in scflab.lint(trust)}

    assert "privilege-escalation" not in codes
