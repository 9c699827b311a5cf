"""流程图: each case type drawn as an SVG picture from its declaration, Chinese labels only."""

import re
import xml.etree.ElementTree as ET

import pytest

from renda.workflow import diagram, registry

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg):
    root = ET.fromstring(str(svg))
    return [t.text for t in root.iter(f"{SVG}text")], root


@pytest.mark.parametrize("key", ["suggestion", "filing", "review_proposal"])
def test_every_state_and_every_moving_transition_is_drawn_with_its_chinese_label(key):
    ct = registry.get(key)
    labels, root = texts(diagram.svg(ct))
    for state in ct.states:
        assert labels.count(state.label) >= 1, state.label
    drawn = "".join(labels)
    for t in ct.transitions:
        if not t.stay:
            assert t.label in drawn, t.label
    # no state or transition key appears as text, and the text uses the CJK font stack
    keys = {s.key for s in ct.states} | {t.key for t in ct.transitions}
    assert not keys & set(re.findall(r"[a-z_]+", drawn))
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert len(root.findall(f".//{SVG}path[@class='edge']")) == len(diagram.edges(ct)) + 1  # + the start mark


def test_states_are_ranked_from_the_initial_one_and_do_not_overlap():
    ct = registry.get("filing")
    es = diagram.edges(ct)
    nodes = diagram.layout(ct, es)
    assert nodes["draft"].rank == 0 and nodes["submitted"].rank == 1 and nodes["reviewing"].rank == 2
    boxes = [n.box for n in nodes.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not diagram._overlaps(a, b, pad=0), (a, b)


def test_transitions_between_the_same_states_share_one_edge_and_stays_are_listed():
    ct = registry.get("suggestion")
    pair = [e for e in diagram.edges(ct) if (e.src, e.dst) == ("extension_requested", "handling")]
    assert len(pair) == 1 and pair[0].label == "同意延期／不同意延期"
    stays = {label: states for label, states, who in diagram.stays(ct)}
    assert stays["催办"] == ["待签收", "办理中", "延期审批中"] and "列为重点督办" in stays


def test_the_page_shows_pictures_and_offers_the_sources(client_for):
    body = client_for("staff").get("/work/workflow/").content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram"') == len(registry.case_types())
    assert "stateDiagram" not in body and "renda workflow diagram" not in body
    assert ">submitted<" not in body and "（suggestion）" not in body
    assert 'href="/work/workflow/diagram/filing.mmd"' in body


@pytest.mark.parametrize(
    "fmt,start,kind", [("mmd", "stateDiagram-v2", "text/plain"), ("dot", 'digraph "filing"', "text/vnd.graphviz")]
)
def test_the_sources_download_for_training_material(client_for, fmt, start, kind):
    response = client_for("staff").get(f"/work/workflow/diagram/filing.{fmt}")
    assert response.status_code == 200 and response["Content-Type"].startswith(kind)
    assert response["Content-Disposition"] == f'attachment; filename="filing.{fmt}"'
    assert response.content.decode().startswith(start)


def test_the_svg_download_and_refusals(client_for):
    svg = client_for("director").get("/work/workflow/diagram/suggestion.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and "待交办" in svg.content.decode()
    assert client_for("staff").get("/work/workflow/diagram/nothing.mmd").status_code == 404
    assert client_for("staff").get("/work/workflow/diagram/filing.exe").status_code == 404
    assert client_for("deputy").get("/work/workflow/diagram/filing.mmd").status_code == 403


def test_the_calendar_names_the_official_arrangement_not_the_library(client_for):
    body = client_for("staff").get("/work/workflow/calendar/").content.decode()
    assert "国务院办公厅公布的节假日安排" in body and "chinesecalendar" not in body
