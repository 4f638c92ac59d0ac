"""Every exercise's published solution passes; typical mistakes do not.

The solutions are read from the notebooks themselves (the folded
`<details><summary>Solution</summary>` blocks), so what a learner sees is
what is tested. The learner's starting cell is run too: in its unattempted
state it must say so, not fail.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import scflab
from scflab.teaching import Status, check, exercises

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_SOLUTION = re.compile(
    r"<details>\s*<summary>Solution</summary>\s*```python\n(.*?)```",
    re.DOTALL)
_CHECKED = re.compile(r'scflab\.check\("([\w-]+)"')


def _cells(kind: str):
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == kind:
                yield path.name, "".join(cell["source"])


def _by_exercise(blocks) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for notebook, source in blocks:
        for exercise_id in _CHECKED.findall(source):
            found.setdefault(exercise_id, []).append((notebook, source))
    return found


SOLUTIONS = _by_exercise(
    (name, block) for name, text in _cells("markdown")
    for block in _SOLUTION.findall(text))
STARTERS = _by_exercise(
    (name, text) for name, text in _cells("code")
    if text.startswith("# Exercise"))
IDS = [e.id for e in exercises()]


def _run(source: str):
    """Run a cell's code and return the value of its last expression."""
    tree = ast.parse(source)
    last = tree.body.pop()
    namespace = {"scflab": scflab}
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"),
                namespace)


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_exercise_has_one_solution_and_one_starter(exercise_id):
    """Each exercise appears once in the workbook, with its solution."""
    assert len(SOLUTIONS.get(exercise_id, [])) == 1
    assert len(STARTERS.get(exercise_id, [])) == 1


def test_exercises_appear_in_workbook_order():
    """The notebooks meet the exercises in the order scflab lists them."""
    order = [exercise_id for _, text in _cells("code")
             if text.startswith("# Exercise")
             for exercise_id in _CHECKED.findall(text)]

    assert order == IDS


def test_notebooks_check_only_known_exercises():
    """No notebook checks an exercise scflab does not define."""
    assert set(SOLUTIONS) | set(STARTERS) <= set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_published_solution_passes(exercise_id):
    """The solution shown in the notebook passes its own check."""
    (notebook, source), = SOLUTIONS[exercise_id]

    feedback = _run(source)

    assert feedback.passed, f"{notebook}: {feedback.text()}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_starter_cell_is_not_attempted(exercise_id):
    """The learner's cell, untouched, runs and says it is not attempted."""
    (notebook, source), = STARTERS[exercise_id]

    feedback = _run(source)

    assert feedback.status is Status.NOT_ATTEMPTED, notebook


FN = "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/"
COS = "qcs::cos:ap-guangzhou:uid/1250000000:"


def policy(*statements):
    return {"version": "2.0", "statement": list(statements)}


def allow(action, resource="*", **extra):
    return {"effect": "allow", "action": action, "resource": resource,
            **extra}


def deny(action, resource="*"):
    return {"effect": "deny", "action": action, "resource": resource}


#: Typical wrong answers, and a phrase the feedback must contain.
WRONG = [
    ("warm-up", "implicit deny", "is not it"),
    ("warm-up", "maybe", "is not one of"),
    ("creator-access", "allow", "does not grant the creator"),
    ("creator-access", "explicit deny", "needs a deny statement"),
    ("first-grant", policy(allow("scf:*", FN + "hello")),
     "should deny Nora deleting `hello`"),
    ("first-grant", policy(allow("scf:InvokeFunction")),
     "should deny Nora invoking another function"),
    ("get-actions", "scf:*", "also covers"),
    ("get-actions", "scf:GetFunction", "misses"),
    ("get-actions", "Get*", "names no service"),
    ("test1-resource", FN + "*", "should leave out `Test2`"),
    ("test1-resource", "qcs::scf:ap-guangzhou:uin/100000000001:function/Test1",
     "should cover `Test1`"),
    ("test1-resource", "scf:Test1", "does not start with `qcs:`"),
    ("repair-policy", policy(allow("cos:GetObject",
                                   COS + "photos-1250000000/cat.jpg")),
     "should allow Mei reading `photos/2024/dog.png`"),
    ("repair-policy", policy(allow("cos:*", COS + "photos-1250000000/*")),
     "should deny Mei writing"),
    ("office-network", policy(allow("cos:PutObject")),
     "should deny an upload from 8.8.8.8"),
    ("office-network", policy(allow("cos:PutObject", condition={
        "ip_equal": {"qcs:ip": "10.0.0.0/16"}})),
     "outside the /24"),
    ("office-network", policy(allow("cos:PutObject", condition={
        "ip_equal": {"qcs_ip": "10.0.0.0/24"}})), "should allow"),
    ("predict-outcomes", {"a": "allow", "b": "implicit deny",
                          "c": "implicit deny"}, "(b) delete prod/report"),
    ("predict-outcomes", {"a": "allow"}, "no prediction yet"),
    ("predict-outcomes", "allow", "not a dict"),
    ("guard-prod", policy(deny("scf:DeleteFunction")),
     "should allow deleting `default/hello`"),
    ("guard-prod", policy(allow("scf:InvokeFunction")),
     "should deny deleting `prod/report-builder`"),
    ("scf-boundary", policy(deny("cos:*")), "should allow invoking"),
    ("scf-boundary", policy(allow("*")), "should deny reading"),
    ("qcsrole-missing", "UnauthorizedOperation.CAM", "the caller is the root"),
    ("qcsrole-missing", "QcsRoleNotFound", "is not one of"),
    ("qcsrole-predict", {"a": "allow", "b": "allow", "c": "allow"},
     "(c) delete uploads/cat.jpg: not `allow`"),
    ("session-policy", policy(allow("cos:GetObject")),
     "should deny reading the code package"),
    ("session-policy", {"version": "2.0", "statement": [{
        "effect": "allow", "action": "cos:GetObject",
        "principal": {"service": ["scf.qcloud.com"]}}]},
     "a session policy takes no `principal`"),
    ("credentials-channel", "environment variables",
     "how code-package functions get them"),
    ("session-expiry", {"a": "allow", "b": "allow", "c": "allow"},
     "(b) delete Test1 at 09:20: not `allow`"),
    ("session-expiry", {"a": "allow", "b": "explicit deny",
                        "c": "allow"}, "not `explicit deny`"),
    ("who-can-delete", ["mei"], "2 more identities belong in the list"),
    ("who-can-delete", ["mei", "kai", "ops_admin", "ci-bot"],
     "`ci-bot` should not be in the list"),
    ("security-findings", ["QcloudCOSFullAccess"],
     "one more of the policies belongs in the list"),
    ("security-findings", {"QcloudCOSFullAccess": 1}, "not a list"),
    ("most-refused", "mei", "`mei` should not be in the list"),
    ("analyst-logs", policy(allow("scf:GetFunctionLogs")),
     "should deny Lena reading the logs of `Test2`"),
    ("analyst-logs", policy(allow("scf:*", FN + "Test1")),
     "should deny Lena invoking `Test1`"),
    ("analyst-logs", policy(allow("scf:GetFunctionLog", FN + "Test1")),
     "should allow Lena reading the logs of `Test1`"),
    ("two-functions", policy(allow(
        ["scf:ListFunctions", "scf:InvokeFunction", "scf:UpdateFunctionCode",
         "scf:GetFunctionLogs"], [FN + "Test1", FN + "Test2"])),
     "cannot be scoped to one resource"),
    ("deadline", policy(allow("scf:InvokeFunction", FN + "Test1")),
     "should deny invoking `Test1` on 2030-06-01"),
    ("deadline", policy(allow("scf:InvokeFunction", FN + "Test1", condition={
        "date_greater_than": {"qcs:current_time": "2030-01-01T00:00:00Z"}})),
     "should allow invoking `Test1` on 2029-06-01"),
    ("thumbnail-role", policy(allow("cos:*")),
     "should deny writing into the uploads bucket"),
    ("thumbnail-role", policy(allow(["cos:GetObject", "cos:PutObject"],
                                    [COS + "uploads-1250000000/*",
                                     COS + "thumbnails-1250000000/*"])),
     "should deny writing into the uploads bucket"),
    ("thumbnail-trust", policy(allow("name/sts:AssumeRole")),
     "has no `principal`"),
    ("thumbnail-trust", {"version": "2.0", "statement": [{
        "effect": "allow", "action": "name/sts:AssumeRole",
        "principal": "*"}]}, "should deny CVM assuming the role"),
    ("thumbnail-deployer", policy(allow("scf:*", FN + "thumbnailer"),
                                  allow("scf:ListFunctions")),
     "should deny deleting `thumbnailer`"),
]


@pytest.mark.parametrize("exercise_id, answer, phrase", WRONG,
                         ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_typical_mistake_fails_with_a_helpful_message(exercise_id, answer,
                                                      phrase):
    """A typical wrong answer fails, and the feedback says what is wrong."""
    feedback = check(exercise_id, answer)

    assert feedback.status is Status.FAILED
    assert phrase in feedback.text()
    assert feedback.hint


def test_every_exercise_has_a_typical_mistake():
    """The table above covers every exercise."""
    assert {w[0] for w in WRONG} == set(IDS)
