"""Write scflab's sample request log, `scflab/analysis/request_log.csv.gz`.

    python scripts/make_request_log.py [--rows 10000] [--seed 20250303]

Two weeks of requests in the fictional Lanternfish Labs account
(`scflab.sample_account()`), shaped like CloudAudit records: when, who
(the identity's name and CAM principal), which action on which resource,
from which address, and what CAM decided, with the deciding statements.
Each identity has a habit: the actions it mostly uses, the resources it
mostly touches, and now and then a request its policies refuse.

Every outcome is computed by `Account.authorize`, so the log agrees with
the sample account; a test re-decides a sample of rows. The generator is
seeded and writes gzip without a timestamp, so the same code gives the
same bytes. Run it again whenever the sample account's policies change.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import scflab
from scflab.analysis.requestlog import LOG_FILE, reason_of
from scflab.identity.sample import SAMPLE_APP_ID, SAMPLE_UIN

OUTPUT = Path(__file__).resolve().parents[1] / "scflab" / "analysis" \
    / LOG_FILE
COLUMNS = ("time", "request_id", "identity", "caller", "action",
           "resource", "source_ip", "outcome", "reason")
START = datetime(2025, 3, 3, tzinfo=timezone.utc)
DAYS = 14

GZ = f"qcs::scf:ap-guangzhou:uin/{SAMPLE_UIN}:namespace/default/function/"
SH = f"qcs::scf:ap-shanghai:uin/{SAMPLE_UIN}:namespace/prod/function/"
COS = f"qcs::cos:ap-guangzhou:uid/{SAMPLE_APP_ID}:"
ROLES = f"qcs::cam::uin/{SAMPLE_UIN}:roleName/"

DEFAULT_FUNCTIONS = [GZ + name for name in ("Test1", "Test2", "thumbnailer")]
PROD_FUNCTIONS = [SH + name for name in ("report-builder", "render-image")]
UPLOADS = [f"{COS}uploads-{SAMPLE_APP_ID}/{key}"
           for key in ("cat.jpg", "dog.jpg", "2025/03/fox.png")]
THUMBNAILS = [f"{COS}thumbnails-{SAMPLE_APP_ID}/{key}"
              for key in ("cat.jpg", "dog.jpg", "rendered/dog.jpg")]
CODE = [f"{COS}code-{SAMPLE_APP_ID}/releases/thumbnailer-1.1.zip"]

OFFICE = "10.8.{}.{}"
CI_RUNNERS = "172.20.{}.{}"
SCF_INTERNAL = "100.64.{}.{}"
OUTSIDE = ("203.0.113.{}", "198.51.100.{}")

# Each habit: (weight, actions, resources). `*` stands for the request
# resource of an operation-level action.
HABITS = {
    "mei": (30, OFFICE, [
        (6, ["scf:ListFunctions", "scf:GetAccount"], ["*"]),
        (8, ["scf:GetFunction", "scf:GetFunctionLogs",
             "scf:InvokeFunction"], DEFAULT_FUNCTIONS),
        (4, ["scf:UpdateFunctionCode", "scf:UpdateFunctionConfiguration",
             "scf:PublishVersion"], DEFAULT_FUNCTIONS),
        (1, ["scf:GetFunction", "scf:UpdateFunctionCode"], PROD_FUNCTIONS),
        (3, ["cos:GetObject", "cos:PutObject"], UPLOADS),
        (1, ["name/cam:PassRole"], [ROLES + "thumbnail_writer",
                                    ROLES + "scf_cos_full_access"]),
    ]),
    "ravi": (18, OFFICE, [
        (5, ["scf:ListFunctions"], ["*"]),
        (8, ["scf:InvokeFunction", "scf:GetFunctionLogs",
             "scf:GetFunction"], PROD_FUNCTIONS),
        (2, ["scf:GetFunction", "scf:ListVersionByFunction"],
         DEFAULT_FUNCTIONS),
        (2, ["name/sts:AssumeRole"], [ROLES + "ops_admin"]),
        (1, ["scf:UpdateFunctionCode", "scf:DeleteFunction"],
         PROD_FUNCTIONS),
    ]),
    "lena": (12, OFFICE, [
        (4, ["scf:ListFunctions", "scf:ListNamespaces"], ["*"]),
        (4, ["scf:GetFunction", "scf:GetFunctionLogs"],
         DEFAULT_FUNCTIONS + PROD_FUNCTIONS),
        (3, ["cos:GetObject", "cos:HeadObject"], UPLOADS + THUMBNAILS),
        (1, ["cos:PutObject", "scf:InvokeFunction"],
         THUMBNAILS + DEFAULT_FUNCTIONS),
    ]),
    "ci-bot": (16, CI_RUNNERS, [
        (2, ["scf:ListFunctions"], ["*"]),
        (8, ["scf:UpdateFunctionCode", "scf:UpdateFunctionConfiguration",
             "scf:PublishVersion", "scf:GetFunction"], PROD_FUNCTIONS),
        (2, ["scf:UpdateFunctionCode"], DEFAULT_FUNCTIONS),
        (1, ["cos:GetObject"], CODE),
    ]),
    "kai": (8, OUTSIDE, [
        (3, ["scf:ListFunctions", "scf:GetAccountSettings"], ["*"]),
        (6, ["scf:InvokeFunction", "scf:GetFunction", "scf:GetFunctionLogs",
             "scf:UpdateFunction"], DEFAULT_FUNCTIONS[:2]),
        (1, ["scf:UpdateFunctionCode", "scf:InvokeFunction"],
         DEFAULT_FUNCTIONS),
    ]),
    "thumbnail_writer": (12, SCF_INTERNAL, [
        (5, ["cos:GetObject"], UPLOADS),
        (5, ["cos:PutObject"], THUMBNAILS),
        (1, ["cos:PutObject", "cos:DeleteObject"], UPLOADS),
    ]),
    "scf_cos_full_access": (3, SCF_INTERNAL, [
        (4, ["cos:GetBucket", "cos:GetObject"], UPLOADS),
        (1, ["scf:InvokeFunction"], PROD_FUNCTIONS),
    ]),
    "root": (1, OFFICE, [
        (1, ["scf:CreateFunction", "scf:DeleteFunction"],
         DEFAULT_FUNCTIONS + PROD_FUNCTIONS),
        (1, ["cam:AttachUserPolicy"], [f"qcs::cam::uin/{SAMPLE_UIN}:"
                                       f"uin/{SAMPLE_UIN}"]),
    ]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20250303)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    rows = generate(options.rows, options.seed)
    write(rows, options.output)
    allowed = sum(row["outcome"] == "allow" for row in rows)
    print(f"wrote {len(rows)} rows ({allowed} allowed) to {options.output}")


def generate(count: int, seed: int) -> list[dict[str, str]]:
    """`count` rows in time order, every outcome decided by the account."""
    chooser = random.Random(seed)
    account = scflab.sample_account()
    identities = {name: _identity(account, name) for name in HABITS}
    names = list(HABITS)
    weights = [HABITS[name][0] for name in names]
    times = sorted(_moment(chooser) for _ in range(count))
    rows = []
    for moment in times:
        name = chooser.choices(names, weights)[0]
        rows.append(_row(chooser, account, name, identities[name], moment))
    return rows


def _identity(account, name: str):
    if name == "root":
        return account.root
    if name in account.users:
        return account.user(name)
    return account.role(name)


def _moment(chooser: random.Random) -> datetime:
    """A time in the fortnight, mostly in Beijing working hours."""
    day = chooser.randrange(DAYS)
    if chooser.random() < 0.85:
        seconds = chooser.uniform(1, 10) * 3600
    else:
        seconds = chooser.uniform(0, 24) * 3600
    return START + timedelta(days=day, seconds=int(seconds))


def _row(chooser, account, name: str, identity, moment: datetime) -> dict:
    _, addresses, habits = HABITS[name]
    _, actions, resources = chooser.choices(
        habits, [habit[0] for habit in habits])[0]
    action = chooser.choice(actions)
    resource = chooser.choice(resources)
    address = _address(chooser, addresses)
    time = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    decision = account.authorize(identity, action, resource,
                                 {"qcs:ip": address,
                                  "qcs:current_time": time})
    return {"time": time,
            "request_id": str(uuid.UUID(int=chooser.getrandbits(128),
                                        version=4)),
            "identity": name, "caller": identity.caller.principal,
            "action": action, "resource": resource, "source_ip": address,
            "outcome": decision.outcome.value,
            "reason": reason_of(decision)}


def _address(chooser: random.Random, pattern) -> str:
    if isinstance(pattern, tuple):
        pattern = chooser.choice(pattern)
    return pattern.format(*(chooser.randrange(1, 255)
                            for _ in range(pattern.count("{}"))))


def write(rows: list[dict[str, str]], path: Path) -> None:
    """CSV in gzip, with no timestamp inside, so reruns give equal bytes."""
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with open(path, "wb") as file:
        with gzip.GzipFile(filename="", mode="wb", fileobj=file,
                           mtime=0) as packed:
            packed.write(text.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main()
