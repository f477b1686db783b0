"""An import-linter contract that lists what a package MAY import, not what it may not.

import-linter's own `forbidden` contract is a deny-list: a new core package is open to every front
end until someone remembers to forbid it. `allowed` turns that around for the front ends: each
import from `source_modules` into the `scope` packages (here `dossier`) must land in one of
`allowed_modules`, or the contract breaks and names the line.
"""

from __future__ import annotations

from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class AllowedImportsContract(Contract):
    """Options: `source_modules` (importers), `scope` (the packages the rule speaks about),
    `allowed_modules` (each allows itself and everything under it; a scope package named there
    allows only itself, e.g. `dossier` for its `__version__`)."""

    type_name = "allowed"

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    scope = fields.ListField(subfield=fields.ModuleExpressionField())
    allowed_modules = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = [m.name for m in module_expressions_to_modules(graph, self.source_modules)]  # type: ignore[arg-type]
        scope = [m.name for m in module_expressions_to_modules(graph, self.scope)]  # type: ignore[arg-type]
        allowed = [m.name for m in module_expressions_to_modules(graph, self.allowed_modules)]  # type: ignore[arg-type]
        importers = {m for m in graph.modules if any(_within(m, s) for s in sources)}
        bad: list[dict[str, Any]] = []
        for importer in sorted(importers):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not any(_within(imported, s) for s in scope):
                    continue
                if any(_within(imported, s) for s in sources):
                    continue  # a front end's own modules
                if imported in allowed or any(
                    _within(imported, a) for a in allowed if a not in scope
                ):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = sorted({d["line_number"] for d in details})
                bad.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not bad, warnings=None, metadata={"bad": bad})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["bad"]:
            lines = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(
                f"{item['importer']} is not allowed to import {item['imported']} ({lines})",
                bold=False,
            )
        output.new_line()
