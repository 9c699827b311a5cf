"""`python -m bench.lawcheck`: the automatic checks of normative documents
(renda.assist.lawcheck) on documents of growing length.

The documents are the demo year's 17 normative documents (src/renda/demo/data/filing_2020),
checked one by one (1×), and joined into longer documents of 10× and 100× their average
length. Baseline, measured in the same run on the same texts: one pass of a regular
expression that only finds the 《…》 citations (what any check must at least read). Prints
the median over --runs of the time per document, and the ratio to that baseline — the
machine is shared and noisy, the ratio is what to compare between runs. Also the time to
load the committed law index once. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "renda" / "demo" / "data" / "filing_2020"
CITE = re.compile(r"《[^《》\n]{2,150}》")


def _median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from renda.assist import lawindex
    from renda.assist.lawcheck import check_document

    start = time.perf_counter()
    lawindex.load_index()
    print(f"law index loaded once in {(time.perf_counter() - start) * 1000:.0f} ms")

    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    day = date(2020, 12, 31)
    print(f"{'documents':>14} {'chars/doc':>10} {'check ms/doc':>13} {'baseline ms/doc':>16} {'ratio':>7}")
    for scale in (1, 10, 100):
        if scale == 1:
            docs = texts
        else:
            joined = "\n".join(texts)
            docs = [(joined * (scale // len(texts) + 1))[: sum(map(len, texts)) // len(texts) * scale]]
        check = _median_ms(lambda docs=docs: [check_document(t, published=day) for t in docs], args.runs) / len(docs)
        base = _median_ms(lambda docs=docs: [CITE.findall(t) for t in docs], args.runs) / len(docs)
        chars = sum(map(len, docs)) // len(docs)
        print(f"{len(docs):>8} × {scale:>3}× {chars:>10,} {check:>13.2f} {base:>16.3f} {check / base:>7.0f}")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.config.settings")
    django.setup()
    main()
