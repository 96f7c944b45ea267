"""Read a plan document (.txt, .md, .html, .docx or .pdf) into plain text with structure.

A :class:`Document` holds the plan's text as a sequence of :class:`Block` s, headings and
paragraphs, joined by newlines; each block knows its offsets in that text, so the rule-based
extractor can quote its sources.

>>> doc = read_text("一、发展目标\\n\\n到2025年，全市地区生产总值突破5000亿元。\\n")
>>> [(b.kind, b.level, b.text) for b in doc.blocks]
[('heading', 1, '一、发展目标'), ('paragraph', None, '到2025年，全市地区生产总值突破5000亿元。')]
>>> b = doc.blocks[1]
>>> doc.text[b.start:b.end] == b.text
True

Each block is one paragraph, heading, table cell or (in plain text and PDF) one non-empty line,
normalised: NFC, zero-width and control characters removed, runs of whitespace (full-width
spaces included) collapsed to one space, stripped. Lines that a layout broke mid-sentence are
not joined.

Which block is a heading is a simple first guess that the extractor refines:

* Markup says so where the format has it: markdown ``#`` and underlined headings, HTML h1-h6,
  Word paragraph styles "Heading N" / "标题 N" or a paragraph outline level (level N), Word's
  "Title" / "标题" style (level 0).
* In plain formats (.txt, .md, .pdf) any other line is a heading when it looks like one (see
  :func:`classify_line`): at most 30 characters, with a letter or hanzi, not ending like a
  sentence or clause.
* In HTML and Word, where real headings are usually marked up, an unmarked paragraph must also
  start with a section number ("一、", "（一）", ...) to count; table cells never do.

Nothing is written anywhere. The format libraries (pypdf, python-docx, beautifulsoup4,
markdown-it-py, charset-normalizer) are imported only when a document needs them, so importing
plangraph stays fast.
"""

from __future__ import annotations

import io
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import PlanSourceError

__all__ = [
    "Block",
    "Document",
    "read_document",
    "read_text",
    "classify_line",
    "SUPPORTED_SUFFIXES",
]

#: File suffixes :func:`read_document` accepts (case-insensitive).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")

_FORMAT_OF_SUFFIX = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_FORMATS = ("txt", "md", "html", "docx", "pdf")

# Suffixes people try that have an obvious fix.
_SUFFIX_HINTS = {
    ".doc": "save it as .docx in Word or WPS",
    ".wps": "save it as .docx in WPS",
    ".rtf": "save it as .docx or .txt",
}


@dataclass(frozen=True)
class Block:
    """One heading or paragraph of a :class:`Document`; ``Document.text[start:end] == text``.

    >>> Block("一、发展目标", "heading", 1, 0, 6).level
    1
    """

    text: str
    kind: str  # "heading" or "paragraph"
    level: int | None  # h1 = "Heading 1" = # = 第一章 = 1 (Word's Title = 0); None when unknown
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A plan document read into text: its blocks joined by newlines.

    ``encoding`` is the detected encoding of text formats read from bytes, else None.
    ``warnings`` says where the result is partial (e.g. a PDF page without a text layer).

    >>> read_text(b"\\xef\\xbb\\xbf# \\xe5\\x89\\x8d\\xe8\\xa8\\x80", format="md").encoding
    'utf-8-sig'
    """

    path: str
    format: str
    text: str
    blocks: tuple[Block, ...]
    encoding: str | None
    warnings: tuple[str, ...]

    @property
    def headings(self) -> tuple[Block, ...]:
        """The heading blocks, in order.

        >>> [b.text for b in read_text("第一章 总则\\n本规划依据有关法律编制。").headings]
        ['第一章 总则']
        """
        return tuple(b for b in self.blocks if b.kind == "heading")


# --------------------------------------------------------------------------- headings

_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERED_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"第[{_CN_NUM}\d]+(?:章|篇|部分)"), 1),
    (re.compile(rf"第[{_CN_NUM}\d]+节"), 2),
    (re.compile(rf"[{_CN_NUM}]+[、.．]"), 1),
    (re.compile(rf"[（(][{_CN_NUM}]+[）)]"), 2),
    # "1." but not "1.5万亿元"
    (re.compile(r"\d{1,2}(?:、|[.．](?!\d))"), 3),
    (re.compile(r"[（(]\d{1,2}[）)]"), 4),
)
_MAX_HEADING_CHARS = 30
_CLAUSE_ENDS = tuple("。；;！!？?，,、…")
_CLOSERS = "”’\"'）)」』】》〉"


def classify_line(text: str, *, numbered_only: bool = False) -> tuple[str, int | None]:
    """Guess whether a normalised line is a heading: ``(kind, level)``.

    A heading is short (at most 30 characters), has a letter or hanzi, and does not end like a
    sentence or clause (。；;！!？?，,、…, ignoring closing quotes and brackets). Its level
    comes from its section number: 第X章/篇/部分 → 1, 第X节 → 2, 一、 → 1, （一） → 2,
    1. or 1、 → 3, （1） → 4; without a number the level is None, and with ``numbered_only``
    it is no heading at all.

    >>> classify_line("（一）加快产业升级")
    ('heading', 2)
    >>> classify_line("发展思路:")
    ('heading', None)
    >>> classify_line("发展思路:", numbered_only=True)
    ('paragraph', None)
    >>> classify_line("到2025年，全市地区生产总值突破5000亿元。")
    ('paragraph', None)
    >>> classify_line("- 3 -")
    ('paragraph', None)
    """
    if (
        len(text) > _MAX_HEADING_CHARS
        or text.rstrip(_CLOSERS).endswith(_CLAUSE_ENDS)
        or not any(ch.isalpha() for ch in text)
    ):
        return "paragraph", None
    for pattern, level in _NUMBERED_HEADINGS:
        if pattern.match(text):
            return "heading", level
    return ("paragraph", None) if numbered_only else ("heading", None)


# --------------------------------------------------------------------------- normalising

# Zero-width characters and control characters that are not whitespace (whitespace is collapsed).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_DROP = {
    cp: None
    for cp in [*range(0x20), *range(0x7F, 0xA0), *map(ord, _ZERO_WIDTH)]
    if not chr(cp).isspace()
}
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_DROP)).strip()


# Parsers yield (raw text, kind, level); these two kinds ask _build to classify the cleaned text.
_GUESS = "guess"
_NUMBERED = "numbered"
_Item = tuple[str, str, "int | None"]


def _build(path: str, fmt: str, items: Iterable[_Item], encoding: str | None, warnings: list[str]) -> Document:
    blocks: list[Block] = []
    pos = 0
    for raw, kind, level in items:
        text = _clean(raw)
        if not text:
            continue
        if kind in (_GUESS, _NUMBERED):
            kind, level = classify_line(text, numbered_only=kind == _NUMBERED)
        blocks.append(Block(text, kind, level, pos, pos + len(text)))
        pos += len(text) + 1
    return Document(path, fmt, "\n".join(b.text for b in blocks), tuple(blocks), encoding, tuple(warnings))


def _reason(error: BaseException) -> str:
    """A library's exception as one line."""
    return " ".join(str(error).split()) or type(error).__name__


# --------------------------------------------------------------------------- decoding

# utf-32 before utf-16: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
# Files that are often renamed by mistake: what they are, and what to do instead.
_MAGIC = (
    (b"%PDF-", "a PDF document", "rename it to .pdf"),
    (b"PK\x03\x04", "a ZIP archive", "if it is a Word document, rename it to .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or Excel .xls file", "save it as .docx in Word or WPS"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it first"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it first"),
    (b"GIF8", "a GIF image", "run OCR on it first"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
)
# Control bytes are the same in every ASCII-compatible encoding (UTF-8, GB18030, ...), so a high
# share of them means binary data whatever the encoding; \t \n \v \f \r are text.
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.01


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what, todo in _MAGIC:
        if data.startswith(magic):
            raise PlanSourceError(name, None, f"is not a text file but {what}: {todo}")
    if b"\x00" in data:
        raise PlanSourceError(
            name, None,
            "is binary, not text (it contains NUL bytes); "
            "if it is UTF-16 text, save it with a byte-order mark or as UTF-8",
        )
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise PlanSourceError(
            name, None, f"is binary, not text ({controls / len(data):.0%} of its bytes are control characters)"
        )


def _declared_html_encoding(data: bytes) -> str | None:
    import codecs

    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not declared:
        return None
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    # Pages labelled gb2312 routinely use GBK characters; browsers decode both labels as GBK,
    # which GB18030 contains.
    return "gb18030" if codec in ("gb2312", "gbk") else codec


def _decode(data: bytes, name: str, *, html: bool = False) -> tuple[str, str, list[str]]:
    """Bytes to text: BOM, strict UTF-8, (for HTML) the declared charset, strict GB18030, and
    only then charset-normalizer's guess."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, []
            except UnicodeDecodeError as e:
                raise PlanSourceError(
                    name, None,
                    f"starts with a {label} byte-order mark but is not valid {label} ({e.reason} at byte {e.start})",
                ) from None
    _refuse_binary(data, name)
    # Bytes that are valid UTF-8 are hardly ever anything else, so UTF-8 goes before a page's
    # declared charset (saved pages keep a stale <meta charset>).
    candidates = ["utf-8", "gb18030"]
    declared = _declared_html_encoding(data) if html else None
    if declared and declared not in candidates:
        candidates.insert(1, declared)
    failures: dict[str, UnicodeDecodeError] = {}
    for codec in candidates:
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError as e:
            failures[codec] = e
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None:
        return str(match), match.encoding, [f"the encoding was guessed as {match.encoding}: check the text"]
    bad = failures["utf-8"]
    raise PlanSourceError(
        name, None,
        f"cannot be decoded: it is neither UTF-8 (byte 0x{data[bad.start]:02x} at offset {bad.start} is invalid) "
        "nor GB18030, and no other text encoding fits; save it as UTF-8",
        line=data.count(b"\n", 0, bad.start) + 1,
    )


# --------------------------------------------------------------------------- formats

_ATX = re.compile(r"(#{1,6})(?:\s+|$)")
_ATX_CLOSE = re.compile(r"\s+#+$")


def _plain_items(text: str) -> Iterator[_Item]:
    for line in text.splitlines():
        line = _clean(line)
        atx = _ATX.match(line)
        if atx:
            yield _ATX_CLOSE.sub("", line[atx.end():]), "heading", len(atx.group(1))
        else:
            yield line, _GUESS, None


def _markdown_items(text: str) -> Iterator[_Item]:
    from markdown_it import MarkdownIt

    heading: int | None = None
    in_table = False
    number = ""  # an ordered list item's "1. ", which markdown would drop but is a section number
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "heading_open":
            heading = int(token.tag[1])
        elif token.type == "heading_close":
            heading = None
        elif token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type == "list_item_open" and token.info:
            number = f"{token.info}{token.markup} "
        elif token.type in ("fence", "code_block"):
            yield from ((line, _GUESS, None) for line in token.content.splitlines())
        elif token.type == "inline":
            kind = "heading" if heading else "paragraph" if in_table else _GUESS
            line = [number]
            number = ""
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    line.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    yield "".join(line), kind, heading
                    line = []
            yield "".join(line), kind, heading


_HTML_DROP = frozenset(
    "script style nav noscript template head svg iframe object button select textarea".split()
)
_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HTML_CELLS = frozenset(("td", "th"))
_HTML_BLOCKS = frozenset(
    """p div li td th tr table thead tbody tfoot caption ul ol dl dt dd section article header footer
    main aside blockquote pre figure figcaption address hr center form fieldset legend details summary
    body html""".split()
)


def _html_items(markup: str) -> list[_Item]:
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    items: list[_Item] = []
    buffer: list[str] = []

    def flush(kind: str, level: int | None) -> None:
        if buffer:
            items.append(("".join(buffer), kind, level))
            buffer.clear()

    soup = BeautifulSoup(markup, "html.parser")
    # An explicit stack, not recursion: pages with thousands of unclosed tags nest that deep.
    # Each entry: children to visit, (kind, level, inside <pre>), flush when done.
    stack: list[tuple[Iterator, tuple[str, int | None, bool], bool]] = [
        (iter(soup.contents), (_NUMBERED, None, False), True)
    ]
    while stack:
        children, context, is_block = stack[-1]
        kind, level, pre = context
        node = next(children, None)
        if node is None:
            stack.pop()
            if is_block:
                flush(kind, level)
        elif isinstance(node, Tag):
            name = node.name.lower()
            if name in _HTML_DROP:
                continue
            if name == "br":
                flush(kind, level)
            elif name in _HTML_HEADINGS or name in _HTML_BLOCKS:
                flush(kind, level)
                if name in _HTML_HEADINGS:
                    context = ("heading", _HTML_HEADINGS[name], pre)
                elif name in _HTML_CELLS and kind != "heading":
                    context = ("paragraph", None, pre)
                elif name == "pre":
                    context = (kind, level, True)
                stack.append((iter(node.children), context, True))
            else:
                stack.append((iter(node.children), context, False))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            lines = str(node).split("\n") if pre else [str(node)]
            for i, line in enumerate(lines):
                if i:
                    flush(kind, level)
                buffer.append(line)
    return items


_WORD_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_WORD_TITLE_STYLES = ("title", "标题")


def _word_heading(paragraph) -> int | None:
    style = paragraph.style
    name = (getattr(style, "name", None) or "").strip()
    numbered = _WORD_HEADING_STYLE.fullmatch(name)
    if numbered:
        return int(numbered.group(1))
    if name.lower() in _WORD_TITLE_STYLES:
        return 0
    # WPS and many templates mark headings with an outline level instead of a Heading style;
    # python-docx has no API for it. 9 means body text.
    outline = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    if not outline and style is not None:
        outline = style.element.xpath("./w:pPr/w:outlineLvl/@w:val")
    if outline and outline[0].isdigit() and int(outline[0]) < 9:
        return int(outline[0]) + 1
    return None


def _docx_items(data: bytes, name: str) -> list[_Item]:
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise PlanSourceError(name, None, "is an old Word .doc file, not .docx: save it as .docx in Word or WPS")
    import docx
    from docx.table import Table

    items: list[_Item] = []

    def visit(container, in_table: bool) -> None:
        for part in container.iter_inner_content():
            if isinstance(part, Table):
                seen = set()  # a merged cell is listed once per grid cell it spans
                for row in part.rows:
                    for cell in row.cells:
                        if cell._tc not in seen:
                            seen.add(cell._tc)
                            visit(cell, True)
                continue
            level = _word_heading(part)
            kind = "heading" if level is not None else "paragraph" if in_table else _NUMBERED
            # a line break inside a paragraph (Shift+Enter) separates blocks, like <br>
            items.extend((line, kind, level) for line in part.text.split("\n"))

    try:
        visit(docx.Document(io.BytesIO(data)), False)
    except Exception as e:  # python-docx, zipfile and lxml raise many kinds
        raise PlanSourceError(name, None, f"cannot be read as .docx: {_reason(e)}") from e
    return items


class _PypdfLog(logging.Handler):
    """Collects what pypdf logs while a PDF is read, instead of Python printing it to stderr;
    handlers the application configured still get it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))

    def __enter__(self) -> _PypdfLog:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _pdf_items(data: bytes, name: str) -> tuple[list[_Item], list[str]]:
    if b"%PDF-" not in data[:1024]:
        raise PlanSourceError(name, None, "is not a PDF file (it has no %PDF header)")
    import pypdf

    with _PypdfLog() as log:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise PlanSourceError(name, None, "is password-protected: remove the password first")
            pages = list(reader.pages)
        except PlanSourceError:
            raise
        except Exception as e:  # pypdf raises many kinds on damaged files
            # pypdf logs the first sign of damage ("EOF marker not found"), then fails further on
            detail = f" ({log.messages[0]})" if log.messages else ""
            raise PlanSourceError(name, None, f"cannot be read as PDF: {_reason(e)}{detail}") from e
        return _pdf_pages(pages, name)


def _pdf_pages(pages: list, name: str) -> tuple[list[_Item], list[str]]:
    if not pages:
        raise PlanSourceError(name, None, "has no pages")
    items: list[_Item] = []
    warnings: list[str] = []
    failures: list[str] = []
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as e:
            failures.append(f"page {number}: {_reason(e)}")
            warnings.append(f"page {number} could not be read: {_reason(e)}")
            continue
        lines = [line for line in text.splitlines() if _clean(line)]
        if not lines:
            warnings.append(f"page {number} has no text layer")
        items.extend((line, _GUESS, None) for line in lines)
    if not items:
        if failures:
            raise PlanSourceError(name, None, f"cannot be read as PDF: {failures[0]}")
        raise PlanSourceError(name, None, "has no text layer (a scanned PDF?): run OCR first")
    return items, warnings


# --------------------------------------------------------------------------- entry points


def _size(n: int, *, trim: bool = False) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            text = f"{n / scale:.1f}"
            return f"{text[:-2] if trim and text.endswith('.0') else text} {unit}"
    return f"{n} bytes"


def read_text(data: bytes | str, *, name: str = "<text>", format: str = "txt") -> Document:
    """Read a document from memory; ``format`` is one of txt, md, html, docx, pdf.

    Text formats may be given as str or bytes (the encoding is then detected); .docx and .pdf
    need bytes. Errors are :class:`PlanSourceError` naming ``name``.

    >>> doc = read_text("<h2>（一）加快产业升级</h2><p>推进传统产业<b>智能化</b>改造。</p>", format="html")
    >>> [(b.kind, b.level, b.text) for b in doc.blocks]
    [('heading', 2, '（一）加快产业升级'), ('paragraph', None, '推进传统产业智能化改造。')]
    >>> read_text("一、发展目标".encode("gb18030")).encoding
    'gb18030'
    >>> read_text(b"  \\n", name="plan.txt")
    Traceback (most recent call last):
    ...
    plangraph.loaders.errors.PlanSourceError: plan.txt: contains only whitespace
    """
    if format not in _FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(_FORMATS)}")
    if isinstance(data, str):
        if format in ("docx", "pdf"):
            raise TypeError(f"a .{format} document must be given as bytes")
        text, encoding, warnings = data, None, []
    else:
        data = bytes(data)
        if not data:
            raise PlanSourceError(name, None, "is empty (0 bytes)")
        if format == "docx":
            return _nonempty(_build(name, format, _docx_items(data, name), None, []), "contains no text")
        if format == "pdf":
            items, warnings = _pdf_items(data, name)
            return _build(name, format, items, None, warnings)
        text, encoding, warnings = _decode(data, name, html=format == "html")
    if not text:
        raise PlanSourceError(name, None, "is empty")
    if format == "html":
        return _nonempty(
            _build(name, format, _html_items(text), encoding, warnings),
            "contains no text outside markup, scripts and navigation",
        )
    text = unicodedata.normalize("NFC", text).translate(_DROP)
    items = _markdown_items(text) if format == "md" else _plain_items(text)
    return _nonempty(_build(name, format, items, encoding, warnings), "contains only whitespace")


def _nonempty(doc: Document, message: str) -> Document:
    if not doc.blocks:
        raise PlanSourceError(doc.path, None, message)
    return doc


def read_document(path: str | Path, *, max_bytes: int = 20 * 1024 * 1024) -> Document:
    """Read a plan document, choosing the format by the file's suffix (see :data:`SUPPORTED_SUFFIXES`).

    Raises :class:`PlanSourceError` naming the file when it is missing, empty, larger than
    ``max_bytes``, binary, undecodable, corrupt, a scanned PDF or of an unsupported kind.

    >>> read_document("plan.doc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.loaders.errors.PlanSourceError: plan.doc: unsupported format .doc (save it as .docx ...); plangraph reads .txt, .md, ...
    """
    name = os.fspath(path)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMAT_OF_SUFFIX:
        what = f"unsupported format {suffix}" if suffix else "no suffix, so the format is unknown"
        hint = f" ({_SUFFIX_HINTS[suffix]})" if suffix in _SUFFIX_HINTS else ""
        raise PlanSourceError(name, None, f"{what}{hint}; plangraph reads {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        if path.is_dir():
            raise PlanSourceError(name, None, "is a directory, not a document")
        size = path.stat().st_size
        if size > max_bytes:
            raise PlanSourceError(
                name, None, f"is {_size(size)}; plangraph reads documents up to {_size(max_bytes, trim=True)}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanSourceError(name, None, "does not exist") from None
    except OSError as e:
        raise PlanSourceError(name, None, f"cannot be read: {e.strerror or _reason(e)}") from None
    return read_text(data, name=name, format=_FORMAT_OF_SUFFIX[suffix])
