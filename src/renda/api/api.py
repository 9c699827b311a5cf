"""The JSON API, assembled from the routers that modules declare in their manifests.

Authentication: a bearer token (Authorization: Bearer rd_…), or the browser session
(with its CSRF token for writes), or none (public data only). Errors are 4xx with a
Chinese `detail`, never 500.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from renda.core.services import user_for_token
from renda.core.storage import StorageFull
from renda.manifest import load, manifests
from renda.workflow.engine import WorkflowError


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class PublicAccess:
    """The last resort: no credentials. The request is served as the public."""

    def __call__(self, request):
        request.user = AnonymousUser()
        return "public"


# Every refusal is a 4xx with a Chinese `detail` (and, for invalid data, the `errors` per
# field): the handlers below. Documented once for every operation, so that clients (and the
# schema checks of tests/test_fuzz_api.py) know the shape of an error.
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "错误原因（中文）"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
ERROR_RESPONSE = {
    "description": "请求未被执行：401 身份验证失败，403 无权限，404 不存在或无权查看，409 当前状态不允许，"
    "413 请求体过大，422 数据未通过校验，429 过于频繁；detail 说明原因。",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class RendaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", ERROR_RESPONSE)
        return schema


api = RendaAPI(
    title="Renda 智慧人大 API",
    version="1",
    description="人大工作平台的开放接口。公开数据无需登录；其余数据按账号角色授权。",
    auth=[TokenAuth(), django_auth, PublicAccess()],
    urls_namespace="api",
    docs_url="/docs",
)

PYDANTIC_MESSAGES = {
    "missing": "此字段为必填项。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "bool_parsing": "应为布尔值（true 或 false）。",
    "string_type": "应为字符串。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
    "date_type": "日期格式不正确，应为 YYYY-MM-DD。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "enum": "不是允许的取值。",
    "literal_error": "不是允许的取值。",
    "json_invalid": "请求体不是有效的 JSON。",
    "model_attributes_type": "请求体应为 JSON 对象。",
    "dict_type": "请求体应为 JSON 对象。",
}


@api.exception_handler(NinjaValidationError)
def on_invalid_request(request, exc):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(loc), "message": PYDANTIC_MESSAGES.get(err.get("type"), "取值无效。")})
    return api.create_response(request, {"detail": "请求数据不正确。", "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def on_invalid_data(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": f if f != "__all__" else "", "message": m} for f, ms in exc.message_dict.items() for m in ms
        ]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return api.create_response(request, {"detail": "数据未通过校验。", "errors": errors}, status=422)


@api.exception_handler(StorageFull)
def on_storage_full(request, exc):
    """The disk filled up while an upload was written: nothing was kept (core.storage)."""
    return api.create_response(request, {"detail": exc.message}, status=507)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    """Requests Django refuses while reading them (too large, too many fields or files)."""
    if isinstance(exc, RequestDataTooBig):
        return api.create_response(request, {"detail": "请求体过大，请减少或压缩上传的内容。"}, status=413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return api.create_response(request, {"detail": "请求包含的字段或文件过多。"}, status=400)
    return api.create_response(request, {"detail": "请求不合法。"}, status=400)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    from renda.core.audit import denied

    denied(request)
    return api.create_response(request, {"detail": str(exc) or "您没有执行此操作的权限。"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录，或您无权查看。"}, status=404)


@api.exception_handler(WorkflowError)
def on_conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "身份验证失败：令牌无效或已吊销。"}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    message = str(exc)
    if exc.status_code == 403 and "CSRF" in message:
        message = "缺少或错误的 CSRF 令牌：使用浏览器会话写入数据时必须携带 X-CSRFToken 请求头。"
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "请求体不是有效的 JSON。"
    return api.create_response(request, {"detail": message}, status=exc.status_code)


for _, manifest in manifests():
    if manifest.api_router:
        api.add_router(manifest.api_prefix, load(manifest.api_router))
    for prefix, path in manifest.api_routers:
        api.add_router(prefix, load(path))
