"""Error pages (config/urls.py: handler400 … handler500).

Pages answer with the Chinese templates 400/403/404/500.html (errors/layout.html); paths under
/api/ answer JSON with a Chinese `detail`, as the API's own handlers do (api/api.py), so a client
never parses an HTML page. The 500 answer uses no request context and no database: whatever
broke the request may be the database itself.

Two faults are not bugs and answer otherwise (server_error, from the exception being handled):
the database unreachable (restarted, failed over, out of connections) answers 503 with
Retry-After, and a full disk while an upload was written (core.storage.StorageFull) 507.
Every other error, a database error from a bug included (a missing table, bad SQL), stays 500."""

import re
import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from renda.core.storage import StorageFull

API_DETAIL = {
    400: "请求不正确。",
    403: "您没有执行此操作的权限。",
    404: "未找到该接口或记录，或您无权查看。",
    500: "服务器内部错误，请稍后重试。",
    503: "系统暂时无法访问数据库，请稍后重试。",
    507: StorageFull().message,
}
RETRY_AFTER = "30"  # seconds: a restart or a fail-over of the database
# PostgreSQL SQLSTATE classes of a database that is (for now) not there: 08 connection
# exception, 53 insufficient resources (too many connections, disk full), 57 operator
# intervention (shutdown, cannot connect now, query cancelled), 40 transaction rollback
# (serialization failure, deadlock: retrying succeeds). 58030 is an I/O error.
PG_UNAVAILABLE = ("08", "53", "57", "40", "58030")
# SQLite primary result codes of the same: busy, locked, I/O error, full, cannot open, protocol.
SQLITE_UNAVAILABLE = {5, 6, 10, 13, 14, 15}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _api(request, status):
    return JsonResponse({"detail": API_DETAIL[status]}, status=status, json_dumps_params={"ensure_ascii": False})


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached now, rather
    than that the code is wrong. psycopg's own connection errors carry no SQLSTATE."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, InterfaceError):  # the connection is gone
            return True
        if isinstance(exc, OperationalError):
            cause = exc.__cause__
            if isinstance(cause, sqlite3.Error):
                return (getattr(cause, "sqlite_errorcode", 1) & 0xFF) in SQLITE_UNAVAILABLE
            state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
            return state is None or state.startswith(PG_UNAVAILABLE)
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _fault_page(request, status, template):
    """A 503/507 answer that needs neither the database nor a request context."""
    if _is_api(request):
        response = _api(request, status)
    else:
        response = HttpResponse(loader.get_template(template).render(), status=status)
    if status == 503:
        response["Retry-After"] = RETRY_AFTER
    return response


def _is_api(request):
    return request.path.startswith("/api/")


def bad_request(request, exception):
    return _api(request, 400) if _is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    from ..audit import denied

    denied(request)  # every refusal is a security event (GB/T 22239 8.1.4.3)
    if _is_api(request):
        return _api(request, 403)
    # The reason the scoping layer or a view gives is shown; a library's English one is not.
    if not CJK.search(str(exception)):
        exception = ""
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _api(request, 404) if _is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    exc = sys.exc_info()[1]  # Django calls the handler while handling the exception
    if database_unavailable(exc):
        return _fault_page(request, 503, "503.html")
    if isinstance(exc, StorageFull):  # a view that does not show a service's errors in its form
        return _fault_page(request, 507, "507.html")
    return _api(request, 500) if _is_api(request) else defaults.server_error(request)
