"""Score the build against the hand-written fixture for the seeds; fail under 0.95."""
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "expected_seeds.yaml").read_text(encoding="utf-8"))
THRESHOLD = 0.95


def precision_recall(got: Counter, want: Counter) -> tuple[float, float]:
    hit = sum((got & want).values())
    return (hit / sum(got.values()) if got else 1.0), (hit / sum(want.values()) if want else 1.0)


def test_park_precision_and_recall(tables):
    got = Counter(p["name"] for p in tables["parks"])
    p, r = precision_recall(got, Counter(list(FIXTURE["parks"])))
    assert p >= THRESHOLD and r >= THRESHOLD, (p, r, set(got) ^ set(FIXTURE["parks"]))


def test_park_places(tables):
    places = {p["name"]: [p["province"], p["city"]] for p in tables["parks"]}
    right = sum(places.get(name) == place for name, place in FIXTURE["parks"].items())
    assert right / len(FIXTURE["parks"]) >= THRESHOLD


def test_each_metric_precision_and_recall(tables, park_names):
    got = Counter((park_names[f["park_id"]], f["metric"], Decimal(f["value"])) for f in tables["facts"])
    want = Counter((p, m, Decimal(str(v))) for p, m, v in FIXTURE["facts"])
    metrics = {k[1] for k in got} | {k[1] for k in want}
    report = {}
    for metric in sorted(metrics):
        g = Counter({k: n for k, n in got.items() if k[1] == metric})
        w = Counter({k: n for k, n in want.items() if k[1] == metric})
        report[metric] = precision_recall(g, w)
    failing = {m: pr for m, pr in report.items() if min(pr) < THRESHOLD}
    assert not failing, (failing, got - want, want - got)
