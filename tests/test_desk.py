"""Issue 10, points 5, 6 and 10: the workbench's to-dos and clocks, the 交办 form's units,
and the smaller items (navigation, labels, messages, filter chips, warming up)."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from renda.core import services as core_services
from renda.core.models import HandlingUnit
from renda.suggestions import services
from renda.workflow.engine import perform

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)


def registered(world, title="关于加快农村饮水工程改造的建议", day=date(2020, 5, 10)):
    s = services.save_draft(
        world.users["deputy"], lead=world.deputy, title=title, content=CONTENT, category="农牧水利", cosigners=[]
    )
    perform(s, "submit", world.users["deputy"], today=day)
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"}, today=day)
    return s


def assigned(world, unit=None, day=date(2020, 5, 10), **kwargs):
    s = registered(world, day=day, **kwargs)
    perform(s, "assign", world.users["staff"], {"lead_unit": (unit or world.unit_a).pk, "period": "3"}, today=day)
    return s


# ---------------------------------------------------------------- point 6: 交办's units


@pytest.fixture
def lower_government(world):
    """As in the demo: the county's government is also a unit of the city (下级人民政府),
    with the same name as the county congress's own record of it."""
    return core_services.create_handling_unit(
        world.admin, world.city, "临河区人民政府", "临河区政府", HandlingUnit.Kind.LOWER_GOVERNMENT
    )


def options(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)


def test_assign_lists_the_congress_units_once_by_full_name(world, client_for, lower_government):
    s = registered(world)
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{s.pk}/assign/").content.decode()
    city_units = HandlingUnit.objects.filter(congress=world.city, is_active=True)
    for name in ("lead_unit", "assisting_units"):
        listed = options(page, name)
        assert sorted(int(pk) for pk, _ in listed) == sorted(city_units.values_list("pk", flat=True))
        labels = [label for _, label in listed]
        assert len(labels) == len(set(labels))  # nothing listed twice under one name
        assert "巴彦淖尔市教育局" in labels and "临河区人民政府" in labels and "市教育局" not in labels
        assert str(world.county_unit.pk) not in dict(listed)


def test_assign_to_another_congress_unit_is_refused_in_chinese(world):
    s = registered(world)
    with pytest.raises(ValidationError) as exc:
        perform(s, "assign", world.users["staff"], {"lead_unit": world.county_unit.pk, "period": "3"})
    assert "选择" in str(exc.value.message_dict["lead_unit"])
    s.refresh_from_db()
    assert s.state == "registered"


def test_case_api_lists_the_narrowed_units(world, client_for, lower_government):
    s = registered(world)
    body = client_for("staff").get(f"/api/cases/suggestion/{s.pk}").json()
    assign = next(t for t in body["transitions"] if t["key"] == "assign")
    lead = assign["input_schema"]["properties"]["lead_unit"]
    assert world.county_unit.pk not in lead["enum"] and world.unit_a.pk in lead["enum"]
    labels = dict(zip(lead["enum"], lead["x-enum-labels"], strict=True))
    assert labels[world.unit_a.pk] == "巴彦淖尔市教育局" and labels[lower_government.pk] == "临河区人民政府"
