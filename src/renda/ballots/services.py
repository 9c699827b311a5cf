"""Ballot services: create, open, cast, close, tally. Every path (API, the meetings
module's hall screen, the demo) goes through these, so checks and counts are one.

Casting locks the voter's line of the roll (select_for_update) before it reads the
ballot's state, and closing locks every line of the roll: a cast either commits before
the close or sees the ballot closed. The unique constraint on Cast.voter is the last
guard against a second ballot by the same voter.

A secret ballot's paper goes into the ballot box sealed (SealedPaper, sealing.py), in
the transaction of the voter's Cast. Closing opens the box and writes the SecretChoice
rows in a random order, all in the close's transaction: on PostgreSQL they carry its
xmin and an order unrelated to the casts, so nothing in the database links a voter to
a choice once the ballot is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from random import SystemRandom

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from renda.core import clock, live
from renda.core.models import CommitteeMember, Deputy, Role, RoleAssignment, User
from renda.core.scoping import require
from renda.core.services import audit

from . import casting, rules_of_vote, sealing, signals
from .models import Ballot, BallotOption, Cast, NamedChoice, SealedPaper, SecretChoice, Voter, random_id
from .rules_of_vote import ABSTAIN, AGAINST, CHOICE, FOR, MOTION, Counts, Outcome

MOTION_OPTIONS = (("赞成", FOR), ("反对", AGAINST), ("弃权", ABSTAIN))
SATISFACTION_OPTIONS = (("满意", FOR), ("基本满意", FOR), ("不满意", AGAINST), ("弃权", ABSTAIN))
MAX_KEY = 100


class AlreadyVoted(ValidationError):
    pass


@dataclass(frozen=True)
class Receipt:
    ballot_id: int
    cast_at: object
    replayed: bool  # an idempotent retry: nothing more was cast
    choices: tuple[int | None, ...] | None  # named ballots only: a secret ballot's choices are not kept with the voter


@dataclass(frozen=True)
class OptionResult:
    id: int
    label: str
    position: str
    votes: int
    elected: bool


@dataclass(frozen=True)
class Result:
    ballot_id: int
    rule: str
    rule_label: str
    citation: str
    eligible: int
    present: int
    cast: int  # voters who voted (turnout)
    papers: int  # papers counted from the choice rows; equals `cast` unless rows were tampered with
    blank: int  # papers without any choice
    options: list[OptionResult]
    outcome: Outcome
    totals: dict = field(default_factory=dict)  # for / against / abstain (motions)

    @property
    def consistent(self) -> bool:
        return self.papers == self.cast

    @property
    def turnout(self) -> float:
        return self.cast / self.eligible if self.eligible else 0.0


# ---------------------------------------------------------------- the roll


def committee_roll(congress, on: date | None = None) -> list[dict]:
    """The standing committee's members serving on `on`, each with their account:
    全体组成人员, the base of most rules. A member without an account is refused, never
    silently left off the roll (that would lower the majority)."""
    on = on or timezone.localdate()
    members = (
        CommitteeMember.objects.filter(congress=congress, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person")
    )
    accounts = {u.person_id: u for u in User.objects.filter(person__in=[m.person_id for m in members], is_active=True)}
    missing = [m.person.name for m in members if m.person_id not in accounts]
    if missing:
        raise ValidationError(f"以下组成人员没有可用账号，无法列入表决名单：{'、'.join(missing)}。")
    return [dict(user=accounts[m.person_id], person=m.person) for m in members]


def deputy_roll(term) -> list[dict]:
    """The serving deputies of a term, each with the account bound to their mandate."""
    deputies = Deputy.objects.filter(term=term, status=Deputy.Status.SERVING).select_related("person")
    bound = {
        a.deputy_id: a.user
        for a in RoleAssignment.objects.filter(
            role=Role.DEPUTY, deputy__in=deputies, user__is_active=True
        ).select_related("user")
    }
    missing = [d.person.name for d in deputies if d.pk not in bound]
    if missing:
        raise ValidationError(f"以下代表没有可用账号，无法列入表决名单：{'、'.join(missing)}。")
    return [dict(user=bound[d.pk], person=d.person, deputy=d) for d in deputies]


# ---------------------------------------------------------------- creating, opening, closing


def _link(record) -> dict:
    if record is None:
        return {}
    return dict(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


@transaction.atomic
def create_ballot(
    by,
    *,
    congress,
    title: str,
    rule: str,
    voters: Iterable,
    kind: str = Ballot.Kind.SECRET,
    rule_params: dict | None = None,
    options: Sequence | None = None,
    max_choices: int = 1,
    subject=None,
    published: bool = False,
) -> Ballot:
    """A draft ballot with its options and roll.

    `voters`: users, or dicts {user, person?, deputy?} (see committee_roll, deputy_roll).
    `options`: for a motion, (label, position) pairs (default 赞成/反对/弃权; without
    弃权 when the rule's parameters forbid abstention); for a choice ballot, labels,
    (label, record) pairs or dicts {label, target}.
    """
    pass_rule = rules_of_vote.get(rule)
    params = pass_rule.clean(rule_params)
    if kind not in Ballot.Kind.values:
        raise ValidationError({"kind": "投票方式应为无记名投票或记名投票。"})
    ballot = Ballot(
        congress=congress,
        title=(title or "").strip(),
        kind=kind,
        rule=rule,
        rule_params=params,
        max_choices=max_choices if pass_rule.mode == CHOICE else 1,
        published=published,
        created_by=by,
        created_at=clock.now(),
        **_link(subject),
    )
    require(by, "add", ballot)
    if not ballot.title:
        raise ValidationError({"title": "请填写表决事项。"})
    rows = _option_rows(pass_rule, params, options)
    if pass_rule.mode == CHOICE and not 1 <= ballot.max_choices <= len(rows):
        raise ValidationError({"max_choices": f"每票最多选择的项数应在 1 到 {len(rows)} 之间。"})
    roll = _roll(voters)
    ballot.full_clean(exclude=["congress", "created_by", "content_type"])
    ballot.save()
    BallotOption.objects.bulk_create(BallotOption(ballot=ballot, order=i, **row) for i, row in enumerate(rows, 1))
    Voter.objects.bulk_create(Voter(ballot=ballot, **line) for line in roll)
    audit(by, "create", ballot, {"rule": rule, "kind": kind, "voters": len(roll), "options": len(rows)})
    return ballot


def _option_rows(pass_rule, params, options) -> list[dict]:
    if pass_rule.mode == MOTION:
        pairs = list(options or MOTION_OPTIONS)
        if options is None and not params["abstention"]:
            pairs = [p for p in pairs if p[1] != ABSTAIN]
        rows = [dict(label=label, position=position) for label, position in pairs]
        positions = {r["position"] for r in rows}
        if not {FOR, AGAINST} <= positions or not positions <= {FOR, AGAINST, ABSTAIN}:
            raise ValidationError({"options": "表决选项必须包括赞成和反对，且每项计为赞成、反对或弃权。"})
        if ABSTAIN in positions and not params["abstention"]:
            raise ValidationError({"options": "本表决规则不允许弃权，选项中不能有弃权。"})
    else:
        rows = []
        for item in options or ():
            if isinstance(item, dict):
                label, target = item.get("label", ""), item.get("target")
            elif isinstance(item, (tuple, list)):
                label, target = item
            else:
                label, target = item, None
            rows.append(dict(label=str(label).strip(), position="", **_link(target)))
        if not rows:
            raise ValidationError({"options": "请至少列出一个候选项。"})
    labels = [r["label"] for r in rows]
    if not all(labels) or any(len(x) > 200 for x in labels):
        raise ValidationError({"options": "每个选项都要有名称（不超过200字）。"})
    if len(set(labels)) != len(labels):
        raise ValidationError({"options": "选项名称不能重复。"})
    return rows


def _roll(voters) -> list[dict]:
    roll = [v if isinstance(v, dict) else dict(user=v) for v in voters]
    if not roll:
        raise ValidationError({"voters": "表决名单不能为空。"})
    users = [line["user"].pk for line in roll]
    if len(set(users)) != len(users):
        raise ValidationError({"voters": "表决名单中有重复的账号。"})
    return [dict(user=line["user"], person=line.get("person"), deputy=line.get("deputy")) for line in roll]


def _move(by, ballot: Ballot, action: str, source: str, target: str, **stamps) -> Ballot:
    require(by, action, ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.state != source:
        raise ValidationError(
            {Ballot.State.DRAFT: "表决已经开始，不能再次开始。", Ballot.State.OPEN: "表决不在投票中，不能结束。"}[
                source
            ]
        )
    locked.state = target
    for name, value in stamps.items():
        setattr(locked, name, value)
    locked._in_service = True
    try:
        locked.save(update_fields=["state", *stamps])
    finally:
        locked._in_service = False
    audit(by, action, locked, {"state": target})
    return locked


def _announce(ballot_id: int) -> None:
    """The hall screens listening to this ballot re-read it, once the change is committed."""
    transaction.on_commit(lambda: live.publish(f"ballot:{ballot_id}"))


@transaction.atomic
def open_ballot(by, ballot: Ballot) -> Ballot:
    signals.ballot_opening.send(sender=Ballot, ballot=ballot, by=by)  # e.g. a sitting's quorum
    _announce(ballot.pk)
    return _move(by, ballot, "open", Ballot.State.DRAFT, Ballot.State.OPEN, opened_at=clock.now(), opened_by=by)


@transaction.atomic
def close_ballot(by, ballot: Ballot) -> Ballot:
    # Wait for the casts in flight (each holds its voter's line) and keep new ones out.
    list(Voter.objects.select_for_update().filter(ballot=ballot).values_list("pk", flat=True))
    closed = _move(by, ballot, "close", Ballot.State.OPEN, Ballot.State.CLOSED, closed_at=clock.now(), closed_by=by)
    if closed.is_secret:
        _empty_the_box(closed)
    _announce(closed.pk)
    return closed


def _empty_the_box(ballot: Ballot) -> None:
    """Open the sealed papers and write their choices in a random order, then empty the
    box: in this one transaction, so the choices share its xmin, not their voters'."""
    opener = sealing.Opener(ballot.pk)
    options = set(BallotOption.objects.filter(ballot=ballot).order_by().values_list("pk", flat=True))
    papers = SealedPaper.objects.filter(ballot=ballot)
    rows = []
    for sealed in papers.values_list("sealed", flat=True):
        try:
            chosen = opener.open(sealed)
        except sealing.Unreadable:
            # The ballot stays open: the papers are kept until the right key is configured.
            raise ValidationError(
                "投票箱中有选票无法解封（密钥与投票时不同，或数据被改动），表决未结束。"
                "请检查 RENDA_BALLOT_KEY 设置后重试。"
            ) from None
        if not set(chosen) <= options or len(chosen) > ballot.max_choices:
            raise ValidationError("投票箱中有选票内容无效，表决未结束。")
        paper = random_id()
        rows += [SecretChoice(ballot=ballot, paper=paper, option_id=o) for o in chosen or [None]]
    SystemRandom().shuffle(rows)
    SecretChoice.objects.bulk_create(rows)
    papers.delete()


@transaction.atomic
def publish(by, ballot: Ballot, published: bool = True) -> Ballot:
    """Make the result public (or withdraw it): everyone may then read it once closed."""
    require(by, "change", ballot)
    ballot.published = published
    ballot.save(update_fields=["published"])
    audit(by, "publish" if published else "unpublish", ballot, {"published": published})
    return ballot


@transaction.atomic
def mark_present(by, ballot: Ballot, users: Iterable, present: bool = True) -> int:
    """Record who is present at the sitting (for "majority of those present")."""
    require(by, "change", ballot)
    if ballot.state == Ballot.State.CLOSED:
        raise ValidationError("表决已结束，不能再登记出席。")
    count = Voter.objects.filter(ballot=ballot, user__in=list(users)).update(present=present)
    audit(by, "present" if present else "absent", ballot, {"voters": count})
    return count


# ---------------------------------------------------------------- casting


def cast(ballot: Ballot | int, user, choices: Sequence, *, idempotency_key: str) -> Receipt:
    """Cast `user`'s ballot in `ballot` (the ballot or its id): `choices` are option ids
    (or options). The same key from the same voter returns the first receipt and casts
    nothing more. Being on the roll is the permission to vote: the voter's locked line of
    the roll is the only check of who may vote (the API's vote endpoint relies on it)."""
    ballot_id = ballot.pk if isinstance(ballot, Ballot) else ballot
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationError({"idempotency_key": f"请提供幂等键（1 至 {MAX_KEY} 个字符），以便安全重试。"})
    wanted = [c.pk if isinstance(c, BallotOption) else c for c in choices]
    if len(set(wanted)) != len(wanted):
        raise ValidationError({"choices": "同一选项不能重复选择。"})
    try:
        with transaction.atomic():
            return _cast(ballot_id, user, wanted, key)
    except IntegrityError:
        # Another request by the same voter committed first (the unique constraint held).
        first = Cast.objects.select_related("voter__ballot").filter(voter__ballot=ballot_id, voter__user=user).first()
        if first is None:
            raise
        return _replay(first.voter.ballot, first, key)


def _replay(ballot, first: Cast, key: str) -> Receipt:
    if first.idempotency_key != key:
        raise AlreadyVoted("您已投票，不能重复投票。")
    return _receipt(ballot, first, replayed=True)


def _receipt(ballot, record: Cast, replayed: bool) -> Receipt:
    choices = None
    if not ballot.is_secret:
        choices = tuple(record.choices.order_by("option__order").values_list("option", flat=True))
    return Receipt(ballot.pk, record.cast_at, replayed, choices)


def _cast(ballot_id: int, user, wanted: list, key: str) -> Receipt:
    # In SQL (casting.py): this is the path a whole hall takes at once.
    if user is None or not user.is_authenticated:
        raise PermissionDenied("您不是本次表决的投票人。")
    # The state is read after the voter's line is locked (casting.lock_and_read): a concurrent
    # close has committed, or waits for us. The ballot's other fields never change once open.
    line, ballot, options = casting.lock_and_read(ballot_id, user.pk)
    if line is None:
        raise PermissionDenied("您不是本次表决的投票人。")
    voter_id, cast_id = line
    if cast_id is not None:
        first = Cast.objects.select_related("voter__ballot").get(pk=cast_id)
        return _replay(first.voter.ballot, first, key)
    if ballot is None or ballot.state == Ballot.State.DRAFT:
        raise ValidationError("表决尚未开始。")
    if ballot.state == Ballot.State.CLOSED:
        raise ValidationError("表决已结束，不能再投票。")
    if any(type(c) is not int or c not in options for c in wanted):  # True is an int, not an option id
        raise ValidationError({"choices": "所选选项不属于本次表决。"})
    chosen = sorted((options[c] for c in wanted), key=lambda o: o.order)
    _check_choices(ballot, chosen)
    cast_at = clock.now()
    _announce(ballot.pk)
    if ballot.is_secret:
        sealed = sealing.seal(ballot.pk, ballot.max_choices, [o.pk for o in chosen])
        casting.insert_paper(voter_id, key, cast_at, ballot.pk, sealed=sealed)
        return Receipt(ballot.pk, cast_at, False, None)
    casting.insert_paper(voter_id, key, cast_at, ballot.pk, options=[o.pk for o in chosen])
    return Receipt(ballot.pk, cast_at, False, tuple(o.pk for o in chosen) or (None,))


def _check_choices(ballot: casting.Facts, chosen: list[casting.Option]) -> None:
    abstention = ballot.rule_params.get("abstention", True)
    if ballot.mode == MOTION:
        if not chosen:
            raise ValidationError({"choices": "请选择一项。"})
        if len(chosen) > 1:
            raise ValidationError({"choices": "只能选择一项。"})
        if chosen[0].position == ABSTAIN and not abstention:
            raise ValidationError({"choices": "本次表决不允许弃权。"})
        return
    if len(chosen) > ballot.max_choices:
        raise ValidationError({"choices": f"最多只能选择{ballot.max_choices}项。"})
    if not chosen and not abstention:
        raise ValidationError({"choices": "本次表决不允许弃权，请至少选择一项。"})


# ---------------------------------------------------------------- counting


def tally(ballot: Ballot) -> Result:
    """Count a closed ballot from its rows: the roll, the casts and the choices.
    A secret ballot is never counted while open (a running count beside the list of
    who has voted would reveal choices)."""
    ballot = Ballot.objects.get(pk=ballot.pk)
    return tallies([ballot])[ballot.pk]


def tallies(ballots: Iterable[Ballot]) -> dict[int, Result]:
    """`tally` of several closed ballots at once, in a fixed number of queries whatever
    their number (the minutes of a sitting count every vote of its agenda)."""
    ballots = list(ballots)
    if any(b.state != Ballot.State.CLOSED for b in ballots):
        raise ValidationError("表决尚未结束，不能计票。")
    if not ballots:
        return {}
    ids = [b.pk for b in ballots]
    roll = {
        r["ballot"]: r
        for r in Voter.objects.filter(ballot__in=ids)
        .values("ballot")
        .annotate(
            eligible=Count("pk"),
            present=Count("pk", filter=Q(present=True) | Q(cast__isnull=False)),
            cast=Count("cast"),
        )
        .order_by()
    }
    per_option: dict[int, dict] = {pk: {} for pk in ids}
    papers: dict[int, dict] = {}
    for model, paper, kind_ids in (
        (SecretChoice, "paper", [b.pk for b in ballots if b.is_secret]),
        (NamedChoice, "cast", [b.pk for b in ballots if not b.is_secret]),
    ):
        if not kind_ids:
            continue
        rows = model.objects.filter(ballot__in=kind_ids)
        for ballot_id, option_id, n in rows.values_list("ballot", "option").annotate(n=Count("pk")).order_by():
            per_option[ballot_id][option_id] = n
        for r in (
            rows.values("ballot")
            .annotate(
                papers=Count(paper, distinct=True), blank=Count(paper, distinct=True, filter=Q(option__isnull=True))
            )
            .order_by()
        ):
            papers[r["ballot"]] = r
    options: dict[int, list] = {pk: [] for pk in ids}
    for o in BallotOption.objects.filter(ballot__in=ids).order_by("ballot", "order"):
        options[o.ballot_id].append(o)
    no_roll = dict(eligible=0, present=0, cast=0)
    no_papers = dict(papers=0, blank=0)
    return {
        b.pk: _result(b, roll.get(b.pk, no_roll), per_option[b.pk], papers.get(b.pk, no_papers), options[b.pk])
        for b in ballots
    }


def _result(ballot: Ballot, roll: dict, per_option: dict, papers: dict, options: list) -> Result:
    counts = Counts(
        eligible=roll["eligible"],
        present=roll["present"],
        cast=roll["cast"],
        votes={o.pk: per_option.get(o.pk, 0) for o in options},
        positions={o.pk: o.position for o in options},
        seats=ballot.max_choices,
        labels={o.pk: o.label for o in options},
    )
    outcome = ballot.pass_rule(counts, ballot.rule_params)
    elected = set(outcome.elected)
    return Result(
        ballot_id=ballot.pk,
        rule=ballot.rule,
        rule_label=ballot.pass_rule.label,
        citation=ballot.pass_rule.citation,
        eligible=counts.eligible,
        present=counts.present,
        cast=counts.cast,
        papers=papers["papers"],
        blank=papers["blank"],
        options=[OptionResult(o.pk, o.label, o.position, counts.votes[o.pk], o.pk in elected) for o in options],
        outcome=outcome,
        totals={p: counts.total(p) for p in (FOR, AGAINST, ABSTAIN)} if ballot.mode == MOTION else {},
    )


def named_votes(ballot: Ballot) -> list[tuple[Voter, list[BallotOption | None]]]:
    """Who voted how, for a named ballot (the caller checks "view_votes")."""
    if ballot.is_secret:
        raise PermissionDenied("无记名投票不记录投票人的选择。")
    by_cast: dict[int, list] = {}
    for choice in NamedChoice.objects.filter(ballot=ballot).select_related("option"):
        by_cast.setdefault(choice.cast_id, []).append(choice.option)
    voters = Voter.objects.filter(ballot=ballot).select_related("user", "person", "cast")
    return [(v, by_cast.get(v.cast.pk, []) if hasattr(v, "cast") else []) for v in voters]


def named_votes_of(ballots: Iterable[Ballot]) -> dict[int, list[tuple[Voter, list[BallotOption | None]]]]:
    """`named_votes` of several named ballots in two queries (the caller checks "view_votes")."""
    ballots = list(ballots)
    if any(b.is_secret for b in ballots):
        raise PermissionDenied("无记名投票不记录投票人的选择。")
    ids = [b.pk for b in ballots]
    by_cast: dict[int, list] = {}
    for choice in NamedChoice.objects.filter(ballot__in=ids).select_related("option"):
        by_cast.setdefault(choice.cast_id, []).append(choice.option)
    found: dict[int, list] = {pk: [] for pk in ids}
    for v in Voter.objects.filter(ballot__in=ids).select_related("user", "person", "cast"):
        found[v.ballot_id].append((v, by_cast.get(v.cast.pk, []) if hasattr(v, "cast") else []))
    return found
