"""PDF reading: safe opening, deterministic text extraction with a word map, OCR of scans.

`dossier.pdf.open.open_pdf` opens a file with clear refusals; `dossier.pdf.extract.extract_pdf`
returns an `ExtractedDocument` whose canonical page text every quote and search hit addresses.
"""
