"""The baseline: the whole Django stack (middleware, URL resolution, a connection from the
pool) and one INSERT, nothing else — what any write of Renda costs at the least."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Row


@csrf_exempt  # bench-only, no session: the client sends no cookie
def insert(request):
    if request.method != "POST":
        return HttpResponse("ok")  # the harness's readiness probe: nothing written, nothing logged
    row = Row.objects.create(payload=request.body[:100].decode("utf-8", "replace"))
    return JsonResponse({"id": row.pk}, status=201)
