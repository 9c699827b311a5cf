"""Groups of states are tags on the case type's states (State.tags), asked through
CaseType.states_tagged: undeclared tags raise, every tag the code asks for is declared
by its case type, and the groups are the lists the code used to repeat."""

import ast
import importlib
from datetime import date
from pathlib import Path

import pytest
from django import forms

import renda
from renda.core.scoping import PUBLIC, visible
from renda.filing.cases import FILING, REVIEW_PROPOSAL
from renda.filing.models import Filing
from renda.manifest import load, manifests
from renda.suggestions.cases import SUGGESTION
from renda.workflow import registry
from renda.workflow.engine import NOBODY, CaseType, Guard, State, Transition, perform
from test_filing import data
from test_filing import gov as gov  # noqa: F401  (the fixture)
from workflow_app.models import Petition

NO_ONE = Guard("无人", lambda a: NOBODY)


def small(*states, initial="a"):
    return CaseType(
        key="small",
        label="小流程",
        model=Petition,
        initial=initial,
        states=list(states),
        transitions=[Transition("go", "前进", ("a",), NO_ONE, target="b", fields={"x": forms.CharField()})],
    )


def test_tags_select_states_in_declared_order():
    ct = small(
        State("a", "甲", tags=("private", "with_unit")),
        State("b", "乙", tags=("with_unit",)),
        State("c", "丙", terminal=True, tags=("public",)),
    )
    assert ct.states_tagged("with_unit") == ("a", "b")
    assert ct.states_tagged("with_unit", "private") == ("a",)  # every tag given
    assert ct.states_tagged("with_unit", exclude=("private",)) == ("b",)
    assert ct.states_tagged("open") == ("a", "b")  # computed: not terminal
    assert ct.states_tagged("public") == ("c",)
    assert ct.tags == ["open", "private", "public", "with_unit"]


def test_an_undeclared_tag_raises_instead_of_selecting_nothing():
    ct = small(State("a", "甲", tags=("private",)), State("b", "乙", terminal=True))
    with pytest.raises(ValueError, match="publc"):
        ct.states_tagged("publc")
    with pytest.raises(ValueError, match="unit"):
        ct.states_tagged("open", exclude=("unit",))
    with pytest.raises(ValueError):
        ct.states_tagged()


def test_the_declaration_refuses_bad_tags():
    with pytest.raises(ValueError, match="tuple"):
        small(State("a", "甲", tags="public"), State("b", "乙"))  # a string, not a tuple of names
    with pytest.raises(ValueError, match="computed"):
        small(State("a", "甲", tags=("open",)), State("b", "乙"))


def test_the_groups_are_the_lists_the_code_repeated():
    assert SUGGESTION.states_tagged("private") == ("draft",)
    assert SUGGESTION.states_tagged("drafting") == ("draft", "cosigning")
    registered = ("registered", "assigned", "returned", "handling", "extension_requested", "replied", "concluded")
    assert SUGGESTION.states_tagged("registered") == SUGGESTION.states_tagged("public") == registered
    assert SUGGESTION.states_tagged("with_unit") == ("assigned", "handling", "extension_requested")

    under_review = (
        "reviewing",
        "communicating",
        "correcting",
        "opinion_sent",
        "correction_reported",
        "annulment_proposed",
    )
    reviewed = ("closed", "corrected", "annulled")
    assert FILING.states_tagged("private") == ("draft", "discarded")  # a thrown-away draft stays private
    assert FILING.states_tagged("under_review") == under_review
    assert FILING.states_tagged("reviewed") == reviewed
    assert FILING.states_tagged("registered") == under_review + reviewed
    assert FILING.states_tagged("public") == under_review + reviewed + ("forwarded",)
    assert FILING.states_tagged("with_filer") == ("incomplete", "communicating", "correcting", "opinion_sent")
    assert FILING.states_tagged("open", exclude=("private",)) == ("submitted", "incomplete") + under_review
    assert REVIEW_PROPOSAL.states_tagged("answered") == ("answered", "declined", "transferred")


def _case_types_by_name() -> dict:
    """SUGGESTION, FILING … as the manifests name them."""
    return {path.rsplit(".", 1)[1]: load(path) for _, m in manifests() for path in m.case_types}


def _asked_groups():
    """Every `X.states_tagged(...)` and `tagged(STATES, ..., what=key)` in the source, with
    the case type it asks and the tags it names."""
    root = Path(renda.__file__).parent
    by_name = _case_types_by_name()
    for path in sorted(root.rglob("*.py")):
        if path == root / "workflow" / "engine.py":
            continue  # where the lookup is defined
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = None
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "states_tagged":
                receiver = ast.unparse(func.value)
                if receiver in by_name:
                    case_type = by_name[receiver]
                else:  # e.g. a module's lazy accessor: evaluate it in its module
                    module = module or importlib.import_module(
                        "renda." + ".".join(path.relative_to(root).with_suffix("").parts)
                    )
                    case_type = eval(receiver, vars(module))  # noqa: S307 (our own source)
                args = node.args
            elif isinstance(func, ast.Name) and func.id == "tagged":
                what = next((k.value for k in node.keywords if k.arg == "what"), None)
                assert isinstance(what, ast.Constant), f"{path}:{node.lineno}: tagged() without what=<case type key>"
                case_type = registry.get(what.value)
                args = node.args[1:]
            else:
                continue
            exclude = next((k.value for k in node.keywords if k.arg == "exclude"), None)
            names = [*args, *(exclude.elts if exclude is not None else [])]
            assert all(isinstance(n, ast.Constant) for n in names), f"{path}:{node.lineno}: tags must be literals"
            yield f"{path.relative_to(root)}:{node.lineno}", case_type, [n.value for n in names]


def test_every_tag_the_code_asks_for_is_declared_by_its_case_type():
    asked = list(_asked_groups())
    assert len(asked) >= 15  # the scan finds the rules, views, metrics and effects
    for where, case_type, tags in asked:
        assert isinstance(case_type, CaseType), where
        undeclared = set(tags) - set(case_type.tags)
        assert not undeclared, f"{where}: {case_type.key} declares no tag {undeclared}"


def test_case_types_api_shows_the_tags(world, client_for):
    types = {t["key"]: t for t in client_for("staff").get("/api/case-types").json()}
    states = {s["key"]: s for s in types["filing"]["states"]}
    assert states["communicating"]["tags"] == ["registered", "under_review", "public", "with_filer"]
    assert states["submitted"]["tags"] == []


def test_a_discarded_draft_is_never_public(world, gov):  # noqa: F811
    from renda.filing import services

    draft = services.file_document(world.users["gov"], data(gov, text="短"), submit=False)
    perform(draft, "discard", world.users["gov"], today=date(2020, 5, 6))
    assert draft.state == "discarded" and draft.published  # published is the default for the catalogue
    assert not visible(PUBLIC, Filing).filter(pk=draft.pk).exists()
    assert not visible(world.users["deputy"], Filing).filter(pk=draft.pk).exists()
    assert visible(world.users["gov"], Filing).filter(pk=draft.pk).exists()  # the filer keeps it
