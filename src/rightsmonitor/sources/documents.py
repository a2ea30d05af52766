"""Reports to check, read as paragraphs that keep their page: plain text, Markdown, HTML and
PDF (its text layer).

A claim must say where it is, so every reader returns :class:`~rightsmonitor.model.claims.
Document` paragraphs with their page (PDF pages; 1 for the other kinds) and their place in the
document's text. A file that holds no text to read (empty, binary, a scanned PDF with no text
layer) is refused with what to do instead, never checked as an empty report.

>>> doc = read_document_text("Life expectancy rose.\\n\\nIt is 78.2 years.", "note.txt")
>>> [(p.number, p.text) for p in doc.paragraphs]
[(1, 'Life expectancy rose.'), (2, 'It is 78.2 years.')]
"""

from __future__ import annotations

import datetime as dt
import html.parser
import re
from pathlib import Path
from typing import ClassVar

from rightsmonitor.errors import InvalidInput, Problem
from rightsmonitor.model.claims import Document, Paragraph
from rightsmonitor.yamltext import decode_text

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
MAX_BYTES = 200 * 2**20  # a report is text: a file larger than this is not one


def read_document(path: str | Path) -> Document:
    """The document at ``path``, read by its kind (its suffix, else its first bytes)."""
    path = Path(path)
    label = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidInput([Problem(label, "no such file")]) from None
    if path.is_dir():
        raise InvalidInput([Problem(label, "is a folder; give a document file")])
    if size == 0:
        raise InvalidInput([Problem(label, "is empty: there is no text to check")])
    if size > MAX_BYTES:
        raise InvalidInput([Problem(label, f"is {size:,} bytes: larger than any report")])
    data = path.read_bytes()
    kind = KINDS.get(path.suffix.lower()) or _sniff(data)
    if kind == "pdf":
        return _read_pdf(data, label)
    content = _text_of(data, label)
    if kind == "html":
        return _document(label, kind, _html_blocks(content), _html_title(content))
    if kind == "markdown":
        return _document(label, kind, [(1, b) for b in _markdown_blocks(content)])
    return read_document_text(content, label)


def read_document_text(content: str, label: str = "<text>") -> Document:
    """Plain text: paragraphs are separated by blank lines; a form feed starts a new page."""
    blocks = [
        (page, block)
        for page, page_text in enumerate(content.split("\f"), start=1)
        for block in re.split(r"\n[ \t\u3000]*\n", page_text)
    ]
    return _document(label, "text", blocks)


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def _text_of(data: bytes, label: str) -> str:
    if data.startswith(b"%PDF-"):
        raise InvalidInput([Problem(label, "is a PDF file: name it .pdf")])
    content = decode_text(data, label)
    printable = sum(c.isprintable() or c.isspace() for c in content[:10000])
    if printable < 0.95 * min(len(content), 10000):
        raise InvalidInput([Problem(label, "is not text (mostly unprintable characters)")])
    return content


def _document(label: str, kind: str, blocks: list[tuple[int, str]], title: str = "") -> Document:
    paragraphs: list[Paragraph] = []
    offset = 0
    for page, raw in blocks:
        content = re.sub(r"[ \t\u00a0]*\n[ \t\u00a0]*", " ", raw.strip())  # a block is one line
        content = re.sub(r"[ \t]{2,}", " ", content)
        if not content:
            continue
        paragraphs.append(Paragraph(page, len(paragraphs) + 1, offset, content))
        offset += len(content) + 2  # joined by a blank line (Document.text)
    if not paragraphs:
        raise InvalidInput([Problem(label, "holds no text to check")])
    first = title or paragraphs[0].text[:200]
    return Document(label, kind, first, document_date(paragraphs), tuple(paragraphs))


MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}
_DATES = (
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), ("y", "m", "d")),
    (re.compile(rf"\b((?:19|20)\d\d)-({MONTHS})-(\d{{1,2}})\b", re.I), ("y", "mn", "d")),
    (re.compile(rf"\b({MONTHS}) (\d{{1,2}}), ((?:19|20)\d\d)\b", re.I), ("mn", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) ((?:19|20)\d\d)\b", re.I), ("d", "mn", "y")),
    (
        re.compile(
            rf"\b({MONTHS[:3]}|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)[a-z]* "
            r"(\d{1,2}), ((?:19|20)\d\d)\b",
            re.I,
        ),
        ("mn", "d", "y"),
    ),
    (re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日"), ("y", "m", "d")),
)


def document_date(paragraphs: list[Paragraph] | tuple[Paragraph, ...]) -> dt.date | None:
    """The first full date printed in the document's first 1,500 characters (a dateline, a
    "Updated:" line), or None: what "last year" in the document is resolved against.

    >>> document_date([Paragraph(1, 1, 0, "2022-December-9 18:49 By:")])
    datetime.date(2022, 12, 9)
    """
    head, seen = [], 0
    for paragraph in paragraphs:
        head.append(paragraph.text)
        seen += len(paragraph.text)
        if seen > 1500:
            break
    content = "\n".join(head)[:1500]
    found: list[tuple[int, dt.date]] = []
    for pattern, parts in _DATES:
        for match in pattern.finditer(content):
            values = dict(zip(parts, match.groups(), strict=True))
            month = values.get("m") or _MONTH_NUMBER.get(_month_name(values.get("mn", "")))
            try:
                found.append(
                    (match.start(), dt.date(int(values["y"]), int(month), int(values["d"])))
                )
            except (TypeError, ValueError):
                continue
    return min(found)[1] if found else None


def _month_name(content: str) -> str:
    content = content.lower()
    return next((m for m in _MONTH_NUMBER if m.startswith(content[:3])), "") if content else ""


class _Blocks(html.parser.HTMLParser):
    """The text of an HTML page in blocks (paragraphs, headings, list items, cells), without
    scripts, styles, navigation or forms."""

    BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "br",
        "section",
        "article",
        "blockquote",
        "pre",
        "tr",
        "dt",
        "dd",
        "caption",
    }
    SKIP: ClassVar[set[str]] = {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "form",
        "select",
        "svg",
        "head",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "title":
            self.in_title = True
        if tag in self.BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.current.append(data)

    def _flush(self) -> None:
        content = " ".join("".join(self.current).split())
        if content:
            self.blocks.append(content)
        self.current = []


def _html_blocks(content: str) -> list[tuple[int, str]]:
    parser = _Blocks()
    parser.feed(content)
    parser.close()
    parser._flush()
    return [(1, b) for b in parser.blocks]


def _html_title(content: str) -> str:
    parser = _Blocks()
    parser.feed(content[:200_000])
    return " ".join("".join(parser.title).split())


def _markdown_blocks(content: str) -> list[str]:
    """Markdown's block texts as a reader sees them: markup, link targets and code fences
    dropped, each heading, paragraph, list item and table cell its own block."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(content):
        if token.type == "inline" and token.children is not None:
            words = "".join(
                c.content
                if c.type in ("text", "code_inline")
                else " "
                if c.type in ("softbreak", "hardbreak")
                else ""
                for c in token.children
            )
            blocks.append(words)
    return blocks


def _read_pdf(data: bytes, label: str) -> Document:
    """A PDF's text layer, page by page (pypdf); blocks are split at blank lines or, where
    the layout gives none, kept as the page's lines joined."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput([Problem(label, f"is not a readable PDF ({exc})")]) from None
    if not any(p.strip() for p in pages):
        raise InvalidInput(
            [
                Problem(
                    label,
                    f"has {len(pages)} page(s) but no text layer (a "
                    "scanned PDF?): run OCR on it first, e.g. ocrmypdf",
                )
            ]
        )
    blocks = [(n, b) for n, page in enumerate(pages, start=1) for b in _pdf_blocks(page)]
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    return _document(label, "pdf", blocks, title)


def _pdf_blocks(page: str) -> list[str]:
    """A page's paragraphs: at blank lines, or at a line that ends a sentence and is shorter
    than the page's usual line (the end of a paragraph in flowing text)."""
    lines = [line.rstrip() for line in page.splitlines()]
    usual = sorted(len(line) for line in lines if line.strip())
    width = usual[len(usual) * 3 // 4] if usual else 0
    blocks, current = [], []
    for line in lines:
        if not line.strip():
            blocks.append("\n".join(current))
            current = []
            continue
        current.append(line)
        if line.endswith((".", "。", ":", "!", "?")) and len(line) < 0.8 * width:
            blocks.append("\n".join(current))
            current = []
    blocks.append("\n".join(current))
    return [b for b in blocks if b.strip()]
