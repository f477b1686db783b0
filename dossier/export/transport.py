"""A whole bundle sealed under a passphrase for the journey (USB stick, e-mail, cloud folder).

File layout: `MAGIC`, a 4-byte length, a JSON header (KDF name and parameters, salt), then the
bundle as a `SealedWriter` stream: AES-256-GCM in 64 KiB blocks, each bound to its number,
the final flag and the header, under a key derived from the passphrase with Argon2id. A wrong
passphrase and a changed byte are both reported by the first block that fails to
authenticate; truncation and appended data are detected too.

The plaintext bundle never touches the disk: the sealed body goes to a temporary file that only
ever holds ciphertext, then header and body are joined atomically into the destination.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import shutil
import struct
import tempfile
from pathlib import Path

from dossier.crypto.kdf import KdfParams, derive_kek, new_salt
from dossier.crypto.sealedfile import SealedReader, SealedWriter
from dossier.errors import CorruptData, EnvironmentFailure, InputRefused, WrongPassphrase
from dossier.fsutil import TEMP_PREFIX, atomic_writer
from dossier.i18n import _
from dossier.text import outside_json

MAGIC = b"DOSSIER-SEALED-BUNDLE\x00\x01"
MAX_HEADER = 4096
MAX_SEALED_BYTES = 2 * 1024**3
MAX_KDF_MEMORY_KIB = 1024 * 1024
"""A hostile header must not make us allocate more than 1 GiB for Argon2id."""
_COPY = 1 << 20


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _header(params: KdfParams, salt: bytes) -> bytes:
    body = json.dumps(
        {"kdf": params.to_json(), "salt": base64.b64encode(salt).decode("ascii")},
        sort_keys=True,
    ).encode("utf-8")
    return MAGIC + struct.pack(">I", len(body)) + body


def write_sealed_bundle(out: Path, bundle: bytes, passphrase: str, params: KdfParams) -> None:
    """Seal `bundle` (the zip's bytes) under `passphrase` into `out`, atomically."""
    if not passphrase:
        raise InputRefused(_("the bundle passphrase must not be empty"))
    salt = new_salt()
    header = _header(params, salt)
    key = derive_kek(passphrase, salt, params)
    body = out.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        with SealedWriter(body, key, header, atomic=False) as writer:
            for start in range(0, len(bundle), _COPY):
                writer.write(bundle[start : start + _COPY])
        with atomic_writer(out) as target, body.open("rb") as source:
            target.write(header)
            shutil.copyfileobj(source, target, _COPY)
    except OSError as exc:
        raise EnvironmentFailure(
            _("could not write {name}: {value}").format(name=out.name, value=exc.strerror or exc)
        ) from exc
    finally:
        body.unlink(missing_ok=True)


def read_sealed_bundle(path: Path, passphrase: str) -> bytes:
    """The zip bytes inside a sealed bundle; WrongPassphrase when it does not open."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(MAGIC) + 4)
            if len(head) < len(MAGIC) + 4 or head[: len(MAGIC)] != MAGIC:
                raise InputRefused(
                    _("{name} is not a passphrase-sealed Dossier bundle").format(name=path.name)
                )
            (length,) = struct.unpack(">I", head[len(MAGIC) :])
            if length > MAX_HEADER:
                raise InputRefused(_("{name} has a malformed header").format(name=path.name))
            body_json = fh.read(length)
            params, salt = _parse_header(body_json, path.name)
            header = head + body_json
            size = os.fstat(fh.fileno()).st_size - len(header)
            if size > MAX_SEALED_BYTES:
                raise InputRefused(
                    _("{name} is larger than a bundle may be").format(name=path.name)
                )
            key = derive_kek(passphrase, salt, params)
            with tempfile.TemporaryDirectory(prefix="dossier-") as folder:
                # Only ciphertext is copied here; SealedReader reads a file of its own format.
                sealed = Path(folder) / "body"
                with sealed.open("wb") as out:
                    shutil.copyfileobj(fh, out, _COPY)
                try:
                    with SealedReader(sealed, key, header, what=path.name) as reader:
                        return reader.read_all()
                except CorruptData:
                    raise WrongPassphrase(
                        _(
                            "{name} does not open with this passphrase (wrong passphrase, or the "
                            "file was altered)"
                        ).format(name=path.name)
                    ) from None
    except OSError as exc:
        raise EnvironmentFailure(
            _("cannot read {name}: {value}").format(name=path.name, value=exc.strerror or exc)
        ) from exc


def _parse_header(raw: bytes, name: str) -> tuple[KdfParams, bytes]:
    try:
        data = outside_json.loads(raw.decode("utf-8"))
        params = KdfParams.from_json(data["kdf"])
        salt = base64.b64decode(str(data["salt"]), validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error, CorruptData):
        raise InputRefused(_("{name} has a malformed header").format(name=name)) from None
    if params.memory_kib > MAX_KDF_MEMORY_KIB or len(salt) < 16:
        raise InputRefused(
            _("{name} asks for key-derivation parameters Dossier refuses").format(name=name)
        )
    return params, salt
