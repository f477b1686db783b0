"""Saved web articles: the article's text and facts, the whole page searchable below it,
no network, and no page that makes the import raise."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dossier.errors import InputRefused
from dossier.ingest.article import MAX_CHILDREN, MAX_ELEMENTS, read_article
from dossier.ingest.formats import extract_bytes, extract_file
from dossier.services.workspace import Workspace
from tests.conftest import REPO

ARTICLES = REPO.parent / "shared" / "corpus" / "articles"

ARTICLE_SENTENCES = (
    "Le conseil départemental a voté jeudi soir une subvention exceptionnelle de 480 000 euros "
    "pour la rénovation du collège Jean-Moulin, fermé depuis les inondations de l'automne.",
    "Selon un rapport de la chambre régionale des comptes consulté par notre rédaction, les "
    "travaux avaient pourtant été chiffrés à moins de la moitié de cette somme en 2021.",
    "« Nous n'avons jamais caché ces difficultés », affirme le directeur de l'établissement, "
    "qui attend toujours le calendrier du chantier promis par la présidente du département.",
    "L'opposition réclame la publication intégrale du contrat signé avec l'entreprise de "
    "maçonnerie retenue sans appel d'offres, ce que le département refuse pour l'instant.",
)
BOILERPLATE = ("Horoscope", "Mentions", "Cookies", "Trottinettes", "Abonnez")


def news_page(*, url_tags: bool = True) -> str:
    """A regional news page as a browser saves it: menu, cookie banner, article with byline,
    "read also" list, comments and footer."""
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE_SENTENCES)
    head_url = (
        '<link rel="canonical" href="https://www.lecourrier.example/education/college-123">'
        '<meta property="og:url" content="https://www.lecourrier.example/og-url">'
        if url_tags
        else ""
    )
    return (
        "<!-- saved from url=(0052)https://www.lecourrier.example/saved-from-url -->\n"
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Collège Jean-Moulin : une subvention qui interroge - Le Courrier du Sud</title>"
        '<meta property="og:title" content="Collège Jean-Moulin : une subvention qui interroge">'
        '<meta property="og:site_name" content="Le Courrier du Sud">'
        '<meta name="author" content="Marie Dupont">'
        '<meta property="article:published_time" content="2024-03-07T18:30:00+01:00">'
        f"{head_url}</head><body>"
        '<div id="cookie-banner" class="cookie-consent"><p>Ce site utilise des Cookies pour '
        "mesurer son audience.</p><button>Accepter</button></div>"
        '<header><a href="/">Le Courrier du Sud</a> <a href="/abo">Abonnez-vous</a></header>'
        '<nav class="menu"><ul><li><a href="/p">Politique</a></li><li><a href="/h">Horoscope'
        '</a></li><li><a href="/s">Sports</a></li></ul></nav>'
        '<div class="container"><div class="article-body">'
        "<h1>Collège Jean-Moulin : une subvention qui interroge</h1>"
        '<p class="byline">Par Marie Dupont, publié le 7 mars 2024</p>'
        f"{paragraphs}</div>"
        '<div class="read-also"><h3>Lire aussi</h3><ul>'
        '<li><a href="/1">Trottinettes : la mairie durcit le ton face aux loueurs</a></li>'
        '<li><a href="/2">Marché de Noël : un bilan en demi-teinte pour les commerçants</a></li>'
        '<li><a href="/3">Le club de rugby promu en Fédérale 1 après une saison record</a></li>'
        "</ul></div></div>"
        "<footer><p>Mentions légales - Plan du site - Nous contacter</p>"
        "<p>© 2024 Le Courrier du Sud, tous droits réservés.</p></footer></body></html>"
    )


def test_article_text_without_menu_banner_read_also_or_footer(tmp_path: Path) -> None:
    document = extract_bytes(news_page().encode("utf-8"), "college.html")
    text = document.text
    for sentence in ARTICLE_SENTENCES:
        assert sentence in text
    for word in BOILERPLATE:
        assert word not in text, word
    # Nothing is lost: the whole visible page rides with the first page.
    full = document.pages[0].full_text
    assert all(word in full for word in BOILERPLATE)


def test_article_facts_are_taken(tmp_path: Path) -> None:
    document = extract_bytes(news_page().encode("utf-8"), "college.html")
    assert document.title == "Collège Jean-Moulin : une subvention qui interroge"
    assert document.author == "Marie Dupont"
    assert document.date == "2024-03-07"
    assert document.outlet == "Le Courrier du Sud"
    assert document.language == "fr"
    assert document.metadata["url"] == "https://www.lecourrier.example/education/college-123"


def test_saved_from_comment_is_the_url_when_the_page_names_none() -> None:
    document = extract_bytes(news_page(url_tags=False).encode("utf-8"), "college.html")
    assert document.metadata["url"] == "https://www.lecourrier.example/saved-from-url"


def test_search_finds_the_article_and_ranks_the_page_around_it_below(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = workspace.cases.create("Collège").id
    page = tmp_path / "college.html"
    page.write_text(news_page(), encoding="utf-8")
    saved = workspace.documents.import_file(case, page, kind="article")
    assert saved.outlet == "Le Courrier du Sud"
    note = tmp_path / "horoscope.txt"
    note.write_text("Notes sur la rubrique Horoscope du journal et ses lecteurs.\n", "utf-8")
    other = workspace.documents.import_file(case, note)

    def found(query: str) -> list[str]:
        return [hit.doc_id for hit in workspace.search.query(query, case=case)]

    assert found('"chambre régionale des comptes"') == [saved.id]
    assert found("maçonnerie") == [saved.id]
    # A menu word finds the page only through its surroundings, ranked below a real mention.
    assert found("horoscope") == [other.id, saved.id]
    assert found("trottinettes")[0] == saved.id
    hit = workspace.search.query("maçonnerie", case=case)[0]
    assert "maçonnerie" in hit.snippet


_SOCKET_EVENTS: list[str] = []
_RECORDING = [False]


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING[0] and event in ("socket.__new__", "socket.connect", "socket.getaddrinfo"):
        _SOCKET_EVENTS.append(event)


sys.addaudithook(_audit)


HOSTILE = [
    "https://www.example.com/article-that-would-be-downloaded",
    "<html><body>https://www.example.com/x</body></html>",
    "<html>" + "<div>" * 5000 + "profond" + "</div>" * 5000 + "</html>",
    "<html><body><p>" + "x" * 2_000_000 + "</p></body></html>",
    '<html><head><meta http-equiv="refresh" content="0;url=https://example.com"></head>'
    "<body><p>Redirection.</p></body></html>",
    "<html><body><p>coupé au milieu d'une balise <a href='https://exa",
    "<!DOCTYPE html><html><body>\x00\x01 binaire<p>texte</p></body></html>",
    "<html><body><svg><script>alert(1)</script></svg><p>Texte</p><template><p>T</p>"
    "</template></body></html>",
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_pages_are_read_or_refused_offline(markup: str) -> None:
    _SOCKET_EVENTS.clear()
    _RECORDING[0] = True
    try:
        extract_bytes(markup.encode("utf-8"), "page.html")
    except InputRefused:
        pass  # one clear sentence is fine; a traceback or a connection is not
    finally:
        _RECORDING[0] = False
    assert _SOCKET_EVENTS == []


def test_a_page_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its readable text, its facts and its whole visible text come from one reading of its
    # markup: each reading cost a saved article about 9 ms of its 64 (the corpus sweep below).
    readings: list[int] = []
    feed = HTMLParser.feed

    def counted(parser: HTMLParser, data: str) -> None:
        readings.append(len(data))
        feed(parser, data)

    monkeypatch.setattr(HTMLParser, "feed", counted)
    page = news_page()
    document = extract_bytes(page.encode(), "page.html")
    assert "maçonnerie" in document.text and "Horoscope" in (document.pages[0].full_text or "")
    assert readings == [len(page)]


CORPUS_PARTS = 4
"""The corpus sweep runs as this many tests (every fourth page each): parallel workers share it."""


@pytest.mark.slow
@pytest.mark.parametrize("part", range(CORPUS_PARTS))
def test_every_corpus_page_imports_offline(part: int) -> None:
    if not ARTICLES.is_dir():
        pytest.skip("shared corpus not available")
    _SOCKET_EVENTS.clear()
    _RECORDING[0] = True
    try:
        for path in sorted(ARTICLES.iterdir())[part::CORPUS_PARTS]:
            document = extract_file(path, ocr=False)
            assert document.text.strip(), path.name
    finally:
        _RECORDING[0] = False
    assert _SOCKET_EVENTS == []


def test_reading_a_page_opens_no_socket_even_while_importing_the_reader() -> None:
    # A fresh interpreter: the readers' libraries are imported under the watch (urllib3,
    # which trafilatura brings along, probes IPv6 with a socket as it is imported).
    code = (
        "import sys\n"
        "seen = []\n"
        "sys.addaudithook(lambda e, a: seen.append(e) if e.startswith('socket.') else None)\n"
        "from dossier.ingest.formats import extract_bytes\n"
        "from tests.core.ingest.test_article import news_page\n"
        "document = extract_bytes(news_page().encode(), 'page.html')\n"
        "assert 'maçonnerie' in document.text\n"
        "print(seen)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "body",
    [
        # trafilatura counts a row's cells at each cell (lxml counts them one by one): a
        # 1 MB page of one row of 100,000 cells took 43 CPU-s, 10,000 cells 0.7.
        "<table><tr>" + "<td>cellule</td>" * (MAX_CHILDREN + 1) + "</tr></table>",
        # 0.1 ms an element, more for more: 100,000 paragraphs (2.3 MB) took 19 CPU-s.
        "".join(f"<p>paragraphe {n}</p>" for n in range(MAX_ELEMENTS)),
    ],
    ids=["a row of too many cells", "too many paragraphs"],
)
def test_a_page_too_large_for_the_article_reader_is_read_as_its_whole_text(body: str) -> None:
    markup = f"<html><head><title>Grande page</title></head><body>{body}</body></html>"
    assert read_article(markup) is None  # nothing asked of trafilatura
    document = extract_bytes(markup.encode(), "grande.html", ocr=False)
    assert document.title == "Grande page"
    words = "cellule" if "<td>" in body else "paragraphe"
    assert document.text.count(words) == body.count(words)


def test_the_article_reader_still_reads_the_largest_corpus_page() -> None:
    # 9,748 elements, a list of 345 children: the limits leave a real page to trafilatura.
    page = ARTICLES / "leichtathletik-ostalbkreis.de.1952007.html"
    if not page.is_file():
        pytest.skip("shared corpus not available")
    assert read_article(page.read_text(encoding="utf-8", errors="replace")) is not None
