"""Development tools that are not part of the app (lint rules, helpers for maintainers)."""
