"""Case names on screen: a protected name in a case's name is masked as anywhere else.

"Affaire Quartermaine" names the source as surely as a document title does. A case's name is
shown before the case is opened (the app's case list, the CLI's `case list`), and the list is
the vault's, not one case's: a name protected in any case is masked in every case name, each
part shown as its person's pseudonym (the same `ScreenMask` as the case's own views, so glued
and hyphenated forms go too). A case revealed for the session shows its own people's names.

The names are read without checking each case first (that check reads every row of the case,
and a case altered outside Dossier must not take the whole list down with it): every name is
still authenticated by its own seal; whether the case is complete is checked when it is
opened. A case whose people cannot be read at all is listed under its id, never its name.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError

from dossier.db.models import Case
from dossier.errors import CorruptData
from dossier.services.people.dto import CaseNameMask, ScreenMask
from dossier.services.people.screen import screen_mask

if TYPE_CHECKING:
    from dossier.vault.vault import Vault


class _NamesOnly:
    """Keys that open a case's rows without checking the whole case first (names only)."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def fields_key(self, scope: str, case_id: str | None) -> bytes:
        if scope == "vault" or case_id is None:
            return self.vault.fields_key(scope, case_id)
        return self.vault.case_keys(case_id, verify=False).fields


def case_name_mask(vault: Vault, revealed: Collection[str] = ()) -> CaseNameMask:
    masks: dict[str, ScreenMask] = {}
    unreadable: set[str] = set()
    with vault.session() as session:
        session.info["keys"] = _NamesOnly(vault)
        for case_id in list(session.scalars(select(Case.id))):
            try:
                mask = screen_mask(session, case_id)
            except (CorruptData, DatabaseError):
                session.rollback()
                unreadable.add(case_id)
                continue
            if mask.hides:
                masks[case_id] = mask
    return CaseNameMask(masks, frozenset(unreadable), frozenset(revealed))
