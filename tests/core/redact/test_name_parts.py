from __future__ import annotations

from dossier.redact.names import name_parts


def test_every_distinctive_word_of_every_name_is_a_part() -> None:
    parts = name_parts(["Wilhelmina Quartermaine", "Quartz"])
    assert parts[:2] == ["Wilhelmina Quartermaine", "Quartz"]
    assert {"Wilhelmina", "Quartermaine"} <= set(parts)


def test_particles_titles_and_short_words_are_not_parts() -> None:
    parts = name_parts(["Madame Anne-Marie de la Tour", "Jo Li"])
    assert "Madame" not in parts and "de" not in parts and "la" not in parts
    assert "Jo" not in parts and "Li" not in parts
    assert {"Anne-Marie", "Anne", "Marie", "Tour", "Jo Li"} <= set(parts)


def test_accents_and_case_do_not_duplicate_parts() -> None:
    parts = name_parts(["Léonard Dupré", "LEONARD DUPRE"])
    assert [p.casefold() for p in parts] == ["léonard dupré", "léonard", "dupré"]
    assert name_parts(["", "   "]) == []
