"""List pages on a phone: each column's part in a row's card (title, key line, folded)
and the page size a narrow screen gets (core/listing.py). The layout itself is checked
in a browser by tests/e2e/test_lists_phone.py."""

import re
from datetime import date

import pytest

from factories import person
from renda.core import services
from renda.core.listing import Column, Listing
from renda.core.models import Deputy
from renda.filing.views import FilingList
from renda.portal.views import DeputyDirectory
from renda.suggestions.views import SuggestionList


def _listing(*columns):
    return Listing(model=Deputy, title="测试", columns=list(columns))


def test_card_roles():
    plain = Column("甲", str)
    linked = Column("乙", str, url=str)
    badge = Column("丙", str, badge=str)
    key = Column("丁", str, key=True)
    # the first column with a url is the title; a badge is always a key line; the rest fold
    assert _listing(plain, linked, badge, key).card_roles() == ["minor", "title", "key", "key"]
    # a declared title wins over the url
    titled = Column("戊", str, title=True)
    assert _listing(linked, titled, key).card_roles() == ["minor", "title", "key"]
    # no url: the first column; nothing declared key: nothing is folded
    assert _listing(plain, Column("己", str)).card_roles() == ["title", "key"]


@pytest.mark.parametrize(
    "view,keys",
    [
        (DeputyDirectory, {"人大", "代表团", "工作单位及职务"}),
        (SuggestionList, {"编号", "领衔代表", "主办单位", "状态", "答复期限", "重点督办"}),
        (FilingList, {"文号", "制定机关", "报送日期", "状态", "期限"}),
    ],
)
def test_modules_declare_their_key_fields(view, keys):
    roles = dict(zip((c.label for c in view.listing.columns), view.listing.card_roles(), strict=True))
    assert {label for label, role in roles.items() if role == "key"} == keys
    assert list(roles.values()).count("title") == 1


def _add_deputies(world, n):
    for i in range(n):
        services.create_deputy(
            world.admin, person=person(world.admin, f"批量代表{i}"), term=world.term, elected_date=date(2017, 1, 6)
        )


def _rows(response):
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r"<tr>(.*?)</tr>", body[body.index("<tbody>") : body.index("</tbody>")], re.S)


def _labels(row, part):
    """The labels of the row's cells that play `part` in its card."""
    cells = re.findall(rf'<td class="{part}[^"]*">(.*?)</td>', row, re.S)
    return [m.group(1) if (m := re.search(r'<span class="cell-label">(.*?)</span>', c)) else None for c in cells]


def test_a_phone_gets_shorter_pages(world, client):
    _add_deputies(world, 30)
    narrow = Listing.__dataclass_fields__["phone_per_page"].default
    wide = Listing.__dataclass_fields__["per_page"].default
    total = len(_rows(client.get("/deputies/")))
    assert total > narrow and total <= wide
    # renda.js remembers the screen in a cookie; before it has run, a mobile browser's hint
    client.cookies["renda_narrow"] = "1"
    assert len(_rows(client.get("/deputies/"))) == narrow
    assert "第 1 / 2 页" in client.get("/deputies/").content.decode()
    client.cookies["renda_narrow"] = "0"
    assert len(_rows(client.get("/deputies/", headers={"Sec-CH-UA-Mobile": "?1"}))) == total
    del client.cookies["renda_narrow"]
    assert len(_rows(client.get("/deputies/", headers={"Sec-CH-UA-Mobile": "?1"}))) == narrow
    assert len(_rows(client.get("/deputies/", headers={"Sec-CH-UA-Mobile": "?0"}))) == total


def test_each_cell_carries_its_part_and_label(world, client):
    row = _rows(client.get("/deputies/"))[0]
    assert _labels(row, "title") == [None]  # the heading has no label
    assert _labels(row, "key") == ["人大：", "代表团：", "工作单位及职务："]
    assert _labels(row, "minor") == ["性别：", "民族："]
    assert re.search(r'<td class="fold"><details><summary>', row)
