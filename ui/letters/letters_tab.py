"""Letters of a case (right of reply): recipients, dates, deadline, state, questions, replies.

Each letter is a row with its state badge (awaiting, overdue, replied, …, computed by the core
for today); under it, its numbered questions with their answered state and the replies it got.
"Record a reply" ticks the questions a reply answers; the letter's state follows at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from dossier.errors import DossierError
from dossier.services.letters.dto import LetterInfo, LettersSummary, QuestionInfo, ReplyInfo
from ui.case.case_tab import CaseListTab, text_toolbar
from ui.case.inspector_panel import short
from ui.errors import show_error
from ui.i18n import ntr, tr
from ui.letters.jurisdiction import deadline_text, deadline_tooltip
from ui.letters.letter_dialog import LetterDialog
from ui.letters.reply_dialog import ReplyDialog
from ui.state import AppState
from ui.undo import record_addition, record_deletion, snapshot_and
from ui.widgets.confirm import delete_if_confirmed
from ui.widgets.fit import fit_columns
from ui.widgets.form_fields import run_dialog, top_items
from ui.widgets.outside_text import shown
from ui.widgets.verdict_badge import (
    BADGE_ROLE,
    LATE,
    BadgeDelegate,
    LeadingBadgeDelegate,
    badge_label,
)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
SUBJECT, PEOPLE, SENT, DEADLINE, STATE = range(5)


def summary_text(summary: LettersSummary) -> str:
    if not summary.letters:
        return tr("No letters yet.")
    # Each count says its own noun in the right number; the sentence only places them.
    return tr("{letters}: {overdue} overdue, {awaiting} awaiting a reply, {unanswered}.").format(
        letters=ntr("{n} letter", "{n} letters", summary.letters).format(n=summary.letters),
        overdue=summary.overdue,
        awaiting=summary.awaiting,
        unanswered=ntr(
            "{n} question unanswered", "{n} questions unanswered", summary.unanswered
        ).format(n=summary.unanswered),
    ) + (
        " "
        + ntr(
            "{n} question past the deadline.",
            "{n} questions past the deadline.",
            summary.overdue_questions,
        ).format(n=summary.overdue_questions)
        if summary.overdue_questions
        else ""
    )


def letter_badge(letter: LetterInfo) -> str:
    """The state badge's key: a partly answered letter with questions past the deadline is
    shown as late, not as waiting."""
    if letter.is_overdue and letter.state == "partly_answered":
        return "partly_overdue"
    return letter.state


def question_badge(question: QuestionInfo) -> str:
    return "overdue" if question.overdue else question.status


class LettersTab(CaseListTab):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.letters: list[LetterInfo] = []
        self.new_action = QAction(tr("New letter…"), self)
        self.new_action.triggered.connect(self.new_letter)
        self.reply_action = QAction(tr("Record a reply…"), self)
        self.reply_action.triggered.connect(self.record_reply)
        self.open_action = QAction(tr("Open document"), self)
        self.open_action.triggered.connect(self.open_current)
        self.delete_action = QAction(tr("Delete letter…"), self)
        self.delete_action.triggered.connect(self.delete_letter)
        toolbar = text_toolbar(
            self.new_action, self.reply_action, self.open_action, self.delete_action
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("Letter"), tr("To"), tr("Sent"), tr("Deadline"), tr("State")])
        self.tree.setAccessibleName(tr("Letters"))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegateForColumn(STATE, BadgeDelegate("letter", self.tree))
        self.tree.setItemDelegateForColumn(0, LeadingBadgeDelegate("question", self.tree))
        # Subject and recipients elide; the dates and the state always stay in view.
        self.columns = fit_columns(
            self.tree, self.tree.header(), {SUBJECT: 3, PEOPLE: 2}, fitted=(SENT, DEADLINE, STATE)
        )
        self.tree.currentItemChanged.connect(lambda *_: self._update_actions())
        self.tree.currentItemChanged.connect(lambda *_: self._show_details())
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.open_item(item))
        self.stack(toolbar, self.summary, self.tree, grow=self.tree)
        self.state.letters_changed.connect(self._changed)
        self.state.people_changed.connect(self._changed)
        self._update_actions()

    # -- CaseTab ------------------------------------------------------------------------------

    def title(self) -> str:
        return tr("Letters")

    def clear(self) -> None:
        self.letters = []
        self.tree.clear()
        self.summary.clear()
        self._update_actions()

    def reload(self) -> None:
        selected = self.current_letter()
        try:
            self.letters = self.state.ws.letters.of_case(
                self.case_id, reveal=self.state.ws.screen.revealed(self.case_id)
            )
            summary = self.state.ws.letters.summary(self.case_id)
        except DossierError as exc:
            show_error(self, exc)
            return
        self.summary.setText(summary_text(summary))
        self.tree.clear()
        for letter in self.letters:
            item = self._letter_item(letter)
            self.tree.addTopLevelItem(item)
            # Only once in the tree: before, both are ignored.
            item.setExpanded(True)
            for row in range(item.childCount()):
                child = item.child(row)
                if child is not None:
                    child.setFirstColumnSpanned(True)
        if selected is not None:
            self.select_letter(selected.id)
        self._update_actions()

    def _letter_item(self, letter: LetterInfo) -> QTreeWidgetItem:
        subject = shown(letter.subject) or tr("Letter from {sender}").format(
            sender=shown(letter.sender)
        )
        item = QTreeWidgetItem(
            [
                subject,
                ", ".join(shown(r) for r in letter.recipients),
                letter.sent_on or tr("not sent"),
                deadline_text(letter),
                badge_label("letter", letter_badge(letter)),
            ]
        )
        item.setData(0, ITEM_ROLE, letter)
        item.setData(STATE, BADGE_ROLE, letter_badge(letter))
        item.setToolTip(0, tr("From {sender}").format(sender=shown(letter.sender)))
        item.setToolTip(DEADLINE, deadline_tooltip(letter))
        # Questions and replies span the whole row: their words need the room.
        for question in letter.questions:
            child = QTreeWidgetItem([f"{question.number}. {shown(question.text)}"])
            child.setData(0, ITEM_ROLE, question)
            child.setData(0, BADGE_ROLE, question_badge(question))
            child.setToolTip(
                0,
                f"{shown(question.text)}\n{badge_label('question', question_badge(question))}",
            )
            item.addChild(child)
        for reply in letter.replies:
            text = tr("Reply from {sender}").format(sender=shown(reply.sender))
            if reply.via:
                text += f" ({shown(reply.via)})"
            if reply.received_on:
                text += f", {reply.received_on}"
            answered = ", ".join(
                str(a.number)
                if a.status == "answered"
                else f"{a.number} ({badge_label('question', a.status)})"
                for a in reply.answers
                if a.letter_id == letter.id
            )
            if answered:
                text += " · " + tr("answers {numbers}").format(numbers=answered)
            if reply.after_publication:
                text += " · " + tr("received after publication")
            child = QTreeWidgetItem([text])
            child.setData(0, ITEM_ROLE, reply)
            child.setToolTip(0, shown(reply.summary) or text)
            if reply.after_publication:
                child.setForeground(0, QColor(LATE))
            font = child.font(0)
            font.setItalic(True)
            child.setFont(0, font)
            item.addChild(child)
        return item

    # -- selection ----------------------------------------------------------------------------

    def current_letter(self) -> LetterInfo | None:
        item = self.tree.currentItem()
        while item is not None and not isinstance(item.data(0, ITEM_ROLE), LetterInfo):
            item = item.parent()
        return item.data(0, ITEM_ROLE) if item is not None else None

    def _show_details(self) -> None:
        """The details pane describes the selected letter (or the letter of a question)."""
        letter = self.current_letter()
        if letter is not None and self.isVisible():
            self.state.select_item("letter", letter)

    def letter_item(self, letter_id: str) -> QTreeWidgetItem | None:
        return next((i for i in top_items(self.tree) if i.data(0, ITEM_ROLE).id == letter_id), None)

    def select_letter(self, letter_id: str) -> None:
        item = self.letter_item(letter_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _document_of(self, item: QTreeWidgetItem | None) -> str | None:
        data = item.data(0, ITEM_ROLE) if item is not None else None
        parent = item.parent() if item is not None else None
        if isinstance(data, QuestionInfo) and parent is not None:
            data = parent.data(0, ITEM_ROLE)
        if isinstance(data, LetterInfo | ReplyInfo):
            return data.document_id
        return None

    def _update_actions(self) -> None:
        has_case = bool(self.case_id) and self.state.is_unlocked
        letter = self.current_letter()
        self.new_action.setEnabled(has_case)
        self.reply_action.setEnabled(has_case and letter is not None and letter.sent_on is not None)
        self.open_action.setEnabled(self._document_of(self.tree.currentItem()) is not None)
        self.delete_action.setEnabled(letter is not None)

    def open_current(self) -> None:
        self.open_item(self.tree.currentItem())

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        doc_id = self._document_of(item)
        if doc_id is not None:
            self.state.open_document(doc_id)
        elif item is not None:
            self.state.show_status(tr("No document is attached to this item."))

    # -- actions ------------------------------------------------------------------------------

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a dialog (tests answer it instead)."""
        return run_dialog(dialog)

    def new_letter(self) -> None:
        if not self.case_id:
            return
        dialog = LetterDialog(self.state, self.case_id, self)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            letter = dialog.saved
            self._saved(letter.id, bool(letter.document_id))
            # Undone, the letter goes; a file given with it stays in the case, as on a delete.
            record_addition(
                self.state,
                tr("new letter “{subject}”").format(subject=short(letter.subject)),
                "letter",
                letter.id,
                lambda ws: ws.letters.delete(letter.id),
                self._announce(self.case_id),
            )

    def record_reply(self) -> None:
        letter = self.current_letter()
        if letter is None:
            return
        dialog = ReplyDialog(self.state, self.case_id, letter, self)
        if self.exec_dialog(dialog) and dialog.saved is not None:
            self._saved(letter.id, bool(dialog.saved.document_id))

    def _saved(self, letter_id: str, with_document: bool) -> None:
        self.state.letters_changed.emit(self.case_id)
        self.state.timeline_changed.emit(self.case_id)
        if with_document:
            self.state.documents_changed.emit(self.case_id)
        self.select_letter(letter_id)

    def delete_letter(self) -> None:
        letter = self.current_letter()
        if letter is None:
            return
        delete, taken = snapshot_and(self.state, "letter", letter.id, self.state.ws.letters.delete)
        if not delete_if_confirmed(
            self,
            tr("Delete letter"),
            tr("Delete this letter and its questions? Its document and replies stay in the case."),
            delete,
        ):
            return
        self._announce(self.case_id)()
        record_deletion(
            self.state,
            tr("deletion of letter “{subject}”").format(subject=short(letter.subject)),
            taken,
            lambda ws: ws.letters.delete(letter.id),
            self._announce(self.case_id),
        )

    def _announce(self, case_id: str) -> Callable[[], None]:
        def announce() -> None:
            self.state.letters_changed.emit(case_id)
            self.state.timeline_changed.emit(case_id)

        return announce
