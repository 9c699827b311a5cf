"""专题询问 (SUP-7): the questions asked at the sitting (by members and by deputies, each a
Participation 发言), who answered for the organ, the promises — each opened on the one problem
ledger, whose list arises from the inquiry — and the inquiry's own opinions and response loop."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from factories import PASSWORD
from renda.core import services as core
from renda.core.models import Role
from renda.core.scoping import visible
from renda.problems.models import ProblemItem, ProblemList
from renda.problems.services import problems_of
from renda.supervision import services
from renda.supervision.models import Inquiry, InquiryQuestion
from renda.workflow.engine import perform
from renda.workflow.links import links_of
from renda.workflow.models import Deadline, Link, Participation
from sup_helpers import body, members, sitting

pytestmark = pytest.mark.django_db

PROMISE = "年内完成全市燃煤散烧治理，建成区清洁取暖率达到90%以上。"


@pytest.fixture
def inquiry(world, settings):
    settings.RENDA_SUPERVISION_RESPONSE_MONTHS = 3
    env = body(world)
    item = services.add_item(
        world.users["staff"],
        None,
        "inquiry",
        congress=world.city,
        title="关于大气污染防治工作情况的专题询问",
        body=env,
        organ=world.unit_b,
        on=date(2020, 3, 2),
    )
    perform(item, "schedule", world.users["staff"], {"sitting": sitting(world, 19, date(2020, 6, 23)).pk})
    return item


@pytest.fixture
def committee_staff(world, inquiry):
    """A staff member of the body in charge (环资工委): the one who accepts the problems' closure."""
    return core.create_account(
        world.admin,
        username="huanzi",
        password=PASSWORD,
        display_name="环资工委",
        roles=[dict(role=Role.STAFF, congress=world.city, body=inquiry.body)],
    )


def held(world, inquiry):
    perform(inquiry, "hold", world.users["staff"], {}, today=date(2020, 6, 23))
    return inquiry


def ask(world, inquiry, asker, deputy=None, promises=PROMISE, question="燃煤散烧治理进度为何滞后？"):
    return services.add_question(
        world.users["staff"],
        inquiry,
        asker,
        question,
        "市住建局局长 王某",
        answer="受资金影响，部分改造推迟。",
        promises=promises,
        deputy=deputy,
        on=date(2020, 6, 23),
    )


def test_questions_are_recorded_with_their_askers_as_speakers(world, inquiry):
    held(world, inquiry)
    member, _ = members(world, 1)[0]
    q1 = ask(world, inquiry, member.person)
    q2 = ask(world, inquiry, world.deputy.person, deputy=world.deputy, question="农村清洁取暖补贴何时发放到位？")
    assert [(q.order, q.asker.name, q.asker_deputy) for q in (q1, q2)] == [
        (1, "委员1", None),
        (2, "王代表", world.deputy),
    ]
    rows = Participation.objects.filter(content_type=ContentType.objects.get_for_model(Inquiry), object_id=inquiry.pk)
    assert sorted((r.person.name, r.deputy_id, r.capacity, r.on) for r in rows) == [
        ("委员1", None, "speaker", date(2020, 6, 23)),
        ("王代表", world.deputy.pk, "speaker", date(2020, 6, 23)),
    ]
    # the deputy's archive counts it: their participation is theirs to see
    assert visible(world.users["deputy"], Participation).filter(deputy=world.deputy, object_id=inquiry.pk).exists()
    # the organ does not write the record of the questions it was asked
    with pytest.raises(PermissionDenied):
        services.add_question(world.users["other_unit"], inquiry, member.person, "问题", "局长")
    with pytest.raises(ValidationError):
        services.add_question(world.users["staff"], inquiry, member.person, "", "局长")  # no question
    assert InquiryQuestion.objects.filter(inquiry=inquiry).count() == 2


def test_a_promise_becomes_a_problem_item_arising_from_the_inquiry(world, inquiry, committee_staff):
    held(world, inquiry)
    member, _ = members(world, 1)[0]
    question = ask(world, inquiry, member.person)
    item = services.open_problem_from_promise(
        world.users["staff"], question, unit=world.unit_b, due_on=date(2020, 12, 31), on=date(2020, 6, 30)
    )
    assert (item.state, item.unit, item.body, item.measures, item.listed_on, item.due_on) == (
        "listed",
        world.unit_b,
        inquiry.body,
        PROMISE,
        date(2020, 6, 30),
        date(2020, 12, 31),
    )
    assert item.title == "燃煤散烧治理进度为何滞后？" and item.number == "问〔2020〕1号"
    question.refresh_from_db()
    assert question.problem == item
    # the ledger's list arises from the inquiry (a workflow.Link 源于) and is that source's one list
    problem_list = item.problem_list
    assert problem_list.source == inquiry
    assert Link.objects.filter(
        kind=Link.Kind.ARISES_FROM,
        from_type=ContentType.objects.get_for_model(ProblemList),
        from_id=problem_list.pk,
        to_type=ContentType.objects.get_for_model(Inquiry),
        to_id=inquiry.pk,
    ).exists()
    # seen from the inquiry's page: 引出… the list
    assert [(v.phrase, v.other) for v in links_of(inquiry, world.users["staff"])] == [("引出…", problem_list)]
    # a second promise goes on the same list, with its own title
    other = ask(world, inquiry, world.deputy.person, deputy=world.deputy, promises="年底前兑现清洁取暖补贴。")
    second = services.open_problem_from_promise(
        world.users["staff"],
        other,
        unit=world.unit_b,
        due_on=date(2020, 11, 30),
        title="清洁取暖补贴发放滞后",
        on=date(2020, 7, 1),
    )
    assert second.problem_list == problem_list and second.title == "清洁取暖补贴发放滞后"
    assert list(problems_of(inquiry, world.users["other_unit"]).order_by("pk")) == [item, second]
    assert not problems_of(inquiry, world.users["unit"]).exists()  # another unit's problems
    # the organ then works it on the ledger, and the body in charge accepts the closure
    perform(item, "sign", world.users["other_unit"])
    assert item.state == "rectifying"


def test_what_cannot_be_put_on_the_ledger(world, inquiry):
    member, _ = members(world, 1)[0]
    question = ask(world, inquiry, member.person)
    staff = world.users["staff"]
    kwargs = dict(unit=world.unit_b, due_on=date(2020, 12, 31), on=date(2020, 7, 1))
    with pytest.raises(ValidationError) as early:
        services.open_problem_from_promise(staff, question, **kwargs)
    assert early.value.message_dict == {"question": ["专题询问开展后才能将承诺列入问题清单。"]}
    held(world, inquiry)
    with pytest.raises(PermissionDenied):
        services.open_problem_from_promise(world.users["other_unit"], question, **kwargs)
    with pytest.raises(PermissionDenied):
        services.open_problem_from_promise(world.users["county_staff"], question, **kwargs)
    nothing = ask(world, inquiry, member.person, promises="")
    with pytest.raises(ValidationError) as empty:
        services.open_problem_from_promise(staff, nothing, **kwargs)
    assert empty.value.message_dict == {"promises": ["该问题没有承诺的整改措施。"]}
    with pytest.raises(ValidationError) as late:
        services.open_problem_from_promise(
            staff, question, unit=world.unit_b, due_on=date(2020, 6, 1), on=date(2020, 7, 1)
        )
    assert late.value.message_dict == {"due_on": ["整改期限不能早于列入日期。"]}
    assert not ProblemItem.objects.exists()
    services.open_problem_from_promise(staff, question, **kwargs)
    with pytest.raises(ValidationError) as twice:
        services.open_problem_from_promise(staff, question, **kwargs)
    assert twice.value.message_dict == {"question": ["该问题的承诺已经列入问题清单。"]}
    assert ProblemItem.objects.count() == 1


def test_the_inquiry_opinions_response_loop_and_publication(world, inquiry, client_for):
    staff, organ = world.users["staff"], world.users["other_unit"]
    held(world, inquiry)
    ask(world, inquiry, world.deputy.person, deputy=world.deputy)
    anonymous = AnonymousUser()
    assert not visible(anonymous, InquiryQuestion).exists()
    assert inquiry.held_on == date(2020, 6, 23)
    with pytest.raises(PermissionDenied):
        perform(inquiry, "send_opinions", organ, {"opinions": "一、加快燃煤散烧治理。二、落实清洁取暖补贴。"})
    perform(
        inquiry,
        "send_opinions",
        staff,
        {"opinions": "一、加快燃煤散烧治理。二、落实清洁取暖补贴。"},
        today=date(2020, 7, 6),
    )
    clock = Deadline.objects.for_case(inquiry).get(key="response")
    assert (inquiry.state, clock.due_on, clock.handling_unit) == ("opinions_sent", date(2020, 10, 9), world.unit_b)
    # 6 July + 3 months = 6 October, inside the National Day holiday (1–8 October): the next working day
    with pytest.raises(PermissionDenied):
        perform(inquiry, "respond", world.users["unit"], {"response": "已全部落实审议意见。", "signed_by": "张局长"})
    perform(
        inquiry,
        "respond",
        organ,
        {"response": "已制定燃煤散烧治理方案，补贴已发放到位。", "signed_by": "王局长"},
        today=date(2020, 9, 28),
    )
    clock.refresh_from_db()
    assert (inquiry.state, inquiry.response_received_on, clock.status) == (
        "response_received",
        date(2020, 9, 28),
        Deadline.Status.STOPPED,
    )
    # not yet published: the public does not find it
    public = client_for("public")
    assert public.get(f"/api/cases/inquiry/{inquiry.pk}").status_code == 404
    perform(inquiry, "conclude", staff, {"publish": True}, today=date(2020, 10, 12))
    assert (inquiry.state, inquiry.concluded_on, inquiry.published_on) == (
        "concluded",
        date(2020, 10, 12),
        date(2020, 10, 12),
    )
    shown = public.get(f"/api/cases/inquiry/{inquiry.pk}")
    assert shown.status_code == 200 and shown.json()["title"] == "关于大气污染防治工作情况的专题询问"
    # the questions follow the inquiry: everyone sees them once it is published
    assert visible(anonymous, InquiryQuestion).filter(inquiry=inquiry).count() == 1
