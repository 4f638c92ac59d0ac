"""Temporary credentials, and the masking that keeps them off the screen.

STS answers AssumeRole with a secret id (`AKID…`), a secret key, a session
token and an expiry given twice: `ExpiredTime` in Unix seconds and
`Expiration` in ISO 8601 UTC. scflab hands out values of the same shape.

Each secret is held in a `Secret`, whose `repr`, `str` and HTML show only
its ends (`AKID****…a1b2`). Printing credentials, a role session, `vars()`
of either, or a dataclass listing of them never shows a whole secret.
`Secret.reveal()` gives the real text: the SCF runtime uses it to hand the
values to function code, as SCF does.

The values come from a generator seeded by the account (`KeyMaker`), so a
notebook shows the same credentials on every run. They are not secret and
unlock nothing outside scflab.
"""

from __future__ import annotations

import hmac
import random
import string
import uuid
from dataclasses import dataclass
from datetime import datetime
from html import escape

from scflab.identity.clock import as_moment, iso_utc

__all__ = ["Secret", "Credentials", "KeyMaker", "mask"]

_ALPHANUMERIC = string.ascii_letters + string.digits
_TOKEN_ALPHABET = _ALPHANUMERIC + "-_"


def mask(text: str, prefix: str = "") -> str:
    """`text` with all but `prefix` and its last four characters hidden.

    >>> mask("AKIDexampleexampleexample1a2b", prefix="AKID")
    'AKID****…1a2b'
    """
    shown = prefix if text.startswith(prefix) else ""
    return f"{shown}****…{text[-4:]}" if len(text) > 8 else "****"


class Secret:
    """A secret value that prints masked; `reveal()` gives the real text."""

    __slots__ = ("_value", "_prefix")

    def __init__(self, value: str, prefix: str = ""):
        self._value = value
        self._prefix = prefix

    def reveal(self) -> str:
        """The real value, for code that must send it (as SCF's runtime does).

        Anything printed from the result shows the whole secret; print the
        `Secret` itself to see it masked.
        """
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value, self._prefix)

    def matches(self, text: str | None) -> bool:
        """Whether `text` is this secret (compared in constant time)."""
        if not isinstance(text, str):
            return False
        return hmac.compare_digest(text.encode(), self._value.encode())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self.matches(other._value)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Secret('{self.masked}')"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def _repr_html_(self) -> str:
        return f"<code>{escape(self.masked)}</code>"


@dataclass(frozen=True, repr=False)
class Credentials:
    """What STS hands out for a role session.

    `tmp_secret_id`, `tmp_secret_key` and `token` are `Secret`s; the expiry
    is `expired_time` (Unix seconds) and `expiration` (ISO 8601, UTC).
    """

    tmp_secret_id: Secret
    tmp_secret_key: Secret
    token: Secret
    expired_time: int

    @property
    def expiration(self) -> str:
        """`2025-03-03T11:00:00Z`."""
        return iso_utc(as_moment(self.expired_time))

    @property
    def expires_at(self) -> datetime:
        return as_moment(self.expired_time)

    def expired(self, now: datetime) -> bool:
        """Whether the credentials are no longer valid at `now`."""
        return as_moment(now) >= self.expires_at

    def lines(self) -> list[tuple[str, str]]:
        """(field, masked value) pairs, in the order STS returns them."""
        return [("TmpSecretId", self.tmp_secret_id.masked),
                ("TmpSecretKey", self.tmp_secret_key.masked),
                ("Token", self.token.masked),
                ("ExpiredTime", str(self.expired_time)),
                ("Expiration", self.expiration)]

    def __repr__(self) -> str:
        return (f"Credentials(tmp_secret_id='{self.tmp_secret_id.masked}', "
                f"tmp_secret_key='{self.tmp_secret_key.masked}', "
                f"token='{self.token.masked}', "
                f"expiration={self.expiration})")

    def __str__(self) -> str:
        return "\n".join(f"{name}: {value}" for name, value in self.lines())

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{name}</th><td><code>{escape(value)}"
                       "</code></td></tr>" for name, value in self.lines())
        return f"<table>{rows}</table>"


class KeyMaker:
    """Credentials and ids that look like Tencent's, from a seeded generator.

    The same seed gives the same sequence, so a notebook is reproducible.
    """

    def __init__(self, seed: object):
        self._random = random.Random(str(seed))

    def credentials(self, expired_time: int) -> Credentials:
        """Fresh credentials expiring at `expired_time` (Unix seconds)."""
        return Credentials(
            Secret("AKID" + self._text(_ALPHANUMERIC, 32), "AKID"),
            Secret(self._text(_ALPHANUMERIC, 32)),
            Secret(self._text(_TOKEN_ALPHABET, 160)),
            expired_time)

    def request_id(self) -> str:
        """A request id in UUID form, as Tencent Cloud APIs return."""
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def _text(self, alphabet: str, length: int) -> str:
        return "".join(self._random.choices(alphabet, k=length))
