"""Review of issue 12 as an attacker: bad input answered 4xx in Chinese (never 500), scripts
typed into titles, opinions and speeches shown as text, records that are not cases refused by
the pages that act on cases."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from renda.ballots import services as ballots
from renda.experts.models import ExpertAssignment
from renda.problems.models import ProblemItem
from renda.workflow.engine import perform
from sup_helpers import body, members, sitting, text_file, work_report

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def lenient(client):
    """The client as a browser meets the server: an error is a response, not an exception."""
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("year", ["99999999999", "²", "0", "-1", "2020x"])
def test_the_public_results_page_reads_any_year(world, year):
    response = lenient(Client()).get("/supervision/items/", {"year": year})
    assert response.status_code == 200


def test_a_ballot_choice_that_is_no_number_is_refused_in_chinese(world, client_for):
    ballot = ballots.create_ballot(
        world.users["staff"],
        congress=world.city,
        title="关于2021年民生实事项目的票决",
        rule="majority_of_all",
        voters=ballots.deputy_roll(world.term),
    )
    ballots.open_ballot(world.users["staff"], ballot)
    deputy = lenient(client_for("deputy"))
    for bad in ("²", "abc", "9" * 30):
        response = deputy.post(f"/work/ballots/{ballot.pk}/", {"action": "vote", "key": f"k{bad}", "choice": bad})
        assert response.status_code == 400, bad
        assert "所选选项不属于本次表决。" in response.content.decode() or "请选择一项。" in response.content.decode()
    assert not ballot.voters.filter(cast__isnull=False).exists()


def test_assigning_an_expert_by_an_id_beyond_the_database_is_refused(world, client_for):
    from factories import add_samples

    add_samples(world)
    filing = world.samples["filing"]
    url = reverse("experts:assign", args=("filing.filing", filing.pk))
    staff = lenient(client_for("staff"))
    for bad, message in (("9" * 30, "所选专家不可邀请。"), ("-1", "所选专家不可邀请。"), ("abc", "不是一个有效的值")):
        response = staff.post(url, {"experts": [bad], "task": "审查意见"})
        assert response.status_code == 200, bad
        assert message in response.content.decode() and "审查意见" in response.content.decode()


def test_experts_are_not_assigned_to_an_expert_nor_problems_opened_on_records_that_are_no_cases(world, client_for):
    from factories import add_samples

    add_samples(world)
    expert = world.samples["expert"]
    staff = lenient(client_for("staff"))
    before = ExpertAssignment.objects.count(), ProblemItem.objects.count()
    response = staff.post(reverse("experts:assign", args=("experts.expert", expert.pk)), {"experts": [expert.pk]})
    assert response.status_code == 404
    assert ExpertAssignment.objects.count() == before[0]
    for label, pk in (("experts.expert", expert.pk), ("party.training", world.samples["training"].pk)):
        url = reverse("problems:open", args=(label, pk))
        assert staff.get(url).status_code == 404
        assert staff.post(url, {"title": "x", "unit": world.unit_a.pk, "due_on": "2030-01-01"}).status_code == 404
    assert ProblemItem.objects.count() == before[1]


def test_scripts_typed_in_are_shown_as_text(world, client_for, client):
    staff_user, unit_user = world.users["staff"], world.users["unit"]
    env = body(world)
    report = work_report(world, env, title=f"关于{SCRIPT}的报告")
    ((member, _),) = members(world, 1)
    perform(report, "schedule", staff_user, {"sitting": sitting(world, 21, date(2020, 10, 9)).pk})
    perform(report, "submit_draft", unit_user, {}, {"files": [text_file()]}, today=date(2020, 9, 17))
    perform(report, "submit_report", unit_user, {}, {"files": [text_file()]}, today=date(2020, 9, 28))
    perform(report, "distribute", staff_user, {}, today=date(2020, 9, 29))
    perform(report, "deliberate", staff_user, {}, today=date(2020, 10, 9))
    from renda.supervision import services

    services.record_speech(staff_user, report, member.person, f"发言{SCRIPT}", on=date(2020, 10, 9))
    perform(report, "send_opinions", staff_user, {"opinions": f"意见{SCRIPT}"}, today=date(2020, 10, 30))
    perform(report, "publish", staff_user, {}, today=date(2020, 11, 2))
    from renda.problems.services import open_problem

    problem = open_problem(report, staff_user, title=f"问题{SCRIPT}", unit=world.unit_a, due_on=date(2030, 1, 1))
    pages = [
        (client_for("staff"), report.get_absolute_url()),
        (client_for("staff"), reverse("supervision:index") + "?kind=work_report"),
        (client_for("staff"), reverse("problems:index")),
        (client_for("unit"), reverse("problems:detail", args=[problem.pk])),
        (client_for("unit"), problem.problem_list.get_absolute_url()),
        (client, reverse("supervision_public:item", args=["work_report", report.pk])),
        (client, reverse("supervision_public:items")),
    ]
    for c, url in pages:
        html = c.get(url).content.decode()
        assert ESCAPED in html, url
        assert SCRIPT not in html, url
