"""The work summary: every figure drawn from the registry, never invented."""

from datetime import date

import pytest
from django.core.management import call_command

from renda.party import services
from renda.party.models import StudySession
from renda.reports import numbers, summary


def test_figures_follow_the_records(world):
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "召开党组中心组学习会0次" in text
    records = [
        services.save_register(
            world.admin, StudySession(congress=world.city, kind="central_group", date=date(2020, m, 1), topic="学习")
        )
        for m in range(1, 13)
    ]
    text = summary.to_markdown(summary.build(world.city, 2020))
    assert "召开党组中心组学习会12次" in text
    records[0].delete()
    assert "召开党组中心组学习会11次" in summary.to_markdown(summary.build(world.city, 2020))


def test_modules_not_built_yet_are_noted_not_invented(world):
    doc = summary.build(world.city, 2020)
    text = summary.to_markdown(doc)
    assert [s.title for s in doc.sections] == [
        "始终坚持党的领导",
        "扎实推动立法工作",
        "依法开展监督工作",
        "依法行使决定权和任免权",
        "充分发挥人大代表作用",
        "切实加强自身建设",
    ]
    assert "尚未上线" in text
    assert "{" not in text  # no unreplaced placeholder


def test_an_empty_year_or_congress_renders(world):
    for congress in (world.city, world.township_a):
        doc = summary.build(congress, 1999)
        assert "0次" in summary.to_markdown(doc)
        assert "<h2>" in summary.to_html(doc)


def test_command_writes_markdown(world, capsys):
    call_command("report", "summary", "--year", "2020", "--format", "md")
    out = capsys.readouterr().out
    assert out.startswith("# 2020年巴彦淖尔市人大常委会工作综述")
    call_command("report", "summary", "--year", "2020", "--format", "md", "--congress", world.county_a.code)
    assert "临河区人大常委会工作综述" in capsys.readouterr().out


def test_summary_page_links_each_figure_to_its_records(world, client_for):
    services.save_register(
        world.admin, StudySession(congress=world.city, kind="central_group", date=date(2020, 1, 1), topic="学习")
    )
    response = client_for("staff").get("/work/reports/summary/", {"year": 2020})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-metric="party.study_sessions"' in body
    detail = client_for("staff").get(f"/work/reports/metrics/party.study_sessions/?congress={world.city.pk}&year=2020")
    assert "党组中心组学习会：1次" in detail.content.decode()
    assert client_for("unit").get("/work/reports/summary/").status_code == 403
    assert client_for("staff").get("/work/reports/summary/", {"format": "md", "year": 2020}).status_code == 200


@pytest.mark.parametrize(
    "n,text",
    [
        (0, "0"),
        (99, "99"),
        (100, "100"),
        (556, "550余"),
        (550, "550"),
        (15634, "15600余"),
        (15600, "15600"),
        (123456, "123000余"),
        (1200, "1200"),
        (1234, "1200余"),
    ],
)
def test_approximate_numbers(n, text):
    assert numbers.approximate(n) == text


@pytest.mark.parametrize(
    "amount,text", [(1_150_000_000, "11.5亿元"), (25_000, "2.5万元"), (980, "980元"), (104_950_000, "1.0亿元")]
)
def test_amounts(amount, text):
    assert numbers.yuan(amount) == text
