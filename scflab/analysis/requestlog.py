"""The sample request log: two weeks of requests in the sample account.

`request_log()` loads about ten thousand CloudAudit-like rows, one per
request made in `scflab.sample_account()`, as a pandas DataFrame:

| column       | meaning                                                  |
|--------------|----------------------------------------------------------|
| `time`       | when the request arrived (UTC)                           |
| `request_id` | an id for the request                                    |
| `identity`   | the identity's name in the account (`mei`, a role name)  |
| `caller`     | its CAM principal                                        |
| `action`     | the action, as the caller wrote it                       |
| `resource`   | the resource; `*` for an operation-level action          |
| `source_ip`  | the address it came from                                 |
| `outcome`    | `allow`, `explicit_deny` or `implicit_deny`              |
| `reason`     | what decided it (see `reason_of`)                        |

The rows are made by `scripts/make_request_log.py`, a seeded generator
kept in the repository, and every outcome is the sample account's own
decision for that request (with `qcs:ip` and `qcs:current_time` set from
the row). The people, addresses and ids are fictional.
"""

from __future__ import annotations

__all__ = ["request_log", "reason_of", "LOG_FILE"]

#: The log's file name beside this module.
LOG_FILE = "request_log.csv.gz"

_NO_ALLOW = "no statement allows it"


def request_log():
    """The sample request log as a new DataFrame (imports pandas).

    `time` is a timezone-aware timestamp; the other columns are text, an
    empty `reason` never occurs.
    """
    from importlib import resources

    import pandas

    data = resources.files(__package__).joinpath(LOG_FILE)
    with data.open("rb") as file:
        frame = pandas.read_csv(file, compression="gzip", dtype=str,
                                keep_default_na=False)
    frame["time"] = pandas.to_datetime(frame["time"], utc=True)
    return frame


def reason_of(decision) -> str:
    """What decided a `Decision`, in one line, as the log writes it.

    For an allow or an explicit deny, the deciding statements joined by
    `", "`; for an implicit deny, the decision's notes (a boundary or
    session policy that refused), or `no statement allows it`.
    """
    if decision.reasons:
        return ", ".join(map(str, decision.reasons))
    return "; ".join(decision.notes) or _NO_ALLOW
