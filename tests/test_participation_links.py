"""Who took part in what (workflow.Participation) and links between records
(workflow.Link): recording (idempotent, by the engine for suggestions, by the party
trainings), the archive query and the links both ways, scoped, in constant queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.core.models import Person
from renda.party import services as party
from renda.party.models import PreStudy, StudySession, Training
from renda.reports.metrics import Period
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform
from renda.workflow.links import link, links_of
from renda.workflow.models import Link, Participation
from renda.workflow.participation import participations, record_participants
from renda.workflow.templatetags.timeline import case_links

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)


def suggestion(world, title="关于加快农村饮水工程改造的建议", cosigners=()) -> Suggestion:
    return services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title=title,
        content=CONTENT,
        category="农牧水利",
        cosigners=list(cosigners),
    )


def prestudy(world, matter="关于农村饮水安全工作情况报告的前置研究", day=date(2020, 4, 1)) -> PreStudy:
    return party.save_register(world.admin, PreStudy(congress=world.city, date=day, matter=matter))


# ---------------------------------------------------------------- participants


def test_a_suggestion_records_its_author_and_each_cosigner_with_the_event(world):
    s = suggestion(world, cosigners=[world.other_deputy])
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    rows = {(p.deputy_id, p.capacity) for p in Participation.objects.all()}
    assert rows == {(world.deputy.pk, "author")}  # the co-signer has not confirmed yet
    perform(s, "confirm", world.users["other_deputy"], today=date(2020, 5, 12))
    author, cosigner = (Participation.objects.select_related("event").get(capacity=c) for c in ("author", "cosigner"))
    assert author.event.transition == "submit" and author.on == date(2020, 5, 10)
    assert cosigner.event.transition == "confirm" and cosigner.on == date(2020, 5, 12)
    assert cosigner.person_id == world.other_deputy.person_id and cosigner.deputy_id == world.other_deputy.pk
    assert author.label == s.title and author.url == f"/work/suggestions/{s.pk}/" and author.congress == world.city
    assert Participation.objects.count() == 2  # the author, named again by confirm, is recorded once


def test_recording_is_idempotent_per_record_person_and_capacity(world):
    training = Training(
        congress=world.city,
        title="代表履职培训班",
        audience=Training.Audience.MEMBERS,
        start_date=date(2020, 6, 1),
        end_date=date(2020, 6, 2),
        organizer="市人大常委会",
    )
    party.save_register(world.admin, training)
    people = [world.deputy.person, world.other_deputy.person]
    assert len(record_participants(training, people, "trainee", on=date(2020, 6, 1))) == 2
    assert record_participants(training, people, "trainee", on=date(2020, 6, 1)) == []
    assert len(record_participants(training, [world.deputy.person], "speaker", on=date(2020, 6, 1))) == 1
    assert Participation.objects.count() == 3
    with pytest.raises(ValueError):
        record_participants(training, people, "dancer")
    with pytest.raises(TypeError):
        record_participants(training, [world.city], "trainee")


def test_a_deputies_training_names_the_mandate_and_edits_follow(world):
    training = Training(
        congress=world.city,
        title="代表履职学习培训班",
        audience=Training.Audience.DEPUTIES,
        start_date=date(2020, 6, 16),
        end_date=date(2020, 6, 18),
        organizer="市人大常委会",
    )
    party.save_training(world.admin, training, [world.deputy.person, world.member.person])
    rows = {p.person_id: p.deputy_id for p in Participation.objects.filter(training=training)}
    assert rows == {world.deputy.person_id: world.deputy.pk, world.member.person_id: None}
    assert [p.label for p in participations(world.deputy)] == ["代表履职学习培训班"]
    training.title, training.start_date, training.end_date = (
        "代表履职培训班（改期）",
        date(2020, 7, 1),
        date(2020, 7, 2),
    )
    party.save_training(world.admin, training, [world.deputy.person])
    (row,) = Participation.objects.filter(training=training)
    assert (row.person_id, row.on, row.label) == (world.deputy.person_id, date(2020, 7, 1), "代表履职培训班（改期）")
    training.delete()
    assert not Participation.objects.exists()  # the rows go with the training


def test_the_archive_query_filters_and_costs_one_query(world):
    def add(n, start):
        for i in range(n):
            s = StudySession.objects.create(
                congress=world.city, kind="seminar", date=start + timedelta(days=i), topic=f"研讨{i}"
            )
            record_participants(s, [world.deputy], "speaker", on=s.date)
            record_participants(s, [world.deputy.person], "member", on=s.date)

    def shown():
        with CaptureQueriesContext(connection) as ctx:
            rows = [(str(p), p.url, p.deputy and p.deputy.pk, p.congress.name) for p in participations(world.deputy)]
        return len(ctx.captured_queries), len(rows)

    add(2, date(2020, 3, 1))
    few = shown()
    add(20, date(2021, 3, 1))
    many = shown()
    assert few[0] == many[0] == 1 and (few[1], many[1]) == (2, 22)
    # by person: every capacity, whatever the mandate
    assert participations(world.deputy.person).count() == 44
    assert participations(world.deputy, Period.year(2020)).count() == 2
    assert participations(world.deputy.person, capacity="member").count() == 22
    assert participations(world.deputy.person, Period.year(2021), capacity=["member", "speaker"]).count() == 40


def test_participations_are_seen_by_the_person_and_the_oversight_roles(world):
    s = suggestion(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    seen = {
        role: participations(world.deputy, user=world.users[role]).count()
        for role in ("deputy", "other_deputy", "staff", "member", "unit", "county_staff")
    }
    assert seen == {"deputy": 1, "other_deputy": 0, "staff": 1, "member": 1, "unit": 0, "county_staff": 0}
    assert participations(world.deputy, user=None).count() == 1
    from django.contrib.auth.models import AnonymousUser

    assert participations(world.deputy, user=AnonymousUser()).count() == 0


# ---------------------------------------------------------------- links


def test_links_read_both_ways_with_the_inverse_phrase(world):
    s = suggestion(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    study = prestudy(world)
    staff = world.users["staff"]
    first = link(study, s, "concerns", staff, note="会前研究")
    assert link(study, s, "concerns", staff) == first and Link.objects.count() == 1  # once per (a, b, kind)
    (from_study,) = links_of(study, staff)
    assert (from_study.before, from_study.title, from_study.after) == ("涉及", s.title, "")
    assert from_study.url == f"/work/suggestions/{s.pk}/" and from_study.outgoing
    (from_case,) = links_of(s, staff)
    assert (from_case.before, from_case.title, from_case.after) == ("为", study.matter, "所涉及")
    assert from_case.url == f"/work/party/prestudy/{study.pk}/" and not from_case.outgoing
    other = suggestion(world, title="关于改善农村供水水质的建议")
    perform(other, "submit", world.users["deputy"], today=date(2020, 5, 11))
    link(other, s, "follows_up", staff)
    phrases = sorted(lv.phrase for lv in links_of(s, staff))
    assert phrases == ["为…所涉及", "由…跟踪"]
    assert [lv.phrase for lv in links_of(other, staff)] == ["跟踪…"]


def test_who_may_link_and_what(world):
    s = suggestion(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    study = prestudy(world)
    with pytest.raises(PermissionDenied):  # a deputy neither sees the register nor keeps it
        link(study, s, "concerns", world.users["deputy"])
    with pytest.raises(PermissionDenied):  # sees both, keeps neither
        link(study, s, "concerns", world.users["member"])
    with pytest.raises(ValidationError):  # the far end is a case
        link(s, study, "concerns", world.users["staff"])
    with pytest.raises(ValidationError):
        link(s, s, "follows_up", world.users["staff"])
    with pytest.raises(ValueError):
        link(study, s, "likes", world.users["staff"])
    assert not Link.objects.exists()


def test_a_link_is_shown_only_when_both_ends_are_visible(world, client_for):
    s = suggestion(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    study = prestudy(world)
    link(study, s, "concerns", world.users["staff"])
    assert [lv.title for lv in links_of(s, world.users["director"])] == [study.matter]
    assert links_of(s, world.users["deputy"]) == []  # the party register is internal
    staff_page = client_for("staff").get(f"/work/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="links"' in staff_page and study.matter in staff_page
    deputy_page = client_for("deputy").get(f"/work/suggestions/{s.pk}/").content.decode()
    assert 'data-testid="links"' not in deputy_page and study.matter not in deputy_page
    assert case_links({}, s) == {"links": []}  # no request, no user: nothing shown


def test_links_cost_one_query_per_kind_of_record(world):
    staff = world.users["staff"]
    target = suggestion(world)
    perform(target, "submit", world.users["deputy"], today=date(2020, 5, 10))
    staff.actor.congress_ids()  # the actor's sets, resolved once per request anyway

    def add(n):
        for i in range(n):
            link(prestudy(world, matter=f"前置研究{i}"), target, "concerns", None)
            other = suggestion(world, title=f"关于第{Link.objects.count()}件事的建议")
            perform(other, "submit", world.users["deputy"], today=date(2020, 5, 10))
            link(other, target, "follows_up", None)

    def cost():
        user = type(staff).objects.get(pk=staff.pk)
        user.actor.assignments  # noqa: B018 (resolved once per request by the middleware)
        with CaptureQueriesContext(connection) as ctx:
            shown = [(lv.title, lv.url, lv.phrase) for lv in links_of(target, user)]
        return len(ctx.captured_queries), len(shown)

    add(2)
    few = cost()
    add(15)
    many = cost()
    assert few[0] == many[0] and (few[1], many[1]) == (4, 34)


def test_a_removed_record_leaves_no_dangling_link(world):
    s = suggestion(world)
    perform(s, "submit", world.users["deputy"], today=date(2020, 5, 10))
    study = prestudy(world)
    link(study, s, "concerns", None)
    study.delete()
    assert not Link.objects.exists() and links_of(s, world.users["staff"]) == []
    assert Person.objects.exists()


# ---------------------------------------------------------------- the data migration (party 0002)


@pytest.mark.django_db(transaction=True)
def test_party_0002_moves_participants_and_prestudy_cases():
    from django.db.migrations.executor import MigrationExecutor

    from factories import build_world

    world = build_world()
    s = suggestion(world)
    executor = MigrationExecutor(connection)
    executor.migrate([("party", "0001_initial")])
    old = executor.loader.project_state([("party", "0001_initial")]).apps
    OldTraining, OldParticipant, OldPreStudy = (
        old.get_model("party", m) for m in ("Training", "TrainingParticipant", "PreStudy")
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    t = OldTraining.objects.create(
        congress_id=world.city.pk,
        title="代表履职学习培训班",
        audience="deputies",
        start_date=date(2020, 6, 16),
        end_date=date(2020, 6, 18),
        organizer="市人大常委会",
        hosted=True,
    )
    for p in (world.deputy.person, world.member.person):
        OldParticipant.objects.create(training=t, person_id=p.pk)
    suggestion_type = ContentType.objects.get(app_label="suggestions", model="suggestion")
    study = OldPreStudy.objects.create(
        congress_id=world.city.pk, date=date(2020, 4, 1), matter="前置研究", case_type=suggestion_type, case_id=s.pk
    )
    OldPreStudy.objects.create(congress_id=world.city.pk, date=date(2020, 4, 2), matter="未涉及案件的前置研究")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # the migration made the content types afresh: drop ids an earlier test of this process cached
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    CurrentContentType.objects.clear_cache()
    rows = {(p.person_id, p.deputy_id, p.capacity, p.on) for p in Participation.objects.filter(training=t.pk)}
    assert rows == {
        (world.deputy.person_id, world.deputy.pk, "trainee", date(2020, 6, 16)),
        (world.member.person_id, None, "trainee", date(2020, 6, 16)),
    }
    assert [(lv.phrase, lv.title) for lv in links_of(PreStudy.objects.get(pk=study.pk))] == [("涉及…", s.title)]
    assert Link.objects.count() == 1


# ---------------------------------------------------------------- the data migration (suggestions 0003)

ROW = (
    "content_type_id",
    "object_id",
    "person_id",
    "deputy_id",
    "capacity",
    "event_id",
    "congress_id",
    "on",
    "label",
    "url",
)


def test_suggestions_0003_records_the_rows_the_engine_records(db):
    """The data migration's function on today's schema (migrating the schema back would run
    today's services on yesterday's tables): the rows it backfills are the engine's."""
    import importlib

    from django.apps import apps

    from factories import build_world
    from renda.core.models import RoleAssignment

    backfill = importlib.import_module("renda.suggestions.migrations.0003_participants").forward

    def rows(**filters):
        return set(Participation.objects.filter(**filters).values_list(*ROW))

    world = build_world()
    deputy, other = world.users["deputy"], world.users["other_deputy"]
    # suggestions moved by the engine, with events; the rows the engine wrote are the expected ones
    suggestion(world, title="关于仍是草稿的建议")
    cosigned = suggestion(world, cosigners=[world.other_deputy])
    perform(cosigned, "submit", deputy, today=date(2020, 5, 10))
    perform(cosigned, "confirm", other, today=date(2020, 5, 12))
    waiting = suggestion(world, title="关于尚待附议的建议", cosigners=[world.other_deputy])
    perform(waiting, "submit", deputy, today=date(2020, 5, 11))
    registered = suggestion(world, title="关于已经立案的建议")
    perform(registered, "submit", deputy, today=date(2020, 5, 13))
    perform(registered, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    expected = rows()
    assert len(expected) == 4 and {r[4] for r in expected} == {"author", "cosigner"}
    # a database upgraded from before the engine recorded them: nobody recorded but one row
    kept = Participation.objects.get(object_id=cosigned.pk, capacity="author")
    Participation.objects.exclude(pk=kept.pk).delete()

    backfill(apps, None)
    assert rows() == expected  # each with its event and day, the one already there left as it was
    assert Participation.objects.filter(pk=kept.pk).exists()
    backfill(apps, None)  # running it again adds nothing
    assert rows() == expected and Participation.objects.count() == 4

    # the co-signer's account no longer acts for the mandate: the day's one confirmation is theirs
    Participation.objects.filter(capacity="cosigner").delete()
    RoleAssignment.objects.filter(user=other, role="deputy").delete()
    backfill(apps, None)
    assert rows(capacity="cosigner") == {r for r in expected if r[4] == "cosigner"}
