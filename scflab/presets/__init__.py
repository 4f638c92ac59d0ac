"""Tencent's preset policies for SCF and COS, shipped as data.

>>> preset("QcloudSCFReadOnlyAccess").document["statement"][0]["effect"]
'allow'

Three entries are literal copies of the presets SCF's documentation
published in April 2020 (`exact=True`): QcloudAccessForScfRole,
QcloudSCFFullAccess and QcloudSCFReadOnlyAccess. QcloudCOSFullAccess and
QcloudCOSReadOnlyAccess are the documented equivalents of those presets, not
their literal text (`exact=False`). Tencent may have changed any of them
since; `PRESET_NOTICE` says so in one sentence for the workbook to show.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scflab.language.model import Policy

__all__ = ["PRESET_NOTICE", "PresetPolicy", "preset_policies", "preset"]

PRESET_NOTICE = (
    "These preset policies are copies of Tencent Cloud's documents as "
    "published on the date each one gives, and the live presets may differ "
    "today."
)


@dataclass(frozen=True)
class PresetPolicy:
    """One preset policy: its document and where the copy comes from.

    `exact` is True for a literal copy of the preset and False for a
    documented equivalent; `as_of` is the publication date of the source,
    `YYYY-MM`. `document` is the policy as plain JSON data.
    """

    name: str
    description: str
    source: str
    as_of: str
    exact: bool
    document: dict[str, Any] = field(hash=False, repr=False)

    def policy(self) -> Policy:
        """The document parsed and validated, named after the preset."""
        from scflab.language.parser import parse_policy

        return parse_policy(self.document, name=self.name)


def preset_policies() -> dict[str, PresetPolicy]:
    """Every preset, by name, in the order the data file lists them.

    Each call builds fresh values, so changing a returned document leaves
    the shipped presets as they were.
    """
    entries = json.loads(_policies_text())
    return {entry["name"]: PresetPolicy(**entry) for entry in entries}


def preset(name: str) -> PresetPolicy:
    """The preset called `name`, spelled exactly as Tencent spells it.

    Raises KeyError naming every known preset, with the closest one as a
    suggestion when there is one.
    """
    presets = preset_policies()
    if name in presets:
        return presets[name]
    raise KeyError(_unknown_preset_message(name, list(presets)))


def _unknown_preset_message(name: str, known: list[str]) -> str:
    import difflib

    message = (f"no preset policy named `{name}`; "
               f"known presets: {', '.join(known)}")
    folded = {candidate.casefold(): candidate for candidate in known}
    close = difflib.get_close_matches(name.casefold(), folded, n=1)
    if close:
        message += f"; did you mean `{folded[close[0]]}`?"
    return message


@functools.cache
def _policies_text() -> str:
    from importlib import resources

    data = resources.files(__name__).joinpath("policies.json")
    return data.read_text(encoding="utf-8")
