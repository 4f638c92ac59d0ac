"""The actions of the services scflab models, and what CAM knows of each.

>>> catalog = default_catalog()
>>> catalog.get("name/scf:listfunctions").qualified
'scf:ListFunctions'
>>> [info.name for info in catalog.expand("scf:Get*Concurrency*")]
['GetProvisionedConcurrencyConfig', 'GetReservedConcurrencyConfig']

Two choices where Tencent's documents are silent: action names match
case-insensitively (`scf:listfunctions` is `scf:ListFunctions`), and `*` is
the only wildcard in a pattern, so `?` and `.` stand for themselves.

The catalog covers the services an SCF workbook meets (scf, cos, cam, sts,
apigw, cls, cmqqueue, cmqtopic, ckafka, monitor, vpc, tag, cdb) and, outside
SCF, only the actions it needs; it is not Tencent's full list. Access levels
(`list`, `read`, `write`, `permissions`) are scflab's grouping: CAM itself
publishes none. The data lives beside this module in `actions.tsv` and
`condition_keys.json`, and is read on the first call of `default_catalog()`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from scflab.language.wildcard import compile_pattern

__all__ = ["ACCESS_LEVELS", "ActionInfo", "ActionCatalog", "default_catalog"]

ACCESS_LEVELS = ("list", "read", "write", "permissions")

_NAME_PREFIX = "name/"


@dataclass(frozen=True)
class ActionInfo:
    """One API action of one service, as a CAM policy names it.

    `resource_level` tells whether a statement can scope the action to one
    resource of `resource_type` (`function`, `bucket`, `role`, ...). When it
    is False the action is operation-level: only a statement whose resource
    is `*` allows it, and `resource_type` is None. A legacy action names its
    current replacement in `legacy_for`; `note` records a caveat, such as
    Tencent's sources disagreeing.
    """

    service: str
    name: str
    access: str
    resource_level: bool
    resource_type: str | None
    description: str
    legacy_for: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.access not in ACCESS_LEVELS:
            raise ValueError(
                f"action `{self.qualified}` has access `{self.access}`; "
                f"expected one of {', '.join(ACCESS_LEVELS)}")
        if self.resource_level != (self.resource_type is not None):
            raise ValueError(
                f"action `{self.qualified}` needs a resource type exactly "
                f"when it is resource-level")

    @property
    def qualified(self) -> str:
        """The name a policy writes: `scf:ListFunctions`."""
        return f"{self.service}:{self.name}"

    @property
    def legacy(self) -> bool:
        """Whether a newer action has replaced this one."""
        return self.legacy_for is not None


class ActionCatalog:
    """A set of known actions, searchable by name and by pattern.

    `condition_keys` maps a service to the keys only it uses; `global_keys`
    apply to every service. Two actions whose names differ only in case
    cannot share a catalog, since lookups ignore case.
    """

    def __init__(
        self,
        actions: Iterable[ActionInfo],
        condition_keys: Mapping[str, Iterable[str]] | None = None,
        global_keys: Iterable[str] = (),
    ) -> None:
        self._actions = tuple(sorted(actions, key=_sort_key))
        self._index = _index_by_name(self._actions)
        self._services = {a.service.casefold(): a.service
                          for a in self._actions}
        self._global_keys = frozenset(global_keys)
        self._service_keys = {
            service.casefold(): frozenset(keys)
            for service, keys in (condition_keys or {}).items()
        }

    def __len__(self) -> int:
        return len(self._actions)

    def __iter__(self) -> Iterator[ActionInfo]:
        return iter(self._actions)

    def __contains__(self, action: object) -> bool:
        """Whether `action` names a known action (patterns never do)."""
        return isinstance(action, str) and self.get(action) is not None

    def get(self, action: str) -> ActionInfo | None:
        """The action that `action` names, or None.

        `scf:ListFunctions`, `name/scf:ListFunctions` and
        `SCF:listfunctions` all name the same action. A pattern such as
        `scf:List*` names none: use `expand` for patterns.
        """
        service, sep, name = _without_prefix(action).partition(":")
        if not sep:
            return None
        return self._index.get((service.casefold(), name.casefold()))

    def expand(self, pattern: str) -> list[ActionInfo]:
        """The known actions that `pattern` covers, in catalog order.

        `*` matches any run of characters, the empty run included; every
        other character, `?` and `.` among them, matches only itself, in
        either case. `*` and `*:*` cover every action; `name/cos:*` every
        COS action. A pattern without a `:` covers nothing unless it is `*`.
        """
        text = _without_prefix(pattern)
        if text == "*":
            return list(self._actions)

        service, sep, name = text.partition(":")
        if not sep:
            return []

        service_matches = compile_pattern(service, ignore_case=True)
        name_matches = compile_pattern(name, ignore_case=True)
        return [info for info in self._actions
                if service_matches(info.service) and name_matches(info.name)]

    def services(self) -> list[str]:
        """Every service with at least one known action, sorted."""
        return sorted(self._services.values())

    def actions(self, service: str | None = None) -> list[ActionInfo]:
        """Every known action, or those of one service (any case).

        An unknown service has no actions, so the list is empty.
        """
        if service is None:
            return list(self._actions)
        wanted = service.casefold()
        return [a for a in self._actions if a.service.casefold() == wanted]

    def condition_keys(self, service: str) -> frozenset[str]:
        """The condition keys a statement about `service` may use.

        The global keys (`qcs:ip`, `qcs:current_time`, ...) belong to every
        service, an unknown one included; a service adds its own keys.
        """
        own = self._service_keys.get(service.casefold(), frozenset())
        return self._global_keys | own

    def is_known_service(self, service: str) -> bool:
        """Whether the catalog knows any action of `service` (any case)."""
        return service.casefold() in self._services

    def suggest(self, action: str) -> str | None:
        """The known action closest to `action`, for a "did you mean".

        The answer is a qualified name in Tencent's spelling, or None when
        nothing is close. Spaces are ignored, so `cos: DeleteBucketPolicy`
        suggests `cos:DeleteBucketPolicy`.
        """
        import difflib

        wanted = "".join(_without_prefix(action).split()).casefold()
        spellings = {a.qualified.casefold(): a.qualified
                     for a in self._actions}
        close = difflib.get_close_matches(wanted, spellings, n=1)
        return spellings[close[0]] if close else None

    def __repr__(self) -> str:
        return (f"<ActionCatalog: {len(self)} actions in "
                f"{len(self._services)} services>")


@functools.cache
def default_catalog() -> ActionCatalog:
    """The catalog shipped with scflab, read from package data once."""
    import json
    from importlib import resources

    folder = resources.files(__name__)
    table = folder.joinpath("actions.tsv").read_text(encoding="utf-8")
    keys = folder.joinpath("condition_keys.json").read_text(encoding="utf-8")
    conditions = json.loads(keys)
    return ActionCatalog(_parse_actions(table),
                         conditions["services"], conditions["global"])


def _parse_actions(text: str) -> list[ActionInfo]:
    """ActionInfos from the tab-separated table; a dash is an empty cell."""
    return [_action_from_row(row) for row in _read_rows(text)]


def _read_rows(text: str) -> Iterator[dict[str, str]]:
    numbered = [(number, line.split("\t"))
                for number, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.startswith("#")]
    (_, header), *rows = numbered

    for number, cells in rows:
        if len(cells) != len(header):
            raise ValueError(
                f"actions table, line {number}: {len(cells)} cells, "
                f"expected {len(header)}")
        yield dict(zip(header, cells))


def _action_from_row(row: dict[str, str]) -> ActionInfo:
    def optional(column: str) -> str | None:
        return None if row[column] == "-" else row[column]

    if row["resource_level"] not in ("yes", "no"):
        raise ValueError(
            f"action `{row['service']}:{row['name']}` has resource_level "
            f"`{row['resource_level']}`; expected yes or no")
    return ActionInfo(
        service=row["service"],
        name=row["name"],
        access=row["access"],
        resource_level=row["resource_level"] == "yes",
        resource_type=optional("resource_type"),
        description=row["description"],
        legacy_for=optional("legacy_for"),
        note=optional("note"),
    )


def _index_by_name(
    actions: Iterable[ActionInfo],
) -> dict[tuple[str, str], ActionInfo]:
    index: dict[tuple[str, str], ActionInfo] = {}
    for info in actions:
        key = (info.service.casefold(), info.name.casefold())
        if key in index:
            raise ValueError(
                f"actions `{index[key].qualified}` and `{info.qualified}` "
                f"differ only in case")
        index[key] = info
    return index


def _sort_key(info: ActionInfo) -> tuple[str, str]:
    return info.service.casefold(), info.name.casefold()


def _without_prefix(action: str) -> str:
    """`action` without a leading `name/`, written in any case."""
    if action[:len(_NAME_PREFIX)].casefold() == _NAME_PREFIX:
        return action[len(_NAME_PREFIX):]
    return action
