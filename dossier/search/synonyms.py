"""Words that name the same thing in French and in English, each finding the others.

The table is kept small on purpose: only words a reporter types for one another with no
change of meaning, where the page may use either ("email" for a French "courriel"). Written
variants of one word (`e-mail`, `email`) need no entry: `variants.py` joins them. A synonym is
looked up with its own stems ("courriels") and counts `SYNONYM_BOOST` of what the typed word
would, weighed as the typed word even where the synonym is far rarer in the case
(`stems.Standin`). So a page that says what was typed ranks first, before a page as long that
says the synonym however often: BM25F gives a word said many times at most 2.2 times what it
gives it said once on a page of average length, and 0.4 × 2.2 < 1.
"""

from __future__ import annotations

from dossier.search.analysis import query_stems

SYNONYMS: tuple[tuple[str, ...], ...] = (("email", "courriel"),)
"""Groups of folded words meaning the same; add a group here (and a test) for another."""
SYNONYM_BOOST = 0.4

_BY_STEM = {stem: group for group in SYNONYMS for word in group for stem in query_stems(word)}


def synonyms(word: str) -> list[str]:
    """The other words of the folded `word`'s group, or [] (no stem of it is in the table)."""
    stems = query_stems(word)
    for stem in stems:
        group = _BY_STEM.get(stem)
        if group is not None:
            return [other for other in group if not set(query_stems(other)) & set(stems)]
    return []
