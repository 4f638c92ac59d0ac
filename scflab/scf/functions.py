"""Functions, namespaces and triggers, with SCF's naming rules.

- FunctionName: 2-60 characters of letters, digits, `-` and `_`, starting
  with a letter and not ending with `-` or `_`.
- Namespace: letters, digits, `-` and `_`, at most 30 characters. Every
  region has the namespace `default`, which cannot be created or deleted.
- Environment variables: names starting `SCF_`, `QCLOUD_` or
  `TENCENTCLOUD_` belong to SCF and cannot be set.

A function is a code package or an image. Its body is a Python callable:
`handler(event, context)` for a code package, `handler(request)` for an
image (see `scflab.scf.runtime`). Memory and timeout (128 MB, 3 seconds
unless given) only show in what the runtime hands to the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any, Callable

from scflab.errors import ScfError
from scflab.language.resources import ResourceName

__all__ = ["Function", "Namespace", "Trigger", "CosCode",
           "DEFAULT_NAMESPACE", "DEFAULT_REGION", "check_function_name",
           "check_namespace_name", "check_environment"]

DEFAULT_NAMESPACE = "default"
DEFAULT_REGION = "ap-guangzhou"
RESERVED_PREFIXES = ("SCF_", "QCLOUD_", "TENCENTCLOUD_")

_FUNCTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]")
_NAMESPACE = re.compile(r"[A-Za-z0-9_-]{1,30}")


def check_function_name(name: Any) -> None:
    """Raise `ScfError` `InvalidParameter.FunctionName` for a bad name."""
    if isinstance(name, str) and _FUNCTION_NAME.fullmatch(name):
        return
    raise ScfError(
        "InvalidParameter.FunctionName",
        f"FunctionName `{name}` breaks SCF's rule: 2-60 letters, digits, "
        "`-` or `_`, starting with a letter, not ending with `-` or `_`",
        "a name such as `thumbnailer` or `resize_image-v2` works")


def check_namespace_name(name: Any) -> None:
    """Raise `ScfError` `InvalidParameterValue.NamespaceInvalid`."""
    if isinstance(name, str) and _NAMESPACE.fullmatch(name):
        return
    raise ScfError(
        "InvalidParameterValue.NamespaceInvalid",
        f"Namespace `{name}` is not 1-30 letters, digits, `-` or `_`",
        "a name such as `prod` or `team-a` works")


def check_environment(environment: dict[str, str]) -> None:
    """Refuse variable names SCF keeps for itself."""
    for name in environment:
        if name.upper().startswith(RESERVED_PREFIXES):
            raise ScfError(
                "InvalidParameterValue.EnvironmentSystemProtect",
                f"environment variable `{name}` uses a prefix SCF keeps "
                "for its own variables",
                "names may not start with " +
                ", ".join(f"`{p}`" for p in RESERVED_PREFIXES))


@dataclass(frozen=True)
class CosCode:
    """A code package stored in COS, which SCF reads as SCF_QcsRole."""

    bucket: str
    key: str


@dataclass(frozen=True)
class Namespace:
    name: str
    region: str
    description: str = ""


@dataclass(frozen=True)
class Trigger:
    """What makes SCF run a function: `timer`, `cos` or `apigw`."""

    kind: str
    name: str
    source: str = ""


@dataclass(eq=False)
class Function:
    """One function of an account, in a region and a namespace.

    `role` is the name of its execution role, or None: without one, the
    code gets no credentials. `image` is the image URI of an image
    function; `code` says where a code package came from.
    """

    name: str
    handler: Callable[..., Any]
    owner_uin: str
    namespace: str = DEFAULT_NAMESPACE
    region: str = DEFAULT_REGION
    role: str | None = None
    image: str | None = None
    code: CosCode | None = None
    environment: dict[str, str] = field(default_factory=dict)
    memory: int = 128
    timeout: int = 3
    created_by: str = ""
    triggers: list[Trigger] = field(default_factory=list)

    version = "$LATEST"

    @property
    def kind(self) -> str:
        """`image` or `code package`."""
        return "image" if self.image else "code package"

    @property
    def resource(self) -> ResourceName:
        """`qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>`."""
        return ResourceName.scf_function(self.owner_uin, self.name,
                                         region=self.region,
                                         namespace=self.namespace)

    @property
    def where(self) -> str:
        """`ap-guangzhou/default/thumbnailer`."""
        return f"{self.region}/{self.namespace}/{self.name}"

    def __repr__(self) -> str:
        role = f"'{self.role}'" if self.role else None
        return (f"Function('{self.where}', {self.kind}, role={role}, "
                f"triggers={[t.kind for t in self.triggers]})")

    def _repr_html_(self) -> str:
        rows = [("function", self.where), ("kind", self.kind),
                ("resource", str(self.resource)),
                ("execution role", self.role or "(none: no credentials)"),
                ("triggers", ", ".join(t.name for t in self.triggers)
                 or "(none)"),
                ("created by", self.created_by or "(unknown)")]
        cells = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>"
                        for k, v in rows)
        return f"<table>{cells}</table>"
