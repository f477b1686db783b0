"""Every part of an e-mail a reader sees is kept, in its own charset, and no byte is dropped."""

from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from dossier.errors import InputRefused
from dossier.ingest.email_message import extract_email

RUSSIAN = "Ответ пресс-службы: мы не комментируем расследование."
FRENCH = "Réponse du cabinet : aucun commentaire à ce stade."


def _message(*parts: MIMEText, kind: str = "mixed") -> bytes:
    message = MIMEMultipart(kind)
    message["From"] = "Service de presse <presse@example.org>"
    message["Subject"] = "Droit de réponse"
    message["Date"] = "Tue, 05 Mar 2024 10:00:00 +0100"
    for part in parts:
        message.attach(part)
    return message.as_bytes()


def test_a_second_text_part_in_koi8_r_is_kept() -> None:
    data = _message(MIMEText(FRENCH, "plain", "iso-8859-1"), MIMEText(RUSSIAN, "plain", "koi8-r"))
    text = extract_email(data, "reply.eml").pages[0].text
    assert FRENCH in text and RUSSIAN in text
    assert text.index(FRENCH) < text.index(RUSSIAN)


def test_alternatives_give_one_rendering_not_both() -> None:
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(FRENCH, "plain", "utf-8"))
    alternative.attach(MIMEText(f"<p>{FRENCH}</p>", "html", "utf-8"))
    message = MIMEMultipart("mixed")
    message["From"] = "presse@example.org"
    message["Subject"] = "Réponse"
    message.attach(alternative)
    message.attach(MIMEText(RUSSIAN, "plain", "koi8-r"))
    text = extract_email(message.as_bytes(), "reply.eml").pages[0].text
    assert text.count(FRENCH) == 1 and RUSSIAN in text


def test_a_lying_or_unknown_charset_loses_no_byte() -> None:
    raw = "Données confidentielles ½ ¾".encode("latin-1")
    for charset in ("x-unknown-charset", "utf-8"):  # unknown, and declared but wrong
        part = MIMEText("placeholder", "plain", "us-ascii")
        part.set_payload(raw)
        part.replace_header("Content-Type", f'text/plain; charset="{charset}"')
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = "8bit"
        text = extract_email(_message(part), "odd.eml").pages[0].text
        assert "\ufffd" not in text
        assert "Donn" in text and "confidentielles" in text
        # Every byte of the body is a character of the text.
        body = text.split("\n\n", 1)[1]
        assert body.encode("latin-1") == raw


def test_a_header_built_to_stall_the_parser_is_refused() -> None:
    # Python's header parser takes half a minute on this one (found by the import fuzz test).
    data = b"From: a@example.org\r\nContent-Type:" + b"<" * 400_000 + b"\r\n\r\nbody\r\n"
    with pytest.raises(InputRefused, match="header far longer"):
        extract_email(data, "stall.eml")


@pytest.mark.parametrize("folded", [False, True])
def test_a_header_is_read_up_to_the_longest_read_and_refused_one_byte_over(folded: bool) -> None:
    from dossier.ingest.email_message import MAX_HEADER_BYTES

    def message(length: int) -> bytes:
        # A To header of `length` bytes, unfolded (its lines' bytes, without their breaks), on
        # one line or folded on lines of 70 (each continuation line's space counts); the rest
        # of the message short.
        lines = ["To: "]
        while sum(map(len, lines)) < length:
            if folded and len(lines[-1]) >= 70:
                lines.append(" ")
            lines[-1] += "x"
        assert sum(map(len, lines)) == length
        header = "\r\n".join(lines)
        return f"From: a@example.org\r\nSubject: s\r\n{header}\r\n\r\nbody\r\n".encode()

    extract_email(message(MAX_HEADER_BYTES), "long.eml")
    with pytest.raises(InputRefused, match="header far longer"):
        extract_email(message(MAX_HEADER_BYTES + 1), "long.eml")
