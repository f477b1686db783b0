"""A case is found by its id, then by its name (exact, then whatever its case), and a name
that names none is refused in a sentence."""

from __future__ import annotations

import pytest

from dossier.errors import NotFoundError
from dossier.services.workspace import Workspace


def test_a_case_is_resolved_by_id_then_by_name(workspace: Workspace) -> None:
    first = workspace.cases.create("Préfecture").id
    second = workspace.cases.create(first).id  # a case named as the other's id
    assert workspace.cases.resolve(first) == first
    assert workspace.cases.resolve(second) == second
    assert workspace.cases.resolve("Préfecture") == first
    assert workspace.cases.resolve("PRÉFECTURE") == first
    assert workspace.cases.resolve(first, check=False) == first
    with pytest.raises(NotFoundError, match="no case named 'Mairie'"):
        workspace.cases.resolve("Mairie")
