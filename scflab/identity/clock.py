"""The time an account lives in, which notebooks and tests can move.

`Clock` reads the computer's UTC time and can be pushed forward with
`advance`, so a lesson can watch credentials expire without waiting.
`ManualClock` stands still at a chosen instant until it is moved, which
makes every time an account shows the same from one run to the next.

    >>> clock = ManualClock("2025-03-03T09:00:00Z")
    >>> clock.advance(7201).isoformat()
    '2025-03-03T11:00:01+00:00'
    >>> iso_utc(clock.now())
    '2025-03-03T11:00:01Z'

Times are always timezone-aware UTC `datetime`s, whole seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "ManualClock", "as_moment", "iso_utc"]


class Clock:
    """The computer's UTC time, plus however far it has been advanced."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        """The current time, UTC, to the second."""
        moment = datetime.now(timezone.utc) + self._offset
        return moment.replace(microsecond=0)

    def timestamp(self) -> int:
        """The current time in Unix seconds."""
        return int(self.now().timestamp())

    def advance(self, seconds: float) -> datetime:
        """Move time forward by `seconds` and return the new time."""
        self._offset += _step(seconds)
        return self.now()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(now={iso_utc(self.now())})"


class ManualClock(Clock):
    """A clock that moves only when told to.

    `start` is a `datetime`, Unix seconds or ISO 8601 text; a naive
    `datetime` is read as UTC.
    """

    #: Where a `ManualClock()` starts when given no time.
    DEFAULT_START = "2025-03-03T09:00:00Z"

    def __init__(self, start: datetime | float | str = DEFAULT_START):
        super().__init__()
        self._now = as_moment(start)

    def now(self) -> datetime:
        return self._now + self._offset

    def set(self, moment: datetime | float | str) -> datetime:
        """Jump to `moment` (forwards or backwards) and return it."""
        self._offset = timedelta()
        self._now = as_moment(moment)
        return self._now


def as_moment(value: datetime | float | str) -> datetime:
    """`value` as an aware UTC `datetime`, whole seconds.

    Accepts a `datetime` (naive ones are UTC), Unix seconds, or ISO 8601
    text such as `2025-03-03T09:00:00Z`.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, timezone.utc)
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    else:
        raise TypeError(f"`{value!r}` is not a time: give a datetime, Unix "
                        "seconds or ISO 8601 text")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, as STS writes `Expiration`."""
    return as_moment(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _step(seconds: float) -> timedelta:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"advance() takes a number of seconds, not "
                        f"`{seconds!r}`")
    if seconds < 0:
        raise ValueError(f"a clock only moves forward; `{seconds}` is "
                         "negative (use ManualClock.set to jump back)")
    return timedelta(seconds=seconds)
