"""PDF reading: safe opening, deterministic text extraction with a word map, OCR of scans.

`dossier.pdf.open.open_pdf` (and `open_pdf_bytes`) opens a file with clear refusals;
`dossier.pdf.extract.extract_pdf` returns an `ExtractedDocument` whose canonical page text every
quote and search hit addresses; `dossier.pdf.render` draws pages for any front end.

One MuPDF at a time, by design: `dossier.pdf.mupdf` owns PyMuPDF and the one reentrant lock
held for every call (per page for extraction, OCR and rendering, per document for a redacted
copy). Nothing outside this package imports PyMuPDF (an import-linter contract checks it);
redaction and the sample builder take the library from `dossier.pdf.mupdf` and hold its lock.
"""
