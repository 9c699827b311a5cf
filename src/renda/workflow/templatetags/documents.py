from django import template
from django.db.models import Prefetch

from renda.core.scoping import allowed

from ..documents import Document, DocumentVersion

register = template.Library()


@register.inclusion_tag("workflow/_documents.html", takes_context=True)
def record_documents(context, record, heading="文档", outside=False):
    """The documents of a case or record that the user may see, each with its versions
    and their download links. Two queries for the documents and versions, and one
    permission check per kind of access, whatever the number of versions. `outside`: a
    page that shows the record from outside its process (the public catalogue) lists the
    versions and files without who uploaded them and their notes."""
    user = context.get("user")
    docs = list(
        Document.objects.for_record(record)
        .select_related("content_type")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
        )
    )
    decided: dict[str, bool] = {}
    shown = []
    for doc in docs:
        if doc.action not in decided:
            decided[doc.action] = allowed(user, doc.action, record)
        if decided[doc.action]:
            shown.append(doc)
    return {"documents": shown, "heading": heading, "outside": outside}
