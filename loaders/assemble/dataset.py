"""Merge per-document results into the dataset tables: parks get ids, places and regions.

Returns plain lists of dicts, sorted, so the same input always writes the same bytes.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from .asof import date_facts
from loaders.extract.parks import grammar
from loaders.extract.pipeline import DocResult
from loaders.extract.places import region_of, table
from loaders.extract.facts import AMOUNT_METRICS, fmt_number

# `origin` is seed | imported (an article a user added); a park's is every origin that names it, "|"-joined
# parks `flags`: place_ambiguous when an article named the park by a place that exists more than once and
# did not settle which
PARK_COLUMNS = ["park_id", "name", "aliases", "park_type", "level", "province", "city", "region", "lat", "lon",
                "flags", "origin"]
# `published`: the article's own date (YYYY-MM-DD) when its text gives one (a dateline, a "2020-03-01 09:30"
# line, 来源…日期), else ""
# `duplicate_of`: the original's doc_id when the article is a re-posted copy of another (resolve.mirrors), else ""
# `status`: ok when the loaders recognised a park in the article (or an editor named one), no_park when not; every
# article is kept, so one with no park can still be read, searched and given its park (DOC_STATUSES)
DOC_COLUMNS = ["doc_id", "title", "source", "published", "published_basis", "url", "chars", "sha256", "origin",
               "duplicate_of", "status"]
# `published_basis`: text (the article's own date) | column (an imported collection's date column) | "" (none)
PUBLISHED_BASES = ("text", "column")
DOC_STATUSES = ("ok", "no_park")
# `flags`: what made a row uncertain ("|"-joined codes of metrics.yaml `flags`), empty when nothing did
# `status`: extracted (as the loaders found it) | confirmed | corrected | added (by a correction, corrections.py)
# facts `as_of`: the fact's own `date` when its sentence (or paragraph) gives one, else its article's `published`,
# else ""; `date_basis` says which: stated | published | none
MEASURE_COLUMNS = ["park_id", "measure_type", "doc_id", "evidence", "start", "end", "cue", "flags", "status", "origin"]
# `figure_id`: the figure (figures.csv) this mention reports (resolve.figures)
FACT_COLUMNS = ["park_id", "metric", "value", "unit", "basis", "scope", "date", "as_of", "date_basis", "doc_id",
                "evidence", "start", "end", "raw", "flags", "status", "origin", "figure_id"]
ORIGINS = ("seed", "imported")
# what identifies a row (the data package's primary keys; a correction's anchor finds rows by the same fields)
ROW_KEYS = {"documents": ["doc_id"], "parks": ["park_id"],
            "facts": ["doc_id", "start", "end", "park_id", "metric"],
            "measures": ["doc_id", "start", "end", "park_id", "measure_type"],
            "figures": ["figure_id"], "park_totals": ["total_id"]}


def park_id(name: str) -> str:
    return "P" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def _locate(key: str, mentions: list[dict]) -> dict:
    """Province, city and coordinates: gazetteer first, then the most specific place the name gives."""
    g = grammar()
    places = table()
    best = None
    for m in sorted(mentions, key=lambda m: (-len(m["parts"]), m["parts"])):
        place = places.resolve(m["parts"], m.get("within", ""))
        if place and (best is None or place.level > best.level):
            best = place
    if key in g.gazetteer_info:
        # the gazetteer settles province and city; coordinates of the county the name gives, if it agrees
        info = g.gazetteer_info[key]
        if best is None or best.province != info["province"]:
            best = places.city_place(info["province"], info["city"]) if info["city"] else None
        city = info["city"] or (best.city if best and best.province == info["province"] else "")
        return {"province": info["province"], "city": city,
                "lat": best.lat if best else "", "lon": best.lon if best else ""}
    if best is None:
        return {"province": "", "city": "", "lat": "", "lon": ""}
    return {"province": best.province, "city": best.city if best.level > 1 else best.province,
            "lat": best.lat, "lon": best.lon}


def _place_code(mentions: list[dict]) -> str | None:
    codes = {p.code for p in (table().resolve(m["parts"], m.get("within", "")) for m in mentions) if p}
    return codes.pop() if len(codes) == 1 else None


def assemble(results: list[DocResult]) -> dict[str, list[dict]]:
    by_key: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        for m in r.mentions:
            by_key[m["key"]].append(m)

    # a bare "靖江开发区" is the one park of that place when there is exactly one
    merged: dict[str, str] = {}
    codes = {k: _place_code(ms) for k, ms in by_key.items()}
    keys_of: dict[str, list[str]] = defaultdict(list)     # place code -> its parks: one lookup, not a scan per park
    for k, c in codes.items():
        keys_of[c].append(k)
    for key, ms in by_key.items():
        if all(m["park_type"] == "其他" for m in ms) and key.endswith("开发区") and codes[key]:
            same = [k for k in keys_of[codes[key]] if k != key and not k.endswith("开发区")]
            if len(same) == 1:
                merged[key] = same[0]
    for old, new in merged.items():
        by_key[new].extend(by_key.pop(old))

    g = grammar()
    parks = []
    for key in sorted(by_key):
        ms = by_key[key]
        types = Counter(m["park_type"] for m in ms)
        park_type = g.gazetteer_info[key]["park_type"] if key in g.gazetteer_info else types.most_common(1)[0][0]
        levels = {m["level"] for m in ms}
        if key in g.gazetteer_info:
            level = g.gazetteer_info[key]["level"]
        else:
            level = "国家级" if "国家级" in levels else ("省级" if "省级" in levels else "未知")
        aliases = sorted({m["surface"] for m in ms if not m["listed"]} - {key}, key=lambda a: (len(a), a))
        parks.append({"park_id": park_id(key), "name": key, "aliases": "|".join(aliases), "park_type": park_type,
                      "level": level, **_locate(key, ms),
                      "flags": "place_ambiguous" if all(m.get("ambiguous") for m in ms) else ""})
        parks[-1]["region"] = region_of(parks[-1]["province"])
    parks = [{c: p.get(c, "") for c in PARK_COLUMNS} for p in parks]
    ids = {p["name"]: p["park_id"] for p in parks}
    ids.update({old: ids[new] for old, new in merged.items()})

    documents, measures, facts = [], [], []
    for r in sorted(results, key=lambda r: r.doc_id):
        basis = getattr(r, "published_basis", "") or ("text" if r.published else "")
        documents.append({"doc_id": r.doc_id, "title": r.title, "source": r.source, "published": r.published,
                          "published_basis": basis, "url": getattr(r, "url", ""), "chars": len(r.text),
                          "sha256": r.sha256, "origin": r.origin, "duplicate_of": "",
                          "status": "ok" if r.mentions else "no_park"})
        seen = set()
        for m in r.measures:
            row = {**m, "park_id": ids[m["park"]], "origin": r.origin}
            key = (row["park_id"], row["measure_type"], row["start"])
            if key not in seen:
                seen.add(key)
                measures.append({c: row[c] for c in MEASURE_COLUMNS if c != "status"} | {"status": "extracted"})
        seen = set()
        for f in r.facts:
            row = {**f, "park_id": ids[f["park"]], "value": fmt_number(f["value"]), "origin": r.origin}
            key = (row["park_id"], row["metric"], row["value"], row["unit"], row["basis"], row["scope"])
            if row["metric"] in AMOUNT_METRICS:
                key += (row["start"],)          # two equal amounts in an article are two amounts
            if key not in seen:
                seen.add(key)
                facts.append({c: row.get(c, "") for c in FACT_COLUMNS if c != "status"} | {"status": "extracted"})
    named_by = defaultdict(set)         # park_id -> origins of the articles that name it
    for r in results:
        for m in r.mentions:
            named_by[ids[m["key"]]].add(r.origin)
    for park in parks:
        park["origin"] = "|".join(o for o in ORIGINS if o in named_by[park["park_id"]]) or "seed"
    measures.sort(key=lambda m: (m["doc_id"], m["start"], m["park_id"], m["measure_type"]))
    date_facts(facts, {d["doc_id"]: d["published"] for d in documents})
    facts.sort(key=lambda f: (f["doc_id"], f["start"], f["park_id"], f["metric"]))
    return {"documents": documents, "parks": parks, "measures": measures, "facts": facts}
