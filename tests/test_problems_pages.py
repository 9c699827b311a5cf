"""Putting problems on the one ledger from a case's page: any case (列入问题清单), and an
inquiry's promise (承诺列入问题清单). The keepers of the case's congress may; the form keeps
what was typed; the case's page lists its problems."""

from datetime import date

import pytest
from django.urls import reverse

from renda.problems.models import ProblemItem
from renda.workflow.engine import perform
from sup_helpers import body, sitting, work_report

pytestmark = pytest.mark.django_db


def test_a_problem_opened_from_a_work_report_page(world, client_for):
    report = work_report(world, body(world))
    url = reverse("problems:open", args=("supervision.workreport", report.pk))
    staff = client_for("staff")
    page = staff.get(report.get_absolute_url())
    assert url in page.content.decode()  # the case page offers it
    # a missing deadline: refused in Chinese, what was typed kept
    answer = staff.post(url, {"title": "城区扬尘治理不到位", "unit": world.unit_a.pk, "measures": "加密洒水"})
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "这个字段是必填项" in text and "城区扬尘治理不到位" in text and "加密洒水" in text
    answer = staff.post(
        url, {"title": "城区扬尘治理不到位", "unit": world.unit_a.pk, "due_on": "2027-06-30", "measures": "加密洒水"}
    )
    assert answer.status_code == 302
    item = ProblemItem.objects.get()
    assert (item.title, item.unit, item.due_on, item.state) == (
        "城区扬尘治理不到位",
        world.unit_a,
        date(2027, 6, 30),
        "listed",
    )
    assert item.problem_list.source == report
    page = staff.get(report.get_absolute_url()).content.decode()
    assert item.number in page and "城区扬尘治理不到位" in page
    # the organ follows its report but may not put problems on the ledger
    assert client_for("unit").get(url).status_code == 403
    assert (
        client_for("unit").post(url, {"title": "x", "unit": world.unit_a.pk, "due_on": "2027-06-30"}).status_code == 403
    )
    assert ProblemItem.objects.count() == 1


def test_an_inquiry_promise_goes_on_the_ledger_once(world, client_for):
    from renda.supervision import services

    staff_user = world.users["staff"]
    inquiry = services.add_item(
        staff_user, None, "inquiry", congress=world.city, title="关于大气污染防治工作的专题询问", body=body(world),
        organ=world.unit_a, on=date(2020, 3, 2),
    )  # fmt: skip
    perform(
        inquiry, "schedule", staff_user, {"sitting": sitting(world, 30, date(2020, 6, 23)).pk}, today=date(2020, 3, 5)
    )
    question = services.add_question(
        staff_user,
        inquiry,
        world.member.person,
        "燃煤散烧何时清零？",
        "市政府副市长",
        promises="年底前完成城区燃煤散烧清零。",
    )
    url = reverse("supervision:promise", args=(question.pk,))
    staff = client_for("staff")
    # not yet held: refused with the reason, the form kept
    answer = staff.post(url, {"title": "燃煤散烧清零", "unit": world.unit_a.pk, "due_on": "2027-06-30"})
    assert answer.status_code == 200 and "专题询问开展后" in answer.content.decode()
    perform(inquiry, "hold", staff_user, {}, today=date(2020, 6, 23))
    page = staff.get(inquiry.get_absolute_url()).content.decode()
    assert url in page
    assert (
        staff.post(url, {"title": "燃煤散烧清零", "unit": world.unit_a.pk, "due_on": "2027-06-30"}).status_code == 302
    )
    item = ProblemItem.objects.get()
    assert item.measures == "年底前完成城区燃煤散烧清零。" and item.problem_list.source == inquiry
    page = staff.get(inquiry.get_absolute_url()).content.decode()
    assert "已列入问题清单" in page and url not in page
    again = staff.post(url, {"title": "燃煤散烧清零", "unit": world.unit_a.pk, "due_on": "2027-06-30"})
    assert again.status_code == 200 and "已经列入问题清单" in again.content.decode()
    assert (
        client_for("unit").post(url, {"title": "x", "unit": world.unit_a.pk, "due_on": "2027-06-30"}).status_code == 403
    )
