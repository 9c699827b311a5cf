"""One numbering mechanism (renda.core.numbering): sequential, independent per sequence,
year and congress, gap-free on rollback, seeded from records numbered before the
counter existed, backed by unique constraints, and safe when two registrations run at
once (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from renda.core.models import NumberSequence, User
from renda.core.numbering import next_number
from renda.core.scoping import allowed, visible
from renda.filing.models import Filing
from renda.suggestions.models import Suggestion
from renda.workflow.engine import perform
from test_filing import file
from test_filing import gov as gov  # noqa: F401  (the fixture)
from test_filing import register as register_filing
from test_suggestions import draft

SESSION_DAY = date(2020, 5, 10)  # during 四届三次会议
BETWEEN_DAY = date(2020, 8, 3)


class Abandoned(Exception):
    """Raised to roll a transaction back."""


def submitted(world, day=SESSION_DAY, title="关于加快农村饮水工程改造的建议"):
    s = draft(world, title=title)
    perform(s, "submit", world.users["deputy"], today=day)
    return s


def register_suggestion(world, s, day=SESSION_DAY, user=None):
    perform(s, "register", user or world.users["staff"], {"category": "农牧水利", "published": "on"}, today=day)
    return s.number


def test_numbers_are_sequential(world):
    assert [next_number("test.seq", 2020, congress=world.city) for _ in range(3)] == [1, 2, 3]
    assert NumberSequence.objects.get(congress=world.city, sequence="test.seq", year=2020).last == 3


def test_sequences_years_and_congresses_are_independent(world):
    assert next_number("test.a", 2020, congress=world.city) == 1
    assert next_number("test.a", 2020, congress=world.city) == 2
    assert next_number("test.a", 2021, congress=world.city) == 1
    assert next_number("test.b", 2020, congress=world.city) == 1
    assert next_number("test.a", None, congress=world.city) == 1
    assert next_number("test.a", 2020, congress=world.county_a) == 1
    assert next_number("test.a", 2020, congress=world.city.pk) == 3  # a congress id works as well


def test_a_rolled_back_transaction_gives_its_number_back(world, gov):  # noqa: F811
    assert next_number("test.seq", 2020, congress=world.city) == 1
    with pytest.raises(Abandoned), transaction.atomic():
        assert next_number("test.seq", 2020, congress=world.city) == 2
        raise Abandoned
    assert next_number("test.seq", 2020, congress=world.city) == 2

    # a registration that fails after taking its number leaves no gap either
    first = file(world, gov)
    with pytest.raises(Abandoned), transaction.atomic():
        register_filing(world, first)
        assert first.number == "备〔2020〕1号"
        raise Abandoned
    second = file(world, gov, document_number="巴政发〔2020〕13号")
    register_filing(world, second)
    assert second.number == "备〔2020〕1号"


def test_the_first_use_seeds_from_records_numbered_before_the_counter(world, gov):  # noqa: F811
    calls = []

    def seed():
        calls.append(1)
        return 41

    assert next_number("test.seeded", 2020, congress=world.city, seed=seed) == 42
    assert next_number("test.seeded", 2020, congress=world.city, seed=seed) == 43
    assert len(calls) == 1  # the counter, once there, is the truth

    # a database numbered by the old Max+1 code: its counters do not exist yet
    for day in (SESSION_DAY, BETWEEN_DAY):
        register_suggestion(world, submitted(world, day), day)
    register_filing(world, file(world, gov))
    NumberSequence.objects.filter(sequence__in=["filing.registration"]).delete()
    NumberSequence.objects.filter(sequence__startswith="suggestions.").delete()
    assert register_suggestion(world, submitted(world, SESSION_DAY, "关于修缮乡村道路的建议")) == "四届三次会议第2号"
    assert register_suggestion(world, submitted(world, BETWEEN_DAY), BETWEEN_DAY) == "2020年闭会期间第2号"
    later = file(world, gov, document_number="巴政发〔2020〕13号")
    register_filing(world, later)
    assert later.number == "备〔2020〕2号"


def test_suggestions_are_numbered_per_session_and_per_year_between_sessions(world):
    assert register_suggestion(world, submitted(world)) == "四届三次会议第1号"
    assert register_suggestion(world, submitted(world, BETWEEN_DAY), BETWEEN_DAY) == "2020年闭会期间第1号"
    assert register_suggestion(world, submitted(world)) == "四届三次会议第2号"
    assert register_suggestion(world, submitted(world, BETWEEN_DAY), BETWEEN_DAY) == "2020年闭会期间第2号"
    next_year = date(2021, 8, 2)
    assert register_suggestion(world, submitted(world, next_year), next_year) == "2021年闭会期间第1号"
    assert list(
        Suggestion.objects.filter(sequence__isnull=False).order_by("sequence", "number").values_list("sequence")
    ) == [(1,), (1,), (1,), (2,), (2,)]


def test_the_unique_constraints_refuse_a_duplicate_inserted_directly(world, gov):  # noqa: F811
    one, two = submitted(world), submitted(world)  # two unnumbered ones do not collide
    register_suggestion(world, one)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=two.pk).update(number=one.number)
    # the same number in another congress is another suggestion
    Suggestion.objects.filter(pk=two.pk).update(congress=world.county_a, number=one.number)

    filing = file(world, gov)
    register_filing(world, filing)
    other = file(world, gov, document_number="巴政发〔2020〕13号")
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.filter(pk=other.pk).update(registration_year=2020, sequence=filing.sequence)

    with pytest.raises(IntegrityError), transaction.atomic():
        NumberSequence.objects.create(congress=world.city, sequence="filing.registration", year=2020, last=7)


def test_only_administrators_see_the_counters(world):
    next_number("test.seq", 2020, congress=world.city)
    counter = NumberSequence.objects.get()
    assert list(visible(world.users["admin"], NumberSequence)) == [counter]
    assert allowed(world.users["admin"], "view", counter)
    assert not allowed(world.users["admin"], "change", counter)  # only next_number writes
    for role in ("staff", "director", "member", "deputy", "unit", "noroles", "public"):
        user = world.users.get(role)
        assert not visible(user, NumberSequence).exists(), role
        assert not allowed(user, "view", counter), role


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction(world):
    with pytest.raises(RuntimeError):
        next_number("test.seq", 2020, congress=world.city)
    assert not NumberSequence.objects.exists()


# ------------------------------------------------------------ two at once


def _register_at_once(cases, register):
    """Register each case in its own thread and transaction; a barrier holds every
    thread until all are inside their transaction, so they race for the number."""
    barrier = threading.Barrier(len(cases))
    errors = []

    def run(case):
        try:
            with transaction.atomic():
                type(case).objects.get(pk=case.pk)  # the transaction has begun
                barrier.wait(timeout=20)
                register(case)
        except Exception as e:  # reported by the main thread
            errors.append(e)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(case,)) for case in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return {type(c).objects.get(pk=c.pk).number for c in cases}


needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time (BEGIN IMMEDIATE): two registrations cannot be inside "
    "their transactions at once, so there is no race to test; run with DATABASE_URL=postgres://…",
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_suggestions_registered_at_once_get_two_numbers(world):
    assert not connection.in_atomic_block  # each thread commits for real
    staff_id = world.users["staff"].pk

    def register(case):
        register_suggestion(world, case, user=User.objects.get(pk=staff_id))

    # first use: both threads find no counter and race to create it; then both wait for its lock
    assert _register_at_once([submitted(world), submitted(world)], register) == {
        "四届三次会议第1号",
        "四届三次会议第2号",
    }
    assert _register_at_once([submitted(world), submitted(world)], register) == {
        "四届三次会议第3号",
        "四届三次会议第4号",
    }


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_filings_registered_at_once_get_two_numbers(world, gov):  # noqa: F811
    assert not connection.in_atomic_block
    staff_id = world.users["staff"].pk

    def register(case):
        data = {"committee": world.office.pk, "published": "on"}
        perform(case, "register", User.objects.get(pk=staff_id), data, today=date(2020, 5, 8))

    filings = [file(world, gov, document_number=f"巴政发〔2020〕{n}号") for n in range(21, 25)]
    assert _register_at_once(filings[:2], register) == {"备〔2020〕1号", "备〔2020〕2号"}
    assert _register_at_once(filings[2:], register) == {"备〔2020〕3号", "备〔2020〕4号"}


@pytest.mark.django_db(transaction=True)
def test_suggestions_0002_names_the_duplicate_numbers_it_cannot_constrain(world):
    """A database numbered by the old Max+1 may hold a number twice: the migration says
    which, in Chinese, instead of failing on the constraint."""
    from django.db.migrations.executor import MigrationExecutor

    from renda.suggestions.models import Suggestion

    executor = MigrationExecutor(connection)
    executor.migrate([("suggestions", "0001_initial")])
    # the model as it was at 0001 (today's has columns added later)
    Old = executor.loader.project_state(("suggestions", "0001_initial")).apps.get_model("suggestions", "Suggestion")
    try:
        first, second = (
            Old.objects.create(
                congress_id=world.city.pk,
                term_id=world.term.pk,
                lead_deputy_id=world.deputy.pk,
                title=f"关于第{n}件的建议",
                content="内容",
                category="其他",
            )
            for n in (1, 2)
        )
        Old.objects.filter(pk__in=[first.pk, second.pk]).update(number="四届三次会议第7号")
        with pytest.raises(RuntimeError, match="四届三次会议第7号"):
            MigrationExecutor(connection).migrate([("suggestions", "0002_unique_number")])
        Old.objects.filter(pk=second.pk).update(number="四届三次会议第8号")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Suggestion.objects.filter(number="四届三次会议第8号").exists()
