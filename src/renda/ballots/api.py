"""The ballots API: one ballot with the caller's status, casting a vote (with an
Idempotency-Key header, so that a hall terminal may retry safely), and the result once
the ballot is closed. Scoped by ballots.rules; services do the checking and counting."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError

from renda.core.api import SQL_INT_MAX
from renda.core.scoping import actor_of, allowed, get_visible_or_404

from . import services
from .models import Ballot, Cast, Voter

router = Router(tags=["表决"])


class OptionOut(Schema):
    id: int
    label: str
    order: int
    position: str


class MyStatus(Schema):
    eligible: bool
    has_voted: bool
    may_vote: bool


class BallotOut(Schema):
    id: int
    congress_id: int
    title: str
    kind: str
    kind_label: str
    mode: str
    rule: str
    rule_label: str
    citation: str
    rule_params: dict
    max_choices: int
    state: str
    state_label: str
    published: bool
    opened_at: datetime | None
    closed_at: datetime | None
    options: list[OptionOut]
    me: MyStatus


class VoteIn(Schema):
    choices: list[int] = Field(description="所选选项的 id；表决（赞成/反对/弃权）选一项，票决最多选 max_choices 项")


class ReceiptOut(Schema):
    ballot_id: int
    cast_at: datetime
    replayed: bool = Field(description="true：同一幂等键的重试，未重复投票")
    choices: list[int | None] | None = Field(description="记名投票时为所投选项；无记名投票不返回")
    detail: str


class OptionResultOut(Schema):
    id: int
    label: str
    position: str
    votes: int
    elected: bool


class NamedVoteOut(Schema):
    voter: str
    voted: bool
    choices: list[str]


class ResultOut(Schema):
    ballot_id: int
    rule: str
    rule_label: str
    citation: str
    eligible: int
    present: int
    cast: int
    papers: int
    blank: int
    turnout: float
    consistent: bool
    totals: dict[str, int]
    options: list[OptionResultOut]
    passed: bool | None
    elected: list[int]
    tied: list[int]
    runoff_seats: int
    outcome: str
    votes: list[NamedVoteOut] | None = Field(description="记名投票的逐人记录（监督角色可见）；无记名投票为 null")


def _ballot(request, ballot_id: int) -> Ballot:
    if not 0 < ballot_id <= SQL_INT_MAX:
        raise HttpError(404, "未找到该记录，或您无权查看。")
    return get_visible_or_404(request.user, Ballot, pk=ballot_id)


def _status(request, ballot: Ballot) -> dict:
    user = request.user
    voter = Voter.objects.filter(ballot=ballot, user=user).first() if user.is_authenticated else None
    voted = voter is not None and Cast.objects.filter(voter=voter).exists()
    return dict(
        eligible=voter is not None, has_voted=voted, may_vote=voter is not None and not voted and ballot.state == "open"
    )


@router.get("/{ballot_id}", response=BallotOut, summary="一次表决：选项、规则和本人的投票状态")
def get_ballot(request, ballot_id: int):
    ballot = _ballot(request, ballot_id)
    rule = ballot.pass_rule
    return dict(
        id=ballot.pk,
        congress_id=ballot.congress_id,
        title=ballot.title,
        kind=ballot.kind,
        kind_label=ballot.get_kind_display(),
        mode=rule.mode,
        rule=ballot.rule,
        rule_label=rule.label,
        citation=rule.citation,
        rule_params=ballot.rule_params,
        max_choices=ballot.max_choices,
        state=ballot.state,
        state_label=ballot.get_state_display(),
        published=ballot.published,
        opened_at=ballot.opened_at,
        closed_at=ballot.closed_at,
        options=list(ballot.options.all()),
        me=_status(request, ballot),
    )


@router.post(
    "/{ballot_id}/votes",
    response={200: ReceiptOut, 201: ReceiptOut},
    summary="投票（须带 Idempotency-Key 请求头；同一键重试不会重复投票）",
)
def vote(
    request,
    ballot_id: int,
    payload: VoteIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=services.MAX_KEY),
):
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录或携带令牌。")
    if not 0 < ballot_id <= SQL_INT_MAX:
        raise HttpError(404, "未找到该记录，或您无权查看。")
    # No visibility query before casting: the cast locks the caller's line of the roll, and
    # being on the roll of a ballot that is open is what makes it visible to a voter. A
    # refusal answers as before: 404 when the caller may not see the ballot, else the reason.
    try:
        receipt = services.cast(ballot_id, request.user, payload.choices, idempotency_key=idempotency_key)
    except services.AlreadyVoted as exc:
        raise HttpError(409, exc.messages[0]) from None
    except (PermissionDenied, ValidationError):
        _ballot(request, ballot_id)
        raise
    body = dict(vars(receipt), detail="重复提交，已按第一次投票处理。" if receipt.replayed else "投票成功。")
    return Status(200 if receipt.replayed else 201, body)


@router.get("/{ballot_id}/result", response=ResultOut, summary="表决结果（表决结束后）")
def result(request, ballot_id: int):
    ballot = _ballot(request, ballot_id)
    if ballot.state != Ballot.State.CLOSED:
        raise HttpError(409, "表决尚未结束，结果不可查看。")
    if not allowed(request.user, "view_result", ballot):
        raise PermissionDenied("您无权查看本次表决的结果。")
    counted = services.tally(ballot)
    votes = None
    if allowed(actor_of(request.user), "view_votes", ballot):
        votes = [
            dict(voter=str(v), voted=hasattr(v, "cast"), choices=[o.label if o else "（空白票）" for o in chosen])
            for v, chosen in services.named_votes(ballot)
        ]
    return dict(
        vars(counted),
        turnout=round(counted.turnout, 4),
        consistent=counted.consistent,
        options=[vars(o) for o in counted.options],
        passed=counted.outcome.passed,
        elected=list(counted.outcome.elected),
        tied=list(counted.outcome.tied),
        runoff_seats=counted.outcome.runoff_seats,
        outcome=counted.outcome.text,
        votes=votes,
    )
