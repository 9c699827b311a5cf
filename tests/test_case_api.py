"""The case API (/api/cases/…): one API for every case type, generated from the
declarations. Driving cases through it alone with bearer tokens, its OpenAPI, scoping,
idempotency, errors, query counts and the `renda token` command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.api.models import IdempotencyKey
from renda.core import services as core
from renda.core.models import ApiToken, HandlingUnit, Role
from renda.core.scoping import visible
from renda.filing import services as filing_services
from renda.filing.models import Filing
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import CATEGORIES, Suggestion
from renda.workflow.engine import perform
from renda.workflow.models import Deadline, Event

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)
FILING_TEXT = """巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知

各旗县区人民政府，市直各有关部门：
为改善城区环境空气质量，根据《中华人民共和国大气污染防治法》，现就加强城区扬尘污染防治工作通知如下。
一、施工单位应当在施工工地设置硬质围挡，并采取覆盖、分段作业、洒水抑尘等有效防尘降尘措施。
二、本通知自2020年5月1日起施行。
"""
CHECKED = {"constitutionality": "ok", "political": "ok", "legality": "ok", "appropriateness": "ok"}


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


class Api:
    """A client holding one account's bearer token, as an integrator would."""

    def __init__(self, user):
        _, secret = core.issue_api_token(user, "测试")
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, url, **params):
        return self.client.get(url, params, **self.auth)

    def post(self, url, payload=None, *, key=None, raw=None, **extra):
        headers = dict(self.auth, **extra)
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        body = raw if raw is not None else json.dumps(payload or {}, ensure_ascii=False)
        return self.client.post(url, body, content_type="application/json", **headers)

    def post_multipart(self, url, data, **extra):
        return self.client.post(url, data, **dict(self.auth, **extra))


@pytest.fixture
def apis(world):
    return {role: Api(world.users[role]) for role in ("deputy", "staff", "unit", "other_unit", "director")}


@pytest.fixture
def gov(world):
    unit = HandlingUnit.objects.get(congress=world.city, kind=HandlingUnit.Kind.GOVERNMENT)
    world.users["gov"] = core.create_account(
        world.admin,
        username="gov",
        password="x",
        display_name="市政府法制科",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=unit)],
    )
    return unit


def act(api, case_type, pk, transition, payload=None, status=200, **kw):
    response = api.post(f"/api/cases/{case_type}/{pk}/transitions/{transition}", payload, **kw)
    assert response.status_code == status, response.content.decode()
    return response.json()


def concluded_this_year(staff_api, world) -> int:
    year = timezone.localdate().year
    response = staff_api.get("/api/metrics/suggestions.concluded", congress=world.city.pk, year=year)
    assert response.status_code == 200, response.content
    return response.json()["value"]


# ---------------------------------------------------------------- driving cases through the API alone


def test_a_suggestion_from_draft_to_concluded_by_four_users(world, apis):
    deputy, staff, unit = apis["deputy"], apis["staff"], apis["unit"]
    before = concluded_this_year(staff, world)

    created = deputy.post(
        "/api/cases/suggestion",
        {"title": "关于加快农村饮水工程改造的建议", "content": CONTENT, "category": "农牧水利", "cosigners": ""},
    )
    assert created.status_code == 201, created.content.decode()
    case = created.json()
    pk = case["id"]
    assert case["state"] == "draft" and case["fields"]["lead_deputy"]["id"] == world.deputy.pk
    assert [t["key"] for t in case["transitions"]] == ["submit"]

    assert act(deputy, "suggestion", pk, "submit")["case"]["state"] == "submitted"

    detail = staff.get(f"/api/cases/suggestion/{pk}").json()
    register = next(t for t in detail["transitions"] if t["key"] == "register")
    assert register["input_schema"]["properties"]["category"]["enum"] == [k for k, _ in CATEGORIES]
    act(staff, "suggestion", pk, "register", {"category": "农牧水利", "published": True})

    detail = staff.get(f"/api/cases/suggestion/{pk}").json()
    assign = next(t for t in detail["transitions"] if t["key"] == "assign")
    lead_unit = assign["input_schema"]["properties"]["lead_unit"]
    assert world.unit_a.pk in lead_unit["enum"] and "市教育局" in "".join(lead_unit["x-enum-labels"])
    act(staff, "suggestion", pk, "assign", {"lead_unit": world.unit_a.pk, "assisting_units": [], "period": "3"})

    assert [t["key"] for t in unit.get(f"/api/cases/suggestion/{pk}").json()["transitions"]] == ["sign", "return"]
    act(unit, "suggestion", pk, "sign")
    reply = unit.post_multipart(
        f"/api/cases/suggestion/{pk}/transitions/reply",
        {
            "category": "B",
            "text": "已将管网改造纳入明年计划，分两期实施，今年完成一期工程。",
            "signed_by": "张局长",
            "files": [SimpleUploadedFile("答复函.txt", "答复函正文".encode())],
        },
    )
    assert reply.status_code == 200, reply.content.decode()
    assert reply.json()["event"]["attachments"][0]["name"] == "答复函.txt"

    done = act(deputy, "suggestion", pk, "evaluate", {"satisfaction": "satisfied", "comment": "满意"})
    assert done["case"]["state"] == "concluded" and done["case"]["state_label"] == "已办结"
    assert done["case"]["transitions"] == []
    assert Suggestion.objects.get(pk=pk).state == "concluded"
    assert concluded_this_year(staff, world) == before + 1

    timeline = deputy.get(f"/api/cases/suggestion/{pk}/events").json()
    assert [e["transition"] for e in timeline["events"]] == [
        "submit",
        "register",
        "assign",
        "sign",
        "reply",
        "evaluate",
    ]
    assert timeline["events"][1]["actor"].startswith("staff") and timeline["events"][1]["to_label"] == "待交办"
    # the reply's attachment is downloaded through the one download view: by the deputy who
    # follows the case (and, the suggestion being published, the public), not by another unit
    attachment_url = timeline["events"][4]["attachments"][0]["url"]
    assert attachment_url.startswith("/files/workflow.eventattachment.file/")
    signed_in = Client()
    signed_in.force_login(world.users["deputy"])
    assert signed_in.get(attachment_url).status_code == 200
    outsider = Client()
    outsider.force_login(world.users["other_unit"])
    assert outsider.get(attachment_url).status_code == 404
    assert timeline["deadlines"] == []  # every clock stopped


def test_a_filing_through_the_api(world, gov, apis):
    filer, staff = Api(world.users["gov"]), apis["staff"]
    payload = {
        "filer": f"unit:{gov.pk}",
        "kind": "government",
        "title": "巴彦淖尔市人民政府关于加强城区扬尘污染防治工作的通知",
        "document_number": "巴政发〔2020〕12号",
        "adopted_on": "2020-04-16",
        "published_on": "2020-04-20",
        "drafting_explanation": "经征求意见、合法性审查和市政府常务会议审议，制定本通知。",
        "legal_basis": "《中华人民共和国大气污染防治法》",
        "text": FILING_TEXT,
    }
    created = filer.post("/api/cases/filing", payload)
    assert created.status_code == 201, created.content.decode()
    pk = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["fields"]["document_number"] == "巴政发〔2020〕12号"
    act(filer, "filing", pk, "submit")
    detail = staff.get(f"/api/cases/filing/{pk}").json()
    register = next(t for t in detail["transitions"] if t["key"] == "register")
    committee = register["input_schema"]["properties"]["committee"]
    assert committee["enum"] == [world.office.pk]  # narrowed to the receiving congress's bodies
    act(staff, "filing", pk, "register", {"committee": world.office.pk, "published": True})
    act(staff, "filing", pk, "record_review", CHECKED)
    done = act(staff, "filing", pk, "conclude")
    assert done["case"]["state"] == "closed"
    assert Filing.objects.get(pk=pk).number.startswith("备〔")
    # the review clock started at registration and stopped at the end
    assert not Deadline.objects.filter(object_id=pk, case_type="filing", status="running").exists()


def test_create_is_refused_where_not_declared_or_not_allowed(world, apis, gov):
    response = apis["staff"].post("/api/cases/review_proposal", {"title": "x"})
    assert response.status_code == 405 and has_chinese(response.json()["detail"])
    response = apis["unit"].post("/api/cases/suggestion", {"title": "关于", "content": CONTENT, "category": "其他"})
    assert response.status_code == 403 and has_chinese(response.json()["detail"])
    bad = apis["deputy"].post(
        "/api/cases/suggestion", {"title": "关于", "content": CONTENT, "category": "无此类", "cosigners": "查无此人"}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"category"}
    unknown = apis["deputy"].post(
        "/api/cases/suggestion", {"title": "关于", "content": CONTENT, "category": "其他", "cosigners": "查无此人"}
    )
    assert unknown.status_code == 422 and "查无此人" in unknown.json()["errors"][0]["message"]
    assert not Suggestion.objects.exists()
    other = apis["unit"].post(
        "/api/cases/filing",
        {
            "filer": f"unit:{gov.pk}",
            "kind": "government",
            "title": "某通知",
            "document_number": "巴政发〔2020〕1号",
            "adopted_on": "2020-04-16",
            "published_on": "2020-04-20",
            "drafting_explanation": "说明",
            "legal_basis": "依据",
            "text": FILING_TEXT,
        },
    )
    assert other.status_code == 403 and has_chinese(other.json()["detail"])


# ---------------------------------------------------------------- errors


def draft(world, title="关于加快农村饮水工程改造的建议"):
    return suggestion_services.save_draft(
        world.users["deputy"], lead=world.deputy, title=title, content=CONTENT, category="农牧水利", cosigners=[]
    )


def submitted(world):
    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    return s


def test_errors_are_chinese_4xx(world, apis):
    s = submitted(world)
    staff = apis["staff"]
    url = f"/api/cases/suggestion/{s.pk}/transitions"
    bad = staff.post(f"{url}/register", {"category": "无此类"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "category"
    assert has_chinese(bad.json()["detail"]) and has_chinese(bad.json()["errors"][0]["message"])
    for raw in ("{not json", "[1, 2]", '"text"'):
        response = staff.post(f"{url}/register", raw=raw)
        assert response.status_code == 422 and has_chinese(response.json()["detail"]), raw
    big = staff.post(f"{url}/merge", {"into": 2**70, "note": "并案"})
    assert big.status_code == 422 and big.json()["errors"][0]["field"] == "into"
    assert staff.post(f"{url}/merge", {"into": "abc", "note": "并案"}).status_code == 422
    assert staff.post(f"{url}/reject", {}).status_code == 422  # a reason is required
    forbidden = apis["unit"].post(f"/api/cases/suggestion/{s.pk}/transitions/sign")
    assert forbidden.status_code == 404  # the unit does not see it (not assigned)
    denied = apis["deputy"].post(f"{url}/register", {"category": "其他"})
    assert denied.status_code == 403 and has_chinese(denied.json()["detail"])
    conflict = staff.post(f"{url}/sign")
    assert conflict.status_code == 409 and "待立案" in conflict.json()["detail"]
    unknown = staff.post(f"{url}/fly")
    assert unknown.status_code == 404 and has_chinese(unknown.json()["detail"])
    assert staff.get("/api/cases/nothing").status_code == 404
    assert staff.get(f"/api/cases/suggestion/{2**70}").status_code == 422
    assert staff.get("/api/cases/suggestion", state="flying").status_code == 422
    s.refresh_from_db()
    assert s.state == "submitted" and Event.objects.for_case(s).count() == 1


# ---------------------------------------------------------------- idempotency


def test_idempotency_key_makes_a_retry_act_once(world, apis):
    s = submitted(world)
    staff = apis["staff"]
    url = f"/api/cases/suggestion/{s.pk}/transitions/register"
    first = staff.post(url, {"category": "农牧水利", "published": True}, key="k-0001")
    again = staff.post(url, {"published": True, "category": "农牧水利"}, key="k-0001")  # same content, other order
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Event.objects.for_case(s).filter(transition="register").count() == 1
    other = staff.post(url, {"category": "其他"}, key="k-0001")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"][0]["field"]
    assert has_chinese(other.json()["errors"][0]["message"])
    assert IdempotencyKey.objects.filter(user=world.users["staff"], key="k-0001").count() == 1
    assert visible(world.users["staff"], IdempotencyKey).count() == 1  # a key is its owner's only
    assert not visible(world.users["admin"], IdempotencyKey).exists()
    # the same key of another account is another key: tried, and refused (the case moved on)
    assert apis["director"].post(url, {"category": "其他"}, key="k-0001").status_code == 409

    # without a key, a second identical POST is a second attempt: the state moved
    s2 = submitted(world)
    url2 = f"/api/cases/suggestion/{s2.pk}/transitions/register"
    assert staff.post(url2, {"category": "农牧水利"}).status_code == 200
    second = staff.post(url2, {"category": "农牧水利"})
    assert second.status_code == 409 and has_chinese(second.json()["detail"])
    assert Event.objects.for_case(s2).filter(transition="register").count() == 1


def test_idempotency_failures_are_not_stored_and_keys_expire(world, apis):
    s = submitted(world)
    staff = apis["staff"]
    url = f"/api/cases/suggestion/{s.pk}/transitions/register"
    assert staff.post(url, {"category": "无此类"}, key="k-2").status_code == 422
    assert staff.post(url, {"category": "其他"}, key="k-2").status_code == 200  # corrected, same key
    assert staff.post(url, {}, key="bad key with spaces").status_code == 422
    IdempotencyKey.objects.update(created_at=timezone.now() - timezone.timedelta(hours=25))
    staff.post(url, {"category": "其他"}, key="k-3")  # any keyed request clears the expired ones
    assert not IdempotencyKey.objects.filter(key="k-2").exists()


def test_idempotent_create(world, apis):
    payload = {"title": "关于修缮校舍的建议", "content": CONTENT, "category": "教育文体"}
    first = apis["deputy"].post("/api/cases/suggestion", payload, key="create-1")
    again = apis["deputy"].post("/api/cases/suggestion", payload, key="create-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Suggestion.objects.count() == 1


# ---------------------------------------------------------------- scoping


def test_scoping_of_suggestions(world, apis, client_for):
    s = submitted(world)
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    perform(s, "assign", world.users["staff"], {"lead_unit": world.unit_a.pk, "period": "3"})
    mine = draft(world, title="关于一件草稿的建议")
    other = apis["other_unit"]
    assert other.get("/api/cases/suggestion").json()["count"] == 0
    assert other.get(f"/api/cases/suggestion/{s.pk}").status_code == 404
    assert other.get(f"/api/cases/suggestion/{s.pk}/events").status_code == 404
    assert other.post(f"/api/cases/suggestion/{s.pk}/transitions/sign").status_code == 404
    assert [c["id"] for c in apis["unit"].get("/api/cases/suggestion").json()["items"]] == [s.pk]
    public = client_for("public")
    assert [c["id"] for c in public.get("/api/cases/suggestion").json()["items"]] == [s.pk]
    assert public.get(f"/api/cases/suggestion/{mine.pk}").status_code == 404
    seen = public.get(f"/api/cases/suggestion/{s.pk}").json()
    assert seen["transitions"] == [] and seen["state"] == "assigned"
    assert public.post(f"/api/cases/suggestion/{s.pk}/transitions/sign").status_code in (401, 403, 404)
    assert apis["staff"].get("/api/cases/suggestion", state="draft").json()["count"] == 0  # never another's draft
    assert [c["id"] for c in apis["deputy"].get("/api/cases/suggestion", state="draft").json()["items"]] == [mine.pk]


def test_filing_outsiders_see_only_the_public_status(world, gov, apis, client_for):
    f = filing_services.file_document(
        world.users["gov"],
        {
            "filer": f"unit:{gov.pk}",
            "kind": "government",
            "title": "巴彦淖尔市人民政府关于某事项的通知",
            "document_number": "巴政发〔2020〕30号",
            "adopted_on": date(2020, 4, 16),
            "published_on": date(2020, 4, 20),
            "drafting_explanation": "说明",
            "legal_basis": "依据",
            "text": FILING_TEXT,
        },
    )
    perform(f, "register", world.users["staff"], {"committee": world.office.pk, "published": "on"})
    perform(
        f, "communicate", world.users["staff"], {"problem_summary": "第一条不当", "note": "请说明"}
    )  # an internal step
    public = client_for("public")
    seen = public.get(f"/api/cases/filing/{f.pk}").json()
    assert (seen["state"], seen["state_label"], seen["process_visible"]) == ("reviewing", "审查中", False)
    assert seen["transitions"] == []
    assert public.get(f"/api/cases/filing/{f.pk}/events").status_code == 403
    assert public.get("/api/cases/filing", {"state": "communicating"}).json()["count"] == 0
    listed = public.get("/api/cases/filing", {"state": "reviewing"}).json()["items"]
    assert [(i["id"], i["state"], i["next_due"]) for i in listed] == [(f.pk, "reviewing", None)]
    assert public.get("/api/cases/filing", {"deadline": "running"}).json()["count"] == 0
    inside = Api(world.users["gov"]).get(f"/api/cases/filing/{f.pk}").json()
    assert inside["state"] == "communicating" and [t["key"] for t in inside["transitions"]] == ["explain", "agree"]
    assert apis["staff"].get("/api/cases/filing", state="communicating", deadline="running").json()["count"] == 1
    assert apis["other_unit"].get(f"/api/cases/filing/{f.pk}").status_code == 404  # other units: nothing
    outsider = apis["deputy"]  # deputies see published filings, as the public does
    assert outsider.get(f"/api/cases/filing/{f.pk}").json()["state"] == "reviewing"
    assert outsider.get(f"/api/cases/filing/{f.pk}/events").status_code == 403
    assert outsider.post(f"/api/cases/filing/{f.pk}/transitions/explain", {"note": "说明"}).status_code == 403


def test_list_filters(world, apis):
    this_year = timezone.localdate().year
    old = submitted(world)
    Suggestion.objects.filter(pk=old.pk).update(submitted_on=date(2019, 3, 1))
    new = submitted(world)
    perform(new, "register", world.users["staff"], {"category": "其他"})
    perform(new, "assign", world.users["staff"], {"lead_unit": world.unit_a.pk, "period": "3"})
    staff = apis["staff"]

    def ids(**params):
        return [c["id"] for c in staff.get("/api/cases/suggestion", **params).json()["items"]]

    assert ids(year=2019) == [old.pk] and ids(year=this_year) == [new.pk]
    assert ids(state="assigned") == [new.pk] and ids(congress=world.city.pk) == [new.pk, old.pk]
    assert ids(congress=world.county_a.pk) == []
    assert ids(deadline="running") == [new.pk] and ids(deadline="overdue") == []
    assert ids(deadline="due_soon") == []  # ten days to sign, more than the reminder days
    Deadline.objects.for_case(new).filter(key="sign").update(due_on=timezone.localdate() - timezone.timedelta(1))
    assert ids(deadline="overdue") == [new.pk]
    item = staff.get("/api/cases/suggestion", state="assigned").json()["items"][0]
    assert item["next_due"] == (timezone.localdate() - timezone.timedelta(1)).isoformat()


def test_list_costs_the_same_queries_for_any_page_size(world, apis):
    staff = apis["staff"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff.get("/api/cases/suggestion", deadline="running")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    def add(n):
        for _ in range(n):
            s = submitted(world)
            perform(s, "register", world.users["staff"], {"category": "其他"})
            perform(s, "assign", world.users["staff"], {"lead_unit": world.unit_a.pk, "period": "3"})

    add(2)
    count()  # the token's first use is written (then once a minute): not part of the list's cost
    before, n_before = count()
    add(6)
    after, n_after = count()
    assert (n_before, n_after) == (2, 8) and after == before


# ---------------------------------------------------------------- OpenAPI


def test_openapi_lists_every_transition_with_its_fields(world, client_for):
    doc = client_for("public").get("/api/openapi.json").json()
    paths = doc["paths"]
    for case_type in ("suggestion", "filing", "review_proposal"):
        assert f"/api/cases/{case_type}" in paths and f"/api/cases/{case_type}/{{id}}/events" in paths
    register = paths["/api/cases/suggestion/{id}/transitions/register"]["post"]
    schema = register["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["category"]["enum"] == [k for k, _ in CATEGORIES]
    assert schema["required"] == ["category"] and schema["properties"]["published"]["type"] == "boolean"
    assign = paths["/api/cases/suggestion/{id}/transitions/assign"]["post"]["requestBody"]["content"]
    props = assign["application/json"]["schema"]["properties"]
    assert props["lead_unit"]["type"] == "integer" and props["assisting_units"]["type"] == "array"
    reply = paths["/api/cases/suggestion/{id}/transitions/reply"]["post"]["requestBody"]["content"]
    assert reply["multipart/form-data"]["schema"]["properties"]["files"]["items"]["format"] == "binary"
    assert reply["application/json"]["schema"]["properties"]["text"]["minLength"] == 20
    opinion = paths["/api/cases/filing/{id}/transitions/report_correction"]["post"]["requestBody"]["content"]
    assert opinion["application/json"]["schema"]["properties"]["corrected_on"]["format"] == "date"
    accept = paths["/api/cases/review_proposal/{id}/transitions/accept"]["post"]["requestBody"]["content"]
    assert accept["application/json"]["schema"]["properties"]["filing"]["type"] == "integer"
    reject = paths["/api/cases/suggestion/{id}/transitions/reject"]["post"]["requestBody"]["content"]
    assert reject["application/json"]["schema"]["required"] == ["note"]
    create = paths["/api/cases/filing"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "text" in create["required"] and create["properties"]["kind"]["enum"][0] == "rule"
    assert "post" not in paths["/api/cases/review_proposal"]
    states = next(p for p in paths["/api/cases/filing"]["get"]["parameters"] if p["name"] == "state")
    assert "communicating" in json.dumps(states) and "annulled" in json.dumps(states)


# ---------------------------------------------------------------- the token command


def test_token_command(world, capsys):
    call_command("token", "create", "deputy", "--name", "12345热线")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert secret.startswith("rd_")
    token = ApiToken.objects.get(user=world.users["deputy"])
    assert token.name == "12345热线" and secret not in token.key_hash  # stored hashed
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["username"] == "deputy"


def test_token_command_refuses_unknown_users(world):
    with pytest.raises(CommandError) as exc:
        call_command("token", "create", "nobody")
    assert exc.value.returncode == 2 and "nobody" in str(exc.value) and has_chinese(exc.value)
    assert not ApiToken.objects.exists()
