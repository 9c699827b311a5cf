"""Defects found by the review of the platform mechanisms (issue 9), each pinned by a test."""

import json
from datetime import date

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from renda.core import services as core
from renda.core.models import HandlingUnit, Role
from renda.core.scoping import visible
from renda.filing import services as filing_services
from renda.filing.models import Filing
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform
from test_filing import data
from test_suggestions import REPLY, draft, walk_to_handling


def test_merge_into_a_concluded_suggestion_is_refused(world):
    main = walk_to_handling(world)
    perform(main, "reply", world.users["unit"], REPLY, today=date(2020, 7, 20))
    perform(main, "evaluate", world.users["deputy"], {"satisfaction": "satisfied"}, today=date(2020, 7, 25))
    other = draft(world, title="关于另一件事的建议")
    perform(other, "submit", world.users["deputy"])
    with pytest.raises(ValidationError) as refused:  # not even offered (the form is narrowed)
        perform(other, "merge", world.users["staff"], {"into": main.pk, "note": "并案"})
    assert "into" in refused.value.message_dict


def test_intake_shows_a_plain_validation_error_on_the_form(db):
    from renda.core.intake import Intake
    from renda.filing.forms import ProposalForm

    fields = {
        "proposer_kind": "citizen",
        "proposer": "张三",
        "contact": "13800001234",
        "document_title": "某某办法",
        "address": "",
        "document_number": "",
        "issue": "第三条与上位法相抵触",
        "reasons": "认为该办法第三条与上位法相抵触，建议审查。" * 3,
    }
    request = RequestFactory().post("/x/", fields, REMOTE_ADDR="10.9.9.9")
    SessionMiddleware(lambda r: None).process_request(request)
    form = ProposalForm(fields)

    def save(_):
        raise ValidationError("今日已停止接收。")  # a service refusing without naming a field

    response = Intake("review-fixes", per_hour=5).submit(
        request, form, save, template="filing/public_propose.html", received="/ok/", robot="/robot/"
    )
    assert response.status_code == 200
    assert "今日已停止接收。" in response.content.decode()
    assert 'value="张三"' in response.content.decode()  # what was typed is kept


def test_a_discarded_draft_stays_with_its_filer(world):
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    gov = core.create_account(
        world.admin,
        username="gov",
        password="Gx7!pLm2qR",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    thrown = filing_services.file_document(gov, data(unit), submit=False)
    perform(thrown, "discard", gov)
    assert thrown.state == "discarded"
    for role in ("staff", "director", "member", "deputy"):
        assert not visible(world.users[role], Filing).filter(pk=thrown.pk).exists(), role
    assert visible(gov, Filing).filter(pk=thrown.pk).exists()


@pytest.mark.parametrize("value", [0, "0", "no", "off", "false", False])
def test_a_false_value_does_not_publish_a_case(world, client_for, value):
    """The case API reads yes/no strictly: Django's checkbox would take "0" or "no" for yes."""
    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    staff = client_for("staff")
    body = {"category": "农牧水利", "published": value}
    response = staff.post(
        f"/api/cases/suggestion/{s.pk}/transitions/register", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Suggestion.objects.get(pk=s.pk).published is False


@pytest.mark.parametrize("value", [[], {}, "maybe", 2, 0.0])
def test_an_unreadable_yes_no_is_refused_in_chinese(world, client_for, value):
    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    response = client_for("staff").post(
        f"/api/cases/suggestion/{s.pk}/transitions/register",
        json.dumps({"category": "农牧水利", "published": value}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "published", "message": "应为布尔值（true 或 false）。"}]
    assert Suggestion.objects.get(pk=s.pk).state == "submitted"


def test_a_multipart_zero_does_not_publish(world, client_for):
    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    response = client_for("staff").post(
        f"/api/cases/suggestion/{s.pk}/transitions/register", {"category": "农牧水利", "published": "0"}
    )
    assert response.status_code == 200, response.content
    assert Suggestion.objects.get(pk=s.pk).published is False


def test_a_list_for_a_text_field_is_refused(world, client_for):
    s = walk_to_handling(world)
    response = client_for("unit").post(
        f"/api/cases/suggestion/{s.pk}/transitions/reply",
        json.dumps({**REPLY, "text": ["第一段答复内容，已将管网改造列入计划。", "第二段"]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "列表" in json.dumps(response.json(), ensure_ascii=False)


def test_too_many_fields_get_a_chinese_answer(world, client_for):
    s = walk_to_handling(world)
    many = "&".join(f"f{i}=x" for i in range(1200))
    response = client_for("unit").post(
        f"/api/cases/suggestion/{s.pk}/transitions/reply", many, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "过多" in response.json()["detail"]


def test_one_units_act_leaves_anothers_notice_unread(world):
    """Acting on a case reads one's own notices about it, never another's: the lead unit's
    【交办】 stays unread when the assisting unit gives its opinion first."""
    from renda.core.models import Notification

    s = draft(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"}, today=date(2020, 5, 10))
    perform(
        s,
        "assign",
        world.users["staff"],
        {"lead_unit": world.unit_a.pk, "assisting_units": [world.unit_b.pk], "period": "3"},
        today=date(2020, 5, 10),
    )
    perform(s, "assist_opinion", world.users["other_unit"], {"opinion": "同意主办单位意见。"}, today=date(2020, 5, 11))
    lead = Notification.objects.get(user=world.users["unit"], text__startswith="【交办】")
    assisting = Notification.objects.get(user=world.users["other_unit"], text__startswith="【交办】")
    assert lead.read_at is None  # the lead unit has not seen it
    assert assisting.read_at is not None  # the assisting unit acted on the case


def test_the_merge_form_offers_only_open_registered_suggestions_of_the_congress(world, client_for):
    """并案 once listed every suggestion on the platform, other deputies' drafts included."""
    target = walk_to_handling(world)  # registered, open, same congress
    others_draft = draft(world, title="关于另一位代表草稿的建议")
    other = draft(world, title="关于待并案的建议")
    perform(other, "submit", world.users["deputy"])
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{other.pk}/merge/")
    assert page.status_code == 200
    offered = set(page.context["form"].fields["into"].queryset.values_list("pk", flat=True))
    assert offered == {target.pk}
    assert others_draft.pk not in offered and other.pk not in offered
    with pytest.raises(ValidationError):
        perform(other, "merge", world.users["staff"], {"into": others_draft.pk, "note": "并案"})
