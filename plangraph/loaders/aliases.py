"""The alias table: variant names of one entity, merged to a canonical name across documents.

A shipped table (``plangraph/data/aliases.yaml``) lists common variants; users extend it with
their own YAML file of the same shape (``canonical: [variant, ...]``).

>>> table = AliasTable({"太钢": ["太钢集团", "太原钢铁集团"]})
>>> table.canonical("“太原钢铁集团”")
'太钢'
>>> table.canonical("富士康")
'富士康'
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from .errors import PlanSourceError
from .names import normalise_name

__all__ = ["AliasTable", "bundled_aliases", "aliases_with"]


def _key(name: str) -> str:
    return normalise_name(name)


class AliasTable:
    """Maps every variant (normalised) to its canonical name."""

    def __init__(self, groups: Mapping[str, Iterable[str]] | None = None):
        self._to_canonical: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}
        for canonical, variants in (groups or {}).items():
            self.add(canonical, variants)

    def add(self, canonical: str, variants: Iterable[str]) -> None:
        group = self.groups.setdefault(canonical, [])
        for name in (canonical, *variants):
            self._to_canonical[_key(name)] = canonical
            if name != canonical and name not in group:
                group.append(name)

    def canonical(self, name: str) -> str:
        """The canonical name of ``name``, or ``name`` itself when the table does not know it."""
        return self._to_canonical.get(_key(name), name)

    def variants(self, canonical: str) -> list[str]:
        return list(self.groups.get(canonical, []))

    def extend(self, path: str | Path) -> "AliasTable":
        """Add the groups of a user's YAML file (``canonical: [variant, ...]``)."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise PlanSourceError(str(path), None, f"cannot read the alias table: {exc}") from None
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise PlanSourceError(str(path), None, "an alias table maps each canonical name to a list of variants")
        for canonical, variants in data.items():
            self.add(str(canonical), [str(v) for v in variants])
        return self

    def __len__(self) -> int:
        return len(self.groups)


@functools.cache
def _bundled_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    path = resources.files("plangraph") / "data" / "aliases.yaml"
    table = AliasTable().extend(Path(str(path)))
    return tuple((k, tuple(v)) for k, v in table.groups.items())


def bundled_aliases() -> AliasTable:
    """The alias table shipped with plangraph (a fresh table: extending it changes no other)."""
    return AliasTable(dict(_bundled_groups()))


def aliases_with(path: str | Path | None) -> AliasTable:
    """The shipped alias table, extended with a user's file when one is given."""
    table = bundled_aliases()
    return table.extend(path) if path else table
