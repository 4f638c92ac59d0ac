"""The sample request log: its shape, and its agreement with the sample
account."""

import importlib.util
from pathlib import Path

import pytest

import scflab
from scflab.analysis.requestlog import LOG_FILE, reason_of

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["time", "request_id", "identity", "caller", "action",
           "resource", "source_ip", "outcome", "reason"]


@pytest.fixture(scope="module")
def log():
    return scflab.request_log()


@pytest.fixture(scope="module")
def account():
    return scflab.sample_account()


def generator():
    """The script that writes the log, loaded as a module."""
    path = ROOT / "scripts" / "make_request_log.py"
    spec = importlib.util.spec_from_file_location("make_request_log", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_log_has_ten_thousand_rows_and_its_columns(log):
    """The log holds ten thousand rows with the documented columns."""
    assert len(log) == 10_000
    assert list(log.columns) == COLUMNS


def test_rows_are_in_time_order_over_two_weeks(log):
    """Times are UTC, sorted, and span the generator's fortnight."""
    times = log["time"]

    assert str(times.dt.tz) == "UTC"
    assert times.is_monotonic_increasing
    assert (times.max() - times.min()).days == 13


def test_every_outcome_occurs(log):
    """The log shows allows, explicit denies and implicit denies."""
    assert set(log["outcome"]) == {"allow", "explicit_deny",
                                   "implicit_deny"}


def test_every_row_has_a_reason(log):
    """No row leaves its reason empty."""
    assert (log["reason"] != "").all()


def test_sampled_rows_agree_with_the_sample_account(log, account):
    """Deciding a sample of rows again gives the logged outcome and
    reason."""
    rows = log.sample(400, random_state=7).to_dict("records")

    for row in rows:
        identity = _identity(account, row["identity"])
        context = {"qcs:ip": row["source_ip"],
                   "qcs:current_time": row["time"].strftime(
                       "%Y-%m-%dT%H:%M:%SZ")}
        decision = account.authorize(identity, row["action"],
                                     row["resource"], context)
        assert decision.outcome.value == row["outcome"], row
        assert reason_of(decision) == row["reason"], row


def test_callers_match_identities(log, account):
    """Each row's caller is the principal of the identity it names."""
    pairs = log[["identity", "caller"]].drop_duplicates()

    for name, caller in pairs.itertuples(index=False):
        assert _identity(account, name).caller.principal == caller


def test_generator_reproduces_the_shipped_file(tmp_path):
    """The seeded script writes the shipped file again, byte for byte."""
    script = generator()
    output = tmp_path / LOG_FILE

    script.write(script.generate(10_000, 20250303), output)

    shipped = ROOT / "scflab" / "analysis" / LOG_FILE
    assert output.read_bytes() == shipped.read_bytes()


def test_reason_of_an_implicit_deny(account):
    """An implicit deny without notes reads `no statement allows it`."""
    decision = account.authorize(account.user("lena"), "scf:DeleteFunction")

    assert reason_of(decision) == "no statement allows it"


def test_log_loads_without_pandas_at_import():
    """`import scflab` leaves pandas unloaded; the log loads it on call."""
    import subprocess
    import sys

    code = ("import sys, scflab; assert 'pandas' not in sys.modules; "
            "scflab.request_log(); assert 'pandas' in sys.modules")

    result = subprocess.run([sys.executable, "-c", code],
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr


def _identity(account, name):
    if name == "root":
        return account.root
    if name in account.users:
        return account.user(name)
    return account.role(name)
