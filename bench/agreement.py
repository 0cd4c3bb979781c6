"""Inter-annotator agreement: the manifest's annotation against a second one made independently, from the codebook
only (bench/realworld/second_annotation.yaml), on the same articles.

    python bench/agreement.py [--quiet]

Per item kind, agreement is the F1 of the two annotations taken as each other's reference (2·both / (first +
second)): parks by name (the same matching as bench/realworld.py: short forms, aliases, brackets), province on the
parks both name, each metric's facts by (park, value), measures by (park, code). Every disagreement is listed,
which is what ANNOTATING.md's "hard cases" settle.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from realworld import METRICS, load_manifest, norm_name, to_value  # noqa: E402

SECOND = ROOT / "bench" / "realworld" / "second_annotation.yaml"


def _names(park: dict) -> set[str]:
    return {norm_name(n) for n in [park["name"], *(park.get("aliases") or [])]}


def pair_parks(first: list[dict], second: list[dict]) -> dict[str, str]:
    """first name -> second name, for the parks both annotators name."""
    out = {}
    for a in first:
        for b in second:
            if b["name"] not in out.values() and _names(a) & _names(b):
                out[a["name"]] = b["name"]
                break
    return out


def agreement(articles: list[dict], seconds: dict[str, dict]) -> tuple[dict, list[str]]:
    counts = {k: [0, 0, 0] for k in ["parks", "province", *METRICS, "measures"]}   # both, first, second
    notes = []
    for a in articles:
        b = seconds.get(a["id"])
        if b is None:
            continue
        first, second = a.get("parks") or [], b.get("parks") or []
        paired = pair_parks(first, second)
        c = counts["parks"]
        c[0] += len(paired)
        c[1] += len(first)
        c[2] += len(second)
        notes += [f"{a['id']}: park only first: {p['name']}" for p in first if p["name"] not in paired]
        notes += [f"{a['id']}: park only second: {p['name']}" for p in second if p["name"] not in paired.values()]
        by_second = {p["name"]: p for p in second}
        for p in first:
            if p["name"] not in paired:
                continue
            q = by_second[paired[p["name"]]]
            c = counts["province"]
            c[1] += 1
            c[2] += 1
            if p.get("province") == q.get("province"):
                c[0] += 1
            else:
                notes.append(f"{a['id']}: {p['name']} province {p.get('province')} / {q.get('province')}")
        for metric in METRICS:
            want = [(p["name"], to_value(f["value"])) for p in first for f in p.get("facts") or [] if f["metric"] == metric]
            got = [(next((k for k, v in paired.items() if v == p["name"]), "?" + p["name"]), _value(f["value"]))
                   for p in second for f in p.get("facts") or [] if f["metric"] == metric]
            both = 0
            left = list(got)
            for w in want:
                if w in left:
                    left.remove(w)
                    both += 1
                else:
                    notes.append(f"{a['id']}: {metric} only first: {w[0]} {w[1]}")
            notes += [f"{a['id']}: {metric} only second: {g[0]} {g[1]}" for g in left]
            c = counts[metric]
            c[0] += both
            c[1] += len(want)
            c[2] += len(got)
        want_m = {(p["name"], m) for p in first for m in p.get("measures") or []}
        got_m = {(next((k for k, v in paired.items() if v == p["name"]), "?" + p["name"]), m)
                 for p in second for m in p.get("measures") or []}
        c = counts["measures"]
        c[0] += len(want_m & got_m)
        c[1] += len(want_m)
        c[2] += len(got_m)
    return counts, notes


def _value(value):
    try:
        return to_value(value)
    except ValueError:
        return str(value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    seconds = {e["id"]: e for e in yaml.safe_load(SECOND.read_text(encoding="utf-8")) or []}
    articles = [a for a in load_manifest() if a["id"] in seconds]
    counts, notes = agreement(articles, seconds)
    print(f"== agreement of two independent annotations, {len(articles)} articles ==")
    print(f"{'':20} {'F1':>5} {'both':>5} {'first':>6} {'second':>7}")
    for key, (both, first, second) in counts.items():
        f1 = 2 * both / (first + second) if first + second else None
        print(f"{key:20} {'  -  ' if f1 is None else f'{f1:.2f}':>5} {both:>5} {first:>6} {second:>7}")
    if not args.quiet:
        print("\n".join("  " + n for n in notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
