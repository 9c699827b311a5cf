"""The load benchmark's harness keeps working: `python -m bench.load` at a tiny size (5
deputies, one ballot, SQLite, one gunicorn worker), in its own process as `make bench-load`
runs it. The figures are not checked here (bench/README.md has them); what is checked is
that every request succeeded and the database checks found what the run wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_plenary_peak_smoke():
    # as `make bench-load` runs it: none of the suite's own settings (keys, plain HTTP …)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL") and not k.startswith("RENDA_")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--sqlite",
        *("--deputies", "5", "--ballots", "1", "--staff", "2", "--staff-views", "2"),
        *("--baseline-requests", "20", "--workers", "1", "--threads", "2", "--concurrency", "4"),
    ]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "0 errors: yes" in out and "database checks: passed" in out, out
    # every endpoint of the mix was exercised: 5 drafts and submits, 5 votes, 2 views of each page
    for name, count in [
        ("suggestion create", 5),
        ("suggestion submit", 5),
        ("ballot vote", 5),
        ("page: suggestion list", 2),
        ("page: workbench", 2),
        ("api: ballot result", 2),
    ]:
        line = next(line for line in out.splitlines() if line.strip().startswith(name))
        assert line.split()[-6:-4] == [str(count), "0"], line
    assert "suggestions: 5 rows, 5 distinct lead deputies, states {'submitted': 5}" in out
    assert "votes: 5 casts in 1 ballots" in out
