"""Writing outputs: the export formats with their file suffixes, and writes that never damage
what they point at. Light, so a command line can offer and write them without loading rdflib.

A regular file is replaced atomically (a reader sees the old file or the new one, never half
of one) and keeps its permissions; a new file gets the permissions the umask gives; a symbolic
link is followed and its target replaced; ``-``, a FIFO, a terminal, ``/dev/null`` and other
devices are written through, never replaced.

>>> import tempfile, stat
>>> path = Path(tempfile.mkdtemp()) / "out.ttl"
>>> _ = path.write_text("old"); path.chmod(0o644)
>>> write_output(path, b"new")
>>> path.read_text(), oct(stat.S_IMODE(path.stat().st_mode))
('new', '0o644')
>>> write_output("/dev/null", b"nothing")
>>> Path("/dev/null").is_char_device()
True
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["FORMATS", "SUFFIXES", "ANSWER_SUFFIXES", "write_output", "write_atomic", "format_for", "check_output"]

#: Export formats by rdflib's name (plus graphml), with their usual file suffix.
SUFFIXES: dict[str, str] = {
    "turtle": ".ttl",
    "nt": ".nt",
    "json-ld": ".jsonld",
    "xml": ".rdf",
    "trig": ".trig",
    "nquads": ".nq",
    "graphml": ".graphml",
}
FORMATS = tuple(SUFFIXES)
#: A query's answer formats (:data:`plangraph.queries.FORMATS`) with their usual file suffix.
ANSWER_SUFFIXES: dict[str, str] = {"table": ".txt", "csv": ".csv", "tsv": ".tsv", "json": ".json", "xml": ".xml",
                                   "turtle": ".ttl", "nt": ".nt", "json-ld": ".jsonld", "rdf-xml": ".rdf"}
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "rdf/xml": "xml", "pretty-xml": "xml", "nq": "nquads"}
# places whose files are views of something else (a terminal, a descriptor): written through
_PASS_THROUGH = ("/dev/", "/proc/")


def format_for(path: str | Path | None, given: str | None, by_suffix: dict[str, str], default: str) -> str:
    """The format to write ``path`` in: ``given`` when set, else the one its suffix names, else
    ``default``. A format given that contradicts a known suffix is an error.

    >>> format_for("x.nt", None, {".nt": "nt", ".ttl": "turtle"}, "turtle")
    'nt'
    >>> format_for("x.nt", "turtle", {".nt": "nt", ".ttl": "turtle"}, "turtle")
    Traceback (most recent call last):
    ...
    ValueError: x.nt: --format turtle, but the suffix .nt means nt (rename the file or drop --format)
    """
    suffix = Path(str(path)).suffix.lower() if path not in (None, "-") else ""
    implied = by_suffix.get(suffix)
    if given is not None:
        if implied is not None and implied != given:
            raise ValueError(f"{path}: --format {given}, but the suffix {suffix} means {implied} (rename the file or drop --format)")
        return given
    return implied or default


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the regular file ``path`` (or create it) through a temporary file and a rename,
    keeping the mode (and, where allowed, the owner) of the file it replaces.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        before: os.stat_result | None = path.stat()
    except FileNotFoundError:
        before = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if before is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(before.st_mode))
                if (before.st_uid, before.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(fh.fileno(), before.st_uid, before.st_gid)
                    except PermissionError:
                        pass
            else:
                os.fchmod(fh.fileno(), 0o666 & ~_umask())
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output(target: str | Path) -> None:
    """Refuse a target that no file can be written to (a folder), so a command can say so before
    it does any work.

    >>> check_output("/")
    Traceback (most recent call last):
    ...
    IsADirectoryError: [Errno 21] is a folder, not a file to write: '/'
    """
    if str(target) != "-" and Path(target).is_dir():
        raise IsADirectoryError(21, "is a folder, not a file to write", str(target))


def write_output(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` without damaging it: ``-`` is standard output; FIFOs, devices
    and sockets are written through; a symbolic link's target is replaced atomically, as is a
    regular file; a folder is an error.
    """
    if str(target) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    check_output(target)
    path = Path(target)
    try:
        st: os.stat_result | None = path.stat()  # follows links
    except FileNotFoundError:
        st = None
    special = st is not None and not stat.S_ISREG(st.st_mode)
    if special or str(path.absolute()).startswith(_PASS_THROUGH):
        with open(path, "wb") as fh:
            fh.write(data)
        return
    write_atomic(Path(os.path.realpath(path)), data)
