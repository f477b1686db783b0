"""`python -m dossier` runs the command line."""

from __future__ import annotations

import sys

from dossier.cli.main import main

sys.exit(main())
