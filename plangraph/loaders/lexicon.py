"""The enterprise lexicon: companies a text may name without any cue (支持A、B、C做大做强).

A shipped table (``plangraph/data/enterprises.tsv``, written by the plangraph team from public
facts) lists central and provincial state-owned groups, major private, listed and foreign
enterprises, each with the short forms texts use. Users extend it with a file of the same shape
or a YAML file (``enterprises: [{name, short, kind, ambiguous}]``).
A short form that is also an ordinary word or a place (小米, 理想, 长安) is ``ambiguous``: it names a
company only in a company context (see :func:`company_context`).

>>> lex = Lexicon([{"name": "甲钢集团有限公司", "short": ["甲钢"]}, {"name": "小禾科技", "short": ["小禾"], "ambiguous": ["小禾"]}])
>>> [(h.form, h.name, h.ambiguous) for h in lex.find("支持甲钢、小禾做大做强")]
[('甲钢', '甲钢集团有限公司', False), ('小禾', '小禾科技', True)]
>>> lex.label("甲钢集团有限公司"), lex.variants("甲钢集团有限公司")
('甲钢', ['甲钢集团有限公司', '甲钢'])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .errors import PlanSourceError, yaml_error

__all__ = ["Lexicon", "LexiconHit", "bundled_lexicon", "lexicon_with"]


@dataclass(frozen=True)
class LexiconHit:
    """A lexicon form found in a sentence; ``start``/``end`` index the sentence."""

    form: str
    name: str
    kind: str | None
    ambiguous: bool
    start: int
    end: int


class Lexicon:
    """Enterprise names and short forms, found longest first."""

    def __init__(self, entries: Iterable[dict]):
        self.forms: dict[str, tuple[str, str | None, bool]] = {}
        self._labels: dict[str, str] = {}
        self._variants: dict[str, list[str]] = {}
        for e in entries:
            shorts = [str(x).strip() for x in e.get("short") or () if len(str(x).strip()) >= 2]
            # the label a graph shows: the usual short form (中国石化), else the full name
            self._labels.setdefault(e["name"], shorts[0] if shorts else e["name"])
            self._variants.setdefault(e["name"], [e["name"], *shorts])
            ambiguous = set(e.get("ambiguous") or ())
            for form in [e["name"], *(e.get("short") or ())]:
                form = str(form).strip()
                if len(form) >= 2 and form not in self.forms:
                    self.forms[form] = (e["name"], e.get("kind"), form in ambiguous)
        # by first character: the lengths of its forms, longest first, and the forms themselves;
        # a position is tried once per length (a slice and a set look-up), not once per form
        by_first: dict[str, set[str]] = {}
        for form in self.forms:
            by_first.setdefault(form[0], set()).add(form)
        self._by_first: dict[str, tuple[tuple[int, ...], frozenset[str]]] = {
            c: (tuple(sorted({len(f) for f in fs}, reverse=True)), frozenset(fs)) for c, fs in by_first.items()
        }

    def __len__(self) -> int:
        return len(self.forms)

    def label(self, name: str) -> str:
        """The name an enterprise goes by in the graph: its usual short form."""
        return self._labels.get(name, name)

    def variants(self, name: str) -> list[str]:
        """Every form of an enterprise the lexicon knows, full name first."""
        return list(self._variants.get(name, [name]))

    def find(self, sentence: str) -> Iterator[LexiconHit]:
        """Every form in the sentence, longest first at each position, not overlapping."""
        i = 0
        n = len(sentence)
        while i < n:
            entry = self._by_first.get(sentence[i])
            if entry is not None:
                lengths, forms = entry
                for length in lengths:
                    form = sentence[i:i + length]
                    if len(form) == length and form in forms:
                        name, kind, ambiguous = self.forms[form]
                        yield LexiconHit(form, name, kind, ambiguous, i, i + length)
                        i += length
                        break
                else:
                    i += 1
            else:
                i += 1


def _entries(path: str | Path, text: str) -> list[dict]:
    """The entries of a lexicon file: five tab-separated columns, or YAML (``enterprises: [...]``)."""
    if str(path).endswith((".tsv", ".txt")):
        return _table(path, text)
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(str(path), exc) from None
    entries = data.get("enterprises") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise PlanSourceError(str(path), "enterprises", "must be a list of {name, short, kind}")
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not e.get("name"):
            raise PlanSourceError(str(path), f"enterprises[{i}]", "needs a name")
        e["name"] = str(e["name"]).strip()
        for key in ("short", "ambiguous"):
            value = e.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                raise PlanSourceError(str(path), f"enterprises[{i}].{key}", "must be a list of names")
            e[key] = [str(v).strip() for v in value]
    return entries


_COLUMNS = ("name", "short", "kind", "province", "ambiguous")


def _table(path: str | Path, text: str) -> list[dict]:
    r"""Rows of ``name<TAB>short|short<TAB>kind<TAB>province<TAB>ambiguous``; # starts a comment.

    >>> _table("x.tsv", "# firms\nname\tshort\tkind\tprovince\tambiguous\n甲钢集团\t甲钢|甲钢股份\tprivate\t\t\n")
    [{'name': '甲钢集团', 'short': ['甲钢', '甲钢股份'], 'kind': 'private', 'province': None, 'ambiguous': []}]
    """
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        cells = line.split("\t")
        if len(cells) > len(_COLUMNS) or not cells[0].strip():
            raise PlanSourceError(str(path), None, f"expected {' <TAB> '.join(_COLUMNS)}, got {len(cells)} column(s)", line=n)
        cells += [""] * (len(_COLUMNS) - len(cells))
        name, short, kind, province, ambiguous = (c.strip() for c in cells)
        out.append({"name": name, "short": [x for x in short.split("|") if x], "kind": kind or None,
                    "province": province or None, "ambiguous": [x for x in ambiguous.split("|") if x]})
    return out


_SHIPPED = "data/enterprises.tsv"


@functools.cache
def _shipped_entries() -> tuple[dict, ...]:
    text = resources.files("plangraph").joinpath(_SHIPPED).read_text(encoding="utf-8")
    return tuple(_entries(_SHIPPED, text))


@functools.cache
def bundled_lexicon() -> Lexicon:
    """The shipped enterprise lexicon."""
    return Lexicon(_shipped_entries())


def lexicon_with(path: str | Path | None) -> Lexicon:
    """The shipped lexicon extended by a user's file (a table of the same shape, or YAML); the user's
    entries come first, so their short forms win."""
    if path is None:
        return bundled_lexicon()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanSourceError(str(path), None, f"cannot be read: {exc}") from None
    return Lexicon([*_entries(path, text), *_shipped_entries()])
