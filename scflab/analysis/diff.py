"""What a new policy allows that an old one did not, and the reverse.

`diff(old, new)` decides every request of a finite universe (see
`scflab.analysis.universe`) under both and reports each request whose
access changed, as a witness you can replay with `scflab.evaluate`:

    >>> import scflab
    >>> old = scflab.parse_policy('{"version": "2.0", "statement": [{'
    ...     '"effect": "allow", "action": "scf:ListFunctions", '
    ...     '"resource": "*"}]}')
    >>> new = scflab.parse_policy('{"version": "2.0", "statement": [{'
    ...     '"effect": "allow", "action": "scf:List*", "resource": "*"}]}')
    >>> is_subset(old, new), is_subset(new, old)
    (True, False)

Access means the outcome `allow`; a change between explicit and implicit
deny is no change of access. Either side may be a single policy or a list
of policies taken together (what one identity has attached).

Known limit: the universe is built from what the policies mention, so a
difference is found where the universe has a request showing it; see the
universe module for the points it holds. Actions that no pattern tells
apart are decided once, through one representative.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from scflab.analysis.universe import Universe
from scflab.evaluation.decision import Outcome
from scflab.evaluation.request import Request
from scflab.language.actions import ActionPattern
from scflab.language.model import Policy

__all__ = ["Witness", "diff", "is_subset", "witnesses", "as_policies"]

_ALLOW = Outcome.ALLOW.value

#: The columns of `diff`'s DataFrame.
COLUMNS = ("change", "action", "resource", "principal", "context",
           "old_outcome", "new_outcome")


@dataclass(frozen=True)
class Witness:
    """One request whose access differs between two policies.

    `change` is `added` when only the new policy allows it and `removed`
    when only the old one does.
    """

    change: str
    action: str
    resource: str
    principal: str
    context: Mapping[str, Any]
    old_outcome: str
    new_outcome: str

    def request(self) -> Request:
        """The witness as a `scflab.Request`, ready to evaluate."""
        return Request(self.action, self.resource, self.principal,
                       dict(self.context))


def diff(old, new, *, principal: str | None = None,
         all_contexts: bool = False, catalog=None):
    """The requests whose access differs, as a pandas DataFrame.

    Columns: `change` (`added`: allowed by `new` only; `removed`: by `old`
    only), `action`, `resource`, `principal`, `context` (a dict of
    condition keys), `old_outcome` and `new_outcome`. Rows come `added`
    first, then by action and resource. For each change, action,
    resource and principal one witness is kept, in the simplest context
    (fewest keys present), unless `all_contexts` is true. An empty frame
    means the policies allow the same requests of the universe.

    `old` and `new` are policies, lists of policies, or anything
    `parse_policy` reads. `frame.attrs["universe"]` describes the universe
    searched. Imports pandas.
    """
    import pandas

    old, new = as_policies(old), as_policies(new)
    universe = Universe.of(*old, *new, catalog=catalog,
                           principal=principal)
    found = witnesses(old, new, universe)
    if not all_contexts:
        found = _simplest(found)
    rows = sorted(found, key=_order)
    frame = pandas.DataFrame([vars(w) for w in rows], columns=list(COLUMNS))
    frame.attrs["universe"] = universe.describe()
    return frame


def is_subset(a, b, *, principal: str | None = None, catalog=None) -> bool:
    """Whether `a` allows nothing that `b` does not (imports pandas).

    True when every request of the universe that `a` allows, `b` allows
    too. So `is_subset(new, old)` reads "the new policy grants no new
    access", and `is_subset(old, new)` "it takes none away".
    """
    a, b = as_policies(a), as_policies(b)
    universe = Universe.of(*a, *b, catalog=catalog, principal=principal)
    changes = witnesses(b, a, universe)
    return not any(w.change == "added" for w in changes)


def witnesses(old: list[Policy], new: list[Policy], universe: Universe
              ) -> Iterator[Witness]:
    """Every request of `universe` whose access differs.

    Each action shares its decision with the actions that the same
    patterns cover, so only one action of each such class is decided
    (by `scflab.evaluate_many`, which imports pandas).
    """
    from scflab.evaluation.batch import evaluate_many

    classes = _action_classes(universe.actions, [*old, *new])
    requests = [Request(action, resource, principal, context)
                for principal in universe.principals
                for action in classes
                for resource in universe.resources
                for context in universe.contexts]
    if not requests:
        return
    before = evaluate_many(requests, old)["outcome"].tolist()
    after = evaluate_many(requests, new)["outcome"].tolist()
    for request, was, now in zip(requests, before, after):
        if (was == _ALLOW) == (now == _ALLOW):
            continue
        change = "added" if now == _ALLOW else "removed"
        for member in classes[request.action]:
            yield Witness(change, member, request.resource,
                          request.principal, dict(request.context), was,
                          now)


def as_policies(value) -> list[Policy]:
    """A list of policies from a policy, a list, or a parsable source.

    A source is read as `scflab.lint` reads it: a trust policy when it has
    a `principal` and only `sts:` actions.
    """
    if isinstance(value, Policy):
        return [value]
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in as_policies(item)]
    from scflab.analysis.lint import guess_kind
    from scflab.language.parser import parse_policy

    if isinstance(value, (str, bytes, Mapping, os.PathLike)):
        return [parse_policy(value, kind=guess_kind(value))]
    raise TypeError(f"expected a policy or a list of policies, not "
                    f"`{type(value).__name__}`")


def _action_classes(actions: Iterable[str], policies: list[Policy]
                    ) -> dict[str, list[str]]:
    """Actions grouped by the patterns covering them, by representative.

    Two actions covered by the same action entries, and alike in being
    operation-level or not, are decided the same by both sides.
    """
    from scflab.catalog import default_catalog

    catalog = default_catalog()
    entries = [_parsed(text) for p in policies for s in p.statements
               for text in s.actions]
    classes: dict[tuple, list[str]] = {}
    for action in actions:
        signature = (tuple(e is not None and e.matches(action)
                           for e in entries), _resource_level(catalog, action))
        classes.setdefault(signature, []).append(action)
    return {members[0]: members for members in classes.values()}


def _resource_level(catalog, action: str) -> bool:
    info = catalog.get(action)
    return True if info is None else info.resource_level


def _parsed(text: str) -> ActionPattern | None:
    try:
        return ActionPattern.parse(text)
    except ValueError:
        return None


def _simplest(found: Iterable[Witness]) -> list[Witness]:
    """One witness per change, action, resource and principal."""
    best: dict[tuple, Witness] = {}
    for witness in found:
        key = (witness.change, witness.action, witness.resource,
               witness.principal)
        known = best.get(key)
        if known is None or len(witness.context) < len(known.context):
            best[key] = witness
    return list(best.values())


def _order(witness: Witness) -> tuple:
    return (witness.change != "added", witness.action, witness.resource,
            witness.principal)
