"""Appointments, issue 13 item 6: the pages (a nominating unit or the staff create a batch and
its nominations, the question bank with its Excel/CSV import, the oath form, the results), the
paths of removals, resignations accepted and dismissals (no exam, no oath, voted before the
appointment to the same post), the post history (任职经历) written when the 任免名单 is published,
the section 四 metrics, and who sees what (a nominee only their own exam, a unit only its own
batches, a member votes once)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from renda.appointments import services
from renda.appointments.models import AppointmentBatch, Nomination, Question, Tenure
from renda.reports import summary
from renda.workflow.engine import perform
from test_appointments import DAY, new_batch, nominee, right_answers, setup  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(setup):  # noqa: F811
    """test_appointments' world: members with accounts, a sitting, a small bank."""
    return setup


def vote_through(world, b, *, against=()):
    """Open the votes, every member votes (赞成, or 反对 on the posts in `against`), decide."""
    staff = world.users["staff"]
    perform(b, "examine", staff, {}, today=DAY)
    perform(b, "open_votes", staff, {}, today=DAY)
    while True:
        n = next(n for n in services.vote_order(b.nominations.select_related("ballot")) if n.ballot.state == "open")
        label = "反对" if n.post in against else "赞成"
        option = n.ballot.options.get(label=label)
        for v in n.ballot.voters.select_related("user"):
            from renda.ballots import services as ballots

            ballots.cast(n.ballot, v.user, [option], idempotency_key=f"t{n.pk}-{v.user_id}")
        last = not any(m.ballot.state == "draft" for m in b.nominations.select_related("ballot"))
        perform(b, "decide" if last else "next_vote", staff, {}, today=DAY)
        if last:
            return


# ---------------------------------------------------------------- pages


def test_unit_creates_a_batch_and_nominations(ready, client_for):
    world = ready
    c = client_for("unit")
    assert c.get(reverse("appointments:batch_new")).status_code == 200
    bad = c.post(reverse("appointments:batch_new"), {"title": "", "nominator": "mayor", "unit": world.unit_a.pk})
    assert bad.status_code == 422 and "这个字段是必填项" in bad.content.decode()
    r = c.post(
        reverse("appointments:batch_new"),
        {"title": "市长关于提请任免的议案", "nominator": "mayor", "unit": world.unit_a.pk},
    )
    b = AppointmentBatch.objects.get(title="市长关于提请任免的议案")
    assert r.status_code == 302 and b.unit == world.unit_a and b.congress == world.city
    # another unit's id is not among the choices: refused with the form kept
    r = c.post(reverse("appointments:batch_new"), {"title": "越权", "nominator": "mayor", "unit": world.unit_b.pk})
    assert r.status_code == 422 and not AppointmentBatch.objects.filter(title="越权").exists()
    url = reverse("appointments:nomination_new", args=[b.pk])
    r = c.post(url, {"person_name": "孙拟任", "gender": "F", "kind": "appoint", "post": "", "exam_required": "on"})
    assert r.status_code == 422 and "孙拟任" in r.content.decode()  # what was typed is kept
    r = c.post(
        url,
        {
            "person_name": "孙拟任",
            "gender": "F",
            "kind": "appoint",
            "post": "市教育局局长",
            "form_text": "孙拟任，女，1975年生。",
            "statement": "忠于宪法。",
            "exam_required": "on",
            "must_swear": "on",
        },
    )
    assert r.status_code == 302
    n = b.nominations.get()
    assert (n.person.name, n.exam_required, n.must_swear) == ("孙拟任", True, True)
    # a resignation: no exam, no oath, whatever was ticked
    c.post(
        url,
        {
            "person_name": "周辞职",
            "kind": "resign",
            "gender": "M",
            "post": "市教育局副局长",
            "form_text": "本人请求辞去市教育局副局长职务。",
            "exam_required": "on",
        },
    )
    r = b.nominations.get(kind="resign")
    assert (r.exam_required, r.must_swear) == (False, False)
    edit = reverse("appointments:nomination_edit", args=[n.pk])
    assert (
        c.post(
            edit, {"person_name": "孙拟任", "gender": "F", "kind": "appoint", "post": "市教育局党组书记、局长"}
        ).status_code
        == 302
    )
    n.refresh_from_db()
    assert n.post == "市教育局党组书记、局长"
    page = c.get(reverse("appointments:batch", args=[b.pk])).content.decode()
    assert "增加任免人员" in page and "辞职报告" in page
    # submitted: the unit no longer changes it
    perform(b, "schedule", world.users["staff"], {"sitting": world.sitting.pk}, today=DAY)
    perform(b, "submit", world.users["unit"], {}, today=DAY)
    assert c.get(edit).status_code == 403
    # the other unit does not find it at all
    assert client_for("other_unit").get(reverse("appointments:batch", args=[b.pk])).status_code == 404
    assert client_for("other_unit").get(edit).status_code == 404


def test_staff_adds_and_imports_questions(ready, client_for):
    world = ready
    c = client_for("staff")
    r = c.post(
        reverse("appointments:question_new"),
        {
            "congress": world.city.pk,
            "category": "监督法",
            "stem": "质询案由几人联名？",
            "options": "五人\n三人",
            "answers": "Z",
        },
    )
    assert r.status_code == 422 and "质询案由几人联名" in r.content.decode()
    r = c.post(
        reverse("appointments:question_new"),
        {
            "congress": world.city.pk,
            "category": "监督法",
            "stem": "质询案由几人联名？",
            "options": "五人\n三人",
            "answers": "A",
        },
    )
    assert r.status_code == 302 and Question.objects.get(stem="质询案由几人联名？").answers == [0]
    before = Question.objects.count()
    # a CSV with one bad row: nothing imported, every bad row reported
    csv = "类别,题干,选项A,选项B,选项C,正确答案\n宪法,题一,甲,乙,,A\n宪法,,甲,乙,,B\n宪法,题三,甲,乙,丙,AD\n"
    r = c.post(
        reverse("appointments:question_import"),
        {"congress": world.city.pk, "file": SimpleUploadedFile("bank.csv", csv.encode("utf-8"))},
    )
    body = r.content.decode()
    assert "请填写题干" in body and "正确答案须是选项的字母" in body and Question.objects.count() == before
    csv = "类别,题干,选项A,选项B,选项C,正确答案\n宪法,题一,甲,乙,,A\n地方组织法,题三,甲,乙,丙,AC\n"
    r = c.post(
        reverse("appointments:question_import"),
        {"congress": world.city.pk, "file": SimpleUploadedFile("bank.csv", csv.encode("gb18030"))},
    )
    assert r.status_code == 302 and Question.objects.get(stem="题三").answers == [0, 2]
    wb = Workbook()
    ws = wb.active
    ws.append(["类别", "题干", "选项A", "选项B", "正确答案"])
    ws.append(["监督法", "题四", "是", "否", "B"])
    out = io.BytesIO()
    wb.save(out)
    r = c.post(
        reverse("appointments:question_import"),
        {"congress": world.city.pk, "file": SimpleUploadedFile("bank.xlsx", out.getvalue())},
    )
    assert r.status_code == 302 and Question.objects.get(stem="题四").answers == [1]
    page = c.get(reverse("appointments:questions")).content.decode()
    assert "题四" in page and "✓否" in page
    for role in ("member", "unit", "director"):
        assert client_for(role).get(reverse("appointments:questions")).status_code == 403


# ---------------------------------------------------------------- removals, resignations, tenures


def test_resignation_before_appointment_tenures_and_oath_form(ready, client_for):
    world = ready
    staff = world.users["staff"]
    old, new, moved = (nominee(world, name, u)[0] for name, u in (("老局长", "lao"), ("新局长", "xin"), ("调任", "dr")))
    first = new_batch(world, [(old, "appoint", "市教育局局长"), (moved, "appoint", "市住建局局长")])
    perform(first, "submit", staff, {}, today=DAY)
    vote_through(world, first)
    perform(first, "notify", staff, {}, today=DAY)
    assert Tenure.objects.filter(ended_on__isnull=True).count() == 2
    second = new_batch(
        world,
        [
            (new, "appoint", "市教育局局长"),
            (old, "resign", "市教育局局长"),
            (moved, "remove", "市住建局局长"),
            (moved, "appoint", "市发改委主任"),
        ],
    )
    assert [n.kind for n in services.vote_order(second.nominations.all())] == ["resign", "appoint", "remove", "appoint"]
    assert str(second.nominations.get(kind="resign")) == "接受老局长辞去市教育局局长职务"
    perform(second, "submit", staff, {}, today=DAY)
    vote_through(world, second, against=("市发改委主任",))
    perform(second, "notify", staff, {}, today=DAY)
    closed = Tenure.objects.get(person=old)
    assert closed.ended_on == DAY and closed.ended_by.kind == "resign" and closed.organ.endswith("人民政府")
    assert Tenure.objects.get(person=new, ended_on__isnull=True).started_by.batch == second
    assert not Tenure.objects.filter(post="市发改委主任").exists()  # failed: no tenure
    assert Tenure.objects.get(person=moved).ended_by.kind == "remove"
    # the oath form: only the passed appointee who must swear is offered
    url = reverse("appointments:oath_new", args=[second.pk])
    page = client_for("staff").get(url).content.decode()
    assert "新局长" in page and "老局长" not in page
    r = client_for("staff").post(url, {"on": "2020-09-02", "mode": "collective", "administered_by": "主任"})
    assert r.status_code == 422  # no swearer chosen
    n = second.nominations.get(person=new)
    r = client_for("staff").post(
        url, {"on": "2020-09-02", "mode": "collective", "swearers": [n.pk], "administered_by": "主任"}
    )
    assert r.status_code == 422 and "领誓人" in r.content.decode()
    r = client_for("staff").post(
        url,
        {"on": "2020-09-02", "mode": "collective", "swearers": [n.pk], "leader": new.pk, "administered_by": "主任"},
    )
    assert r.status_code == 302 and n.oaths.exists()
    assert client_for("unit").get(url).status_code == 403
    # the post history: staff and members; not the unit, not the public
    history = reverse("appointments:person", args=[old.pk])
    body = client_for("member").get(history).content.decode()
    assert "市教育局局长" in body and "接受辞职" in body
    assert client_for("unit").get(history).status_code == 403
    assert client_for("public").get(history).status_code == 302
    # the figures of section 四
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "任免国家机关工作人员2批次5人次（任命3人次，免职、接受辞职2人次）" in text
    assert "宪法宣誓1次、宣誓1人" in text


# ---------------------------------------------------------------- who sees what


def test_nominee_sees_only_own_exam_and_member_votes_once(ready, client_for, client):
    world = ready
    (p1, u1), (p2, u2) = nominee(world, "甲拟任", "jia"), nominee(world, "乙拟任", "yi")
    b = new_batch(world, [(p1, "appoint", "市教育局局长"), (p2, "appoint", "市卫健委主任")], exam=True)
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    n1, n2 = b.nominations.order_by("order")
    e1 = services.start_exam(u1, n1)
    client.force_login(u2)
    assert client.get(reverse("appointments:exam", args=[e1.pk])).status_code == 404
    assert client.post(reverse("appointments:exam_start", args=[n1.pk])).status_code == 404
    assert "甲拟任" not in client.get(reverse("appointments:my_exams")).content.decode()
    client.force_login(u1)
    assert client.get(reverse("appointments:exam", args=[e1.pk])).status_code == 200
    services.submit_exam(u1, e1, right_answers(e1))
    services.submit_exam(u2, services.start_exam(u2, n2), right_answers(services.start_exam(u2, n2)))
    perform(b, "examine", world.users["staff"], {}, today=DAY)
    perform(b, "open_votes", world.users["staff"], {}, today=DAY)
    ballot = services.vote_order(b.nominations.select_related("ballot"))[0].ballot
    from django.test import Client

    from renda.core.models import User

    member = Client()
    wy1 = User.objects.get(username="wy1")  # a member on the roll (test_appointments' setup)
    member.force_login(wy1)
    url = reverse("ballots:ballot", args=[ballot.pk])
    yes = ballot.options.get(label="赞成").pk
    no = ballot.options.get(label="反对").pk
    assert member.get(url).status_code == 200
    member.post(url, {"choice": [yes], "key": "k1"})
    second = member.post(url, {"choice": [no], "key": "k2"})
    assert second.status_code in (200, 400, 409)
    from renda.ballots.models import Cast

    assert Cast.objects.filter(voter__ballot=ballot, voter__user=wy1).count() == 1
    # a nominating unit sees its own batches only
    assert b.title in client_for("unit").get(reverse("appointments:index")).content.decode()
    assert b.title not in client_for("other_unit").get(reverse("appointments:index")).content.decode()
    assert client_for("other_unit").get(reverse("appointments:batch", args=[b.pk])).status_code == 404
    assert client_for("other_unit").get(reverse("appointments:results", args=[b.pk])).status_code == 404


def test_metrics_count_decided_batches_only(ready):
    world = ready
    p, _ = nominee(world, "丙拟任", "bing")
    b = new_batch(world, [(p, "appoint", "市教育局局长")])
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "任免国家机关工作人员0批次0人次" in text
    vote_through(world, b)
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "任免国家机关工作人员1批次1人次" in text
    assert Nomination.objects.get(pk=b.nominations.get().pk).result == "passed"


def test_bank_and_results_pages_keep_their_query_count(ready, client_for, django_assert_max_num_queries):
    world = ready
    staff = world.users["staff"]
    people = [nominee(world, f"拟任{i}", f"nr{i}") for i in range(6)]
    b = new_batch(world, [(p, "appoint", f"职务{i}") for i, (p, _) in enumerate(people)], exam=True)
    perform(b, "submit", staff, {}, today=DAY)
    c = client_for("staff")

    def counted(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    bank, results = reverse("appointments:questions"), reverse("appointments:results", args=[b.pk])
    few = counted(bank), counted(results)
    for i in range(20):
        services.add_question(staff, world.city, category="宪法", stem=f"题{i}", options=["是", "否"], answers=[0])
    for p, user in people:
        n = b.nominations.get(person=p)
        services.submit_exam(user, services.start_exam(user, n), {})
    assert (counted(bank), counted(results)) == few


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe\x00\x00\x81",
        "类别,题干\n宪法,题\n".encode(),
        '类别,题干,选项A,选项B,正确答案\n"宪法,题,甲,乙,A\n'.encode(),
        "类别,题干,选项A,选项B,正确答案\n宪法,题\x00,甲,乙,A\n".encode(),
        "类别,题干,选项A,选项B,正确答案\n\n,,,,\n".encode(),
        "类别,题干,选项A,选项B,选项C,正确答案\n宪法,题,甲,,丙,A\n".encode(),
    ],
)
def test_a_bad_csv_is_refused_in_chinese_and_writes_nothing(world, content):
    import re

    from renda.appointments.imports import QuestionImporter
    from renda.core.imports import ImportFailed

    before = Question.objects.count()
    file = SimpleUploadedFile("bank.csv", content)
    with pytest.raises(ImportFailed) as refused:
        QuestionImporter().run(world.users["staff"], file, {"congress": world.city})
    assert refused.value.errors and all(re.search(r"[\u4e00-\u9fff]", e.message) for e in refused.value.errors)
    assert Question.objects.count() == before


def test_question_import_applies_the_upload_check(world, client_for, settings):
    c, url = client_for("staff"), reverse("appointments:question_import")
    fake = SimpleUploadedFile("bank.xlsx", b"<html><script>alert(1)</script></html>")
    r = c.post(url, {"congress": world.city.pk, "file": fake})
    assert "内容与扩展名（.xlsx）不符" in r.content.decode()
    settings.RENDA_UPLOAD_MAX_MB = 0  # any file is too big
    csv = "类别,题干,选项A,选项B,正确答案\n宪法,题一,甲,乙,A\n".encode()
    r = c.post(url, {"congress": world.city.pk, "file": SimpleUploadedFile("bank.csv", csv)})
    assert "太大" in r.content.decode() and not Question.objects.filter(stem="题一").exists()


def test_person_page_has_its_title_and_links_only_openable_batches(world, client_for):
    from factories import add_samples

    s = add_samples(world).samples
    p = s["appointment_person"]
    url = reverse("appointments:person", args=[p.pk])
    batch_url = reverse("appointments:batch", args=[Nomination.objects.get(person=p).batch_id])
    page = client_for("staff").get(url).content.decode()
    assert f"<title>{p.name}：任职经历" in page and 'class="breadcrumbs"' in page and f'href="{batch_url}"' in page
    county = client_for("county_staff")
    page = county.get(url).content.decode()
    assert f"<title>{p.name}：任职经历" in page and f'href="{batch_url}"' not in page
    assert county.get(batch_url).status_code == 404  # why it is not linked


def test_question_bank_is_a_searchable_paged_listing(ready, client_for):
    world, c = ready, client_for("staff")
    for i in range(60):
        services.add_question(
            world.users["staff"],
            world.city,
            category="监督法",
            stem=f"分页题{i:02d}",
            options=["是", "否"],
            answers=[1],
        )
    url = reverse("appointments:questions")
    page = c.get(url).content.decode()
    assert "<title>任前法律知识考试题库" in page and 'class="breadcrumbs"' in page
    assert "分页题59" not in page and "page=2" in page  # 64 questions, 50 a page
    page = c.get(url, {"q": "分页题07"}).content.decode()
    assert "分页题07" in page and "分页题08" not in page and "✓否" in page
    page = c.get(url, {"q": "监督法"}).content.decode()
    assert "分页题00" in page and "常委会任免案以什么多数通过" not in page


def test_my_exams_take_constant_queries(ready, client):
    world = ready
    p, user = nominee(world, "丁拟任", "ding")
    client.force_login(user)
    url = reverse("appointments:my_exams")

    def counted():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        return len(ctx.captured_queries), page.content.decode()

    def nominated(post):
        b = new_batch(world, [(p, "appoint", post)], exam=True)
        perform(b, "submit", world.users["staff"], {}, today=DAY)
        n = b.nominations.get()
        services.submit_exam(user, services.start_exam(user, n), {})
        return n

    nominated("市教育局局长")
    one, page = counted()
    assert "<title>任前法律知识考试" in page and "市教育局局长" in page
    for i in range(4):
        nominated(f"职务{i}")
    many, page = counted()
    assert many == one and "职务3" in page
