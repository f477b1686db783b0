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
# What each audit trail entry records, as the app's audit trail names it (the trail keeps the
# code: it is what the chain signs). A code not listed here is shown as it is.
AUDIT_ACTIONS = {
    "case.create": N_("case created"),
    "case.update": N_("case edited"),
    "case.delete": N_("case deleted"),
    "case.rekey": N_("case re-encrypted"),
    "document.import": N_("document imported"),
    "document.edit": N_("document edited"),
    "document.delete": N_("document deleted"),
    "document.link": N_("documents linked"),
    "document.reextract": N_("document read again"),
    "document.replace": N_("document replaced"),
    "person.add": N_("person added"),
    "person.edit": N_("person edited"),
    "person.merge": N_("people merged"),
    "person.reveal": N_("protected names shown"),
    "quote.add": N_("quote added"),
    "quote.edit": N_("quote edited"),
    "quote.delete": N_("quote deleted"),
    "quote.check": N_("quote checked"),
    "letter.add": N_("letter added"),
    "letter.edit": N_("letter edited"),
    "letter.delete": N_("letter deleted"),
    "reply.add": N_("reply recorded"),
    "reply.delete": N_("reply deleted"),
    "note.add": N_("note added"),
    "note.edit": N_("note edited"),
    "note.delete": N_("note deleted"),
    "redaction.add": N_("area blacked out"),
    "redaction.reason": N_("redaction reason given"),
    "redaction.remove": N_("redaction removed"),
    "timeline.add": N_("timeline entry added"),
    "timeline.remove": N_("timeline entry removed"),
    "export": N_("bundle exported"),
    "bundle.import": N_("bundle imported"),
    "signer.accept": N_("bundle signer accepted"),
    "signing-key.create": N_("signing key created"),
    "vault.passwd": N_("passphrase changed"),
    "vault.rekey": N_("vault re-encrypted"),
    "vault.rekey.start": N_("vault re-encryption started"),
}


def audit_action(code: str) -> str:
    """An audit entry's action in the user's language ("case.create" -> "case created");
    an undo or a redo ("quote.restore") says so, its details say what it put back."""
    if code in AUDIT_ACTIONS:
        return _(AUDIT_ACTIONS[code])
    if code.endswith(".restore"):
        return _("edit undone or redone")
    return code


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
