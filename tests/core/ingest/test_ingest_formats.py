"""Importing non-PDF files (and mislabelled ones) through `extract_file`, with real files."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from dossier.errors import InputRefused, NotFoundError, UsageError
from dossier.ingest.dates import iso_date
from dossier.ingest.formats import HTML_EXTRACTOR_VERSION, extract_file
from dossier.ingest.html_text import html_to_text
from dossier.text.lang import guess_language
from tests.pdfgen import ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPHS, normalise_space, text_pdf

FRENCH = "\n\n".join(FRENCH_PARAGRAPHS)

ARTICLE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
  <meta charset="utf-8">
  <title>Collège : la subvention contestée | La Gazette</title>
  <meta property="og:title" content="Collège : la subvention contestée">
  <meta property="og:site_name" content="La Gazette">
  <meta property="article:published_time" content="2024-03-05T18:30:00+01:00">
  <meta name="author" content="Marie Dupont">
  <style>p { color: red } .secret-style {}</style>
  <script>window.tracking = "SCRIPT-SECRET";</script>
</head>
<body>
  <header><a href="/">La Gazette</a> Abonnez-vous</header>
  <nav><ul><li>Politique</li><li>Sports</li></ul></nav>
  <main>
    <article>
      <h1>Collège : la subvention contestée</h1>
      <p>Le conseil départemental a voté jeudi soir une <b>subvention</b>
         exceptionnelle.</p>
      <p>« Nous n’avons jamais caché ces difficultés »,<br>affirme le directeur.</p>
      <noscript>Activez JavaScript NOSCRIPT-SECRET</noscript>
      <aside>Lire aussi : ASIDE-SECRET</aside>
      <template><p>TEMPLATE-SECRET</p></template>
      <div hidden>HIDDEN-SECRET</div>
    </article>
    <article><p>Un autre article, plus court.</p></article>
  </main>
  <footer>Mentions légales FOOTER-SECRET</footer>
</body>
</html>
"""


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def reply_email(*, with_plain: bool = True) -> bytes:
    message = EmailMessage()
    message["From"] = "Service presse <presse@departement.example.fr>"
    message["To"] = "Jean Reporter <jean@gazette.example>"
    message["Cc"] = "redaction@gazette.example"
    message["Subject"] = "Re: Vos questions sur le collège"
    message["Date"] = "Tue, 05 Mar 2024 23:30:00 +0100"
    message["Message-ID"] = "<reply-42@departement.example.fr>"
    message["In-Reply-To"] = "<questions-41@gazette.example>"
    if with_plain:
        message.set_content("Madame, Monsieur,\n\nLa présidente ne souhaite pas répondre.\n")
        message.add_alternative("<p>Version HTML</p>", subtype="html")
    else:
        message.set_content(
            "<html><body><p>La présidente <b>ne souhaite pas</b> répondre.</p>"
            "<script>HTML-SCRIPT</script></body></html>",
            subtype="html",
        )
    message.add_attachment(
        b"%PDF-1.4 not read", maintype="application", subtype="pdf", filename="réponse.pdf"
    )
    return message.as_bytes()


# Plain text ----------------------------------------------------------------------------------


def test_utf8_text_is_one_page_without_words(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "note.txt", FRENCH + "\r\n"))
    assert document.mime == "text/plain"
    assert document.extractor_version == "text-1"
    assert len(document.pages) == 1
    page = document.pages[0]
    assert page.text == FRENCH + "\n" and page.words == []
    assert document.language == "fr"


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    text = "L’élu s’est abstenu — « sans commentaire », a-t-il déclaré. Coût : 12 €."
    document = extract_file(write(tmp_path / "ancien.txt", text.encode("cp1252")))
    assert document.pages[0].text == text


def test_utf16_text_with_bom_is_decoded(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "export.txt", "Réponse écrite.".encode("utf-16")))
    assert document.pages[0].text == "Réponse écrite."


def test_form_feeds_split_pages(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "pdftotext.txt", "Page un.\fPage deux.\f"))
    assert [page.text for page in document.pages] == ["Page un.", "Page deux."]
    assert [page.index for page in document.pages] == [0, 1]


def test_text_is_stored_in_nfc(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "nfd.txt", "e\u0301lu"))
    assert document.pages[0].text == "\u00e9lu"


def test_markdown_keeps_its_source_and_takes_its_title(tmp_path: Path) -> None:
    source = "# Chronologie du chantier\n\n- *2022* : premier retard\n"
    document = extract_file(write(tmp_path / "notes.md", source))
    assert document.mime == "text/markdown"
    assert document.title == "Chronologie du chantier"
    assert document.pages[0].text == source


def test_kind_hint_reads_text_as_markdown(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "notes.txt", "# Titre\n"), kind_hint="markdown")
    assert document.mime == "text/markdown"
    with pytest.raises(UsageError, match="unknown kind"):
        extract_file(tmp_path / "notes.txt", kind_hint="docx")


# HTML ----------------------------------------------------------------------------------------


def test_saved_article_keeps_readable_text_only(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "article.html", ARTICLE))
    assert document.mime == "text/html"
    assert document.extractor_version == HTML_EXTRACTOR_VERSION
    text = document.pages[0].text
    assert text == (
        "Collège : la subvention contestée\n\n"
        "Le conseil départemental a voté jeudi soir une subvention exceptionnelle.\n\n"
        "« Nous n’avons jamais caché ces difficultés »,\n\naffirme le directeur."
    )
    assert "SECRET" not in text and "Politique" not in text and "plus court" not in text
    assert document.title == "Collège : la subvention contestée"
    assert document.author == "Marie Dupont"
    assert document.date == "2024-03-05"
    assert document.language == "fr"
    assert document.metadata["site"] == "La Gazette"


def test_page_without_article_keeps_its_body(tmp_path: Path) -> None:
    page = "<html><head><title>Communiqué</title></head><body><p>Un.</p><div>Deux</div></body>"
    document = extract_file(write(tmp_path / "communique.htm", page))
    assert document.pages[0].text == "Un.\n\nDeux"
    assert document.title == "Communiqué"


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><p>L’élu a répondu.</p></body></html>"
    )
    document = extract_file(write(tmp_path / "vieux.html", page.encode("cp1252")))
    assert document.pages[0].text == "L’élu a répondu."


def test_json_ld_fills_missing_facts() -> None:
    page = html_to_text(
        "<html><head><title>T</title><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, '
        '{"@type": "NewsArticle", "headline": "Le vrai titre", "datePublished": "2023-11-20",'
        ' "author": [{"@type": "Person", "name": "A. Martin"}]}]}'
        "</script></head><body><p>Texte.</p></body></html>"
    )
    assert (page.title, page.author, page.date) == ("Le vrai titre", "A. Martin", "2023-11-20")
    assert page.text == "Texte."


def test_preformatted_text_and_broken_markup() -> None:
    page = html_to_text("<body><pre>  a\n    b\n</pre><p>un <i>paragraphe</p> sans fin</i><p>fin")
    assert page.text == "  a\n    b\n\nun paragraphe\n\nsans fin\n\nfin"


# E-mail --------------------------------------------------------------------------------------


def test_email_headers_body_and_attachment_names(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "reponse.eml", reply_email()))
    assert document.mime == "message/rfc822"
    assert document.extractor_version == "email-2"
    assert document.title == "Re: Vos questions sur le collège"
    assert document.author == "Service presse"
    assert document.date == "2024-03-05"
    meta = document.metadata
    assert meta["from"] == "Service presse <presse@departement.example.fr>"
    assert meta["to"] == "Jean Reporter <jean@gazette.example>"
    assert meta["cc"] == "redaction@gazette.example"
    assert meta["message-id"] == "<reply-42@departement.example.fr>"
    assert meta["in-reply-to"] == "<questions-41@gazette.example>"
    assert meta["attachments"] == "réponse.pdf"
    assert len(document.pages) == 1
    text = document.pages[0].text
    assert text.startswith("From: Service presse <presse@departement.example.fr>\nTo: ")
    assert "Subject: Re: Vos questions sur le collège\n\nMadame, Monsieur," in text
    assert "La présidente ne souhaite pas répondre." in text
    assert "Version HTML" not in text and "not read" not in text


def test_html_only_email_is_made_readable(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "reponse.eml", reply_email(with_plain=False)))
    text = document.pages[0].text
    assert text.endswith("\n\nLa présidente ne souhaite pas répondre.")
    assert "HTML-SCRIPT" not in text
    assert document.metadata["attachments"] == "réponse.pdf"


def test_email_is_recognised_without_its_extension(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "message", reply_email()))
    assert document.mime == "message/rfc822"


def test_eml_without_headers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputRefused, match="does not look like an e-mail"):
        extract_file(write(tmp_path / "faux.eml", "Juste du texte.\n"))


# Mislabelled, empty and binary files ---------------------------------------------------------


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "real.pdf", FRENCH_PARAGRAPHS[0])
    disguised = write(tmp_path / "notes.txt", pdf.read_bytes())
    document = extract_file(disguised)
    assert document.mime == "application/pdf"
    assert normalise_space(FRENCH_PARAGRAPHS[0]) in normalise_space(document.text)
    assert document.pages[0].words


def test_html_named_pdf_is_refused_clearly(tmp_path: Path) -> None:
    path = write(tmp_path / "rapport.pdf", ARTICLE)
    with pytest.raises(InputRefused, match="named like a PDF but holds an HTML page") as refused:
        extract_file(path)
    assert "rapport.pdf" in str(refused.value)


def test_html_named_txt_is_read_as_html(tmp_path: Path) -> None:
    document = extract_file(write(tmp_path / "article.txt", ARTICLE))
    assert document.mime == "text/html"
    assert "SCRIPT-SECRET" not in document.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.txt", b"", "is empty"),
        ("blancs.txt", b"  \n\t\n", "holds no text"),
        ("bruit.txt", bytes(range(256)) * 16, "binary data"),
        ("bruit.bin", b"\x01\x02\x03\xfe" * 500, "binary data"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "damaged image"),
        ("lettre.docx", b"PK\x03\x04" + bytes(64), "damaged or truncated Word file"),
        ("vide.pdf", b"", "is empty"),
    ],
)
def test_unusable_files_are_refused_with_their_name(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InputRefused, match=message) as refused:
        extract_file(write(tmp_path / name, content))
    assert name in str(refused.value)


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"absent\.txt"):
        extract_file(tmp_path / "absent.txt")


# Language and dates --------------------------------------------------------------------------


def test_language_guess() -> None:
    assert guess_language(FRENCH) == "fr"
    assert guess_language("\n".join(ENGLISH_PARAGRAPHS)) == "en"
    assert guess_language("Bonjour.") is None
    assert (
        guess_language("Die Topologie ist ein Teilgebiet der Mathematik und der Geometrie.") is None
    )
    assert guess_language("") is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-03-05T18:30:00+01:00", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("Tue, 05 Mar 2024 23:30:00 +0100", "2024-03-05"),
        ("05/03/2024", None),
        ("2024-02-30", None),
        ("demain", None),
        (None, None),
    ],
)
def test_iso_dates(value: str | None, iso: str | None) -> None:
    assert iso_date(value) == iso
