"""The bundled sample case, built from `resources/sample/` into a fresh vault."""
