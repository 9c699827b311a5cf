"""Pages of double contact (双联系): record a contact from a phone, the list (a deputy's and a
member's own, the staff's whole congress), a record's page, and turning a matter raised into
a suggestion draft. The rules are in contacts.py and rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.forms import add_service_errors
from renda.core.models import Deputy
from renda.core.offline import form_errors, is_queued, keep_offline, stored
from renda.core.personal import mask
from renda.core.scoping import MANAGE_ROLES, actor_of, allowed, require, visible
from renda.workflow.links import links_of

from . import contacts as services
from .forms_contacts import ContactForm
from .models import ContactRecord
from .rules import MEMBER_ROLES

Kind = ContactRecord.Kind
BREAD = [("代表工作", ""), ("双联系", "")]
PER_PAGE = 50


def _default_kind(user) -> str:
    return Kind.CONSTITUENTS if actor_of(user).deputy_ids else Kind.MEMBER_VISIT


def _choosable(user, kind):
    """(the mandates the user may pick, or None; the mandate used when there is no choice)."""
    actor = actor_of(user)
    serving = Deputy.objects.filter(status=Deputy.Status.SERVING).select_related("person", "congress")
    if actor.has(*MANAGE_ROLES):
        return serving.filter(congress__in=actor.congress_ids(*MANAGE_ROLES)).order_by(
            "congress__path", "person__name"
        ), None
    if kind == Kind.MEMBER_VISIT:
        if not actor.has(*MEMBER_ROLES):
            raise PermissionDenied("委员联系代表由常委会组成人员登记。")
        return serving.filter(congress__in=actor.congress_ids(*MEMBER_ROLES)).order_by("person__name"), None
    own = list(serving.filter(pk__in=actor.deputy_ids))
    if not own:
        raise PermissionDenied("只有在任的人大代表可以登记联系群众情况。")
    if len(own) == 1:
        return None, own[0]
    return serving.filter(pk__in=[d.pk for d in own]), None


@login_required
def contact_edit(request, pk=None):
    if pk is None:
        require(request.user, "add", ContactRecord)
        kind = request.GET.get("kind") or _default_kind(request.user)
        if kind not in Kind.values:
            raise Http404("没有这种联系类别。")
        deputies, own = _choosable(request.user, kind)
        record = ContactRecord(kind=kind)
    else:
        record = visible(request.user, ContactRecord).select_related("deputy", "member").filter(pk=pk).first()
        if record is None:
            raise Http404("未找到该联系记录，或您无权查看。")
        if not allowed(request.user, "change", record):
            raise PermissionDenied("只能修改本人登记的联系记录。")
        kind, deputies, own = record.kind, None, None
    initial = {} if record.pk else {"on": timezone.localdate(), "way": ContactRecord.Way.VISIT, "people_reached": 1}
    form = ContactForm(request.POST or None, instance=record, kind=kind, deputies=deputies, initial=initial)
    queued = record.pk is None and request.method == "POST" and is_queued(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in services.FIELDS if k in data}
        try:
            if record.pk is None:
                deputy = data.get("deputy") or own
                saved = services.record_contact(
                    request.user, kind=kind, deputy=deputy, idempotency_key=data.get("idempotency_key"), **fields
                )
            else:
                saved = services.update_contact(request.user, record, **fields)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "您无权登记该联系记录。")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if queued:
                return stored(saved)
            messages.success(request, f"已保存：{saved}。")
            return redirect("deputies:contact", pk=saved.pk)
    if queued:  # an entry sent from the offline queue: its errors, for the queue to show
        return form_errors(form)
    title = ("修改" if record.pk else "登记") + Kind(kind).label
    # the deputy's own empty form to record a contact with constituents works offline (a
    # keeper's form lists the congress's deputies: not kept)
    offline = record.pk is None and kind == Kind.CONSTITUENTS and not actor_of(request.user).has(*MANAGE_ROLES)
    response = render(
        request,
        "deputies/contact_form.html",
        {
            "form": form,
            "page_title": title,
            "offline": offline,
            "cancel_url": reverse("deputies:contacts"),
            "breadcrumbs": [("代表工作", ""), ("双联系", reverse("deputies:contacts")), (title, "")],
        },
    )
    return keep_offline(response) if offline and request.method == "GET" else response


@login_required
def contact_list(request):
    """The contacts the user may see (own, or the congress's for the staff), newest first:
    a constant number of queries whatever their number (count, page, nothing per row)."""
    require(request.user, "view", ContactRecord)
    kind = request.GET.get("kind", "")
    qs = visible(request.user, ContactRecord).select_related("deputy__person", "congress", "member__person")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-on", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(r, _constituent(request.user, r), allowed(request.user, "change", r)) for r in page]
    actor = actor_of(request.user)
    return render(
        request,
        "deputies/contact_list.html",
        {
            "page_title": "双联系",
            "rows": rows,
            "page_obj": page,
            "kind": kind,
            "kinds": Kind.choices,
            "may_visit": actor.has(*MEMBER_ROLES, *MANAGE_ROLES),
            "may_contact": bool(actor.deputy_ids) or actor.has(*MANAGE_ROLES),
            "breadcrumbs": BREAD,
        },
    )


def _constituent(user, record) -> str:
    """The constituent's contact: in full for the deputy and the staff, masked otherwise."""
    if not record.constituent:
        return ""
    return record.constituent if allowed(user, "view_contact", record) else mask(record.constituent)


@login_required
def contact_detail(request, pk):
    record = (
        visible(request.user, ContactRecord)
        .select_related("deputy__person", "congress", "member__person", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("未找到该联系记录，或您无权查看。")
    return render(
        request,
        "deputies/contact_detail.html",
        {
            "page_title": str(record),
            "record": record,
            "constituent": _constituent(request.user, record),
            "links": links_of(record, request.user),
            "can_change": allowed(request.user, "change", record),
            "can_suggest": bool(record.matters) and allowed(request.user, "suggest", record),
            "breadcrumbs": [("代表工作", ""), ("双联系", reverse("deputies:contacts")), (str(record), "")],
        },
    )


@login_required
def contact_suggest(request, pk):
    """转为建议 (POST): a draft led by the deputy, pre-filled with the matters; opens it to
    edit. GET goes back to the record (its button posts here)."""
    record = visible(request.user, ContactRecord).select_related("deputy__congress").filter(pk=pk).first()
    if record is None:
        raise Http404("未找到该联系记录，或您无权查看。")
    if not allowed(request.user, "suggest", record):
        raise PermissionDenied("只有该代表本人可以据此提出建议。")
    if request.method != "POST":
        return redirect("deputies:contact", pk=record.pk)
    try:
        draft = services.suggest_from(request.user, record)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("deputies:contact", pk=record.pk)
    messages.success(request, "已根据反映的问题生成建议草稿，请修改完善后提交。")
    return redirect("suggestions:edit", pk=draft.pk)
