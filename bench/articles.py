"""`python -m bench.articles`: the article-level diff (renda.legislation.articles.diff) on a real ~100-article pair.

The two versions of 《中华人民共和国立法法》 in tests/data/regulations/ (2015: 105 articles; 2023: 120), parsed
once; then the median of several runs of `diff(old, new)` against difflib.SequenceMatcher(...).ratio() on the two
joined texts (the naive whole-text character diff), and their ratio. Parsing is timed apart.

Not part of the test suite. Options: --runs 15
Exit status 1 if the median diff time is 100 ms or more.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from pathlib import Path

GOAL_MS = 100.0
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "regulations"


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.articles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs (median shown)")
    args = parser.parse_args(argv)
    from renda.legislation.articles import diff, parse, render

    old_src = (DATA / "立法法_2015-03-15.txt").read_text(encoding="utf-8")
    new_src = (DATA / "立法法_2023-03-13.txt").read_text(encoding="utf-8")
    old, new = parse(old_src), parse(new_src)
    a, b = render(old), render(new)
    parse_ms = timed(lambda: parse(new_src), args.runs)
    diff_ms = timed(lambda: diff(old, new), args.runs)
    difflib_ms = timed(lambda: difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), max(3, args.runs // 3))
    changes = diff(old, new)
    kinds = {k: sum(c.kind == k for c in changes) for k in sorted({c.kind for c in changes})}
    print(f"立法法 2015 → 2023: {len(old.articles)} → {len(new.articles)} articles, {len(a)} → {len(b)} characters")
    print(f"  parse (one version)             {parse_ms:8.1f} ms")
    print(f"  diff (article level)            {diff_ms:8.1f} ms   goal < {GOAL_MS:.0f} ms")
    print(f"  difflib ratio on joined texts   {difflib_ms:8.1f} ms")
    print(f"  diff / difflib                  {diff_ms / difflib_ms:8.2f}")
    print(f"  changes: {kinds}")
    return 0 if diff_ms < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
