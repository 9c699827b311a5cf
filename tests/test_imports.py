"""Excel imports of deputies and handling units: every bad row reported with a Chinese
message, nothing written unless every row is good, scoped permissions, templates."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from renda.core.imports import DeputyImporter, ImportFailed, UnitImporter
from renda.core.models import AuditEntry, Delegation, Deputy, DeputyGroup, HandlingUnit, Person

CJK = re.compile(r"[\u4e00-\u9fff]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEPUTY_HEADERS = list(DeputyImporter.columns)
UNIT_HEADERS = list(UnitImporter.columns)


def xlsx(headers, rows, *, sheet_title="Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="data.xlsx", content_type=XLSX):
    return SimpleUploadedFile(name, content, content_type=content_type)


def deputy_row(name="钱一", **values):
    """A full row in DEPUTY_HEADERS order; values are given by header."""
    row = {
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1975-03-08",
        "政治面貌": "中共党员",
        "学历": "大学",
        "工作单位及职务": "杭锦后旗某某村党支部书记",
        "手机号码": "13812345678",
        "代表团": "杭锦后旗代表团",
        "代表小组": "杭锦后旗第一代表小组",
        "选举单位": "杭锦后旗",
        "代表构成": "农牧民",
        "基层代表": "是",
        "当选日期": "2017-01-06",
    }
    row.update(values)
    return [row[h] for h in DEPUTY_HEADERS]


def unit_row(name, short_name, kind="政府工作部门", parent="", phone=""):
    return [name, short_name, kind, parent, phone]


GOOD_DEPUTIES = [
    deputy_row("钱一"),
    # A real Excel date cell, a number typed as the mobile, the other delegation.
    deputy_row(
        "孙二",
        性别="女",
        民族="",
        出生日期=datetime(1982, 7, 1),
        手机号码=13912345678,
        代表团="五原县代表团",
        代表小组="",
        选举单位="",
        代表构成="工人",
        基层代表="否",
        当选日期=datetime(2017, 1, 6),
    ),
    deputy_row("李三", 出生日期="1968/11/23", 当选日期="2017年1月6日", 手机号码="", 代表构成=""),
]


def writes() -> int:
    """Entries of the audit log that record writes: not the test clients' sign-ins nor the
    refusals, which are security events of their own."""
    return AuditEntry.objects.exclude(action__in=("login", "denied")).count()


def counts():
    return Deputy.objects.count(), Person.objects.count(), Delegation.objects.count(), writes()


def error_rows(exc: ImportFailed) -> set[int]:
    return {e.row for e in exc.value.errors}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------- deputies: the good file


def test_good_deputy_file_imports(world, client_for):
    before = counts()
    client = client_for("staff")
    response = client.post(
        "/work/deputies/import/",
        {"term": world.term.pk, "file": upload(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES), "代表名单.xlsx")},
    )
    assert response.status_code == 302
    assert response.url == "/work/deputies/"
    assert Deputy.objects.count() == before[0] + 3
    assert Person.objects.count() == before[1] + 3

    new = {
        d.person.name: d
        for d in Deputy.objects.filter(person__name__in=["钱一", "孙二", "李三"]).select_related(
            "person", "delegation", "group", "constituency"
        )
    }
    assert set(new) == {"钱一", "孙二", "李三"}
    for deputy in new.values():
        assert deputy.term == world.term and deputy.congress == world.city
        assert deputy.status == Deputy.Status.SERVING
        assert str(deputy.elected_date) == "2017-01-06"

    qian, sun, li = new["钱一"], new["孙二"], new["李三"]
    assert qian.delegation.name == "杭锦后旗代表团" and qian.delegation.term == world.term
    assert qian.group.name == "杭锦后旗第一代表小组" and qian.constituency.name == "杭锦后旗"
    assert qian.occupation == Deputy.Occupation.FARMER and qian.is_grassroots
    assert qian.person.gender == "M" and qian.person.mobile == "13812345678"
    assert str(qian.person.birth_date) == "1975-03-08"
    assert sun.person.gender == "F" and sun.person.ethnicity == "汉族"  # empty ethnicity defaults
    assert sun.person.mobile == "13912345678" and str(sun.person.birth_date) == "1982-07-01"
    assert sun.delegation.name == "五原县代表团" and sun.group is None and sun.constituency is None
    assert sun.occupation == Deputy.Occupation.WORKER and not sun.is_grassroots
    assert str(li.person.birth_date) == "1968-11-23" and li.occupation == Deputy.Occupation.OTHER
    assert li.delegation == qian.delegation  # one delegation per name and term

    assert Delegation.objects.filter(term=world.term, name="杭锦后旗代表团").count() == 1
    assert Delegation.objects.filter(term=world.term, name="五原县代表团").count() == 1
    assert DeputyGroup.objects.filter(term=world.term, name="杭锦后旗第一代表小组").count() == 1

    # An audit entry per record written, made by the importing account.
    staff = world.users["staff"]
    for deputy in new.values():
        for label, pk in (("core.Deputy", deputy.pk), ("core.Person", deputy.person_id)):
            entry = AuditEntry.objects.get(model=label, object_id=str(pk))
            assert entry.action == "create" and entry.actor == staff
    for name in ("杭锦后旗代表团", "五原县代表团"):
        delegation = Delegation.objects.get(term=world.term, name=name)
        assert AuditEntry.objects.filter(model="core.Delegation", object_id=str(delegation.pk)).count() == 1

    # The list shows them, with the success message.
    page = page_text(client.get(response.url))
    assert "导入成功：共 3 条。" in page and "钱一" in page


def test_importer_run_returns_count(world):
    count = DeputyImporter().run(
        world.users["staff"], io.BytesIO(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES)), {"term": world.term}
    )
    assert count == 3


def test_template_example_imports_as_is(world, client_for):
    template = client_for("staff").get("/work/deputies/import/?template=1").content
    response = client_for("staff").post("/work/deputies/import/", {"term": world.term.pk, "file": upload(template)})
    assert response.status_code == 302
    deputy = Deputy.objects.select_related("person").get(person__name="张三")
    assert deputy.occupation == Deputy.Occupation.FARMER and deputy.is_grassroots


# ---------------------------------------------------------------- deputies: bad rows


BAD_DEPUTIES = [
    deputy_row("周一"),  # row 2: good
    deputy_row(""),  # row 3: no name
    deputy_row("吴三", 性别="未知", 手机号码="1381234"),  # row 4: bad gender and bad mobile
    deputy_row("郑四"),  # row 5: good
    deputy_row("王五", 当选日期="2017-02-30"),  # row 6: no such date
]
BAD_ROWS = {3, 4, 6}


def test_bad_rows_are_all_reported_and_nothing_imported(world, client_for):
    before = counts()
    response = client_for("staff").post(
        "/work/deputies/import/", {"term": world.term.pk, "file": upload(xlsx(DEPUTY_HEADERS, BAD_DEPUTIES))}
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "未导入任何数据" in page
    for row in BAD_ROWS:
        assert f"第{row}行" in page, row
    for row in (2, 5):
        assert f"第{row}行" not in page, row
    for column in ("姓名", "性别", "手机号码", "当选日期"):
        assert f"<td>{column}</td>" in page, column
    assert "请输入11位手机号码。" in page
    assert counts() == before
    assert not Person.objects.filter(name__in=["周一", "吴三", "郑四", "王五"]).exists()


def test_bad_rows_direct(world):
    before = counts()
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(xlsx(DEPUTY_HEADERS, BAD_DEPUTIES)), {"term": world.term})
    assert error_rows(exc) == BAD_ROWS
    by_row = {}
    for error in exc.value.errors:
        by_row.setdefault(error.row, set()).add(error.column)
        assert CJK.search(error.message), error
    assert by_row == {3: {"姓名"}, 4: {"性别", "手机号码"}, 6: {"当选日期"}}
    assert counts() == before


@pytest.mark.parametrize(
    "values, column",
    [
        ({"出生日期": "1975-13-45"}, "出生日期"),
        ({"出生日期": "不详"}, "出生日期"),
        ({"当选日期": ""}, "当选日期"),
        ({"性别": ""}, "性别"),
        ({"手机号码": "1381234567a"}, "手机号码"),
        ({"代表构成": "宇航员"}, "代表构成"),
        ({"姓名": "长" * 41}, "姓名"),
    ],
)
def test_each_kind_of_bad_value(world, values, column):
    rows = [deputy_row("甲"), deputy_row("乙", **values)]
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(xlsx(DEPUTY_HEADERS, rows)), {"term": world.term})
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, column)]
    assert CJK.search(exc.value.errors[0].message)
    assert not Person.objects.filter(name="甲").exists()


def test_blank_rows_are_skipped_and_numbering_kept(world):
    rows = [deputy_row("甲"), [None] * len(DEPUTY_HEADERS), deputy_row("乙", 性别="未知")]
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(xlsx(DEPUTY_HEADERS, rows)), {"term": world.term})
    assert error_rows(exc) == {4}


# ---------------------------------------------------------------- deputies: bad files


def test_missing_required_header(world, client_for):
    headers = [h for h in DEPUTY_HEADERS if h != "当选日期"]
    rows = [[v for h, v in zip(DEPUTY_HEADERS, deputy_row("甲")) if h != "当选日期"]]
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(xlsx(headers, rows)), {"term": world.term})
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "当选日期")]
    assert "当选日期" in exc.value.errors[0].message

    before = counts()
    response = client_for("staff").post(
        "/work/deputies/import/", {"term": world.term.pk, "file": upload(xlsx(headers, rows))}
    )
    assert response.status_code == 200
    assert "缺少必需的列“当选日期”" in page_text(response)
    assert counts() == before


def test_optional_headers_may_be_missing(world):
    headers = ["姓名", "性别", "当选日期"]
    count = DeputyImporter().run(
        world.users["staff"], io.BytesIO(xlsx(headers, [["甲", "女", "2017-01-06"]])), {"term": world.term}
    )
    assert count == 1
    assert Deputy.objects.get(person__name="甲").delegation is None


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("代表名单.txt", "姓名,性别\n张三,男\n".encode(), "请上传 .xlsx 格式的 Excel 文件。"),
        ("代表名单.xlsx", bytes(range(256)) * 8, "无法读取该文件"),
        ("代表名单.xlsx", b"", None),  # an empty upload: Django's own (Chinese) message
        ("代表名单.xlsx", "姓名,性别\n张三,男\n".encode("gbk"), "无法读取该文件"),
    ],
)
def test_not_an_xlsx_file(world, client_for, name, content, message):
    before = counts()
    response = client_for("staff").post(
        "/work/deputies/import/", {"term": world.term.pk, "file": upload(content, name, "application/octet-stream")}
    )
    assert response.status_code == 200
    page = page_text(response)
    if message:
        assert message in page
    assert re.search(r'class="[^"]*error', page) or 'role="alert"' in page
    assert counts() == before


def test_not_an_xlsx_file_direct(world):
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(b"PK\x03\x04 not really a zip"), {"term": world.term})
    assert CJK.search(exc.value.errors[0].message)


def damaged_sheet(content: bytes) -> bytes:
    """The workbook with its first sheet's XML cut in half (the zip itself intact)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def test_damaged_sheet_is_refused_in_chinese(world, client_for):
    """openpyxl reads a sheet lazily: damage inside it showed while reading the rows, after
    the check of the file, and the import page failed with a 500 (found by
    tests/test_fuzz_importers.py)."""
    content = damaged_sheet(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES))
    before = counts()
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(world.users["staff"], io.BytesIO(content), {"term": world.term})
    assert "文件可能已损坏" in exc.value.errors[0].message
    response = client_for("staff").post("/work/deputies/import/", {"term": world.term.pk, "file": upload(content)})
    assert response.status_code == 200
    assert "文件可能已损坏" in page_text(response)
    assert counts() == before


def test_empty_sheet(world, client_for):
    # A workbook with nothing in it, and one with the header but no data row.
    for content, expected in ((xlsx(None, []), "文件是空的"), (xlsx(DEPUTY_HEADERS, []), "文件中没有数据行。")):
        with pytest.raises(ImportFailed) as exc:
            DeputyImporter().run(world.users["staff"], io.BytesIO(content), {"term": world.term})
        assert any(expected in e.message for e in exc.value.errors), exc.value.errors
        response = client_for("staff").post("/work/deputies/import/", {"term": world.term.pk, "file": upload(content)})
        assert response.status_code == 200
        assert expected in page_text(response)


def test_form_requires_term_and_file(world, client_for):
    before = counts()
    client = client_for("staff")
    response = client.post("/work/deputies/import/", {"term": world.term.pk})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"file"}
    response = client.post("/work/deputies/import/", {"file": upload(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES))})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"term"}
    assert counts() == before


# ---------------------------------------------------------------- units


def run_units(world, rows, *, congress=None, user="staff"):
    return UnitImporter().run(
        world.users[user], io.BytesIO(xlsx(UNIT_HEADERS, rows)), {"congress": congress or world.city}
    )


def test_unit_import_with_parent_from_the_same_file(world, client_for):
    rows = [
        unit_row("巴彦淖尔市农牧局", "市农牧局", parent="巴彦淖尔市人民政府", phone="0478-1234567"),
        unit_row("巴彦淖尔市农牧技术推广中心", "农牧推广中心", kind="其他单位", parent="巴彦淖尔市农牧局"),
        unit_row("巴彦淖尔市中级人民法院", "市中院", kind="人民法院"),
    ]
    before = HandlingUnit.objects.count()
    response = client_for("staff").post(
        "/work/units/import/", {"congress": world.city.pk, "file": upload(xlsx(UNIT_HEADERS, rows))}
    )
    assert response.status_code == 302 and response.url == "/work/units/"
    assert HandlingUnit.objects.count() == before + 3
    bureau = HandlingUnit.objects.get(name="巴彦淖尔市农牧局")
    centre = HandlingUnit.objects.get(name="巴彦淖尔市农牧技术推广中心")
    assert bureau.parent.name == "巴彦淖尔市人民政府" and bureau.contact_phone == "0478-1234567"
    assert bureau.kind == HandlingUnit.Kind.DEPARTMENT and bureau.congress == world.city
    assert centre.parent == bureau and centre.kind == HandlingUnit.Kind.OTHER
    assert HandlingUnit.objects.get(name="巴彦淖尔市中级人民法院").kind == HandlingUnit.Kind.COURT
    for unit in (bureau, centre):
        assert (
            AuditEntry.objects.filter(model="core.HandlingUnit", object_id=str(unit.pk), action="create").count() == 1
        )


def test_unit_duplicates_within_file(world, client_for):
    rows = [
        unit_row("巴彦淖尔市农牧局", "市农牧局"),
        unit_row("巴彦淖尔市水利局", "市水利局"),
        unit_row("巴彦淖尔市农牧局", "农牧局"),
    ]
    before = HandlingUnit.objects.count()
    with pytest.raises(ImportFailed) as exc:
        run_units(world, rows)
    [error] = exc.value.errors
    assert error.row == 4 and error.column == "单位名称" and "第2行" in error.message
    response = client_for("staff").post(
        "/work/units/import/", {"congress": world.city.pk, "file": upload(xlsx(UNIT_HEADERS, rows))}
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "第4行" in page and "与第2行重复" in page
    assert HandlingUnit.objects.count() == before


def test_unit_existing_name_rolls_back_the_whole_file(world, client_for):
    rows = [
        unit_row("巴彦淖尔市农牧局", "市农牧局"),
        unit_row("巴彦淖尔市水利局", "市水利局"),
        unit_row(world.unit_a.name, "市教育局"),
    ]
    before = (HandlingUnit.objects.count(), writes())
    with pytest.raises(ImportFailed) as exc:
        run_units(world, rows)
    assert [e.row for e in exc.value.errors] == [4]
    assert world.unit_a.name in exc.value.errors[0].message and "已存在" in exc.value.errors[0].message
    assert (HandlingUnit.objects.count(), writes()) == before
    assert not HandlingUnit.objects.filter(name__in=["巴彦淖尔市农牧局", "巴彦淖尔市水利局"]).exists()

    response = client_for("staff").post(
        "/work/units/import/", {"congress": world.city.pk, "file": upload(xlsx(UNIT_HEADERS, rows))}
    )
    assert response.status_code == 200
    assert "第4行" in page_text(response) and "已存在" in page_text(response)
    assert (HandlingUnit.objects.count(), writes()) == before


def test_unit_parent_later_in_file_or_unknown(world):
    rows = [
        unit_row("巴彦淖尔市农牧技术推广中心", "农牧推广中心", parent="巴彦淖尔市农牧局"),
        unit_row("巴彦淖尔市农牧局", "市农牧局"),
        unit_row("巴彦淖尔市水利局", "市水利局", parent="不存在的单位"),
    ]
    before = HandlingUnit.objects.count()
    with pytest.raises(ImportFailed) as exc:
        run_units(world, rows)
    assert [e.row for e in exc.value.errors] == [2, 4]
    assert all("上级单位" in e.message for e in exc.value.errors)
    assert HandlingUnit.objects.count() == before


def test_unit_parent_of_another_congress_is_not_found(world):
    # A county's unit is not a parent in the city, even with the right name.
    with pytest.raises(ImportFailed) as exc:
        run_units(world, [unit_row("巴彦淖尔市农牧局", "市农牧局", parent=world.county_unit.name)])
    assert [e.row for e in exc.value.errors] == [2]


def test_unit_bad_rows(world):
    rows = [
        unit_row("", "简称"),
        unit_row("巴彦淖尔市农牧局", "", kind="不知道"),
        unit_row("巴彦淖尔市水利局", "市水利局"),
    ]
    with pytest.raises(ImportFailed) as exc:
        run_units(world, rows)
    assert {(e.row, e.column) for e in exc.value.errors} == {(2, "单位名称"), (3, "简称"), (3, "类别")}
    assert all(CJK.search(e.message) for e in exc.value.errors)
    assert not HandlingUnit.objects.filter(name="巴彦淖尔市水利局").exists()


def test_unit_same_name_in_another_congress_is_fine(world):
    assert run_units(world, [unit_row(world.unit_a.name, "教育局")], congress=world.county_a) == 1
    assert HandlingUnit.objects.filter(name=world.unit_a.name).count() == 2


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("role", ["deputy", "other_deputy", "unit", "member", "noroles"])
@pytest.mark.parametrize(
    "url",
    [
        "/work/deputies/import/",
        "/work/units/import/",
        "/work/deputies/import/?template=1",
        "/work/units/import/?template=1",
    ],
)
def test_import_pages_forbidden(world, client_for, role, url):
    assert client_for(role).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/work/deputies/import/", "/work/units/import/", "/work/units/import/?template=1"])
def test_import_pages_need_login(world, client_for, url):
    response = client_for("public").get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["public", "deputy", "unit"])
def test_import_posts_refused(world, client_for, role):
    before = counts(), HandlingUnit.objects.count()
    client = client_for(role)
    response = client.post(
        "/work/deputies/import/", {"term": world.term.pk, "file": upload(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES))}
    )
    assert response.status_code in (302, 403)
    response = client.post(
        "/work/units/import/",
        {"congress": world.city.pk, "file": upload(xlsx(UNIT_HEADERS, [unit_row("巴彦淖尔市农牧局", "市农牧局")]))},
    )
    assert response.status_code in (302, 403)
    assert (counts(), HandlingUnit.objects.count()) == before


def test_county_staff_imports_into_their_own_term_only(world, client_for):
    client = client_for("county_staff")
    page = client.get("/work/deputies/import/")
    assert page.status_code == 200
    assert list(page.context["form"].fields["term"].queryset) == [world.county_term]

    before = counts()
    response = client.post(
        "/work/deputies/import/", {"term": world.term.pk, "file": upload(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES))}
    )
    assert response.status_code == 200
    assert "term" in response.context["form"].errors
    assert counts() == before

    response = client.post(
        "/work/deputies/import/", {"term": world.county_term.pk, "file": upload(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES))}
    )
    assert response.status_code == 302
    imported = Deputy.objects.filter(person__name__in=["钱一", "孙二", "李三"])
    assert imported.count() == 3
    assert {d.congress_id for d in imported} == {world.county_a.pk}
    assert Delegation.objects.filter(term=world.county_term, name="杭锦后旗代表团").exists()
    assert not Delegation.objects.filter(term=world.term, name="杭锦后旗代表团").exists()


def test_county_staff_units_into_their_own_congress_only(world, client_for):
    client = client_for("county_staff")
    rows = [unit_row("临河区教育局", "区教育局", parent="临河区人民政府")]
    before = HandlingUnit.objects.count()
    response = client.post("/work/units/import/", {"congress": world.city.pk, "file": upload(xlsx(UNIT_HEADERS, rows))})
    assert response.status_code == 200
    assert "congress" in response.context["form"].errors
    assert HandlingUnit.objects.count() == before
    response = client.post(
        "/work/units/import/", {"congress": world.county_a.pk, "file": upload(xlsx(UNIT_HEADERS, rows))}
    )
    assert response.status_code == 302
    unit = HandlingUnit.objects.get(name="临河区教育局")
    assert unit.congress == world.county_a and unit.parent == world.county_unit


def test_county_staff_cannot_import_into_city_directly(world):
    """The importer itself refuses a term outside the account's congresses (the page's
    form is not the only guard)."""
    before = counts()
    with pytest.raises(ImportFailed) as exc:
        DeputyImporter().run(
            world.users["county_staff"], io.BytesIO(xlsx(DEPUTY_HEADERS, GOOD_DEPUTIES)), {"term": world.term}
        )
    assert CJK.search(exc.value.errors[0].message)
    assert counts() == before
    units = HandlingUnit.objects.count()
    with pytest.raises(ImportFailed):
        run_units(world, [unit_row("巴彦淖尔市农牧局", "市农牧局")], user="county_staff")
    assert HandlingUnit.objects.count() == units


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "url, importer",
    [("/work/deputies/import/?template=1", DeputyImporter), ("/work/units/import/?template=1", UnitImporter)],
)
def test_template_download(world, client_for, url, importer):
    response = client_for("staff").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(importer.columns)
    assert [str(v) if v is not None else "" for v in rows[1]] == importer.example
    assert len(wb.worksheets) == 2 and wb.worksheets[1].title == "填写说明"


def test_import_page_lists_columns(world, client_for):
    page = page_text(client_for("staff").get("/work/deputies/import/"))
    assert "下载导入模板" in page
    assert "姓名、性别、当选日期" in page  # the required columns


def test_member_import_and_seat_edit(world, client_for):
    from renda.core.imports import MemberImporter
    from renda.core.models import CommitteeMember

    importer = MemberImporter()
    good = xlsx(
        list(importer.columns),
        [
            [
                "钱委员",
                "女",
                "蒙古族",
                "1970-01-01",
                "中共党员",
                "大学",
                "某局",
                "13700000000",
                "委员",
                "办公室",
                "2017-01-09",
            ],
        ],
    )
    bad = xlsx(
        list(importer.columns),
        [
            ["孙委员", "男", "汉族", "", "", "", "", "", "主任", "", "2017-01-09"],
            ["吴委员", "男", "汉族", "", "", "", "", "", "常委", "不存在的机构", "2017-01-09"],
        ],
    )
    client = client_for("staff")
    before = CommitteeMember.objects.count()
    response = client.post("/work/members/import/", {"term": world.term.pk, "file": upload(bad)})
    body = response.content.decode()
    assert response.status_code == 200 and "第3行" in body and CommitteeMember.objects.count() == before
    response = client.post("/work/members/import/", {"term": world.term.pk, "file": upload(good)})
    assert response.status_code == 302
    seat = CommitteeMember.objects.get(person__name="钱委员")
    assert seat.body == world.office and seat.position == "member"
    response = client.post(
        f"/work/members/{seat.pk}/edit/", {"position": "member", "start_date": "2017-01-09", "end_date": "2016-01-01"}
    )
    assert "离任日期不能早于任职日期。" in response.content.decode()
    response = client.post(
        f"/work/members/{seat.pk}/edit/", {"position": "member", "start_date": "2017-01-09", "end_date": "2020-06-30"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert str(seat.end_date) == "2020-06-30"
    assert client_for("county_staff").get(f"/work/members/{seat.pk}/edit/").status_code == 403
