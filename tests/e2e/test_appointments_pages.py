"""The nominee's law exam on a phone (answer, hand in, see the score), and a batch's page and the
public 任免名单 on a desktop: Chinese renders, nothing overflows."""

import pytest

from factories import add_samples, build_world

from .test_workbench import assert_cjk_renders, assert_no_horizontal_overflow, login

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, transactional_db):
    return live_server.url, add_samples(build_world())


def test_exam_on_a_phone(browser, site, shot):
    url, world = site
    exam = world.samples["appointment_exam"]
    page = login(browser, url, "nominee", mobile=True)
    page.goto(f"{url}/work/appointments/exams/")
    assert "市教育局局长" in page.content()
    page.goto(f"{url}/work/appointments/exams/{exam.pk}/")
    assert page.locator('[data-testid="question"]').count() == 3
    assert_cjk_renders(page)
    assert_no_horizontal_overflow(page)
    shot(page, "appointments-exam-phone")
    for fieldset in page.locator('[data-testid="question"]').all():
        fieldset.locator("label.choice").first.click()
    page.get_by_role("button", name="交卷").click()
    score = page.locator('[data-testid="score"]')
    assert "分" in score.inner_text()
    shot(page, "appointments-exam-score-phone")


def test_batch_and_public_list(browser, site, shot):
    url, world = site
    page = login(browser, url, "staff")
    page.goto(f"{url}/work/appointments/batches/{world.samples['appointment_batch_notified'].pk}/")
    assert "宪法宣誓" in page.content() and "富强民主文明和谐美丽" in page.content()
    assert_no_horizontal_overflow(page)
    shot(page, "appointments-batch")
    page.goto(f"{url}/appointments/")
    assert "任命" in page.locator('[data-testid="notices"]').inner_text()
    assert_cjk_renders(page, "h2")
    shot(page, "appointments-public")
