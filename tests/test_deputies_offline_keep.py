"""The offline worker keeps only the signed-in deputy's own pages (review finding 1): a page
is marked by its view (`X-Renda-Offline: keep`) and the worker keeps no other. A keeper's
pages under /work/deputies/ — a constituent's message with name and phone, the roster,
another deputy's archive — must never be marked, or they stay in a shared browser's cache
storage after sign-out, readable offline."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from factories import add_station_samples
from renda.core.offline import KEEP_HEADER
from renda.deputies import services

pytestmark = pytest.mark.django_db


def kept(response) -> bool:
    return response.status_code == 200 and response.get(KEEP_HEADER) == "keep"


def test_the_deputys_own_pages_are_kept(world, client_for):
    entry = services.record_activity(
        world.users["deputy"], world.deputy, kind="visit", on=date(2020, 7, 1), place="狼山镇"
    )
    c = client_for("deputy")
    for url in (
        reverse("deputies:activities"),
        reverse("deputies:activity_create"),
        reverse("deputies:activity", args=[entry.pk]),
        reverse("deputies:archive", args=[world.deputy.pk]),
    ):
        page = c.get(url)
        assert kept(page), url
    assert 'name="renda-offline"' in c.get(reverse("deputies:archive", args=[world.deputy.pk])).content.decode()


def test_no_page_of_a_keeper_or_of_another_deputy_is_kept(world, client_for):
    add_station_samples(world)
    message = world.samples["meet_message"]
    entry = services.record_activity(
        world.users["deputy"], world.deputy, kind="visit", on=date(2020, 7, 1), place="狼山镇"
    )
    staff = client_for("staff")
    for url in (
        reverse("deputies:message", args=[message.pk]),  # the constituent's name and phone
        reverse("deputies:messages"),
        reverse("deputies:roster"),
        reverse("deputies:queue"),
        reverse("deputies:evaluation"),
        reverse("deputies:activity", args=[entry.pk]),
        reverse("deputies:archive", args=[world.deputy.pk]),
    ):
        page = staff.get(url)
        assert page.status_code == 200 and not kept(page), url
    # a reader of another's archive does not get the offline app (no worker registered)
    archive = staff.get(reverse("deputies:archive", args=[world.deputy.pk])).content.decode()
    assert 'name="renda-offline"' not in archive
    # the deputy's own message page is theirs to answer, not to keep on the device
    assert not kept(client_for("deputy").get(reverse("deputies:message", args=[message.pk])))


def test_a_form_holding_what_was_typed_is_not_kept(world, client_for):
    refused = client_for("deputy").post(reverse("deputies:activity_create"), {"kind": "visit", "place": ""})
    assert refused.status_code == 200 and not kept(refused)


def test_the_worker_keeps_only_marked_pages_and_the_app_opens_on_a_kept_page(client):
    code = client.get(reverse("deputies:sw")).content.decode()
    assert f'"keep": "{KEEP_HEADER}"' in code
    assert "r.headers.get(CONFIG.keep)" in code  # the test of every kept page
    # the workbench is fetched at install but kept only when its view marks it: for a user who
    # is a deputy and nothing else (tests/test_deputies_offline_forms.py: a keeper's is not)
    assert '"/work/"' in code.split("\n", 1)[0].split('"pages"')[1].split("]")[0]
    manifest = client.get(reverse("deputies:webmanifest")).json()
    assert manifest["start_url"] == reverse("deputies:activities") and manifest["scope"] == "/work/"
