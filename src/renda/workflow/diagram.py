"""A case type's state diagram as SVG, drawn on the server from its declaration.

A simple layered layout, so that `make demo` needs no Graphviz: states are ranked by their
distance from the initial state (rows, top to bottom), ordered within a row by the mean
position of their predecessors, and each transition is a curve labelled with its Chinese
name. Transitions that keep the state (催办, 重点督办 …) are not drawn: `stays()` lists them
for the page. The text uses the pages' CJK font stack; no state key appears in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .engine import CaseType

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
STATE_SIZE = 14  # px, state labels
LABEL_SIZE = 12  # px, transition labels
STATE_TEXT = f'font-size="{STATE_SIZE}" fill="#1f2328" text-anchor="middle"'
ACTION_TEXT = f'font-size="{LABEL_SIZE}" fill="#1456a0" text-anchor="middle"'
ACTION_BOX = 'fill="#fff" fill-opacity="0.92"'
STATE_BOX = {
    "": 'fill="#fff" stroke="#59616b" stroke-width="1.2"',
    "start": 'fill="#fff" stroke="#a4161a" stroke-width="2"',
    "end": 'fill="#eef6ee" stroke="#1a7f37" stroke-width="2"',
}
NODE_H = 36
ROW = NODE_H + 84  # room for the labels between two rows
GAP = 36  # between two states of a row
LOOP = 64  # beside a state with a loop
MARGIN = 16


def text_width(text: str, size: float) -> float:
    """Width of `text` drawn at `size` px: CJK and full-width characters one em, others about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


@dataclass
class Node:
    key: str
    label: str
    terminal: bool
    initial: bool
    rank: int = 0
    x: float = 0  # centre
    y: float = 0  # top

    @property
    def w(self) -> float:
        return text_width(self.label, STATE_SIZE) + 28

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x - self.w / 2, self.y, self.x + self.w / 2, self.y + NODE_H)


@dataclass
class Edge:
    src: str
    dst: str
    label: str
    title: str


def edges(ct: CaseType) -> list[Edge]:
    """One edge per (source, target) pair of the transitions that move the case; transitions
    between the same two states share it (同意延期／不同意延期)."""
    pairs: dict[tuple[str, str], list] = {}
    for t in ct.transitions:
        if t.stay:
            continue
        for src in t.sources:
            for dst in t.possible_targets:
                if t not in pairs.setdefault((src, dst), []):
                    pairs[(src, dst)].append(t)
    return [
        Edge(src, dst, "／".join(t.label for t in ts), "；".join(f"{t.label}（{t.who.label}）" for t in ts))
        for (src, dst), ts in pairs.items()
    ]


def stays(ct: CaseType) -> list[tuple[str, list[str], str]]:
    """The transitions that record an act without moving the case: (label, state labels, who)."""
    return [(t.label, [ct.state(s).label for s in t.sources], t.who.label) for t in ct.transitions if t.stay]


def layout(ct: CaseType, es: list[Edge]) -> dict[str, Node]:
    nodes = {s.key: Node(s.key, s.label, s.terminal, s.key == ct.initial) for s in ct.states}
    # rank: breadth-first distance from the initial state
    rank = {ct.initial: 0}
    frontier = [ct.initial]
    while frontier:
        following = []
        for key in frontier:
            for e in es:
                if e.src == key and e.dst not in rank:
                    rank[e.dst] = rank[key] + 1
                    following.append(e.dst)
        frontier = following
    last = max(rank.values())
    for key, node in nodes.items():
        node.rank = rank.get(key, last + 1)
    rows: dict[int, list[Node]] = {}
    for node in nodes.values():  # declared order first
        rows.setdefault(node.rank, []).append(node)
    # order each row by the mean position of the states leading into it (a few sweeps)
    for _ in range(4):
        position = {n.key: i for row in rows.values() for i, n in enumerate(row)}
        for r in sorted(rows)[1:]:
            preds = {n.key: [position[e.src] for e in es if e.dst == n.key and nodes[e.src].rank < r] for n in rows[r]}
            rows[r].sort(key=lambda n: sum(preds[n.key]) / len(preds[n.key]) if preds[n.key] else position[n.key])
            position.update({n.key: i for i, n in enumerate(rows[r])})
    loops = {e.src for e in es if e.src == e.dst}  # a loop on the right side needs room

    def room(n):
        return n.w + (LOOP if n.key in loops else 0)

    # neighbours in a row joined by a transition get the room for its label between them
    beside = {}
    for e in es:
        if e.src != e.dst and nodes[e.src].rank == nodes[e.dst].rank:
            pair = frozenset((e.src, e.dst))
            beside[pair] = max(beside.get(pair, GAP), text_width(e.label, LABEL_SIZE) + 28)

    def gap(a, b):
        return beside.get(frozenset((a.key, b.key)), GAP)

    widths = {r: sum(room(n) for n in row) + sum(gap(a, b) for a, b in zip(row, row[1:])) for r, row in rows.items()}
    full = max(widths.values())
    for r, row in rows.items():
        x = (full - widths[r]) / 2
        for j, n in enumerate(row):
            n.x = x + n.w / 2
            n.y = 30 + r * ROW  # room above for the start mark
            x += room(n) + (gap(n, row[j + 1]) if j + 1 < len(row) else 0)
    return nodes


def _bezier(p0, p1, p2, p3, t):
    u = 1 - t
    return tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(p0, p1, p2, p3))


def _overlaps(a, b, pad=2):
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _ends(e: Edge, nodes: dict[str, Node]) -> tuple[str, str] | None:
    """Which sides of its states a curve between two rows leaves and enters: downwards from the
    bottom to the top, upwards by one row from the top to the bottom; None for the others."""
    s, d = nodes[e.src], nodes[e.dst]
    if d.rank > s.rank:
        return "bottom", "top"
    if d.rank == s.rank - 1:
        return "top", "bottom"
    return None


def _spread(es: list[Edge], nodes: dict[str, Node]) -> dict[tuple[int, str], float]:
    """Where along its state's side each curve ends, so that curves leave and enter side by side."""
    sides: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    for i, e in enumerate(es):
        ends = _ends(e, nodes)
        if ends:
            up = int(ends[0] == "top")
            sides.setdefault((e.src, ends[0]), []).append((nodes[e.dst].x, up, i))
            sides.setdefault((e.dst, ends[1]), []).append((nodes[e.src].x, 1 - up, i))
    offset = {}
    for (key, _side), items in sides.items():
        items.sort()
        step = min(22, (nodes[key].w - 20) / max(len(items) - 1, 1))
        for j, (_, _, i) in enumerate(items):
            offset[(i, key)] = (j - (len(items) - 1) / 2) * step
    return offset


def _route(i: int, e: Edge, nodes: dict[str, Node], offset: dict, centre: float, pairs: set):
    """The four control points of an edge's curve."""
    s, d = nodes[e.src], nodes[e.dst]
    if s.key == d.key:  # a transition that may come back to its own state: a loop on the right
        x, y = s.x + s.w / 2, s.y + NODE_H / 2
        return (x, y - 8), (x + 50, y - 34), (x + 50, y + 34), (x, y + 8)
    ends = _ends(e, nodes)
    if ends:
        sx, dx = s.x + offset[(i, s.key)], d.x + offset[(i, d.key)]
        if ends[0] == "bottom":
            y0, y1 = s.y + NODE_H, d.y
        else:
            y0, y1 = s.y, d.y + NODE_H
        bend = (y1 - y0) / 2 if abs(y1 - y0) < ROW else (ROW / 2 if y1 > y0 else -ROW / 2)
        return (sx, y0), (sx, y0 + bend), (dx, y1 - bend), (dx, y1)
    if d.rank == s.rank:
        between = [n for n in nodes.values() if n.rank == s.rank and min(s.x, d.x) < n.x < max(s.x, d.x)]
        if not between:  # neighbours: a straight line between the facing sides
            side = 1 if d.x > s.x else -1
            y = s.y + NODE_H / 2 + (6 * side if (e.dst, e.src) in pairs else 0)
            x0, x1 = s.x + side * s.w / 2, d.x - side * d.w / 2
            return (x0, y), (x0 + (x1 - x0) / 3, y), (x1 - (x1 - x0) / 3, y), (x1, y)
        y = s.y + NODE_H  # farther apart: an arc below, deeper the farther
        depth = 30 + 14 * len(between)
        return (s.x, y), (s.x, y + depth), (d.x, y + depth), (d.x, y)
    # back up more than one row: along the outer side of the diagram
    right = s.x >= centre
    side = 1 if right else -1
    sx = s.x + side * s.w / 2
    dx = d.x + side * d.w / 2
    outer = (max(sx, dx) if right else min(sx, dx)) + side * 40
    return (sx, s.y + NODE_H / 2), (outer, s.y + NODE_H / 2), (outer, d.y + NODE_H / 2), (dx, d.y + NODE_H / 2)


def svg(ct: CaseType) -> SafeString:
    # Presentation attributes, not a <style> element: the picture is drawn inline in pages whose
    # Content-Security-Policy allows no inline style, and looks the same when downloaded.
    edge = f'fill="none" stroke="#8c959f" stroke-width="1.2" marker-end="url(#arrow-{escape(ct.key)})"'
    es = edges(ct)
    nodes = layout(ct, es)
    centre = max(n.box[2] for n in nodes.values()) / 2
    offset = _spread(es, nodes)
    pairs = {(e.src, e.dst) for e in es}
    taken = [n.box for n in nodes.values()]
    paths, labels = [], []
    points = [p for n in nodes.values() for p in (n.box[:2], n.box[2:])]
    for i, e in enumerate(es):
        p = _route(i, e, nodes, offset, centre, pairs)
        points.extend(p)
        w, h = text_width(e.label, LABEL_SIZE) + 8, LABEL_SIZE + 6
        # the label goes where it covers no state and no other label (mid-curve first)
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85, 0.5):
            x, y = _bezier(*p, t)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if not any(_overlaps(box, other) for other in taken):
                break
        taken.append(box)
        points.extend((box[:2], box[2:]))
        d = "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(*(c for q in p for c in q))
        paths.append(f'<path d="{d}" class="edge" {edge}><title>{escape(e.title)}</title></path>')
        labels.append(
            f'<g class="action"><title>{escape(e.title)}</title>'
            f'<rect x="{box[0]:.1f}" y="{box[1]:.1f}" width="{w:.1f}" height="{h:.1f}" rx="3" {ACTION_BOX}/>'
            f'<text x="{x:.1f}" y="{y + LABEL_SIZE * 0.36:.1f}" {ACTION_TEXT}>{escape(e.label)}</text></g>'
        )
    shapes = []
    for n in nodes.values():
        x0, y0, x1, _ = n.box
        kind = "end" if n.terminal else "start" if n.initial else ""
        shapes.append(
            f'<g class="{f"state {kind}".strip()}"><rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{NODE_H}" '
            f'rx="8" {STATE_BOX[kind]}/><text x="{n.x:.1f}" y="{y0 + NODE_H / 2 + STATE_SIZE * 0.36:.1f}" '
            f"{STATE_TEXT}>{escape(n.label)}</text></g>"
        )
        if n.initial:
            shapes.append(f'<circle cx="{n.x:.1f}" cy="8" r="6" class="begin" fill="#a4161a"/>')
            paths.append(f'<path d="M{n.x:.1f},14 L{n.x:.1f},{y0:.1f}" class="edge" {edge}/>')
    left = min(x for x, _ in points) - MARGIN
    top = min(0, min(y for _, y in points)) - MARGIN / 2
    width = max(x for x, _ in points) + MARGIN - left
    height = max(y for _, y in points) + MARGIN - top
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" '
        f'aria-label="{escape(ct.label)}流程图" width="{width:.0f}" height="{height:.0f}" '
        f"viewBox=\"{left:.1f} {top:.1f} {width:.1f} {height:.1f}\" font-family='{FONT}'>"
        f"<title>{escape(ct.label)}流程图</title>"
        f'<defs><marker id="arrow-{escape(ct.key)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>'
        + "".join(paths)
        + "".join(shapes)
        + "".join(labels)
        + "</svg>"
    )
