"""Figures that add up, on real articles: the park totals a careful analyst would cite, before and after the
resolution stage, and re-posted copies found.

    python bench/realworld_totals.py [--quiet]

1. Totals. `bench/realworld/totals.yaml` holds, per article of the manifest, our own annotation of the one
   number per park and metric an analyst would cite from it (a stated total never added to its parts, a
   repeated figure once, the latest cumulative over the events it covers; `how` says which). Each article is
   built on its own (process -> assemble -> resolve, as `loaders build` does) and compared:
   - before: what the dashboard showed before resolution, the sum of the article's fact rows of the park and
     metric (basis total), as `signed_investment_by_park` summed `value_num`;
   - after: `park_totals.csv`'s value.
   A total is right when it is within 0.5% of the annotated value. Rates: the park's latest rate of the
   annotated population (after only: before, every row was its own bar).
2. Mirrors. Every dev article gets a re-posted copy made by script (OpenCC traditional script, full-width
   digits, another site's header and footer); the dev articles and their copies are built together. Reported:
   copies found (duplicate_of = the original), originals wrongly called copies, and whether any park total
   changed because the copies were there.
Exit 0 after scoring, 2 when texts are missing.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import opencc
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loaders import resolve  # noqa: E402
from loaders.assemble.dataset import assemble  # noqa: E402
from loaders.extract.pipeline import process  # noqa: E402
from loaders.articles.read import InputError, read_article  # noqa: E402
from realworld import CORPUS, Built, load_manifest, match_parks, missing_texts, restore_help, to_value  # noqa: E402

TOTALS = ROOT / "bench" / "realworld" / "totals.yaml"
AMOUNTS = ("signed_investment", "subsidy_amount", "financing_amount")
TOLERANCE = Decimal("0.005")


def build(items: list[tuple[str, str]]) -> tuple[Built, dict, list[dict]]:
    """(Built for park matching, tables with figures and park_totals, the documents) of (doc_id, text) pairs."""
    results = [r for r in (process(doc_id, text) for doc_id, text in items) if r.mentions]
    tables = assemble(results)
    resolve.mark_copies(results, tables["documents"])
    resolved = resolve.resolve(tables["facts"], {r.doc_id: r.text for r in results}, tables["documents"])
    names = {p["park_id"]: p["name"] for p in tables["parks"]}
    facts = [{**f, "park": names[f["park_id"]]} for f in resolved.facts]
    totals = [{**t, "park": names[t["park_id"]]} for t in resolved.totals]
    doc_parks = defaultdict(set)
    for r in results:
        doc_parks[r.doc_id] |= {m["key"] for m in r.mentions if m["key"] in names.values()}
    built = Built({p["name"]: p for p in tables["parks"]}, doc_parks, facts, [])
    return built, {"facts": facts, "park_totals": totals}, tables["documents"]


def close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= abs(b) * TOLERANCE


def score_totals(articles: list[dict], annotations: dict[str, list[dict]], texts: dict[str, str], quiet: bool) -> dict:
    tally = {"amounts": [0, 0, 0], "rates": [0, 0]}          # annotated, before right, after right | annotated, right
    by_how: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    lines = []
    for a in articles:
        wanted = annotations.get(a["id"]) or []
        if not wanted or a["id"] not in texts:
            continue
        built, tables, _ = build([(a["id"], texts[a["id"]])])
        matched = match_parks(a.get("parks") or [], set(built.parks), built)
        mine = defaultdict(list)                       # annotated name -> built names
        for built_name, ann in matched.items():
            mine[ann].append(built_name)
        for w in wanted:
            names = mine.get(w["park"], [])
            value = to_value(w["value"])
            if w["metric"] in AMOUNTS:
                rows = [f for f in tables["facts"] if f["park"] in names and f["metric"] == w["metric"]
                        and f["basis"] == "total"]
                before = sum((Decimal(f["value"]) for f in rows), Decimal(0))
                after_rows = [t for t in tables["park_totals"] if t["park"] in names and t["metric"] == w["metric"]
                              and t["basis"] == "total"]
                after = sum((Decimal(t["value"]) for t in after_rows), Decimal(0))
                ok_before, ok_after = close(before, value), close(after, value)
                tally["amounts"][0] += 1
                tally["amounts"][1] += ok_before
                tally["amounts"][2] += ok_after
                h = by_how[w.get("how", "single")]
                h[0] += 1
                h[1] += ok_before
                h[2] += ok_after
                if not ok_after:
                    lines.append(f"  WRONG {a['id']}: {w['park']} {w['metric']} want {w['value']} ({w.get('how')}), "
                                 f"before {before / 10**8:g}亿, after {after / 10**8:g}亿 "
                                 f"({'|'.join(t['how'] for t in after_rows) or 'none'})")
            elif w["metric"] == "reopening_rate":
                want_pop = resolve.population(str(w.get("scope") or ""))
                rows = [t for t in tables["park_totals"] if t["park"] in names and t["metric"] == "reopening_rate"]
                same = [t for t in rows if t["scope"] == want_pop] or (rows if len(rows) == 1 else [])
                ok = any(Decimal(t["value"]) == value for t in same)
                tally["rates"][0] += 1
                tally["rates"][1] += ok
                if not ok:
                    lines.append(f"  WRONG {a['id']}: {w['park']} rate want {w['value']} of {want_pop}, got "
                                 f"{[(t['scope'], t['value']) for t in rows]}")
    n, before, after = tally["amounts"]
    print(f"\n== park totals to cite, {sum(1 for a in articles if annotations.get(a['id']))} articles ==")
    print(f"amounts (signed, subsidy total, financing): {n} annotated; right before resolution {before} "
          f"({before / n:.2f}), after {after} ({after / n:.2f})" if n else "no amounts annotated")
    for how, (k, b, c) in sorted(by_how.items()):
        print(f"  {how:18} {k:3} annotated, before {b:3}, after {c:3}")
    rn, rr = tally["rates"]
    if rn:
        print(f"reopening rates (latest per population): {rn} annotated, right {rr} ({rr / rn:.2f})")
    if not quiet:
        print("\n".join(lines))
    return {"amounts": {"annotated": n, "before": before, "after": after}, "rates": {"annotated": rn, "right": rr},
            "by_how": {k: dict(zip(("annotated", "before", "after"), v)) for k, v in by_how.items()}}


def mirror_text(text: str, n: int) -> str:
    """A re-post as another site makes it: traditional script, full-width digits, its own header and footer."""
    body = opencc.OpenCC("s2t").convert(text).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return (f"首頁 > 新聞中心 > 園區動態 > 正文\n轉載自 第{n}財經網 2020-06-0{1 + n % 9} 10:{10 + n % 50} 來源：網絡\n" + body +
            "\n責任編輯：王五\n版權聲明：本網轉載的作品，均註明來源，僅供參考。如有侵權請聯繫刪除。\n分享到：微信 微博 QQ空間\n")


def score_mirrors(articles: list[dict], texts: dict[str, str]) -> dict:
    dev = [a for a in articles if a.get("split") == "dev" and a["id"] in texts]
    originals = [(a["id"], texts[a["id"]]) for a in dev]
    copies = [(f"{doc_id}__mirror", mirror_text(text, k)) for k, (doc_id, text) in enumerate(originals)]
    _, alone, _ = build(originals)
    _, together, documents = build(originals + copies)
    duplicate_of = {d["doc_id"]: d["duplicate_of"] for d in documents}
    kept = {doc_id for doc_id, _ in originals} & set(duplicate_of)     # articles with a park (in the dataset)
    copies = [(c, t) for c, t in copies if c.removesuffix("__mirror") in kept]
    found = sum(duplicate_of.get(c) == c.removesuffix("__mirror") or duplicate_of.get(c.removesuffix("__mirror")) == c
                for c, _ in copies if c in duplicate_of)
    wrong = sorted(d for d in kept if duplicate_of[d] and duplicate_of[d] != f"{d}__mirror")
    key = lambda t: (t["park_id"], t["metric"], t["basis"], t["scope"])
    before = {key(t): t["value"] for t in alone["park_totals"]}
    after = {key(t): t["value"] for t in together["park_totals"]}
    changed = sorted(k for k in before if after.get(k) != before[k])
    print(f"\n== re-posted copies: {len(copies)} copies of the {len(kept)} dev articles in the dataset (traditional, "
          f"full-width, other header and footer) ==")
    print(f"copies found {found} of {len(copies)}; originals called a copy of another story: {len(wrong)} {wrong}; "
          f"park totals changed by adding the copies: {len(changed)} of {len(before)}")
    return {"copies": len(copies), "found": found, "false": len(wrong), "totals": len(before), "changed": len(changed)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    articles = load_manifest()
    missing = missing_texts(articles)
    if missing:
        print(restore_help(missing, CORPUS))
        return 2
    texts = {}
    for a in articles:
        try:
            texts[a["id"]] = read_article(CORPUS / f"{a['id']}.txt")[0]
        except InputError as e:
            print(f"skipped {a['id']}: {e}")
    annotations = {e["id"]: e.get("totals") or [] for e in yaml.safe_load(TOTALS.read_text(encoding="utf-8")) or []}
    annotations.update({a["id"]: a["totals"] for a in articles if a.get("totals") is not None})   # later entries
    score_totals(articles, annotations, texts, args.quiet)
    score_mirrors(articles, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
