"""Legislation foundation (rules.md LEG-1, LEG-2, LEG-5, LEG-6, LEG-8): the bill case type with
its readings counted against the setting, the vote, the 4-month approval clock and the 公告's
required elements; drafts as versions with an article-level diff page; public comment periods
(≥ 30 days), comments (closed after the deadline, contact only for staff, moderation, handling)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factories import DRAFT_V1, add_legislation_samples
from renda.ballots import motions
from renda.ballots import services as ballots
from renda.core import services as core_services
from renda.legislation import services
from renda.legislation.models import Bill, PublicComment
from renda.workflow.engine import perform
from renda.workflow.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(world):
    meeting = core_services.create_committee_meeting(world.users["admin"], world.term, 23, date(2020, 10, 9))
    world.samples["sitting"] = meeting
    return meeting


@pytest.fixture
def samples(world, sitting):
    add_legislation_samples(world)
    return world.samples


def new_bill(world, **extra):
    fields = dict(congress=world.city, title="样例市河道管理条例", area=Bill.Area.ECOLOGY, drafter="市水务局")
    fields.update(extra)
    bill = services.create_bill(world.users["staff"], **fields)
    services.add_draft(bill, DRAFT_V1, world.users["staff"])
    return bill


def report():
    return [
        SimpleUploadedFile("审议结果的报告.txt", "法制委员会关于审议结果的报告。".encode(), content_type="text/plain")
    ]


def test_outside_the_four_areas_needs_a_legal_basis(world):
    with pytest.raises(ValidationError) as exc:
        services.create_bill(
            world.users["staff"], congress=world.city, title="样例市税收条例", area=Bill.Area.OTHER, drafter="市财政局"
        )
    assert "立法法第八十一条" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.create_bill(world.users["deputy"], congress=world.city, title="x", area="urban", drafter="y")


@pytest.mark.parametrize("readings", [2, 3])
def test_readings_follow_the_setting_then_vote_approval_promulgation(world, sitting, settings, readings):
    settings.RENDA_LEGISLATION_READINGS = readings
    staff = world.users["staff"]
    bill = new_bill(world)
    assert bill.readings_required == readings
    day = date(2020, 10, 9)
    perform(bill, "submit", staff, {}, today=day)
    perform(bill, "read", staff, {"sitting": sitting.pk}, today=day)
    assert (bill.state, bill.readings_done) == ("reading", 1)
    # the second reading needs the legal committee's report
    with pytest.raises(ValidationError):
        perform(bill, "read", staff, {"sitting": sitting.pk}, today=day)
    for n in range(2, readings + 1):
        perform(bill, "read", staff, {"sitting": sitting.pk}, {"files": report()}, today=day)
        bill.refresh_from_db()
        assert bill.readings_done == n
    assert bill.state == "ready"
    perform(bill, "open_vote", staff, {"kind": "named"}, today=day)
    ballot = motions.ballots_about(bill).get()
    assert ballot.rule == "majority_of_all"
    for voter in ballot.voters.all():
        ballots.cast(ballot, voter.user, [ballot.options.get(label="赞成").pk], idempotency_key=f"k{voter.pk}")
    perform(bill, "close_vote", staff, {}, today=day)
    bill.refresh_from_db()
    assert bill.state == "passed" and bill.passed_on == day
    perform(bill, "submit_approval", staff, {}, today=day)
    clock = Deadline.objects.get(object_id=bill.pk, case_type="bill", key="approval")
    assert clock.due_on == date(2021, 2, 9)  # four months (立法法第八十一条)
    assert "四个月" in clock.citation
    perform(
        bill, "approve", staff, {"approving_body": "内蒙古自治区人大常委会", "approved_on": "2020-12-01"}, today=day
    )
    elements = {
        "announcement": "第1号",
        "enacting_body": "样例市人大常委会",
        "passed_on": "2020-10-09",
        "approving_body": "内蒙古自治区人大常委会",
        "approved_on": "2020-12-01",
        "effective_on": "2021-03-01",
    }
    for missing in ("enacting_body", "approved_on", "effective_on"):
        with pytest.raises(ValidationError):
            perform(bill, "promulgate", staff, {**elements, missing: ""}, today=date(2020, 12, 5))
    with pytest.raises(ValidationError):  # 施行日期 before 批准时间
        perform(bill, "promulgate", staff, {**elements, "effective_on": "2020-11-01"}, today=date(2020, 12, 5))
    perform(bill, "promulgate", staff, elements, today=date(2020, 12, 5))
    bill.refresh_from_db()
    assert bill.state == "promulgated" and bill.effective_on == date(2021, 3, 1)
    assert Deadline.objects.get(object_id=bill.pk, case_type="bill", key="approval").stopped_on == day


def test_a_failed_vote_rejects(world, samples):
    bill = samples["bill_voting"]
    perform(bill, "close_vote", world.users["staff"], {})  # nobody voted: not a majority of all
    bill.refresh_from_db()
    assert bill.state == "rejected" and bill.passed_on is None


def test_submit_needs_a_draft(world):
    bill = services.create_bill(
        world.users["staff"], congress=world.city, title="样例市条例", area=Bill.Area.URBAN, drafter="市住建局"
    )
    with pytest.raises(ValidationError):
        perform(bill, "submit", world.users["staff"], {})


def test_diff_page_shows_changed_article_with_segments(world, samples, client_for):
    bill = samples["bill_reading"]
    page = client_for("member").get(reverse("legislation:diff", args=[bill.pk]) + "?a=1&b=2")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-kind="changed"' in html and 'data-kind="added"' in html
    assert "<ins>加强" in html and "和利用" in html
    assert "<del>" not in html or "</del>" in html
    assert "第四条" in html
    assert client_for("member").get(reverse("legislation:diff", args=[bill.pk]) + "?a=1&b=9").status_code == 404
    assert client_for("deputy").get(reverse("legislation:diff", args=[bill.pk])).status_code == 404


def test_articles_of_a_version(world, samples):
    version = services.drafts(samples["bill_reading"]).last()
    assert [a.number for a in services.articles_of(version).articles] == [1, 2, 3, 4]
    with pytest.raises(ValidationError):
        services.add_draft(samples["bill_reading"], "没有条文的文字。", world.users["staff"])


def test_comment_period_at_least_thirty_days(world, samples):
    bill = samples["bill_reading"]
    version = services.drafts(bill).last()
    start = date(2021, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.open_period(
            bill, world.users["staff"], version=version, opens_on=start, closes_on=start + timedelta(28)
        )
    assert "三十日" in str(exc.value)
    period = services.open_period(
        bill, world.users["staff"], version=version, opens_on=start, closes_on=start + timedelta(29)
    )
    assert period.pk
    with pytest.raises(PermissionDenied):
        services.open_period(bill, world.users["member"], version=version, opens_on=start, closes_on=date(2021, 3, 1))


def test_public_page_takes_comments_until_close(world, samples, client):
    period = samples["comment_period"]
    url = reverse("legislation_public:period", args=[period.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "第三条" in html and "<form" in html
    assert "已公开意见1条" in html  # the published comment on 第三条 is counted
    sent = client.post(url, {"article": "3", "text": "建议规定区人民政府的具体职责。", "contact": "13700000001"})
    assert sent.status_code == 302
    comment = PublicComment.objects.filter(period=period).latest("id")
    assert comment.article == 3 and comment.status == "pending" and comment.contact == "13700000001"
    # after closes_on: no form, a POST is refused
    period.closes_on = timezone.localdate() - timedelta(days=1)
    period.opens_on = period.closes_on - timedelta(days=40)
    period.save()
    closed = client.get(url).content.decode()
    assert "已于" in closed and "截止" in closed and "<form" not in closed
    assert client.post(url, {"article": "3", "text": "迟到的意见，请予考虑。"}).status_code == 410
    with pytest.raises(ValidationError):
        services.submit_comment(period, text="迟到的意见，请予考虑。")


def test_comment_throttled(world, samples, client, settings):
    from renda.legislation import public_views

    url = reverse("legislation_public:period", args=[samples["comment_period"].pk])
    for _ in range(public_views.COMMENTS_PER_HOUR):
        assert client.post(url, {"text": "建议增加公众参与的规定。"}).status_code == 302
    answer = client.post(url, {"text": "再提一条意见，内容保留。"})
    assert answer.status_code == 429 and "再提一条意见，内容保留。" in answer.content.decode()


def test_unpublished_period_is_not_public(world, samples, client):
    assert (
        client.get(reverse("legislation_public:period", args=[samples["comment_period_draft"].pk])).status_code == 404
    )


def test_contact_only_for_staff_and_moderation(world, samples, client_for):
    period = samples["comment_period"]
    url = reverse("legislation:comments", args=[period.pk])
    staff_page = client_for("staff").get(url).content.decode()
    assert "13900000009" in staff_page and "建议增加公众参与的规定" in staff_page and "对草案整体的意见" in staff_page
    member_page = client_for("member").get(url)
    assert member_page.status_code == 200 and "13900000009" not in member_page.content.decode()
    assert client_for("deputy").get(url).status_code == 404
    pending = PublicComment.objects.get(period=period, status="pending")
    with pytest.raises(PermissionDenied):
        services.moderate(pending, world.users["member"], publish=True)
    with pytest.raises(ValidationError):  # hiding needs a reason
        services.moderate(pending, world.users["staff"], publish=False)
    services.moderate(pending, world.users["staff"], publish=False, reason="与草案无关")
    from renda.core.scoping import PUBLIC, visible

    public = list(visible(PUBLIC, PublicComment))
    assert public == [samples["public_comment"]]
    with pytest.raises(ValidationError):
        services.handle(samples["public_comment"], world.users["staff"], handling="not_adopted")
    services.handle(samples["public_comment"], world.users["staff"], handling="partly", note="补助标准由政府另行规定。")
    assert "部分采纳" in client_for("staff").get(url).content.decode()


def test_comments_page_constant_queries(world, samples, client_for):
    period = samples["comment_period"]
    url = reverse("legislation:comments", args=[period.pk])
    c = client_for("staff")
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for n in range(15):
        services.submit_comment(
            period, text=f"第{n}条补充意见，请研究。", article=(n % 4) + 1, contact=f"1380000{n:04d}"
        )
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    assert len(many) == len(few)


def test_bill_page_and_list(world, samples, client_for):
    bill = samples["bill_approved"]
    page = client_for("director").get(reverse("legislation:bill", args=[bill.pk])).content.decode()
    assert "对照第1稿和第2稿" in page and "公开征求意见" in page
    assert client_for("unit").get(reverse("legislation:bill", args=[bill.pk])).status_code == 404
    listing = client_for("staff").get(reverse("legislation:index")).content.decode()
    assert bill.title in listing
