"""The kinds of exercise scflab can check, each judged by the engine.

A task reads the learner's answer, asks scflab (the evaluator, the catalog,
the account model) what that answer does, and compares it with what the
exercise wants. Nothing is compared as a string when behaviour can be
compared instead: a policy passes when it allows the requests it must allow
and denies the ones it must deny, however it is written.

Every task returns a `Verdict`; an answer that cannot even be read raises
`Unreadable`, which `scflab.check` turns into feedback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scflab.errors import InvalidValue, PolicyError
from scflab.evaluation.decision import Decision, Outcome
from scflab.evaluation.evaluator import evaluate
from scflab.evaluation.request import Request
from scflab.language.model import Policy

__all__ = [
    "Verdict",
    "Unreadable",
    "Case",
    "allows",
    "denies",
    "PolicyTask",
    "ChoiceTask",
    "PredictionTask",
    "PatternTask",
    "ResourceTask",
    "NamesTask",
    "read_policy",
]

#: The name a learner's policy goes by in explanations.
YOURS = "your policy"


@dataclass(frozen=True)
class Verdict:
    """What a task found: sentences about what is right and what is wrong."""

    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()


class Unreadable(Exception):
    """The answer cannot be read at all; `problems` say why, in sentences."""

    def __init__(self, problems: Iterable[str], hint: str | None = None):
        self.problems = tuple(problems)
        self.hint = hint
        super().__init__("; ".join(self.problems))


# Policies


@dataclass(frozen=True)
class Case:
    """One request an answer must allow (`allow=True`) or deny."""

    label: str
    request: Request
    allow: bool


def allows(label: str, action: str, resource: str = "*",
           principal: Any = None, **context) -> Case:
    """A request the answer must allow; `context` gives condition keys."""
    return Case(label, Request(action, resource, principal,
                               _context(context)), True)


def denies(label: str, action: str, resource: str = "*",
           principal: Any = None, **context) -> Case:
    """A request the answer must leave denied."""
    return Case(label, Request(action, resource, principal,
                               _context(context)), False)


def _context(keywords: dict[str, Any]) -> dict[str, Any]:
    # Python names cannot hold `:`; `qcs_ip` stands for `qcs:ip`.
    return {key.replace("_", ":", 1): value
            for key, value in keywords.items()}


Decider = Callable[[Request], Decision]


def alone(policy: Policy) -> Decider:
    """Decide each request with the learner's policy as the only one."""
    return lambda request: evaluate(request, [policy])


@dataclass(frozen=True)
class PolicyTask:
    """Write a policy: it must allow and deny the requests in `cases`.

    `decider` puts the learner's policy in its place (beside other
    policies, as a boundary, as a session policy of a role session …) and
    returns the function that decides each request; by default the policy
    is the caller's only one. `kind` is the policy kind it is parsed as
    (`identity`, `trust`, `session`, `bucket`).
    """

    cases: Callable[[], Iterable[Case]]
    kind: str = "identity"
    decider: Callable[[Policy], Decider] = alone

    def judge(self, answer: Any) -> Verdict:
        decide = self.decider(read_policy(answer, self.kind))
        right, wrong = [], []
        for case in self.cases():
            decision = decide(case.request)
            if decision.allowed == case.allow:
                verb = "allows" if case.allow else "denies"
                right.append(f"{verb} {case.label}")
            else:
                wrong.append(_mismatch(case, decision))
        return Verdict(tuple(right), tuple(wrong))


def _mismatch(case: Case, decision: Decision) -> str:
    if case.allow:
        text = (f"should allow {case.label}, but the outcome is "
                f"{decision.outcome.label}")
        return f"{text}: {decision.advice}" if decision.advice else text
    reasons = ", ".join(map(str, decision.reasons))
    return f"should deny {case.label}, but it is allowed by {reasons}"


def read_policy(answer: Any, kind: str = "identity") -> Policy:
    """The learner's answer as a validated `Policy`, or `Unreadable`.

    JSON text, a dict, or a `Policy` (from the policy builder, say) are
    accepted; a `Policy` is checked again as the kind the exercise wants.
    """
    if isinstance(answer, Policy):
        answer = answer.to_data()
    if not isinstance(answer, (str, bytes, Mapping)):
        raise Unreadable(
            [f"a policy is JSON text or a dict, not {_kind_of(answer)}"],
            "write it as a dict: `{\"version\": \"2.0\", \"statement\": "
            "[...]}`")
    if isinstance(answer, (str, bytes)) and not _looks_like_json(answer):
        raise Unreadable(
            [f"`{_short(answer)}` is not a policy document"],
            "a policy is JSON text starting with `{`")
    try:
        return _parse(answer, kind)
    except PolicyError as error:
        raise Unreadable([_problem(p) for p in error.problems],
                         "fix the problems the validator lists, from the "
                         "first one down; each names where it is") from None


def _parse(answer: Any, kind: str) -> Policy:
    from scflab.language.parser import parse_policy

    return parse_policy(answer, kind=kind, name=YOURS)


def _looks_like_json(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def _problem(problem) -> str:
    text = f"{problem.location}: {problem.message}"
    return f"{text} ({problem.hint})" if problem.hint else text


# Questions with one right answer, worked out by the engine


def normalise(answer: Any) -> str:
    """`Outcome.EXPLICIT_DENY`, `"Explicit_Deny "` → `explicit deny`."""
    if isinstance(answer, Outcome):
        return answer.label
    text = str(answer).strip().strip("`'\"").lower()
    return " ".join(text.replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class ChoiceTask:
    """Pick one of `options`; `expected` works out the right one.

    `why` explains, for some options, what the learner may have been
    thinking; the explanation of the right option is shown when it is
    picked.
    """

    options: tuple[str, ...]
    expected: Callable[[], str]
    why: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def judge(self, answer: Any) -> Verdict:
        given = _choose(answer, self.options, self.aliases)
        wanted = _choose(self.expected(), self.options, {})
        notes = {normalise(option): text for option, text in self.why.items()}
        note = notes.get(normalise(given))
        if given == wanted:
            text = f"`{given}` is right" + (f": {note}" if note else "")
            return Verdict(right=(text,))
        text = f"`{given}` is not it" + (f": {note}" if note else "")
        return Verdict(wrong=(text,))


def _choose(answer: Any, options: tuple[str, ...],
            aliases: Mapping[str, str]) -> str:
    """The option `answer` names, spelt as the option is."""
    if not isinstance(answer, (str, Outcome)):
        raise Unreadable([f"the answer is {_kind_of(answer)}, not one of "
                          f"{_options(options)}"],
                         "answer with one of the options, in quotes")
    given = normalise(answer)
    given = normalise(aliases.get(given, given))
    for option in options:
        if normalise(option) == given:
            return option
    raise Unreadable([f"`{_short(answer)}` is not one of "
                      f"{_options(options)}"],
                     "copy one of the options exactly")


def _options(options: Iterable[str]) -> str:
    return ", ".join(f"`{option}`" for option in options)


@dataclass(frozen=True)
class PredictionTask:
    """Predict the outcome of several requests, given as a dict by key.

    `questions` maps each key to a label and a function deciding the
    request with the engine.
    """

    questions: Mapping[str, tuple[str, Callable[[], Decision]]]
    options: tuple[str, ...] = ("allow", "explicit deny", "implicit deny")

    def judge(self, answer: Any) -> Verdict:
        if not isinstance(answer, Mapping):
            keys = ", ".join(f'"{key}": ...' for key in self.questions)
            raise Unreadable([f"the answer is {_kind_of(answer)}, not a "
                              "dict of predictions"],
                             f"write a dict: `{{{keys}}}`")
        right, wrong = [], []
        for key, (label, decide) in self.questions.items():
            line = self._one(key, label, answer.get(key, ...), decide())
            (right if line[0] else wrong).append(line[1])
        return Verdict(tuple(right), tuple(wrong))

    def _one(self, key, label, given, decision) -> tuple[bool, str]:
        if given is ... or given is None:
            return False, f"({key}) {label}: no prediction yet"
        try:
            choice = _choose(given, self.options, {})
        except Unreadable as problem:
            return False, f"({key}) {label}: {problem.problems[0]}"
        actual = decision.outcome.label
        if decision.reasons:
            why = f"decided by {', '.join(map(str, decision.reasons))}"
        else:
            why = decision.notes[0] if decision.notes else \
                "no statement allows it"
        if choice == actual:
            return True, f"({key}) {label}: {actual} ({why})"
        return False, f"({key}) {label}: not `{choice}`"


# Action patterns and resource names


@dataclass(frozen=True)
class PatternTask:
    """Give action patterns covering exactly the actions `target` covers.

    `target` is a pattern (or several) whose expansion in scflab's
    catalog is the set wanted; the answer is compared by expansion too.
    """

    target: tuple[str, ...]

    def judge(self, answer: Any) -> Verdict:
        from scflab.catalog import default_catalog

        catalog = default_catalog()
        patterns = _patterns(answer)
        covered = {info.qualified for p in patterns
                   for info in catalog.expand(p)}
        wanted = {info.qualified for p in self.target
                  for info in catalog.expand(p)}
        right, wrong = [], []
        if wanted <= covered:
            right.append(f"covers all {len(wanted)} wanted actions")
        else:
            wrong.append("misses " + _some(wanted - covered))
        if covered - wanted:
            wrong.append("also covers " + _some(covered - wanted))
        elif covered:
            right.append("covers nothing else")
        return Verdict(tuple(right), tuple(wrong))


def _patterns(answer: Any) -> list[str]:
    from scflab.language.actions import ActionPattern

    items = [answer] if isinstance(answer, str) else answer
    if not isinstance(items, (list, tuple, set, frozenset)) or not all(
            isinstance(item, str) for item in items):
        raise Unreadable([f"the answer is {_kind_of(answer)}, not an action "
                          "pattern"],
                         "write a string such as `\"cos:Get*\"`, or a list "
                         "of them")
    problems = []
    for item in items:
        try:
            ActionPattern.parse(item)
        except InvalidValue as error:
            problems.append(f"{error.message} ({error.hint})")
    if problems:
        raise Unreadable(problems)
    return list(items)


@dataclass(frozen=True)
class ResourceTask:
    """Write one resource name covering some resources and not others.

    `cases` yields `(label, resource, should_cover)` triples.
    """

    cases: Callable[[], Iterable[tuple[str, str, bool]]]

    def judge(self, answer: Any) -> Verdict:
        from scflab.language.resources import ResourceName

        if not isinstance(answer, str):
            raise Unreadable([f"the answer is {_kind_of(answer)}, not a "
                              "resource name"],
                             "write the name as a string: "
                             "`\"qcs::scf:...\"`")
        try:
            pattern = ResourceName.parse(answer)
        except InvalidValue as error:
            raise Unreadable([error.message], error.hint) from None
        right, wrong = [], []
        for label, resource, should in self.cases():
            covers = pattern.covers(ResourceName.parse(resource))
            if covers == should:
                right.append(("covers " if should else "leaves out ")
                             + label)
            else:
                wrong.append(("should cover " if should
                              else "should leave out ") + label)
        return Verdict(tuple(right), tuple(wrong))


# Sets of names, worked out from the account model


@dataclass(frozen=True)
class NamesTask:
    """Name a set of things (users, policies …) the engine works out.

    `expected` computes the set; `noun` says what is named.
    """

    expected: Callable[[], Iterable[str]]
    noun: str = "names"

    def judge(self, answer: Any) -> Verdict:
        given = _names(answer, self.noun)
        wanted = set(self.expected())
        right, wrong = [], []
        found = sorted(given & wanted)
        if found:
            verb = "is" if len(found) == 1 else "are"
            right.append(f"{_quoted(found)} {verb} right")
        missing = len(wanted - given)
        if missing:
            wrong.append(f"{missing} more {self.noun} belong in the list"
                         if missing > 1 else
                         f"one more of the {self.noun} belongs in the list")
        if given - wanted:
            wrong.append(f"{_quoted(sorted(given - wanted))} should not be "
                         "in the list")
        if not wanted and not given:
            right.append(f"no {self.noun}: right")
        return Verdict(tuple(right), tuple(wrong))


def _names(answer: Any, noun: str) -> set[str]:
    """The names given, as a set; `ops_admin (role)` reads as `ops_admin`,
    the way access matrices label roles."""
    if isinstance(answer, str):
        answer = [answer]
    if isinstance(answer, (list, tuple, set, frozenset)) and all(
            isinstance(item, str) for item in answer):
        return {item.strip().removesuffix("(role)").strip()
                for item in answer}
    raise Unreadable([f"the answer is {_kind_of(answer)}, not a list of "
                      f"{noun}"],
                     "write a list of strings, such as `[\"alice\"]`")


def _quoted(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _some(names: set[str], limit: int = 4) -> str:
    shown = sorted(names)
    text = _quoted(shown[:limit])
    if len(shown) > limit:
        text += f" and {len(shown) - limit} more"
    return text


def _kind_of(value: Any) -> str:
    """`3` (type `int`): how an unexpected answer is shown."""
    if value is None:
        return "`None`"
    return f"`{_short(repr(value))}` (type `{type(value).__name__}`)"


def _short(text: Any, width: int = 40) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"
