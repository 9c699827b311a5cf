"""Metrics of legislation (seed section 二, 扎实推动立法工作): regulations enacted (promulgated
in the period; the summary names them), comment periods published and comments received.

A regulation counts in the year of its 公告 (promulgated_on: 制定出台, after the region's
approval); a comment period in the year it opened; a comment in the year it was received,
whatever its moderation (收到意见建议: hidden ones were received too)."""

from django.urls import reverse

from renda.reports.metrics import Scope, metric

from .models import Bill, CommentPeriod, PublicComment


def _bill_url(bill):
    return reverse("legislation:bill", args=[bill.pk])


@metric(
    "legislation.regulations_enacted",
    label="制定出台地方性法规",
    unit="件",
    section="legislation",
    url=_bill_url,
    date_field="promulgated_on",
    names=lambda b: f"《{b.title}》",
    definition="本期内发布公告予以公布的地方性法规件数（经自治区人大常委会批准后公布之日计）。",
)
def regulations_enacted(scope: Scope):
    return Bill.objects.filter(
        congress__in=scope.congresses, state="promulgated", **scope.dates("promulgated_on")
    ).order_by("promulgated_on", "id")


@metric(
    "legislation.comment_periods",
    label="法规草案公开征求意见",
    unit="次",
    section="legislation",
    url=lambda p: reverse("legislation:comments", args=[p.pk]),
    date_field="opens_on",
    definition="本期内开始的、向社会公布的法规草案公开征求意见次数。",
)
def comment_periods(scope: Scope):
    return CommentPeriod.objects.filter(bill__congress__in=scope.congresses, published=True, **scope.dates("opens_on"))


@metric(
    "legislation.public_comments",
    label="收到公众意见建议",
    unit="条",
    section="legislation",
    url=lambda c: reverse("legislation:comments", args=[c.period_id]) + f"#comment-{c.pk}",
    date_field="submitted_at",
    definition="本期内通过公开征求意见页面收到的公众意见条数（含经审核不予公开的）。",
)
def public_comments(scope: Scope):
    return PublicComment.objects.filter(
        period__bill__congress__in=scope.congresses, period__published=True, **scope.datetimes("submitted_at")
    )
