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
from pathlib import Path
from typing import Any

from dossier.cli.context import CliContext
from dossier.errors import UsageError, safe_text
from dossier.services.letters.dto import DEFAULT_JURISDICTION, LetterInfo, ReplyInfo
from dossier.services.letters.jurisdictions import JURISDICTIONS
from dossier.services.letters.states import CHANNELS, LETTER_STATES


def register(sub: Any) -> None:
    letter = sub.add_parser("letter", help="letters with numbered questions (right of reply)")
    verbs = letter.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help="record a letter and its questions")
    p.add_argument("--case", required=True)
    p.add_argument(
        "--from",
        dest="senders",
        action="append",
        required=True,
        metavar="P",
        help="sender; repeat for co-signers (the first is the sender)",
    )
    p.add_argument("--to", dest="recipients", action="append", required=True, metavar="P")
    p.add_argument("--sent", metavar="YYYY-MM-DD", help="sending date (none: a draft)")
    _deadline_options(p)
    p.add_argument("--question", action="append", default=[], metavar="TEXT")
    p.add_argument("--subject", default="")
    p.add_argument("--channel", default="post", help=f"one of {', '.join(CHANNELS)}")
    p.add_argument(
        "--incoming", action="store_true", help="a letter received rather than sent by us"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("file", nargs="?", metavar="FILE", help="the letter itself (PDF, .eml, text)")
    p.set_defaults(handler=add_letter)

    p = verbs.add_parser("list", help="letters of a case with their computed state")
    p.add_argument("--case", required=True)
    p.add_argument("--state", choices=LETTER_STATES)
    _view_options(p)
    p.set_defaults(handler=list_letters)

    p = verbs.add_parser("show", help="one letter, its questions and replies")
    p.add_argument("letter", metavar="LETTER", help="letter id (or its first characters)")
    p.add_argument(
        "--holidays",
        action="store_true",
        help="list the public holidays that moved a working-day deadline",
    )
    _view_options(p)
    p.set_defaults(handler=show_letter)

    p = verbs.add_parser("jurisdictions", help="where a recipient can be, for working days")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_jurisdictions)

    p = verbs.add_parser("summary", help="what is unanswered and what is overdue")
    p.add_argument("--case", required=True)
    p.add_argument("--as-of", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=summary)

    p = verbs.add_parser("edit", help="change the subject, channel, sending date or deadline")
    p.add_argument("letter", metavar="LETTER")
    p.add_argument("--subject")
    p.add_argument("--channel")
    p.add_argument("--sent", metavar="YYYY-MM-DD")
    _deadline_options(p, editing=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=edit_letter)

    p = verbs.add_parser("delete", help="delete a letter and its questions")
    p.add_argument("letter", metavar="LETTER")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_letter)

    reply = sub.add_parser("reply", help="replies to letters, or statements answering them")
    verbs = reply.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("add", help="record a reply")
    p.add_argument("--case", required=True)
    p.add_argument("--letter", metavar="LETTER", help="the letter answered")
    p.add_argument("--from", dest="sender", required=True, metavar="P")
    p.add_argument("--received", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--answers",
        action="append",
        default=[],
        metavar="[LETTER:]N[:partly|:declined]",
        help="a question this reply answers (repeat); default with --letter: all, fully",
    )
    p.add_argument("--via", default="", help="where it was said, e.g. a newspaper")
    p.add_argument("--channel", default="")
    p.add_argument("--summary", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument("file", nargs="?", metavar="FILE", help="the reply itself")
    p.set_defaults(handler=add_reply)

    p = verbs.add_parser("list", help="replies of a case")
    p.add_argument("--case", required=True)
    p.add_argument("--reveal", action="store_true", help="show real names (audited)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_replies)

    p = verbs.add_parser("delete", help="delete a reply")
    p.add_argument("reply", metavar="REPLY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=delete_reply)


def _deadline_options(p: argparse.ArgumentParser, editing: bool = False) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--deadline", metavar="YYYY-MM-DD", help="reply expected by this date")
    group.add_argument("--deadline-days", type=int, metavar="N", help="N days after sending")
    if editing:
        group.add_argument("--no-deadline", action="store_true", help="remove the deadline")
    p.add_argument(
        "--working-days",
        action="store_true",
        help="count --deadline-days in working days (Mon-Fri, public holidays off)",
    )
    p.add_argument(
        "--jurisdiction",
        metavar="CODE",
        help="where the recipient is, for its public holidays (default FR, metropolitan "
        "France; e.g. FR-AM, BE, CH-GE, CA-QC; `letter jurisdictions` lists them)",
    )


def _view_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="compute states for this day")
    p.add_argument("--reveal", action="store_true", help="show real names (audited)")
    p.add_argument("--json", action="store_true")


def _letter_lines(info: LetterInfo, detailed: bool = False) -> list[str]:
    who = ", ".join([info.sender, *info.cosigners])
    to = ", ".join(info.recipients)
    due = f", reply by {info.deadline}" if info.deadline else ""
    if info.deadline and info.working_days:
        due += f" ({info.deadline_days} working days, {info.jurisdiction_label})"
    head = f"{info.id}  {info.sent_on or 'unsent'}  {info.state.replace('_', ' ').upper()}"
    lines = [f"{head}  {info.subject or '(no subject)'}", f"    {who} -> {to}{due}"]
    for q in info.questions:
        text = q.text if detailed else (q.text[:70] + "…" if len(q.text) > 70 else q.text)
        lines.append(f"    Q{q.number} [{q.status}] {safe_text(text)}")
    for r in info.replies:
        lines.append(f"    {_reply_line(r)}")
    return lines


def _reply_line(info: ReplyInfo) -> str:
    via = f" via {info.via}" if info.via else ""
    answered = ", ".join(f"Q{a.number} {a.status}" for a in info.answers) or "no question"
    return f"reply {info.id} {info.received_on} from {info.sender}{via}: {answered}"


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
    ctx.emit(info, "\n".join(["recorded letter", *_letter_lines(info)]))
    return 0


def list_letters(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace()
    letters = ws.letters.of_case(args.case, state=args.state, as_of=args.as_of, reveal=args.reveal)
    if ctx.json:
        ctx.emit(letters)
        return 0
    lines = [line for info in letters for line in _letter_lines(info)]
    print("\n".join(lines) if lines else "no letters")
    if args.state is None:
        print(_summary_line(ws.letters.summary(args.case, as_of=args.as_of)))
    return 0


def _summary_line(summary: Any) -> str:
    states = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(summary.by_state.items()))
    return (
        f"as of {summary.as_of}: {summary.letters} letter(s) ({states or 'none'}); "
        f"{summary.unanswered} question(s) unanswered, {summary.overdue} letter(s) overdue"
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
        return ["    no deadline in working days: public holidays do not move it"]
    if not info.deadline_holidays:
        return [f"    no public holiday ({info.jurisdiction_label}) moved the deadline"]
    return [
        f"    holiday {day} {name} ({info.jurisdiction_label})"
        for day, name in info.deadline_holidays
    ]


def list_jurisdictions(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [{"code": j.code, "label": j.label} for j in JURISDICTIONS]
    text = "\n".join(f"{row['code']:<8} {row['label']}" for row in rows)
    ctx.emit(rows, f"{text}\n(default {DEFAULT_JURISDICTION})")
    return 0


def summary(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.workspace().letters.summary(args.case, as_of=args.as_of)
    ctx.emit(result, _summary_line(result))
    return 0


def edit_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    fields: dict[str, object] = {}
    if args.subject is not None:
        fields["subject"] = args.subject
    if args.channel is not None:
        fields["channel"] = args.channel
    if args.sent is not None:
        fields["sent_on"] = args.sent
    if args.jurisdiction is not None:
        fields["jurisdiction"] = args.jurisdiction
    if args.deadline is not None or args.deadline_days is not None or args.no_deadline:
        fields.update(
            deadline=args.deadline,
            deadline_days=args.deadline_days,
            working_days=args.working_days,
        )
    elif args.working_days:
        raise UsageError("--working-days only applies to --deadline-days")
    info = ctx.workspace().letters.edit(args.letter, **fields)
    ctx.emit(info, "\n".join(["updated letter", *_letter_lines(info)]))
    return 0


def delete_letter(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().letters.delete(args.letter)
    ctx.emit({"deleted": args.letter}, f"deleted letter {args.letter}")
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
    ctx.emit(info, f"recorded {_reply_line(info)}")
    return 0


def list_replies(args: argparse.Namespace, ctx: CliContext) -> int:
    replies = ctx.workspace().letters.replies(args.case, reveal=args.reveal)
    lines = [_reply_line(r) for r in replies]
    ctx.emit(replies, "\n".join(lines) if lines else "no replies")
    return 0


def delete_reply(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.workspace().letters.delete_reply(args.reply)
    ctx.emit({"deleted": args.reply}, f"deleted reply {args.reply}")
    return 0
