"""`python -m ui [--vault DIR] [--selftest]`: start the desktop application, or check it."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

from dossier.db.rowmac import SERVE_FLAG as CHECK_ROWS_FLAG
from dossier.db.rowmac import serve as check_rows_child
from dossier.pdf.heicchild import CHILD_FLAG
from dossier.pdf.heicchild import main as decode_heic_child
from dossier.pdf.ocrchild import CHILD_FLAG as OCR_CHILD_FLAG
from dossier.pdf.ocrchild import main as ocr_page_child


def main(argv: list[str] | None = None) -> int:
    # The frozen app started as a search-index worker (dossier.search.analysed) runs it, then exits.
    multiprocessing.freeze_support()
    args_given = sys.argv[1:] if argv is None else argv
    if args_given[:1] == [CHILD_FLAG]:
        # The frozen app started as the HEIC decoder's child process (dossier.pdf.heic).
        return decode_heic_child(args_given[1:])
    if args_given[:1] == [OCR_CHILD_FLAG]:
        # The frozen app started as the child reading a page by OCR (dossier.pdf.ocr).
        return ocr_page_child(args_given[1:])
    if args_given[:1] == [CHECK_ROWS_FLAG]:
        # The frozen app started as a worker checking a large case's rows (dossier.db.rowworker).
        check_rows_child()
        return 0
    parser = argparse.ArgumentParser(prog="dossier-app", description="Dossier desktop application")
    parser.add_argument("--vault", type=Path, help="vault folder to show on the unlock screen")
    parser.add_argument(
        "--selftest", action="store_true", help="check this installation offscreen, then exit"
    )
    args = parser.parse_args(args_given)
    if args.selftest:
        from ui.selftest import run as run_selftest

        return run_selftest()
    from ui.app import run
    from ui.vault.unlock_panel import passphrase_from_environment

    return run(args.vault, passphrase_from_environment())


if __name__ == "__main__":
    sys.exit(main())
