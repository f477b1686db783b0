"""Redaction: finding what to hide, hiding it in export copies, proving nothing is left.

`fold` and `patterns` find terms and patterns in text, `marks` turns them into rectangles on a
page, `apply`, `rasterize` and `scrub` produce a clean copy, `selfcheck` re-reads the copy and
refuses it if anything marked can still be found. Originals in the vault never change.
"""
