"""Dossier desktop application (PySide6)."""
