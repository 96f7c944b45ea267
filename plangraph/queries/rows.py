"""Query answers as rows: a plain table, CSV and JSON (the W3C SPARQL result formats), and HTML for Jupyter.

>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("太钢")))
>>> rows = Rows(g.query("SELECT ?s ?o WHERE { ?s ?p ?o }"))
>>> rows.columns
['s', 'o']
>>> rows.records()
[{'s': 'urn:a', 'o': '太钢'}]
>>> print(rows.to_table())
s      o
-----  ----
urn:a  太钢
"""

from __future__ import annotations

import html
import unicodedata
from typing import Iterator

from rdflib import XSD, Literal
from rdflib.query import Result
from rdflib.term import Node

__all__ = ["Rows", "display_value"]


def display_value(term: Node | None, prefixes: dict[str, str] | None = None) -> str:
    """A term as a person reads it: literals as their text, IRIs shortened by known prefixes.

    >>> from rdflib import URIRef
    >>> display_value(URIRef("https://w3id.org/plangraph/ontology#Goal"), {"pg": "https://w3id.org/plangraph/ontology#"})
    'pg:Goal'
    """
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.datatype == XSD.decimal and str(term).endswith(".0"):
            return str(term)[:-2]  # 20000.0 reads as 20000
        return str(term)
    text = str(term)
    for prefix, ns in (prefixes or {}).items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _width(text: str) -> int:
    # CJK characters take two terminal columns
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Rows:
    """The answer to a SELECT query (or the boolean of an ASK)."""

    def __init__(self, result: Result, prefixes: dict[str, str] | None = None):
        self.result = result
        self.prefixes = prefixes or {}
        self.columns: list[str] = [str(v) for v in (result.vars or [])]
        self.rows: list[tuple[Node | None, ...]] = [tuple(r) for r in result] if result.type == "SELECT" else []

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        """The display values of one column."""
        i = self.columns.index(name)
        return [display_value(r[i], self.prefixes) for r in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Each row as a dict of display values (empty string for unbound)."""
        return [{c: display_value(v, self.prefixes) for c, v in zip(self.columns, r)} for r in self.rows]

    def to_table(self) -> str:
        """An aligned text table for the terminal."""
        if self.result.type == "ASK":
            return str(bool(self.result.askAnswer))
        cells = [[display_value(v, self.prefixes) for v in r] for r in self.rows]
        widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(self.columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

        out = [line(self.columns), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        return "\n".join(out)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results (rdflib's serializer)."""
        return self.result.serialize(format="csv").decode("utf-8")

    def to_json(self) -> str:
        """SPARQL 1.1 JSON results (rdflib's serializer)."""
        return self.result.serialize(format="json").decode("utf-8")

    def to_dataframe(self):  # pragma: no cover - pandas is optional
        """A pandas DataFrame of the display values (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=self.columns)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(display_value(v, self.prefixes))}</td>" for v in r) + "</tr>"
            for r in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{len(self.rows)} rows</p>"

    def __repr__(self) -> str:
        return f"<Rows: {len(self.rows)} rows × {len(self.columns)} columns>"

    def __str__(self) -> str:
        return self.to_table()



