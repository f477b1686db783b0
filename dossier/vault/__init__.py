"""The vault on disk: header, lock, key unlocking, folder layout."""
