"""The command line: output, exit statuses, and bad input without
tracebacks."""

import json
import subprocess
import sys

import pytest

from scflab.cli import BAD_INPUT, FOUND, OK, main

FN = "qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/"
USER = "qcs::cam::uin/100000000001:uin/100000000002"


def document(*statements):
    return json.dumps({"version": "2.0", "statement": list(statements)},
                      indent=1)


CLEAN = document({"effect": "allow", "action": "scf:GetFunction",
                  "resource": FN + "a"})
SCOPED_LIST = document({"effect": "allow", "action": "scf:ListFunctions",
                        "resource": FN + "a"})
ADMIN = document({"effect": "allow", "action": "*", "resource": "*"})
IP_ONLY = document({"effect": "allow", "action": "cos:PutObject",
                    "resource": "*", "condition": {
                        "ip_equal": {"qcs:ip": "10.0.0.0/8"}}})


@pytest.fixture
def write(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def run(argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def scflab(*args, stdin=None):
    """Run `python -m scflab` in a child process."""
    return subprocess.run([sys.executable, "-m", "scflab", *args],
                          capture_output=True, text=True, input=stdin,
                          timeout=120)


# lint

def test_lint_clean_file(write, capsys):
    """A policy without findings exits 0 and says so."""
    status, out, _ = run(["lint", write("p.json", CLEAN)], capsys)

    assert status == OK
    assert out.strip() == "no findings"


def test_lint_error_finding_exits_1_with_position(write, capsys):
    """An `error` finding exits 1 and is shown as FILE:LINE:COLUMN."""
    path = write("p.json", SCOPED_LIST)

    status, out, _ = run(["lint", path], capsys)

    assert status == FOUND
    assert f"{path}:6:14: error: " in out
    assert "[operation-level-scoped]" in out
    assert "hint:" in out


def test_security_findings_pass_unless_asked(write, capsys):
    """A security finding exits 0 by default and 1 with
    `--fail-on security`."""
    path = write("p.json", ADMIN)

    default, *_ = run(["lint", path], capsys)
    strict, *_ = run(["lint", "--fail-on", "security", path], capsys)

    assert (default, strict) == (OK, FOUND)


def test_lint_json_output(write, capsys):
    """`--format json` prints one object per finding, with its file."""
    path = write("p.json", ADMIN)

    status, out, _ = run(["lint", "--format", "json", path], capsys)

    [finding] = json.loads(out)
    assert finding["file"] == path
    assert finding["code"] == "full-admin"
    assert finding["severity"] == "security"
    assert (finding["line"], finding["column"]) == (6, 14)


def test_lint_reads_stdin():
    """`-` reads the policy from standard input."""
    result = scflab("lint", "-", stdin=SCOPED_LIST)

    assert result.returncode == FOUND
    assert "stdin" not in result.stderr
    assert "-:6:14:" in result.stdout


def test_lint_checks_the_other_files_after_a_bad_one(write, capsys):
    """A bad file gives status 2, and the good files are still linted."""
    bad = write("bad.json", "{")
    good = write("good.json", SCOPED_LIST)

    status, out, err = run(["lint", bad, good], capsys)

    assert status == BAD_INPUT
    assert "[operation-level-scoped]" in out
    assert bad in err


BAD_FILES = {
    "not JSON": ("text.json", "version: 2.0", "1:1"),
    "not a policy": ("list.json", "[1, 2]", "1:1"),
    "invalid policy": ("typo.json", document(
        {"effect": "alow", "action": "scf:*", "resource": "*"}), "5:14"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_documents_exit_2_with_positions(case, write, capsys):
    """A document that is not a valid policy exits 2, printing each
    problem at FILE:LINE:COLUMN, without a traceback."""
    name, text, position = BAD_FILES[case]
    path = write(name, text)

    status, out, err = run(["lint", path], capsys)

    assert status == BAD_INPUT
    assert f"{path}:{position}" in err
    assert "not a valid policy" in err
    assert "Traceback" not in err + out


def test_missing_file_exits_2(tmp_path, capsys):
    """A file that does not exist is named, with the reason, on stderr."""
    path = str(tmp_path / "nowhere.json")

    status, _, err = run(["lint", path], capsys)

    assert status == BAD_INPUT
    assert f"cannot read `{path}`: No such file or directory" in err


def test_directory_exits_2(tmp_path, capsys):
    """A directory given as a file is reported, not crashed on."""
    status, _, err = run(["lint", str(tmp_path)], capsys)

    assert status == BAD_INPUT
    assert "cannot read" in err


def test_unreadable_file_exits_2(write, capsys, monkeypatch):
    """A file the system refuses to read is reported, not crashed on."""
    path = write("secret.json", CLEAN)

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr("pathlib.Path.read_bytes", refuse)
    status, _, err = run(["lint", path], capsys)

    assert status == BAD_INPUT
    assert f"cannot read `{path}`: Permission denied" in err


def test_file_that_is_not_utf8_exits_2(tmp_path, capsys):
    """Bytes that are not UTF-8 are located and reported."""
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"version": "2.0\xe9"}')

    status, _, err = run(["lint", str(path)], capsys)

    assert status == BAD_INPUT
    assert f"{path}:1:17: byte `0xe9` is not UTF-8" in err


def test_bad_input_in_a_child_process_has_no_traceback(tmp_path):
    """Run as `python -m scflab`, a missing file gives status 2 and one
    clear line."""
    result = scflab("lint", str(tmp_path / "missing.json"))

    assert result.returncode == BAD_INPUT
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("scflab lint: cannot read")


# simulate

def test_simulate_allow_exits_0(write, capsys):
    """An allowed request exits 0 and prints the explanation."""
    path = write("p.json", CLEAN)

    status, out, _ = run(["simulate", "--policy", path, "--action",
                          "scf:GetFunction", "--resource", FN + "a",
                          "--principal", USER], capsys)

    assert status == OK
    assert out.startswith("ALLOW: scf:GetFunction")
    assert "p.json/statement/0: applies" in out


def test_simulate_deny_exits_1(write, capsys):
    """A denied request exits 1 and says what would change it."""
    path = write("p.json", CLEAN)

    status, out, _ = run(["simulate", "--policy", path, "--action",
                          "scf:DeleteFunction", "--resource", FN + "a"],
                         capsys)

    assert status == FOUND
    assert out.startswith("IMPLICIT DENY")
    assert "what would change it" in out


def test_simulate_reads_context(write, capsys):
    """`--context KEY=VALUE` fills the request's condition keys."""
    path = write("p.json", IP_ONLY)
    base = ["simulate", "--policy", path, "--action", "cos:PutObject"]

    inside, *_ = run(base + ["--context", "qcs:ip=10.1.2.3"], capsys)
    outside, *_ = run(base + ["--context", "qcs:ip=8.8.8.8"], capsys)

    assert (inside, outside) == (OK, FOUND)


def test_simulate_json(write, capsys):
    """`--format json` gives the outcome and the deciding statements."""
    path = write("p.json", CLEAN)

    status, out, _ = run(["simulate", "--policy", path, "--action",
                          "scf:GetFunction", "--resource", FN + "a",
                          "--format", "json"], capsys)

    data = json.loads(out)
    assert data["outcome"] == "allow"
    assert data["reasons"] == ["p.json/statement/0"]


@pytest.mark.parametrize("option, value", [
    ("--action", "scf:Get Function"),
    ("--resource", "not-a-resource"),
    ("--principal", "someone"),
    ("--context", "no-equals-sign"),
])
def test_simulate_bad_request_exits_2(option, value, write, capsys):
    """An unreadable part of the request exits 2 with a message."""
    path = write("p.json", CLEAN)
    argv = ["simulate", "--policy", path, "--action", "scf:GetFunction"]
    argv += [option, value]

    status, out, err = run(argv, capsys)

    assert status == BAD_INPUT
    assert err.startswith("scflab simulate: ")
    assert f"`{value}`" in err or value in err


# diff

def test_diff_new_access_exits_1(write, capsys):
    """A new policy granting more exits 1 and lists added witnesses."""
    old = write("old.json", CLEAN)
    new = write("new.json", document({"effect": "allow",
                                      "action": "scf:Get*",
                                      "resource": FN + "*"}))

    status, out, _ = run(["diff", old, new], capsys)

    assert status == FOUND
    assert out.startswith("searched ")
    assert "added    scf:GetAlias on " in out


def test_diff_removed_access_only_exits_0(write, capsys):
    """A new policy that only takes access away exits 0."""
    old = write("old.json", document({"effect": "allow",
                                      "action": "scf:GetFunction",
                                      "resource": [FN + "a", FN + "b"]}))
    new = write("new.json", CLEAN)

    status, out, _ = run(["diff", old, new], capsys)

    assert status == OK
    assert f"removed  scf:GetFunction on {FN}b" in out
    assert out.rstrip().endswith("0 added, 1 removed")


def test_diff_json(write, capsys):
    """`--format json` gives the universe and every change."""
    old = write("old.json", IP_ONLY)
    new = write("new.json", document({"effect": "allow",
                                      "action": "cos:PutObject",
                                      "resource": "*"}))

    status, out, _ = run(["diff", "--format", "json", old, new], capsys)

    data = json.loads(out)
    assert status == FOUND
    assert data["changes"][0]["change"] == "added"
    assert "requests" in data["universe"]


def test_diff_bad_file_exits_2(write, capsys):
    """A bad file on either side exits 2."""
    old = write("old.json", CLEAN)

    status, _, err = run(["diff", old, old + ".missing"], capsys)

    assert status == BAD_INPUT
    assert "cannot read" in err


# help

@pytest.mark.parametrize("command", ["lint", "simulate", "diff"])
def test_each_command_documents_its_exit_status(command):
    """`--help` on each subcommand explains its exit statuses."""
    result = scflab(command, "--help")

    assert result.returncode == 0
    assert "Exit status: 0" in result.stdout


def test_usage_error_exits_2():
    """A usage error exits 2, as argparse does."""
    result = scflab("simulate", "--action", "scf:GetFunction")

    assert result.returncode == 2
    assert "--policy" in result.stderr
