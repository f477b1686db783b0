"""The catalog: SQLAlchemy 2.x models over SQLite, every human- or document-derived value sealed."""
