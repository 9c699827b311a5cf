"""Group deliberation (分组审议) at a sitting of the standing committee, and the speeches.

    people(sitting)                          the sitting's people: serving members (roll) and observers
    is_member_of(sitting, person)            one of them?
    create_group / set_members               the staff split the people into groups (each in at most one)
    groups(sitting)                          the groups with their members (constant queries)
    record_speech(sitting, speaker, text, by, item=None, group=None)
                                             the staff for anyone of the sitting; a member for themself
    circulate(sitting, by)                   印发: the speeches reach the sitting's people; each
                                             speaker counted as a Participation 发言 on the sitting
    compiled(sitting)                        the circulated speeches by agenda item and group

Who may read what is decided here (`may_manage`, `may_read`) and used by the views and the
scoping rules alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from renda.core.models import CommitteeMeeting, Deputy, Person
from renda.core.scoping import actor_of
from renda.workflow.models import Participation
from renda.workflow.participation import record_participants

from . import services
from .models import AgendaItem, DeliberationGroup, GroupMember, Speech

SPEECH_MAX = 20000  # characters: a speech, not a document


@dataclass
class SittingPerson:
    person: Person
    deputy: Deputy | None  # an observer taking part as a deputy
    observer: bool

    @property
    def label(self) -> str:
        return f"{self.person.name}（列席）" if self.observer else self.person.name


def people(sitting: CommitteeMeeting) -> list[SittingPerson]:
    """The serving members on the sitting's day (`services.roll`, which refuses a member
    without an account) followed by the observers (列席) not on the roll. Two queries."""
    found = {p.pk: SittingPerson(p, None, False) for p in services.roll(sitting)}
    for row in services.observers(sitting):
        found.setdefault(row.person_id, SittingPerson(row.person, row.deputy, True))
    return list(found.values())


def is_member_of(sitting: CommitteeMeeting, person_id: int | None) -> bool:
    return person_id is not None and any(p.person.pk == person_id for p in people(sitting))


def may_manage(user, sitting: CommitteeMeeting) -> bool:
    """The staff (and administrators) of the sitting's congress or above."""
    return actor_of(user).manages(sitting.term.congress_id)


def may_read(user, sitting: CommitteeMeeting) -> bool:
    """The sitting's group pages: its staff, and its people (members and observers)."""
    if not user.is_authenticated:
        return False
    return may_manage(user, sitting) or is_member_of(sitting, user.person_id)


def _check_manage(user, sitting) -> None:
    if not may_manage(user, sitting):
        raise ValidationError("只有常委会工作人员可以安排分组审议。")


# ---------------------------------------------------------------- groups


@transaction.atomic
def create_group(sitting: CommitteeMeeting, name: str, by, *, convener: Person | None = None) -> DeliberationGroup:
    _check_manage(by, sitting)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写组名。"})
    if DeliberationGroup.objects.filter(sitting=sitting, name=name).exists():
        raise ValidationError({"name": f"本次会议已有“{name}”。"})
    last = DeliberationGroup.objects.filter(sitting=sitting).aggregate(m=Max("order"))["m"] or 0
    group = DeliberationGroup.objects.create(sitting=sitting, name=name, order=last + 1)
    if convener is not None:
        set_members(group, [convener], by, convener=convener)
    return group


@transaction.atomic
def set_members(group: DeliberationGroup, members: list[Person], by, *, convener: Person | None = None) -> None:
    """Make `members` the whole of `group` (and `convener`, one of them, its convener). Each
    must be of the sitting and in no other group of it: the staff move a person by taking
    them out of their group first (the database refuses a second group anyway)."""
    sitting = group.sitting
    _check_manage(by, sitting)
    wanted = {p.pk: p for p in members}
    if convener is not None:
        wanted.setdefault(convener.pk, convener)
    allowed = {p.person.pk for p in people(sitting)}
    strangers = [p.name for p in wanted.values() if p.pk not in allowed]
    if strangers:
        raise ValidationError({"members": f"{'、'.join(strangers)}不是本次会议的组成人员或列席人员。"})
    elsewhere = (
        GroupMember.objects.filter(sitting=sitting, person__in=wanted)
        .exclude(group=group)
        .select_related("person", "group")
    )
    taken = [f"{m.person.name}（{m.group.name}）" for m in elsewhere]
    if taken:
        raise ValidationError({"members": f"以下人员已分在其他小组：{'、'.join(taken)}。"})
    GroupMember.objects.filter(group=group).exclude(person__in=wanted).delete()
    have = set(GroupMember.objects.filter(group=group).values_list("person_id", flat=True))
    GroupMember.objects.bulk_create(
        [GroupMember(sitting=sitting, group=group, person_id=pk) for pk in wanted if pk not in have]
    )
    group.convener = convener
    group.save(update_fields=["convener"])


@dataclass
class GroupRow:
    group: DeliberationGroup
    members: list[Person] = field(default_factory=list)


def groups(sitting: CommitteeMeeting) -> list[GroupRow]:
    """The groups in order with their members (two queries)."""
    rows = {
        g.pk: GroupRow(g)
        for g in DeliberationGroup.objects.filter(sitting=sitting).select_related("convener").order_by("order", "id")
    }
    for m in GroupMember.objects.filter(sitting=sitting).select_related("person").order_by("person__name", "id"):
        rows[m.group_id].members.append(m.person)
    return list(rows.values())


# ---------------------------------------------------------------- speeches


@transaction.atomic
def record_speech(
    sitting: CommitteeMeeting,
    speaker: Person,
    text: str,
    by,
    *,
    item: AgendaItem | None = None,
    group: DeliberationGroup | None = None,
) -> Speech:
    """Record one speech. The staff record anyone's; a member (or observer) of the sitting
    only their own. The speaker must be of the sitting; an observing deputy's mandate is kept
    with it. The group defaults to the speaker's."""
    if sitting.kind != CommitteeMeeting.Kind.STANDING_COMMITTEE:
        raise ValidationError("只有常委会会议进行分组审议。")
    if not may_manage(by, sitting) and (by.person_id is None or by.person_id != speaker.pk):
        raise ValidationError({"speaker": "只能记录本人的发言。"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写发言内容。"})
    if len(text) > SPEECH_MAX:
        raise ValidationError({"text": f"发言内容不能超过{SPEECH_MAX}字。"})
    who = next((p for p in people(sitting) if p.person.pk == speaker.pk), None)
    if who is None:
        raise ValidationError({"speaker": f"{speaker.name}不是本次会议的组成人员或列席人员。"})
    if item is not None and item.sitting_id != sitting.pk:
        raise ValidationError({"item": "该议题不在本次会议议程中。"})
    if group is not None and group.sitting_id != sitting.pk:
        raise ValidationError({"group": "该小组不属于本次会议。"})
    own = group_of(sitting, speaker)
    if group is not None and own is not None and group.pk != own.pk and not may_manage(by, sitting):
        raise ValidationError({"group": f"您分在{own.name}，只能记录在本组的发言。"})
    if group is None:
        group = own
    return Speech.objects.create(
        sitting=sitting,
        item=item,
        # the case of the item: the speech then shows on the case's page too (supervision items)
        content_type_id=item.content_type_id if item else None,
        object_id=item.object_id if item else None,
        congress_id=sitting.term.congress_id,
        group=group,
        speaker=speaker,
        deputy=who.deputy,
        spoken_on=_day_of(sitting),
        text=text,
        recorded_by=by,
    )


def _day_of(sitting: CommitteeMeeting):
    """Today, within the sitting's days (a speech entered afterwards: its last day)."""
    last = sitting.end_date or sitting.start_date
    return min(max(timezone.localdate(), sitting.start_date), last)


def group_of(sitting: CommitteeMeeting, person: Person) -> DeliberationGroup | None:
    """The person's group at the sitting, if they are in one."""
    member = GroupMember.objects.filter(sitting=sitting, person=person).select_related("group").first()
    return member.group if member else None


def agenda_item_of(sitting: CommitteeMeeting, case) -> AgendaItem | None:
    """The sitting's agenda item for `case` (the first by order: a case may be on it for two
    acts), so that a speech on the case and its agenda item agree."""
    return (
        AgendaItem.objects.filter(
            sitting=sitting, content_type=ContentType.objects.get_for_model(case), object_id=case.pk
        )
        .order_by("order", "id")
        .first()
    )


@transaction.atomic
def circulate(sitting: CommitteeMeeting, by) -> int:
    """印发: every speech of the sitting not circulated yet is from now on readable by the
    sitting's people; each speaker is recorded once as a Participation 发言 on the sitting (a
    deputy by their mandate) so that the deputies' archive counts it. Returns the number of
    speeches circulated (a second call circulates only those recorded since)."""
    _check_manage(by, sitting)
    pending = list(Speech.objects.select_for_update().filter(sitting=sitting, circulated_at__isnull=True))
    if not pending:
        raise ValidationError("没有待印发的发言。")
    now = timezone.now()
    Speech.objects.filter(pk__in=[s.pk for s in pending]).update(circulated_at=now)
    speakers = {}
    for s in pending:
        speakers[s.speaker_id] = s.deputy if s.deputy_id else s.speaker
    record_participants(
        sitting,
        list(speakers.values()),
        Participation.Capacity.SPEAKER,
        on=sitting.start_date,
        congress_id=sitting.term.congress_id,
    )
    return len(pending)


@dataclass
class Section:
    item: AgendaItem | None
    groups: list[tuple[str, list[Speech]]]

    @property
    def title(self) -> str:
        return self.item.title if self.item else "其他发言"


def compiled(sitting: CommitteeMeeting, *, circulated_only: bool = True) -> list[Section]:
    """The speeches by agenda item (in the agenda's order; those on no item last) and, within
    an item, by group (in the groups' order; those outside any group last). One query."""
    qs = Speech.objects.filter(sitting=sitting).select_related("speaker", "item", "group", "deputy")
    if circulated_only:
        qs = qs.filter(circulated_at__isnull=False)
    speeches = sorted(
        qs,
        key=lambda s: (
            s.item is None,
            s.item.order if s.item else 0,
            s.group is None,
            s.group.order if s.group else 0,
            s.recorded_at,
            s.pk,
        ),
    )
    sections: list[Section] = []
    for s in speeches:
        if not sections or sections[-1].item != s.item:
            sections.append(Section(s.item, []))
        group = s.group.name if s.group else "未分组发言"
        if not sections[-1].groups or sections[-1].groups[-1][0] != group:
            sections[-1].groups.append((group, []))
        sections[-1].groups[-1][1].append(s)
    return sections
