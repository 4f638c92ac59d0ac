"""Shared test helpers: short names for the sample principals and resources."""

from __future__ import annotations

import os

# Hypothesis keeps its example database out of the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/scflab-hypothesis")
