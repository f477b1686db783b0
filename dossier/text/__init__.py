"""Canonical document text shared by extraction, search, anchoring and export."""
