"""Reading the files a journalist imports: PDFs, plain text, Markdown, web pages, e-mails.

`dossier.ingest.formats.extract_file` sniffs a file's content and returns an
`ExtractedDocument`; PDFs go to `dossier.pdf.extract`, the other formats are read here with the
standard library.
"""
