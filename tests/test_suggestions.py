"""Deputy suggestions: the lifecycle, its deadlines, who sees what, and the figures."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import ROLES
from renda.core.models import Notification
from renda.reports.metrics import Period, Scope, compute
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform
from renda.workflow.models import Deadline
from renda.workflow.tasks import escalate_overdue, send_reminders

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)


def draft(world, title="关于加快农村饮水工程改造的建议", cosigners=(), content=CONTENT):
    return services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title=title,
        content=content,
        category="农牧水利",
        cosigners=list(cosigners),
    )


def walk_to_handling(world, day=date(2020, 5, 10), assisting=()):
    s = draft(world)
    perform(s, "submit", world.users["deputy"], today=day)
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"}, today=day)
    perform(
        s,
        "assign",
        world.users["staff"],
        {"lead_unit": world.unit_a.pk, "period": "3", "assisting_units": [u.pk for u in assisting]},
        today=day,
    )
    perform(s, "sign", world.users["unit"], today=day)
    return s


REPLY = {"category": "B", "text": "已将管网改造纳入明年计划，分两期实施，今年完成一期工程。", "signed_by": "张局长"}


def test_the_whole_lifecycle_and_its_figures(world):
    co_user = world.users["other_deputy"]
    s = draft(world, cosigners=[world.other_deputy])
    assert s.state == "draft"
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    assert s.state == "cosigning"
    perform(s, "confirm", co_user, today=date(2020, 5, 10))
    assert s.state == "submitted" and s.submitted_on == date(2020, 5, 10)
    assert s.session is not None  # submitted during 四届三次会议
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"}, today=date(2020, 5, 20))
    assert s.number == "四届三次会议第1号"
    perform(
        s,
        "assign",
        world.users["staff"],
        {"lead_unit": world.unit_a.pk, "assisting_units": [world.unit_b.pk], "period": "3"},
        today=date(2020, 5, 25),
    )
    reply_clock = Deadline.objects.for_case(s).get(key="reply")
    assert reply_clock.due_on == date(2020, 8, 25) and reply_clock.handling_unit == world.unit_a
    assert Deadline.objects.for_case(s).get(key="sign").due_on == date(2020, 6, 4)
    assert Notification.objects.filter(user=world.users["unit"], kind="assign").exists()
    perform(s, "sign", world.users["unit"], today=date(2020, 5, 26))
    perform(s, "assist_opinion", world.users["other_unit"], {"opinion": "配合做好资金保障。"}, today=date(2020, 6, 1))
    with pytest.raises(PermissionDenied):  # once only
        perform(s, "assist_opinion", world.users["other_unit"], {"opinion": "再说一次"}, today=date(2020, 6, 2))
    perform(s, "reply", world.users["unit"], REPLY, today=date(2020, 7, 1))
    assert s.state == "replied"
    perform(
        s,
        "evaluate",
        world.users["deputy"],
        {"satisfaction": "dissatisfied", "comment": "措施不具体"},
        today=date(2020, 7, 5),
    )
    assert s.state == "handling" and s.round == 2
    rehandle = Deadline.objects.for_case(s).get(key="reply", status="running")
    assert rehandle.label == "重新办理期限" and rehandle.due_on == date(2020, 8, 5)
    perform(s, "reply", world.users["unit"], REPLY, today=date(2020, 7, 20))
    perform(s, "evaluate", world.users["deputy"], {"satisfaction": "basic"}, today=date(2020, 7, 25))
    assert s.state == "concluded" and s.concluded_on == date(2020, 7, 25)
    assert not Deadline.objects.for_case(s).filter(status="running").exists()
    scope = Scope(world.city, Period.year(2020))
    assert compute("suggestions.received", scope).value == 1
    assert compute("suggestions.concluded", scope).value == 1
    assert compute("suggestions.evaluations", scope).value == 2
    assert str(compute("suggestions.satisfaction_rate", scope).value) == "50.0"
    assert compute("suggestions.replied_on_time", scope).value == 1


def test_an_incomplete_suggestion_cannot_be_submitted(world):
    s = draft(world, title="关于道路的建议", content="路不好走。")
    with pytest.raises(ValidationError) as exc:
        perform(s, "submit", world.users["deputy"])
    assert "内容过短" in str(exc.value)
    s.refresh_from_db()
    assert s.state == "draft"


def test_numbering_between_sessions(world):
    s = draft(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 8, 3))
    assert s.session is None
    perform(s, "register", world.users["staff"], {"category": "农牧水利"}, today=date(2020, 8, 10))
    assert s.number == "2020年闭会期间第1号"


def test_return_takes_it_away_from_the_unit(world):
    s = draft(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    perform(s, "register", world.users["staff"], {"category": "农牧水利"}, today=date(2020, 5, 10))
    perform(s, "assign", world.users["staff"], {"lead_unit": world.unit_a.pk, "period": "3"}, today=date(2020, 5, 11))
    with pytest.raises(ValidationError):
        perform(s, "return", world.users["unit"], {"note": ""})  # a reason is required
    perform(s, "return", world.users["unit"], {"note": "不属于本单位职责"}, today=date(2020, 5, 13))
    assert s.state == "returned"
    assert not Suggestion.objects.filter(pk=s.pk).filter(pk__in=_visible(world, "unit")).exists()
    perform(s, "assign", world.users["staff"], {"lead_unit": world.unit_b.pk, "period": "3"}, today=date(2020, 5, 15))
    assert Suggestion.objects.filter(pk__in=_visible(world, "other_unit"), pk=s.pk).exists()


def test_extension_is_approved_up_to_six_months(world):
    s = walk_to_handling(world, day=date(2020, 5, 11))
    perform(s, "request_extension", world.users["unit"], {"note": "涉及项目资金，需延期"}, today=date(2020, 7, 1))
    perform(s, "approve_extension", world.users["staff"], {"note": "同意"}, today=date(2020, 7, 2))
    clock = Deadline.objects.for_case(s).get(key="reply", status="running")
    assert clock.due_on == date(2020, 11, 11) and clock.original_due_on == date(2020, 8, 11)
    assert clock.extensions.get().reason == "同意"
    perform(s, "request_extension", world.users["unit"], {"note": "再延期"}, today=date(2020, 9, 1))
    with pytest.raises(ValidationError):
        perform(s, "approve_extension", world.users["staff"], {"note": "再同意"}, today=date(2020, 9, 2))


def test_key_supervision_and_reminders(world):
    s = walk_to_handling(world)
    with pytest.raises(PermissionDenied):
        perform(s, "mark_key", world.users["staff"], {"responsible_leader": "周主任"})
    perform(s, "mark_key", world.users["director"], {"responsible_leader": "周主任"})
    assert s.key_supervision and s.state == "handling"
    perform(s, "remind", world.users["staff"], {"note": "请加快办理"})
    assert Notification.objects.filter(user=world.users["unit"], kind="reminder").exists()
    assert [e.transition for e in s.events()][-2:] == ["mark_key", "remind"]


def test_deadline_jobs_remind_and_escalate(world):
    s = walk_to_handling(world, day=date(2020, 5, 11))  # reply due 2020-08-11
    assert send_reminders(today=date(2020, 8, 7)) >= 1
    assert Notification.objects.filter(user=world.users["unit"], kind="reminder").exists()
    assert escalate_overdue(today=date(2020, 8, 20)) >= 1
    assert Notification.objects.filter(user=world.users["staff"], kind="overdue").exists()
    assert s.pk


def test_merged_deputies_get_the_answer(world):
    main = walk_to_handling(world)
    other = services.save_draft(
        world.users["other_deputy"],
        lead=world.other_deputy,
        title="关于农村饮水的建议",
        content=CONTENT,
        category="农牧水利",
        cosigners=[],
    )
    perform(other, "submit", world.users["other_deputy"])
    perform(other, "merge", world.users["staff"], {"into": main.pk, "note": "内容相同，并案办理"})
    assert other.state == "merged" and other.merged_into == main
    perform(main, "reply", world.users["unit"], REPLY)
    assert Notification.objects.filter(user=world.users["other_deputy"], text__contains="已收到答复").exists()
    # only into a registered suggestion still being handled
    third = draft(world, title="关于另一件事的建议")
    perform(third, "submit", world.users["deputy"])
    not_registered = draft(world, title="关于第四件事的建议")
    with pytest.raises(ValidationError):
        perform(third, "merge", world.users["staff"], {"into": not_registered.pk, "note": "并案"})
    third.refresh_from_db()
    assert third.state == "submitted"


def test_only_the_lead_deputy_drafts(world):
    with pytest.raises(PermissionDenied):
        services.save_draft(
            world.users["other_deputy"],
            lead=world.deputy,
            title="关于某事的建议",
            content=CONTENT,
            category="其他",
            cosigners=[],
        )
    s = draft(world)
    perform(s, "submit", world.users["deputy"])
    with pytest.raises(ValidationError):
        services.save_draft(
            world.users["deputy"],
            lead=world.deputy,
            title="改",
            content=CONTENT,
            category="其他",
            cosigners=[],
            draft=s,
        )


def _visible(world, role):
    from renda.core.scoping import visible

    return visible(world.users[role], Suggestion).values("pk")


def test_who_sees_a_suggestion(world, client_for):
    private = draft(world, title="关于一件尚未提交的事的建议")
    handled = walk_to_handling(world)
    unpublished = draft(world, title="关于涉及隐私事项的建议")
    perform(unpublished, "submit", world.users["deputy"])
    perform(unpublished, "register", world.users["staff"], {"category": "其他"})  # published unchecked
    expect = {
        private.pk: {"deputy", "admin"} - {"admin"},
        handled.pk: {"deputy", "admin", "staff", "director", "member", "unit", "other_deputy", "noroles", "public"},
        unpublished.pk: {"deputy", "admin", "staff", "director", "member"},
    }
    for pk, roles in expect.items():
        got = {role for role in ROLES if client_for(role).get(f"/work/suggestions/{pk}/").status_code == 200}
        # (work pages need a login: the public reads published ones on the portal)
        assert got == roles - {"public"}, pk


def test_a_unit_sees_only_what_is_assigned_to_it(world, client_for):
    mine = walk_to_handling(world)  # assigned to unit_a
    other = draft(world, title="关于住建领域某事的建议")
    perform(other, "submit", world.users["deputy"])
    perform(other, "register", world.users["staff"], {"category": "城乡建设", "published": "on"})
    perform(other, "assign", world.users["staff"], {"lead_unit": world.unit_b.pk, "period": "3"})
    body = client_for("unit").get("/work/suggestions/").content.decode()
    assert mine.title in body and other.title not in body
    assert client_for("unit").get(f"/work/suggestions/{other.pk}/").status_code == 404
    assert set(Suggestion.objects.filter(pk__in=_visible(world, "other_unit")).values_list("pk", flat=True)) == {
        other.pk
    }


def test_pages_for_each_role(world, client_for):
    s = walk_to_handling(world)
    body = client_for("unit").get(f"/work/suggestions/{s.pk}/").content.decode()
    assert "答复" in body and "申请延期" in body and "办理过程" in body
    body = client_for("deputy").get(f"/work/suggestions/{s.pk}/").content.decode()
    assert "答复</a>" not in body  # the deputy cannot reply
    assert client_for("unit").get(f"/work/workflow/case/suggestion/{s.pk}/reply/").status_code == 200
    assert client_for("other_unit").get(f"/work/workflow/case/suggestion/{s.pk}/reply/").status_code == 404
    assert client_for("deputy").get(f"/work/workflow/case/suggestion/{s.pk}/reply/").status_code == 403
    response = client_for("unit").post(f"/work/workflow/case/suggestion/{s.pk}/reply/", {"category": "A", "text": "短"})
    assert response.status_code == 200 and "签发人" in response.content.decode()
    response = client_for("unit").post(f"/work/workflow/case/suggestion/{s.pk}/reply/", REPLY)
    assert response.status_code == 302
    assert client_for("staff").get("/work/suggestions/board/").status_code == 200
    assert client_for("unit").get("/work/suggestions/board/").status_code == 403
    assert client_for("unit").get("/work/suggestions/units/").status_code == 200


def test_deputy_writes_checks_and_submits_on_the_page(world, client_for):
    client = client_for("deputy")
    response = client.post(
        "/work/suggestions/new/",
        {"title": "关于路的建议", "content": "路不好。", "category": "交通运输", "action": "submit"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "内容过短" in body and 'value="关于路的建议"' in body
    response = client.post(
        "/work/suggestions/new/",
        {
            "title": "关于加快农村饮水工程改造的建议",
            "content": CONTENT,
            "category": "农牧水利",
            "cosigners": "李代表",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    s = Suggestion.objects.get(title="关于加快农村饮水工程改造的建议")
    assert s.state == "cosigning" and s.cosigners.get().deputy == world.other_deputy


def test_list_pages_issue_constant_queries(world, client_for):
    walk_to_handling(world)
    client = client_for("staff")
    urls = ["/work/suggestions/", "/work/suggestions/?state=handling&sort=reply_due", "/work/suggestions/board/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    counts()
    small = counts()
    for _i in range(8):
        walk_to_handling(world)
    assert counts() == small


def test_workbench_shows_pending_suggestions(world, client_for):
    s = walk_to_handling(world)
    body = client_for("unit").get("/work/").content.decode()
    assert s.title in body and "代表建议" in body
    assert s.title not in client_for("other_unit").get("/work/").content.decode()


def test_the_public_sees_only_published_suggestions(world, client_for):
    handled = walk_to_handling(world)
    private = draft(world, title="关于尚未提交之事的建议")
    hidden = draft(world, title="关于涉及隐私事项的建议")
    perform(hidden, "submit", world.users["deputy"])
    perform(hidden, "register", world.users["staff"], {"category": "其他"})
    public = client_for("public")
    body = public.get("/suggestions/").content.decode()
    assert handled.title in body and private.title not in body and hidden.title not in body
    assert public.get(f"/suggestions/{handled.pk}/").status_code == 200
    assert public.get(f"/suggestions/{hidden.pk}/").status_code == 404
    assert public.get(f"/suggestions/{private.pk}/").status_code == 404


WATER = "一些苏木乡镇的农村饮水工程管网老化，夏季经常停水，群众反映强烈。建议加大饮水安全工程投入，建立长效管护机制。"
SCHOOL = "一些苏木乡镇的农村牧区学校校舍陈旧，教师不足，学生上学路途远。建议改善办学条件，加强乡村教师队伍建设。"


def test_routing_proposes_category_and_unit_and_learns_corrections(world, client_for, settings, tmp_path):
    from renda.suggestions import routing

    settings.VAR_DIR = tmp_path
    for i in range(12):
        for text, category, unit in ((WATER, "农牧水利", world.unit_b), (SCHOOL, "教育文体", world.unit_a)):
            s = services.save_draft(
                world.users["deputy"],
                lead=world.deputy,
                title=f"关于第{i}件事的建议",
                content=f"{text}（第{i}件）",
                category="其他",
                cosigners=[],
            )
            perform(s, "submit", world.users["deputy"])
            perform(s, "register", world.users["staff"], {"category": category})
            perform(s, "assign", world.users["staff"], {"lead_unit": unit.pk, "period": "3"})
    assert routing.retrain(world.city) == {"category": 24, "unit": 24}
    new = services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title="关于改善乡村学校办学条件的建议",
        content=SCHOOL,
        category="其他",
        cosigners=[],
    )
    perform(new, "submit", world.users["deputy"])
    proposed = routing.propose(new)
    assert proposed["category"][0][0] == "教育文体" and 0 < proposed["category"][0][1] <= 1
    assert proposed["unit"][0][0] == world.unit_a
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{new.pk}/register/").content.decode()
    assert "系统建议类别：教育文体" in page and "相似的建议" in page
    assert '<option value="教育文体" selected>' in page
    # staff correct the proposal; the correction is what the next training learns
    perform(new, "register", world.users["staff"], {"category": "农牧水利"})
    new.refresh_from_db()
    assert new.suggested_category == "教育文体" and new.category == "农牧水利"
    texts, labels = routing.training_data(world.city, "category")
    assert labels[texts.index(f"{new.title} {new.content}")] == "农牧水利"


def test_workbench_counts_each_case_once(world):
    from renda.core.scoping import visible

    s = walk_to_handling(world, assisting=(world.unit_b,))  # two assignment rows: the guard's join doubles them
    pending = visible(world.users["unit"], Suggestion).filter(s.case_type.pending_q(world.users["unit"])).distinct()
    assert list(pending) == [s]
    from django.test import Client

    client = Client()
    client.force_login(world.users["unit"])
    body = client.get("/work/").content.decode()
    assert '代表建议 <span class="badge red">1</span>' in body
