"""The party and self-building registers: pages, scoping, participants by name, and
the metrics that count them."""

from datetime import date

import pytest

from factories import ROLES
from renda.party import services
from renda.party.models import PartyReport, StudySession, Training, WorkRule
from renda.reports.metrics import Period, Scope, compute
from renda.workflow.models import Participation

READERS = ["admin", "staff", "director", "member"]
KEEPERS = ["admin", "staff", "county_staff"]
YEAR = Period.year(2020)


def study(world, kind=StudySession.Kind.CENTRAL_GROUP, day=date(2020, 3, 20), congress=None):
    return services.save_register(
        world.admin,
        StudySession(congress=congress or world.city, kind=kind, date=day, topic="学习党的十九届五中全会精神"),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/work/party/",
        "/work/party/study/",
        "/work/party/training/",
        "/work/party/report/",
        "/work/party/prestudy/",
        "/work/party/rule/",
    ],
)
def test_registers_are_internal(world, client_for, url):
    got = {role: client_for(role).get(url).status_code for role in ROLES}
    expected = {role: 200 if role in READERS + ["county_staff"] else 302 if role == "public" else 403 for role in ROLES}
    assert got == expected


def test_record_create_pages_are_for_keepers(world, client_for):
    got = {role: client_for(role).get("/work/party/study/new/").status_code for role in ROLES}
    assert got == {r: 200 if r in KEEPERS else 302 if r == "public" else 403 for r in ROLES}
    record = study(world)
    got = {role: client_for(role).get(f"/work/party/study/{record.pk}/").status_code for role in ROLES}
    # county staff neither see nor keep the city's registers
    assert got == {
        r: 200
        if r in ("admin", "staff")
        else 302
        if r == "public"
        else 404
        if r == "county_staff"
        else 403
        if r in ("director", "member")
        else 404
        for r in ROLES
    }


def test_staff_records_a_study_session_and_the_figure_follows(world, client_for):
    scope = Scope(world.city, YEAR)
    assert compute("party.study_sessions", scope).value == 0
    response = client_for("staff").post(
        "/work/party/study/new/",
        {"congress": world.city.pk, "kind": "central_group", "date": "2020-04-20", "topic": "学习《党组工作条例》"},
    )
    assert response.status_code == 302
    assert compute("party.study_sessions", scope).value == 1
    assert compute("party.study_sessions", Scope(world.city, Period.year(2019))).value == 0
    StudySession.objects.get().delete()
    assert compute("party.study_sessions", scope).value == 0


def test_training_participants_are_entered_by_name(world, client_for):
    client = client_for("staff")
    data = {
        "congress": world.city.pk,
        "title": "代表履职培训班",
        "audience": "deputies",
        "start_date": "2020-06-16",
        "end_date": "2020-06-18",
        "organizer": "巴彦淖尔市人大常委会",
        "hosted": "on",
        "names": "王代表、李代表\n不存在的人",
    }
    response = client.post("/work/party/training/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "找不到：不存在的人" in body
    assert "王代表、李代表" in body  # what the user typed is kept
    assert not Training.objects.exists()
    response = client.post("/work/party/training/new/", {**data, "names": "王代表、李代表、周主任"})
    assert response.status_code == 302
    training = Training.objects.get()
    assert set(services.trainees(training).values_list("name", flat=True)) == {"王代表", "李代表", "周主任"}
    scope = Scope(world.city, YEAR)
    assert compute("selfbuilding.training_participants", scope).value == 3
    assert compute("party.deputy_trainings", scope).value == 1
    # editing the list removes and adds people; 人次 follow
    response = client.post(f"/work/party/training/{training.pk}/", {**data, "names": "王代表"})
    assert response.status_code == 302
    assert compute("selfbuilding.training_participants", scope).value == 1


def test_trainings_held_count_only_hosted_ones(world):
    scope = Scope(world.city, YEAR)
    for hosted in (True, True, False):
        services.save_training(
            world.admin,
            Training(
                congress=world.city,
                title="培训",
                audience=Training.Audience.DEPUTIES,
                start_date=date(2020, 5, 1),
                end_date=date(2020, 5, 2),
                organizer="某",
                hosted=hosted,
            ),
            [world.deputy.person, world.other_deputy.person],
        )
    assert compute("party.deputy_trainings", scope).value == 3
    assert compute("selfbuilding.trainings_held", scope).value == 2
    assert compute("selfbuilding.training_participants", scope).value == 4
    assert Participation.objects.filter(capacity="trainee").count() == 6


def test_subtree_counting_is_the_registrys_job(world):
    study(world)
    study(world, congress=world.county_a)
    study(world, congress=world.township_a)
    assert compute("party.study_sessions", Scope(world.city, YEAR)).value == 1
    assert compute("party.study_sessions", Scope(world.city, YEAR, include_lower=True)).value == 3
    assert compute("party.study_sessions", Scope(world.county_a, YEAR, include_lower=True)).value == 2


def test_value_and_evidence_never_disagree(world):
    for month in (1, 2, 3):
        study(world, day=date(2020, month, 10))
    services.save_register(
        world.admin, PartyReport(congress=world.city, kind="report", date=date(2020, 5, 1), matter="关于工作的报告")
    )
    services.save_register(
        world.admin,
        WorkRule(
            congress=world.city,
            title="审议发言通报制度",
            action="made",
            adopted_on=date(2020, 6, 1),
            adopted_by="主任会议",
        ),
    )
    scope = Scope(world.city, YEAR)
    for metric_id in ("party.study_sessions", "party.reports_to_committee", "selfbuilding.work_rules"):
        value = compute(metric_id, scope)
        assert value.value == value.records().count()


# ---------------------------------------------------------------- a pre-study names its case (workflow.Link)


def _links_from(study):
    """The study's own links (the samples link other records too: a problem list to its source)."""
    from django.contrib.contenttypes.models import ContentType

    from renda.workflow.models import Link

    return Link.objects.filter(from_type=ContentType.objects.get_for_model(study), from_id=study.pk)


def _prestudy_post(study, case=""):
    return {
        "congress": study.congress_id,
        "date": "2020-05-10",
        "matter": study.matter,
        "conclusion": "原则同意。",
        "case": case,
    }


def test_a_prestudy_names_the_case_it_concerns_and_both_pages_show_the_link(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factories import add_samples
    from renda.party.models import PreStudy
    from renda.suggestions import services as suggestion_services
    from renda.workflow.engine import perform
    from renda.workflow.links import links_of

    add_samples(world)
    study, s, f = (world.samples[k] for k in ("prestudy", "suggestion", "filing"))
    staff = client_for("staff")
    url = f"/work/party/prestudy/{study.pk}/"
    assert "关联案件" in staff.get(url).content.decode()

    with CaptureQueriesContext(connection) as one:
        assert staff.post(url, _prestudy_post(study, s.number)).status_code == 302
    assert [(v.phrase, v.other) for v in links_of(study)] == [("涉及…", s)]
    page = staff.get(url).content.decode()
    assert f'value="{s.number}"' in page and s.title in page and 'data-testid="links"' in page
    case_page = staff.get(f"/work/suggestions/{s.pk}/").content.decode()
    assert f'为<a href="/work/party/prestudy/{study.pk}/">{study.matter}</a>所涉及' in case_page

    # the lookup costs the same whatever the number of cases (one query per case type)
    for n in range(3):
        more = suggestion_services.save_draft(
            world.users["deputy"],
            lead=world.deputy,
            title=f"{s.title}（{n}）",
            content=s.content,
            category="其他",
            cosigners=[],
        )
        perform(more, "submit", world.users["deputy"], today=date(2020, 5, 11))
        perform(more, "register", world.users["staff"], {"category": "其他", "published": "on"})
    second = services.save_register(
        world.admin, PreStudy(congress=world.city, date=date(2020, 5, 9), matter="另一事项")
    )
    with CaptureQueriesContext(connection) as again:
        r = staff.post(f"/work/party/prestudy/{second.pk}/", _prestudy_post(second, s.number))
    assert r.status_code == 302 and len(again.captured_queries) == len(one.captured_queries)
    second.delete()

    # another case by its title: the link is replaced, not added to
    assert staff.post(url, _prestudy_post(study, f.title)).status_code == 302
    assert [v.other for v in links_of(study)] == [f] and _links_from(study).count() == 1
    # saved without touching the field: the link stays; emptied: it goes
    assert staff.post(url, _prestudy_post(study, f.number)).status_code == 302
    assert [v.other for v in links_of(study)] == [f]
    assert staff.post(url, _prestudy_post(study, "")).status_code == 302
    assert not _links_from(study).exists()


def test_a_case_not_found_or_not_seen_is_refused_in_chinese_and_nothing_changes(world, client_for):
    from factories import add_samples
    from renda.party.models import PreStudy

    add_samples(world)
    study, draft = world.samples["prestudy"], world.samples["draft"]
    staff = client_for("staff")
    url = f"/work/party/prestudy/{study.pk}/"
    for text in ("〔2099〕1号", draft.title):  # unknown; a deputy's draft, which staff do not see
        data = _prestudy_post(study, text) | {"matter": "改动的事项"}
        r = staff.post(url, data)
        assert r.status_code == 200 and "未找到编号或标题为" in r.content.decode()
        assert text in r.content.decode()  # what was typed is kept
    assert PreStudy.objects.get(pk=study.pk).matter == study.matter and not _links_from(study).exists()
