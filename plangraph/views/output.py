"""Writing outputs: the export formats with their file suffixes, and atomic writes. Light, so a
command line can offer and write them without loading rdflib."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["FORMATS", "SUFFIXES", "write_atomic"]

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
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "rdf/xml": "xml", "pretty-xml": "xml", "nq": "nquads"}


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: a reader sees the old
    file or the new one, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
