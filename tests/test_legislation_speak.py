"""Members deliberate a bill (issue 13 item 7: members read the materials, speak, vote): a member
or director of the bill's own congress gives a 审议意见 in their own name while the bill is
deliberated; it is an Opinion of kind 常委会组成人员, listed on the bill's page and cited by the
next draft like any other. The staff record others' opinions (opinion_new), not their own here."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from factories import DRAFT_V2, add_legislation_samples
from renda.core import services as core_services
from renda.legislation import services
from renda.legislation.models import Cause, Opinion
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples(world):
    world.samples["sitting"] = core_services.create_committee_meeting(
        world.users["admin"], world.term, 23, date(2020, 10, 9)
    )
    add_legislation_samples(world)
    return world.samples


def test_a_member_speaks_on_an_article_and_the_next_draft_cites_it(world, samples, client_for):
    bill = samples["bill_reading"]
    url = reverse("legislation:speak", args=[bill.pk])
    page = client_for("member").get(reverse("legislation:bill", args=[bill.pk]))
    assert url in page.content.decode()  # the member's button on the bill's page

    response = client_for("member").post(url, {"article": "3", "text": "建议明确保护经费的来源，列入财政预算。"})
    assert response.status_code == 302
    opinion = Opinion.objects.get(bill=bill)
    assert (opinion.kind, opinion.article, opinion.recorded_by) == (Opinion.Kind.MEMBER, 3, world.users["member"])
    assert opinion.source == str(world.users["member"])  # no person bound: the account's name
    assert (
        "建议明确保护经费的来源"
        in client_for("staff").get(reverse("legislation:bill", args=[bill.pk])).content.decode()
    )

    # the staff cite it in the next draft as 组成人员意见#N
    version = services.add_draft(
        bill,
        DRAFT_V2.replace("区人民政府负责本辖区的保护工作。", "区人民政府负责本辖区的保护工作，所需经费列入财政预算。"),
        world.users["staff"],
        causes=f"第三条：组成人员意见#{opinion.pk}",
    )
    assert Cause.objects.filter(version=version, article=3, opinion=opinion).exists()


def test_the_director_speaks_in_the_name_of_their_person(world, samples, client_for):
    bill = samples["bill_ready"]  # 审议完毕待表决: still deliberated
    client_for("director").post(reverse("legislation:speak", args=[bill.pk]), {"text": "同意提请表决。"})
    assert Opinion.objects.get(bill=bill).source == world.member.person.name


def test_an_empty_opinion_is_refused_in_chinese_and_keeps_the_article(samples, client_for):
    bill = samples["bill_reading"]
    response = client_for("member").post(reverse("legislation:speak", args=[bill.pk]), {"article": "7", "text": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    assert 'value="7"' in body
    assert not Opinion.objects.filter(bill=bill).exists()


@pytest.mark.parametrize("state", ["drafting", "voting", "passed", "approved"])
def test_no_speaking_outside_deliberation(samples, client_for, state):
    bill = samples[f"bill_{state}"]
    assert client_for("member").get(reverse("legislation:speak", args=[bill.pk])).status_code == 403
    response = client_for("member").post(reverse("legislation:speak", args=[bill.pk]), {"text": "迟到的意见。"})
    assert response.status_code == 403
    assert not Opinion.objects.filter(bill=bill).exists()


def test_staff_do_not_speak_and_nobody_speaks_in_anothers_name(world, samples, client_for):
    bill = samples["bill_reading"]
    assert client_for("staff").get(reverse("legislation:speak", args=[bill.pk])).status_code == 403
    # the service itself: a deputy is not a member of the standing committee
    with pytest.raises(PermissionDenied):
        services.speak(bill, world.users["deputy"], text="代表不是常委会组成人员。")
    # a member records only their own opinion, in their own name: the staff's opinion_new path
    # (any kind, any source, any day) stays the staff's
    with pytest.raises(PermissionDenied):
        services.record_opinion(
            bill,
            world.users["member"],
            kind=Opinion.Kind.MEMBER,
            source="张三",
            text="冒名。",
            received_on=date(2020, 1, 1),
        )
    assert not Opinion.objects.filter(bill=bill).exists()
    # a member of the city does not deliberate a county's bill (they oversee it, they do not sit there)
    county_bill = services.create_bill(
        world.users["county_staff"],
        congress=world.county_a,
        title="某旗规定",
        area="heritage",
        drafter="旗文旅局",
    )
    services.add_draft(county_bill, DRAFT_V2, world.users["county_staff"])
    perform(county_bill, "submit", world.users["county_staff"], {})
    assert county_bill.state == "submitted"
    with pytest.raises(PermissionDenied):
        services.speak(county_bill, world.users["member"], text="城市的组成人员不审议旗县的法规案。")
