"""The ballot page (ballots:ballot): the one ballot mechanism's screen. A voter casts once even
when the form is sent twice (the key drawn with the page), staff open and close a ballot that no
case runs, the result shows once closed to whom may see it, and a secret ballot shows no choice."""

import re

import pytest

from renda.ballots import services
from renda.ballots.models import Ballot, Cast

pytestmark = pytest.mark.django_db


def motion(world, **extra):
    ballot = services.create_ballot(
        world.users["staff"],
        congress=world.city,
        title="关于2021年民生实事项目的票决",
        rule="majority_of_all",
        voters=services.deputy_roll(world.term),
        **extra,
    )
    return ballot


def key_of(html: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def test_a_voter_casts_once_even_when_the_form_is_sent_twice(world, client_for):
    ballot = services.open_ballot(world.users["staff"], motion(world))
    url = f"/work/ballots/{ballot.pk}/"
    deputy = client_for("deputy")
    html = deputy.get(url).content.decode()
    assert "赞成" in html and "全体组成人员的过半数通过" in html and "无记名投票" in html
    key = key_of(html)
    yes = ballot.options.get(label="赞成").pk
    first = deputy.post(url, {"action": "vote", "key": key, "choice": yes})
    second = deputy.post(url, {"action": "vote", "key": key, "choice": yes})  # the double click
    assert first.status_code == second.status_code == 302
    assert Cast.objects.filter(voter__ballot=ballot).count() == 1
    page = deputy.get(url).content.decode()
    assert "您已投票" in page and 'name="choice"' not in page
    again = deputy.post(url, {"action": "vote", "key": "another-page", "choice": yes})
    assert again.status_code == 400 and "您已投票，不能重复投票。" in again.content.decode()
    # not on the roll: the staff manage the ballot but do not vote in it
    assert client_for("staff").post(url, {"action": "vote", "key": "k", "choice": yes}).status_code == 403
    # a choice of another ballot, or none: refused in Chinese, nothing cast
    other = client_for("other_deputy")
    response = other.post(url, {"action": "vote", "key": "k2"})
    assert response.status_code == 400 and "请选择一项。" in response.content.decode()
    response = other.post(url, {"action": "vote", "key": "k2", "choice": 999999})
    assert "所选选项不属于本次表决。" in response.content.decode()
    assert Cast.objects.filter(voter__ballot=ballot).count() == 1


def test_staff_open_and_close_and_the_result_shows_no_ones_choice(world, client_for):
    ballot = motion(world)
    url = f"/work/ballots/{ballot.pk}/"
    staff = client_for("staff")
    assert client_for("deputy").get(url).status_code == 404  # a draft: its keepers only
    assert "开始表决" in staff.get(url).content.decode()
    assert client_for("director").post(url, {"action": "open"}).status_code == 404
    assert staff.post(url, {"action": "open"}).status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).state == "open"
    for role, label in (("deputy", "赞成"), ("other_deputy", "反对")):
        c = client_for(role)
        c.post(
            url,
            {
                "action": "vote",
                "key": key_of(c.get(url).content.decode()),
                "choice": ballot.options.get(label=label).pk,
            },
        )
    html = staff.get(url).content.decode()
    assert "应投票2人，已投票2人" in html and "表决结果" not in html
    assert staff.post(url, {"action": "close"}).status_code == 302
    html = staff.get(url).content.decode()
    assert "表决结果" in html and "赞成1票，反对1票" in html and "未通过" in html
    assert "王代表" not in html and "李代表" not in html  # secret: nobody's choice
    # the result is the oversight roles' until published; the voters see it then
    assert "表决结果" in client_for("member").get(url).content.decode()
    assert "结果尚未公布" in client_for("deputy").get(url).content.decode()
    services.publish(world.users["staff"], Ballot.objects.get(pk=ballot.pk))
    assert "表决结果" in client_for("deputy").get(url).content.decode()


def test_a_named_ballot_shows_who_voted_how_to_the_oversight_roles(world, client_for):
    ballot = services.open_ballot(world.users["staff"], motion(world, kind=Ballot.Kind.NAMED))
    url = f"/work/ballots/{ballot.pk}/"
    c = client_for("deputy")
    c.post(
        url,
        {"action": "vote", "key": key_of(c.get(url).content.decode()), "choice": ballot.options.get(label="赞成").pk},
    )
    client_for("staff").post(url, {"action": "close"})
    html = client_for("director").get(url).content.decode()
    assert "记名投票情况" in html and "王代表" in html and "李代表：未投票" in html


def test_a_ballot_run_by_a_case_is_opened_and_closed_by_the_case(world, client_for):
    from factories import add_supervision_samples

    add_supervision_samples(world)
    item = world.samples["supervision_investigation"]  # concluded: a ballot about it, by hand
    ballot = services.create_ballot(
        world.users["staff"],
        congress=world.city,
        title="测评",
        rule="majority_of_cast",
        voters=services.committee_roll(world.city),
        options=[("满意", "for"), ("基本满意", "for"), ("不满意", "against")],
        subject=item,
    )
    services.open_ballot(world.users["staff"], ballot)
    url = f"/work/ballots/{ballot.pk}/"
    staff = client_for("staff")
    html = staff.get(url).content.decode()
    assert "结束表决并计票" not in html and "到所属事项结束测评" in html and item.title in html
    assert staff.post(url, {"action": "close"}).status_code == 403
    assert Ballot.objects.get(pk=ballot.pk).state == "open"
