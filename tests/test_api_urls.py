"""The API's URL patterns grouped by first segment (config/urls.grouped) mean the same as
ninja's flat list: every API path resolves to the same view, and is tried before the pages."""

import re

from django.urls import get_resolver, resolve

from renda.api.api import api
from renda.config.urls import grouped


def sample_path(route: str) -> str:
    return "/api/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


def test_every_api_path_resolves_to_its_view_through_the_groups():
    patterns, _, _ = api.urls
    assert len(patterns) > 100
    first = {}  # ninja gives a path a pattern per operation's name; the first one resolves
    for pattern in patterns:
        first.setdefault(str(pattern.pattern), pattern.name)
    for route, name in first.items():
        path = sample_path(route)
        match = resolve(path)
        # (api.urls makes new view wrappers at each call: the name and the route say which path)
        assert (match.url_name, match.route) == (name, "api/" + route), path


def test_groups_keep_the_order_within_a_segment_and_the_api_comes_first():
    patterns, _, _ = api.urls
    regrouped, _, _ = grouped(api.urls)
    assert len(regrouped) < len(patterns) / 3  # a few dozen entries instead of one per path
    first = get_resolver().url_patterns[0]
    assert str(first.pattern) == "api/"
    vote = resolve("/api/ballots/1/votes")
    assert len(vote.tried) < 40  # was ≈ 255 patterns tried before the vote's own
