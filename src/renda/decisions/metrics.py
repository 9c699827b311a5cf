"""Metrics of resolutions and decisions (seed section 四: 全年共作出决议决定N件).

A resolution counts in the year of the vote that adopted it (`adopted_on`, the day the ballot
was closed with a majority of all members), whether published yet or not; one not passed, being
drafted, put on an agenda, voted on or withdrawn does not count."""

from renda.reports.metrics import Scope, metric

from .models import Resolution

ADOPTED = ("adopted", "published")


@metric(
    "decisions.resolutions",
    label="作出决议决定",
    unit="件",
    section="decisions",
    url=lambda r: r.get_absolute_url(),
    date_field="adopted_on",
    definition="常委会会议表决通过（全体组成人员过半数赞成）的决议、决定件数，按表决通过的日期计入年度；"
    "未通过、已撤回的不计。",
)
def resolutions(scope: Scope):
    return Resolution.objects.filter(congress__in=scope.congresses, state__in=ADOPTED, **scope.dates("adopted_on"))
