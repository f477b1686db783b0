"""A protected name in a picture the page draws through another thing (the tile of a pattern,
as some producers write a background or a repeated letterhead; the soft mask of a box) is
boxed at export and its pixels cleared: MuPDF drew the box but left such a picture whole, the
self-check read the name in it and refused the bundle, so the user could not export at all.
"""

# mypy: disallow-untyped-calls=False
# (PyMuPDF ships py.typed but leaves most methods unannotated.)

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from dossier.services.workspace import Workspace
from tests.core.redact.test_names_in_pictures import (
    MEMO,
    assert_hidden_on_every_page,
    pages_pdf,
    picture,
)

pytestmark = pytest.mark.ocr


def _memo_held_back(page: pymupdf.Page) -> tuple[int, str, bytes]:
    """The memo's picture stored with the page, its drawing taken out of the page's content:
    (its xref, its resource name, the content left)."""
    xref = page.insert_image(pymupdf.Rect(0, 0, 300, 30), stream=picture(MEMO))
    page.clean_contents()
    (contents,) = page.get_contents()
    stream = page.parent.xref_stream(contents)
    name = re.findall(rb"/(\w+) Do", stream)[-1]
    return xref, name.decode(), re.sub(rb"q[^Q]*?/" + name + rb" Do\s*Q", b"", stream)


def _draw(page: pymupdf.Page, content: bytes, resource: str, value: str) -> None:
    doc = page.parent
    (contents,) = page.get_contents()
    doc.update_stream(contents, content)
    doc.xref_set_key(page.xref, f"Resources/{resource}", value)


def _object(doc: pymupdf.Document, source: str, stream: bytes | None = None) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, source)
    if stream is not None:
        doc.update_stream(xref, stream)
    return xref


def tiled(page: pymupdf.Page) -> None:
    """The memo's picture drawn only as the tile of a pattern filling its box."""
    xref, name, content = _memo_held_back(page)
    pattern = _object(
        page.parent,
        "<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 300 30]"
        " /XStep 300 /YStep 30 /Matrix [1 0 0 1 72 50]"
        f" /Resources << /XObject << /{name} {xref} 0 R >> >> >>",
        f"q 300 0 0 30 0 0 cm /{name} Do Q".encode(),
    )
    content += b"\nq /Pattern cs /P1 scn 72 50 300 30 re f Q\n"
    _draw(page, content, "Pattern", f"<< /P1 {pattern} 0 R >>")


def masked(page: pymupdf.Page) -> None:
    """The memo's picture drawn only as the soft mask of a black box: the box shows where
    the picture is dark, the letters white on black (an inverted picture)."""
    xref, name, content = _memo_held_back(page)
    group = _object(
        page.parent,
        "<< /Type /XObject /Subtype /Form /BBox [0 0 420 200] /Group << /S /Transparency"
        f" /CS /DeviceGray >> /Resources << /XObject << /{name} {xref} 0 R >> >> >>",
        f"q 300 0 0 30 72 50 cm /{name} Do Q".encode(),
    )
    state = _object(
        page.parent, f"<< /Type /ExtGState /SMask << /S /Luminosity /G {group} 0 R >> >>"
    )
    _draw(
        page,
        content + b"\nq /M1 gs 0 g 72 50 300 30 re f Q\n",
        "ExtGState",
        f"<< /M1 {state} 0 R >>",
    )


@pytest.mark.parametrize("draw", [tiled, masked], ids=["tile of a pattern", "soft mask"])
def test_a_name_in_a_picture_drawn_through_another_does_not_leave(
    workspace: Workspace, tmp_path: Path, draw: Callable[[pymupdf.Page], None]
) -> None:
    source = pages_pdf(tmp_path / "r.pdf", [draw])
    assert_hidden_on_every_page(workspace, source, tmp_path / "b.zip", 1)
