"""The fuzz tests' one knob: RENDA_FUZZ_EXAMPLES.

Unset (`make test`): a few examples each, derandomized, so that a run is stable and bounded.
Set (`make fuzz` sets 200): that many examples each, random, so that every run explores
anew. Never a database of examples (the tree stays clean).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_SET = os.environ.get("RENDA_FUZZ_EXAMPLES", "").strip()
DEEP = bool(_SET)
# API: examples per operation and role in the bounded run (87 operations x 3 roles).
API_EXAMPLES = int(_SET) if DEEP else 1
# importers and the extractor: examples per property in the bounded run.
FILE_EXAMPLES = int(_SET) if DEEP else 25


def _settings(examples: int, deadline) -> settings:
    return settings(
        max_examples=examples,
        deadline=deadline,
        database=None,
        derandomize=not DEEP,
        # shrinking only in the deep run: the bounded one reports what it finds as found
        phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if DEEP else []),
        suppress_health_check=list(HealthCheck),
        print_blob=DEEP,
    )


def api_settings() -> settings:
    return _settings(API_EXAMPLES, deadline=None)


def file_settings(examples: int | None = None, deadline=None) -> settings:
    return _settings(examples or FILE_EXAMPLES, deadline=deadline)


STATS: dict[str, dict[str, int]] = {}


def report(name: str, counts) -> None:
    """Counts of a fuzz test (requests, 2xx/4xx/5xx, server errors, examples), printed in
    the terminal summary (tests/conftest.py)."""
    STATS[name] = dict(counts)
