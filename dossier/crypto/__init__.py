"""Cryptography for the vault: AEAD envelopes, key derivation, key hierarchy, sealed files.

Everything here delegates to the `cryptography` package; nothing is hand-rolled.
"""
