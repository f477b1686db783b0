"""The sample's source texts: a tiny plain-text markup read from `resources/sample/*.txt`.

The texts stay plain UTF-8 so that they can be read, reviewed and translated without any tool;
`dossier.sample.pdfs` turns them into PDFs when the sample vault is built. The markup:

- `# ` starts a title, `## ` a heading, `> ` a line in italics (dateline, disclaimer);
- consecutive lines form one paragraph (they are joined with a space), a blank line ends it;
  a line ending with a backslash keeps its line break (kept as "\\n" in the block's text);
- a line holding only `---` starts a new page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dossier.errors import EnvironmentFailure
from dossier.i18n import _

BlockKind = Literal["title", "heading", "meta", "para", "page"]

_PREFIXES: tuple[tuple[str, BlockKind], ...] = (("## ", "heading"), ("# ", "title"), ("> ", "meta"))


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""


def parse(source: str) -> list[Block]:
    """The blocks of a marked-up text, in order (`page` blocks mark explicit page breaks)."""
    blocks: list[Block] = []
    kind: BlockKind | None = None
    lines: list[str] = []

    def flush() -> None:
        nonlocal kind, lines
        if kind is not None and lines:
            text = " ".join(lines).replace("\\ ", "\n").removesuffix("\\").rstrip()
            blocks.append(Block(kind, text))
        kind, lines = None, []

    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line == "---":
            flush()
            blocks.append(Block("page"))
            continue
        if kind is None:
            kind = "para"
            for prefix, prefixed_kind in _PREFIXES:
                if line.startswith(prefix):
                    kind, line = prefixed_kind, line[len(prefix) :].strip()
                    break
        lines.append(line)
    flush()
    return blocks


def read_blocks(path: Path) -> list[Block]:
    """`parse` of a resource file; a missing or empty file means a broken installation."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvironmentFailure(
            _("the sample text {name} cannot be read: {exc}").format(name=path.name, exc=exc)
        ) from exc
    blocks = parse(source)
    if not blocks:
        raise EnvironmentFailure(_("the sample text {name} is empty").format(name=path.name))
    return blocks
