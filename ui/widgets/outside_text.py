"""`shown(text)`: the one way a view shows text that came from outside.

Titles, file names, e-mail subjects, people's names, quotes and snippets come from the files a
journalist is sent. Shown raw, a newline adds a fake line to a list, a right-to-left override
(U+202E) turns "cod.exe" into "exe.doc", a NUL cuts the rest off. Every list, tree, table,
combo box, label, tooltip and window title shows such text through `shown`, which escapes
controls and bidi controls as the messages do (`dossier.errors.safe_text`). Editable fields
keep the real value: they are where it is read and corrected.
"""

from __future__ import annotations

from dossier.errors import safe_text


def shown(text: str | None, *, passage: bool = False) -> str:
    """`text` from outside, escaped for display (None shows as nothing). A `passage` of a
    document (a snippet) shows its line breaks and tabs as spaces, one for one."""
    if not text:
        return ""
    if passage:
        text = text.translate(_SPACES)
    return safe_text(text)


_SPACES = {ord(c): " " for c in "\n\r\t\u2028\u2029"}
