"""JupyterLab on a free local port and Debian's Chromium, for browser tests.

The server runs from a temporary folder holding a scratch copy of
`widgets_demo.ipynb` (JupyterLab autosaves what it has open), with its own
user settings and workspaces folders, so nothing on the machine changes.
Its user settings turn the Jupyter news and update checks off: their
notification would otherwise cover part of the page.

Without `/usr/bin/chromium` the tests are skipped, unless `CI` is set:
there they must run, and a missing browser fails them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
NOTEBOOK = HERE / "widgets_demo.ipynb"
SCREENSHOTS = HERE.parent.parent / "test-output" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
NOTIFICATIONS = "@jupyterlab/apputils-extension/notification"
START_TIMEOUT = 60


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it listens and what it serves."""

    url: str
    token: str
    root: Path
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; skip (or fail under CI) when it is missing."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    if os.environ.get("CI", "").lower() in ("", "0", "false"):
        pytest.skip(f"{CHROMIUM} is not installed (`apt-get install "
                    "chromium`); the browser tests run wherever it is, "
                    "and always under CI")
    pytest.fail(f"CI is set but {CHROMIUM} is missing; `make test` "
                "installs it")


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path) -> Lab:
    """JupyterLab serving a scratch copy of the demo notebook."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    settings = _quiet_settings(base / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    log = base / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
    ]
    with open(log, "wb") as output:
        server = subprocess.Popen(command, stdout=output,
                                  stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(server, url, token, log)
        yield Lab(url, token, root, log)
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def demo_notebook() -> Path:
    """The notebook the browser tests open (never opened in place)."""
    return NOTEBOOK


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder screenshots go to (git ignores test-output/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _quiet_settings(folder: Path) -> Path:
    """User settings that keep the news and update checks off."""
    path = folder / f"{NOTIFICATIONS}.jupyterlab-settings"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"fetchNews": "false",
                                "checkForUpdates": False}))
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: subprocess.Popen, url: str, token: str,
                   log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    status = f"{url}/api/status?token={token}"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(status, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"JupyterLab did not answer at {url} within "
                       f"{START_TIMEOUT} s; its log ends:\n{tail}")


def _stop(server: subprocess.Popen) -> None:
    """Stop the server's process group: TERM, then KILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
