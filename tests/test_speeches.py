"""One speech model (审议发言): a speech recorded on a supervision item is a `meetings.Speech`
at the item's sitting, on the sitting's agenda item for it, so the sitting's compiled speeches
show it once circulated; a speech recorded in a group on that agenda item is on the item's
page too. Before circulation neither a unit nor the public sees one; the copy of the old
`supervision.DeliberationSpeech` rows by the migrations."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from renda.core import services as core_services
from renda.core.models import Body
from renda.core.scoping import visible
from renda.meetings import groups
from renda.meetings import services as meetings
from renda.meetings.models import Speech
from renda.supervision import services as supervision
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db


def _upload():
    return SimpleUploadedFile("报告.txt", "关于全市水污染防治工作情况的报告。".encode(), content_type="text/plain")


@pytest.fixture
def heard(world):
    """A work report of 单位A distributed for the city's sitting and put on its agenda to be
    deliberated: (sitting, report, agenda item)."""
    staff, unit = world.users["staff"], world.users["unit"]
    body = core_services.create_body(
        world.admin, world.city, "巴彦淖尔市人大常委会环境与资源保护工作委员会", "环资工委", Body.Kind.WORKING_COMMITTEE
    )
    sitting = core_services.create_committee_meeting(world.admin, world.term, 21, timezone.localdate() + timedelta(40))
    report = supervision.add_item(
        staff, None, "work_report", congress=world.city, title="关于全市水污染防治工作情况的报告", body=body,
        organ=world.unit_a,
    )  # fmt: skip
    perform(report, "schedule", staff, {"sitting": sitting.pk})
    perform(report, "submit_draft", unit, {}, {"files": [_upload()]})
    perform(report, "submit_report", unit, {}, {"files": [_upload()]})
    perform(report, "distribute", staff, {})
    item = meetings.add_item(sitting, report, "deliberate", staff)
    perform(report, "deliberate", staff, {})
    return sitting, report, item


def _nobody_else_sees(world, report):
    """Before circulation: not the organ, another organ, a deputy, the public, a member account
    without a person of the sitting."""
    for key in ("unit", "other_unit", "other_deputy", "member", "noroles", "public"):
        user = world.users.get(key)  # "public": anonymous (None)
        assert not visible(user, Speech).exists(), key
        if user is not None:
            assert not supervision.speeches_of(report, user).exists(), key


def test_a_supervision_speech_appears_on_the_sittings_compiled_speeches_once_circulated(world, heard, client_for):
    sitting, report, item = heard
    staff = world.users["staff"]
    speech = supervision.record_speech(
        staff, report, world.member.person, "建议加大乌梁素海综合治理力度。", on=sitting.start_date
    )
    # one row, at the item's sitting, on the agenda item for the report: the two links agree
    assert Speech.objects.count() == 1
    speech.refresh_from_db()
    assert (speech.sitting, speech.item, speech.case, speech.congress) == (sitting, item, report, world.city)
    assert speech.spoken_on == sitting.start_date and speech.circulated_at is None
    # the staff see it on the item's page and (pending) on the sitting's group page
    assert [s.pk for s in supervision.speeches_of(report, staff)] == [speech.pk]
    groups_page = client_for("staff").get(reverse("meetings:groups", args=[sitting.pk])).content.decode()
    assert "乌梁素海" in groups_page and "待印发" in groups_page
    compiled = reverse("meetings:speeches", args=[sitting.pk])
    director = client_for("director")  # 周主任, a member of the sitting (and the speaker)
    assert "乌梁素海" not in client_for("staff").get(compiled).content.decode()  # compiled: circulated only
    _nobody_else_sees(world, report)
    assert client_for("unit").get(compiled).status_code == 404
    # 通报 by the item's transition is the one circulation: the compiled page shows it under the item
    perform(report, "circulate", staff, {})
    speech.refresh_from_db()
    assert speech.circulated_at is not None
    page = director.get(compiled).content.decode()
    assert "乌梁素海" in page and item.title in page
    assert page.count('data-testid="speech"') == Speech.objects.filter(sitting=sitting).count() == 1
    # the organ reads it on the item's page now; another organ and the public still not
    assert supervision.speeches_of(report, world.users["unit"]).count() == 1
    assert not supervision.speeches_of(report, world.users["other_unit"]).exists()
    assert not visible(None, Speech).exists()


def test_a_group_speech_on_the_agenda_item_is_on_the_items_page(world, heard, client_for):
    sitting, report, item = heard
    staff = world.users["staff"]
    speech = groups.record_speech(sitting, world.member.person, "同意报告，建议加强考核。", staff, item=item)
    assert (speech.case, speech.congress, speech.spoken_on) == (report, world.city, sitting.start_date)
    url = f"/work/supervision/reports/{report.pk}/"
    assert "建议加强考核" in client_for("staff").get(url).content.decode()
    _nobody_else_sees(world, report)
    assert "建议加强考核" not in client_for("unit").get(url).content.decode()
    # 印发 at the sitting reaches the organ of the case too (one circulation)
    assert groups.circulate(sitting, staff) == 1
    assert "建议加强考核" in client_for("unit").get(url).content.decode()
    assert not visible(world.users["other_unit"], Speech).exists()


def test_a_speech_outside_a_sitting_the_oversight_roles_read_before_circulation(world, heard):
    _, report, _ = heard
    report.sitting = None  # an item deliberated without a sitting of record
    report.save(update_fields=["sitting"])
    supervision.record_speech(world.users["staff"], report, world.member.person, "建议公开监测数据和整改进度。")
    speech = Speech.objects.get()
    assert speech.sitting is None and speech.item is None and speech.case == report
    # as supervision had it: the members of the congress read the item's process, speeches included
    assert supervision.speeches_of(report, world.users["member"]).count() == 1
    assert not supervision.speeches_of(report, world.users["unit"]).exists()
    assert not visible(world.users["other_deputy"], Speech).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migrations_copy_every_deliberation_speech(world):
    """meetings 0007 copies supervision.DeliberationSpeech rows into meetings.Speech (the agenda
    item found from the case at the sitting, 通报日期 → circulated_at); supervision 0003 drops
    the old table."""
    from django.contrib.contenttypes.models import ContentType

    sitting = core_services.create_committee_meeting(world.admin, world.term, 30, date(2020, 10, 9))
    before = [("meetings", "0006_speech_case_congress_spoken_on"), ("supervision", "0002_suptests_question_problem")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Old = old_apps.get_model("supervision", "DeliberationSpeech")
    ct = ContentType.objects.get(app_label="supervision", model="workreport")
    common = dict(content_type_id=ct.pk, congress_id=world.city.pk, speaker_id=world.member.person.pk)
    Old.objects.create(
        **common,
        object_id=7,
        sitting_id=sitting.pk,
        spoken_on=date(2020, 10, 9),
        text="一",
        circulated_on=date(2020, 10, 12),
    )
    Old.objects.create(**common, object_id=8, spoken_on=date(2020, 10, 10), text="二", deputy_id=world.deputy.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {s.text: s for s in Speech.objects.all()}
    assert set(rows) == {"一", "二"}
    assert (rows["一"].sitting_id, rows["一"].object_id, rows["一"].spoken_on) == (sitting.pk, 7, date(2020, 10, 9))
    assert timezone.localtime(rows["一"].circulated_at).date() == date(2020, 10, 12)
    assert rows["二"].sitting_id is None and rows["二"].circulated_at is None
    assert rows["二"].deputy_id == world.deputy.pk and rows["二"].congress_id == world.city.pk
    assert "supervision_deliberationspeech" not in connection.introspection.table_names()
