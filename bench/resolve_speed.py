"""What the resolution stage costs: `loaders build` of a synthetic corpus of 2,000 articles (bench/build_speed.py's
corpus) timed in one run with and without its resolution (re-posted copies paired by MinHashLSH, facts -> figures
-> park totals), from the same processed results.

    python bench/resolve_speed.py [--articles 2000]

Prints the build time, the resolution time and their ratio (target: resolution under 10% of the build). The
MinHash signature of each article is made while the article is processed (pure, cached with its result), so it
is part of the build's per-article work, and its cost is measured apart too.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_speed import corpus  # noqa: E402
from loaders import cli, resolve  # noqa: E402
from loaders.dataset import assemble  # noqa: E402
from loaders.read import read_article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "data"
        seeds.mkdir()
        chars = corpus(args.articles, seeds)
        started = time.perf_counter()
        assert cli.build(seeds, out, echo=lambda *_: None, cache=None) == 0
        build_s = time.perf_counter() - started
        items = [(p.stem, read_article(p)[0]) for p in cli.article_files(seeds)]
        results = [r for r in cli.process_all(items) if not isinstance(r, tuple) and r.mentions]
        tables = assemble(results)
        texts = {r.doc_id: r.text for r in results}
        started = time.perf_counter()
        mirror_of = resolve.duplicates([{"doc_id": r.doc_id, "signature": r.signature, "shingles": r.shingles,
                                         "published": r.published, "chars": len(r.text)} for r in results])
        for d in tables["documents"]:
            d["duplicate_of"] = mirror_of.get(d["doc_id"], "")
        resolved = resolve.resolve(tables["facts"], texts, tables["documents"])
        resolve_s = time.perf_counter() - started
        started = time.perf_counter()
        for r in results:
            resolve.signature(r.text)
        signature_s = time.perf_counter() - started
    print(f"corpus: {args.articles} articles, {chars:,} characters; {len(tables['facts'])} facts -> "
          f"{len(resolved.figures)} figures, {len(resolved.totals)} park totals, {len(mirror_of)} copies paired")
    print(f"full build (both cores, resolution included): {build_s:.2f} s")
    print(f"resolution (pairing copies, figures, totals):  {resolve_s:.2f} s = {resolve_s / build_s:.1%} of the build")
    print(f"MinHash signatures, one process (per-article work): {signature_s:.2f} s")


if __name__ == "__main__":
    main()
