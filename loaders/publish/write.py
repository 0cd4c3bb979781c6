"""Write the dataset atomically: everything goes to a temporary folder beside `out`, then one rename.

A failed build never leaves a half-written `data/`; entries of `out` the build does not own
(data/articles/, the article store; corrections.jsonl, the correction store) are carried over into the
new folder. `extracted/` keeps the tables as the loaders made them, before corrections, so a new
correction is applied without extracting again (correction_store.refresh). `data/` keeps its mode through
the swap (a new one gets the umask's), so other users of the machine can read what they could before.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import stat
from pathlib import Path

import yaml

from loaders import lexicon
from loaders.assemble.asof import DATE_BASES
from loaders.correct.corrections import ORPHAN_COLUMNS, REDIRECT_COLUMNS, REJECTED_COLUMNS, STATUSES
from loaders.assemble.dataset import DOC_COLUMNS, DOC_STATUSES, FACT_COLUMNS, MEASURE_COLUMNS, PARK_COLUMNS
from loaders.files import new_folder
from loaders.resolve import FIGURE_COLUMNS, HOWS, ROLES, TOTAL_COLUMNS

TABLES = {"documents": DOC_COLUMNS, "parks": PARK_COLUMNS, "measures": MEASURE_COLUMNS, "facts": FACT_COLUMNS,
          "figures": FIGURE_COLUMNS, "park_totals": TOTAL_COLUMNS,
          "rejected": REJECTED_COLUMNS, "orphaned": ORPHAN_COLUMNS, "park_redirects": REDIRECT_COLUMNS}
EXTRACTED = {"parks": PARK_COLUMNS, "measures": MEASURE_COLUMNS, "facts": FACT_COLUMNS}
OWNED = {f"{name}.csv" for name in TABLES} | {"codebook.yaml", "texts", "extracted"}


def codebook() -> dict:
    """The codebook shipped with the data: measure families and types, metrics and bases, regions, and what
    every column of every table holds (`columns`, from columns.yaml, in the tables' column order)."""
    m, k = lexicon.measures(), lexicon.metrics()
    described = lexicon.load("columns")
    return {
        "families": m["families"],
        "measure_types": {code: {f: spec[f] for f in ("zh", "en", "family", "definition_zh", "definition_en")}
                          for code, spec in m["measure_types"].items()},
        "metrics": k["metrics"],
        "bases": k["bases"],
        "flags": k["flags"],
        "statuses": {code: k["statuses"][code] for code in STATUSES},
        "document_statuses": {code: k["document_statuses"][code] for code in DOC_STATUSES},
        "date_bases": {code: k["date_bases"][code] for code in DATE_BASES},
        "roles": {code: k["roles"][code] for code in ROLES},
        "hows": {code: k["hows"][code] for code in HOWS},
        "files": k["files"],
        "regions": lexicon.regions()["regions"],
        "park_types": ["经开区", "高新区", "新区", "工业园区", "自贸区", "其他"],
        "levels": ["国家级", "省级", "未知"],
        "columns": {name: {c: described.get(name, {}).get(c, {"zh": "", "en": ""}) for c in columns}
                    for name, columns in TABLES.items()},
    }


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.write_bytes(csv_bytes(columns, rows))


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(columns)
    # as csv.DictWriter writes them (a missing key empty, an unknown one an error), without its per-row checks
    known = set(columns)
    unknown = next((set(row) - known for row in rows if not row.keys() <= known), None)
    if unknown:
        raise ValueError(f"dict contains fields not in fieldnames: {', '.join(map(repr, unknown))}")
    w.writerows([row.get(c, "") for c in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_dataset(tables: dict[str, list[dict]], extracted: dict[str, list[dict]], texts: dict[str, str],
                  out: Path) -> None:
    """`tables`: the published tables (corrections applied) by name of TABLES; `extracted`: parks, measures
    and facts before corrections."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_folder(out.parent, f".{out.name}.build-")
    try:
        for name, columns in TABLES.items():
            write_csv(tmp / f"{name}.csv", columns, tables[name])
        (tmp / "extracted").mkdir()
        for name, columns in EXTRACTED.items():
            write_csv(tmp / "extracted" / f"{name}.csv", columns, extracted[name])
        with open(tmp / "codebook.yaml", "w", encoding="utf-8") as f:
            yaml.safe_dump(codebook(), f, allow_unicode=True, sort_keys=False, width=120)
        (tmp / "texts").mkdir()
        for doc_id, text in sorted(texts.items()):
            (tmp / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not out.exists():
        os.replace(tmp, out)
        return
    kept = [e.name for e in out.iterdir() if e.name not in OWNED]
    for name in kept:
        os.replace(out / name, tmp / name)
    # the new folder takes the old one's mode (set last: a read-only mode would stop the moves above)
    os.chmod(tmp, stat.S_IMODE(out.stat().st_mode))
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    try:
        os.replace(out, old)
    except OSError:
        for name in kept:                 # put the store back where it was, drop the new build
            os.replace(tmp / name, out / name)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
