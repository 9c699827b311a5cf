"""The message list says nothing of who may see a contact (review finding 8): it showed
`show_contact=True` for every row, units' referred messages included, with a comment saying
every row was the reader's own. A unit's list must never carry the constituent's name or
phone, whatever a later template adds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renda.deputies import stations as services

pytestmark = pytest.mark.django_db

TEXT = "村口道路坑洼严重，雨天积水，老人孩子出行不便，希望尽快修缮。"


def test_a_units_list_of_referred_messages_has_no_contact(world, client_for):
    m = services.receive_message(
        services.code_for(world.deputy), {"text": TEXT, "name": "赵六", "contact": "13700007777"}
    )
    services.refer(world.users["staff"], m, world.unit_a, "已转交市教育局办理。")
    listing = client_for("unit").get(reverse("deputies:messages"))
    body = listing.content.decode()
    assert m.receipt in body and "13700007777" not in body and "赵六" not in body
    assert "show_contact" not in listing.context
