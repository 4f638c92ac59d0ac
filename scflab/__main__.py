"""`python -m scflab`: the command line (see `scflab.cli`)."""

import sys

from scflab.cli import main

sys.exit(main())
