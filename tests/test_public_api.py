"""What `import scflab` offers, and what it leaves unloaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

import scflab


@pytest.mark.parametrize("name", scflab.__all__)
def test_every_public_name_resolves(name):
    """Each name in `scflab.__all__` can be read from the package."""
    assert getattr(scflab, name) is not None


def test_unknown_names_raise_attribute_error():
    """A name the package lacks raises AttributeError, naming it."""
    with pytest.raises(AttributeError, match="no_such_thing"):
        scflab.no_such_thing


def test_import_loads_the_core_and_nothing_heavy():
    """`import scflab` loads the engine but not pandas, widgets or Jupyter."""
    code = ("import sys, scflab; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pandas', 'ipywidgets', 'jupyterlab', 'numpy')))")

    loaded = subprocess.run([sys.executable, "-c", code], check=True,
                            capture_output=True, text=True).stdout

    assert loaded.strip() == "[]"


def test_core_names_are_loaded_eagerly():
    """The policy language and the evaluator come with `import scflab`."""
    code = ("import sys, scflab; print('scflab.evaluation.evaluator' in "
            "sys.modules and 'scflab.language.model' in sys.modules)")

    loaded = subprocess.run([sys.executable, "-c", code], check=True,
                            capture_output=True, text=True).stdout

    assert loaded.strip() == "True"
