"""The shapes every core page shares: a form page, an edit and a create page, an Excel import page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..imports import ImportFailed
from ..models import (
    Congress,
)
from ..scoping import get_visible_or_404, require


def congress_filter(request):
    return [(c.pk, c.region) for c in Congress.objects.filter(level__in=["city", "county"]).order_by("path")]


def form_page(request, form, title, cancel_url, list_title, list_url):
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": cancel_url,
            "breadcrumbs": [(list_title, list_url), (title, "")],
        },
    )


def edit_page(request, *, model, form_class, pk=None, title, list_name, list_title, detail_name=None):
    instance = get_visible_or_404(request.user, model, pk=pk) if pk else None
    if instance is not None:
        require(request.user, "change", instance)
    else:
        require(request.user, "add", model)
    list_url = reverse(list_name)
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            try:
                saved = form.save()
            except PermissionDenied:
                form.add_error(None, "您无权在所选的人大下保存此记录。")
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(reverse(detail_name, args=[saved.pk]) if detail_name else list_url)
    else:
        form = form_class(instance=instance, user=request.user)
    return form_page(request, form, title, list_url, list_title, list_url)


def create_page(request, *, model, form_class, title, list_name, list_title, denied, done):
    """A page that creates one record with a plain form whose save() calls the services."""
    require(request.user, "add", model)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except PermissionDenied:
            form.add_error(None, denied)
        else:
            messages.success(request, done(saved))
            return redirect(list_name)
    list_url = reverse(list_name)
    return form_page(request, form, title, list_url, list_title, list_url)


def import_page(request, *, importer, form_class, title, list_name, list_title, context_of):
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    errors, imported = [], None
    if request.GET.get("template"):
        response = HttpResponse(
            importer.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename=template.xlsx"
        return response
    if request.method == "POST" and form.is_valid():
        try:
            imported = importer.run(request.user, form.cleaned_data["file"], context_of(form.cleaned_data))
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"导入成功：共 {imported} 条。")
            return redirect(list_name)
    return render(
        request,
        "core/import.html",
        {
            "page_title": title,
            "form": form,
            "errors": errors,
            "columns": list(importer.columns),
            "required": importer.required_headers,
            "breadcrumbs": [(list_title, reverse(list_name)), (title, "")],
        },
    )
