"""The interactive dependency page: the plan graph drawn with pyvis / vis-network, offline.

The page is one self-contained HTML file: vis-network's script and stylesheet (the copies
pyvis ships) are inlined, there is no CDN and no external resource, and a Content Security
Policy forbids the page to load anything. The layout is computed here, in Python, in layers
that read from the vision at the top down to the carriers (companies, sites, reforms, ...)
at the bottom, so the browser draws with physics off. Nodes are coloured and shaped by class;
the legend doubles as a class filter, and a search box with an "N hops" input focuses the
view on one node's neighbourhood.

A whole corpus is more than a page can draw or anyone read: :func:`render` draws one of the
views of :mod:`plangraph.graph.network` (``view=``, one of :data:`VIEWS`: one plan, a
neighbourhood, the most central nodes, the industry clusters, one region across years) and
refuses a selection of more than :data:`MAX_NODES` nodes with :class:`TooManyNodes`, whose
message names the views that would draw it.

Every piece of text that comes from the data is escaped: it travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c``
and so on, and the page puts it in the DOM with ``textContent`` only (tooltips are DOM
elements, not HTML strings).

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("v", type="Vision", label="愿景")
>>> G.add_node("c", type="Company", label="<b>太钢</b>")
>>> _ = G.add_edge("v", "c", property="involves", label="涉及")
>>> html = render_network(G, title="demo")
>>> "<b>太钢" in html, "\\\\u003cb\\\\u003e太钢" in html
(False, True)
>>> pos = layout(G)
>>> pos["v"][1] < pos["c"][1]          # the vision above the company
True
"""

from __future__ import annotations

import json
import math
import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ..graph.iri import PG
from ..ontology.terms import labels
from ..graph.network import (
    GROUP_BY,
    TYPE_ORDER,
    VIEW_PARAMETERS,
    VIEWS,
    check_classes,
    find_plan,
    neighbourhood_view,
    node_type,
    region_plans,
    select_view,
    to_networkx,
)
from ..queries import resolve_entity

__all__ = [
    "render",
    "render_network",
    "select",
    "layout",
    "wrap_label",
    "class_labels",
    "check_size",
    "TooManyNodes",
    "CLASS_STYLES",
    "GENERIC_PROPERTIES",
    "MAX_NODES",
    "VIEWS",
    "GROUP_BY",
]

#: The most nodes a page draws. Measured in headless Chromium on this project's 2-core machine
#: while it was busy with other work (``python scripts/bench_page.py --sizes 2000 5000 10000 20000``,
#: four runs): a page is ready (drawn, fitted, every control wired) in 1.4 s at 2,000 nodes,
#: 2.1-3.3 s at 5,000, 3.0-6.6 s at 10,000 and 8.2 s at 20,000. 5,000 keeps a page inside 5 s
#: with room to spare; a page of thousands of nodes shows its labels only zoomed in anyway.
MAX_NODES = 5000

# -- styles -----------------------------------------------------------------


@dataclass(frozen=True)
class ClassStyle:
    """How nodes of one class are drawn: a vis-network shape, colours, sizes and the label wrap."""

    shape: str
    fill: str
    border: str
    wrap: int  # label line width, in CJK characters
    font_size: int = 13
    size: int = 11  # for shapes with the label below them

    @property
    def boxed(self) -> bool:
        """Whether the label is drawn inside the shape (box, ellipse) rather than below it."""
        return self.shape in ("box", "ellipse", "database", "circle", "text")


#: Style per class (plangraph class local name). The plan's own elements are boxes and
#: ellipses with their label inside; carriers are small shapes with the label below.
CLASS_STYLES: dict[str, ClassStyle] = {
    "Plan": ClassStyle("box", "#eceff1", "#455a64", 10, 15),
    "Vision": ClassStyle("ellipse", "#f3e5f5", "#8e24aa", 10, 16),
    "Theme": ClassStyle("box", "#ede7f6", "#5e35b1", 8, 15),
    "Goal": ClassStyle("ellipse", "#e3f2fd", "#1e88e5", 8, 14),
    "Target": ClassStyle("diamond", "#26a69a", "#00796b", 7, 12, 9),
    "Task": ClassStyle("box", "#e8f5e9", "#43a047", 8, 13),
    "IndustryCluster": ClassStyle("hexagon", "#fb8c00", "#e65100", 6, 13, 13),
    "Company": ClassStyle("square", "#e53935", "#b71c1c", 6, 13, 10),
    "GovernmentBody": ClassStyle("triangle", "#6d4c41", "#3e2723", 6, 13, 11),
    "Actor": ClassStyle("triangleDown", "#a1887f", "#5d4037", 6, 13, 11),
    "Site": ClassStyle("dot", "#1e88e5", "#0d47a1", 6, 13, 9),
    "Reform": ClassStyle("star", "#d81b60", "#880e4f", 6, 13, 12),
    "Programme": ClassStyle("triangle", "#8e24aa", "#4a148c", 6, 13, 11),
    "Event": ClassStyle("triangleDown", "#fdd835", "#f57f17", 6, 13, 11),
    "Brand": ClassStyle("star", "#ffb300", "#e65100", 6, 13, 12),
    "Designation": ClassStyle("diamond", "#c0ca33", "#827717", 6, 13, 10),
}
_OTHER_STYLES = (
    ClassStyle("dot", "#90a4ae", "#455a64", 6),
    ClassStyle("square", "#78909c", "#37474f", 6),
    ClassStyle("diamond", "#b0bec5", "#546e7a", 6),
)

def _default_class_labels() -> dict[str, tuple[str, str]]:
    # the shipped ontology's labels: a page drawn from a graph without its ontology still names its classes
    names = labels()
    return {name: names[name] for name in TYPE_ORDER if name in names}

#: Super-properties left off an edge when a more specific property links the same two nodes
#: (the reasoner adds ``involves`` beside every ``involvesSite``, ``develops``, ...).
GENERIC_PROPERTIES: frozenset[str] = frozenset({"involves", "dependsOn"})

_FONT_FACE = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

# Layer of each class, top to bottom; tasks take rows _TASK_ROW + depth in the sub-task tree.
_FIXED_ROW = {"Plan": 0, "Vision": 0, "Theme": 1, "Goal": 2, "Target": 3}
_TASK_ROW = 4
_MAX_TASK_DEPTH = 4
_CLUSTER = "IndustryCluster"

# Geometry, in vis-network canvas pixels.
_H_GAP = 14.0  # between two nodes of a row
_LAYER_GAP = 50.0  # between the bottom of a layer and the top of the next
_ROW_GAP = 10.0  # between the sub-rows of a wide layer
_BOX_MARGIN = 7.0
_MIN_WIDTH = 1000.0
_ASPECT = 1.65  # aimed width / height of the drawing
_NO_YEAR = 10**6  # sorts after every year


def _style(kind: str, others: dict[str, ClassStyle]) -> ClassStyle:
    if kind in CLASS_STYLES:
        return CLASS_STYLES[kind]
    if kind not in others:
        others[kind] = _OTHER_STYLES[len(others) % len(_OTHER_STYLES)]
    return others[kind]


# -- labels -----------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_.%+\-/]+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：！？）」』》〉】”’…—,.;:!?)]}%")
_NO_LINE_END = set("（「『《〈【“‘([{")


def _char_width(ch: str) -> float:
    o = ord(ch)
    if o >= 0x2E80 or ch in "“”‘’—…·":
        return 1.0
    return 0.58


def _text_width(text: str) -> float:
    """Width of ``text`` in ems (one CJK character is one em)."""
    return sum(_char_width(c) for c in text)


def wrap_label(text: str, width: float, max_lines: int = 4) -> list[str]:
    """Break ``text`` into balanced lines of at most about ``width`` ems (CJK characters).

    Latin words are kept whole, closing punctuation never starts a line, and a label that
    would need more than ``max_lines`` lines is cut with an ellipsis.

    >>> wrap_label("加快转型升级步伐，构建具有竞争力的现代产业体系", 8)
    ['加快转型升级步伐，', '构建具有竞争力的', '现代产业体系']
    >>> wrap_label("太钢", 6)
    ['太钢']
    >>> wrap_label("Taiyuan Iron and Steel", 8)
    ['Taiyuan Iron', 'and Steel']
    >>> wrap_label("抓好事关全局的重大改革", 8)
    ['抓好事关全局', '的重大改革']
    """
    text = " ".join(text.split())
    total = _text_width(text)
    if total <= width or width <= 0:
        return [text] if text else [""]
    tokens = _TOKEN.findall(text)
    lines_needed = math.ceil(total / width)
    target = max(total / lines_needed, 1.0)
    while True:  # the narrowest balanced width that needs no more lines than the plain width
        lines = _fill(tokens, target)
        if len(lines) <= lines_needed or target >= width:
            break
        target = min(width, target + 0.5)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return lines


def _fill(tokens: list[str], width: float) -> list[str]:
    """Greedy line filling of ``tokens`` at ``width`` ems, with the punctuation rules."""
    lines: list[str] = []
    line, line_w = "", 0.0
    for tok in tokens:
        w = _text_width(tok)
        if tok.isspace():
            if line:
                line, line_w = line + " ", line_w + w
            continue
        if line and line_w + w > width + 0.01 and tok[0] not in _NO_LINE_START and line[-1] not in _NO_LINE_END:
            lines.append(line.rstrip())
            line, line_w = "", 0.0
        line, line_w = line + tok, line_w + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass
class _Box:
    """A node's drawn extent around its (x, y): width, and height above / below y."""

    width: float
    above: float
    below: float


def _measure(lines: list[str], style: ClassStyle) -> _Box:
    fs = style.font_size
    text_w = max((_text_width(s) for s in lines), default=1.0) * fs
    text_h = len(lines) * (fs + 3)
    if style.boxed:
        w = text_w + 2 * _BOX_MARGIN + 2
        h = text_h + 2 * _BOX_MARGIN
        if style.shape == "ellipse":
            w, h = w * 1.2, h * 1.15
        return _Box(w, h / 2, h / 2)
    return _Box(max(text_w, 2.0 * style.size), style.size, style.size + 5 + text_h)


# -- selection ----------------------------------------------------------------


class TooManyNodes(ValueError):
    """A selection larger than the page draws; ``nodes`` is its size, ``limit`` the page's,
    ``view`` the view that selected it."""

    def __init__(self, nodes: int, limit: int, view: str = "all"):
        self.nodes, self.limit, self.view = nodes, limit, view
        what = "the graph" if view == "all" else f"the selection (view={view!r})"
        super().__init__(
            f"{what} has {nodes:,} nodes, more than the page draws ({limit:,}): draw one plan (view='plan', plan=…), "
            "a neighbourhood (focus=…, hops=…), the top nodes (view='top', k=…) or the clusters (view='clusters'), "
            "or keep fewer classes (classes=…)"
        )


def check_size(G: nx.Graph, max_nodes: int | None = MAX_NODES, view: str = "all") -> None:
    """Refuse (:class:`TooManyNodes`) a graph of more than ``max_nodes`` nodes (None: no limit).

    >>> check_size(nx.path_graph(3), max_nodes=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.views.page.TooManyNodes: the graph has 3 nodes, more than the page draws (2): draw one plan (view='plan', plan=…), ...
    """
    if max_nodes is not None and G.number_of_nodes() > max_nodes:
        raise TooManyNodes(G.number_of_nodes(), max_nodes, view)


def select(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 2,
    classes: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of ``G`` to draw: within ``hops`` hops of ``focus``, of the given ``classes``.

    ``focus`` is a node of ``G`` (an IRI). Hops are counted in the whole graph, ignoring edge direction; ``classes`` (class
    local names such as ``"Company"``) then keeps the nodes of those classes, and the focus
    node itself. Raises ``ValueError`` for an unknown node or class or a negative ``hops``.

    >>> G = nx.MultiDiGraph([("goal", "task"), ("task", "site"), ("site", "x")])
    >>> nx.set_node_attributes(G, {"goal": "Goal", "task": "Task", "site": "Site", "x": "Site"}, "type")
    >>> sorted(select(G, focus="task", hops=1))
    ['goal', 'site', 'task']
    >>> sorted(select(G, classes=["Site"]))
    ['site', 'x']
    """
    keep: set[str] = set(neighbourhood_view(G, focus, hops)) if focus is not None else set(G)
    if classes is not None:
        wanted = check_classes(G, classes)
        keep = {n for n in keep if G.nodes[n].get("type") in wanted or n == focus}
    return G.subgraph(keep).copy()


# -- layout ---------------------------------------------------------------------


def _layers(G: nx.MultiDiGraph) -> dict[str, int]:
    """Row of each node by class: plan/vision, themes, goals, targets, tasks (sub-tasks
    lower), clusters, then every carrier. Empty rows are squeezed out."""
    kind = {n: G.nodes[n].get("type") for n in G}
    tasks = [n for n in G if kind[n] == "Task"]
    depth: dict[str, int] = {}
    queue = deque(sorted(t for t in tasks if not any(kind[p] == "Task" for p in G.predecessors(t))))
    for t in queue:
        depth[t] = 0
    while queue:
        t = queue.popleft()
        for c in G.successors(t):
            if kind[c] == "Task" and c not in depth:
                depth[c] = min(depth[t] + 1, _MAX_TASK_DEPTH)
                queue.append(c)
    max_depth = max((depth.get(t, 0) for t in tasks), default=0)
    raw: dict[str, int] = {}
    for n in G:
        k = kind[n]
        if k in _FIXED_ROW:
            raw[n] = _FIXED_ROW[k]
        elif k == "Task":
            raw[n] = _TASK_ROW + depth.get(n, 0)
        elif k == _CLUSTER:
            raw[n] = _TASK_ROW + max_depth + 1
        else:
            raw[n] = _TASK_ROW + max_depth + 2
    used = sorted(set(raw.values()))
    squeeze = {r: i for i, r in enumerate(used)}
    return {n: squeeze[r] for n, r in raw.items()}


def _plan_year(G: nx.MultiDiGraph, node: str) -> int:
    """The year of a plan, or of the plan a vision belongs to; :data:`_NO_YEAR` when none is known."""
    d = G.nodes[node]
    if d.get("year"):
        return int(d["year"])
    owners = [p for p in str(d.get("plans") or "").split() if p in G]
    owners += [p for p in G.predecessors(node) if G.nodes[p].get("type") == "Plan"]
    years = [int(G.nodes[p]["year"]) for p in owners if G.nodes[p].get("year")]
    return min(years) if years else _NO_YEAR


def _isotonic_place(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions as near ``desired`` as possible (least squares) keeping x[i+1] - x[i] >= gaps[i].

    Pool-adjacent-violators on the shifted problem: linear time.
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    target = [d - o for d, o in zip(desired, offsets)]
    blocks: list[list[float]] = []  # [sum, count]
    for t in target:
        blocks.append([t, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out: list[float] = []
    for s, c in blocks:
        out.extend([s / c] * int(c))
    return [y + o for y, o in zip(out, offsets)]


def _folds(widths: list[float], heights: list[float], counts: list[int]) -> list[int]:
    """Sub-rows per layer: the narrowest drawing width W with W >= aspect * height(W)."""

    def fold(w: float, n: int, width: float) -> int:
        return max(1, min(n, math.ceil(w / width)))

    def height(width: float) -> float:
        rows = sum(fold(w, n, width) * (h + _ROW_GAP) for w, h, n in zip(widths, heights, counts) if n)
        return rows + _LAYER_GAP * max(0, sum(1 for n in counts if n) - 1)

    lo, hi = _MIN_WIDTH, max(max(widths, default=0.0), _MIN_WIDTH)
    for _ in range(40):
        mid = (lo + hi) / 2
        if mid >= _ASPECT * height(mid):
            hi = mid
        else:
            lo = mid
    return [fold(w, n, hi) for w, n in zip(widths, counts)]


def _layout(G: nx.MultiDiGraph, boxes: Mapping[str, _Box]) -> dict[str, tuple[float, float]]:
    layer_of = _layers(G)
    n_layers = max(layer_of.values(), default=-1) + 1
    label = {n: str(G.nodes[n].get("label", "")) for n in G}

    # undirected neighbours, split into those in upper and in lower layers
    up: dict[str, list[str]] = {n: [] for n in G}
    down: dict[str, list[str]] = {n: [] for n in G}
    for u, v in {(u, v) for u, v in G.edges() if u != v}:
        if layer_of[u] < layer_of[v]:
            up[v].append(u)
            down[u].append(v)
        elif layer_of[u] > layer_of[v]:
            up[u].append(v)
            down[v].append(u)
    for lst in (*up.values(), *down.values()):
        lst.sort()

    # the plans of several years (a region's) keep the order of their years along the top row,
    # each with its vision; every other row follows them
    column = {n: _plan_year(G, n) for n in G if layer_of[n] == 0}

    # initial order: depth-first from the top, so that children start under their parents
    key = {n: (layer_of[n], column.get(n, 0), label[n], n) for n in G}
    seen: dict[str, int] = {}
    for root in sorted(G, key=key.__getitem__):
        if root in seen:
            continue
        stack = [root]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen[n] = len(seen)
            stack.extend(sorted((c for c in down[n] if c not in seen), key=key.__getitem__, reverse=True))
    layers: list[list[str]] = [[] for _ in range(n_layers)]
    for n in sorted(G, key=seen.__getitem__):
        layers[layer_of[n]].append(n)

    # barycentre sweeps on normalised ranks, to reduce crossings
    rank: dict[str, float] = {}

    def renumber(layer: list[str]) -> None:
        for i, n in enumerate(layer):
            rank[n] = (i + 0.5) / len(layer)

    for layer in layers:
        renumber(layer)
    for _ in range(3):
        for order, nbrs in ((range(1, n_layers), up), (range(n_layers - 2, -1, -1), down)):
            for li in order:
                layer = layers[li]
                bary = {n: (sum(rank[m] for m in nbrs[n]) / len(nbrs[n]) if nbrs[n] else rank[n]) for n in layer}
                layer.sort(key=lambda n: (column.get(n, 0), bary[n], rank[n]))
                renumber(layer)

    # a layer too wide for the drawing folds into r staggered sub-rows (node i in sub-row
    # i % r); r is chosen so that the drawing keeps about the aimed aspect
    widths = [sum(boxes[n].width + _H_GAP for n in layer) for layer in layers]
    heights = [max((boxes[n].above + boxes[n].below for n in layer), default=0.0) for layer in layers]
    folds = _folds(widths, heights, [len(layer) for layer in layers])

    # each sub-row is a chain of nodes with least gaps between neighbours; start compact
    chains: list[list[str]] = []
    chain_gaps: list[list[float]] = []
    chains_of: list[list[int]] = []
    xs: dict[str, float] = {}
    for layer, r in zip(layers, folds):
        chains_of.append([])
        for k in range(min(r, len(layer))):
            chain = layer[k::r]
            g = [(boxes[a].width + boxes[b].width) / 2 + _H_GAP for a, b in zip(chain, chain[1:])]
            x, total = k * (g[0] if g else 0.0) / r, sum(g)
            for i, n in enumerate(chain):
                xs[n] = x - total / 2
                if i < len(g):
                    x += g[i]
            chains_of[-1].append(len(chains))
            chains.append(chain)
            chain_gaps.append(g)

    def place(li: int, nbrs: dict[str, list[str]]) -> None:
        for c in chains_of[li]:
            chain = chains[c]
            desired = [sum(xs[m] for m in nbrs[n]) / len(nbrs[n]) if nbrs[n] else xs[n] for n in chain]
            for n, x in zip(chain, _isotonic_place(desired, chain_gaps[c])):
                xs[n] = x

    for _ in range(2):
        for li in range(1, n_layers):
            place(li, up)
        for li in range(n_layers - 2, -1, -1):
            place(li, down)

    pos: dict[str, tuple[float, float]] = {}
    y = 0.0
    for layer, r in zip(layers, folds):
        if not layer:
            continue
        above = max(boxes[n].above for n in layer)
        below = max(boxes[n].below for n in layer)
        row_h = above + below + _ROW_GAP
        centre = y + above
        for i, n in enumerate(layer):
            pos[n] = (round(xs[n], 1), round(centre + (i % r) * row_h, 1))
        y = centre + (min(r, len(layer)) - 1) * row_h + below + _LAYER_GAP
    return pos


def _boxes(G: nx.MultiDiGraph) -> tuple[dict[str, list[str]], dict[str, _Box]]:
    others: dict[str, ClassStyle] = {}
    lines: dict[str, list[str]] = {}
    boxes: dict[str, _Box] = {}
    for n, d in G.nodes(data=True):
        style = _style(str(d.get("type")), others)
        lines[n] = wrap_label(str(d.get("label") or n), style.wrap)
        boxes[n] = _measure(lines[n], style)
    return lines, boxes


def layout(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Canvas positions (x, y) of the nodes of ``G``, read top-down by class.

    Rows: plan and vision, themes, goals, targets, tasks (sub-tasks one row lower per level),
    industry clusters, then all carriers. Within a row nodes are ordered by the barycentre of
    their neighbours (fewer crossings) and placed as near the mean x of their neighbours as
    the spacing allows; a row too wide for the drawing folds into staggered sub-rows. Runs in
    about O(E log E).

    >>> G = nx.MultiDiGraph([("goal", "task"), ("task", "site")])
    >>> nx.set_node_attributes(G, {"goal": "Goal", "task": "Task", "site": "Site"}, "type")
    >>> [n for n, _ in sorted(layout(G).items(), key=lambda item: item[1][1])]
    ['goal', 'task', 'site']
    """
    _, boxes = _boxes(G)
    return _layout(G, boxes)


# -- page -------------------------------------------------------------------------


def class_labels(ontology: Graph | None) -> dict[str, tuple[str, str]]:
    """(zh, en) label of each plangraph class, from ``ontology`` where it has them.

    >>> class_labels(None)["Company"]
    ('企业', 'company')
    """
    out = _default_class_labels()
    if ontology is not None:
        for name in TYPE_ORDER:
            found = {v.language: str(v) for v in ontology.objects(PG[name], RDFS.label) if isinstance(v, Literal)}
            if found:
                zh, en = out.get(name, (name, name))
                out[name] = (found.get("zh", zh), found.get("en", en))
    return out


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&``, U+2028/9)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_CLOSE_SCRIPT = re.compile(r"</(script)", re.I)
_CLOSE_STYLE = re.compile(r"</(style)", re.I)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as pyvis ships them, safe to inline."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return _CLOSE_SCRIPT.sub(r"<\\/\1", js), _CLOSE_STYLE.sub(r"<\\/\1", css)


@lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    text = (resources.files(__package__) / "page.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text)


_SWATCH = {
    "box": '<rect x="2" y="4" width="14" height="10" rx="2"/>',
    "ellipse": '<ellipse cx="9" cy="9" rx="7.5" ry="5.5"/>',
    "diamond": '<path d="M9 1.5 16.5 9 9 16.5 1.5 9Z"/>',
    "hexagon": '<path d="M9 1.5 15.5 5.2v7.6L9 16.5 2.5 12.8V5.2Z"/>',
    "square": '<rect x="3" y="3" width="12" height="12"/>',
    "triangle": '<path d="M9 2 16.5 15.5h-15Z"/>',
    "triangleDown": '<path d="M9 16 1.5 2.5h15Z"/>',
    "star": '<path d="M9 1.5l2.2 4.9 5.3.5-4 3.6 1.2 5.2L9 13l-4.7 2.7 1.2-5.2-4-3.6 5.3-.5Z"/>',
    "dot": '<circle cx="9" cy="9" r="6"/>',
}


def _swatch(style: ClassStyle) -> Any:
    from markupsafe import Markup

    shape = _SWATCH.get(style.shape, _SWATCH["dot"])
    return Markup(
        '<svg class="pg-swatch" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" '
        f'fill="{style.fill}" stroke="{style.border}" stroke-width="1.3">{shape}</svg>'
    )


def _group_options(style: ClassStyle) -> dict[str, Any]:
    colour = {
        "background": style.fill,
        "border": style.border,
        "highlight": {"background": style.fill, "border": "#000000"},
        "hover": {"background": style.fill, "border": "#000000"},
    }
    opts: dict[str, Any] = {"shape": style.shape, "color": colour, "borderWidth": 1.5}
    if style.boxed:
        opts["margin"] = _BOX_MARGIN
        opts["font"] = {"size": style.font_size, "color": "#1b1f23", "face": _FONT_FACE}
        if style.shape == "box":
            opts["shapeProperties"] = {"borderRadius": 4}
    else:
        opts["size"] = style.size
        opts["font"] = {
            "size": style.font_size,
            "color": "#263238",
            "face": _FONT_FACE,
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        }
    return opts


def _merge_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, list[str]]]:
    """One edge per linked pair: (source, target, zh label, property names), without the
    generic super-properties when a specific one is there."""
    pairs: dict[tuple[str, str], dict[str, str]] = {}
    for u, v, d in G.edges(data=True):
        prop = str(d.get("property") or d.get("label") or "")
        pairs.setdefault((u, v), {}).setdefault(prop, str(d.get("label") or prop))
    out = []
    for (u, v), props in pairs.items():
        specific = {p: lab for p, lab in props.items() if p not in GENERIC_PROPERTIES}
        chosen = specific or props
        labels = list(dict.fromkeys(chosen[p] for p in sorted(chosen)))
        out.append((u, v, "、".join(x for x in labels if x), sorted(chosen)))
    return out


def render_network(
    G: nx.MultiDiGraph,
    *,
    title: str = "plangraph",
    physics: bool = False,
    hops: int = 2,
    class_names: Mapping[str, tuple[str, str]] | None = None,
    selected: Iterable[str] = (),
    max_nodes: int | None = MAX_NODES,
) -> str:
    """The HTML page drawing ``G``, a graph shaped like :func:`plangraph.graph.network.to_networkx`'s.

    Node attributes used: ``type``, ``label`` (zh), ``label_en``, ``definition``, ``aliases``,
    ``section``, ``quote`` (all optional). Parallel edges are merged into one per pair.
    ``hops`` is the initial value of the page's "N hops" input, ``class_names`` the (zh, en)
    names of the classes (default: plangraph's), ``selected`` nodes start selected.
    ``physics=True`` lets vis-network's force simulation move the nodes after the precomputed
    layout (slow for large graphs). A graph of more than ``max_nodes`` nodes is refused with
    :class:`TooManyNodes` (``None`` draws any size, for measuring).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", type="Goal", label="目标甲")
    >>> html = render_network(G, title="<demo>")
    >>> "<title>&lt;demo&gt;</title>" in html and "https://" not in html.split("<script")[0]
    True
    """
    from pyvis.network import Network

    check_size(G, max_nodes)
    names = _default_class_labels()
    names.update(class_names or {})
    others: dict[str, ClassStyle] = {}
    lines, boxes = _boxes(G)
    pos = _layout(G, boxes)

    # classes present, in the plan's top-down order, each with a safe vis group name
    present: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        k = str(d.get("type"))
        present[k] = present.get(k, 0) + 1
    order = {k: i for i, k in enumerate(TYPE_ORDER)}
    kinds = sorted(present, key=lambda k: (order.get(k, len(order)), k))
    group = {k: f"g{i}" for i, k in enumerate(kinds)}

    net = Network(height="100%", width="100%", directed=True)
    net.heading = title
    nodes = sorted(G.nodes(data=True), key=lambda nd: (pos[nd[0]][1], pos[nd[0]][0], nd[0]))
    for n, d in nodes:
        k = str(d.get("type"))
        full = str(d.get("label") or n)
        item: dict[str, Any] = {
            "id": n,
            "label": "\n".join(lines[n]),
            "group": group[k],
            "x": pos[n][0],
            "y": pos[n][1],
        }
        if "\n".join(lines[n]) != full:
            item["zh"] = full
        for src, dst in (("label_en", "en"), ("aliases", "aliases"), ("section", "section"), ("quote", "quote")):
            if d.get(src):
                item[dst] = str(d[src])
        net.nodes.append(item)
        net.node_ids.append(n)
        net.node_map[n] = item
    index = {n: i for i, n in enumerate(net.node_ids)}
    merged = _merge_edges(G)
    merged.sort(key=lambda e: (index[e[0]], index[e[1]]))
    for u, v, lab, props in merged:
        net.edges.append({"from": u, "to": v, "label": lab, "props": props})

    big = len(net.edges) > 2000 or len(net.nodes) > 2000
    net.options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
        "physics": (
            {"enabled": True, "solver": "barnesHut", "stabilization": {"enabled": True, "iterations": 150, "fit": True}}
            if physics
            else {"enabled": False}
        ),
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {"scaling": {"label": {"drawThreshold": 6}}, "font": {"face": _FONT_FACE}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": "#b0bec5", "highlight": "#37474f", "hover": "#546e7a", "inherit": False},
            "width": 1,
            "selectionWidth": 1.5,
            "font": {
                "size": 10,
                "color": "#607d8b",
                "face": _FONT_FACE,
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 9.5}},  # edge labels from about 85 % zoom
            "smooth": False if big else {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.45},
        },
        "groups": {group[k]: _group_options(_style(k, others)) for k in kinds},
    }

    classes = []
    for k in kinds:
        zh, en = names.get(k, (k, k))
        definitions = {str(d.get("definition")) for _, d in G.nodes(data=True) if d.get("type") == k and d.get("definition")}
        classes.append(
            {
                "name": k,
                "group": group[k],
                "zh": zh,
                "en": en,
                "definition": sorted(definitions)[0] if definitions else "",
                "count": present[k],
                "swatch": _swatch(_style(k, others)),
            }
        )
    nodes_, edges_, heading, _h, _w, options = net.get_network_data()
    data = {
        "nodes": nodes_,
        "edges": edges_,
        "options": json.loads(options) if isinstance(options, str) else options,
        "classes": [{key: c[key] for key in ("name", "group", "zh", "en", "definition", "count")} for c in classes],
        "selected": [n for n in selected if n in index],
    }
    vis_js, vis_css = _vis_assets()
    from .. import __version__

    return _template().render(
        title=heading,
        hops=int(hops) if isinstance(hops, int) and hops >= 0 else 2,
        classes=classes,
        node_count=len(nodes_),
        edge_count=len(edges_),
        data_json=_json_for_script(data),
        vis_js=vis_js,
        vis_css=vis_css,
        version=__version__,
    )


def render(
    graph: Graph,
    ontology: Graph,
    *,
    view: str | None = None,
    focus: str | None = None,
    hops: int = 2,
    classes: Iterable[str] | None = None,
    plan: str | None = None,
    region: str | None = None,
    k: int | None = None,
    context: int | None = None,
    group_by: str | None = None,
    title: str | None = None,
    physics: bool = False,
    max_nodes: int | None = MAX_NODES,
) -> str:
    """The interactive dependency page of ``graph`` (a plan graph, reasoned or not) as HTML.

    ``view`` (one of :data:`VIEWS`; by default ``"neighbourhood"`` when ``focus`` is given,
    else ``"all"``) picks what to draw, with its own parameters (see
    :mod:`plangraph.graph.network`; a parameter of another view is an error):

    - ``all``: everything;
    - ``neighbourhood``: the nodes within ``hops`` hops of ``focus`` (an IRI, a CURIE, a label
      or an alias, resolved as query parameters are), edges taken either way;
    - ``top``: the ``k`` (default 50) nodes of highest degree centrality, each with up to
      ``context`` (default 2) of its most central neighbours;
    - ``plan``: one plan (``plan``: its id such as ``taiyuan``, IRI, CURIE or title);
    - ``clusters``: the industry clusters, ``group_by="theme"`` (default: under the pillars
      that develop them) or ``"company"`` (with the companies that anchor them);
    - ``region``: every plan of ``region`` (``江岭省``), earliest year first.

    ``classes`` then keeps only nodes of those classes (local names, e.g. ``["Goal", "Task",
    "Company"]``; for ``top``, the classes ranked) and the focus node. ``hops`` is also the
    page's initial "N hops" value. More than ``max_nodes`` nodes (default :data:`MAX_NODES`)
    are refused with :class:`TooManyNodes`, a ``ValueError`` naming the views to use instead.
    ``title`` defaults to the plan's name or the view's. The page works offline and draws with
    physics off unless ``physics=True``.

    >>> from plangraph.api import load
    >>> pg = load()
    >>> page = render(pg.graph(), pg.ontology, focus="太钢", hops=1)
    >>> page.count('"group":') < 10 and "太钢" in page
    True
    >>> "<title>产业集群 · 按龙头企业</title>" in render(pg.graph(), pg.ontology, view="clusters", group_by="company")
    True
    """
    if view is None:
        view = "neighbourhood" if focus is not None else "all"
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; the views: {', '.join(VIEWS)}")
    given = {"focus": focus, "plan": plan, "region": region, "k": k, "context": context, "group_by": group_by}
    params = {name: value for name, value in given.items() if value is not None}
    if view == "neighbourhood":
        params["hops"] = hops
    if view == "top" and classes is not None:
        params["classes"] = classes
    extra = [name for name in params if name not in VIEW_PARAMETERS[view]]
    if extra:  # before the graph is projected: a wrong option costs nothing
        allowed = [name for name in VIEW_PARAMETERS[view] if name != "classes"]
        takes = f"its parameters: {', '.join(allowed)}" if allowed else "it takes none"
        raise ValueError(f"view {view!r} takes no {', '.join(extra)} ({takes})")

    if view == "all" and max_nodes is not None:  # refuse a whole corpus before projecting it
        check_size(_typed_nodes(graph, classes), max_nodes, view)
    G = to_networkx(graph, ontology)
    if focus is not None:
        params["focus"] = _resolve(G, graph, focus)
    sub = select_view(G, view, **params)
    if classes is not None:
        wanted = check_classes(G, classes)
        sub = sub.subgraph(n for n in sub if sub.nodes[n].get("type") in wanted or n == params.get("focus")).copy()
    check_size(sub, max_nodes, view)
    if title is None:
        title = _title(G, view, params)
    selected = [params["focus"]] if "focus" in params else []
    return render_network(
        sub, title=title, physics=physics, hops=hops, class_names=class_labels(ontology), selected=selected, max_nodes=max_nodes
    )


def _typed_nodes(graph: Graph, classes: Iterable[str] | None) -> nx.Graph:
    """The nodes :func:`to_networkx` would project (of ``classes``, when given), without edges or attributes."""
    types: dict[Any, set[Any]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
    H = nx.Graph()
    H.add_nodes_from((str(n), {"type": k}) for n, k in ((n, node_type(ts)) for n, ts in types.items()) if k is not None)
    if classes is not None:
        wanted = check_classes(H, classes)
        H.remove_nodes_from([n for n, k in H.nodes(data="type") if k not in wanted])
    return H


def _resolve(G: nx.MultiDiGraph, graph: Graph, value: str) -> str:
    """The node ``value`` names: a node of ``G`` by IRI, zh label or alias when exactly one
    matches, else as :func:`plangraph.queries.resolve_entity` finds it (a CURIE, an English label,
    a normalised name) or says why not. The look-up in ``G`` spares a scan of every label in the
    store, seconds in a corpus."""
    if value in G:
        return value
    found = [n for n, d in G.nodes(data=True) if d.get("label") == value or value in str(d.get("aliases") or "").split("、")]
    if len(found) == 1:
        return found[0]
    return str(resolve_entity(graph, value))


def _title(G: nx.MultiDiGraph, view: str, params: Mapping[str, Any]) -> str:
    """The page's default title: what it draws."""
    if view == "plan":
        return f"{G.nodes[find_plan(G, params['plan'])].get('label')} · 依赖关系图"
    if view == "top":
        return f"度中心性前 {params.get('k', 50)} 的节点 · 依赖关系图"
    if view == "clusters":
        return "产业集群 · 按龙头企业" if params.get("group_by") == "company" else "产业集群 · 按板块"
    if view == "region":
        plans = region_plans(G, params["region"])
        name = next((str(G.nodes[p].get("region")) for p in plans if G.nodes[p].get("region")), str(params["region"]))
        years = sorted({int(G.nodes[p]["year"]) for p in plans if G.nodes[p].get("year")})
        span = f" · {years[0]}–{years[-1]}年" if len(years) > 1 else (f" · {years[0]}年" if years else "")
        return f"{name}{span} · 依赖关系图"
    plans = sorted(str(d.get("label")) for _, d in G.nodes(data=True) if d.get("type") == "Plan" and d.get("label"))
    if len(plans) > 1:
        return f"{len(plans)} 份规划 · 依赖关系图"
    return f"{plans[0]} · 依赖关系图" if plans else "plangraph · 依赖关系图"
