"""Write the article parser's test fixtures (tests/data/regulations/) from the laws corpus.

Usage: python tools/regulation_fixtures.py [../shared/data/laws/laws.jsonl]
One plain-text file per act-version: the title on the first line, then the body as in the corpus
with its markdown heading marks (#) removed, so the files look like texts pasted by a user.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

# id prefixes in the corpus (LawRefBook/Laws @ 2f4c5c2), chosen for varied structure
CHOSEN = [
    # two versions each: 立法法, 监督法, 农药管理条例, 北京市制定地方性法规条例
    "3adbe480", "9d21d64c", "3d77d578", "479672f1", "65918921", "88474d16", "2f2499c1", "523d987f",
    "d0cca8d3",  # 刑事诉讼法: 编/章/节
    # 设区的市 regulations from 山东, 河南, 浙江: with and without 章, with 节, with 附则
    "e43f6c36", "b7ec469c", "b33766e6", "39e7a202", "f97721bd", "b3de4f10",
    "07997b65", "e38dad0c", "e36cc593", "a873b323",
    "53a02585", "b6d5b878", "753ce697",
]  # fmt: skip

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "regulations"


def main(corpus: str) -> None:
    records = {}
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            for prefix in CHOSEN:
                if record["id"].startswith(prefix):
                    records[prefix] = record
    rows = []
    for prefix in CHOSEN:
        r = records[prefix]
        name = f"{r['short_title']}_{r['version_date']}.txt"
        body = re.sub(r"^#+\s*", "", r["text"], flags=re.M).replace("\u200b", "")
        (OUT / name).write_text(f"{r['title']}\n\n{body.strip()}\n", encoding="utf-8")
        nxt = next((p for p in CHOSEN if r["superseded_by"] and records[p]["id"] == r["superseded_by"]), None)
        rows.append([name, r["title"], r["category"], r["region"] or "", r["version_date"], r["id"], r["source_path"],
                     f"{records[nxt]['short_title']}_{records[nxt]['version_date']}.txt" if nxt else ""])  # fmt: skip
    with open(OUT / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["file", "title", "category", "region", "version_date", "corpus_id", "source_path", "next_version"]
        )
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/laws/laws.jsonl")
