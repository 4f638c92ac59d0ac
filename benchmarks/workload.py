"""The benchmark's workload: policies, principals and requests, seeded.

The shape, for the default sizes: 50 policies of 5 statements; 60 actions
over `scf`, `cos`, `apigw` and `cls`, a quarter of the action entries
wildcards (`scf:List*`, `cos:*`); resource patterns with wildcards in the
region or the last segment; exactly a fifth of the statements deny, and a
fifth (drawn apart) carry an `ip_equal` condition on `qcs:ip`; 1,000
sub-users with 3 policies each; 100,000 requests (principal, action,
resource, source IP).

Half the requests aim at one of their principal's statements (an action
and resource it names, an address inside its IP block most of the time),
so that allows and explicit denies are common; the other half are drawn at
random. Patterns stay within what every peer can read: a `*` never has to
cross a segment boundary.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from functools import cached_property

import scflab
from scflab import Policy

ROOT = "100000000001"
APP = "1250000000"
REGIONS = ("ap-guangzhou", "ap-shanghai", "ap-beijing")
SHARE = {"scf": 20, "cos": 20, "apigw": 10, "cls": 10}
WILDCARDS = {
    "scf": ("scf:List*", "scf:Get*", "scf:Update*", "scf:*"),
    "cos": ("cos:*", "cos:Get*", "cos:Put*", "cos:List*"),
    "apigw": ("apigw:*", "apigw:Describe*"),
    "cls": ("cls:*", "cls:get*", "cls:Describe*"),
}


@dataclass
class Workload:
    """Policies by name, each principal's policy names, and the requests
    as parallel columns."""

    policies: dict[str, Policy]
    assigned: dict[str, list[str]]
    principals: list[str]
    actions: list[str]
    resources: list[str]
    ips: list[str]
    documents: dict[str, dict] = field(repr=False, default_factory=dict)

    def __len__(self) -> int:
        return len(self.actions)

    @cached_property
    def policies_of(self) -> dict[str, list[Policy]]:
        """Each principal's policies, the mapping `evaluate_many` takes."""
        return {who: [self.policies[name] for name in names]
                for who, names in self.assigned.items()}

    def frame(self, stop: int | None = None):
        """The requests as a DataFrame, `qcs:ip` as a context column."""
        import pandas

        return pandas.DataFrame({
            "principal": self.principals[:stop],
            "action": self.actions[:stop],
            "resource": self.resources[:stop],
            "qcs:ip": self.ips[:stop]})

    def rows(self, stop: int | None = None):
        """(principal, action, resource, ip) for each request."""
        return list(zip(self.principals[:stop], self.actions[:stop],
                        self.resources[:stop], self.ips[:stop]))


def build(policies: int = 50, requests: int = 100_000,
          principals: int = 1_000, seed: int = 20240501) -> Workload:
    """A workload of the given size; the same seed gives the same one."""
    rng = random.Random(seed)
    pool = _Pool(rng)
    count = policies * 5
    denies = set(rng.sample(range(count), count // 5))
    conditions = set(rng.sample(range(count), count // 5))
    statements = [_statement(rng, pool, i in denies, i in conditions)
                  for i in range(count)]
    documents = {f"policy-{i:04d}": {"version": "2.0",
                                     "statement": statements[5 * i:5 * i + 5]}
                 for i in range(policies)}
    parsed = {name: scflab.parse_policy(doc, name=name)
              for name, doc in documents.items()}
    assigned = {f"qcs::cam::uin/{ROOT}:uin/{300000000000 + i}":
                rng.sample(sorted(documents), min(3, policies))
                for i in range(principals)}
    columns = _requests(rng, pool, documents, assigned, requests)
    return Workload(parsed, assigned, *columns, documents=documents)


class _Pool:
    """The actions and resources requests are drawn from."""

    def __init__(self, rng: random.Random):
        catalog = scflab.default_catalog()
        self.actions = {
            service: sorted(rng.sample(
                [a.qualified for a in catalog.actions(service)], count))
            for service, count in SHARE.items()}
        self.resources = {
            "scf": [f"qcs::scf:{r}:uin/{ROOT}:namespace/{ns}/function/"
                    f"fn-{i:02d}" for r in REGIONS
                    for ns in ("default", "prod", "dev") for i in range(40)],
            "cos": [f"qcs::cos:{r}:uid/{APP}:{b}-{APP}/dir{d}/obj{i:02d}"
                    for r in REGIONS for b in ("logs", "media", "data")
                    for d in range(5) for i in range(20)],
            "apigw": [f"qcs::apigw:{r}:uin/{ROOT}:service/service-{i:02d}"
                      for r in REGIONS for i in range(30)],
            "cls": [f"qcs::cls:{r}:uin/{ROOT}:topic/topic-{i:02d}"
                    for r in REGIONS for i in range(30)],
        }
        self._matching: dict[tuple, list[str]] = {}

    def matching(self, kind: str, service: str, pattern: str) -> list[str]:
        """The actions or resources of `service` that `pattern` covers."""
        key = (kind, service, pattern)
        if key not in self._matching:
            names = getattr(self, kind)[service]
            self._matching[key] = [
                n for n in names
                if fnmatch.fnmatchcase(n.casefold(), pattern.casefold())]
        return self._matching[key]


def _statement(rng: random.Random, pool: _Pool, deny: bool,
               condition: bool) -> dict:
    service = rng.choices(list(SHARE), weights=list(SHARE.values()))[0]
    statement = {
        "effect": "deny" if deny else "allow",
        "action": [_action_entry(rng, pool, service)
                   for _ in range(rng.randint(1, 3))],
        "resource": [_resource_entry(rng, pool, service)
                     for _ in range(rng.randint(1, 2))],
    }
    if condition:
        blocks = [_block(rng) for _ in range(rng.randint(1, 2))]
        statement["condition"] = {"ip_equal": {"qcs:ip": blocks}}
    return statement


def _action_entry(rng, pool: _Pool, service: str) -> str:
    if rng.random() < 0.25:
        return rng.choice(WILDCARDS[service])
    return rng.choice(pool.actions[service])


def _resource_entry(rng, pool: _Pool, service: str) -> str:
    draw = rng.random()
    if draw < 0.2:
        return "*"
    resource = rng.choice(pool.resources[service])
    head, _, path = resource.rpartition(":")
    if draw < 0.45:
        return resource
    if draw < 0.8:  # a prefix of the last segment
        return f"{head}:{path[:rng.randint(len(path) // 2, len(path))]}*"
    parts = resource.split(":")  # any region, any id under one folder
    parts[3] = "*"
    parts[5] = path.rsplit("/", 1)[0] + "/*"
    return ":".join(parts)


def _block(rng) -> str:
    if rng.random() < 0.5:
        return f"10.{rng.randrange(16)}.0.0/16"
    return f"192.168.{rng.randrange(64)}.0/24"


def _requests(rng, pool: _Pool, documents, assigned, count: int):
    everyone = sorted(assigned)
    principals, actions, resources, ips = [], [], [], []
    for _ in range(count):
        principal = rng.choice(everyone)
        if rng.random() < 0.5:
            document = documents[rng.choice(assigned[principal])]
            action, resource, ip = _aimed(
                rng, pool, rng.choice(document["statement"]))
        else:
            action, resource, ip = _random_request(rng, pool)
        principals.append(principal)
        actions.append(action)
        resources.append(resource)
        ips.append(ip)
    return principals, actions, resources, ips


def _aimed(rng, pool: _Pool, statement: dict):
    """A request the statement speaks of, most of the time."""
    service = statement["action"][0].partition(":")[0]
    entry = rng.choice(statement["action"])
    action = rng.choice(pool.matching("actions", service, entry)
                        or pool.actions[service])
    pattern = rng.choice(statement["resource"])
    resource = rng.choice(pool.matching("resources", service, pattern)
                          or pool.resources[service])
    blocks = statement.get("condition", {}).get("ip_equal", {}).get(
        "qcs:ip")
    if blocks and rng.random() < 0.7:
        return action, resource, _inside(rng, rng.choice(blocks))
    return action, resource, _address(rng)


def _random_request(rng, pool: _Pool):
    service = rng.choices(list(SHARE), weights=list(SHARE.values()))[0]
    return (rng.choice(pool.actions[service]),
            rng.choice(pool.resources[service]), _address(rng))


def _inside(rng, block: str) -> str:
    prefix = block.split("/")[0].split(".")
    if block.endswith("/16"):
        return f"{prefix[0]}.{prefix[1]}.{rng.randrange(256)}." \
            f"{rng.randrange(1, 255)}"
    return f"{'.'.join(prefix[:3])}.{rng.randrange(1, 255)}"


def _address(rng) -> str:
    if rng.random() < 0.5:
        return f"10.{rng.randrange(32)}.{rng.randrange(256)}." \
            f"{rng.randrange(1, 255)}"
    return f"192.168.{rng.randrange(128)}.{rng.randrange(1, 255)}"
