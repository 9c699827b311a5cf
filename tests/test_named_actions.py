"""Named actions where views used to check roles themselves: a filing's page shows
outsiders its public part only, the records behind a figure go through the scoping layer
(with the count of those hidden), the annual filing report is for a congress one oversees,
a unit reads its own line of the handling figures, the proposer's contact is for staff."""

from datetime import date

import pytest

from factories import add_samples
from renda.core.models import Person
from renda.core.personal import mask
from renda.core.scoping import allowed
from renda.reports import metrics
from renda.reports.metrics import Metric


@pytest.fixture
def samples(world):
    return add_samples(world).samples


def test_filing_page_shows_outsiders_the_public_part_only(world, samples, client_for):
    filing = samples["filing"]
    url = f"/work/filing/{filing.pk}/"
    for role in ("staff", "director", "gov_clerk"):  # the receiving congress, the filer
        page = client_for(role).get(url).content.decode()
        assert "审查要点" in page and "起草说明" in page and 'data-testid="state"' in page
    for role in ("deputy", "other_deputy", "noroles"):  # may view it, but are outside the case
        response = client_for(role).get(url)
        page = response.content.decode()
        assert response.status_code == 200 and filing.title in page
        assert "审查要点" not in page and "起草说明" not in page and "自动检查" not in page
        assert "审查中" in page and 'data-testid="state"' not in page  # the public status, not the internal one
        assert not allowed(world.users[role], "view_process", filing)
    assert allowed(world.users["gov_clerk"], "view_process", filing)
    assert client_for("other_unit").get(url).status_code == 404


def test_records_behind_a_figure_are_listed_through_scoping(world, client_for, monkeypatch):
    """A figure counts every record; the list shows those the reader may see, and says how
    many it leaves out."""
    monkeypatch.setitem(
        metrics._registry,
        "test.people",
        Metric(
            id="test.people",
            label="人员",
            unit="人",
            definition="测试用：本届代表和组成人员的个人信息。",
            records=lambda scope: Person.objects.filter(mandates__congress=scope.congress),
        ),
    )
    counted = Person.objects.filter(mandates__congress=world.city).count()
    assert counted >= 3
    api = f"/api/metrics/test.people/records?congress={world.city.pk}"
    staff = client_for("staff").get(api).json()  # keeps the congress: sees them all
    assert (staff["count"], staff["hidden"]) == (counted, 0)
    member = client_for("member").get(api).json()  # reads the figures, not the personal data
    assert client_for("member").get(f"/api/metrics/test.people?congress={world.city.pk}").json()["value"] == counted
    assert (member["count"], member["hidden"], member["items"]) == (0, counted, [])
    page = client_for("member").get(f"/work/reports/metrics/test.people/?congress={world.city.pk}").content.decode()
    assert f"另有 {counted} 条被统计的记录您无权查看" in page and world.deputy.person.name not in page
    page = client_for("staff").get(f"/work/reports/metrics/test.people/?congress={world.city.pk}").content.decode()
    assert "无权查看" not in page and world.deputy.person.name in page


def test_annual_report_only_for_a_congress_one_oversees(world, samples, client_for):
    staff, county = client_for("staff"), client_for("county_staff")
    assert staff.get("/work/filing/report/", {"year": 2020}).status_code == 200
    assert staff.get("/work/filing/report/", {"year": 2020, "congress": world.county_a.pk}).status_code == 200
    # a county's staff: their county's report, not the city's (and not by a forged parameter)
    page = county.get("/work/filing/report/", {"year": 2020}).content.decode()
    assert world.county_a.region in page and samples["filing"].title not in page
    assert county.get("/work/filing/report/", {"year": 2020, "congress": world.city.pk}).status_code == 404
    assert county.get("/work/filing/report/", {"congress": "x"}).status_code == 404
    assert county.get("/work/filing/report/", {"congress": "99999999999999"}).status_code == 404
    city = staff.get("/work/filing/report/", {"year": 2020, "congress": world.city.pk}).content.decode()
    assert samples["filing"].title in city
    assert client_for("deputy").get("/work/filing/report/").status_code == 403


def test_a_unit_reads_its_own_line_of_the_handling_figures(world, samples, client_for):
    from renda.suggestions.models import Reply
    from renda.workflow.engine import perform

    perform(
        samples["suggestion"],
        "reply",
        world.users["unit"],
        {"category": "B", "text": "已将管网改造纳入明年计划，分两期实施，今年完成一期工程。", "signed_by": "张局长"},
        today=date(2020, 7, 1),
    )
    assert Reply.objects.filter(unit=world.unit_a).exists()
    own = client_for("unit").get("/work/suggestions/units/", {"year": 2020}).content.decode()
    other = client_for("other_unit").get("/work/suggestions/units/", {"year": 2020}).content.decode()
    staff = client_for("staff").get("/work/suggestions/units/", {"year": 2020}).content.decode()
    assert world.unit_a.name in own and world.unit_a.name in staff
    assert world.unit_a.name not in other
    assert client_for("deputy").get("/work/suggestions/units/").status_code == 403


def test_the_proposers_contact_is_for_the_staff_who_answer(world, samples, client_for):
    proposal = samples["proposal"]
    url = f"/work/filing/proposals/{proposal.pk}/"
    masked = mask(proposal.contact)  # the page masks it; the full value is an audited request
    assert masked in client_for("staff").get(url).content.decode()
    member_page = client_for("member").get(url)
    assert member_page.status_code == 200 and masked not in member_page.content.decode()
    assert allowed(world.users["admin"], "view_contact", proposal)
    assert not allowed(world.users["director"], "view_contact", proposal)
