"""Action names and action patterns: `scf:ListFunctions`, `name/cos:*`.

An action is written `service:ApiName`, optionally behind the prefix `name/`
(both forms mean the same). `*` alone, or `*:*`, means every action of every
service. Where the documents are silent scflab chooses: action names match
without regard to case (the preset policies write `cls:getTopic` for an API
published as `GetTopic`), and `?` is no wildcard: an action
containing it is rejected, and in resources it is an ordinary character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scflab.errors import InvalidValue
from scflab.language.wildcard import compile_pattern

__all__ = ["ActionPattern", "normalise_action"]

PREFIX = "name/"
_CODE = "InvalidParameter.ActionError"
_SERVICE = re.compile(r"[a-z][a-z0-9_-]*|\*", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z0-9_*-]+")


@dataclass(frozen=True)
class ActionPattern:
    """A parsed action entry of a statement."""

    service: str
    name: str
    prefixed: bool = False

    @classmethod
    def parse(cls, text: str) -> ActionPattern:
        """Read an action entry; raise `InvalidValue` saying what is wrong."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidValue(_CODE, "an action is empty",
                               "write `service:ApiName`, such as "
                               "`scf:InvokeFunction`, or `*`")
        if text != text.strip() or " " in text:
            fixed = text.replace(" ", "")
            raise InvalidValue(_CODE, f"action `{text}` contains spaces",
                               f"remove them: `{fixed}`")
        body = text[len(PREFIX):] if text.startswith(PREFIX) else text
        if body in ("*", "*:*"):
            return cls("*", "*", text.startswith(PREFIX))
        if "?" in body:
            raise InvalidValue(_CODE, f"action `{text}` contains `?`",
                               "`?` is not a wildcard in CAM: only `*` is; "
                               "write `*` or the full name")
        service, sep, name = body.partition(":")
        if not sep:
            raise InvalidValue(_CODE, f"action `{text}` names no service",
                               _missing_part_hint(body))
        if not _SERVICE.fullmatch(service) or not _NAME.fullmatch(name):
            raise InvalidValue(_CODE, f"action `{text}` is malformed",
                               "a service is lowercase letters and an API "
                               "name letters and digits, such as "
                               "`cos:GetObject`; `*` is the wildcard")
        return cls(service.lower(), name, text.startswith(PREFIX))

    @property
    def everything(self) -> bool:
        """Whether this is `*` (or `*:*`): every action of every service."""
        return self.service == "*" and self.name == "*"

    @property
    def text(self) -> str:
        """The canonical spelling, without `name/`: `scf:List*`."""
        if self.everything:
            return "*"
        return f"{self.service}:{self.name}"

    def matches(self, action: str) -> bool:
        """Whether this pattern covers a concrete action like `scf:Invoke`."""
        if self.everything:
            return True
        return compile_pattern(self.text, True)(normalise_action(action))


def _missing_part_hint(body: str) -> str:
    if body.islower():
        return (f"write `{body}:ApiName` for one action of `{body}`, or "
                f"`{body}:*` for all of them")
    return f"write it as `service:ApiName`, such as `scf:{body}`"


def normalise_action(action: str) -> str:
    """`name/scf:ListFunctions` → `scf:ListFunctions`."""
    return action[len(PREFIX):] if action.startswith(PREFIX) else action
