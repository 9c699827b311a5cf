"""The think tank (专家智库): the register and who reads it, the expert's mobile (encrypted,
masked, in full to the keepers only), assigning experts to a case (a Participation 专家),
written opinions with a file, the case page's box in constant queries, metrics, demo."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from factories import ROLES, add_samples
from renda.core.models import AuditEntry
from renda.experts import demo, services
from renda.experts.models import Expert, ExpertAssignment, ExpertField, ExpertOpinion
from renda.reports.metrics import Period, Scope, compute
from renda.suggestions.models import Suggestion
from renda.workflow.models import Participation

MOBILE = "13600000001"  # the sample expert's (tests/factories.py)
READERS = ("admin", "staff", "director", "member")


@pytest.fixture
def samples(world):
    return add_samples(world).samples


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def expert(world, name, field="环境保护", *, congress=None, active=True):
    congress = congress or world.city
    f = services.add_field(world.admin, congress, field)
    e = Expert(
        congress=congress, title="研究员", appointed_on=date(2020, 1, 10), is_active=active, mobile="13600000009"
    )
    return services.save_expert(world.admin, e, [f], name=name, gender="F")


# ---------------------------------------------------------------- the register and who reads it


def test_the_register_is_for_the_oversight_roles(world, samples, client_for):
    e = samples["expert"]
    got = {role: client_for(role).get("/work/experts/").status_code for role in ROLES}
    assert got == {r: 200 if r in READERS + ("county_staff",) else 302 if r == "public" else 403 for r in ROLES}
    got = {role: client_for(role).get(f"/work/experts/{e.pk}/").status_code for role in ROLES}
    # units, deputies, a county's staff and the public do not find the city's expert
    assert got == {r: 200 if r in READERS else 302 if r == "public" else 404 for r in ROLES}
    page = client_for("county_staff").get("/work/experts/").content.decode()
    assert "高立明" not in page


def test_staff_register_an_expert_with_a_new_field(world, samples, client_for):
    law = ExpertField.objects.get(name="法学")
    response = client_for("staff").post(
        "/work/experts/new/",
        {
            "congress": world.city.pk,
            "name": "乔慧敏",
            "gender": "F",
            "title": "研究员",
            "workplace": "巴彦淖尔市生态环境科学研究所",
            "fields": [law.pk],
            "new_fields": "环境保护、 生态修复",
            "mobile": "13904780102",
            "appointed_on": "2020-01-10",
            "term_end": "2022-12-31",
            "is_active": "on",
        },
    )
    e = Expert.objects.get(person__name="乔慧敏")
    assert response.status_code == 302 and response["Location"] == f"/work/experts/{e.pk}/"
    assert sorted(f.name for f in e.fields.all()) == ["法学", "环境保护", "生态修复"]
    assert e.mobile == "13904780102" and e.created_by == world.users["staff"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM experts_expert WHERE id = %s", [e.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:") and "13904780102" not in stored
    entry = AuditEntry.objects.filter(action="create", model="experts.Expert", object_id=str(e.pk)).get()
    assert entry.changes["mobile"] != "13904780102" and "13904780102" not in str(entry.changes)
    assert entry.changes["fields"] == ["法学", "环境保护", "生态修复"]
    # the list's field filter finds her under a new field
    field = ExpertField.objects.get(name="生态修复")
    page = client_for("director").get("/work/experts/", {"field": field.pk}).content.decode()
    assert "乔慧敏" in page and "高立明" not in page


def test_a_refused_form_keeps_what_was_typed(world, samples, client_for):
    response = client_for("staff").post(
        "/work/experts/new/",
        {
            "congress": world.city.pk,
            "name": "郝建国",
            "gender": "M",
            "title": "高级会计师",
            "mobile": "12345",
            "appointed_on": "2020-03-01",
            "term_end": "2019-12-31",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入11位手机号码" in page and "聘期届满日期不能早于聘任日期" in page
    assert 'value="郝建国"' in page and 'value="高级会计师"' in page
    assert not Expert.objects.filter(person__name="郝建国").exists()


def test_editing_keeps_the_mobile_unless_replaced(world, samples, client_for):
    e = samples["expert"]
    client = client_for("staff")
    page = client.get(f"/work/experts/{e.pk}/edit/").content.decode()
    assert MOBILE not in page and "136****0001" in page  # shown masked, never in full
    data = {
        "congress": world.city.pk,
        "name": "高立明",
        "gender": "M",
        "title": "教授、博士生导师",
        "fields": [f.pk for f in e.fields.all()],
        "mobile": "",
        "appointed_on": "2020-05-10",
        "is_active": "on",
    }
    assert client.post(f"/work/experts/{e.pk}/edit/", data).status_code == 302
    e.refresh_from_db()
    assert (e.title, e.mobile) == ("教授、博士生导师", MOBILE)
    # a director reads the page but may not edit
    assert client_for("director").post(f"/work/experts/{e.pk}/edit/", data).status_code == 403


# ---------------------------------------------------------------- the mobile


def test_the_mobile_is_masked_for_keepers_and_absent_for_other_readers(world, samples, client_for):
    e = samples["expert"]
    staff = client_for("staff").get("/work/experts/").content.decode()
    assert "136****0001" in staff and MOBILE not in staff
    director = client_for("director").get("/work/experts/").content.decode()
    assert "高立明" in director and "136****0001" not in director and MOBILE not in director
    page = client_for("staff").get(f"/work/experts/{e.pk}/").content.decode()
    assert "136****0001" in page and "显示完整号码" in page and MOBILE not in page
    page = client_for("member").get(f"/work/experts/{e.pk}/").content.decode()
    assert "0001" not in page and "显示完整号码" not in page
    # the full number: the keepers, audited (without the value)
    url = f"/work/personal/experts.expert/{e.pk}/show/mobile/"
    response = client_for("staff").post(url, HTTP_ACCEPT="application/json")
    assert response.json() == {"field": "mobile", "value": MOBILE}
    entry = AuditEntry.objects.filter(action="view_personal").latest("id")
    assert entry.model == "experts.Expert" and MOBILE not in str(entry.changes)
    assert client_for("director").post(url).status_code == 403


def test_the_export_gives_the_mobile_to_keepers_only(world, samples, client_for):
    def rows(role):
        response = client_for(role).get("/work/experts/", {"export": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        table = [[c.value for c in row] for row in sheet.iter_rows()]
        return dict(zip(table[0], table[1], strict=True))

    assert rows("staff")["手机号码"] == MOBILE
    director = rows("director")
    assert director["姓名"] == "高立明" and director["手机号码"] in (None, "")
    assert client_for("deputy").get("/work/experts/", {"export": "xlsx"}).status_code == 403


# ---------------------------------------------------------------- assignments and opinions


def test_assigning_an_expert_to_a_suggestion_records_their_participation(world, samples, client_for):
    s, e = samples["suggestion"], samples["expert"]
    url = f"/work/experts/assign/suggestions.suggestion/{s.pk}/"
    for role in ("director", "deputy", "unit"):
        assert client_for(role).post(url, {"experts": [e.pk]}).status_code == 403
    response = client_for("staff").post(url, {"experts": [e.pk], "task": "就答复质量提出书面意见"})
    assert response.status_code == 302 and response["Location"] == s.get_absolute_url()
    a = ExpertAssignment.objects.get(object_id=s.pk, content_type=ContentType.objects.get_for_model(Suggestion))
    assert (a.expert, a.congress, a.task, a.assigned_by) == (
        e,
        world.city,
        "就答复质量提出书面意见",
        world.users["staff"],
    )
    (p,) = Participation.objects.filter(
        capacity="expert", object_id=s.pk, content_type=ContentType.objects.get_for_model(Suggestion)
    )
    assert (p.person, p.label, p.url) == (e.person, s.title, s.get_absolute_url())
    assert p.get_capacity_display() == "专家"
    # twice: nothing more
    services.assign(s, [e], world.users["staff"])
    assert (
        ExpertAssignment.objects.filter(
            object_id=s.pk, content_type=ContentType.objects.get_for_model(Suggestion)
        ).count()
        == 1
    )
    assert (
        Participation.objects.filter(
            capacity="expert", object_id=s.pk, content_type=ContentType.objects.get_for_model(Suggestion)
        ).count()
        == 1
    )


def test_assigning_is_refused_in_chinese_for_experts_who_may_not_be_assigned(world, samples):
    s, staff = samples["suggestion"], world.users["staff"]
    retired = expert(world, "韩晓东", active=False)
    with pytest.raises(ValidationError, match="已不在专家库中"):
        services.assign(s, [retired], staff)
    county = expert(world, "云志刚", congress=world.county_a)
    with pytest.raises(ValidationError, match="不是巴彦淖尔市人民代表大会或其上级人大的专家"):
        services.assign(s, [county], staff)
    with pytest.raises(PermissionDenied):
        services.assign(s, [samples["expert"]], world.users["county_staff"])
    assert not ExpertAssignment.objects.filter(
        object_id=s.pk, content_type=ContentType.objects.get_for_model(Suggestion)
    ).exists()


def test_an_opinion_with_a_file_is_recorded_and_downloaded_by_readers(world, samples, client_for, media):
    a = samples["expert_assignment"]
    url = f"/work/experts/assignments/{a.pk}/opinion/"
    html = SimpleUploadedFile("意见.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
    response = client_for("staff").post(url, {"text": "建议删除服务质量保证金的规定。", "file": html})
    page = response.content.decode()
    assert response.status_code == 200 and "内容与扩展名" in page and "建议删除服务质量保证金的规定。" in page
    assert not ExpertOpinion.objects.exists()
    assert client_for("staff").post(url, {"text": "  "}).status_code == 200  # refused: no text
    pdf = SimpleUploadedFile("高立明书面意见.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    response = client_for("staff").post(
        url, {"text": "建议删除服务质量保证金的规定。", "submitted_on": "2020-05-20", "file": pdf}
    )
    assert response.status_code == 302 and response["Location"] == samples["filing"].get_absolute_url()
    o = ExpertOpinion.objects.get()
    assert (o.submitted_on, o.file_name, o.recorded_by) == (
        date(2020, 5, 20),
        "高立明书面意见.pdf",
        world.users["staff"],
    )
    assert "/media/" not in o.download_url
    got = {role: client_for(role).get(o.download_url).status_code for role in ROLES}
    assert got == {r: 200 if r in READERS else 404 for r in ROLES}
    assert client_for("member").post(url, {"text": "意见"}).status_code == 403
    page = client_for("member").get(f"/work/experts/{a.expert_id}/").content.decode()
    assert "建议删除服务质量保证金的规定。" in page and "高立明书面意见.pdf" in page


def render_box(record, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load experts %}{% case_experts record %}").render(
        Context({"request": request, "record": record, "csrf_token": "t"})
    )


def test_the_case_box_lists_experts_and_opinions_in_constant_queries(world, samples):
    filing, staff = samples["filing"], world.users["staff"]
    a = samples["expert_assignment"]
    services.record_opinion(a, "第一份意见。", staff, on=date(2020, 5, 20))
    expert(world, "苏永平", field="城乡规划")  # one left to invite
    render_box(filing, staff)  # content types and the actor's congresses cached, as on a page
    with CaptureQueriesContext(connection) as one:
        html = render_box(filing, staff)
    assert "高立明" in html and "第一份意见。" in html and "法学" in html
    assert 'data-testid="assign-expert"' in html and "记录书面意见" in html
    more = [expert(world, f"专家{n}", field=f"领域{n}") for n in range(4)]
    for n, assignment in enumerate(services.assign(filing, more, staff, on=date(2020, 5, 12))):
        for k in range(3):
            services.record_opinion(assignment, f"意见{n}-{k}", staff, on=date(2020, 6, 1))
    with CaptureQueriesContext(connection) as five:
        html = render_box(filing, staff)
    assert html.count('data-testid="case-expert"') == 5 and html.count('data-testid="opinion"') == 13
    # assignments, their fields, their opinions, the experts one may still invite
    assert len(five) == len(one) == 4
    # a director reads the box without the forms; a unit and a deputy see nothing of it
    html = render_box(filing, world.users["director"])
    assert "第一份意见。" in html and "记录书面意见" not in html and "assign-expert" not in html
    for role in ("unit", "deputy", "noroles"):
        assert "case-experts" not in render_box(filing, world.users[role])
    assert [o.text for o in services.opinions_of(filing, world.users["member"])][:1] == ["第一份意见。"]
    assert services.opinions_of(filing, world.users["unit"]).count() == 0
    assert services.experts_of(filing, world.users["deputy"]) == []


# ---------------------------------------------------------------- metrics and demo


def test_the_metrics_count_assignments_and_opinions(world, samples):
    scope = Scope(world.city, Period.year(2020))
    assert compute("experts.assignments", scope).value == 1
    assert compute("experts.opinions", scope).value == 0
    services.record_opinion(samples["expert_assignment"], "意见。", world.users["staff"], on=date(2020, 5, 20))
    services.assign(samples["suggestion"], [expert(world, "白玉兰")], world.users["staff"], on=date(2021, 1, 5))
    assert compute("experts.assignments", scope).value == 1
    assert compute("experts.assignments", Scope(world.city, Period.year(2021))).value == 1
    assert compute("experts.opinions", scope).value == 1
    assert compute("experts.opinions", Scope(world.county_a, Period.year(2020))).value == 0


def test_the_demo_registers_the_city_think_tank(world):
    ctx = SimpleNamespace(admin=world.admin, refs={"city": world.city})
    demo.build(ctx)
    assert len(ctx.refs["experts"]) == len(demo.EXPERTS) == 8
    gao = Expert.objects.get(person__name="高立明")
    assert gao.congress == world.city and [f.name for f in gao.fields.all()] == ["法学"]
    assert ExpertField.objects.filter(congress=world.city).count() == 8
    assert Expert.objects.filter(fields__name="法学").count() == 3


def test_the_register_and_an_expert_page_cost_the_same_for_more_rows(world, samples, client_for):
    client = client_for("staff")
    e = samples["expert"]

    def count(url):
        client.get(url)  # sessions and caches warmed
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count("/work/experts/"), count(f"/work/experts/{e.pk}/")
    more = [expert(world, f"专家{n}", field=f"领域{n % 3}") for n in range(6)]
    for record in (samples["suggestion"], samples["proposal"]):
        services.assign(record, [e, *more], world.users["staff"], on=date(2020, 6, 1))
    for a in ExpertAssignment.objects.filter(expert=e):
        services.record_opinion(a, "意见。", world.users["staff"], on=date(2020, 6, 2))
    assert (count("/work/experts/"), count(f"/work/experts/{e.pk}/")) == few
