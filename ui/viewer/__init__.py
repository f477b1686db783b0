"""The central document viewer: PDF pages drawn by PyMuPDF, text documents as text."""
