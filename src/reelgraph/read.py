"""Read stage: a file, a folder or stdin text in, `Document`s out.

Offsets: for .txt/.md (and any other text) `Document.text` is the decoded input, untouched,
so every offset indexes the input. For HTML it is trafilatura's main text (read_html.py), its blocks
joined with blank lines, so offsets index that extracted text, not the HTML source.

`Document.clean` is a same-length analysis view of `text`: Markdown markup, HTML tags and
boilerplate (bylines, "RELATED:" links, share prompts, comment footers, credits, editorial
TODOs, captions that only repeat the body) are blanked with spaces (newlines kept); curly
apostrophes are straightened; carriage returns and no-break spaces become plain spaces.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from reelgraph.errors import ReadError
from reelgraph.names import HOMOGLYPHS
from reelgraph.read_boilerplate import blank as _blank, blank_boilerplate as _blank_boilerplate, paragraphs as _paragraphs
from reelgraph.read_boilerplate import trim as _trim
from reelgraph.read_html import html_main_text
from reelgraph.types import Document

MAX_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt",)
SKIPPED_SUFFIXES = (".gold.json", ".json", ".tsv")
FORMATS = ("auto", "text", "markdown", "html")
MAX_EMPHASIS_WORDS = 15  # longer bold runs are questions or headings, not title cues

__all__ = ["ReadError", "iter_paths", "list_articles", "read_path", "read_file", "read_bytes", "read_text", "read_stdin",
           "display_path", "file_format"]


# ---------------------------------------------------------------- public API

def display_path(path: str | Path) -> str:
    """A path as printable text: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_articles(path: str | Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file, doc_id) for every article under `path`, in reading order, and a one-line problem
    for each subfolder that could not be listed. A single file gives itself."""
    root = Path(path)
    where = display_path(path)
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        raise ReadError(f"no such file or directory: {where}") from None
    except OSError as exc:
        raise ReadError(f"cannot read {where}: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return [(root, _doc_id(root.stem))], []
    if not stat.S_ISDIR(mode):
        raise ReadError(f"not a regular file or folder (a FIFO, socket or device): {where}")
    problems: list[str] = []

    def failed(exc: OSError) -> None:
        problems.append(f"cannot read folder {display_path(exc.filename or path)}: {exc.strerror or exc}")

    found = []
    for folder, subfolders, names in os.walk(root, onerror=failed):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            low = name.lower()
            if name.startswith(".") or low.endswith(SKIPPED_SUFFIXES) or not low.endswith(ARTICLE_SUFFIXES):
                continue
            p = Path(folder, name)
            if p.is_file():  # no FIFOs or devices inside folders
                found.append(p)
    found.sort(key=lambda p: p.relative_to(root).as_posix())
    out, seen = [], set()
    for p in found:
        doc_id = _doc_id(p.stem)
        if doc_id in seen:  # same stem in two subfolders: use the relative path
            doc_id = _doc_id("__".join(p.relative_to(root).with_suffix("").parts))
        seen.add(doc_id)
        out.append((p, doc_id))
    return out, problems


def iter_paths(path: str | Path) -> list[Path]:
    """The files `read_path` would read, in reading order; an unreadable subfolder is an error."""
    listed, problems = list_articles(path)
    if problems:
        raise ReadError(problems[0])
    return [p for p, _ in listed]


def read_path(path: str | Path, fmt: str | None = None) -> list[Document]:
    """Read one file or every article file under a folder (see `list_articles`)."""
    listed, problems = list_articles(path)
    if problems:
        raise ReadError(problems[0])
    if Path(path).is_file():
        return [read_file(path, source=str(path), fmt=fmt)]
    if not listed:
        raise ReadError(f"no articles found in folder: {display_path(path)}")
    return [read_file(p, doc_id=doc_id, fmt=fmt) for p, doc_id in listed]


def file_format(path: str | Path, fmt: str | None = None) -> str:
    """The format to read a file in: `fmt` when given (not "auto"), else by suffix: HTML, Markdown,
    and everything else as plain text (a .txt that mentions <body> is still text)."""
    if fmt and fmt != "auto":
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"


def read_file(path: str | Path, doc_id: str | None = None, source: str | None = None,
              fmt: str | None = None) -> Document:
    """Read one file; the format is `fmt`, else it comes from the suffix (see `file_format`)."""
    p = Path(path)
    where = display_path(source or path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(f"no such file or directory: {where}") from None
    except OSError as exc:
        raise ReadError(f"cannot read {where}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(f"is a folder, not a file: {where}")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"not a regular file (a FIFO, socket or device): {where}")
    if st.st_size > MAX_BYTES:
        raise ReadError(_too_large(st.st_size, where))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {where}: {exc.strerror or exc}") from None
    return read_bytes(data, doc_id or _doc_id(p.stem), where, file_format(p, fmt))


def read_stdin(stream, fmt: str = "auto", doc_id: str = "stdin") -> Document:
    """Read a binary stream (stdin) up to the size limit: at most MAX_BYTES + 1 bytes are read."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReadError(f"input too large (more than the {MAX_BYTES // 2**20} MB limit): stdin")
    return read_bytes(data, doc_id=doc_id, source="-", fmt=fmt)


def _doc_id(stem: str) -> str:
    return display_path(stem)


def read_bytes(data: bytes, doc_id: str = "stdin", source: str = "-", fmt: str = "auto") -> Document:
    """Check and decode raw bytes (UTF-8, with or without BOM), then read them as text."""
    where = _where(source)
    if len(data) > MAX_BYTES:
        raise ReadError(_too_large(len(data), where))
    if not data:
        raise ReadError(f"empty file: {where}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"cannot decode {where} as UTF-8 (it starts with a UTF-16 byte order mark)")
    if _looks_binary(data):
        raise ReadError(f"not a text file (binary): {where}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"cannot decode {where} as UTF-8 (byte 0x{data[exc.start]:02x} at {exc.start})") from None
    return _read(text, doc_id, source, fmt, hashlib.sha256(data).hexdigest())


def read_text(text: str, doc_id: str = "stdin", source: str = "-", fmt: str = "auto") -> Document:
    """Read text already in memory. fmt: auto, text, markdown or html."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ReadError(f"not valid Unicode text (lone surrogate U+{ord(text[exc.start]):04X} at character "
                        f"{exc.start}): {_where(source)}") from None
    if len(data) > MAX_BYTES:
        raise ReadError(_too_large(len(data), _where(source)))
    return _read(text, doc_id, source, fmt, hashlib.sha256(data).hexdigest())


def looks_like_html(text: str) -> bool:
    """An <html>/<body> tag or doctype near the start, or at least two <p> tags."""
    return bool(re.search(r"<!doctype\s+html|<html[\s>]|<body[\s>]", text[:4096], re.I)
                or len(re.findall(r"</?p[\s>]", text[:20000], re.I)) >= 2)


# ---------------------------------------------------------------- reading

def _read(text: str, doc_id: str, source: str, fmt: str, sha: str) -> Document:
    where = _where(source)
    if fmt not in FORMATS:
        raise ReadError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)}): {where}")
    if not text.strip():
        raise ReadError(f"empty file (only whitespace): {where}")
    url = None
    if fmt == "html" or (fmt == "auto" and looks_like_html(text)):
        text, emphasis, title, url = html_main_text(text, where)
        chars = list(text.translate(_CHAR_MAP))
    else:
        chars, emphasis, title = _markdown_view(text)
    return _document(text, chars, emphasis, doc_id, source, title, url, sha)


def read_stored(text: str, doc_id: str, source: str, fmt: str | None, sha: str, title: str | None = None,
                url: str | None = None, emphasis: list[tuple[int, int]] | None = None) -> Document:
    """Rebuild a stored document for re-extraction. HTML was stored as its main text (with its
    emphasis spans), so it is not parsed again; text and Markdown are read as at first."""
    if fmt != "html":
        return _read(text, doc_id, source, fmt if fmt in FORMATS else "auto", sha)
    return _document(text, list(text.translate(_CHAR_MAP)), list(emphasis or []), doc_id, source, title, url, sha)


def _document(text: str, chars: list[str], emphasis: list[tuple[int, int]], doc_id: str, source: str,
              title: str | None, url: str | None, sha: str) -> Document:
    where = _where(source)
    _blank_boilerplate(text, chars)
    _break_long_words(chars)
    clean = "".join(chars)
    if not clean.strip():
        raise ReadError(f"no article text left after removing boilerplate: {where}")
    return Document(id=_doc_id(doc_id), text=text, clean=clean, source=display_path(source), title=title, url=url, sha256=sha,
                    emphasis=_tidy_emphasis(emphasis, clean), paragraphs=_paragraphs(clean))


MAX_WORD_CHARS = 100  # longer runs without a space are cut for analysis (no real word is this long)
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def _break_long_words(chars: list[str]) -> None:
    """A space every MAX_WORD_CHARS characters of an over-long word in the analysis view, so the
    tokenizer and the rules only ever see bounded tokens (the text itself is untouched)."""
    for m in _LONG_WORD.finditer("".join(chars)):
        for i in range(m.start() + MAX_WORD_CHARS, m.end(), MAX_WORD_CHARS):
            chars[i] = " "


def _where(source: str) -> str:
    return "stdin" if source == "-" else display_path(source)


def _too_large(size: int, where: str) -> str:
    return f"file too large ({size / 2**20:.1f} MB > {MAX_BYTES // 2**20} MB limit): {where}"


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13) or b == 127)
    return controls > 0.05 * len(sample)


# ---------------------------------------------------------------- markdown / plain text

_CHAR_MAP = {**str.maketrans({"\u2019": "'", "\u2018": "'", "\r": " ", "\u00a0": " ", "\u200b": " ", "\ufeff": " "}),
             **HOMOGLYPHS}  # Cyrillic/Greek look-alikes read as Latin letters (same length)
_HTML_TAGS = ("a|abbr|article|aside|audio|b|blockquote|br|center|cite|code|del|div|em|figcaption|figure|font|"
              "footer|h[1-6]|header|hr|i|iframe|img|ins|li|mark|nav|ol|p|picture|s|section|small|source|span|"
              "strong|sub|sup|table|tbody|td|th|thead|tr|u|ul|video")
_BLANK_ALL = [  # markup with no article text in it
    re.compile(r"\{\{[<%][\s\S]{0,2000}?[%>]\}\}"),  # template shortcodes
    re.compile(r"<!--[\s\S]{0,20000}?-->"),
    re.compile(r"<(script|style)\b[\s\S]{0,100000}?</\1\s*>", re.I),
    re.compile(r"!\[[^\]\n]{0,1000}\]\([^)\n]{0,2000}\)"),  # images
    re.compile(r"<(?:https?|ftp|mailto):[^>\s]+>"),  # autolinks
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M),  # link reference definitions
    re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M),  # rules
    re.compile(r"^[ \t]{0,3}=+[ \t]*$", re.M),  # setext underline
]
_KEEP_GROUP = [  # blank the match except group 1
    re.compile(r"(?<!!)\[([^\[\]\n]{1,500})\]\(\s*[^\s()]*(?:\([^\s()]*\)[^\s()]*)*(?:\s+\"[^\"\n]*\")?\s*\)"),
    re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\]\n]*\]"),  # reference links
    re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M),  # ATX headings
    re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+(.*)$", re.M),  # block quotes
    re.compile(r"^[ \t]*[*+-][ \t]+(.*)$", re.M),  # bullets
]
_HTML_EMPHASIS = re.compile(r"<(i|em|cite|b|strong|u)\b[^<>]{0,200}>([^<]{1,600})</\1\s*>", re.I)
_TAG = re.compile(rf"</?(?:{_HTML_TAGS})\b[^<>]{{0,500}}?/?>", re.I)
_PARA = r"|\n(?![ \t]*\n)"  # inner text may cross a line break, not a blank line
_EMPHASIS = [re.compile(p + "((?:" + inner + _PARA + "){1,600}?)" + q) for p, inner, q in (
    # inner text never runs past the next marker, so stray markers cost nothing
    (r"(?<![\w*])\*\*(?=\S)", r"[^*\n]|\*(?!\*)", r"(?<=\S)\*\*(?![\w*])"),
    (r"(?<![\w_])__(?=\S)", r"[^_\n]|_(?!_)", r"(?<=\S)__(?![\w_])"),
    (r"(?<![\w*])\*(?=[^\s*])", r"[^*\n]", r"(?<=[^\s*])\*(?![\w*])"),
    (r"(?<![\w_])_(?=[^\s_])", r"[^_\n]", r"(?<=[^\s_])_(?![\w_])"),
)]
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!>])")
_ATX_TITLE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
_SETEXT_TITLE = re.compile(r"^[ \t]*(\S[^\n]*)\n[ \t]{0,3}(?:=+|-+)[ \t]*$", re.M)


def _markdown_view(text: str) -> tuple[list[str], list[tuple[int, int]], str | None]:
    """Blank Markdown/HTML markup; return the chars, emphasis spans and first heading."""
    chars = list(text.translate(_CHAR_MAP))
    emphasis: list[tuple[int, int]] = []
    for rx in _BLANK_ALL:
        for m in rx.finditer("".join(chars)):
            _blank(chars, m.start(), m.end())
    for m in _HTML_EMPHASIS.finditer("".join(chars)):
        emphasis.append(m.span(2))
    for m in _TAG.finditer("".join(chars)):
        _blank(chars, m.start(), m.end())
    for rx in _KEEP_GROUP:
        for m in rx.finditer("".join(chars)):
            _blank(chars, m.start(), m.start(1))
            _blank(chars, m.end(1), m.end())
    for m in _ESCAPE.finditer("".join(chars)):
        _blank(chars, m.start(), m.end())
    for rx in _EMPHASIS:  # strong before em, so "**_x_**" gives both
        for m in rx.finditer("".join(chars)):
            emphasis.append(m.span(1))
            _blank(chars, m.start(), m.start(1))
            _blank(chars, m.end(1), m.end())
    heads = [m for m in (_ATX_TITLE.search(text), _SETEXT_TITLE.search(text)) if m]
    first = min(heads, key=lambda m: m.start(), default=None)
    title = " ".join("".join(chars[first.start(1):first.end(1)]).split()) if first else None
    return chars, emphasis, title or None


def _tidy_emphasis(spans: list[tuple[int, int]], clean: str) -> list[tuple[int, int]]:
    """Trim spans to non-blank text; drop blanked, empty and over-long ones."""
    trimmed = {_trim(clean, s, e) for s, e in spans}
    return sorted((s, e) for s, e in trimmed if s < e and len(clean[s:e].split()) <= MAX_EMPHASIS_WORDS)
