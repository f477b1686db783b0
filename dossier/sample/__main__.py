"""`python -m dossier.sample --vault DIR [--if-absent]`: create the sample vault."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dossier.errors import DossierError
from dossier.sample.build import SAMPLE_PASSPHRASE, build_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dossier.sample")
    parser.add_argument("--vault", required=True, type=Path)
    parser.add_argument("--if-absent", action="store_true", help="do nothing if it exists")
    args = parser.parse_args(argv)
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
