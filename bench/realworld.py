"""Score the loaders on real articles they were not written on (the development corpus).

The articles are real 2020 news pages found with the search tool; their text is third-party and never
committed. `bench/realworld/manifest.yaml` holds, per article, its address, the query that finds it and
our own annotation (parks with province and type; reopening_rate, subsidy_amount, signed_investment and
financing_amount figures; measure types). The texts live in the git-ignored `corpus/realworld/`.

    python bench/realworld.py [--split dev|heldout_a|heldout_b|all] [--quiet] [--ids ID ...]

Builds the corpus (the loaders' own `process` + `assemble`, as `loaders build` does) and prints, for each
split: park recall and precision, province accuracy, precision and recall of each metric and of measure
types, the article's publication date (`loaders.extract.dates.published_date` against the `published` annotation),
then every missed and every wrong park, value, measure and date. It then scores the publication date on the
extra pages of `bench/realworld/dates.yaml` (texts in the git-ignored `corpus/dates/`), per split.
Exit 0 after scoring, 2 when texts are missing (it says how to restore them).
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import lexicon  # noqa: E402
from loaders.assemble.dataset import assemble  # noqa: E402
from loaders.extract.dates import published_date  # noqa: E402
from loaders.extract.normalize import normalize, to_simplified  # noqa: E402
from loaders.extract.pipeline import process  # noqa: E402
from loaders.articles.read import InputError, read_article  # noqa: E402

MANIFEST = ROOT / "bench" / "realworld" / "manifest.yaml"
CORPUS = ROOT / "corpus" / "realworld"
DATES = ROOT / "bench" / "realworld" / "dates.yaml"            # extra pages for the publication date
DATES_CORPUS = ROOT / "corpus" / "dates"
OUT = ROOT / "bench" / "out" / "realworld"
METRICS = ["reopening_rate", "subsidy_amount", "signed_investment", "financing_amount"]
MULTIPLIERS = {"": 1, "万": 10**4, "亿": 10**8, "千": 10**3, "百万": 10**6, "千万": 10**7}


def load_manifest(path: Path = MANIFEST) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def missing_texts(articles: list[dict], corpus: Path = CORPUS) -> list[dict]:
    return [a for a in articles if not (corpus / f"{a['id']}.txt").is_file()]


def restore_help(missing: list[dict], corpus: Path) -> str:
    lines = [f"{len(missing)} text(s) missing from {corpus}/ (third-party text is never committed).",
             "Restore each with the search tool: run a `pages` search with the query below, take the result",
             "at the address given, and save its text exactly as returned as the file named (UTF-8):"]
    for a in missing:
        lines.append(f"  {a['id']}.txt  query: {a['query']}  url: {a['url']}")
    return "\n".join(lines)


# ---- names and values -------------------------------------------------------------------------

def _suffix_pairs() -> list[tuple[str, str]]:
    suffixes = lexicon.parks()["suffixes"]
    return [(long, short[1]) for long, short in sorted(suffixes.items(), key=lambda kv: -len(kv[0]))]


def norm_name(name: str) -> str:
    """A park name in a comparable form: simplified, no brackets or 中国（…）, short suffix, no province."""
    s = to_simplified(str(name)).replace("(", "（").replace(")", "）").replace(" ", "")
    s = re.sub(r"^中国（[^）]*）", "", s)
    s = re.sub(r"（[^）]*）", "", s)
    s = re.sub(r"^.*?(?:自由贸易试验区|自贸试验区|自贸区)(?=.+片区$)", "", s)     # 河南自贸区郑州片区 -> 郑州片区
    for long, short in _suffix_pairs():
        if s.endswith(long):
            s = s[: -len(long)] + short
            break
    provinces = sorted(lexicon.regions()["province_full_names"].values(), key=len, reverse=True)
    provinces += [f"{p}省" for r in lexicon.regions()["regions"].values() for p in r] + \
        [p for r in lexicon.regions()["regions"].values() for p in r]
    for p in provinces:
        if s.startswith(p) and len(s) - len(p) >= 4:
            s = s[len(p):]
            break
    return s


def to_value(value) -> Decimal:
    """95.2 -> 95.2; '3200万元' -> 32000000; '1.2亿元' -> 120000000; '50%' -> 50."""
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "")
    m = re.fullmatch(r"([\d.]+)\s*(百万|千万|万|亿|千)?\s*(元|%)?", text)
    if not m:
        raise ValueError(f"cannot read the value {value!r}")
    try:
        return Decimal(m.group(1)) * MULTIPLIERS[m.group(2) or ""]
    except InvalidOperation as e:
        raise ValueError(f"cannot read the value {value!r}") from e


def readable_value(value) -> Decimal | None:
    """to_value, or None for a value the scorer cannot compare (another currency)."""
    try:
        return to_value(value)
    except ValueError:
        return None


# ---- building ---------------------------------------------------------------------------------

@dataclass
class Built:
    parks: dict[str, dict]                       # name -> park row
    doc_parks: dict[str, set[str]]               # doc_id -> park names it mentions
    facts: list[dict]
    measures: list[dict]
    published: dict[str, str] = field(default_factory=dict)   # doc_id -> its publication date, "" when none


def build(articles: list[dict], corpus: Path) -> Built:
    results = []
    for a in articles:
        try:
            text, _ = read_article(corpus / f"{a['id']}.txt")
        except InputError as e:
            print(f"skipped {a['id']}: {e}")
            continue
        results.append(process(a["id"], text))
    published = {r.doc_id: r.published for r in results}     # the pipeline's own (dates.published_date)
    results = [r for r in results if r.mentions]
    tables = assemble(results)
    parks = {p["name"]: p for p in tables["parks"]}
    by_id = {p["park_id"]: p["name"] for p in tables["parks"]}
    doc_parks: dict[str, set[str]] = defaultdict(set)
    for r in results:
        doc_parks[r.doc_id] |= {m["key"] for m in r.mentions if m["key"] in parks}
    facts = [{**f, "park": by_id[f["park_id"]]} for f in tables["facts"]]
    measures = [{**m, "park": by_id[m["park_id"]]} for m in tables["measures"]]
    for row in facts + measures:
        doc_parks[row["doc_id"]].add(row["park"])
    return Built(parks, doc_parks, facts, measures, published)


# ---- scoring ----------------------------------------------------------------------------------

@dataclass
class Tally:
    hit: int = 0
    pred: int = 0
    want: int = 0
    misses: list[str] = field(default_factory=list)
    wrongs: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.hit / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.hit / self.want if self.want else None


def match_parks(annotated: list[dict], predicted: set[str], built: Built) -> dict[str, str]:
    """predicted name -> annotated name, by the annotated name or aliases against the name or aliases."""
    keys = {}
    for park in annotated:
        for spelling in [park["name"], *park.get("aliases", [])]:
            keys.setdefault(norm_name(spelling), park["name"])
    out = {}
    for name in sorted(predicted):
        row = built.parks[name]
        for spelling in [name, *[a for a in row["aliases"].split("|") if a]]:
            if norm_name(spelling) in keys:
                out[name] = keys[norm_name(spelling)]
                break
    return out


def is_listed(park: dict) -> bool:
    """A zone of an official list: as annotated (`listed`), else when the gazetteer knows its name or an alias."""
    if "listed" in park:
        return bool(park["listed"])
    spellings = {norm_name(n) for n in lexicon_spellings()}
    return any(norm_name(n) in spellings for n in [park["name"], *park.get("aliases", [])])


@functools.cache
def lexicon_spellings() -> frozenset:
    return frozenset(n for entries in lexicon.gazetteer().values() for name, e in entries.items()
                     for n in [name, *(e or {}).get("aliases", [])])


def score(articles: list[dict], built: Built) -> dict[str, Tally]:
    t = {k: Tally() for k in ["parks", "parks_listed", "parks_unlisted", "province", *METRICS, "measures"]}
    facts_by_doc, measures_by_doc = defaultdict(list), defaultdict(list)
    for f in built.facts:
        facts_by_doc[f["doc_id"]].append(f)
    for m in built.measures:
        measures_by_doc[m["doc_id"]].append(m)
    for a in articles:
        doc = a["id"]
        annotated = a.get("parks") or []
        predicted = built.doc_parks.get(doc, set())
        matched = match_parks(annotated, predicted, built)
        found = set(matched.values())
        t["parks"].want += len(annotated)
        t["parks"].pred += len(predicted)
        t["parks"].hit += len(found)
        for park in annotated:
            if park["name"] not in found:
                t["parks"].misses.append(f"{doc}: {park['name']} ({park.get('province', '')})")
            # recall apart for zones on an official list and zones the grammar must read (issue 17)
            part = t["parks_listed" if is_listed(park) else "parks_unlisted"]
            part.want += 1                # recall only: a found park is not annotated as listed or not
            part.hit += park["name"] in found
        for name in sorted(predicted - set(matched)):
            t["parks"].wrongs.append(f"{doc}: {name} ({built.parks[name]['province']})")
        by_name = {p["name"]: p for p in annotated}
        for pred, ann in matched.items():
            if not by_name[ann].get("province"):
                continue
            t["province"].want += 1
            t["province"].pred += 1
            got = built.parks[pred]["province"]
            if got == by_name[ann]["province"]:
                t["province"].hit += 1
            else:
                t["province"].wrongs.append(f"{doc}: {ann} placed in {got or '(none)'}, is {by_name[ann]['province']}")

        # facts: one annotated value matches at most one predicted row
        for metric in METRICS:
            want = [(p["name"], readable_value(f["value"]), f) for p in annotated for f in p.get("facts") or []
                    if f["metric"] == metric]
            # an amount in another currency (7000万美元) is no figure in 元: not scored, reported as such
            for name, _, f in [w for w in want if w[1] is None]:
                t[metric].misses.append(f"{doc}: {name} {f['value']} (not in 元: not scored)")
            want = [w for w in want if w[1] is not None]
            got = [f for f in facts_by_doc[doc] if f["metric"] == metric]
            t[metric].want += len(want)
            t[metric].pred += len(got)
            left = list(want)
            for f in got:
                owner = matched.get(f["park"])
                value = Decimal(f["value"])
                hit = next((w for w in left if w[0] == owner and w[1] == value), None)
                if hit:
                    left.remove(hit)
                    t[metric].hit += 1
                else:
                    why = "no such park" if owner is None else "not annotated"
                    t[metric].wrongs.append(f"{doc}: {f['park']} {f['value']}{f['unit']} [{f['basis']}|{f['scope']}] "
                                            f"({why}) «{f['evidence'][:70]}»")
            for name, value, f in left:
                t[metric].misses.append(f"{doc}: {name} {f['value']} {f.get('scope', '') or ''} {f.get('basis', '') or ''}")

        want_m = {(p["name"], code) for p in annotated for code in p.get("measures") or []}
        got_m = {(matched.get(m["park"]), m["measure_type"], m["park"]) for m in measures_by_doc[doc]}
        t["measures"].want += len(want_m)
        t["measures"].pred += len(got_m)
        seen = set()
        for owner, code, name in sorted(got_m, key=str):
            if (owner, code) in want_m and (owner, code) not in seen:
                seen.add((owner, code))
                t["measures"].hit += 1
            else:
                t["measures"].wrongs.append(f"{doc}: {name} {code}")
        for name, code in sorted(want_m - seen):
            t["measures"].misses.append(f"{doc}: {name} {code}")
    if any("published" in a for a in articles):
        t["published"] = score_published(articles, built.published)
    return t


@dataclass
class DateTally(Tally):
    """Publication dates: hit = right date; pred = dates given; want = articles annotated with a date."""
    wrong: int = 0        # a date given, but another one
    missed: int = 0       # annotated with a date, none given
    spurious: int = 0     # annotated null, a date given
    empty: int = 0        # annotated null, none given
    n: int = 0            # articles annotated (date or null)

    def add(self, doc: str, want: str, got: str) -> None:
        self.n += 1
        self.want += bool(want)
        self.pred += bool(got)
        if want and got == want:
            self.hit += 1
        elif want and got:
            self.wrong += 1
            self.wrongs.append(f"{doc}: {got}, is {want}")
        elif want:
            self.missed += 1
            self.misses.append(f"{doc}: {want}")
        elif got:
            self.spurious += 1
            self.wrongs.append(f"{doc}: {got}, gives none")
        else:
            self.empty += 1

    @property
    def accuracy(self) -> float | None:
        return (self.hit + self.empty) / self.n if self.n else None

    def counts(self) -> str:
        return (f"accuracy {fmt(self.accuracy)} over {self.n} ({self.want} dated, {self.n - self.want} none): "
                f"correct {self.hit}, wrong date {self.wrong}, missed {self.missed}, spurious {self.spurious}, "
                f"none and none {self.empty}")


def annotated_date(value) -> str:
    """The `published` annotation as YYYY-MM-DD ("" for null); YAML reads a bare date as a date object."""
    return "" if value in (None, "") else str(value)


def score_published(articles: list[dict], published: dict[str, str]) -> DateTally:
    t = DateTally()
    for a in articles:
        if "published" in a:
            t.add(a["id"], annotated_date(a["published"]), published.get(a["id"], ""))
    return t


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def report(split: str, articles: list[dict], t: dict[str, Tally], quiet: bool) -> dict:
    provinces = {p.get("province") for a in articles for p in a.get("parks") or []} - {None, ""}
    print(f"\n== {split}: {len(articles)} articles, {len(provinces)} provinces, "
          f"{sum(a.get('script') == 'traditional' for a in articles)} traditional ==")
    print(f"{'':20} {'precision':>9} {'recall':>7} {'hit':>5} {'found':>6} {'annotated':>9}")
    rows = {}
    for key, tally in t.items():
        label = {"province": "province accuracy", "published": "published date"}.get(key, key)
        print(f"{label:20} {fmt(tally.precision):>9} {fmt(tally.recall):>7} {tally.hit:>5} {tally.pred:>6} {tally.want:>9}")
        rows[key] = {"precision": tally.precision, "recall": tally.recall, "hit": tally.hit,
                     "found": tally.pred, "annotated": tally.want}
    if "published" in t:
        print(f"  published date: {t['published'].counts()}")
        rows["published"].update(date_counts(t["published"]))
    if not quiet:
        for key, tally in t.items():
            for line in tally.misses:
                print(f"  MISS  {key}: {line}")
            for line in tally.wrongs:
                print(f"  WRONG {key}: {line}")
    return rows


def date_counts(t: DateTally) -> dict:
    return {"accuracy": t.accuracy, "articles": t.n, "correct": t.hit, "wrong": t.wrong, "missed": t.missed,
            "spurious": t.spurious, "none_and_none": t.empty}


def score_date_pages(path: Path, corpus: Path, quiet: bool) -> dict:
    """The publication date on the extra pages of dates.yaml, per split (survey | blind)."""
    try:
        pages = load_manifest(path)
    except (OSError, yaml.YAMLError) as e:
        print(f"\n(date pages not scored: {path}: {e})")
        return {}
    missing = missing_texts(pages, corpus)
    if missing:
        print("\n(date pages not scored) " + restore_help(missing, corpus))
        return {}
    published = {}
    for p in pages:
        try:
            text, _ = read_article(corpus / f"{p['id']}.txt")
        except InputError as e:
            print(f"skipped {p['id']}: {e}")
            continue
        published[p["id"]] = published_date(normalize(text))
    figures = {}
    splits = list(dict.fromkeys(p.get("split", "survey") for p in pages))
    print(f"\n== publication date on {len(pages)} extra pages ({path.name}) ==")
    print(f"{'':20} {'precision':>9} {'recall':>7} {'hit':>5} {'found':>6} {'annotated':>9}")
    tallies = {split: score_published([p for p in pages if p.get("split", "survey") == split], published)
               for split in splits}
    tallies["all"] = score_published(pages, published)
    for split, t in tallies.items():
        print(f"{split:20} {fmt(t.precision):>9} {fmt(t.recall):>7} {t.hit:>5} {t.pred:>6} {t.want:>9}")
        figures[split] = {"precision": t.precision, "recall": t.recall, "hit": t.hit, "found": t.pred,
                          "annotated": t.want, **date_counts(t)}
    for split, t in tallies.items():
        print(f"  {split}: {t.counts()}")
    if not quiet:
        for line in tallies["all"].misses:
            print(f"  MISS  published: {line}")
        for line in tallies["all"].wrongs:
            print(f"  WRONG published: {line}")
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="all", help="dev, heldout_a, heldout_b … or all (default)")
    ap.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    ap.add_argument("--ids", nargs="*", help="only these article ids")
    ap.add_argument("--manifest", type=Path, default=MANIFEST)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--dates", type=Path, default=DATES, help="extra pages for the publication date")
    ap.add_argument("--dates-corpus", type=Path, default=DATES_CORPUS)
    args = ap.parse_args(argv)
    try:
        articles = load_manifest(args.manifest)
    except (OSError, yaml.YAMLError) as e:
        print(f"error: {args.manifest}: {e}")
        return 2
    if args.ids:
        articles = [a for a in articles if a["id"] in set(args.ids)]
    missing = missing_texts(articles, args.corpus)
    if missing:
        print(restore_help(missing, args.corpus))
        return 2
    built = build(articles, args.corpus)
    order = ["dev", "heldout_a", "heldout_b"]
    present = sorted({a.get("split", "dev") for a in articles}, key=lambda x: (order.index(x) if x in order else 9, x))
    splits = present if args.split == "all" else [args.split]
    figures = {}
    for split in splits:
        part = [a for a in articles if a.get("split", "dev") == split]
        if part:
            figures[split] = report(split, part, score(part, built), args.quiet)
    if args.split == "all" and not args.ids and args.dates.is_file():
        figures["date_pages"] = score_date_pages(args.dates, args.dates_corpus, args.quiet)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "score.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
