"""Error pages (config/urls.py: handler400 … handler500).

Pages answer with the Chinese templates 400/403/404/500.html (errors/layout.html); paths under
/api/ answer JSON with a Chinese `detail`, as the API's own handlers do (api/api.py), so a client
never parses an HTML page. The 500 answer uses no request context and no database: whatever
broke the request may be the database itself."""

import re

from django.http import JsonResponse
from django.views import defaults

API_DETAIL = {
    400: "请求不正确。",
    403: "您没有执行此操作的权限。",
    404: "未找到该接口或记录，或您无权查看。",
    500: "服务器内部错误，请稍后重试。",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _api(request, status):
    return JsonResponse({"detail": API_DETAIL[status]}, status=status, json_dumps_params={"ensure_ascii": False})


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
    return _api(request, 500) if _is_api(request) else defaults.server_error(request)
