"""Export bundles: a signed zip of redacted documents, quotes and letters, and its checks.

`bundle` writes one, `verify` checks one without any vault, `import_bundle` brings one into a
vault after treating it as hostile (`zipsafe`), `transport` wraps a whole bundle under a
passphrase for the journey.
"""
