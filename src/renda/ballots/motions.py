"""A motion about a case put to the standing committee's vote (表决): opened, closed and read
the same way for every case type that is voted on — a bill (legislation), a resolution or
decision (decisions). The roll is `committee_roll` (全体组成人员) and the rule by default
`majority_of_all` (more than half of ALL members: 地方组织法 Art. 51, rules.md APP-3); the
counting is the ballots' own (`services.tally`). Called from transition effects, inside the
engine's transaction; a ValidationError refuses the act with its Chinese message."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from renda.core.scoping import allowed, visible
from renda.workflow.engine import current_day

from . import services
from .models import Ballot


def ballots_about(record):
    """Every ballot about `record` (a re-vote is a new ballot on the same record)."""
    return Ballot.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def votes_for(record, user) -> list[dict]:
    """The ballots about `record` that `user` may see, oldest first, each with its count when
    closed and the user may read the result — what a case page lists under 表决
    (template ballots/_votes.html)."""
    votes = []
    for ballot in visible(user, Ballot).filter(pk__in=ballots_about(record).values("pk")).order_by("created_at", "id"):
        result = None
        if ballot.state == Ballot.State.CLOSED and allowed(user, "view_result", ballot):
            result = services.tally(ballot)
        votes.append({"ballot": ballot, "result": result, "url": reverse("ballots:ballot", args=[ballot.pk])})
    return votes


def open_motion(by, record, *, title: str, kind: str, rule: str = "majority_of_all") -> Ballot:
    """Create and open a motion (赞成/反对/弃权) about `record`, secret or named as the sitting decides."""
    ballot = services.create_ballot(
        by,
        congress=record.congress,
        title=title,
        rule=rule,
        voters=services.committee_roll(record.congress, on=current_day()),
        subject=record,
        kind=kind,
    )
    return services.open_ballot(by, ballot)


def close_motion(by, record, *, publish: bool = False) -> services.Result:
    """Close the open motion about `record` (publishing its result if asked) and count it."""
    ballot = ballots_about(record).filter(state=Ballot.State.OPEN).order_by("-id").first()
    if ballot is None:
        raise ValidationError("没有进行中的表决。")
    ballot = services.close_ballot(by, ballot)
    if publish:
        services.publish(by, ballot)
    return services.tally(ballot)


def last_result(record) -> services.Result | None:
    """The count of the latest closed ballot about `record`, or None."""
    ballot = ballots_about(record).filter(state=Ballot.State.CLOSED).order_by("-id").first()
    return services.tally(ballot) if ballot else None


def passed(record) -> bool:
    """Whether the latest closed vote on `record` passed (a transition's `decide`)."""
    result = last_result(record)
    return bool(result and result.outcome.passed)
