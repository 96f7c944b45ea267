"""Query answers as rows: a plain table, the W3C SPARQL result formats (JSON, XML, CSV, TSV), and HTML for Jupyter.

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
from functools import lru_cache
from typing import Iterator

from rdflib import XSD, Graph, Literal, Variable
from rdflib.query import Result

from ..graph.memory_store import answer_of
from ..graph.store import Answer
from rdflib.term import Node

from .library import QueryError
from .limits import QueryLimitError

__all__ = ["Rows", "display_value", "FORMATS", "RDF_FORMATS"]

#: The RDF syntaxes a CONSTRUCT or DESCRIBE answer prints in (rdflib's names, but rdf-xml: plain xml is the SPARQL result format).
RDF_FORMATS = ("turtle", "nt", "json-ld", "rdf-xml")
#: Every format an answer prints in; ``xml`` is the SPARQL XML result format.
FORMATS = ("table", "csv", "tsv", "json", "xml", *RDF_FORMATS)


def _too_many(limit: int, what: str) -> QueryLimitError:
    return QueryLimitError("rows", f"the answer has more than {limit:,} {what}, the row limit; raise it with --max-rows N (0 for none)")


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


@lru_cache(maxsize=65_536)
def _width(text: str) -> int:
    # CJK characters take two terminal columns; answers repeat their labels, so each is measured once
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")


class Rows:
    """The answer to a query: the rows of a SELECT, the boolean of an ASK, or the graph of a
    CONSTRUCT or DESCRIBE. ``max_rows`` (None for no limit) makes a longer answer an error
    rather than a silently shortened one.
    """

    def __init__(self, result: Answer | Result, prefixes: dict[str, str] | None = None, max_rows: int | None = None):
        answer = result if isinstance(result, Answer) else answer_of(result)
        self.type: str = answer.type
        self.prefixes = prefixes or {}
        self.columns: list[str] = list(answer.vars) if answer.type == "SELECT" else []
        self.rows: list[tuple[Node | None, ...]] = []
        self.boolean: bool | None = bool(answer.boolean) if answer.type == "ASK" else None
        self.graph: Graph | None = None
        if answer.type == "SELECT":
            for row in answer.rows:
                if max_rows and len(self.rows) >= max_rows:
                    raise _too_many(max_rows, "rows")
                self.rows.append(tuple(row))
        elif answer.type in ("CONSTRUCT", "DESCRIBE"):
            self.graph = Graph()
            for triple in answer.triples or ():
                self.graph.add(triple)
                if max_rows and len(self.graph) > max_rows:
                    raise _too_many(max_rows, "triples")
        self._vars = [Variable(c) for c in self.columns]

    def _result(self) -> Result:
        # the kept rows as an rdflib result again, for its W3C serialisers
        out = Result(self.type)
        if self.type == "ASK":
            out.askAnswer = self.boolean
        else:
            out.vars = self._vars
            out.bindings = [{v: t for v, t in zip(self._vars, row) if t is not None} for row in self.rows]
        return out

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
        if self.type == "ASK":
            return "true" if self.boolean else "false"
        if self.graph is not None:
            return self.to_rdf("turtle")
        shown: dict[object, str] = {}  # a term repeated down a column is written once

        def show(term: Node | None) -> str:
            text = shown.get(term)
            if text is None:
                text = shown[term] = display_value(term, self.prefixes)
            return text

        cells = [[show(v) for v in r] for r in self.rows]
        widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(self.columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

        out = [line(self.columns), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        return "\n".join(out)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results (rdflib's serializer); an ASK answer as ``true`` or ``false``."""
        if self.type == "ASK":
            return "true\n" if self.boolean else "false\n"
        return self._select("csv")

    def to_tsv(self) -> str:
        r"""SPARQL 1.1 TSV results: a header of ``?variables``, then each term as Turtle writes it
        (tabs and line breaks inside literals escaped), an unbound value empty; ASK as ``true`` or ``false``.

        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("a\tb", lang="zh")))
        >>> Rows(g.query("SELECT ?s ?o ?none WHERE { ?s ?p ?o }")).to_tsv().splitlines()
        ['?s\t?o\t?none', '<urn:a>\t"a\\tb"@zh\t']
        """
        if self.type == "ASK":
            return "true\n" if self.boolean else "false\n"
        if self.graph is not None:
            raise QueryError(f"a {self.type} query answers with triples, not rows: choose an RDF format ({', '.join(RDF_FORMATS)})")
        from ..graph.ntriples import term

        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join("" if v is None else term(v).replace("\t", "\\t") for v in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 JSON results (rdflib's serializer), for SELECT and ASK."""
        return self._select("json")

    def to_xml(self) -> str:
        """SPARQL 1.1 XML results (rdflib's serializer), for SELECT and ASK."""
        return self._select("xml")

    def _select(self, fmt: str) -> str:
        if self.graph is not None:
            raise QueryError(f"a {self.type} query answers with triples, not rows: choose an RDF format ({', '.join(RDF_FORMATS)})")
        return self._result().serialize(format=fmt).decode("utf-8")

    def to_rdf(self, format: str = "turtle") -> str:
        """The triples of a CONSTRUCT or DESCRIBE answer in an RDF syntax (rdflib's name for it)."""
        if self.graph is None:
            raise QueryError(f"a {self.type} query answers with {'a boolean' if self.type == 'ASK' else 'rows'}, not triples: "
                             "choose table, csv, json or xml")
        for prefix, ns in self.prefixes.items():
            self.graph.bind(prefix, ns)
        return self.graph.serialize(format="xml" if format == "rdf-xml" else format)

    def formatted(self, format: str) -> str:
        """The answer in one of :data:`FORMATS`: a table, a W3C result format or an RDF syntax.
        ``table`` prints a CONSTRUCT answer as Turtle.
        """
        if format == "table":
            return self.to_table()
        if format in RDF_FORMATS:
            return self.to_rdf(format)
        return {"csv": self.to_csv, "tsv": self.to_tsv, "json": self.to_json, "xml": self.to_xml}[format]()

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
        if self.type == "ASK":
            return f"<Rows: ASK {self.to_table()}>"
        if self.graph is not None:
            return f"<Rows: {self.type} of {len(self.graph)} triples>"
        return f"<Rows: {len(self.rows)} rows × {len(self.columns)} columns>"

    def __str__(self) -> str:
        return self.to_table()



