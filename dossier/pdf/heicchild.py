"""The child process that decodes one HEIC photo: limits first, then the file, pixels out.

`dossier.pdf.heic` starts it (`python -m dossier.pdf.heicchild`, or the frozen app with
`CHILD_FLAG`) and writes the file to its standard input. Before it reads a byte it caps its
own address space and CPU time, forbids itself to write files and to leave a core dump (a
crash's memory image would hold the photo in clear), so a hostile file that makes libheif or
libde265 spin, balloon or crash ends this process only. It answers on standard output with one
ASCII line, then the pixels:

    "pixels MODE WIDTH HEIGHT\\n" + WIDTH*HEIGHT*len(MODE) bytes (rows packed, no padding)
    "too-large WIDTH HEIGHT\\n"   the picture claims more than the pixel limit
    "damaged\\n"                  libheif cannot read it

It imports only the standard library, pi-heif (decode-only libheif and libde265) and
`dossier.crypto.nodump`, and `fault` exists for the tests that show a spinning, crashing or
ballooning decoder is contained.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import BinaryIO

from dossier.crypto.nodump import forbid_core_dumps

CHILD_FLAG = "--decode-heic-child"
"""The frozen app's hidden argument that makes it this child instead of the app."""
FAULTS = ("spin", "crash", "balloon")


def _limit(memory: int, cpu: int) -> None:
    import resource

    # Not dumpable as well: a crash handler program (apport) ignores the core limit, and a
    # crash is what a hostile photo may cause here.
    forbid_core_dumps()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _fault(kind: str) -> None:
    if kind == "spin":
        while True:
            pass
    if kind == "crash":
        os.abort()
    if kind == "balloon":
        _ = bytearray(1 << 40)


def decode(data: bytes, max_pixels: int, out: BinaryIO) -> None:
    """Write the answer (see above) for `data` to `out`."""
    import pi_heif

    pi_heif.options.DECODE_THREADS = 1  # predictable memory under the address-space cap
    try:
        heif = pi_heif.open_heif(data, convert_hdr_to_8bit=True)
        width, height = heif.size
        if width * height > max_pixels:
            out.write(f"too-large {width} {height}\n".encode())
            return
        image = heif[heif.primary_index]
        mode = image.mode
        pixels = memoryview(image.data)  # decoded here; valid while `image` lives
    except Exception:  # libheif's errors are several types; any of them means unreadable
        out.write(b"damaged\n")
        return
    if mode not in ("L", "RGB", "RGBA"):
        out.write(b"damaged\n")
        return
    out.write(f"pixels {mode} {width} {height}\n".encode())
    row = width * len(mode)
    if image.stride == row:
        out.write(pixels)
        return
    for y in range(height):
        out.write(pixels[y * image.stride : y * image.stride + row])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="heicchild")
    parser.add_argument("--memory", type=int, required=True)
    parser.add_argument("--cpu", type=int, required=True)
    parser.add_argument("--max-pixels", type=int, required=True)
    parser.add_argument("--fault", choices=FAULTS)
    args = parser.parse_args(argv)
    if os.name == "posix":
        _limit(args.memory, args.cpu)
    if args.fault:
        _fault(args.fault)
    decode(sys.stdin.buffer.read(), args.max_pixels, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
