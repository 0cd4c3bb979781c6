"""Text out of the file types users import: .txt/.md (any encoding charset-normalizer detects), .html
(BeautifulSoup; script and style dropped), .docx (python-docx), .pdf (pypdf; text layer only).

`extract(data, name)` returns `(text, description)` or raises InputError with the one-line reason.
Every format ends in the same checks as the seeds: not empty, at most 5 MB, not binary, some Chinese.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from .read import CJK, MAX_BYTES, InputError, check_text, decode

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
# not article text: code, styling, and a site's navigation around the article
DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "footer")
BLOCK_TAGS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header",
              "blockquote", "pre", "table", "ul", "ol", "dd", "dt"]


def suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def extract(data: bytes, name: str) -> tuple[str, str]:
    suffix = suffix_of(name)
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type '{suffix or 'none'}' (use {', '.join(SUFFIXES)})")
    if not data.strip():
        raise InputError("empty file")
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if suffix in (".txt", ".md"):
        text, encoding = decode(data)
        described = f"text, {encoding}"
    elif suffix in (".html", ".htm"):
        text, described = _html(data)
    elif suffix == ".docx":
        text, described = _docx(data), "Word document"
    else:
        text, described = _pdf(data)
    text = _tidy(text)
    if not text:
        raise InputError("no text in the file")
    check_text(text)
    return text, described


def _tidy(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _html(data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup, UnicodeDammit
    from bs4.dammit import EncodingDetector

    # UTF-8 or the page's own <meta charset>; else our detection among the encodings Chinese pages use (not bs4's,
    # which asks whichever of chardet and charset-normalizer happens to be installed)
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    dammit = UnicodeDammit(data, known_definite_encodings=["utf-8"] + ([declared] if declared else []), is_html=True)
    markup, encoding = dammit.unicode_markup, dammit.original_encoding
    if markup is None or encoding not in ("utf-8", declared):
        markup, encoding = decode(data)
    soup = BeautifulSoup(markup, "html.parser")
    title = _squeeze(soup.title.get_text()) if soup.title else ""
    if soup.head:
        soup.head.decompose()
    for tag in soup(DROPPED_TAGS):
        tag.decompose()
    body = soup.body or soup
    headline = _headline(title, [_squeeze(h.get_text()) for h in body.find_all(["h1", "h2"])])
    # block elements end a paragraph; inline ones do not
    for br in body.find_all("br"):
        br.replace_with("\n")
    for block in body.find_all(BLOCK_TAGS):
        block.insert_after("\n\n")
    text = body.get_text()
    if headline:
        # the headline leads (the loaders take an article's title from its first line): moved up from below a
        # dateline, a date stamp or a breadcrumb, or put there from <title> when the body lacks it
        lines = text.split("\n")
        at = next((i for i, line in enumerate(lines) if _squeeze(line) == headline), None)
        if at is not None:
            del lines[at]
        text = headline + "\n\n" + "\n".join(lines)
    return text, f"web page, {encoding or 'utf-8'}"


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _cjk(text: str) -> int:
    return len(CJK.findall(text))


# what sites put between a headline and their own name in <title>: "标题_新华网", "标题 - 人民网", "标题|某某区政府"
TITLE_SEPARATORS = re.compile(r"\s*[_|｜]+\s*|\s+[-–—]+\s+|\s*[-–—]{2,}\s*")


def _headline(title: str, headings: list[str]) -> str:
    """The page's headline: its longest <h1>/<h2> that <title> holds (the site's name in an <h1> logo is shorter),
    else, with no <title>, its first <h1>/<h2> with Chinese in it, else the longest part of <title> between the
    separators sites use ("标题_新华网" -> 标题); "" when the page has none."""
    named = [h for h in headings if _cjk(h) >= 4 and h in title]
    if named:
        return max(named, key=len)
    if not title:
        return next((h for h in headings if _cjk(h) >= 4), "")
    parts = [part for part in TITLE_SEPARATORS.split(title) if _cjk(part)]
    return max(parts, key=_cjk) if parts else title


def _docx(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"not a readable .docx file ({type(e).__name__})")
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("，".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip())))
    return "\n\n".join(parts)


def _pdf(data: bytes) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"not a readable PDF ({type(e).__name__})")
    # some CID-font PDFs give each character with a NUL byte before it
    text = "\n\n".join(pages).replace("\x00", "")
    if not CJK.search(text):
        raise InputError("the PDF has no text layer with Chinese in it (a scan? run OCR first)"
                         if not text.strip() else "no Chinese text found")
    return text, f"PDF, {len(pages)} page(s)"
