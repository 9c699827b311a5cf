"""The demo year: built by code through the same services users call, deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

SEED = 2020
DEMO_PASSWORD = "Renda2020!"


@dataclass
class DemoContext:
    admin: object
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    fake: Faker = field(default_factory=lambda: _faker())
    refs: dict = field(default_factory=dict)  # what one builder leaves for the next ones
    accounts: list = field(default_factory=list)  # (username, password, description)
    # steps that need records of builders running after this one (a link to their case):
    # run in order once every builder has run; a step finds nothing when its case's
    # builder was left out (--only)
    later: list = field(default_factory=list)

    def account(self, username: str, description: str, password: str = DEMO_PASSWORD):
        self.accounts.append((username, password, description))


def _faker() -> Faker:
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    return fake
