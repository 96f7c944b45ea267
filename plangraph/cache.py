"""A cache of read and reasoned plans, so that the second command on the same inputs neither
reads the documents again nor runs HermiT again.

An entry is keyed by the content of everything the answer depends on: each source file (its
path and bytes), the user's alias table and enterprise lexicon, whether the statistical model
reads the texts, and plangraph itself (its code, ontology, word tables and version). Change any
of them and the key changes; nothing is ever served stale. Two files make an entry, both
pickles: the plans read (the plan model, the warnings, each plan's asserted triples) and the
triples HermiT inferred from them.

The cache lives in ``$PLANGRAPH_CACHE``, else ``$XDG_CACHE_HOME/plangraph``, else
``~/.cache/plangraph``, in a folder only its owner can read (the plan model is stored with
:mod:`pickle`, so the folder must be nobody else's to write). It keeps the newest entries up to
:data:`~plangraph.settings.CACHE_MAX_BYTES`; a damaged entry is ignored and written again.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> cache = Cache(folder)
>>> cache.get("k", "inferred") is None
True
>>> cache.put("k", "inferred", b"data")
>>> cache.get("k", "inferred")
b'data'
>>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from . import __version__
from .settings import CACHE_MAX_BYTES
from .views.output import write_atomic

__all__ = ["Cache", "default_cache", "source_key"]

_PACKAGE_SUFFIXES = (".py", ".ttl", ".rq", ".yaml", ".tsv", ".html")


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A digest of plangraph's own files: code, ontology, word tables, version."""
    # plangraph's own files: a new rule, word or ontology axiom is a new cache
    root = Path(str(resources.files("plangraph")))
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in _PACKAGE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def source_key(paths: Iterable[Path], options: dict[str, object], extra_files: Iterable[Path | None] = ()) -> str:
    """The key of a set of sources read with ``options``: a hash of their paths and bytes, of
    ``extra_files`` (a user's tables) and of plangraph itself.

    >>> import tempfile
    >>> a = Path(tempfile.mkdtemp()) / "a.yaml"; _ = a.write_text("x")
    >>> k1 = source_key([a], {"model": True}); k2 = source_key([a], {"model": False})
    >>> k1 == source_key([a], {"model": True}), k1 == k2
    (True, False)
    """
    h = hashlib.sha256(package_digest().encode())
    h.update(repr(sorted(options.items())).encode())
    for path in list(paths) + [p for p in extra_files if p is not None]:
        h.update(b"\0" + str(Path(path).resolve()).encode() + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


class Cache:
    """A folder of cache entries: ``get`` and ``put`` bytes by key and part."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str, part: str) -> Path:
        return self.folder / f"{key}.{part}"

    def get(self, key: str, part: str) -> bytes | None:
        """The bytes stored for ``key`` and ``part``, or None."""
        path = self._path(key, part)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # recently used entries are kept longest
        except OSError:
            pass
        return data

    def put(self, key: str, part: str, data: bytes) -> None:
        """Store ``data``; a cache that cannot be written is skipped, never an error."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(self._path(key, part), data)
            self._trim()
        except OSError:
            pass

    def drop(self, key: str, part: str) -> None:
        """Forget a damaged entry."""
        self._path(key, part).unlink(missing_ok=True)

    def _trim(self) -> None:
        stats = [(p, p.stat()) for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")]
        entries = sorted((st.st_mtime, st.st_size, p) for p, st in stats)
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= CACHE_MAX_BYTES:
                break
            path.unlink(missing_ok=True)
            total -= size


def default_cache() -> Cache:
    """The cache folder of this user (see the module's description)."""
    folder = os.environ.get("PLANGRAPH_CACHE")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(base) / "plangraph")
    return Cache(Path(folder))
