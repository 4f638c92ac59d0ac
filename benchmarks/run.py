"""How fast scflab decides, next to its peers, on one seeded workload.

    .venv/bin/python benchmarks/run.py           # the full run, a few minutes
    .venv/bin/python benchmarks/run.py --quick   # a smaller one, seconds

The engines: scflab's `evaluate_many`; scflab's explaining `evaluate` on a
sample; Cedar (cedarpy, `is_authorized_batch`, one policy set per
principal); Casbin (pycasbin's `FastEnforcer`, deny-override); a plain
`fnmatch` loop. All run in this one process, one after the other, so that
their ratios are taken at the same moment. Every answer is checked against
`evaluate_many`: outcome and deciding statements for scflab, Cedar and the
loop, allow or deny for Casbin (which names no statement). A disagreement
stops the run.

For each engine: requests per second over the whole batch (the best of a
few runs where one run takes under a second); the median latency of one
request decided on its own; and the peak memory, as the growth of the
process's resident set (`VmHWM`) during the batch, which counts Rust's
allocations as well as Python's. Translating policies and requests for a
peer happens before its clock starts; scflab's clock includes reading the
request DataFrame and building the answer DataFrame.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import cedarpy  # noqa: E402

import peers  # noqa: E402
import scflab  # noqa: E402
import workload  # noqa: E402
from scflab.evaluation.compiled import (  # noqa: E402
    compile_policies, facts_of, target_of)


@dataclass(frozen=True)
class Sizes:
    policies: int = 50
    principals: int = 1_000
    requests: int = 100_000
    explained: int = 10_000
    latency: int = 1_000
    scale_requests: int = 20_000
    scale: tuple[int, ...] = (10, 100, 1_000)


FULL = Sizes()
QUICK = Sizes(principals=200, requests=10_000, explained=2_000,
              latency=200, scale_requests=2_000)

TARGETS = {"evaluate_many": 300_000, "cedar_ratio": 40,
           "explained": 20_000, "import_ms": 60}


@dataclass
class Run:
    """One engine's figures on one workload."""

    engine: str
    requests: int
    seconds: float
    agree: int
    checked: str
    p50: float | None = None
    memory: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


Answers = list[tuple[str, str]]


def main() -> None:
    options = _options()
    sizes = QUICK if options.quick else FULL
    started = time.perf_counter()
    _header(options)

    load = workload.build(sizes.policies, sizes.requests, sizes.principals)
    print(_shape(load))
    runs = compare(load, sizes, latency=True)
    _table(runs)
    _ratios(runs)

    scaling = {n: compare(workload.build(n, sizes.scale_requests,
                                         sizes.principals),
                          sizes, latency=False)
               for n in sizes.scale}
    _scaling_table(scaling, sizes)

    imports = import_time()
    print(f"\n`import scflab`: {imports * 1000:.1f} ms above a bare "
          "interpreter (median of 15 runs each)")
    _targets(runs, scaling, imports)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s; load "
          f"average now {_load()}")


def _options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smaller workload, for a run of seconds")
    return parser.parse_args()


# The engines.

def compare(load: workload.Workload, sizes: Sizes, latency: bool
            ) -> dict[str, Run]:
    """Every engine on `load`, each checked against `evaluate_many`."""
    many, answers = scflab_many(load)
    explained = min(sizes.explained, len(load))
    runs = {"many": many,
            "explained": scflab_explained(load, answers, explained),
            "cedar": cedar(load, answers),
            "casbin": casbin(load, answers),
            "fnmatch": fnmatch_loop(load, answers)}
    if latency:
        sample = min(sizes.latency, len(load))
        for name, decide in _single_request_engines(load).items():
            if name in runs:
                runs[name].p50 = p50(decide, load.rows(sample))
        runs["many"].notes.append(
            "compiled core alone (PolicySet.decide): p50 "
            f"{_micro(p50(_core(load), load.rows(sample)))}")
    return runs


def scflab_many(load) -> tuple[Run, Answers]:
    frame, policies = load.frame(), load.policies_of
    cold, _, _ = timed(scflab.evaluate_many, frame, policies)
    best, memory, result = None, None, None
    for attempt in range(3):
        seconds, result, grown = timed(scflab.evaluate_many, frame,
                                       policies)
        memory = grown if memory is None else memory
        best = seconds if best is None else min(best, seconds)
    answers = list(zip(result.outcome, result.reason))
    run = Run("scflab evaluate_many", len(load), best, len(load),
              "reference", memory=memory)
    run.notes.append(f"first call, compiling included: "
                     f"{len(load) / cold:,.0f} requests/s")
    return run, answers


def scflab_explained(load, answers: Answers, count: int) -> Run:
    requests = [scflab.Request(action, resource, principal,
                               {"qcs:ip": ip})
                for principal, action, resource, ip in load.rows(count)]
    policies = load.policies_of

    def decide_all():
        return [scflab.evaluate(r, policies[r.principal])
                for r in requests]

    def explain_all():
        return [scflab.evaluate(r, policies[r.principal]).explain()
                for r in requests]

    cold, decisions, memory = timed(decide_all)
    found = [(d.outcome.value, ", ".join(map(str, d.reasons)))
             for d in decisions]
    agree = _agreement("scflab evaluate", found, answers)
    best = min(timed(decide_all)[0] for _ in range(2))
    read, _, _ = timed(explain_all)
    return Run("scflab evaluate, explained", count, best, agree,
               "outcome and reasons", memory=memory,
               notes=[f"a sample: the first {count:,} requests; the best "
                      "of two runs after a first one",
                      f"first run, matchers built on the way: "
                      f"{count / cold:,.0f} requests/s",
                      "with every explanation read as text (`explain()`): "
                      f"{count / read:,.0f} requests/s"])


def cedar(load, answers: Answers) -> Run:
    translated, handles, groups = {}, {}, defaultdict(list)
    for position, row in enumerate(load.rows()):
        groups[row[0]].append(position)
    for principal in groups:
        translated[principal] = peers.cedar_policies(
            load.policies_of[principal], principal)
        handles[principal] = cedarpy.PolicySet.from_str(
            translated[principal].text)
    requests = {principal: [_cedar_request(load, i) for i in positions]
                for principal, positions in groups.items()}
    entities = cedarpy.Entities.from_json_str("[]")

    def decide_all():
        return {principal: cedarpy.is_authorized_batch(
                    requests[principal], handles[principal], entities)
                for principal in groups}

    seconds, results, memory = timed(decide_all)
    found: list = [None] * len(load)
    for principal, positions in groups.items():
        for i, result in zip(positions, results[principal]):
            outcome, reasons = peers.cedar_answer(result,
                                                  translated[principal])
            found[i] = (outcome, ", ".join(reasons))
    agree = _agreement("cedarpy", found, answers)
    return Run("cedarpy is_authorized_batch", len(load), seconds, agree,
               "outcome and reasons", memory=memory,
               notes=[f"{len(groups):,} policy sets, one batch each"])


def _cedar_request(load, i: int) -> dict:
    return peers.cedar_request(load.actions[i], load.resources[i],
                               load.principals[i],
                               {"qcs:ip": load.ips[i]})


def casbin(load, answers: Answers) -> Run:
    enforcer = peers.casbin_enforcer(load.policies_of)
    requests = [peers.casbin_request(*row) for row in load.rows()]

    def decide_all():
        return [enforcer.enforce(*request) for request in requests]

    seconds, allowed, memory = timed(decide_all)
    found = [("allow" if yes else "deny", "") for yes in allowed]
    wanted = [("allow" if outcome == "allow" else "deny", "")
              for outcome, _ in answers]
    agree = _agreement("pycasbin", found, wanted)
    return Run("pycasbin FastEnforcer", len(load), seconds, agree,
               "allow or deny", memory=memory)


def fnmatch_loop(load, answers: Answers) -> Run:
    loop = peers.FnmatchLoop(load.policies_of)
    rows = load.rows()

    def decide_all():
        return [loop.decide(*row) for row in rows]

    seconds, found, memory = timed(decide_all)
    agree = _agreement("fnmatch loop", found, answers)
    return Run("plain fnmatch loop", len(load), seconds, agree,
               "outcome and reasons", memory=memory)


def _single_request_engines(load) -> dict[str, Callable]:
    """For each engine, a function deciding one (principal, action,
    resource, ip) row alone; requests are translated before timing."""
    policies = load.policies_of
    translated = {p: peers.cedar_policies(policies[p], p)
                  for p in set(load.principals)}
    handles = {p: cedarpy.PolicySet.from_str(t.text)
               for p, t in translated.items()}
    enforcer = peers.casbin_enforcer(policies)
    loop = peers.FnmatchLoop(policies)
    entities = cedarpy.Entities.from_json_str("[]")

    def request(row):
        principal, action, resource, ip = row
        return scflab.Request(action, resource, principal, {"qcs:ip": ip})

    return {
        "many": _prepared(request, lambda r: scflab.evaluate_many(
            [r], policies[r.principal])),
        "explained": _prepared(request, lambda r: scflab.evaluate(
            r, policies[r.principal])),
        "cedar": _prepared(
            lambda row: (peers.cedar_request(row[1], row[2], row[0],
                                             {"qcs:ip": row[3]}), row[0]),
            lambda r: cedarpy.is_authorized(r[0], handles[r[1]],
                                            entities)),
        "casbin": _prepared(lambda row: peers.casbin_request(*row),
                            lambda r: enforcer.enforce(*r)),
        "fnmatch": _prepared(lambda row: row, lambda r: loop.decide(*r)),
    }


def _core(load) -> tuple[Callable, Callable]:
    """scflab's compiled core deciding one request: no DataFrame."""
    sets = {p: compile_policies(ps) for p, ps in load.policies_of.items()}

    def prepare(row):
        principal, action, resource, ip = row
        caller = scflab.Request(action, resource, principal).caller
        return (sets[principal], action, target_of(resource),
                facts_of(caller), {"qcs:ip": ip})

    def decide(prepared):
        policy_set, *request = prepared
        return policy_set.decide(*request)

    return prepare, decide


def _prepared(prepare: Callable, decide: Callable) -> tuple:
    return prepare, decide


# Measuring.

def timed(work: Callable, *args):
    """`(seconds, result, growth)` of one call of `work(*args)`: the time
    it took, and how far the resident set grew above its size before the
    call (None where Linux does not tell)."""
    baseline = _reset_peak()
    started = time.perf_counter()
    result = work(*args)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    grown = None if baseline is None or peak is None else peak - baseline
    return seconds, result, grown


def p50(engine: tuple[Callable, Callable], rows) -> float:
    """The median time one request takes when decided on its own."""
    prepare, decide = engine
    prepared = [prepare(row) for row in rows]
    decide(prepared[0])
    times = []
    for request in prepared:
        started = time.perf_counter()
        decide(request)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _reset_peak() -> int | None:
    """Return freed memory to the system, reset the peak resident set to
    the current one, and return that (in bytes), where Linux allows."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as control:
            control.write("5")
    except OSError:
        return None
    return _status("VmRSS")


def _status(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _agreement(engine: str, found: list, expected: list) -> int:
    agree = sum(a == b for a, b in zip(found, expected))
    if agree != len(found):
        first = next(i for i, (a, b) in enumerate(zip(found, expected))
                     if a != b)
        raise AssertionError(
            f"{engine} disagrees with evaluate_many on "
            f"{len(found) - agree} of {len(found)} requests; the first is "
            f"request {first}: {found[first]} against {expected[first]}")
    return agree


def import_time(runs: int = 15) -> float:
    """Seconds `import scflab` adds to starting the interpreter.

    The package's bytecode is compiled first, as an installed package's is:
    with `PYTHONDONTWRITEBYTECODE` set, every import would otherwise
    compile the sources again and measure the compiler.
    """
    import compileall

    compileall.compile_dir(pathlib.Path(scflab.__file__).parent, quiet=1)

    def median(code: str) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return median("import scflab") - median("pass")


# Reporting.

def _header(options) -> None:
    command = "benchmarks/run.py" + (" --quick" if options.quick else "")
    print(f"command: {pathlib.Path(sys.executable).name} {command}")
    print(f"machine: {len(os.sched_getaffinity(0))} cores, {_cpu()}; "
          f"Python {platform.python_version()} on {platform.system()}; "
          f"load average {_load()}")
    print("versions: " + ", ".join(
        f"{name} {_version(name)}"
        for name in ("scflab", "cedarpy", "pycasbin", "pandas")))


def _shape(load: workload.Workload) -> str:
    statements = sum(len(p.statements) for p in load.policies.values())
    return (f"\nworkload: {len(load.policies)} policies, {statements} "
            f"statements, {len(load.assigned):,} principals with 3 "
            f"policies each, {len(load):,} requests")


def _table(runs: dict[str, Run]) -> None:
    print(f"\n{'engine':<30}{'requests':>10}{'requests/s':>13}"
          f"{'p50, one request':>18}{'peak memory':>13}  agreement")
    for run in runs.values():
        print(f"{run.engine:<30}{run.requests:>10,}{run.rate:>13,.0f}"
              f"{_micro(run.p50):>18}{_megabytes(run.memory):>13}  "
              f"{run.agree:,}/{run.requests:,} ({run.checked})")
        for note in run.notes:
            print(f"{'':<32}{note}")


def _ratios(runs: dict[str, Run]) -> None:
    many = runs["many"].rate
    print("\nscflab evaluate_many, in requests per second, is")
    for key in ("explained", "cedar", "casbin", "fnmatch"):
        print(f"  {many / runs[key].rate:8.1f} x {runs[key].engine}")


def _scaling_table(scaling: dict[int, dict[str, Run]], sizes) -> None:
    print(f"\nhow cost grows with the number of policies "
          f"({sizes.scale_requests:,} requests each, 3 policies per "
          "principal; requests/s):")
    print(f"{'policies':>9}{'evaluate_many':>15}{'explained':>11}"
          f"{'cedarpy':>10}{'pycasbin':>10}{'fnmatch':>10}"
          f"{'many/cedar':>12}")
    for count, runs in scaling.items():
        rates = [runs[k].rate for k in
                 ("many", "explained", "cedar", "casbin", "fnmatch")]
        print(f"{count:>9,}{rates[0]:>15,.0f}{rates[1]:>11,.0f}"
              f"{rates[2]:>10,.0f}{rates[3]:>10,.0f}{rates[4]:>10,.0f}"
              f"{rates[0] / rates[2]:>11.0f}x")


def _targets(runs, scaling, imports: float) -> None:
    many = runs["many"].rate
    smallest, largest = min(scaling), max(scaling)
    growth = scaling[largest]["many"].rate / scaling[smallest]["many"].rate
    checks = [
        (f"evaluate_many >= {TARGETS['evaluate_many']:,} requests/s",
         many >= TARGETS["evaluate_many"], f"{many:,.0f}"),
        (f"evaluate_many >= {TARGETS['cedar_ratio']} x cedarpy",
         many / runs["cedar"].rate >= TARGETS["cedar_ratio"],
         f"{many / runs['cedar'].rate:.1f} x"),
        (f"explained evaluate >= {TARGETS['explained']:,} requests/s",
         runs["explained"].rate >= TARGETS["explained"],
         f"{runs['explained'].rate:,.0f}"),
        (f"evaluate_many at {largest:,} policies >= half that at "
         f"{smallest}", growth >= 0.5, f"{growth:.2f}"),
        (f"import scflab < {TARGETS['import_ms']} ms",
         imports * 1000 < TARGETS["import_ms"], f"{imports * 1000:.1f} ms"),
    ]
    print("\ntargets:")
    for text, met, value in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}: {value}")


def _micro(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:,.1f} µs"


def _megabytes(size: int | None) -> str:
    return "-" if size is None else f"{size / 2**20:,.1f} MB"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _load() -> str:
    try:
        return ", ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    main()
