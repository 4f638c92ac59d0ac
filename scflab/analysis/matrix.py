"""Who may do what in an account: the access matrix.

`access_matrix(account)` asks `Account.authorize` about every identity,
action and resource, and lays the outcomes out with one row per identity
and one column per action and resource:

    >>> import scflab
    >>> matrix = access_matrix(scflab.sample_account(),
    ...                        identities=["mei", "kai"],
    ...                        actions=["scf:DeleteFunction"])
    >>> matrix.loc["kai", ("scf:DeleteFunction", "default/Test1")]
    'allow'

An operation-level action gets a single column, on `*`, since only `*`
grants it whatever resource a request names. `styled_matrix` shows a
matrix with a symbol and a colour in each cell, so that it reads without
colour too.

Known limit: every request is decided at the account clock's time and
without other context (no source IP), so conditions on the context see
their keys absent; pass `context` to decide under other values.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

__all__ = ["access_matrix", "styled_matrix", "DEFAULT_ACTIONS", "SYMBOLS"]

#: The actions a matrix shows unless told otherwise.
DEFAULT_ACTIONS = ("scf:ListFunctions", "scf:GetFunction",
                   "scf:InvokeFunction", "scf:UpdateFunctionCode",
                   "scf:DeleteFunction")

#: How `styled_matrix` writes each outcome: a symbol, then the words.
SYMBOLS = {"allow": "✔ allow", "explicit_deny": "✘ explicit deny",
           "implicit_deny": "· implicit deny"}

_COLOURS = {"allow": "background-color: #d9f2e0; color: #14532d",
            "explicit_deny": "background-color: #f9d6d5; color: #7f1d1d",
            "implicit_deny": "background-color: #f1f1f1; color: #404040"}


def access_matrix(account, identities: Iterable | None = None,
                  actions: Iterable[str] | None = None,
                  resources: Iterable | None = None, *,
                  context: Mapping[str, Any] | None = None,
                  long: bool = False):
    """The outcome of every identity, action and resource (imports pandas).

    `identities` are identities of `account` or their names (`"mei"`,
    `"root"`, a role's name); by default every sub-user and collaborator,
    then every role. `actions` default to `DEFAULT_ACTIONS`; `resources`
    to the resources of the account's functions. Role rows are labelled
    `<name> (role)`; resource columns by their last segment
    (`default/Test1`), or in full when two would read the same.

    The result has one row per identity and a two-level column index
    (action, resource); cells hold `allow`, `explicit_deny` or
    `implicit_deny`. With `long=True` it is instead one row per decision,
    with the columns `identity`, `action`, `resource`, `outcome` and
    `reason` (the deciding statements).
    """
    import pandas

    who = _identities(account, identities)
    pairs = _pairs(account, actions, resources)
    labels = _resource_labels(resource for _, resource in pairs)
    rows = []
    for label, identity in who:
        for action, resource in pairs:
            decision = account.authorize(identity, action, resource, context)
            rows.append({"identity": label, "action": action,
                         "resource": labels[resource],
                         "outcome": decision.outcome.value,
                         "reason": ", ".join(map(str, decision.reasons))})
    table = pandas.DataFrame(rows, columns=["identity", "action", "resource",
                                            "outcome", "reason"])
    if long:
        return table
    return _pivot(table, [label for label, _ in who],
                  [(a, labels[r]) for a, r in pairs])


def styled_matrix(matrix):
    """A pandas Styler showing each outcome as a symbol, words and colour.

    `✔ allow` on green, `✘ explicit deny` on red, `· implicit deny` on
    grey: the symbol and words carry the meaning, the colour only helps.
    """
    return (matrix.style
            .format(lambda outcome: SYMBOLS.get(outcome, outcome))
            .map(lambda outcome: _COLOURS.get(outcome, ""))
            .set_caption("Access matrix: ✔ allow, ✘ explicit deny, "
                         "· implicit deny"))


def _identities(account, identities) -> list[tuple[str, Any]]:
    if identities is None:
        identities = [*account.users.values(), *account.roles.values()]
    return [_identity(account, item) for item in identities]


def _identity(account, item) -> tuple[str, Any]:
    from scflab.identity.roles import Role

    if isinstance(item, str):
        if item == "root":
            item = account.root
        elif item in account.users:
            item = account.user(item)
        else:
            item = account.role(item)
    if isinstance(item, Role):
        return f"{item.name} (role)", item
    return item.name, item


def _pairs(account, actions, resources) -> list[tuple[str, str]]:
    from scflab.catalog import default_catalog

    catalog = default_catalog()
    if resources is None:
        resources = [f.resource for f in account.scf.functions]
    resources = [str(r) for r in resources]
    pairs = []
    for action in actions or DEFAULT_ACTIONS:
        info = catalog.get(action)
        if info is not None and not info.resource_level:
            pairs.append((action, "*"))
        else:
            pairs += [(action, resource) for resource in resources]
    return pairs


def _resource_labels(resources: Iterable[str]) -> dict[str, str]:
    """Short labels for resources, unless two would read the same."""
    distinct = list(dict.fromkeys(resources))
    short = {r: _short(r) for r in distinct}
    if len(set(short.values())) < len(distinct):
        return {r: r for r in distinct}
    return short


def _short(resource: str) -> str:
    """`default/Test1` for an SCF function, else the last segment."""
    if resource == "*":
        return "*"
    tail = resource.split(":", 5)[-1]
    return tail.replace("namespace/", "").replace("function/", "")


def _pivot(table, rows: list[str], columns: list[tuple[str, str]]):
    import pandas

    wide = table.pivot(index="identity", columns=["action", "resource"],
                       values="outcome")
    order = pandas.MultiIndex.from_tuples(columns,
                                          names=["action", "resource"])
    return wide.reindex(index=rows, columns=order)
