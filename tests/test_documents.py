"""Reading plan documents of every supported format into blocks (plangraph.loaders.documents).

Every fixture is generated here from text written for these tests: nothing binary is committed.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plangraph.loaders.documents import (
    SUPPORTED_SUFFIXES,
    Block,
    Document,
    classify_line,
    read_document,
    read_text,
)
from plangraph.loaders.errors import PlanSourceError

# (text, kind, level) of a small plan, the same in every format that has no heading markup.
PLAN = [
    ("第一章 总体要求", "heading", 1),
    ("一、发展目标", "heading", 1),
    ("到2025年，全市地区生产总值突破5000亿元，城乡居民人均可支配收入年均增长6%以上。", "paragraph", None),
    ("（一）加快产业升级", "heading", 2),
    ("推进传统产业智能化改造，培育新能源汽车、生物医药等新兴产业集群。", "paragraph", None),
    ("1. 壮大先进制造业", "heading", 3),
    ("发展思路:", "heading", None),
    ("坚持创新驱动，建设现代化产业体系；", "paragraph", None),
    ("产业兴旺 经济发达", "heading", None),
]
PLAN_TEXT = "\n\n".join(text for text, _, _ in PLAN) + "\n"


def shape(doc: Document) -> list[tuple[str, str, int | None]]:
    return [(b.text, b.kind, b.level) for b in doc.blocks]


def assert_offsets(doc: Document) -> None:
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text
        assert b.text == b.text.strip() and "\n" not in b.text


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def error(path, **kwargs) -> str:
    with pytest.raises(PlanSourceError) as caught:
        read_document(path, **kwargs)
    message = str(caught.value)
    assert message.startswith(os.fspath(path)), message
    return message


# --------------------------------------------------------------------------- plain text


def test_txt_blocks_kinds_levels_and_offsets(tmp_path):
    path = write(tmp_path / "plan.txt", PLAN_TEXT)
    doc = read_document(path)
    assert shape(doc) == PLAN
    assert_offsets(doc)
    assert (doc.format, doc.encoding, doc.warnings, doc.path) == ("txt", "utf-8", (), str(path))
    assert [b.text for b in doc.headings][:2] == ["第一章 总体要求", "一、发展目标"]


def test_path_is_kept_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "plan.txt", PLAN_TEXT)
    assert read_document("plan.txt").path == "plan.txt"
    assert read_document(Path("plan.txt")).path == "plan.txt"


def test_single_newlines_separate_blocks_as_blank_lines_do():
    assert shape(read_text("\n".join(t for t, _, _ in PLAN))) == PLAN


def test_normalisation_inside_a_block():
    doc = read_text(
        "\r\n\u3000\u3000到2025年，\t全市  地区\u00a0生产总值\u200b突破5000亿元。\r\n"
        "Cafe\u0301\u3000“十四五”规划\x07\r\n\r\n"
    )
    assert [b.text for b in doc.blocks] == ["到2025年， 全市 地区 生产总值突破5000亿元。", "Café “十四五”规划"]
    assert_offsets(doc)


def test_markdown_hashes_in_plain_text_are_headings():
    doc = read_text("# 太原市国民经济和社会发展规划\n### 三、重点任务 ###\n#两会# 热议发展目标。\n")
    assert shape(doc) == [
        ("太原市国民经济和社会发展规划", "heading", 1),
        ("三、重点任务", "heading", 3),
        ("#两会# 热议发展目标。", "paragraph", None),
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("第三章 保障措施", ("heading", 1)),
        ("第二部分 主要任务", ("heading", 1)),
        ("第一节 产业布局", ("heading", 2)),
        ("二十、其他事项", ("heading", 1)),
        ("(二)优化营商环境", ("heading", 2)),
        ("3、建设创新平台", ("heading", 3)),
        ("（2）培育龙头企业", ("heading", 4)),
        ("1.5万亿元产业集群", ("heading", None)),
        ("一、坚持创新驱动发展，全面塑造发展新优势，加快建设国家区域科技创新中心。", ("paragraph", None)),
        ("打造国家级先进制造业集群。", ("paragraph", None)),
        ("构建“一核两翼”空间格局”", ("heading", None)),
        ("加快建设，", ("paragraph", None)),
        ("— 12 —", ("paragraph", None)),
    ],
)
def test_classify_line(line, expected):
    assert classify_line(line) == expected


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-32"), "utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom"],
)
def test_encodings_read_identically(tmp_path, encode, encoding):
    text = PLAN_TEXT.replace("\n", "\r\n")
    doc = read_document(write(tmp_path / "plan.txt", encode(text)))
    assert shape(doc) == PLAN
    assert doc.text == read_text(PLAN_TEXT).text
    assert doc.encoding == encoding
    assert doc.warnings == ()


def test_other_encodings_are_guessed_with_a_warning():
    # é before a space or comma is invalid GB18030, so the strict cascade passes this on
    text = "Plan de développement: café, thé, marché, été, élève, fenêtre, hôtel."
    doc = read_text(text.encode("cp1252"))
    assert doc.text.startswith("Plan de d") and len(doc.text) == len(text)  # the guess is charset-normalizer's
    assert doc.warnings == (f"the encoding was guessed as {doc.encoding}: check the text",)


def test_reading_20000_characters_is_fast(tmp_path):
    paragraph = "推进传统产业智能化改造，培育新能源汽车、生物医药等新兴产业集群，全市地区生产总值突破5000亿元。"
    lines = []
    while sum(map(len, lines)) < 20_000:
        lines += [f"{len(lines) + 1}. 重点任务", paragraph]
    path = write(tmp_path / "long.txt", "\n".join(lines).encode("gb18030"))
    read_document(path)
    started = time.perf_counter()
    doc = read_document(path)
    elapsed = time.perf_counter() - started
    assert len(doc.text) >= 20_000
    assert elapsed < 0.05, f"{elapsed:.3f} s"


def test_importing_loads_no_format_library():
    code = (
        "import sys, plangraph.loaders.documents; "
        "print(sorted(m for m in ('pypdf', 'docx', 'bs4', 'markdown_it', 'charset_normalizer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- markdown

MARKDOWN = """\
# 太原市产业发展规划

## 一、发展目标

到2025年，全市地区生产总值突破5000亿元，
城乡居民人均可支配收入年均增长6%以上。

重点任务
--------

1. 壮大先进制造业
2. 推进**传统产业**[智能化](https://example.org)改造，培育`新兴产业`集群。

- 发展思路:
> 坚持创新驱动，建设现代化产业体系；

| 指标 | 目标 |
|------|------|
| 地区生产总值 | 5000亿元 |
"""


@pytest.mark.parametrize("suffix", [".md", ".markdown"])
def test_markdown(tmp_path, suffix):
    doc = read_document(write(tmp_path / f"plan{suffix}", MARKDOWN))
    assert doc.format == "md"
    assert shape(doc) == [
        ("太原市产业发展规划", "heading", 1),
        ("一、发展目标", "heading", 2),
        ("到2025年，全市地区生产总值突破5000亿元，", "paragraph", None),
        ("城乡居民人均可支配收入年均增长6%以上。", "paragraph", None),
        ("重点任务", "heading", 2),
        ("1. 壮大先进制造业", "heading", 3),
        ("2. 推进传统产业智能化改造，培育新兴产业集群。", "paragraph", None),
        ("发展思路:", "heading", None),
        ("坚持创新驱动，建设现代化产业体系；", "paragraph", None),
        ("指标", "paragraph", None),
        ("目标", "paragraph", None),
        ("地区生产总值", "paragraph", None),
        ("5000亿元", "paragraph", None),
    ]
    assert_offsets(doc)


# --------------------------------------------------------------------------- HTML

HTML = """\
<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>规划全文</title><style>p {{ color: red }}</style></head>
<body>
<nav><a href="/">首页</a> | <a href="/zwgk">政务公开</a></nav>
<script>var 统计 = "不应出现";</script>
<h1>太原市产业发展规划</h1>
<!-- 注释不应出现 -->
<div class="content">
  <h2>一、发展目标</h2>
  <p>到2025年，全市地区生产总值<b>突破</b>5000亿元，<br>城乡居民人均可支配收入年均增长6%以上。</p>
  <p><strong>（一）加快产业升级</strong></p>
  <p>发展思路:</p>
  <ul><li>推进传统产业智能化改造；</li><li>培育新兴产业集群。</li></ul>
  <table><tr><td>一、地区生产总值</td><td>5000亿元</td></tr></table>
  <div>坚持创新驱动<span>，建设现代化</span>产业体系&nbsp;&nbsp;。</div>
</div>
</body></html>
"""
HTML_BLOCKS = [
    ("太原市产业发展规划", "heading", 1),
    ("一、发展目标", "heading", 2),
    ("到2025年，全市地区生产总值突破5000亿元，", "paragraph", None),
    ("城乡居民人均可支配收入年均增长6%以上。", "paragraph", None),
    ("（一）加快产业升级", "heading", 2),
    ("发展思路:", "paragraph", None),
    ("推进传统产业智能化改造；", "paragraph", None),
    ("培育新兴产业集群。", "paragraph", None),
    ("一、地区生产总值", "paragraph", None),
    ("5000亿元", "paragraph", None),
    ("坚持创新驱动，建设现代化产业体系 。", "paragraph", None),
]


@pytest.mark.parametrize("suffix, encoding", [(".html", "gb18030"), (".htm", "utf-8")])
def test_html(tmp_path, suffix, encoding):
    markup = HTML.replace("{{", "{").replace("}}", "}")
    if encoding == "utf-8":
        markup = markup.replace("gb2312", "utf-8")
    doc = read_document(write(tmp_path / f"plan{suffix}", markup.encode(encoding)))
    assert (doc.format, doc.encoding) == ("html", encoding)
    assert shape(doc) == HTML_BLOCKS
    assert_offsets(doc)


def test_html_declared_charset_is_used_when_neither_utf8_nor_gb18030():
    markup = '<meta charset="shift_jis"><p>計画の目標：地域の産業を振興する。</p>'
    doc = read_text(markup.encode("shift_jis"), format="html")
    assert doc.encoding == "shift_jis"
    assert doc.text == "計画の目標：地域の産業を振興する。"


def test_html_pre_keeps_lines():
    doc = read_text("<pre>一、发展目标\n到2025年，全市地区生产总值突破5000亿元。</pre>", format="html")
    assert shape(doc) == [("一、发展目标", "heading", 1), ("到2025年，全市地区生产总值突破5000亿元。", "paragraph", None)]


# --------------------------------------------------------------------------- Word


def make_docx(path: Path | None = None) -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("太原市产业发展规划", level=0)
    document.add_heading("第一章 总体要求", level=1)
    document.add_paragraph("一、发展目标")
    paragraph = document.add_paragraph("到2025年，全市地区生产总值突破5000亿元，")
    paragraph.add_run().add_break()
    paragraph.add_run("城乡居民人均可支配收入年均增长6%以上。")
    document.add_heading("（一）加快产业升级", level=2)
    document.add_paragraph("发展思路:")
    document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("1. 壮大先进制造业", style="标题 3")
    outlined = document.add_paragraph("重点项目")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "3")
    outlined._p.get_or_add_pPr().append(outline)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "一、地区生产总值"
    table.cell(0, 2).text = "5000亿元"
    table.cell(1, 0).text = "研发投入强度"
    table.cell(1, 1).text = "3%"
    table.cell(1, 2).add_paragraph("较2020年提高0.8个百分点")
    document.add_paragraph("坚持创新驱动，建设现代化产业体系。")
    buffer = io.BytesIO()
    document.save(buffer)
    if path is not None:
        path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_docx(tmp_path):
    path = tmp_path / "plan.docx"
    make_docx(path)
    doc = read_document(path)
    assert (doc.format, doc.encoding, doc.warnings) == ("docx", None, ())
    assert shape(doc) == [
        ("太原市产业发展规划", "heading", 0),
        ("第一章 总体要求", "heading", 1),
        ("一、发展目标", "heading", 1),
        ("到2025年，全市地区生产总值突破5000亿元，", "paragraph", None),
        ("城乡居民人均可支配收入年均增长6%以上。", "paragraph", None),
        ("（一）加快产业升级", "heading", 2),
        ("发展思路:", "paragraph", None),
        ("1. 壮大先进制造业", "heading", 3),
        ("重点项目", "heading", 4),
        ("一、地区生产总值", "paragraph", None),
        ("5000亿元", "paragraph", None),
        ("研发投入强度", "paragraph", None),
        ("3%", "paragraph", None),
        ("较2020年提高0.8个百分点", "paragraph", None),
        ("坚持创新驱动，建设现代化产业体系。", "paragraph", None),
    ]
    assert_offsets(doc)


def test_docx_from_memory():
    assert read_text(make_docx(), format="docx").blocks[1].text == "第一章 总体要求"


# --------------------------------------------------------------------------- PDF


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A PDF whose text is in reportlab's built-in CID font; None is a page with only an image."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for lines in pages:
        if lines is None:
            page.drawImage(ImageReader(Image.new("RGB", (200, 120), "lightgray")), 72, 500, 300, 180)
            page.rect(72, 300, 300, 100)
        else:
            page.setFont("STSong-Light", 12)
            for i, line in enumerate(lines):
                page.drawString(56, 780 - 20 * i, line)
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_pdf_with_cid_font(tmp_path):
    path = write(tmp_path / "plan.pdf", make_pdf([[t for t, _, _ in PLAN]]))
    doc = read_document(path)
    assert (doc.format, doc.encoding, doc.warnings) == ("pdf", None, ())
    assert shape(doc) == PLAN
    assert_offsets(doc)


def test_pdf_pages_without_text_give_warnings(tmp_path):
    texts = [t for t, _, _ in PLAN]
    path = write(tmp_path / "plan.pdf", make_pdf([texts[:3], None, texts[3:], None]))
    doc = read_document(path)
    assert shape(doc) == PLAN
    assert doc.warnings == ("page 2 has no text layer", "page 4 has no text layer")


def test_scanned_pdf(tmp_path):
    message = error(write(tmp_path / "scan.pdf", make_pdf([None, None])))
    assert message.endswith("has no text layer (a scanned PDF?): run OCR first")


def test_password_protected_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt="secret")
    page.drawString(72, 720, "Development plan")
    page.save()
    assert "is password-protected" in error(write(tmp_path / "locked.pdf", buffer.getvalue()))


def test_pdf_locked_only_against_editing_reads(tmp_path):
    # Government PDFs often carry an owner password (no copying, no printing) and no user password.
    pytest.importorskip("cryptography")  # pypdf needs it for AES
    import pypdf

    writer = pypdf.PdfWriter()
    for page in pypdf.PdfReader(io.BytesIO(make_pdf([["一、发展目标"]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert shape(read_document(write(tmp_path / "locked.pdf", buffer.getvalue()))) == [("一、发展目标", "heading", 1)]


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    assert error(tmp_path / "nowhere.txt").endswith("nowhere.txt: does not exist")


def test_directory(tmp_path):
    (tmp_path / "plan.txt").mkdir()
    assert "is a directory" in error(tmp_path / "plan.txt")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx", ".pdf"])
def test_empty_file(tmp_path, suffix):
    assert error(write(tmp_path / f"empty{suffix}", b"")).endswith("is empty (0 bytes)")


@pytest.mark.parametrize("data", [b" \n\r\n\t", "\u3000\u3000\n\u200b\n".encode("utf-8"), b"\xef\xbb\xbf\n"])
def test_whitespace_only_file(tmp_path, data):
    assert error(write(tmp_path / "blank.txt", data)).endswith("contains only whitespace")


def test_html_without_text(tmp_path):
    path = write(tmp_path / "blank.html", "<html><head><title>规划</title></head><body><script>x()</script></body></html>")
    assert "contains no text" in error(path)


def test_docx_without_text(tmp_path):
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert error(write(tmp_path / "blank.docx", buffer.getvalue())).endswith("contains no text")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00\x90\x91h6"


@pytest.mark.parametrize(
    "data, expected",
    [
        (PNG, "is not a text file but a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is not a text file but a PDF document: rename it to .pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Word .doc"),
        (random.Random(0).randbytes(4096), "is binary, not text (it contains NUL bytes)"),
        (bytes(range(1, 32)) * 20 + "发展目标".encode(), "is binary, not text (" ),
    ],
    ids=["png", "pdf", "doc", "random", "control-characters"],
)
def test_binary_file_renamed_txt(tmp_path, data, expected):
    assert expected in error(write(tmp_path / "plan.txt", data))


def test_random_bytes_without_nul(tmp_path):
    data = bytes(b for b in random.Random(1).randbytes(4096) if b)
    assert "is binary, not text" in error(write(tmp_path / "plan.txt", data))


def test_undecodable_bytes(tmp_path):
    data = PLAN_TEXT.encode("utf-8")
    cut = data.index("（一）".encode())
    message = error(write(tmp_path / "plan.txt", data[:cut] + b"\xff\xfe\xff" + data[cut:]))
    assert "plan.txt:7: cannot be decoded" in message
    assert f"byte 0xff at offset {cut} is invalid" in message
    assert message.endswith("save it as UTF-8")


def test_bad_utf16_after_bom(tmp_path):
    data = "一、发展目标".encode("utf-16") + b"\x00\xd8"  # an unpaired surrogate
    assert "starts with a UTF-16 byte-order mark but is not valid UTF-16" in error(write(tmp_path / "p.txt", data))


def test_too_large(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: takes no disk space
    assert error(path).endswith("huge.txt: is 50.0 MB; plangraph reads documents up to 20 MB")
    small = write(tmp_path / "plan.txt", PLAN_TEXT)
    assert "plangraph reads documents up to 100 bytes" in error(small, max_bytes=100)


@pytest.mark.parametrize("name", ["plan.doc", "plan.xlsx", "plan"])
def test_unsupported_suffix(tmp_path, name):
    message = error(write(tmp_path / name, PLAN_TEXT))
    assert "plangraph reads " + ", ".join(SUPPORTED_SUFFIXES) in message
    if name == "plan.doc":
        assert "save it as .docx" in message


def test_corrupt_docx(tmp_path):
    data = make_docx()
    message = error(write(tmp_path / "broken.docx", data[: len(data) // 2]))
    assert "cannot be read as .docx: " in message and "\n" not in message
    assert "cannot be read as .docx: File is not a zip file" in error(write(tmp_path / "text.docx", PLAN_TEXT))
    assert "old Word .doc" in error(write(tmp_path / "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)))


def test_corrupt_pdf(tmp_path, capsys):
    data = make_pdf([["一、发展目标"]])
    message = error(write(tmp_path / "broken.pdf", data[: len(data) // 2]))
    assert "cannot be read as PDF: " in message and "\n" not in message
    assert capsys.readouterr().err == ""  # pypdf's complaints are in the message, not on stderr
    assert "is not a PDF file" in error(write(tmp_path / "text.pdf", PLAN_TEXT))


def test_read_text_arguments():
    with pytest.raises(TypeError):
        read_text("一、发展目标", format="docx")
    with pytest.raises(ValueError, match="unknown format"):
        read_text("一、发展目标", format="doc")
    with pytest.raises(PlanSourceError, match=r"^memo: is empty$"):
        read_text("", name="memo")


def test_reading_writes_nothing(tmp_path):
    write(tmp_path / "plan.txt", PLAN_TEXT.encode("gb18030"))
    write(tmp_path / "plan.md", MARKDOWN)
    write(tmp_path / "plan.html", HTML.encode("gb18030"))
    make_docx(tmp_path / "plan.docx")
    write(tmp_path / "plan.pdf", make_pdf([["一、发展目标"], None]))
    write(tmp_path / "scan.pdf", make_pdf([None]))

    def snapshot():
        return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}

    before = snapshot()
    for path in sorted(tmp_path.iterdir()):
        try:
            read_document(path)
        except PlanSourceError:
            pass
    assert snapshot() == before


def test_blocks_are_frozen():
    block = read_text("一、发展目标").blocks[0]
    assert block == Block("一、发展目标", "heading", 1, 0, 6)
    with pytest.raises(AttributeError):
        block.text = "二、"  # type: ignore[misc]
