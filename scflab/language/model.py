"""The CAM policy document as immutable values.

A `Policy` holds `Statement`s; a statement holds its effect, the action and
resource patterns as written, its `Condition`s and an optional `Principal`.
Everything is normalised the way CAM hands policies back: lists everywhere,
lowercase element names. `Policy.to_json()` writes that canonical form, and
parsing it gives an equal policy.

Values are built by `scflab.parse_policy`, which validates them; building them
by hand skips validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterator

__all__ = [
    "Effect",
    "PolicyKind",
    "Condition",
    "Principal",
    "Statement",
    "Policy",
    "ConditionValue",
]

ConditionValue = str | int | float | bool


class Effect(StrEnum):
    """What a statement does when it applies."""

    ALLOW = "allow"
    DENY = "deny"


class PolicyKind(StrEnum):
    """Where a policy is used, which changes what is legal in it.

    A `principal` belongs to trust and bucket policies only; an identity
    policy is attached to a user, group or role; a session policy is passed to
    STS and narrows a role session.
    """

    IDENTITY = "identity"
    TRUST = "trust"
    SESSION = "session"
    BUCKET = "bucket"


@dataclass(frozen=True)
class Condition:
    """One operator applied to one key: `{"ip_equal": {"qcs:ip": [...]}}`.

    `operator` is written as in the policy, with any `for_any_value:` or
    `for_all_value:` qualifier and `_if_exist` suffix. The values of one key
    are alternatives (OR); conditions of one statement must all hold (AND).
    """

    operator: str
    key: str
    values: tuple[ConditionValue, ...]

    @property
    def qualifier(self) -> str | None:
        """`for_any_value`, `for_all_value`, or None."""
        head, sep, _ = self.operator.partition(":")
        return head if sep else None

    @property
    def if_exist(self) -> bool:
        """Whether an absent key meets the condition."""
        return self.operator.endswith("_if_exist")

    @property
    def base(self) -> str:
        """The operator without qualifier or `_if_exist`: `string_equal`."""
        name = self.operator.rpartition(":")[2]
        return name.removesuffix("_if_exist")


@dataclass(frozen=True)
class Principal:
    """Who a trust or bucket policy statement speaks of.

    `anyone` stands for `"principal": "*"`. Otherwise the three lists hold
    CAM principals (`qcs::cam::uin/100000000001:root`), service domains
    (`scf.qcloud.com`) and identity providers.
    """

    qcs: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    anyone: bool = False

    def to_data(self) -> str | dict[str, list[str]]:
        if self.anyone:
            return "*"
        data = {}
        for element in ("qcs", "service", "federated"):
            values = getattr(self, element)
            if values:
                data[element] = list(values)
        return data

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Each `(element, value)` pair, `("qcs", "qcs::cam::uin/1:root")`."""
        for element in ("qcs", "service", "federated"):
            for value in getattr(self, element):
                yield element, value


@dataclass(frozen=True)
class Statement:
    """One rule: an effect on actions and resources, under conditions."""

    effect: Effect
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    conditions: tuple[Condition, ...] = ()
    principal: Principal | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"effect": self.effect.value}
        if self.principal is not None:
            data["principal"] = self.principal.to_data()
        data["action"] = list(self.actions)
        data["resource"] = list(self.resources)
        if self.conditions:
            data["condition"] = _conditions_to_data(self.conditions)
        return data


@dataclass(frozen=True)
class Policy:
    """A whole policy document, with the kind and name it was parsed under.

    The source text is kept (`source`) so that explanations can point at
    lines, but it takes no part in equality.
    """

    statements: tuple[Statement, ...]
    kind: PolicyKind = PolicyKind.IDENTITY
    name: str | None = None
    version: str = "2.0"
    principal: Principal | None = None
    source: str | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.statements)

    def __iter__(self) -> Iterator[Statement]:
        return iter(self.statements)

    @property
    def label(self) -> str:
        """The name to show in explanations: the policy's name or `(unnamed)`."""
        return self.name or "(unnamed)"

    def to_data(self) -> dict[str, Any]:
        """The canonical document as plain data."""
        data: dict[str, Any] = {"version": self.version}
        if self.principal is not None:
            data["principal"] = self.principal.to_data()
        data["statement"] = [s.to_data() for s in self.statements]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """Canonical CAM JSON: lists everywhere, stable element order."""
        import json

        return json.dumps(self.to_data(), indent=indent, ensure_ascii=False)

    def with_name(self, name: str | None) -> Policy:
        """The same document under another name."""
        return Policy(self.statements, self.kind, name, self.version,
                      self.principal, self.source)

    def _repr_html_(self) -> str:
        from html import escape

        title = escape(self.label)
        body = escape(self.to_json())
        return (f"<div><b>{title}</b> ({self.kind.value} policy)"
                f"<pre>{body}</pre></div>")


def _conditions_to_data(conditions: tuple[Condition, ...]) -> dict:
    data: dict[str, dict[str, list]] = {}
    for condition in conditions:
        keys = data.setdefault(condition.operator, {})
        keys[condition.key] = list(condition.values)
    return data
