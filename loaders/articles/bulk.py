"""Collections of articles in one file: a CSV/TSV, XLSX or JSON Lines table (one article per row), a ZIP of
article files and tables, or (command line) a folder.

Columns are recognised by their names (loaders/data/bulk.yaml: 标题/title, 正文/内容/content/text,
日期/发布时间/date/published, 来源/媒体/source, 链接/url); `mapping` overrides what was guessed. Every row ends in
the same checks as a single article (not empty, at most 5 MB, some Chinese). A bad row is a `Bad` with its number
and reason; the rest are read. Nothing here writes: `loaders.articles.store.add_rows` stores what `read` returns.

    read(name, data, mapping=None) -> Collection(columns, mapping, rows, bad)

Row numbers are what a user sees: the spreadsheet row for CSV/XLSX (the header is row 1, the first article row 2),
the line for JSON Lines; each `where` starts with the file ("news.csv row 7", "news.zip: items.csv row 5").
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from loaders import lexicon
from .formats import SUFFIXES, extract, suffix_of
from .read import CANDIDATE_ENCODINGS, MAX_BYTES, InputError, check_text

FIELDS = ("text", "title", "published", "source", "url")


@dataclass(frozen=True)
class Row:
    where: str            # "row 7", "line 3", "news.zip: a.txt", "news.zip: items.csv row 4"
    name: str             # a display name for the article (its title, else where it came from)
    text: str
    title: str = ""
    published: str = ""   # YYYY-MM-DD or "" (the date column's value, normalised)
    source: str = ""
    url: str = ""
    raw: dict = field(default_factory=dict, compare=False)   # the row as given (kept beside the article)


@dataclass(frozen=True)
class Bad:
    where: str
    reason: str

    def line(self) -> str:
        return f"refused {self.where}: {self.reason}"


@dataclass
class Collection:
    columns: list[str]                       # the table's columns as written (empty for a ZIP of files)
    mapping: dict[str, str | None]           # field -> column
    rows: list[Row]
    bad: list[Bad]


def conf() -> dict:
    return lexicon.load("bulk")


def is_collection(name: str) -> bool:
    return suffix_of(name) in conf()["suffixes"]


def max_bytes() -> int:
    return conf()["max_megabytes"] * 1024 * 1024


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.:：()（）]+", "", str(name)).lower()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """{field: column or None}: each field takes the first column whose folded name is one of its names, then
    (for text only) the first column whose name holds one; a column is used once."""
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for name, spec in conf()["fields"].items():
        wanted = [_key(n) for n in spec["names"]]
        hit = next((c for w in wanted for c in columns if c not in taken and _key(c) == w), None)
        if hit is None and name == "text":
            hit = next((c for w in wanted for c in columns if c not in taken and w in _key(c)), None)
        out[name] = hit
        if hit is not None:
            taken.add(hit)
    return out


def check_mapping(mapping: dict[str, str | None], columns: list[str]) -> None:
    """InputError unless the text field is mapped and every mapped column exists."""
    unknown = [f for f in mapping if f not in FIELDS]
    if unknown:
        raise InputError(f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    if not mapping.get("text"):
        names = ", ".join(conf()["fields"]["text"]["names"][:6])
        raise InputError(f"no column holds the article text (name one {names}…, or choose it); "
                         f"columns: {', '.join(map(str, columns)) or 'none'}")
    for f, column in mapping.items():
        if column and column not in columns:
            raise InputError(f"no column {column!r} for {f} (columns: {', '.join(map(str, columns))})")


# ---- dates of a column ------------------------------------------------------------------------

_CN_DATE = re.compile(r"(\d{4})\s*[年/\-.]\s*(\d{1,2})(?:\s*[月/\-.]\s*(\d{1,2})\s*日?)?")


def column_date(value) -> str:
    """YYYY-MM-DD of a date cell; "" when it holds no day (a month alone is no publication date)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and not isinstance(value, bool) and 1e9 <= value < 1e13:
        seconds = value / 1000 if value >= 1e11 else value          # a Unix time, in seconds or milliseconds
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d")
    m = _CN_DATE.search(str(value or ""))
    if not m:
        return ""
    if not m.group(3):
        return ""
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return ""


# ---- tables -----------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    """Text of a table file: its BOM, else UTF-8, else GB18030 or Big5 if the whole file decodes, else the
    encoding charset-normalizer finds on the first megabyte."""
    for bom, enc in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"), (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise InputError(f"starts with a {enc} byte-order mark but does not decode as {enc}") from None
    for enc in ("utf_8", "gb18030", "big5"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes
    best = from_bytes(data[: 1024 * 1024], cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError("binary file or unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16)")
    return data.decode(best.encoding, errors="replace")


def _csv(data: bytes, name: str) -> tuple[list[str], list[tuple[str, dict]]]:
    text = _decode(data)
    delimiter = "\t" if suffix_of(name) == ".tsv" else None
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(MAX_BYTES * 2)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise InputError("empty table (no header row)")
        columns = [c.strip() for c in header]
        records = []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns):
                records.append((f"row {number}", {"__error__": f"{len(cells)} cells for {len(columns)} columns"}))
                continue
            records.append((f"row {number}", dict(zip(columns, cells))))
    except csv.Error as e:
        raise InputError(f"not a CSV table ({e})") from None
    return columns, records


def _xlsx(data: bytes) -> tuple[list[str], list[tuple[str, dict]]]:
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"not an Excel workbook ({type(e).__name__})") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(h is not None for h in header):
        raise InputError("empty table (no header row in the first sheet)")
    columns = [str(h).strip() if h is not None else f"column {i + 1}" for i, h in enumerate(header)]
    records = []
    for number, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        records.append((f"row {number}", {c: v for c, v in zip(columns, cells)}))
    book.close()
    return columns, records


def _jsonl(data: bytes) -> tuple[list[str], list[tuple[str, dict]]]:
    text = _decode(data)
    columns: dict[str, None] = {}
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            records.append((f"line {number}", {"__error__": f"not JSON ({e.msg} at column {e.colno})"}))
            continue
        if not isinstance(record, dict):
            records.append((f"line {number}", {"__error__": "not a JSON object"}))
            continue
        columns.update(dict.fromkeys(record))
        records.append((f"line {number}", record))
    if not records:
        raise InputError("no JSON lines in the file")
    return list(columns), records


def read_table(name: str, data: bytes) -> tuple[list[str], list[tuple[str, dict]]]:
    """(columns, [(where, record)]) of a CSV/TSV, XLSX or JSONL file; a record {"__error__": reason} is a row
    that cannot be read. InputError when the file as a whole cannot."""
    suffix = suffix_of(name)
    if len(data) > max_bytes():
        raise InputError(f"file is larger than {conf()['max_megabytes']} MB")
    if not data.strip():
        raise InputError("empty file")
    if suffix in (".csv", ".tsv"):
        return _csv(data, name)
    if suffix == ".xlsx":
        return _xlsx(data)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl(data)
    raise InputError(f"not a table ({suffix or 'no suffix'})")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_HTML = re.compile(r"<(?:p|div|br|span|html|body|article|section|h[1-6])\b", re.I)


def to_row(where: str, record: dict, mapping: dict[str, str | None]) -> Row | Bad:
    """One article of a table, or why it cannot be one."""
    if "__error__" in record:
        return Bad(where, record["__error__"])
    got = {f: record.get(c) if c else None for f, c in mapping.items()}
    text = _cell(got.get("text"))
    if not text:
        return Bad(where, f"empty text (column {mapping['text']!r})")
    try:
        if _HTML.search(text):                     # a crawl's HTML body: the same reading as an .html file
            text, _ = extract(text.encode("utf-8"), "row.html")
        else:
            if len(text.encode("utf-8")) > MAX_BYTES:
                raise InputError(f"text is larger than {MAX_BYTES // (1024 * 1024)} MB")
            check_text(text)
            text = re.sub(r"\r\n?", "\n", text).strip() + "\n"
    except InputError as e:
        return Bad(where, str(e))
    title = _cell(got.get("title"))
    raw = {str(k): _cell(v) if not isinstance(v, dict | list) else json.dumps(v, ensure_ascii=False)
           for k, v in record.items()}
    return Row(where, title or where, text, title=title, published=column_date(got.get("published")),
               source=_cell(got.get("source")), url=_cell(got.get("url")), raw=raw)


# ---- ZIP --------------------------------------------------------------------------------------

def _members(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """(member name, bytes) of the articles and tables in a ZIP, in its order; hidden files and folders, and
    macOS resource forks, skipped. InputError for a file that is no ZIP or unzips to more than the limit."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not a ZIP file") from None
    limit = conf()["max_unzipped_megabytes"] * 1024 * 1024
    infos = [i for i in z.infolist() if not i.is_dir()]
    if sum(i.file_size for i in infos) > limit:
        raise InputError(f"unzips to more than {conf()['max_unzipped_megabytes']} MB")
    out = []
    for info in infos:
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        try:
            out.append((info.filename, z.read(info)))
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as e:   # a damaged or encrypted member
            out.append((info.filename, e))
    return out


def read(name: str, data: bytes, mapping: dict[str, str | None] | None = None, label: str = "") -> Collection:
    """The articles of a collection file; InputError (one line) when the file as a whole cannot be read.
    `label` (default: the file's name) starts each row's `where`."""
    label = label or Path(name).name
    if suffix_of(name) == ".zip":
        return _read_zip(label, data, mapping)
    columns, records = read_table(name, data)
    mapping = {**guess_mapping(columns), **(mapping or {})}
    check_mapping(mapping, columns)
    rows, bad = [], []
    for where, record in records:
        got = to_row(f"{label} {where}", record, mapping)
        (bad if isinstance(got, Bad) else rows).append(got)
    return Collection(columns, mapping, rows, bad)


def _read_zip(shown: str, data: bytes, mapping: dict[str, str | None] | None) -> Collection:
    rows, bad, columns, used = [], [], [], {}
    for member, body in _members(shown, data):
        where = f"{shown}: {member}"
        if isinstance(body, Exception):
            bad.append(Bad(where, f"cannot unzip ({type(body).__name__})"))
            continue
        suffix = suffix_of(member)
        if suffix in (".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson"):
            try:
                inner = read(member, body, mapping, label=where)
            except InputError as e:
                bad.append(Bad(where, str(e)))
                continue
            columns += [c for c in inner.columns if c not in columns]
            used.update({k: v for k, v in inner.mapping.items() if v})
            rows += inner.rows
            bad += inner.bad
        elif suffix in SUFFIXES:
            try:
                text, _ = extract(body, member)
            except InputError as e:
                bad.append(Bad(where, str(e)))
                continue
            except Exception as e:  # noqa: BLE001 - a parser's own failure is one line, never a traceback
                bad.append(Bad(where, f"cannot read the file ({type(e).__name__})"))
                continue
            rows.append(Row(where, PurePosixPath(member).name, text))
        else:
            usable = SUFFIXES + tuple(s for s in conf()["suffixes"] if s != ".zip")
            bad.append(Bad(where, f"unsupported file type '{suffix or 'none'}' (use {', '.join(usable)})"))
    if not rows and not bad:
        raise InputError("no articles in the ZIP")
    return Collection(columns, {f: used.get(f) for f in FIELDS}, rows, bad)


def read_folder(folder: Path, mapping: dict[str, str | None] | None = None) -> Collection:
    """Every article file and table under a folder (command line), like a ZIP of it."""
    rows, bad, columns = [], [], []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            data = path.read_bytes()
        except OSError as e:
            bad.append(Bad(str(path), f"cannot read file ({e.strerror})"))
            continue
        if is_collection(path.name):
            try:
                inner = read(path.name, data, mapping, label=str(path))
            except InputError as e:
                bad.append(Bad(str(path), str(e)))
                continue
            columns += [c for c in inner.columns if c not in columns]
            rows += inner.rows
            bad += inner.bad
        elif suffix_of(path.name) in SUFFIXES:
            try:
                text, _ = extract(data, path.name)
            except InputError as e:
                bad.append(Bad(str(path), str(e)))
                continue
            except Exception as e:  # noqa: BLE001
                bad.append(Bad(str(path), f"cannot read the file ({type(e).__name__})"))
                continue
            rows.append(Row(str(path), path.name, text))
    return Collection(columns, {}, rows, bad)
