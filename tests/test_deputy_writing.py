"""The deputy's writing path (issue 10, point 3): writing help while typing (a JSON endpoint
of the suggestions module), a proposed category and no silent default, no draft left by a
refused submission, the workbench shortcut, the breadcrumb that follows the state, and the
registration page's proposals pre-selected with the similar suggestions as links."""

import pytest

from renda.suggestions import routing, services
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform

WATER = "一些苏木乡镇的农村饮水工程管网老化，夏季经常停水，群众反映强烈。建议加大饮水安全工程投入，建立长效管护机制。"
SCHOOL = "一些苏木乡镇的农村牧区学校校舍陈旧，教师不足，学生上学路途远。建议改善办学条件，加强乡村教师队伍建设。"
NEW_WATER = (
    "临河区部分农村饮水工程管网老化，夏季用水高峰经常停水。建议市水利局将管网改造纳入年度计划，建立长效管护机制。"
)


def seed(world, n=12, published=True):
    """Registered suggestions of another deputy about water and schools; the routing
    models trained on them."""
    for i in range(n):
        for text, category in ((WATER, "农牧水利"), (SCHOOL, "教育文体")):
            s = services.save_draft(
                world.users["other_deputy"],
                lead=world.other_deputy,
                title=f"关于第{i}件{category}事项的建议",
                content=f"{text}（第{i}件）",
                category="其他",
                cosigners=[],
            )
            perform(s, "submit", world.users["other_deputy"])
            perform(s, "register", world.users["staff"], {"category": category, "published": "on" if published else ""})
    routing.retrain(world.city)


@pytest.fixture
def trained(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    seed(world)
    return world


def test_assist_proposes_the_category_and_lists_similar_links(trained, client_for):
    response = client_for("deputy").post(
        "/work/suggestions/new/assist/", {"title": "关于农村饮水的建议", "content": NEW_WATER}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["category"] == "农牧水利"
    assert data["category_reason"].startswith("系统建议：农牧水利（") and data["category_reason"].endswith("%）")
    assert data["similar"] and all(s["url"].startswith("/work/suggestions/") for s in data["similar"])
    assert all("饮水" in Suggestion.objects.get(pk=int(s["url"].split("/")[3])).content for s in data["similar"])
    assert Suggestion.objects.filter(lead_deputy=trained.deputy).count() == 0  # asking saves nothing


def test_assist_lists_only_suggestions_the_user_may_see(world, client_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    seed(world, n=3, published=False)  # unpublished: other deputies do not see them
    data = (
        client_for("deputy")
        .post("/work/suggestions/new/assist/", {"title": "关于饮水的建议", "content": NEW_WATER})
        .json()
    )
    assert data["similar"] == []
    assert data["category"] == ""  # too few examples: no model, no proposal


@pytest.mark.parametrize("role", ["staff", "unit", "noroles", "director"])
def test_assist_is_for_those_who_may_write(world, client_for, role):
    assert (
        client_for(role).post("/work/suggestions/new/assist/", {"title": "关于", "content": "饮水"}).status_code == 403
    )


def test_assist_is_throttled_per_user(world, client_for, monkeypatch):
    from django.core.cache import cache

    from renda.suggestions import views

    cache.clear()
    monkeypatch.setattr(views, "ASSIST_PER_HOUR", 2)
    client = client_for("deputy")
    codes = [
        client.post("/work/suggestions/new/assist/", {"title": "关于", "content": "饮水"}).status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert "过于频繁" in client.post("/work/suggestions/new/assist/", {}).json()["detail"]
    assert client_for("other_deputy").post("/work/suggestions/new/assist/", {}).status_code == 200


def test_the_category_has_no_silent_default(world, client_for):
    client = client_for("deputy")
    page = client.get("/work/suggestions/new/").content.decode()
    assert '<option value="" selected>' in page
    response = client.post(
        "/work/suggestions/new/",
        {"title": "关于加快农村饮水工程改造的建议", "content": NEW_WATER * 2, "action": "submit"},
    )
    assert response.status_code == 200 and "请选择类别。" in response.content.decode()
    assert not Suggestion.objects.filter(lead_deputy=world.deputy).exists()


def test_check_preselects_the_proposed_category_with_its_reason(trained, client_for):
    page = client_for("deputy").post(
        "/work/suggestions/new/", {"title": "关于农村饮水的建议", "content": NEW_WATER, "action": "check"}
    )
    body = page.content.decode()
    assert '<option value="农牧水利" selected>' in body and "系统建议：农牧水利（" in body
    assert 'data-testid="similar"' in body and "/work/suggestions/" in body


def test_a_refused_submission_keeps_the_form_and_saves_no_draft(world, client_for):
    client = client_for("deputy")
    response = client.post(
        "/work/suggestions/new/", {"title": "关于", "content": "路不好。", "category": "交通运输", "action": "submit"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "内容过短" in body and "标题过短" in body and 'value="关于"' in body
    assert not Suggestion.objects.filter(lead_deputy=world.deputy).exists()
    # an unknown co-signer refuses it too, before anything is written
    response = client.post(
        "/work/suggestions/new/",
        {
            "title": "关于农村饮水的建议",
            "content": NEW_WATER,
            "category": "农牧水利",
            "cosigners": "无此人",
            "action": "submit",
        },
    )
    assert "无此人" in response.content.decode() and not Suggestion.objects.filter(lead_deputy=world.deputy).exists()


def test_a_refused_submission_of_a_saved_draft_leaves_it_unchanged(world, client_for):
    client = client_for("deputy")
    client.post(
        "/work/suggestions/new/",
        {"title": "关于农村饮水的建议", "content": NEW_WATER, "category": "农牧水利", "action": "save"},
    )
    saved = Suggestion.objects.get(lead_deputy=world.deputy)
    client.post(
        f"/work/suggestions/{saved.pk}/edit/",
        {"title": "关于农村饮水的建议", "content": "太短", "category": "农牧水利", "action": "submit"},
    )
    saved.refresh_from_db()
    assert saved.state == "draft" and saved.content == NEW_WATER
    assert Suggestion.objects.filter(lead_deputy=world.deputy).count() == 1


def test_the_workbench_offers_writing_to_a_serving_deputy_only(world, client_for):
    assert 'href="/work/suggestions/new/"' in client_for("deputy").get("/work/").content.decode()
    assert 'href="/work/suggestions/new/"' not in client_for("staff").get("/work/").content.decode()


def test_the_breadcrumb_follows_the_state(world, client_for):
    client = client_for("deputy")
    response = client.post(
        "/work/suggestions/new/",
        {"title": "关于农村饮水的建议", "content": NEW_WATER, "category": "农牧水利", "action": "submit"},
    )
    s = Suggestion.objects.get(lead_deputy=world.deputy)
    assert response.status_code == 302 and s.state == "submitted"
    crumbs = (
        client.get(f"/work/suggestions/{s.pk}/").content.decode().split('class="breadcrumbs"')[1].split("</div>")[0]
    )
    assert "待立案" in crumbs and "草稿" not in crumbs
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    s.refresh_from_db()
    crumbs = (
        client.get(f"/work/suggestions/{s.pk}/").content.decode().split('class="breadcrumbs"')[1].split("</div>")[0]
    )
    assert s.number in crumbs


def test_registration_preselects_the_proposal_and_links_similar_ones(trained, client_for):
    s = services.save_draft(
        trained.users["deputy"],
        lead=trained.deputy,
        title="关于农村饮水的建议",
        content=NEW_WATER,
        category="其他",
        cosigners=[],
    )
    perform(s, "submit", trained.users["deputy"])
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{s.pk}/register/").content.decode()
    assert '<option value="农牧水利" selected>' in page and "已预选农牧水利" in page
    hints = page.split('data-testid="hints"')[1].split("</div>")[0]
    assert hints.count('<a href="/work/suggestions/') >= 1 and "相似度" in hints
