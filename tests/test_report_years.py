"""Reports open on the latest year that has records, not on this (empty) year; list year
filters use the record's own year with the years that have records; a list writes every
date one way (issue 10, points 1 and 10)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.utils import timezone

from factories import add_samples
from renda.core.listing import _display
from renda.filing.models import Filing
from renda.party import services as party_services
from renda.party.models import StudySession
from renda.reports import metrics
from renda.reports.metrics import Period, Scope
from renda.suggestions.models import Reply, Suggestion

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def world_without_its_ended_mandate(world):
    """The test world has one mandate ended in 2019, a record of deputies.mandates_ended;
    these tests date every record themselves, so it goes (with its roster event)."""
    from renda.deputies.models import DeputyEvent

    DeputyEvent.objects.filter(deputy=world.ended_deputy).delete()
    world.ended_deputy.delete()


@pytest.fixture
def year2020(world):
    """The demo's shape: every counted record of the city is dated in 2020 (rows created today).
    The samples' comment period is open around today (the public comment page needs one that
    accepts comments): here it and its comments are put back into 2020 like the rest."""
    from renda.legislation.models import CommentPeriod, PublicComment

    world = add_samples(world)
    CommentPeriod.objects.filter(opens_on__year__gt=2020).update(
        opens_on=date(2020, 10, 12), closes_on=date(2020, 11, 12)
    )
    PublicComment.objects.filter(submitted_at__year__gt=2020).update(
        submitted_at=timezone.make_aware(datetime(2020, 10, 20, 10))
    )
    return world


def study(world, day, congress=None):
    return party_services.save_register(
        world.admin,
        StudySession(congress=congress or world.city, kind=StudySession.Kind.CENTRAL_GROUP, date=day, topic="学习宪法"),
    )


def received(world, year, lower=False) -> int:
    return metrics.compute("suggestions.received", Scope(world.city, Period.year(year), lower)).value


# ---------------------------------------------------------------- the helper


def test_record_years_of_a_2020_world(year2020):
    years = metrics.record_years(year2020.city)
    assert years.years == [2020]
    assert years.default == 2020
    assert THIS_YEAR != 2020  # the point of the fix: this year is not the year with records


def test_no_records_means_this_year(world):
    years = metrics.record_years(world.city)
    assert years.years == [] and years.default == THIS_YEAR
    assert years.choices() == [THIS_YEAR]


def test_a_late_record_does_not_move_the_reports_to_an_empty_year(year2020):
    study(year2020, date(2021, 1, 8))  # one metric has a record in January of the next year
    years = metrics.record_years(year2020.city)
    assert years.years == [2021, 2020]  # offered
    assert years.default == 2020  # but the reports open on the year most figures are in
    assert years.choices(2018) == [2021, 2020, 2018]  # an asked year stays listed


def test_the_latest_year_when_the_records_move_on(world):
    study(world, date(2019, 3, 1))
    study(world, date(2021, 3, 1))
    assert metrics.record_years(world.city).default == 2021


def test_future_dates_are_not_a_year_with_records(world):
    study(world, date(2019, 3, 1))
    study(world, date(THIS_YEAR + 1, 3, 1))
    years = metrics.record_years(world.city)
    assert years.years == [2019] and years.default == 2019


def test_records_below_count_only_with_lower(world):
    study(world, date(2019, 3, 1), congress=world.county_a)
    assert metrics.record_years(world.city).default == THIS_YEAR
    assert metrics.record_years(world.city, include_lower=True).default == 2019
    assert metrics.record_years(world.county_a).default == 2019


def test_record_years_is_one_query(year2020, django_assert_num_queries):
    metrics.all_metrics()  # the registry loaded
    with django_assert_num_queries(1):
        metrics.record_years(year2020.city, include_lower=True)


# ---------------------------------------------------------------- the report pages


def test_summary_opens_on_2020_with_its_figures(year2020, client_for):
    n = received(year2020, 2020)
    assert n > 0
    response = client_for("staff").get("/work/reports/summary/")
    assert response.status_code == 200
    assert response.context["scope"].period.start.year == 2020
    assert response.context["years"] == [2020]
    html = response.content.decode()
    assert "2020年巴彦淖尔市人大常委会工作综述" in html
    assert re.search(rf"全年收到代表建议<a [^>]*>{n}件</a>", html), html[html.find("全年收到") :][:300]


def test_dashboard_and_metric_list_open_on_2020(year2020, client_for):
    client = client_for("director")
    for url in ("/work/reports/dashboard/", "/work/reports/metrics/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["scope"].period.start.year == 2020, url
        assert '<option value="2020" selected>2020年</option>' in response.content.decode(), url
    data = client.get("/work/reports/dashboard/data/").json()
    assert data["scope"]["year"] == 2020
    values = client.get("/work/reports/metrics/").context["values"]
    got = {v.metric.id: v.value for v in values}
    assert got["suggestions.received"] == received(year2020, 2020)


def test_an_asked_year_is_kept(year2020, client_for):
    response = client_for("staff").get(f"/work/reports/summary/?year={THIS_YEAR}")
    assert response.context["scope"].period.start.year == THIS_YEAR
    assert response.context["years"] == [THIS_YEAR, 2020]
    assert "全年收到代表建议<a" in response.content.decode()


def test_unit_stats_party_index_and_filing_report_open_on_2020(year2020, client_for):
    client = client_for("staff")
    stats = client.get("/work/suggestions/units/")
    assert stats.context["year"] == 2020 and stats.context["years"] == [2020]
    replies = Reply.objects.filter(replied_on__year=2020, suggestion__congress=year2020.city).count()
    assert sum(total for _, total, _, _ in stats.context["rows"]) == replies > 0
    party = client.get("/work/party/")
    assert party.context["year"] == 2020
    assert any(v.value for v in party.context["values"])
    report = client.get("/work/filing/report/")
    assert report.context["year"] == 2020
    assert "2020年度" in report.context["doc"].title


def test_metrics_api_defaults_to_the_latest_year_with_records(year2020, client_for):
    got = client_for("staff").get("/api/metrics/suggestions.received").json()
    assert got["scope"]["year"] == 2020
    assert got["value"] == received(year2020, 2020) > 0
    asked = client_for("staff").get(f"/api/metrics/suggestions.received?year={THIS_YEAR}").json()
    assert asked["scope"]["year"] == THIS_YEAR and asked["value"] == 0


# ---------------------------------------------------------------- list year filters


def test_suggestion_list_filters_on_the_submitted_year(year2020, client_for):
    client = client_for("staff")
    older = year2020.samples["suggestion_registered"]
    Suggestion.objects.filter(pk=older.pk).update(submitted_on=date(2019, 12, 28))
    submitted_2020 = Suggestion.objects.filter(submitted_on__year=2020).count()
    assert submitted_2020 > 1
    assert not Suggestion.objects.filter(created_at__year=2020).exists()  # rows are created today

    page = client.get("/work/suggestions/?year=2020")
    (year_filter,) = [f for f in page.context["filters"] if f["param"] == "year"]
    assert year_filter["choices"] == [("2020", "2020年"), ("2019", "2019年")]  # from the data, newest first
    assert year_filter["current"] == "2020"
    assert page.context["page_obj"].paginator.count == submitted_2020

    page = client.get("/work/suggestions/?year=2019")
    assert [r[1]["value"] for r in page.context["rows"]] == [older.title]

    # this year has no submitted suggestion: not offered, and asking for it filters nothing
    page = client.get(f"/work/suggestions/?year={THIS_YEAR}")
    (year_filter,) = [f for f in page.context["filters"] if f["param"] == "year"]
    assert year_filter["current"] == ""
    assert (
        page.context["page_obj"].paginator.count == client.get("/work/suggestions/").context["page_obj"].paginator.count
    )


def test_year_choices_follow_what_the_reader_sees(year2020, client_for):
    """A deputy's list offers the years of the suggestions they see."""
    Suggestion.objects.exclude(lead_deputy=year2020.deputy).update(submitted_on=date(2018, 5, 1))
    page = client_for("other_deputy").get("/work/suggestions/")
    (year_filter,) = [f for f in page.context["filters"] if f["param"] == "year"]
    seen = page.context["page_obj"].paginator.object_list
    expected = sorted({s.submitted_on.year for s in seen if s.submitted_on}, reverse=True)
    assert [int(v) for v, _ in year_filter["choices"]] == expected


def test_filing_lists_filter_on_the_published_year(year2020, client_for):
    Filing.objects.filter(pk=year2020.samples["filing"].pk).update(published_on=date(2019, 11, 2))
    page = client_for("staff").get("/work/filing/?year=2019")
    assert [r[1]["value"] for r in page.context["rows"]] == [year2020.samples["filing"].title]
    public = client_for("public").get("/filing/")
    (year_filter,) = public.context["filters"]
    assert ("2019", "2019年") in year_filter["choices"]


# ---------------------------------------------------------------- one date format


ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_a_list_writes_every_date_one_way(year2020, client_for):
    filing = year2020.samples["filing"]
    html = client_for("staff").get("/work/filing/").content.decode()
    table = html[html.find("<table") : html.find("</table>")]
    assert table and not ISO.search(table), ISO.findall(table)
    assert f"{filing.published_on.year}年{filing.published_on.month}月{filing.published_on.day}日" in table
    assert f"{filing.filed_on.year}年{filing.filed_on.month}月{filing.filed_on.day}日" in table
    for url in ("/work/suggestions/", "/work/filing/lower/", "/work/accounts/"):
        html = client_for("admin").get(url).content.decode()
        table = html[html.find("<table") : html.find("</table>")]
        assert not ISO.search(table), (url, ISO.findall(table))


def test_cell_text():
    assert _display(date(2020, 12, 22)) == "2020年12月22日"
    assert _display((date(2020, 5, 6), "（迟报）")) == "2020年5月6日（迟报）"
    moment = timezone.make_aware(datetime(2020, 12, 10, 9, 5))
    assert _display(moment) == "2020年12月10日 09:05"
    assert _display(None) == "" and _display(True) == "是"


def test_a_module_page_opens_on_its_own_years(world):
    """A page reporting on one module takes the years of that module's metrics only."""
    study(world, date(2018, 3, 1))
    assert metrics.record_years(world.city, modules=("party",)).default == 2018
    assert metrics.record_years(world.city, modules=("filing",)).years == []


def test_the_annual_filing_report_opens_on_the_last_finished_year(year2020, client_for):
    """Filed this year, registered in 2020: the annual report opens on the year that is over."""
    Filing.objects.filter(pk=year2020.samples["filing"].pk).update(filed_on=date(THIS_YEAR, 1, 5))
    assert THIS_YEAR in metrics.record_years(year2020.city, modules=("filing",)).years
    report = client_for("staff").get("/work/filing/report/")
    assert report.context["year"] == 2020
