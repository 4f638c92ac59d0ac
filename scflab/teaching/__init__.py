"""Exercises with immediate feedback, for the workbook.

    >>> import scflab
    >>> scflab.check("get-actions", "scf:Get*").passed
    True
    >>> scflab.check("get-actions", ...).attempted
    False

`check(exercise_id, answer)` judges an answer with the engine and returns a
`Feedback`: what is right, what is wrong, and a hint. It never raises: an
answer of the wrong type, a policy that does not parse, an unknown exercise
id, all become feedback. An answer still holding the workbook's placeholder
`...` (or None) is reported as not attempted yet.

The exercises themselves live in `scflab.teaching.exercises`;
`exercises()` lists them, as a DataFrame when pandas is wanted.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, Iterator

from scflab.teaching.exercises import EXERCISES, Exercise
from scflab.teaching.feedback import Feedback, Status
from scflab.teaching.tasks import PolicyTask, Unreadable

__all__ = ["check", "exercise", "exercises", "exercise_table",
           "exercise_cases", "Exercise", "Feedback", "Status"]


def check(exercise_id: Any, answer: Any = ...) -> Feedback:
    """Judge `answer` to the exercise `exercise_id`; never raises."""
    found = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) \
        else None
    if found is None:
        return _unknown(exercise_id)
    placeholder = _placeholder(answer)
    if placeholder is not None:
        return Feedback(found.id, found.title, Status.NOT_ATTEMPTED,
                        hint=placeholder)
    return _judge(found, answer)


def exercise(exercise_id: str) -> Exercise:
    """The exercise called `exercise_id` (KeyError when there is none)."""
    return EXERCISES[exercise_id]


def exercises(episode: int | None = None) -> list[Exercise]:
    """Every exercise, in workbook order, or those of one episode."""
    return [e for e in EXERCISES.values()
            if episode is None or e.episode == episode]


def exercise_table():
    """The exercises as a pandas DataFrame: episode, id, title, task."""
    import pandas

    return pandas.DataFrame(
        [{"episode": e.episode, "id": e.id, "title": e.title,
          "task": e.task} for e in EXERCISES.values()])


def exercise_cases(exercise_id: str):
    """The requests a policy exercise's answer must allow or deny.

    A DataFrame with one row per request: its label, what is expected
    (`allow` or `deny`), the action, resource and principal, and one
    column per context key. Raises ValueError for an exercise that is not
    about writing a policy.
    """
    import pandas

    task = exercise(exercise_id).checker
    if not isinstance(task, PolicyTask):
        raise ValueError(f"exercise `{exercise_id}` does not ask for a "
                         "policy, so it has no table of requests")
    return pandas.DataFrame([
        {"request": case.label, "expect": "allow" if case.allow else "deny",
         "action": case.request.action,
         "resource": str(case.request.resource),
         "principal": case.request.caller.principal,
         **case.request.context}
        for case in task.cases()])


def _judge(found: Exercise, answer: Any) -> Feedback:
    try:
        verdict = found.judge(answer)
    except Unreadable as problem:
        return Feedback(found.id, found.title, Status.FAILED,
                        wrong=problem.problems,
                        hint=problem.hint or found.hint)
    except Exception as error:  # feedback must never become a traceback
        text = f"scflab could not check this answer ({type(error).__name__}"
        return Feedback(found.id, found.title, Status.FAILED,
                        wrong=(f"{text}: {error})",), hint=found.hint)
    passed = bool(verdict.right) and not verdict.wrong
    return Feedback(found.id, found.title,
                    Status.PASSED if passed else Status.FAILED,
                    verdict.right, verdict.wrong, found.hint)


def _unknown(exercise_id: Any) -> Feedback:
    text = f"there is no exercise called `{exercise_id}`"
    close = difflib.get_close_matches(str(exercise_id), list(EXERCISES), 1)
    hint = (f"did you mean `{close[0]}`?" if close else
            "copy the id from the exercise's cell")
    return Feedback(str(exercise_id), "unknown exercise", Status.FAILED,
                    wrong=(text,), hint=hint)


def _placeholder(answer: Any) -> str | None:
    """Why `answer` counts as not attempted, or None when it is an answer."""
    if answer is ... or answer is None:
        return ("replace `...` with your answer, then run the cell "
                "again")
    if isinstance(answer, str) and answer.strip() in ("", "..."):
        return "write your answer between the quotes, then run the cell"
    holes = list(_ellipses(answer, ""))
    if holes:
        where = ", ".join(f"`{hole or '/'}`" for hole in holes[:4])
        return (f"your answer still has `...` at {where}: replace each "
                "with your own value, then run the cell again")
    return None


def _ellipses(value: Any, path: str) -> Iterator[str]:
    """JSON pointers of every `...` inside a dict or list answer."""
    if value is ...:
        yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _ellipses(item, f"{path}/{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _ellipses(item, f"{path}/{index}")
