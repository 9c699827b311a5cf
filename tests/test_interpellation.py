"""质询案 (SUP-9, 监督法 Art. 51-54): proposed jointly by at least 5 members (3 at a county), the
directors decide to put it to the organ, the organ answers orally or in writing, the proposers
say on a named ballot whether they are satisfied, and only when more than half of them are not
may the directors order a second answer."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.supervision import effects, services
from renda.supervision.cases import INTERPELLATION
from renda.supervision.models import Interpellation
from renda.workflow.documents import current
from renda.workflow.engine import WorkflowError, perform
from renda.workflow.models import Participation
from sup_helpers import body, members, text_file

pytestmark = pytest.mark.django_db

QUESTIONS = "一、全市中小学校舍安全隐患排查为何迟迟未完成？二、专项资金拨付滞后的原因和责任是什么？"
ANSWER = "经查，校舍排查因专业检测机构不足而滞后，现已增加三家机构，年底前全部完成。"


@pytest.fixture
def proposers(world):
    return members(world, 6)


def propose(world, people, **extra):
    fields = dict(
        title="关于市教育局校舍安全工作的质询案",
        organ=world.unit_a,
        questions=QUESTIONS,
        proposers=[m for m, _ in people],
        body=body(world, name="巴彦淖尔市人大常委会教育科学文化卫生工作委员会", short="教科文卫工委"),
        on=date(2020, 6, 15),
    )
    fields.update(extra)
    return services.propose_interpellation(world.users["staff"], world.city, **fields)


def answered(world, people, mode="oral"):
    case = propose(world, people)
    perform(case, "accept", world.users["director"], {"answer_mode": mode}, today=date(2020, 6, 18))
    perform(case, "answer", world.users["unit"], {"answer": ANSWER, "signed_by": "李局长"}, today=date(2020, 6, 28))
    return case


def assess(world, case, people, choices):
    """The proposers' named ballot: `choices` maps a proposer's index to 满意/不满意 (others do not vote)."""
    perform(case, "open_assessment", world.users["staff"], {}, today=date(2020, 6, 29))
    ballot = effects.open_ballot_of(case)
    options = {o.label: o.pk for o in ballot.options.all()}
    for i, choice in choices.items():
        user = people[i][1]
        ballots.cast(ballot, user, [options[choice]], idempotency_key=f"{case.pk}-{case.round}-{user.pk}")
    perform(case, "close_assessment", world.users["staff"], {}, today=date(2020, 6, 30))
    return ballot


def test_fewer_than_five_members_are_refused_at_a_city(world, proposers):
    with pytest.raises(ValidationError) as refused:
        propose(world, proposers[:4])
    assert refused.value.message_dict == {"proposers": ["质询案须由常委会组成人员5人以上联名提出。"]}
    # the same person twice is one proposer
    with pytest.raises(ValidationError):
        propose(world, [*proposers[:4], proposers[0]])
    assert not Interpellation.objects.exists()
    case = propose(world, proposers[:5])
    assert case.state == "submitted"


def test_three_members_suffice_at_a_county(world):
    county = members(world, 3, term=world.county_term, prefix="区委员")
    kwargs = dict(organ=world.county_unit, body=world.county_office)
    with pytest.raises(ValidationError) as refused:
        services.propose_interpellation(
            world.users["county_staff"],
            world.county_a,
            title="关于临河区农村供水的质询案",
            questions=QUESTIONS,
            proposers=[m for m, _ in county[:2]],
            **kwargs,
        )
    assert refused.value.message_dict == {"proposers": ["质询案须由常委会组成人员3人以上联名提出。"]}
    case = services.propose_interpellation(
        world.users["county_staff"],
        world.county_a,
        title="关于临河区农村供水的质询案",
        questions=QUESTIONS,
        proposers=[m for m, _ in county],
        **kwargs,
    )
    assert case.congress == world.county_a and case.state == "submitted"


def test_the_proposers_are_participants(world, proposers):
    case = propose(world, proposers[:5])
    rows = Participation.objects.filter(
        content_type=ContentType.objects.get_for_model(Interpellation), object_id=case.pk
    )
    assert sorted((r.person.name, r.capacity, r.on) for r in rows) == sorted(
        [("委员1", "author", date(2020, 6, 15))] + [(f"委员{i}", "cosigner", date(2020, 6, 15)) for i in range(2, 6)]
    )
    assert set(effects.proposers(case).values_list("person_id", flat=True)) == {m.person_id for m, _ in proposers[:5]}


def test_the_directors_decide_and_the_organ_answers(world, proposers):
    case = propose(world, proposers[:5])
    staff, unit, other_unit = world.users["staff"], world.users["unit"], world.users["other_unit"]
    # only the directors' meeting puts it to the organ
    for who in (staff, unit, proposers[0][1]):
        with pytest.raises(PermissionDenied):
            perform(case, "accept", who, {"answer_mode": "oral"})
    with pytest.raises(WorkflowError):
        perform(case, "answer", unit, {"answer": ANSWER, "signed_by": "李局长"})
    perform(case, "accept", world.users["director"], {"answer_mode": "written"}, today=date(2020, 6, 18))
    assert (case.state, case.answer_mode) == ("accepted", "written")
    # another organ does not answer for this one
    with pytest.raises(PermissionDenied):
        perform(case, "answer", other_unit, {"answer": ANSWER, "signed_by": "王局长"})
    perform(
        case,
        "answer",
        unit,
        {"answer": ANSWER, "signed_by": "李局长"},
        {"files": [text_file("书面答复.txt", ANSWER)]},
        today=date(2020, 6, 28),
    )
    case.refresh_from_db()
    assert (case.state, case.answer, case.held_on) == ("answered", ANSWER, date(2020, 6, 28))
    assert (current(case, "answer").name, current(case, "answer").text.strip()) == ("书面答复.txt", ANSWER)


def test_the_directors_may_reject(world, proposers):
    case = propose(world, proposers[:5])
    with pytest.raises(ValidationError):
        perform(case, "reject", world.users["director"], {})  # a reason is required
    perform(case, "reject", world.users["director"], {"note": "不属于质询范围，转为询问。"})
    assert case.state == "rejected" and INTERPELLATION.state("rejected").terminal


def test_oral_answer_satisfied_majority_concludes_without_a_second_answer(world, proposers):
    people = proposers[:5]
    case = answered(world, people)
    # no assessment yet: no second answer
    with pytest.raises(ValidationError) as early:
        perform(case, "order_second_answer", world.users["director"], {"note": "要求再作答复。"})
    assert early.value.messages == ["提案人中不满意的未超过半数，主任会议不能决定再作答复。"]
    ballot = assess(world, case, people, {0: "不满意", 1: "不满意", 2: "满意", 3: "满意", 4: "满意"})
    assert ballot.kind == Ballot.Kind.NAMED
    assert sorted(ballot.voters.values_list("user__username", flat=True)) == sorted(u.username for _, u in people)
    # a named ballot: who said what is on record
    votes = {voter.user.username: [o.label for o in chosen] for voter, chosen in ballots.named_votes(ballot)}
    assert votes == {people[0][1].username: ["不满意"], people[1][1].username: ["不满意"]} | {
        u.username: ["满意"] for _, u in people[2:]
    }
    assert case.state == "answered" and not effects.dissatisfied_majority(case)
    with pytest.raises(ValidationError):
        perform(case, "order_second_answer", world.users["director"], {"note": "要求再作答复。"})
    perform(case, "conclude", world.users["director"], {}, today=date(2020, 7, 2))
    assert (case.state, case.concluded_on, case.round) == ("concluded", date(2020, 7, 2), 1)


@pytest.mark.parametrize(
    "size, choices, may_order",
    [
        (5, {0: "不满意", 1: "不满意", 2: "不满意", 3: "满意"}, True),  # 3 of 5: more than half
        (6, {0: "不满意", 1: "不满意", 2: "不满意", 3: "满意", 4: "满意", 5: "满意"}, False),  # exactly half
        (5, {0: "不满意", 1: "不满意"}, False),  # the others did not vote: half of the proposers, not of votes
    ],
)
def test_more_than_half_of_the_proposers(world, proposers, size, choices, may_order):
    people = proposers[:size]
    case = answered(world, people)
    assess(world, case, people, choices)
    assert effects.dissatisfied_majority(case) is may_order
    if not may_order:
        with pytest.raises(ValidationError):
            perform(case, "order_second_answer", world.users["director"], {"note": "要求再作答复。"})
        assert case.state == "answered"
    else:
        perform(case, "order_second_answer", world.users["director"], {"note": "要求再作答复。"})
        assert (case.state, case.round) == ("accepted", 2)


def test_second_answer_then_conclusion(world, proposers):
    people = proposers[:5]
    case = answered(world, people, mode="oral")
    assess(world, case, people, dict.fromkeys(range(5), "不满意"))
    # the staff do not order it: the directors' meeting does
    with pytest.raises(PermissionDenied):
        perform(case, "order_second_answer", world.users["staff"], {"note": "要求再作答复。"})
    perform(
        case, "order_second_answer", world.users["director"], {"note": "答复未回应资金问题。"}, today=date(2020, 7, 1)
    )
    assert (case.state, case.round) == ("accepted", 2)
    second = "专项资金已于7月全部拨付，对延误负有责任的两名干部已问责。"
    perform(case, "answer", world.users["unit"], {"answer": second, "signed_by": "李局长"}, today=date(2020, 7, 10))
    case.refresh_from_db()
    assert case.answer == second
    # the first vote was on the first answer: it orders nothing now
    with pytest.raises(ValidationError):
        perform(case, "order_second_answer", world.users["director"], {"note": "再次要求。"})
    ballot = assess(world, case, people, dict.fromkeys(range(5), "满意"))
    assert "（第2次）" in ballot.title
    assert ballots.tally(ballot).totals.get("for") == 5
    perform(case, "conclude", world.users["staff"], {}, today=date(2020, 7, 15))
    assert case.state == "concluded"
    assert [e.transition for e in case.events()] == [
        "accept",
        "answer",
        "open_assessment",
        "close_assessment",
        "order_second_answer",
        "answer",
        "open_assessment",
        "close_assessment",
        "conclude",
    ]
