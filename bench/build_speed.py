"""Benchmark: the loaders' build against bare jieba segmentation of the same text, side by side.

Builds a synthetic corpus (seed paragraphs recombined, park names swapped for other gazetteer parks),
then times in one run:
  1. bare `jieba.lcut` over every article (one process, dictionary already loaded),
  2. the full build (`loaders.cli.build`: read, normalize, parks, facts, measures, resolution, write), both cores,
  3. extraction alone on one process, and the resolution stage (loaders/resolve/: re-posted copies, figures,
     park totals) on its results, as a share of the full build.
Prints characters per second, the ratios, and peak memory.

    python bench/build_speed.py [--articles 2000]
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import lexicon, resolve  # noqa: E402
from loaders.cli import build, process_all  # noqa: E402
from loaders.assemble.dataset import assemble  # noqa: E402
from loaders.extract.measures import segmenter  # noqa: E402
from loaders.extract.normalize import normalize  # noqa: E402


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def vary(paragraph: str, rng: random.Random) -> str:
    """The paragraph with its figures changed: a year stays, a month becomes 1–6 and a day 1–28, a percentage
    60–110% of itself (at most 100), any other number a quarter to four times itself, each with as many decimals
    as it had (so 35.6亿元 stays a one-decimal figure, 150家 a whole number)."""
    def one(m: re.Match) -> str:
        digits, after = m.group(), paragraph[m.end():m.end() + 1]
        if after == "年" or m.start() and paragraph[m.start() - 1] in "+-.":
            return digits
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        if after == "月":
            return str(rng.randint(1, 6))
        if after == "日":
            return str(rng.randint(1, 28))
        value = float(digits) * (rng.uniform(0.6, 1.1) if after in "%％" else 2 ** rng.uniform(-2, 2))
        if after in "%％":
            value = min(value, 100)
        return f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))
    return NUMBER.sub(one, paragraph)


def corpus(n: int, folder: Path, chars: int | None = None, vary_figures: bool = False, seed: int = 2020) -> int:
    """Write n articles into folder; returns the number of characters written. Each article is seed paragraphs
    recombined (4–9 of them, or with `chars` as many as make about `chars` characters), its parks swapped for
    gazetteer parks (most for one park, the article's own), its figures changed when `vary_figures` (vary())."""
    rng = random.Random(seed)
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs += [p for p in normalize(path.read_text(encoding="utf-8")).split("\n") if len(p) > 20]
    names = sorted(n for section in lexicon.gazetteer().values() for n in section)
    seed_parks = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:经济技术开发区|经开区|高新区|新区|工业园区)")
    total = 0
    for i in range(n):
        if chars:
            target, picked = rng.uniform(0.7, 1.1) * chars, []   # the last paragraph overshoots ~10%
            while sum(map(len, picked)) < target:
                picked.append(rng.choice(paragraphs))
        else:
            picked = rng.sample(paragraphs, rng.randint(4, 9))
        park = rng.choice(names)
        picked = [vary(p, rng) for p in picked] if vary_figures else picked
        text = "\n\n".join(seed_parks.sub(lambda m: park if rng.random() < 0.7 else rng.choice(names), p) for p in picked)
        (folder / f"bench_{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
        total += len(text)
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "data"
        seeds.mkdir()
        chars = corpus(args.articles, seeds)
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())]

        tok = segmenter()                     # dictionary loading is not part of either timing
        started = time.perf_counter()
        for t in texts:
            tok.lcut(t)
        bare = time.perf_counter() - started

        started = time.perf_counter()
        status = build(seeds, out, echo=lambda line: None)
        full = time.perf_counter() - started
        assert status == 0, "build failed"

        items = [(f"d{i}", t) for i, t in enumerate(texts)]
        started = time.perf_counter()
        results = [r for r in process_all(items, workers=1) if not isinstance(r, tuple) and r.mentions]
        single = time.perf_counter() - started

        # the resolution stage on the same results, as the build runs it: pairing re-posted copies, figures, totals
        tables = assemble(results)
        started = time.perf_counter()
        mirror_of = resolve.mark_copies(results, tables["documents"])
        resolved = resolve.resolve(tables["facts"], {r.doc_id: r.text for r in results}, tables["documents"])
        resolution = time.perf_counter() - started

    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"corpus: {args.articles} articles, {chars:,} characters")
    print(f"bare jieba.lcut (1 process):  {bare:6.2f} s  {chars / bare:>10,.0f} chars/s")
    print(f"loaders build   (all cores):  {full:6.2f} s  {chars / full:>10,.0f} chars/s")
    print(f"extraction only (1 process):  {single:6.2f} s  {chars / single:>10,.0f} chars/s")
    print(f"build / bare segmentation:    {full / bare:6.2f}x  (target <= 2.0); one process: {single / bare:.2f}x")
    print(f"resolution:                   {resolution:6.2f} s  = {resolution / full:.1%} of the build (target < 10%); "
          f"{len(tables['facts'])} facts -> {len(resolved.figures)} figures, {len(mirror_of)} copies paired")
    print(f"peak memory: parent {rss_self:.0f} MB, largest worker {rss_children:.0f} MB  (target < 500 MB)")


if __name__ == "__main__":
    main()
