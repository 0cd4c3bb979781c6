"""Write the dataset atomically: everything goes to a temporary folder beside `out`, then one rename.

A failed build never leaves a half-written `data/`; entries of `out` the build does not own
(data/articles/, the article store) are carried over into the new folder.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from . import lexicon
from .dataset import DOC_COLUMNS, FACT_COLUMNS, MEASURE_COLUMNS, PARK_COLUMNS

OWNED = {"documents.csv", "parks.csv", "measures.csv", "facts.csv", "codebook.yaml", "texts"}
TABLES = {"documents": DOC_COLUMNS, "parks": PARK_COLUMNS, "measures": MEASURE_COLUMNS, "facts": FACT_COLUMNS}


def codebook() -> dict:
    """The codebook shipped with the data: measure families and types, metrics and bases, regions."""
    m, k = lexicon.measures(), lexicon.metrics()
    return {
        "families": m["families"],
        "measure_types": {code: {f: spec[f] for f in ("zh", "en", "family", "definition_zh", "definition_en")}
                          for code, spec in m["measure_types"].items()},
        "metrics": k["metrics"],
        "bases": k["bases"],
        "flags": k["flags"],
        "regions": lexicon.regions()["regions"],
        "park_types": ["经开区", "高新区", "新区", "工业园区", "自贸区", "其他"],
        "levels": ["国家级", "省级", "未知"],
    }


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_dataset(tables: dict[str, list[dict]], texts: dict[str, str], out: Path) -> None:
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        for name, columns in TABLES.items():
            write_csv(tmp / f"{name}.csv", columns, tables[name])
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
