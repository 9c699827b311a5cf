"""The demo year's legislation (manifest `demo`): each part builds through the services."""

from .plan_demo import build_plan


def build(builder) -> None:
    build_plan(builder)
