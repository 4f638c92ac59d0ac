"""The three widgets in JupyterLab 4, operated in a real Chromium.

The demo notebook is opened once; its cells run from the Run menu after
the kernel reports idle. Each test then operates one widget as a learner
would and checks what the page shows, leaving a screenshot of the widget
under test-output/browser/. The same notebook also runs under nbclient,
as a notebook runs outside JupyterLab.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

STATUS_IDLE = "Python 3 (ipykernel) | Idle"
WAIT = 30_000  # milliseconds
WIDGETS = ("policy-builder", "request-simulator", "role-walkthrough")

POLICY = """{"version": "2.0", "statement": [
  {"effect": "allow", "action": ["scf:List*", "scf:GetFunction"],
   "resource": ["*"]},
  {"effect": "deny", "action": ["scf:DeleteFunction"], "resource": ["*"]}]}"""


@pytest.fixture(scope="module")
def notebook(browser, lab):
    """The demo notebook open in JupyterLab, every cell run."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(lab.notebook_url("widgets_demo.ipynb"))
    page.get_by_text(STATUS_IDLE).wait_for(timeout=90_000)
    _collapse_sidebar(page)
    page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.locator(".scflab-policy-builder").wait_for()
    try:
        yield page
    finally:
        context.close()


def test_every_widget_renders(notebook):
    """All three widgets appear; none says "Error displaying widget"."""
    for name in WIDGETS:
        notebook.locator(f".scflab-{name}").wait_for()

    expect(notebook.get_by_text("Error displaying widget")).to_have_count(0)


def test_policy_builder(notebook, screenshots):
    """Preview a wildcard, add a bad resource and a good one, paste JSON."""
    builder = notebook.locator(".scflab-policy-builder")
    label = lambda text: builder.get_by_label(text, exact=True)

    label("Wildcard entry").fill("scf:Get*")
    expect_text(builder, "covers 13 known actions")
    builder.get_by_role("button", name="Add wildcard").click()
    expect_text(builder.locator(".scflab-json"), '"scf:Get*"')

    label("Resource kind").select_option(label="free text")
    label("Resource name").fill("qcs::scf:guangzhou")
    builder.get_by_role("button", name="Add resource").click()
    expect_text(builder, "has 4 segments, not six")
    expect_text(builder, "hint:")
    expect_text(builder, "keeps the last valid policy")
    builder.screenshot(path=screenshots / "policy-builder-problem.png")

    label("Resources").select_option("qcs::scf:guangzhou")
    builder.get_by_role("button", name="Remove resources").click()
    label("Resource kind").select_option(label="SCF function")
    label("Function").fill("hello")
    builder.get_by_role("button", name="Add resource").click()
    expect_text(builder, "valid identity policy with 1 statement")
    expect_text(builder.locator(".scflab-json"), "function/hello")

    label("Paste JSON").fill('{"version": "2.0",\n "x": }')
    builder.get_by_role("button", name="Load").click()
    expect_text(builder, "(line 2, column 7)")
    expect_text(builder.locator(".scflab-json"), "function/hello")
    builder.screenshot(path=screenshots / "policy-builder.png")


def test_request_simulator(notebook, screenshots):
    """Follow the builder's policy: allow, both denials, a bad IP, a grid."""
    builder = notebook.locator(".scflab-policy-builder")
    builder.get_by_label("Paste JSON", exact=True).fill(POLICY)
    builder.get_by_role("button", name="Load").click()
    expect_text(builder, "loaded 2 statements")
    simulator = notebook.locator(".scflab-request-simulator")
    label = lambda text: simulator.get_by_label(text, exact=True)
    result = simulator.locator(".scflab-decision")

    label("Who asks").select_option(label="sub-user lena")
    ask(label("Action"), "scf:GetFunction")
    expect_text(result, "✔ ALLOW")
    ask(label("Action"), "scf:DeleteFunction")
    expect_text(result, "⊘ EXPLICIT DENY")
    ask(label("Action"), "scf:InvokeFunction")
    expect_text(result, "✘ IMPLICIT DENY")
    expect_text(result, "What would change it:")

    ask(label("Source IP"), "999.1.1.1")
    expect_text(simulator, "is not an IP address")
    expect_text(simulator, "the last one that could")
    simulator.screenshot(path=screenshots / "request-simulator-error.png")
    ask(label("Source IP"), "10.0.0.8")
    expect(simulator.get_by_text("is not an IP address")).to_have_count(0)

    simulator.get_by_role("button", name="grid").click()
    table = simulator.locator(".scflab-grid")
    expect_text(table, "✔ allow")
    expect_text(table, "⊘ explicit deny")
    simulator.screenshot(path=screenshots / "request-simulator.png")


def test_role_walkthrough(notebook, screenshots):
    """Step to the headers of an image function, then past the expiry."""
    walkthrough = notebook.locator(".scflab-role-walkthrough")
    next_step = walkthrough.get_by_role("button", name="Next")

    walkthrough.get_by_label("Function", exact=True).select_option(
        label="ap-shanghai/prod/render-image (image, role: thumbnail_writer)")
    expect_text(walkthrough, "Step 1 of 6: The function")
    for title in ("Trust check", "AssumeRole", "Credentials"):
        next_step.click()
        expect_text(walkthrough, f": {title}")
    expect_text(walkthrough, "AKID****…")
    expect_text(walkthrough, "valid for another 2 h")
    walkthrough.screenshot(path=screenshots / "role-walkthrough-keys.png")
    next_step.click()
    expect_text(walkthrough, "X-Scf-Secret-Id")
    expect_text(walkthrough, "HTTP headers")

    next_step.click()
    expect_text(walkthrough, "Step 6 of 6")
    expect_text(walkthrough.locator(".scflab-decision"), "✔ ALLOW")
    walkthrough.screenshot(path=screenshots / "role-walkthrough.png")
    advance = walkthrough.get_by_role("button", name="Advance clock")
    for hour in ("10:00", "11:00", "12:00"):
        advance.click()
        expect_text(walkthrough, f"clock reads 2025-03-03T{hour}")
    expect_text(walkthrough.locator(".scflab-decision"), "✘ IMPLICIT DENY")
    expect_text(walkthrough, "expired at 2025-03-03T11:00:00Z")
    walkthrough.screenshot(path=screenshots / "role-walkthrough-expired.png")


def test_the_notebook_runs_under_nbclient(demo_notebook, tmp_path):
    """Every cell runs without error and each widget cell shows a view."""
    import nbclient
    import nbformat

    notebook = nbformat.read(demo_notebook, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}})

    client.execute()

    outputs = [o for cell in notebook.cells if cell.cell_type == "code"
               for o in cell.outputs]
    views = [o for o in outputs
             if "application/vnd.jupyter.widget-view+json" in o.get(
                 "data", {})]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len(views) == len(WIDGETS)


def ask(control, value: str) -> None:
    """Type into a field that reports on Enter, as a learner would."""
    control.fill(value)
    control.press("Enter")


def expect_text(locator, text: str) -> None:
    """Wait until `locator` shows `text` (it may still be rendering)."""
    expect(locator).to_contain_text(text)


def _collapse_sidebar(page) -> None:
    """Give the notebook the page's width by closing the file browser."""
    page.keyboard.press("Control+b")
