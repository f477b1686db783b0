"""A Markdown note leaves as a typeset PDF of the note as read, not as typed: headings large and
bold without their `#`, list items with a bullet or their number, pipe tables ruled without
their pipes and dashes, emphasis and strong text in italic and bold, code in a fixed-width font.
Its marks cover only the marked words, wherever the structure put them, and no marked word is
left in the bundle's text, pictures or metadata.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pymupdf
import pytest

from dossier.pdf.markdownhtml import markdown_html
from dossier.pdf.render import render_page
from dossier.pdf.textpdf import text_to_pdf
from dossier.services.export.service import ExportRequest
from dossier.services.workspace import Workspace
from tests.recipient import leaks

NOTE = """\
# Rapport Hyacinthe sur le port

## Les versements

Le paragraphe ordinaire du **rapport** et son *analyse*
prudente, avec `cote 42` en marge.

- premier versement Hyacinthe en liquide
- deuxième versement par virement
  - sous-point du virement

1. réunion au port
2. signature du marché

| Bénéficiaire | Montant | Date |
|:---|---:|---|
| Hyacinthe | 12000 | mars |
| Gaspard | 800 | avril |

> Une citation de **Hyacinthe** au tribunal.

```
cote brute Hyacinthe 7
```

Titre souligné
--------------

Fin du _rapport_.
"""


def _lines(page: pymupdf.Page) -> dict[str, dict[str, object]]:
    """Each line's text: its size, left edge, and the flags and font of its first span."""
    found: dict[str, dict[str, object]] = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = " ".join("".join(s["text"] for s in line["spans"]).split())
            if text:
                first = line["spans"][0]
                found[text] = {
                    "size": first["size"],
                    "left": line["bbox"][0],
                    "font": first["font"],
                    "spans": [(s["text"].strip(), s["flags"], s["font"]) for s in line["spans"]],
                }
    return found


def _span(lines: dict[str, dict[str, object]], word: str) -> tuple[str, int, str]:
    for line in lines.values():
        spans = line["spans"]
        assert isinstance(spans, list)
        for span in spans:
            if span[0] == word:
                return span  # type: ignore[no-any-return]
    raise AssertionError(f"no span {word!r} in {list(lines)}")


def test_markdown_is_typeset_as_read() -> None:
    with pymupdf.open(stream=text_to_pdf([NOTE], markdown=True), filetype="pdf") as doc:
        page = doc[0]
        lines = _lines(page)
        text = page.get_text()
        words = page.get_text("words")
        grid = [d for d in page.get_drawings() if min(d["rect"].width, d["rect"].height) < 1]
    for markup in ("#", "**", "`", "|", "---", "```", "_rapport_"):
        assert markup not in text, markup
    paragraph = next(t for t in lines if t.startswith("Le paragraphe ordinaire"))
    # A soft line break flows: "analyse" and "prudente" are on one line.
    assert "analyse prudente" in paragraph
    body_size = lines[paragraph]["size"]
    assert isinstance(body_size, float)
    heading1, heading2 = lines["Rapport Hyacinthe sur le port"], lines["Les versements"]
    assert heading1["size"] > heading2["size"] > body_size  # type: ignore[operator]
    assert lines["Titre souligné"]["size"] > body_size  # type: ignore[operator]
    # Emphasis and code: bold, italic, fixed width; the words themselves whole.
    assert _span(lines, "rapport")[1] & pymupdf.TEXT_FONT_BOLD
    assert _span(lines, "analyse")[1] & pymupdf.TEXT_FONT_ITALIC
    assert _span(lines, "cote 42")[1] & pymupdf.TEXT_FONT_MONOSPACED
    assert _span(lines, "cote brute Hyacinthe 7")[1] & pymupdf.TEXT_FONT_MONOSPACED
    # Lists: a bullet for "-", numbers kept, a nested item further in.
    first = next(t for t in lines if t.endswith("premier versement Hyacinthe en liquide"))
    nested = next(t for t in lines if t.endswith("sous-point du virement"))
    assert first.startswith("•")
    assert lines[nested]["left"] > lines[first]["left"]  # type: ignore[operator]
    assert "1. réunion au port" in lines and "2. signature du marché" in lines
    # The table: ruled, one cell a line, its columns aligned.
    assert len(grid) >= 9
    at = {w[4]: w[:4] for w in words}
    assert at["Gaspard"][3] == at["800"][3] == at["avril"][3]  # one row
    assert at["Gaspard"][0] < at["800"][0] < at["avril"][0]  # three cells
    assert at["800"][2] == pytest.approx(at["12000"][2])  # "---:": aligned right
    assert _span(lines, "Montant")[1] & pymupdf.TEXT_FONT_BOLD  # the header row
    assert "Une citation de Hyacinthe au tribunal." in lines


def test_plain_text_keeps_its_markdown_characters() -> None:
    # A .txt that looks like Markdown is what its author typed: not rendered.
    with pymupdf.open(stream=text_to_pdf(["# pas un titre **ici**"]), filetype="pdf") as doc:
        assert "# pas un titre **ici**" in doc[0].get_text()


def _pdfs(bundle: Path) -> list[bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return [archive.read(n) for n in archive.namelist() if n.endswith(".pdf")]


@pytest.mark.parametrize("term", ["Hyacinthe", "cote brute", "premier versement"])
def test_a_markdown_note_leaves_typeset_with_only_its_marks_covered(
    workspace: Workspace, tmp_path: Path, term: str
) -> None:
    case = workspace.cases.create("Markdown").id
    info = workspace.documents.import_bytes(case, NOTE.encode(), "rapport.md")
    assert info.mime == "text/markdown"
    workspace.redactions.add_term(term, case=case)
    out = tmp_path / "bundle.zip"
    result = workspace.exports.export(ExportRequest(case=case, out=out))
    assert [d.doc_id for d in result.documents] == [info.id]
    assert leaks(out, [term]) == []  # in the headings, the list, the table, quote and code
    (pdf,) = _pdfs(out)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = " ".join(" ".join(page.get_text() for page in doc).split())
    assert "#" not in text and "|" not in text  # typeset as Markdown
    # The boxes covered the marked words only: their neighbours are all still there.
    for kept in ("Rapport", "sur le port", "en liquide", "12000", "mars", "au tribunal", "Fin du"):
        assert kept in text, kept
    assert result.documents[0].redactions["term"] >= 1


def test_the_preview_of_a_markdown_note_is_typeset_too(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Aperçu Markdown").id
    info = workspace.documents.import_bytes(case, NOTE.encode(), "rapport.md")
    shown = workspace.previews.redacted_page(info.id, 0, 0.5)
    # No marks: the preview is the typeset note's first sheet, as the export sets it.
    assert shown.samples == render_page(text_to_pdf([NOTE], markdown=True), 0, 0.5).samples


HIDING = """\
# Notes

<span style="display:none">Hyacinthe caché</span> et <!-- Hyacinthe en commentaire -->

[le dossier](https://exemple.org/Hyacinthe) et ![photo](/tmp/Hyacinthe.png)

<a href="https://exemple.org/?q=Hyacinthe">lien</a> <img src="Hyacinthe.png"/>

\\*pas en italique\\* et `<b>Hyacinthe</b>`
"""


def test_html_links_and_images_in_markdown_are_set_as_the_characters_they_are() -> None:
    # Nothing of a note may hide where a redaction of words does not look: a tag's hidden
    # text, a comment, a link's target, a picture's source.
    with pymupdf.open(stream=text_to_pdf([HIDING], markdown=True), filetype="pdf") as doc:
        page = doc[0]
        text = " ".join(page.get_text().split())
        assert page.get_links() == [] and page.get_images() == []
    for written in (
        '<span style="display:none">Hyacinthe caché</span>',
        "<!-- Hyacinthe en commentaire -->",
        "[le dossier](https://exemple.org/Hyacinthe)",
        "![photo](/tmp/Hyacinthe.png)",
        '<a href="https://exemple.org/?q=Hyacinthe">lien</a>',
        "*pas en italique* et <b>Hyacinthe</b>",
    ):
        assert written in text, written


def test_a_marked_word_in_markdown_html_or_links_does_not_leave(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Cachettes").id
    workspace.documents.import_bytes(case, HIDING.encode(), "notes.md")
    workspace.redactions.add_term("Hyacinthe", case=case)
    out = tmp_path / "bundle.zip"
    workspace.exports.export(ExportRequest(case=case, out=out))
    assert leaks(out, ["Hyacinthe"]) == []


@pytest.mark.parametrize("marker", ["**", "__", "`", "*", "> ", "- "])
def test_a_hostile_note_is_typeset_in_bounded_time(marker: str) -> None:
    # Thousands of markers that never close, on one line, are read once, not from each of them.
    line = (marker + "mot ") * 16_000
    started = time.thread_time()  # CPU: a loaded machine (load 14) took 3.4 s of wall clock
    body = markdown_html(line + "\n" + "\n".join(marker * depth for depth in range(1, 2000)))
    assert time.thread_time() - started < 3.0
    assert body.count("mot") == 16_000
