"""The dataset as a Frictionless Data Package: a zip of datapackage.json, the published tables and the codebook.

For researchers who load the data with a program (the R `frictionless` package, Python `frictionless` or
pandas): datapackage.json gives every field its type, constraints (codes from the codebook, date patterns) and a
description (English, then Chinese, from loaders/data/columns.yaml), each table's primary key and the foreign keys
from facts and measures to parks and documents. CSVs are written exactly as the build writes them (UTF-8, no BOM,
"\\n"), with no spreadsheet-formula escaping: this is data for programs. The same input always gives the same
bytes (no timestamp anywhere).

`package_bytes(tables, codebook, filters)` is pure: `tables` is {name: [row dict, ...]} for the tables of TABLES
(documents, parks, facts, measures, figures, park_totals and park_redirects); the command line (`python -m loaders package FILE.zip`) reads them from data/, the dashboard from its
filtered selection.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import yaml

from loaders import lexicon
from loaders.assemble.dataset import DOC_COLUMNS, FACT_COLUMNS, MEASURE_COLUMNS, PARK_COLUMNS, PUBLISHED_BASES, ROW_KEYS
from loaders.correct.corrections import REDIRECT_COLUMNS
from loaders.resolve import FIGURE_COLUMNS, TOTAL_COLUMNS
from .write import codebook as loaders_codebook, csv_bytes

# resources in this order
TABLES = {"documents": DOC_COLUMNS, "parks": PARK_COLUMNS, "facts": FACT_COLUMNS, "measures": MEASURE_COLUMNS,
          "figures": FIGURE_COLUMNS, "park_totals": TOTAL_COLUMNS, "park_redirects": REDIRECT_COLUMNS}
# A fact or a measure is identified the way a correction anchors it (corrections.py): its article, its span, its
# park and its metric or measure type. Extraction gives one row per park, code and span (dataset.assemble keeps one
# measure per park, type and sentence; a figure is one span); corrections that give a row another park or code, or
# merge two parks named in one sentence, could make two rows with one key: corrections.apply keeps one of them
# (the reviewed one); duplicates() still checks, for tables written some other way.
PRIMARY_KEYS = {**ROW_KEYS, "park_redirects": ["old_id"]}
FOREIGN_KEYS = {
    "facts": [("park_id", "parks"), ("doc_id", "documents"), ("figure_id", "figures")],
    "measures": [("park_id", "parks"), ("doc_id", "documents")],
    "figures": [("park_id", "parks")],
    "park_totals": [("park_id", "parks")],
    "park_redirects": [("park_id", "parks")],
}
TABLE_TEXT = {
    "documents": ("Articles the data was read from, one row each.", "数据所出自的文章，每篇一行。"),
    "parks": ("Development zones (parks) the articles name, one row each.", "文章提到的园区（开发区），每个园区一行。"),
    "facts": ("Figures the parks reported, one row per park and figure, with the sentence it was read from.",
              "园区报告的数字，每个园区每个数字一行，附出处原句。"),
    "measures": ("Measures the parks took, one row per park, measure type and sentence.",
                 "园区采取的措施，每个园区、措施类型和原句一行。"),
    "figures": ("What was reported: one row per figure, however many articles (or headline, lead and body) repeat "
                "it; facts.figure_id names each mention's figure; role and part_of tell a total from its parts.",
                "报道的数据：每个数据一行，无论被多少篇文章（或标题、导语、正文）重复；facts.figure_id 指向各处提及所属的数据；"
                "role 与 part_of 区分总数与其组成部分。"),
    "park_totals": ("The one number to cite per park, metric, basis and population, computed from figures "
                    "(how says how).", "每个园区、指标、口径和群体应引用的一个数字，由数据计算（how 说明如何得出）。"),
    "park_redirects": ("Park ids that no longer name a park of their own (a merged park, an older rename) and the park "
                       "each leads to now: follow them to read an older extract or a saved link.",
                       "不再对应独立园区的园区编号（被合并的园区、旧版本的改名）及其现在对应的园区：用于读取旧数据或已保存的链接。"),
}
NAME = "parks-reopening-2020"
TITLE = "园区复工数据集 · Park reopening dataset (China, early 2020)"
DESCRIPTION = ("How Chinese development zones (经开区, 高新区, 新区, 工业园区 …) helped firms reopen during COVID-19 in early "
               "2020, read from news articles: the parks, the measures they took and the figures they reported "
               "(reopening rates, subsidies, financing, signed investment …), each with the sentence it came from. "
               "Codes (metric, measure_type, basis, flags, status, date_basis) are labelled in Chinese and English "
               "in codebook.yaml. `filters` records the dashboard filters that selected these rows ({} = the full "
               "dataset).")
INTEGER = {"chars", "start", "end", "mentions", "reports"}
NUMBER = {"value", "lat", "lon"}
DATE = {"published"}
# YYYY-MM-DD or YYYY-MM (month 01-12, day 01-31); "" is missing
MONTH_OR_DAY = "[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?"
DATE_BASES = ("stated", "published", "none")
ORIGINS = ["seed", "imported"]
PARK_ORIGINS = ["seed", "imported", "seed|imported"]
OPTIONAL = {"park_redirects"}             # tables an older build did not write: packaged empty
REDIRECT_HOWS = ("merged", "renamed")    # corrections.py: a merge, or a rename by an older version
ZIP_TIME = (2020, 1, 1, 0, 0, 0)          # fixed, so the same tables give the same zip


class PackageError(Exception):
    """Why a data folder cannot be packaged: one line naming the file and the reason."""


def column_text(codebook: dict) -> dict:
    """{table: {column: {zh, en}}}: the codebook's `columns`, else (a data/ built before it had them) the loaders'."""
    return codebook.get("columns") or lexicon.load("columns")


def _codes(section) -> list[str]:
    return list(section or [])


def _alternatives(codes: list[str]) -> str:
    return "|".join(re.escape(c) for c in codes)


def field(table: str, column: str, codebook: dict) -> dict:
    """The Table Schema field of one column."""
    text = column_text(codebook).get(table, {}).get(column, {})
    out: dict = {"name": column}
    out["type"] = "integer" if column in INTEGER else "number" if column in NUMBER else \
        "date" if column in DATE else "string"
    out["description"] = " / ".join(t for t in (text.get("en", ""), text.get("zh", "")) if t)
    constraints: dict = {}
    if column in PRIMARY_KEYS[table] or (table in FOREIGN_KEYS and column in ("park_id", "doc_id")
                                          and column in TABLES[table]):
        constraints["required"] = True
    if column in INTEGER:
        constraints["minimum"] = 0
    if column == "lat":
        constraints.update(minimum=-90, maximum=90)
    if column == "lon":
        constraints.update(minimum=-180, maximum=180)
    if column in ("date", "as_of", "first_as_of", "last_as_of"):
        constraints["pattern"] = MONTH_OR_DAY
    if column == "sha256":
        constraints["pattern"] = "[0-9a-f]{64}"
    if column in ("park_id", "old_id"):
        constraints["pattern"] = "P[0-9a-f]{8}"
    enum = None
    if column == "origin":
        enum = PARK_ORIGINS if table == "parks" else ORIGINS
    elif column == "published_basis":
        enum = list(PUBLISHED_BASES)
    elif column == "date_basis":
        enum = _codes(codebook.get("date_bases")) or list(DATE_BASES)
    elif column == "role":
        enum = _codes(codebook.get("roles"))
    elif column == "how" and table == "park_redirects":
        enum = list(REDIRECT_HOWS)
    elif column == "how":
        enum = _codes(codebook.get("hows"))
    elif column == "status" and table == "documents":
        enum = _codes(codebook.get("document_statuses"))
    elif column == "status":
        enum = _codes(codebook.get("statuses"))
    elif column in ("metric", "basis", "measure_type"):
        enum = _codes(codebook.get({"metric": "metrics", "basis": "bases", "measure_type": "measure_types"}[column]))
    elif column == "unit":
        enum = sorted({m["unit"] for m in codebook.get("metrics", {}).values()} | {"%"})
    elif column == "region":
        enum = _codes(codebook.get("regions"))
    elif column == "province":
        enum = [p for provinces in (codebook.get("regions") or {}).values() for p in provinces]
    elif column in ("park_type", "level"):
        enum = _codes(codebook.get(column + "s"))
    if enum:
        constraints["enum"] = enum
    if column == "flags":
        codes = [c for c in codebook.get("flags", {}) if re.fullmatch(r"[a-z_]+", str(c))]
        if codes:
            constraints["pattern"] = f"({_alternatives(codes)})(\\|({_alternatives(codes)}))*"
    if constraints:
        out["constraints"] = constraints
    return out


def schema(table: str, codebook: dict) -> dict:
    out = {"fields": [field(table, c, codebook) for c in TABLES[table]], "missingValues": [""],
           "primaryKey": PRIMARY_KEYS[table]}
    if table in FOREIGN_KEYS:
        out["foreignKeys"] = [{"fields": column, "reference": {"resource": target, "fields": column}}
                              for column, target in FOREIGN_KEYS[table]]
    return out


def table_csv(name: str, rows: list[dict]) -> bytes:
    """The table's CSV as the build writes it: the loaders' columns in their order, a missing one empty."""
    columns = TABLES[name]
    return csv_bytes(columns, [{c: ("" if row.get(c) is None else row.get(c)) for c in columns} for row in rows])


def descriptor(bodies: dict[str, bytes], codebook: dict, filters: dict[str, list[str]]) -> dict:
    """datapackage.json for the CSV bytes of each table."""
    resources = []
    for name in TABLES:
        en, zh = TABLE_TEXT[name]
        resources.append({
            "profile": "tabular-data-resource", "name": name, "path": f"{name}.csv", "title": name,
            "description": f"{en} / {zh}", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(bodies[name]), "hash": "sha256:" + hashlib.sha256(bodies[name]).hexdigest(),
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": schema(name, codebook),
        })
    return {"profile": "tabular-data-package", "name": NAME, "title": TITLE, "description": DESCRIPTION,
            "keywords": ["COVID-19", "development zones", "开发区", "复工复产", "China"],
            "filters": {key: list(values) for key, values in filters.items()},
            "resources": resources}


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def package_bytes(tables: dict[str, list[dict]], codebook: dict, filters: dict[str, list[str]]) -> bytes:
    """The zip: datapackage.json, documents.csv, parks.csv, facts.csv, measures.csv, figures.csv, park_totals.csv,
    park_redirects.csv and codebook.yaml."""
    bodies = {name: table_csv(name, tables.get(name, [])) for name in TABLES}
    meta = json.dumps(descriptor(bodies, codebook, filters), ensure_ascii=False, indent=2) + "\n"
    book = yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False, width=120)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(_entry("datapackage.json"), meta.encode("utf-8"))
        for name, body in bodies.items():
            z.writestr(_entry(f"{name}.csv"), body)
        z.writestr(_entry("codebook.yaml"), book.encode("utf-8"))
    return buffer.getvalue()


# ---------------------------------------------------------------- checks

def duplicates(tables: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """{table: [primary key value, ...]} of the keys more than one row has (a valid package has none)."""
    out = {}
    for name, key in PRIMARY_KEYS.items():
        counts = Counter(tuple(str(row.get(c, "")) for c in key) for row in tables.get(name, []))
        twice = [k for k, n in counts.items() if n > 1]
        if twice:
            out[name] = twice
    return out


def dangling(tables: dict[str, list[dict]]) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, value), ...]} of foreign key values that the referenced table lacks."""
    out = {}
    for name, keys in FOREIGN_KEYS.items():
        missing = []
        for column, target in keys:
            present = {str(r.get(column, "")) for r in tables.get(target, [])}
            missing += sorted({(column, str(r.get(column, ""))) for r in tables.get(name, [])
                               if str(r.get(column, "")) not in present})
        if missing:
            out[name] = missing
    return out


def problems(tables: dict[str, list[dict]]) -> list[str]:
    """One line per table whose rows break its primary key or a foreign key (validation would fail)."""
    lines = []
    for name, keys in duplicates(tables).items():
        shown = ", ".join("(" + ", ".join(k) + ")" for k in keys[:3])
        lines.append(f"{name}: {len(keys)} primary key value(s) ({', '.join(PRIMARY_KEYS[name])}) held by more "
                     f"than one row: {shown}{' …' if len(keys) > 3 else ''}")
    for name, missing in dangling(tables).items():
        shown = ", ".join(f"{c}={v}" for c, v in missing[:3])
        lines.append(f"{name}: {len(missing)} reference(s) to rows that are not in the package: "
                     f"{shown}{' …' if len(missing) > 3 else ''}")
    return lines


# ---------------------------------------------------------------- files

def read_tables(data_dir: Path) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """(tables, missing columns) of a built data/: every row as the CSV holds it (text); a column the loaders
    declare but an older build did not write is filled with "" and reported in `missing` {table: [column]}.
    Raises OSError (a missing or unreadable file) and PackageError (a file that is not UTF-8 CSV)."""
    tables, missing = {}, {}
    for name, columns in TABLES.items():
        path = Path(data_dir) / f"{name}.csv"
        if name in OPTIONAL and not path.exists():
            tables[name], missing[name] = [], list(columns)      # a build from before the table existed
            continue
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            try:
                rows = list(reader)
            except (UnicodeDecodeError, csv.Error) as e:
                raise PackageError(f"{path}: not UTF-8 CSV ({e}); run python -m loaders build") from None
            header = reader.fieldnames or []
        absent = [c for c in columns if c not in header]
        if absent:
            missing[name] = absent
            for row in rows:
                row.update({c: "" for c in absent})
        tables[name] = rows
    return tables, missing


def write_atomic(path: Path, data: bytes) -> None:
    """`data` into `path` by a temporary file in the same folder and one rename; the folder must exist."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(data_dir: Path) -> tuple[dict[str, list[dict]], dict, list[str]]:
    """(tables, codebook, notes) of a built data folder; PackageError (one line) when it cannot be read.
    `notes` are warnings: columns an older build did not write (packaged empty), broken keys."""
    data_dir = Path(data_dir)
    if not (data_dir / "facts.csv").is_file():
        raise PackageError(f"{data_dir}: not built (no facts.csv); run python -m loaders build first")
    try:
        tables, missing = read_tables(data_dir)
    except FileNotFoundError as e:
        raise PackageError(f"{e.filename}: missing (data/ is not completely built); "
                           "run python -m loaders build") from None
    except OSError as e:
        raise PackageError(f"{e.filename or data_dir}: cannot read ({e.strerror or e})") from None
    path = data_dir / "codebook.yaml"
    try:
        book = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else loaders_codebook()
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PackageError(f"{path}: cannot read ({getattr(e, 'strerror', None) or type(e).__name__})") from None
    if not isinstance(book, dict):
        raise PackageError(f"{path}: not a codebook (a YAML mapping)")
    notes = [f"{data_dir / (name + '.csv')} has no {', '.join(columns)} (built by an older version): "
             "packaged empty; rebuild data/ to fill" for name, columns in missing.items()]
    return tables, book, notes + problems(tables)
