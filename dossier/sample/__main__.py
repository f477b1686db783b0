"""`python -m dossier.sample --vault DIR [--if-absent]`: create the sample vault."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dossier.db.engine import is_unsupported
from dossier.errors import DossierError
from dossier.sample.build import SAMPLE_PASSPHRASE, build_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dossier.sample")
    parser.add_argument("--vault", required=True, type=Path)
    parser.add_argument("--if-absent", action="store_true", help="do nothing if it exists")
    args = parser.parse_args(argv)
    if args.if_absent and is_unsupported(args.vault / "catalog.sqlite"):
        # A sample made by an earlier format: keep it aside (it may hold the user's tries).
        aside = args.vault.with_name(f"{args.vault.name}.old-format-{int(time.time())}")
        args.vault.rename(aside)
        print(f"the sample vault was of an older format; it was moved to {aside}")
    if args.if_absent and (args.vault / "vault.json").exists():
        print(f"sample vault already at {args.vault} (passphrase: {SAMPLE_PASSPHRASE})")
        return 0
    print(f"creating the sample vault at {args.vault}...", flush=True)
    try:
        built = build_sample(args.vault)
    except DossierError as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dossier: interrupted; no sample vault was left behind", file=sys.stderr)
        return 130
    if built.notice:
        print(f"note: {built.notice}", file=sys.stderr)
    print(f"sample vault created at {args.vault} (passphrase: {SAMPLE_PASSPHRASE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
