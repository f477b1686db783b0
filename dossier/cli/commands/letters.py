"""`letter add | list | show | summary | edit | delete | jurisdictions` and `reply add | list |
delete`.

States are computed for today unless `--as-of DATE` is given, so output for a past date is
reproducible. A reply without `--letter` (a statement to the press, say) can still answer
questions of any letter with `--answers LETTER:N[:partly|:declined]`. A deadline in working days
skips the public holidays of the letter's `--jurisdiction` (metropolitan France by default);
`letter show --holidays` lists those that moved it.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from dossier.cli.arguments import path_argument
from dossier.cli.context import CliContext
from dossier.errors import UsageError, safe_text
from dossier.i18n import _, ngettext
from dossier.labels import LETTER_STATES as LETTER_STATE_LABELS
from dossier.labels import QUESTION_STATES, label
from dossier.services.letters.dto import DEFAULT_JURISDICTION, LetterEdit, LetterInfo, ReplyInfo
from dossier.services.letters.jurisdictions import JURISDICTIONS, place_name
from dossier.services.letters.states import CHANNELS, LETTER_STATES


def register(sub: Any) -> None:
    letter = sub.add_parser("letter", help=_("letters with numbered questions (right of reply)"))
    verbs = letter.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help=_("record a letter and its questions"))
    p.add_argument("--case", required=True)
    p.add_argument(
        "--from",
        dest="senders",
        action="append",
        required=True,
        metavar="P",
        help=_("sender; repeat for co-signers (the first is the sender)"),
    )
    p.add_argument("--to", dest="recipients", action="append", required=True, metavar="P")
    p.add_argument("--sent", metavar="YYYY-MM-DD", help=_("sending date (none: a draft)"))
    _deadline_options(p)
    p.add_argument("--question", action="append", default=[], metavar="TEXT")
    p.add_argument("--subject", default="")
    p.add_argument(
        "--channel",
        default="post",
        help=_("one of {CHANNELS}").format(CHANNELS=", ".join(CHANNELS)),
    )
    p.add_argument(
        "--incoming", action="store_true", help=_("a letter received rather than sent by us")
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        type=path_argument,
        help=_("the letter itself (PDF, .eml, text)"),
    )
    p.set_defaults(handler=add_letter)

    p = verbs.add_parser("list", help=_("letters of a case with their computed state"))
    p.add_argument("--case", required=True)
    p.add_argument("--state", choices=LETTER_STATES)
    _view_options(p)
    p.set_defaults(handler=list_letters)

    p = verbs.add_parser("show", help=_("one letter, its questions and replies"))
    p.add_argument("letter", metavar="LETTER", help=_("letter id (or its first characters)"))
    p.add_argument(
        "--holidays",
        action="store_true",
        help=_("list the public holidays that moved a working-day deadline"),
    )
    _view_options(p)
    p.set_defaults(handler=show_letter)

    p = verbs.add_parser("jurisdictions", help=_("where a recipient can be, for working days"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_jurisdictions)

    p = verbs.add_parser("summary", help=_("what is unanswered and what is overdue"))
    p.add_argument("--case", required=True)
    p.add_argument("--as-of", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=summary)

    p = verbs.add_parser("edit", help=_("change the subject, channel, sending date or deadline"))
    p.add_argument("letter", metavar="LETTER")
    p.add_argument("--subject")
    p.add_argument("--channel")
    p.add_argument("--sent", metavar="YYYY-MM-DD")
    _deadline_options(p, editing=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=edit_letter)

    p = verbs.add_parser("delete", help=_("delete a letter and its questions"))
    p.add_argument("letter", metavar="LETTER")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_letter)

    reply = sub.add_parser("reply", help=_("replies to letters, or statements answering them"))
    verbs = reply.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help=_("record a reply"))
    p.add_argument("--case", required=True)
    p.add_argument("--letter", metavar="LETTER", help=_("the letter answered"))
    p.add_argument("--from", dest="sender", required=True, metavar="P")
    p.add_argument("--received", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--answers",
        action="append",
        default=[],
        metavar="[LETTER:]N[:partly|:declined]",
        help=_("a question this reply answers (repeat); default with --letter: all, fully"),
    )
    p.add_argument("--via", default="", help=_("where it was said, e.g. a newspaper"))
    p.add_argument("--channel", default="")
    p.add_argument("--summary", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "file", nargs="?", metavar="FILE", type=path_argument, help=_("the reply itself")
    )
    p.set_defaults(handler=add_reply)

    p = verbs.add_parser("list", help=_("replies of a case"))
    p.add_argument("--case", required=True)
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_replies)

    p = verbs.add_parser("delete", help=_("delete a reply"))
    p.add_argument("reply", metavar="REPLY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_reply)


def _deadline_options(p: argparse.ArgumentParser, editing: bool = False) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--deadline", metavar="YYYY-MM-DD", help=_("reply expected by this date"))
    group.add_argument("--deadline-days", type=int, metavar="N", help=_("N days after sending"))
    if editing:
        group.add_argument("--no-deadline", action="store_true", help=_("remove the deadline"))
    p.add_argument(
        "--working-days",
        action="store_true",
        help=_("count --deadline-days in working days (Mon-Fri, public holidays off)"),
    )
    p.add_argument(
        "--jurisdiction",
        metavar="CODE",
        help=_(
            "where the recipient is, for its public holidays (default FR, "
            "metropolitan France; e.g. FR-AM, BE, CH-GE, CA-QC; `letter "
            "jurisdictions` lists them)"
        ),
    )


def _view_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=_("compute states for this day"))
    p.add_argument("--reveal", action="store_true", help=_("show real names (audited)"))
    p.add_argument("--json", action="store_true")


def _letter_lines(info: LetterInfo, detailed: bool = False) -> list[str]:
    who = ", ".join([info.sender, *info.cosigners])
    to = ", ".join(info.recipients)
    due = _(", reply by {deadline}").format(deadline=info.deadline) if info.deadline else ""
    if info.deadline and info.working_days:
        due += _(" ({days} working days, {jurisdiction})").format(
            days=info.deadline_days, jurisdiction=info.jurisdiction_label
        )
    state = label(LETTER_STATE_LABELS, info.state).upper()
    sent_on = info.sent_on or _("unsent")
    subject = info.subject or _("(no subject)")
    head = f"{info.id}  {sent_on}  {state}"
    lines = [f"{head}  {subject}", f"    {who} -> {to}{due}"]
    for q in info.questions:
        text = q.text if detailed else (q.text[:70] + "…" if len(q.text) > 70 else q.text)
        status = label(QUESTION_STATES, q.status)
        lines.append(f"    Q{q.number} [{status}] {safe_text(text)}")
    for r in info.replies:
        lines.append(f"    {_reply_line(r)}")
    return lines


def _reply_line(info: ReplyInfo) -> str:
    answered = ", ".join(
        f"Q{a.number} {label(QUESTION_STATES, a.status)}" for a in info.answers
    ) or _("no question")
    fields = {"id": info.id, "received_on": info.received_on, "sender": info.sender}
    if info.via:
        return _("reply {id} {received_on} from {sender} via {via}: {answered}").format(
            **fields, via=info.via, answered=answered
        )
    return _("reply {id} {received_on} from {sender}: {answered}").format(
        **fields, answered=answered
    )


def add_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().letters.add(
        args.case,
        sender=args.senders[0],
        cosigners=args.senders[1:],
        recipients=args.recipients,
        questions=args.question,
        sent_on=args.sent,
        deadline=args.deadline,
        deadline_days=args.deadline_days,
        working_days=args.working_days,
        jurisdiction=args.jurisdiction,
        subject=args.subject,
        channel=args.channel,
        direction="received" if args.incoming else "sent",
        file=Path(args.file) if args.file else None,
    )
    ctx.emit(info, "\n".join([_("recorded letter"), *_letter_lines(info)]))
    return 0


def list_letters(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    letters = ws.letters.of_case(args.case, state=args.state, as_of=args.as_of, reveal=args.reveal)
    if ctx.json:
        ctx.emit(letters)
        return 0
    lines = [line for info in letters for line in _letter_lines(info)]
    print("\n".join(lines) if lines else _("no letters"))
    if args.state is None:
        print(_summary_line(ws.letters.summary(args.case, as_of=args.as_of)))
    return 0


def _summary_line(summary: Any) -> str:
    states = ", ".join(
        f"{n} {label(LETTER_STATE_LABELS, s)}" for s, n in sorted(summary.by_state.items())
    )
    # Each count says its own noun in the right number; the sentence only places them.
    return _("as of {as_of}: {letters} ({states}); {unanswered}, {overdue}").format(
        as_of=summary.as_of,
        letters=ngettext("{n} letter", "{n} letters", summary.letters).format(n=summary.letters),
        states=states or _("none"),
        unanswered=ngettext(
            "{n} question unanswered", "{n} questions unanswered", summary.unanswered
        ).format(n=summary.unanswered),
        overdue=ngettext("{n} letter overdue", "{n} letters overdue", summary.overdue).format(
            n=summary.overdue
        ),
    )


def show_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().letters.get(args.letter, as_of=args.as_of, reveal=args.reveal)
    lines = _letter_lines(info, detailed=True)
    if args.holidays:
        lines += _holiday_lines(info)
    ctx.emit(info, "\n".join(lines))
    return 0


def _holiday_lines(info: LetterInfo) -> list[str]:
    if not (info.working_days and info.deadline):
        return ["    " + _("no deadline in working days: public holidays do not move it")]
    if not info.deadline_holidays:
        return [
            "    "
            + _("no public holiday ({jurisdiction}) moved the deadline").format(
                jurisdiction=info.jurisdiction_label
            )
        ]
    return [
        "    "
        + _("holiday {day} {name} ({jurisdiction})").format(
            day=day, name=name, jurisdiction=info.jurisdiction_label
        )
        for day, name in info.deadline_holidays
    ]


def list_jurisdictions(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [{"code": j.code, "label": place_name(j)} for j in JURISDICTIONS]
    text = "\n".join(f"{row['code']:<8} {row['label']}" for row in rows)
    ctx.emit(
        rows,
        _("{text}\n(default {DEFAULT_JURISDICTION})").format(
            text=text, DEFAULT_JURISDICTION=DEFAULT_JURISDICTION
        ),
    )
    return 0


def summary(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.workspace().letters.summary(args.case, as_of=args.as_of)
    ctx.emit(result, _summary_line(result))
    return 0


def edit_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    given: dict[str, Any] = {
        "subject": args.subject,
        "channel": args.channel,
        "sent_on": args.sent,
        "jurisdiction": args.jurisdiction,
    }
    edit = LetterEdit(**{name: value for name, value in given.items() if value is not None})
    if args.deadline is not None or args.deadline_days is not None or args.no_deadline:
        edit = replace(
            edit,
            deadline=args.deadline,
            deadline_days=args.deadline_days,
            working_days=args.working_days,
        )
    elif args.working_days:
        raise UsageError(_("--working-days only applies to --deadline-days"))
    info = ctx.workspace().letters.edit(args.letter, edit)
    ctx.emit(info, "\n".join(["updated letter", *_letter_lines(info)]))
    return 0


def delete_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().letters.delete(args.letter)
    ctx.emit({"deleted": args.letter}, _("deleted letter {letter}").format(letter=args.letter))
    return 0


def add_reply(args: argparse.Namespace, ctx: CliContext) -> int:
    info = ctx.workspace().letters.add_reply(
        args.case,
        sender=args.sender,
        received_on=args.received,
        letter=args.letter,
        answers=args.answers,
        via=args.via,
        channel=args.channel,
        summary=args.summary,
        file=Path(args.file) if args.file else None,
    )
    ctx.emit(info, _("recorded {info}").format(info=_reply_line(info)))
    return 0


def list_replies(args: argparse.Namespace, ctx: CliContext) -> int:
    replies = ctx.workspace().letters.replies(args.case, reveal=args.reveal)
    lines = [_reply_line(r) for r in replies]
    ctx.emit(replies, ("\n".join(lines) if lines else _("no replies")))
    return 0


def delete_reply(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().letters.delete_reply(args.reply)
    ctx.emit({"deleted": args.reply}, _("deleted reply {reply}").format(reply=args.reply))
    return 0
