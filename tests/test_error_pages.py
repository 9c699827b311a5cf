"""Error pages: Chinese, styled, with a way back, with DEBUG off; JSON under /api/."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path

from renda.config.urls import urlpatterns as site_urls
from renda.core.views import errors

# The site's URLs plus one view that fails, for the 500 page (pytest.mark.urls below).
handler400 = "renda.core.views.errors.bad_request"
handler403 = "renda.core.views.errors.permission_denied"
handler404 = "renda.core.views.errors.page_not_found"
handler500 = "renda.core.views.errors.server_error"


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *site_urls]

WORKBENCH = 'href="/work/">返回工作台</a>'
PORTAL = 'href="/">返回门户首页</a>'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def page(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'lang="zh-CN"' in body and "renda/renda.css" in body
    assert "返回上一页" in body
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request", "Traceback"):
        assert english not in body
    return body


@pytest.mark.parametrize("url", ["/work/no-such-page/", "/work/suggestions/999999/"])
def test_a_404_under_work_leads_a_signed_in_user_back_to_the_workbench(client_for, url):
    body = page(client_for("staff").get(url), 404)
    assert "页面不存在" in body and WORKBENCH in body and PORTAL not in body


@pytest.mark.parametrize("url", ["/no-such-page/", "/suggestions/999999/"])
def test_a_404_of_the_portal_leads_the_public_back_to_the_portal(client_for, url):
    body = page(client_for("public").get(url), 404)
    assert "页面不存在" in body and PORTAL in body and WORKBENCH not in body


def test_a_404_does_not_tell_a_missing_case_from_one_not_seen(client_for, world):
    from factories import add_samples

    add_samples(world)
    suggestion = world.samples["suggestion"]
    hidden = client_for("other_unit").get(f"/work/suggestions/{suggestion.pk}/")
    missing = client_for("other_unit").get("/work/suggestions/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_the_403_of_a_work_page_says_why_in_chinese(client_for):
    body = page(client_for("deputy").get("/work/workflow/"), 403)
    assert "无权访问此页面" in body and "只有机关工作人员可以查看流程定义。" in body
    assert WORKBENCH in body


def test_a_403_without_a_chinese_reason_gives_the_general_one(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/x/")
    request.user = AnonymousUser()
    body = page(errors.permission_denied(request, PermissionDenied("Forbidden by some library")), 403)
    assert "您的账号没有执行此操作的权限。" in body and "library" not in body


def test_the_csrf_failure_page_is_chinese(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["staff"])
    body = page(c.post("/accounts/password/", {}), 403)
    assert "页面已过期" in body


@pytest.mark.urls("test_error_pages")
@pytest.mark.parametrize("role", ["staff", "public"])
def test_the_500_page_offers_both_ways_back(client_for, role):
    c = client_for(role)
    c.raise_request_exception = False
    body = page(c.get("/boom/"), 500)
    assert "系统暂时出错" in body and WORKBENCH in body and PORTAL in body


def test_the_500_page_needs_no_request_context_nor_database(db):
    request = RequestFactory().get("/work/")  # no session, no user: nothing to look up
    with CaptureQueriesContext(connection) as queries:
        body = page(errors.server_error(request), 500)
    assert len(queries) == 0 and "系统暂时出错" in body


def test_the_400_page(client_for, rf):
    request = rf.get("/x/")
    body = page(errors.bad_request(request, ValueError("bad")), 400)
    assert "请求有误" in body and PORTAL in body


@pytest.mark.urls("test_error_pages")
def test_errors_under_api_stay_json(client_for):
    c = client_for("public")
    c.raise_request_exception = False
    for url, status in (("/api/no-such-endpoint", 404), ("/api/boom/", 500)):
        response = c.get(url)
        assert response.status_code == status and response["Content-Type"] == "application/json"
        assert "，" in response.json()["detail"] or "。" in response.json()["detail"]
    # the API's own handlers are untouched: a refused case is still its JSON 404
    assert client_for("public").get("/api/cases/suggestion/999999").json()["detail"] == "未找到该记录，或您无权查看。"


def test_the_login_lockout_page_is_chinese_with_a_way_back(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    body = page(response, 429)
    assert "登录已暂时锁定" in body and f"密码连续错误{settings.AXES_FAILURE_LIMIT}次" in body
    assert "15分钟" in body and PORTAL in body


def run_check(tmp_path, **env):
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k not in ("RENDA_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base.update(RENDA_DEBUG="0", DJANGO_SETTINGS_MODULE="renda.config.settings", RENDA_VAR_DIR=str(tmp_path))
    base["RENDA_DATA_KEYS"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # personal data (test_personal_data)
    base.update(env)
    return subprocess.run([sys.executable, "-m", "renda", "check"], capture_output=True, text=True, env=base)


def test_the_demo_runs_with_debug_off_on_the_key_it_keeps_in_a_file(tmp_path):
    """`make demo` sets RENDA_DEBUG=0 and RENDA_SECRET_KEY_FILE (a key it generated under var/);
    without a key (env or file) DEBUG off still refuses to start (test_security)."""
    key = tmp_path / "secret.key"
    out = run_check(tmp_path, RENDA_SECRET_KEY_FILE=str(key))
    assert out.returncode != 0 and "RENDA_SECRET_KEY_FILE" in out.stderr  # named, but missing
    key.write_text("short")
    assert run_check(tmp_path, RENDA_SECRET_KEY_FILE=str(key)).returncode != 0
    key.write_text("k" * 50 + "\n")
    out = run_check(tmp_path, RENDA_SECRET_KEY_FILE=str(key))
    assert out.returncode == 0, out.stderr
