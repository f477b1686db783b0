"""`dossier` command line: the core's second front end (no Qt)."""
