"""Safe retraining of a category router from corrections, and the learning-curve simulation.

    result = safe_retrain(current, texts, labels, corrections, path)
    result.replaced, result.current_f1, result.candidate_f1

A candidate is trained on the past cases plus the corrections (`routing.apply_corrections`)
minus a held-back slice, and scored beside the current model on that slice. The slice is
deterministic and never trained on:

- the texts (past cases, and older corrections) whose normalized text falls in a fixed hash
  bucket (`BASE_HELDBACK`, ≈ 10 %: the same text is always in or always out, whatever else
  arrives), and
- the newest `CORRECTIONS_HELDBACK` (20 %) of the corrections, rounded up. The current model
  was trained under the same rule on fewer corrections, so it never saw these either.

The candidate replaces the model file (atomically, `Router.save`) only when its macro-F1 on the
slice is no worse than the current model's; with no current model it is taken; with an empty
slice and a current model nothing is replaced (no evidence). The model that is saved is the
candidate that was scored.

`routing_curve` replays a labelled CSV in time order: an initial model from the oldest slice,
then the messages of the middle part in batches; each message the deployed model gets wrong
becomes a correction (its true label), and after each batch `safe_retrain` decides. The deployed
model is scored on a fixed newest slice after every batch.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from .routing import (
    LABEL_COLUMN,
    TEXT_COLUMN,
    Router,
    RoutingDataError,
    apply_corrections,
    normalize,
    one_core,
    train,
)

BASE_HELDBACK = 0.10
CORRECTIONS_HELDBACK = 0.20
DATE_COLUMN = "留言时间"


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, average="macro", zero_division=0))


def accuracy(truth: list[str], predicted: list[str]) -> float:
    return sum(t == p for t, p in zip(truth, predicted)) / len(truth) if truth else 0.0


def in_base_heldback(text: str, fraction: float = BASE_HELDBACK) -> bool:
    """Whether a past case belongs to the fixed held-back slice (by a hash of its text)."""
    return zlib.crc32(normalize(text).encode("utf-8")) / 2**32 < fraction


@dataclass
class Split:
    train_texts: list[str]
    train_labels: list[str]
    held_texts: list[str]
    held_labels: list[str]
    n_corrections: int
    n_corrections_held: int


def split_heldback(
    texts: list[str],
    labels: list[str],
    corrections: list[tuple[str, str]],
    *,
    base_fraction: float = BASE_HELDBACK,
    corrections_fraction: float = CORRECTIONS_HELDBACK,
) -> Split:
    """Training data and held-back slice (see the module docstring). `corrections` are
    (text, category) oldest first; a text held back is left out of training entirely."""
    corrections = [(t, str(lab)) for t, lab in corrections if normalize(t) and str(lab or "").strip()]
    n_held = math.ceil(corrections_fraction * len(corrections)) if corrections else 0
    older, newest = corrections[: len(corrections) - n_held], corrections[len(corrections) - n_held :]
    # past cases with the older corrections applied (the newest are the slice's truth)
    all_texts, all_labels = apply_corrections(texts, labels, older)
    held: dict[str, tuple[str, str]] = {}
    for t, lab in zip(all_texts, all_labels):
        if in_base_heldback(t, base_fraction):
            held[normalize(t)] = (t, lab)
    for t, lab in newest:  # the last correction of a text wins
        held[normalize(t)] = (t, lab)
    train_pairs = [(t, lab) for t, lab in zip(all_texts, all_labels) if normalize(t) not in held]
    return Split(
        [t for t, _ in train_pairs],
        [lab for _, lab in train_pairs],
        [t for t, _ in held.values()],
        [lab for _, lab in held.values()],
        len(corrections),
        n_held,
    )


@dataclass
class RetrainResult:
    replaced: bool
    reason: str
    current_f1: float | None
    candidate_f1: float | None
    n_train: int
    n_heldback: int
    n_corrections: int
    n_corrections_held: int
    seconds: float

    def line(self) -> str:
        cur = "—" if self.current_f1 is None else f"{self.current_f1:.3f}"
        cand = "—" if self.candidate_f1 is None else f"{self.candidate_f1:.3f}"
        verdict = "替换" if self.replaced else "保留现有模型"
        return (
            f"{verdict}：候选模型 macro-F1 {cand}，现有模型 {cur}（留出 {self.n_heldback} 条，"
            f"其中更正 {self.n_corrections_held} 条；训练 {self.n_train} 条，更正共 {self.n_corrections} 条）"
            f"，{self.reason}"
        )


def safe_retrain(
    current: Router | None,
    texts: list[str],
    labels: list[str],
    corrections: list[tuple[str, str]],
    path: str | os.PathLike | None = None,
    *,
    candidate: Router | None = None,
) -> tuple[RetrainResult, Router]:
    """Train a candidate and keep whichever of it and `current` scores better on the held-back
    slice (ties go to the candidate). Saves the candidate to `path` when it replaces. Returns
    the result and the model in use afterwards. `candidate` (tests) skips the training."""
    start = time.perf_counter()
    split = split_heldback(texts, labels, corrections)
    if candidate is None:
        candidate = train(split.train_texts, split.train_labels)
    current_f1 = candidate_f1 = None
    if split.held_texts:
        candidate_f1 = macro_f1(split.held_labels, [lab for lab, _ in candidate.predict(split.held_texts)])
        if current is not None:
            current_f1 = macro_f1(split.held_labels, [lab for lab, _ in current.predict(split.held_texts)])
    if current is None:
        replaced, reason = True, "此前没有模型"
    elif candidate_f1 is None:
        replaced, reason = False, "留出集为空，无法比较"
    elif candidate_f1 >= current_f1:
        replaced, reason = True, "候选模型不差于现有模型"
    else:
        replaced, reason = False, "候选模型较差"
    if replaced and path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        candidate.meta.update(heldback_f1=candidate_f1, n_heldback=len(split.held_texts))
        candidate.save(path)  # written to a temporary file, then os.replace: atomic
    result = RetrainResult(
        replaced=replaced,
        reason=reason,
        current_f1=current_f1,
        candidate_f1=candidate_f1,
        n_train=len(split.train_texts),
        n_heldback=len(split.held_texts),
        n_corrections=split.n_corrections,
        n_corrections_held=split.n_corrections_held,
        seconds=time.perf_counter() - start,
    )
    return result, (candidate if replaced else current)


# --------------------------------------------------------------------------- the curve


def _parse_time(value: str) -> datetime | None:
    value = (value or "").strip()
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


@dataclass
class TimedData:
    texts: list[str]
    labels: list[str]
    dated: int  # rows with a readable date (the others keep file order, before the dated ones)


def read_in_time_order(path: str | os.PathLike, date_column: str = DATE_COLUMN) -> TimedData:
    """The labelled rows of a CSV oldest first: rows without a readable date first, in file
    order (their time is unknown), then the dated rows by date (file order among equal dates)."""
    path = Path(path)
    if not path.is_file():
        raise RoutingDataError(f"找不到文件：{path}")
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, 10 * 1024 * 1024))
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            missing = [c for c in (TEXT_COLUMN, LABEL_COLUMN) if c not in columns]
            if missing:
                raise RoutingDataError(f"文件 {path} 缺少列：{'、'.join(missing)}")
            reader.fieldnames = columns
            undated, dated = [], []
            for i, row in enumerate(reader):
                text, label = (row.get(TEXT_COLUMN) or "").strip(), (row.get(LABEL_COLUMN) or "").strip()
                if not (text and label):
                    continue
                when = _parse_time(row.get(date_column) or "")
                (undated if when is None else dated).append((when, i, text, label))
    except UnicodeDecodeError:
        raise RoutingDataError(f"文件 {path} 不是 UTF-8 编码的 CSV 文件") from None
    except csv.Error as exc:
        raise RoutingDataError(f"无法解析 CSV 文件 {path}：{exc}") from None
    finally:
        csv.field_size_limit(old_limit)
    dated.sort(key=lambda r: (r[0], r[1]))
    rows = undated + dated
    if not rows:
        raise RoutingDataError(f"文件 {path} 没有可用的数据行")
    return TimedData([r[2] for r in rows], [r[3] for r in rows], len(dated))


@dataclass
class CurvePoint:
    step: int
    messages_seen: int
    corrections: int
    macro_f1: float
    accuracy: float
    replaced: bool | None  # None: the initial model
    candidate_f1: float | None
    current_f1: float | None


def routing_curve(
    data_csv: str | os.PathLike,
    *,
    steps: int = 8,
    initial: float = 0.2,
    test: float = 0.2,
    out: IO[str] | None = None,
    html: str | os.PathLike | None = None,
) -> dict:
    """The simulation (module docstring). Prints a table; writes an HTML page with an ECharts
    line plot when `html` is given. Returns the points and figures."""
    out = out or sys.stdout
    if steps < 1:
        raise RoutingDataError("批次数至少为 1")
    if not (0 < initial < 1 and 0 < test < 1 and initial + test < 1):
        raise RoutingDataError("初始比例和测试比例都应在 0 与 1 之间，且两者之和小于 1")
    started = time.perf_counter()
    data = read_in_time_order(data_csv)
    n = len(data.texts)
    n_initial, n_test = max(2, round(initial * n)), max(1, round(test * n))
    if n_initial + n_test >= n:
        raise RoutingDataError(f"数据太少（{n} 条），无法分出初始、反馈和测试三部分")
    base_texts, base_labels = data.texts[:n_initial], data.labels[:n_initial]
    stream_texts, stream_labels = data.texts[n_initial : n - n_test], data.labels[n_initial : n - n_test]
    test_texts, test_labels = data.texts[n - n_test :], data.labels[n - n_test :]
    out.write(
        f"按时间排序 {n} 条（有日期 {data.dated} 条，无日期的按文件顺序排在前面）：初始训练 {n_initial} 条，"
        f"反馈 {len(stream_texts)} 条分 {steps} 批，固定测试集（最新的）{n_test} 条\n"
    )
    points: list[CurvePoint] = []
    corrections: list[tuple[str, str]] = []

    def score(model: Router) -> tuple[float, float]:
        predicted = [lab for lab, _ in model.predict(test_texts)]
        return macro_f1(test_labels, predicted), accuracy(test_labels, predicted)

    with one_core():
        result, model = safe_retrain(None, base_texts, base_labels, [])
        f1, acc = score(model)
        points.append(CurvePoint(0, 0, 0, f1, acc, None, result.candidate_f1, None))
        bounds = [round(i * len(stream_texts) / steps) for i in range(steps + 1)]
        for step in range(1, steps + 1):
            lo, hi = bounds[step - 1], bounds[step]
            batch_texts, batch_labels = stream_texts[lo:hi], stream_labels[lo:hi]
            predicted = [lab for lab, _ in model.predict(batch_texts)] if batch_texts else []
            corrections += [(t, y) for t, y, p in zip(batch_texts, batch_labels, predicted) if p != y]
            result, new_model = safe_retrain(model, base_texts, base_labels, corrections)
            if result.replaced:
                model = new_model
                f1, acc = score(model)
            points.append(
                CurvePoint(step, hi, len(corrections), f1, acc, result.replaced, result.candidate_f1, result.current_f1)
            )
        # reference: every fed message kept with its true label (not only the corrected ones)
        everything = train(*split_train(base_texts + stream_texts, base_labels + stream_labels))
        ref_f1, ref_acc = score(everything)
    seconds = time.perf_counter() - started
    out.write(table(points) + "\n")
    out.write(
        f"参照：全部 {n_initial + len(stream_texts)} 条（初始 + 反馈的每一条都带正确类别）训练："
        f"macro-F1 {ref_f1:.3f}，accuracy {ref_acc:.3f}\n"
    )
    out.write(f"用时 {seconds:.0f} 秒（单核）\n")
    if html:
        write_html(
            html,
            points,
            reference=ref_f1,
            title=f"分类分办：随更正累积的质量（{Path(data_csv).name}，测试 {n_test} 条）",
        )
        out.write(f"图表已写入 {html}\n")
    return {
        "points": points,
        "reference_f1": ref_f1,
        "reference_accuracy": ref_acc,
        "seconds": seconds,
        "n": n,
        "n_initial": n_initial,
        "n_test": n_test,
    }


def split_train(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """The training part of `split_heldback` with no corrections (the fixed bucket left out)."""
    split = split_heldback(texts, labels, [])
    return split.train_texts, split.train_labels


def table(points: list[CurvePoint]) -> str:
    head = "批次  已反馈  更正数  macro-F1  accuracy  留出集(候选/现有)  替换?"
    lines = [head]
    for p in points:
        held = (
            "—"
            if p.candidate_f1 is None
            else f"{p.candidate_f1:.3f}/" + ("—" if p.current_f1 is None else f"{p.current_f1:.3f}")
        )
        replaced = "初始" if p.replaced is None else ("是" if p.replaced else "否")
        lines.append(
            f"{p.step:>4}  {p.messages_seen:>6}  {p.corrections:>6}  {p.macro_f1:>8.3f}  {p.accuracy:>8.3f}"
            f"  {held:>17}  {replaced}"
        )
    return "\n".join(lines)


ECHARTS = (
    Path(__file__).resolve().parents[1] / "reports" / "static" / "reports" / "vendor" / "echarts" / "echarts.min.js"
)

_CHART_JS = """
var data = JSON.parse(document.getElementById('curve-data').textContent);
var points = data.points;
var chart = echarts.init(document.getElementById('chart'));
chart.setOption({
  tooltip: {trigger: 'axis'},
  legend: {data: ['macro-F1', 'accuracy']},
  xAxis: {type: 'value', name: '更正数', min: 0},
  yAxis: {type: 'value', name: '测试集得分', scale: true},
  series: [
    {name: 'macro-F1', type: 'line', data: points.map(function (p) { return [p.corrections, p.macro_f1]; }),
     markLine: {symbol: 'none', label: {formatter: '全部带标签训练 {c}'}, data: [{yAxis: data.reference}]}},
    {name: 'accuracy', type: 'line', data: points.map(function (p) { return [p.corrections, p.accuracy]; })}
  ]
});
"""


def write_html(path: str | os.PathLike, points: list[CurvePoint], *, title: str, reference: float) -> None:
    """A self-contained offline page (the project's vendored ECharts inlined, no network):
    the line plot and the table. Not served by the platform."""
    from html import escape

    data = json.dumps({"points": [asdict(p) for p in points], "reference": reference}, ensure_ascii=False)
    data = data.replace("</", "<\\/")
    body = (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>\n<h1>{escape(title)}</h1>\n"
        '<div id="chart" style="width:900px;height:480px"></div>\n'
        f"<pre>{escape(table(points))}</pre>\n"
        f'<script type="application/json" id="curve-data">{data}</script>\n'
        f"<script>{ECHARTS.read_text(encoding='utf-8')}</script>\n<script>{_CHART_JS}</script>\n</body></html>\n"
    )
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)
