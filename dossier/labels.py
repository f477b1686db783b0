"""The words a reader sees for the values Dossier stores: states, verdicts, roles, kinds.

The catalog keeps codes (`partly_answered`, `official`); exports, the CLI's sentences and the
timeline show these labels, in the user's language. The English labels are the app's own
(ui/widgets/verdict_badge.py, ui/people/person_dialog.py), so one translation serves both.
"""

from __future__ import annotations

from dossier.i18n import N_, _

LETTER_STATES = {
    "draft": N_("draft"),
    "sent": N_("sent"),
    "awaiting": N_("awaiting"),
    "overdue": N_("overdue"),
    "replied": N_("replied"),
    "partly_answered": N_("partly answered"),
    "partly_overdue": N_("partly, overdue"),
    "declined": N_("declined"),
    "no_reply_by_publication": N_("no reply by publication"),
}
QUESTION_STATES = {
    "unanswered": N_("unanswered"),
    "overdue": N_("overdue"),
    "answered": N_("answered"),
    "partly": N_("partly"),
    "declined": N_("declined"),
}
VERDICTS = {
    "verbatim": N_("verbatim"),
    "normalized": N_("normalized"),
    "trimmed": N_("trimmed"),
    "altered": N_("altered"),
    "not_found": N_("not found"),
    "unchecked": N_("unchecked"),
}
ROLES = {
    "official": N_("official"),
    "elected": N_("elected representative"),
    "source": N_("source"),
    "journalist": N_("journalist"),
    "lawyer": N_("lawyer"),
    "organisation": N_("organisation"),
    "other": N_("other"),
}
PROTECTIONS = {
    "on_record": N_("on the record"),
    "background": N_("on background"),
    "anonymous": N_("anonymous"),
    "protected": N_("protected source"),
}
KINDS = {
    "article": N_("article"),
    "letter": N_("letter"),
    "reply": N_("reply"),
    "interview": N_("interview"),
    "source": N_("source"),
    "note": N_("note"),
}
TIMELINE_PROTECTIONS = {
    "on_record": N_("on the record"),
    "background": N_("on background"),
    "anonymous": N_("anonymous"),
    "protected": N_("protected source"),
}
KINDS = {
    **KINDS,
    "document": N_("document"),
    "deadline": N_("deadline"),
    "quote": N_("quote"),
    "event": N_("event"),
}
# What each kind of blacked-out area is called (not `person 2, rect 2`); `{n}` is the count.
REDACTION_COUNTS = {
    "person": N_("{n} protected name(s)"),
    "rect": N_("{n} drawn box(es)"),
    "term": N_("{n} term(s)"),
    "pattern": N_("{n} e-mail(s), phone number(s) or other pattern(s)"),
}
DIRECTIONS = {"sent": N_("sent"), "received": N_("received")}


def label(table: dict[str, str], value: str) -> str:
    """`value` as words in the user's language; an unknown code with its underscores as spaces."""
    return _(table[value]) if value in table else value.replace("_", " ")


def counts(table: dict[str, str], numbers: dict[str, int]) -> str:
    """ "2 drawn box(es), 1 term(s)": each non-zero count with its words, in code order."""
    return ", ".join(
        _(table[k]).format(n=n) if k in table else f"{k} {n}"
        for k, n in sorted(numbers.items())
        if n
    )
