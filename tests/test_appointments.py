"""Appointments (rules.md §5): the submission clock before the sitting (APP-4), the law exam
(APP-5: drawn, marked, pass mark, one retake, late papers refused), a nominee sees only their
own exam, one vote per member through ballots (APP-3), the removal voted before the appointment
to the same post, the oath's participants (APP-6 … APP-8), and the public 任免名单."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from factories import PASSWORD, person
from renda.appointments import services
from renda.appointments.models import AppointmentBatch, Exam, Nomination, OathTaking
from renda.ballots import services as ballot_services
from renda.core import services as core
from renda.core.models import CommitteeMember, Role
from renda.workflow.engine import perform
from renda.workflow.models import Deadline, Participation

pytestmark = pytest.mark.django_db
DAY = date(2020, 9, 1)


@pytest.fixture
def setup(world):
    """Four more members with accounts (the roll is every serving member), a sitting, a bank."""
    admin, staff = world.admin, world.users["staff"]
    for n in range(1, 5):
        p = person(admin, f"委员{n}号")
        core.create_committee_member(
            admin, term=world.term, person=p, position=CommitteeMember.Position.MEMBER, start_date=world.term.start_date
        )
        core.create_account(
            admin, username=f"wy{n}", password=PASSWORD, display_name=p.name, person=p,
            roles=[dict(role=Role.MEMBER, congress=world.city)],
        )  # fmt: skip
    world.sitting = core.create_committee_meeting(admin, world.term, 30, date(2020, 10, 9))
    bank = [
        ("常委会任免案以什么多数通过？", ["全体组成人员的过半数", "出席人员的过半数"], [0]),
        ("宪法宣誓誓词的内容包括？", ["忠于宪法", "接受人民监督", "服从上级"], [0, 1]),
        ("常委会会议至少多久举行一次？", ["两个月", "半年"], [0]),
        ("地方组织法规定常委会由谁选举？", ["本级人民代表大会", "上级人大常委会"], [0]),
    ]
    world.questions = [
        services.add_question(staff, world.city, category="宪法", stem=s, options=o, answers=a) for s, o, a in bank
    ]
    return world


def nominee(world, name, username):
    p = person(world.admin, name)
    user = core.create_account(world.admin, username=username, password=PASSWORD, display_name=name, person=p, roles=[])
    return p, user


def new_batch(world, people, *, exam=False):
    staff = world.users["staff"]
    b = services.create_batch(
        staff, congress=world.city, title="关于任免市教育局领导职务的议案", nominator="mayor", unit=world.unit_a
    )
    perform(b, "schedule", staff, {"sitting": world.sitting.pk}, today=DAY)
    for who, kind, post in people:
        services.add_nomination(staff, b, person=who, kind=kind, post=post, exam_required=exam and kind == "appoint")
    return b


def right_answers(exam):
    return {str(q.pk): q.answers for q in services.questions_of(exam)}


def test_submission_clock_before_the_sitting_moves_off_national_day(setup):
    world = setup
    b = new_batch(world, [(person(world.admin, "甲"), "appoint", "市教育局局长")])
    clock_ = Deadline.objects.for_case(b).get(key="submit")
    # 7 days before Fri 9 Oct 2020 is Fri 2 Oct, inside the National Day holiday (1–8 Oct) → Wed 30 Sep
    assert clock_.due_on == date(2020, 9, 30)
    assert clock_.handling_unit_id == world.unit_a.pk
    perform(b, "submit", world.users["unit"], {}, today=date(2020, 9, 28))
    clock_.refresh_from_db()
    assert clock_.status == Deadline.Status.STOPPED
    b.refresh_from_db()
    assert b.state == "submitted" and b.submitted_on == date(2020, 9, 28)


def test_submit_refused_without_nominations(setup):
    world = setup
    b = new_batch(world, [])
    with pytest.raises(ValidationError):
        perform(b, "submit", world.users["staff"], {}, today=DAY)


@override_settings(RENDA_LAW_EXAM_QUESTIONS=3, RENDA_LAW_EXAM_PASS=60, RENDA_LAW_EXAM_RETAKES=1)
def test_exam_draw_mark_retake_and_timeout(setup):
    world = setup
    p, user = nominee(world, "钱拟任", "qian")
    b = new_batch(world, [(p, "appoint", "市教育局局长")], exam=True)
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    n = b.nominations.get()
    first = services.start_exam(user, n)
    assert len(first.question_ids) == 3 and len(set(first.question_ids)) == 3
    assert set(first.question_ids) <= {q.pk for q in world.questions}
    assert services.start_exam(user, n) == first  # an unfinished exam is resumed, not redrawn
    wrong = {str(q.pk): [len(q.options) - 1] for q in services.questions_of(first)}
    first = services.submit_exam(user, first, wrong)
    assert first.passed is False and first.score < 60
    with pytest.raises(ValidationError):
        services.submit_exam(user, first, right_answers(first))  # no second paper
    with pytest.raises(ValidationError, match="尚未通过"):
        perform(b, "examine", world.users["staff"], {}, today=DAY)
    # the retake: late paper refused and counted as failed → no attempt left
    second = services.start_exam(user, n)
    assert second.attempt == 2
    late = second.started_at + timedelta(minutes=second.duration_minutes, seconds=31)
    with pytest.raises(ValidationError, match="已超过考试时间"):
        services.submit_exam(user, second, right_answers(second), now=late)
    second.refresh_from_db()
    assert second.passed is False and second.score == 0 and second.submitted_at is None
    assert services.exam_status(n) == "failed"
    with pytest.raises(ValidationError, match="次数已用完"):
        services.start_exam(user, n)


@override_settings(RENDA_LAW_EXAM_QUESTIONS=4)
def test_exam_passed_through_the_phone_page_then_examined(setup, client):
    world = setup
    p, user = nominee(world, "孙拟任", "sunni")
    b = new_batch(
        world, [(p, "appoint", "市教育局局长"), (person(world.admin, "乙"), "remove", "市教育局副局长")], exam=True
    )
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    n = b.nominations.get(person=p)
    client.force_login(user)
    assert client.get(reverse("appointments:my_exams")).status_code == 200
    r = client.post(reverse("appointments:exam_start", args=[n.pk]))
    exam = Exam.objects.get(nomination=n)
    assert r.url == reverse("appointments:exam", args=[exam.pk])
    page = client.get(r.url)
    assert page.status_code == 200 and page.content.decode().count('data-testid="question"') == 4
    data = {f"q{k}": v for k, v in right_answers(exam).items()}
    client.post(r.url, data)
    exam.refresh_from_db()
    assert exam.score == 100 and exam.passed
    perform(b, "examine", world.users["staff"], {}, today=DAY)  # the removal needs no exam
    assert b.state == "examined"


def test_nominee_sees_only_own_exam(setup, client):
    world = setup
    p1, u1 = nominee(world, "赵拟任", "zhaon")
    p2, u2 = nominee(world, "钱二", "qianer")
    b = new_batch(world, [(p1, "appoint", "市教育局局长"), (p2, "appoint", "市住建局局长")], exam=True)
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    exam1 = services.start_exam(u1, b.nominations.get(person=p1))
    client.force_login(u2)
    assert client.get(reverse("appointments:exam", args=[exam1.pk])).status_code == 404
    assert client.post(reverse("appointments:exam_start", args=[exam1.nomination_id])).status_code == 404
    with pytest.raises(Exception, match="本人"):
        services.start_exam(u2, exam1.nomination)
    client.force_login(world.users["director"])  # a director reads the results, not the exam page
    results = client.get(reverse("appointments:results", args=[b.pk]))
    assert results.status_code == 200 and "赵拟任" in results.content.decode()
    assert client.get(reverse("appointments:exam", args=[exam1.pk])).status_code == 404
    client.force_login(world.users["unit"])  # the nominating unit sees the batch, not the results
    assert client.get(reverse("appointments:batch", args=[b.pk])).status_code == 200
    assert client.get(reverse("appointments:results", args=[b.pk])).status_code == 403
    client.force_login(world.users["other_unit"])
    assert client.get(reverse("appointments:batch", args=[b.pk])).status_code == 404


def _examined(world, people):
    b = new_batch(world, people)
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    perform(b, "examine", world.users["staff"], {}, today=DAY)
    return b


def _vote(nomination, say="赞成"):
    nomination.refresh_from_db()
    option = nomination.ballot.options.get(label=say)
    for v in nomination.ballot.voters.select_related("user"):
        ballot_services.cast(nomination.ballot, v.user, [option], idempotency_key=f"k{nomination.pk}-{v.user_id}")


def test_removal_is_voted_before_the_appointment_to_the_same_post(setup):
    world = setup
    staff = world.users["staff"]
    new, old, other = (person(world.admin, n) for n in ("新局长", "旧局长", "另一人"))
    b = _examined(
        world, [(new, "appoint", "市教育局局长"), (other, "appoint", "市住建局局长"), (old, "remove", "市教育局局长")]
    )
    assert [n.person for n in services.vote_order(b.nominations.all())] == [old, new, other]
    perform(b, "open_votes", staff, {}, today=DAY)
    noms = {n.person_id: n for n in b.nominations.select_related("ballot")}
    assert noms[old.pk].ballot.state == "open"  # one at a time: only the removal is open
    assert noms[new.pk].ballot.state == "draft" and noms[other.pk].ballot.state == "draft"
    assert noms[old.pk].ballot.pk < noms[new.pk].ballot.pk < noms[other.pk].ballot.pk
    _vote(noms[old.pk])
    perform(b, "next_vote", staff, {}, today=DAY)
    noms[new.pk].refresh_from_db()
    assert noms[new.pk].ballot.state == "open"


def test_one_vote_per_member_and_majority_of_all(setup):
    world = setup
    staff = world.users["staff"]
    b = _examined(world, [(person(world.admin, "丙"), "appoint", "市教育局局长")])
    perform(b, "open_votes", staff, {}, today=DAY)
    n = b.nominations.select_related("ballot").get()
    assert n.ballot.rule == "majority_of_all" and n.ballot.voters.count() == 5  # every serving member
    yes = n.ballot.options.get(label="赞成")
    director = world.users["director"]
    ballot_services.cast(n.ballot, director, [yes], idempotency_key="a")
    with pytest.raises(ValidationError):
        ballot_services.cast(n.ballot, director, [yes], idempotency_key="b")
    for u in [v.user for v in n.ballot.voters.select_related("user") if v.user_id != director.pk][:1]:
        ballot_services.cast(n.ballot, u, [yes], idempotency_key="c")
    perform(b, "decide", staff, {}, today=DAY)  # 2 of 5: not a majority of all members
    n.refresh_from_db()
    assert n.result == Nomination.Result.FAILED and b.state == "decided"


def test_oath_participants_and_public_notice(setup, client):
    world = setup
    staff = world.users["staff"]
    a, c = person(world.admin, "宣誓甲"), person(world.admin, "宣誓乙")
    b = _examined(world, [(a, "appoint", "市教育局局长"), (c, "appoint", "市住建局局长")])
    perform(b, "open_votes", staff, {}, today=DAY)
    first, second = services.vote_order(b.nominations.all())
    _vote(first)
    perform(b, "next_vote", staff, {}, today=DAY)
    _vote(second)
    perform(b, "decide", staff, {}, today=DAY)
    # decided, not yet notified: the public list does not show them
    assert "宣誓甲" not in client.get(reverse("appointments_public:notices")).content.decode()
    with pytest.raises(ValidationError):
        services.record_oath(staff, b, on=DAY, mode="collective", nominations=[first], administered_by="周主任")
    perform(b, "notify", staff, {}, today=DAY)
    page = client.get(reverse("appointments_public:notices")).content.decode()
    assert "任命宣誓甲为市教育局局长" in page and "任命宣誓乙为市住建局局长" in page
    with pytest.raises(ValidationError, match="尚未进行宪法宣誓"):
        perform(b, "swear", staff, {}, today=DAY)
    with pytest.raises(ValidationError, match="领誓人"):
        services.record_oath(staff, b, on=DAY, mode="collective", nominations=[first, second], administered_by="周主任")
    oath = services.record_oath(
        staff, b, on=date(2020, 10, 10), mode="collective", nominations=[first, second], administered_by="周主任",
        leader=a,
    )  # fmt: skip
    assert "富强民主文明和谐美丽" in oath.text and "2018" in oath.citation
    rows = Participation.objects.filter(
        object_id=b.pk, content_type=ContentType.objects.get_for_model(AppointmentBatch)
    )
    assert {r.person_id for r in rows} == {a.pk, c.pk} and {r.on for r in rows} == {date(2020, 10, 10)}
    assert {r.get_capacity_display() for r in rows} == {"宪法宣誓"}
    perform(b, "swear", staff, {}, today=DAY)
    b.refresh_from_db()
    assert b.state == "sworn" and OathTaking.objects.filter(batch=b).count() == 1
    client.force_login(staff)
    assert "宣誓甲" in client.get(reverse("appointments:batch", args=[b.pk])).content.decode()


def test_list_is_scoped_with_constant_queries(setup, client, django_assert_max_num_queries):
    world = setup
    new_batch(world, [(person(world.admin, "丁"), "appoint", "市教育局局长")])
    client.force_login(world.users["staff"])
    with django_assert_max_num_queries(25):
        r = client.get(reverse("appointments:index"))
    assert "关于任免市教育局领导职务的议案" in r.content.decode()
    for _ in range(3):
        new_batch(world, [])
    with django_assert_max_num_queries(25):
        client.get(reverse("appointments:index"))
    client.force_login(world.users["other_unit"])
    assert "关于任免" not in client.get(reverse("appointments:index")).content.decode()


@override_settings(RENDA_LAW_EXAM_QUESTIONS=2, RENDA_LAW_EXAM_RETAKES=1)
def test_an_exam_left_open_past_its_time_counts_as_failed(setup):
    world = setup
    p, user = nominee(world, "李拟任", "lini")
    b = new_batch(world, [(p, "appoint", "市教育局局长")], exam=True)
    perform(b, "submit", world.users["staff"], {}, today=DAY)
    n = b.nominations.get()
    first = services.start_exam(user, n)
    later = first.ends_at + timedelta(minutes=5)
    second = services.start_exam(user, n, now=later)  # the first expired: the retake starts
    first.refresh_from_db()
    assert first.passed is False and second.attempt == 2
