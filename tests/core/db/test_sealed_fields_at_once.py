"""Sealed fields set together (`Sealed.set_sealed`, as an import makes its rows) are stored
and read back as fields set one by one are, and a name that is no sealed field is refused
rather than kept in the payload where nothing would ever read it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.db.models import Document
from dossier.services.workspace import Workspace

FIELDS = {
    "title": "Rapport sur la vidéosurveillance",
    "author": "Préfecture",
    "filename": "rapport.odt",
    "size": 4_096,
    "page_count": 3,
    "language": "fr",
    "metadata_": {"source": "envoi"},
}


def _stored(workspace: Workspace, at_once: bool) -> str:
    case = workspace.cases.create(f"Case {at_once}").id
    with workspace.vault.session() as session:
        doc = Document(case_id=case, kind="source")
        if at_once:
            doc.set_sealed(dict(FIELDS))
        else:
            for name, value in FIELDS.items():
                setattr(doc, name, value)
        session.add(doc)
        session.commit()
        return doc.id


@pytest.mark.parametrize("at_once", [True, False])
def test_fields_set_at_once_are_stored_as_fields_set_one_by_one(
    workspace: Workspace, at_once: bool
) -> None:
    doc_id = _stored(workspace, at_once)
    with workspace.vault.session() as session:
        doc = session.scalars(select(Document).where(Document.id == doc_id)).one()
        assert {name: getattr(doc, name) for name in FIELDS} == FIELDS
        assert doc.notes == ""  # a field not set keeps its default
    assert workspace.fsck.run().ok


def test_a_name_that_is_no_sealed_field_is_refused(workspace: Workspace) -> None:
    case = workspace.cases.create("Notes").id
    doc = Document(case_id=case, kind="source")
    with pytest.raises(TypeError, match="titel"):
        doc.set_sealed({"title": "Note", "titel": "Note"})
    with pytest.raises(TypeError, match="case_id"):
        doc.set_sealed({"case_id": case})  # a clear column, not a sealed field
    assert doc.title == ""
