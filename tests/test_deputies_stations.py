"""Liaison stations and 码上见代表 (issue 15 item 5): stations, duty schedules and reception
days; a constituent's message through a deputy's or a station's code (validation, the one
public intake's throttle, the receipt lookup); who sees the contact; answering, converting to a
suggestion (workflow.Link) and referring to a unit; constant queries on the lists."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from factories import add_station_samples
from renda.core.services import save_record
from renda.deputies import stations as services
from renda.deputies.models import LiaisonStation, MeetMessage, Reception
from renda.deputies.views_stations import MESSAGES_PER_HOUR
from renda.suggestions.models import Suggestion
from renda.workflow.models import Link

TEXT = "村口的桥梁年久失修，雨季经常被水淹没，孩子们上学很危险，希望尽快维修。"


def station(world, name="狼山镇代表联络站"):
    return save_record(
        world.users["staff"],
        LiaisonStation(congress=world.city, name=name, township="狼山镇", address="狼山镇政府院内"),
    )


def meet_url(owner) -> str:
    return reverse("deputies_public:meet", args=[services.code_for(owner).pk])


def leave(client, url, **fields):
    data = {"text": TEXT, "name": "", "contact": "", "website": ""} | fields
    return client.post(url, data)


# --- stations, duties, receptions ---------------------------------------------------------------


def test_staff_create_a_station_and_bad_input_keeps_what_was_typed(world, client_for):
    c = client_for("staff")
    url = reverse("deputies:station_create")
    bad = c.post(url, {"congress": world.city.pk, "name": "新华街道代表之家", "kind": "home", "address": "新华街1号"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "请填写所在乡镇（街道）" in body and "新华街1号" in body
    ok = c.post(
        url,
        {
            "congress": world.city.pk,
            "name": "新华街道代表之家",
            "kind": "home",
            "township": "新华街道",
            "address": "新华街1号",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    s = LiaisonStation.objects.get(name="新华街道代表之家")
    assert s.get_kind_display() == "人大代表之家" and s.place == "新华街道"
    # a director reads but may not create
    assert client_for("director").get(url).status_code == 403


def test_duty_schedule_weekday_or_date_and_directors_may_not_add(world, client_for):
    s = station(world)
    c = client_for("staff")
    url = reverse("deputies:station", args=[s.pk])
    both = c.post(url, {"deputy": world.deputy.pk, "weekday": "2", "on": "2020-06-01"})
    assert both.status_code == 200 and "二者选一" in both.content.decode()
    assert c.post(url, {"deputy": world.deputy.pk, "weekday": "2", "on": ""}).status_code == 302
    assert c.post(url, {"deputy": world.other_deputy.pk, "weekday": "", "on": "2020-06-01"}).status_code == 302
    page = c.get(url).content.decode()
    assert "每星期三" in page and "2020年06月01日" in page
    assert client_for("director").post(url, {"deputy": world.deputy.pk, "weekday": "1"}).status_code == 403


def test_reception_days_and_the_metric(world, client_for):
    s = station(world)
    c = client_for("staff")
    url = reverse("deputies:reception_create", args=[s.pk])
    empty = c.post(url, {"on": "2020-06-01", "visitors": "12", "matters": "饮水问题"})
    assert empty.status_code == 200 and "饮水问题" in empty.content.decode()
    ok = c.post(url, {"on": "2020-06-01", "deputies": [world.deputy.pk], "visitors": "12", "matters": "饮水问题"})
    assert ok.status_code == 302
    future = c.post(url, {"on": "2999-01-01", "deputies": [world.deputy.pk], "visitors": "1", "matters": "x"})
    assert "不能晚于今天" in future.content.decode()
    r = Reception.objects.get()
    assert list(r.deputies.all()) == [world.deputy] and r.recorded_by == world.users["staff"]


def test_station_list_queries_are_constant(world, client_for, django_assert_max_num_queries):
    c = client_for("staff")
    s = station(world)
    services.record_reception(
        world.users["staff"], s, on=date(2020, 6, 1), deputies=[world.deputy], visitors=3, matters="路灯"
    )
    c.get(reverse("deputies:stations"))  # warm the session and the actor
    with django_assert_max_num_queries(12) as few:
        c.get(reverse("deputies:stations"))
    for i in range(12):
        t = station(world, f"第{i}联络站")
        services.record_reception(
            world.users["staff"],
            t,
            on=date(2020, 6, 2),
            deputies=[world.deputy, world.other_deputy],
            visitors=i,
            matters="问题",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(reverse("deputies:stations"))
    assert "第11联络站" in page.content.decode()
    # the station's page too
    url = reverse("deputies:station", args=[s.pk])
    c.get(url)
    with django_assert_max_num_queries(25) as one:
        c.get(url)
    for i in range(8):
        services.record_reception(
            world.users["staff"],
            s,
            on=date(2020, 7, 1 + i),
            deputies=[world.deputy, world.other_deputy],
            visitors=i,
            matters="问题",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        c.get(url)


# --- the code and the public page -----------------------------------------------------------------


def test_codes_are_tokens_and_printable(world, client_for):
    code = services.code_for(world.deputy)
    assert str(world.deputy.pk) != code.pk and len(code.pk) >= 20
    assert services.code_for(world.deputy).pk == code.pk  # a printed code keeps working
    page = client_for("deputy").get(reverse("deputies:deputy_code", args=[world.deputy.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and code.get_absolute_url() in body
    assert world.deputy.person.name in body
    # another deputy cannot print this deputy's code
    assert client_for("other_deputy").get(reverse("deputies:deputy_code", args=[world.deputy.pk])).status_code == 404
    s = station(world)
    staff = client_for("staff")
    assert "<svg" not in staff.get(reverse("deputies:station_code", args=[s.pk])).content.decode()  # GET writes nothing
    staff.post(reverse("deputies:station_code", args=[s.pk]))  # 生成二维码
    assert "<svg" in staff.get(reverse("deputies:station_code", args=[s.pk])).content.decode()
    assert client_for("public").get("/deputies/meet/not-a-token/").status_code == 404


def test_a_constituent_leaves_a_message_and_reads_the_answer(world, client_for):
    c = client_for("public")
    url = meet_url(world.deputy)
    page = c.get(url)
    assert page.status_code == 200 and world.deputy.person.name in page.content.decode()
    # too short: a clear message, what was typed stays
    short = leave(c, url, text="修路", contact="13912345678")
    assert (
        short.status_code == 200
        and "留言内容太短" in short.content.decode()
        and "13912345678" in short.content.decode()
    )
    bad_phone = leave(c, url, contact="12ab")
    assert "请填写有效的电话号码" in bad_phone.content.decode() and TEXT in bad_phone.content.decode()
    sent = leave(c, url, name="李四", contact="13912345678")
    assert sent.status_code == 302
    received = c.get(sent["Location"])
    m = MeetMessage.objects.get()
    assert m.receipt in received.content.decode()
    assert m.deputy == world.deputy and m.congress == world.city and m.contact == "13912345678"
    # the lookup: receipt and the phone's last four digits
    receipt_url = reverse("deputies_public:meet_receipt")
    wrong = c.get(receipt_url, {"receipt": m.receipt, "contact": "0000"})
    assert "不符" in wrong.content.decode()
    pending = c.get(receipt_url, {"receipt": m.receipt, "contact": "5678"})
    assert "正在办理" in pending.content.decode()
    services.answer(world.users["deputy"], m, "已联系交通部门，本月内维修。")
    done = c.get(receipt_url, {"receipt": m.receipt, "contact": "5678"}).content.decode()
    assert "已联系交通部门，本月内维修。" in done and "已答复" in done
    # no personal data on the public pages
    assert "李四" not in done and "13912345678" not in done


def test_a_message_without_a_phone_is_looked_up_by_its_receipt(world, client_for):
    c = client_for("public")
    assert leave(c, meet_url(world.deputy)).status_code == 302
    m = MeetMessage.objects.get()
    assert m.contact == "" and m.name == ""
    found = c.get(reverse("deputies_public:meet_receipt"), {"receipt": m.receipt.lower(), "contact": ""})
    assert found.status_code == 200 and "正在办理" in found.content.decode()


def test_the_public_intake_throttles_messages(world, client_for):
    c = client_for("public")
    url = meet_url(world.deputy)
    for _ in range(MESSAGES_PER_HOUR):
        assert leave(c, url).status_code == 302
    flood = leave(c, url, text="第六条留言：" + TEXT)
    assert flood.status_code == 429
    assert "提交过于频繁" in flood.content.decode() and "第六条留言" in flood.content.decode()
    assert MeetMessage.objects.count() == MESSAGES_PER_HOUR
    # a robot filling the trap: nothing kept
    assert client_for("member").post(url, {"text": TEXT, "website": "http://spam"}).status_code == 302


def test_contact_only_to_the_deputy_and_staff_another_deputy_finds_nothing(world, client_for):
    add_station_samples(world)
    m = world.samples["meet_message"]
    url = reverse("deputies:message", args=[m.pk])
    from renda.core.models import AuditEntry

    reveal = reverse("core:reveal_personal", args=["deputies.meetmessage", m.pk, "contact"])
    for role in ("deputy", "staff", "admin"):
        c = client_for(role)
        body = c.get(url).content.decode()
        # masked on the page, with the platform's audited "显示完整号码"
        assert "13800001234" not in body and "王五" not in body and reveal in body, role
        assert "显示完整姓名" in body and "显示完整号码" in body, role  # each button says what it shows
        before = AuditEntry.objects.filter(action="view_personal").count()
        assert "13800001234" in c.post(reveal).content.decode(), role
        assert AuditEntry.objects.filter(action="view_personal").count() == before + 1, role
    for role in ("other_deputy", "director", "member", "unit", "county_staff"):
        c = client_for(role)
        assert c.get(url).status_code == 404, role
        assert "13800001234" not in c.post(reveal).content.decode(), role
        assert c.post(url, {"action": "answer", "answer": "我来答复"}).status_code == 404, role
    listing = client_for("other_deputy").get(reverse("deputies:messages")).content.decode()
    assert m.receipt not in listing and "王五" not in listing
    m.refresh_from_db()
    assert m.state == MeetMessage.State.NEW
    # the contact is stored encrypted
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT contact, name FROM deputies_meetmessage WHERE id = %s", [m.pk])
        raw = cur.fetchone()
    assert "13800001234" not in raw[0] and "王五" not in raw[1]


def test_the_deputy_answers_and_converts_and_staff_refer(world, client_for):
    c = client_for("deputy")
    code = services.code_for(world.deputy)
    first = services.receive_message(code, {"text": TEXT})
    second = services.receive_message(code, {"text": "学校门口缺少红绿灯，上下学时段车辆多，孩子过马路不安全。"})
    third = services.receive_message(code, {"text": "小区供暖温度不达标，多次反映没有解决。"})
    url = reverse("deputies:message", args=[first.pk])
    # converting needs a title and a category: the answer typed stays
    missing = c.post(url, {"action": "suggestion", "answer": "已写成建议", "title": ""})
    assert (
        missing.status_code == 200
        and "请填写建议标题" in missing.content.decode()
        and "已写成建议" in missing.content.decode()
    )
    done = c.post(
        url, {"action": "suggestion", "answer": "已写成建议", "title": "关于维修村口桥梁的建议", "category": "城乡建设"}
    )
    assert done.status_code == 302
    first.refresh_from_db()
    draft = Suggestion.objects.get(title="关于维修村口桥梁的建议")
    assert first.state == "suggestion" and draft.state == "draft" and draft.lead_deputy == world.deputy
    assert draft.content == TEXT
    assert Link.objects.filter(from_id=first.pk, to_id=draft.pk, kind="concerns").exists()
    assert "关于维修村口桥梁的建议" in c.get(url).content.decode()
    # once handled, it cannot be answered again
    assert c.post(url, {"action": "answer", "answer": "再答一次"}).status_code == 403
    # referral: staff choose a unit of the congress
    s = client_for("staff")
    url2 = reverse("deputies:message", args=[second.pk])
    nounit = s.post(url2, {"action": "refer", "answer": "已转交"})
    assert "请选择转交单位" in nounit.content.decode()
    assert s.post(url2, {"action": "refer", "answer": "已转交交管部门", "unit": world.unit_a.pk}).status_code == 302
    second.refresh_from_db()
    assert second.state == "referred" and second.unit == world.unit_a
    assert world.unit_a.name in services.public_outcome(second)
    # staff cannot write a suggestion in the deputy's name
    bad = s.post(
        reverse("deputies:message", args=[third.pk]),
        {"action": "suggestion", "answer": "转建议", "title": "关于供暖的建议", "category": "城乡建设"},
    )
    assert bad.status_code == 200 and "只有收到留言的代表本人" in bad.content.decode()


def test_messages_list_queries_are_constant(world, client_for, django_assert_max_num_queries):
    c = client_for("staff")
    code = services.code_for(world.deputy)
    services.receive_message(code, {"text": TEXT, "contact": "13900000000"})
    c.get(reverse("deputies:messages"))
    with django_assert_max_num_queries(15) as few:
        c.get(reverse("deputies:messages"))
    s = station(world)
    for i in range(10):
        services.receive_message(code, {"text": f"{i}号楼下水道堵塞，请尽快处理。"})
        services.receive_message(services.code_for(s), {"text": f"{i}号路口积水严重。"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(reverse("deputies:messages"))
    assert page.content.decode().count("badge") >= 21


def test_metrics_count_receptions_and_answered_messages(world):
    from renda.core import clock
    from renda.reports.metrics import Period, Scope, compute

    s = station(world)
    services.record_reception(
        world.users["staff"], s, on=date(2020, 6, 1), deputies=[world.deputy], visitors=3, matters="路灯"
    )
    m = services.receive_message(services.code_for(world.deputy), {"text": TEXT})
    unanswered = services.receive_message(services.code_for(world.deputy), {"text": "第二条留言，尚未答复的情况。"})
    assert compute("deputies.station_receptions", Scope(world.city, Period.year(2020))).value == 1
    year = Scope(world.city, Period.year(clock.now().year))
    assert compute("deputies.messages_answered", year).value == 0
    services.answer(world.users["deputy"], m, "已答复")
    value = compute("deputies.messages_answered", year)
    assert value.value == 1 and list(value.records()) == [m] and unanswered.state == "new"


def test_the_unit_reads_a_referred_message_without_the_contact(world, client_for):
    m = services.receive_message(
        services.code_for(world.deputy), {"text": TEXT, "name": "赵六", "contact": "13700007777"}
    )
    url = reverse("deputies:message", args=[m.pk])
    assert client_for("unit").get(url).status_code == 404  # not referred yet
    services.refer(world.users["staff"], m, world.unit_a, "已转交市教育局办理。")
    page = client_for("unit").get(url).content.decode()
    assert TEXT in page and "13700007777" not in page and "赵六" not in page
    assert client_for("unit").post(url, {"action": "answer", "answer": "办好了"}).status_code == 403
    assert client_for("other_unit").get(url).status_code == 404
    assert m.receipt in client_for("unit").get(reverse("deputies:messages")).content.decode()


def test_the_routing_model_proposes_a_category_and_a_unit(world, client_for, monkeypatch):
    from renda.suggestions import routing

    monkeypatch.setattr(
        routing,
        "propose_text",
        lambda congress, text, k=3: {"category": [("城乡建设", 0.8)], "unit": [(world.unit_a, 0.6)]},
    )
    m = services.receive_message(services.code_for(world.deputy), {"text": TEXT})
    assert m.proposed_category == "城乡建设" and m.proposed_unit == world.unit_a
    page = client_for("deputy").get(reverse("deputies:message", args=[m.pk])).content.decode()
    # pre-selected in the form: a suggestion, the deputy decides
    assert '<option value="城乡建设" selected>' in page and f'<option value="{world.unit_a.pk}" selected>' in page
    # a model that fails never loses the message
    monkeypatch.setattr(routing, "propose_text", lambda *a, **k: 1 / 0)
    assert services.receive_message(services.code_for(world.deputy), {"text": TEXT}).proposed_category == ""


def test_the_retention_job_erases_an_answered_messages_contact_not_an_open_ones(world, settings):
    """A message to a deputy is no workflow case: its retention period runs from its answer
    (`closed_at_field`), through the platform's one retention job."""
    from datetime import timedelta

    from renda.core import clock
    from renda.core.personal import erase_expired

    settings.RENDA_CONTACT_RETENTION_DAYS = 365
    code = services.code_for(world.deputy)
    done = services.receive_message(code, {"text": TEXT, "name": "王五", "contact": "13800001234"})
    waiting = services.receive_message(code, {"text": TEXT, "contact": "13900005678"})
    answered_on = clock.on(date(2020, 3, 2))
    with clock.dated(answered_on):
        services.answer(world.users["deputy"], done, "已联系交通部门，汛期前完成维修。")
    assert erase_expired(now=answered_on + timedelta(days=300)) == 0  # within the period
    assert erase_expired(now=answered_on + timedelta(days=400)) == 1
    assert erase_expired(now=answered_on + timedelta(days=400)) == 0  # idempotent
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert done.contact == "" and done.name == "" and done.erased_at and done.answer
    assert waiting.contact == "13900005678" and waiting.erased_at is None


def test_a_reception_day_is_in_the_archive_of_the_deputies_on_duty(world):
    """Station duty recorded by the staff is a machine-recorded 进站履职 in each archive, with its
    trace to the station; editing nothing by hand."""
    from renda.deputies.archive import MACHINE, archive

    s = station(world)
    services.record_reception(
        world.users["staff"],
        s,
        on=date(2020, 6, 1),
        deputies=[world.deputy, world.other_deputy],
        visitors=3,
        matters="路灯",
    )
    for deputy in (world.deputy, world.other_deputy):
        (entry,) = [e for e in archive(deputy, 2020).entries if e.kind == "station"]
        assert (entry.on, entry.source, entry.kind_label) == (date(2020, 6, 1), MACHINE, "进站接待")
        assert entry.url == reverse("deputies:station", args=[s.pk]) and "接待日" in entry.title
    assert not [e for e in archive(world.ended_deputy, 2020).entries if e.kind == "station"]
