"""Category routing: propose the category of a text (a deputy's suggestion, a citizen message).

The model is learned from past cases: staff accept or correct the proposal, and the corrected
cases feed the next training (`apply_corrections`, then `train`).

    router = train(texts, labels)
    router.predict(["关于……的建议"])      # [("城乡建设", 0.87)]
    router.top("关于……的建议", k=3)        # [("城乡建设", 0.87), ("交通运输", 0.08), ...]
    router.save(path); Router.load(path)

Model (chosen by 5-fold cross-validation on public citizen messages, see bench/README.md):
the subject (the first characters) is repeated once, then TF-IDF over character 1–2-grams and
jieba words (sublinear tf) feeds linear SVMs with balanced class weights, turned into
probabilities by sigmoid calibration (CalibratedClassifierCV: 5 SVMs, each calibrated on the
fold it did not see, probabilities averaged). On 2,474 labelled citizen messages (7 classes):
macro-F1 0.895, accuracy 0.898 in 5-fold CV, ≈ 4 ms per message on one core. Training and
prediction are deterministic (fixed seeds, one thread). Prediction runs the fitted model's
arithmetic directly (`_FastPredictor`): scikit-learn's per-call input checks cost more than
the model on a single text.

Model files are pickles: load only files this platform wrote itself. A file records the
format version and the scikit-learn version it was trained with, and `Router.load` refuses a
file of another version (retrain instead of guessing).
"""

from __future__ import annotations

import csv
import os
import pickle
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import numpy as np

FORMAT = "renda.assist.router"
FORMAT_VERSION = 2
SEED = 20240601

TEXT_COLUMN = "文本"
LABEL_COLUMN = "一级标签"

# Model settings (see the module docstring and bench/README.md for how they were chosen).
SUBJECT_CHARS = 30  # the subject of a message is about its first 30 characters
SUBJECT_REPEAT = 1  # extra copies of the subject put before the text
CHAR_NGRAMS = (1, 2)
SVM_C = 1.0
CALIBRATION_FOLDS = 5


class AssistError(ValueError):
    """An error whose message (in Chinese) is meant for the user, not a traceback."""


class RoutingDataError(AssistError):
    """Training or evaluation data that cannot be used (missing columns, empty file, ...)."""


class ModelFileError(AssistError):
    """A model file that cannot be loaded (wrong format, other version, damaged)."""


# --------------------------------------------------------------------------- text preparation

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, no whitespace.

    The training data joins subject and details with all whitespace removed; texts typed into
    the platform get the same treatment so that both look alike to the model."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def _prepare(texts: Iterable[str], subject_chars: int, subject_repeat: int) -> list[str]:
    """Normalized texts, each with its subject (first characters) repeated before it."""
    out = []
    for text in texts:
        t = normalize(text)
        out.append(t[:subject_chars] * subject_repeat + t)
    return out


_jieba = None


def _get_jieba():
    global _jieba
    if _jieba is None:
        import warnings

        with warnings.catch_warnings():  # jieba 0.42's regexes warn when first compiled
            warnings.simplefilter("ignore", (DeprecationWarning, SyntaxWarning))
            import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def words(text: str) -> list[str]:
    """jieba words of a text (its dictionary ships with the package; nothing is downloaded)."""
    return [w for w in _get_jieba().lcut(text) if w.strip()]


def _build_pipeline(n_per_class_min: int, seed: int, C: float):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        TfidfVectorizer(
            analyzer="char", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=2, lowercase=False, dtype=np.float32
        ),
        TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True, dtype=np.float32),
    )
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed)
    folds = min(CALIBRATION_FOLDS, n_per_class_min)
    if folds >= 2:
        classifier = CalibratedClassifierCV(
            svm, method="sigmoid", cv=StratifiedKFold(folds, shuffle=True, random_state=seed)
        )
    else:  # a class with a single example: no calibration possible, softmax of the SVM scores
        classifier = svm
    return make_pipeline(features, classifier)


def _softmax(scores: np.ndarray) -> np.ndarray:
    if scores.ndim == 1 or scores.shape[1] == 1:  # two classes: one score, for the second class
        scores = scores.reshape(-1, 1)
        scores = np.column_stack([-scores, scores])
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class _FastPredictor:
    """The fitted pipeline's arithmetic without scikit-learn's per-call input checks, which
    cost more than the model itself on one text (≈ 20 ms instead of ≈ 4 ms). Built from the
    fitted objects (vocabularies, idf, SVM weights, sigmoid calibrators), gives the same
    probabilities as `pipeline.predict_proba` (checked in the tests)."""

    def __init__(self, pipeline, labels: list[str]):
        from scipy.special import expit

        self._expit = expit
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.vectorizers = []
        for _, vec in union.transformer_list:
            if vec.norm != "l2" or not vec.use_idf:
                raise TypeError("unexpected vectorizer settings")
            self.vectorizers.append(
                (vec.build_analyzer(), vec.vocabulary_, vec.idf_.astype(np.float64), bool(vec.sublinear_tf))
            )
        self.n_labels = len(labels)
        index = {label: i for i, label in enumerate(labels)}
        if hasattr(classifier, "calibrated_classifiers_"):
            if classifier.method != "sigmoid":
                raise TypeError("unexpected calibration")
            self.folds = []
            for cc in classifier.calibrated_classifiers_:
                est = cc.estimator
                columns = [index[str(c)] for c in est.classes_]
                if len(labels) == 2:
                    columns = [1]  # binary: one score, for the second class
                ab = np.array([[c.a_, c.b_] for c in cc.calibrators], dtype=np.float64)
                self.folds.append((est.coef_.T, est.intercept_, columns, ab[:, 0], ab[:, 1]))
            self.svm = None
        else:
            self.folds = None
            self.svm = (classifier.coef_.T, classifier.intercept_)

    def features(self, texts: list[str]):
        import scipy.sparse as sp

        blocks = []
        for analyze, vocabulary, idf, sublinear in self.vectorizers:
            indptr, indices, values = [0], [], []
            for text in texts:
                counts: dict[int, int] = {}
                for token in analyze(text):
                    j = vocabulary.get(token)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                if sublinear:
                    tf = 1.0 + np.log(tf)
                w = tf * idf[cols]
                norm = np.sqrt(np.dot(w, w))
                if norm > 0:
                    w /= norm
                order = np.argsort(cols)
                indices.append(cols[order])
                values.append(w[order])
                indptr.append(indptr[-1] + len(cols))
            blocks.append(
                sp.csr_matrix(
                    (
                        np.concatenate(values) if values else np.zeros(0),
                        np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                        np.asarray(indptr),
                    ),
                    shape=(len(texts), len(idf)),
                )
            )
        return sp.hstack(blocks, format="csr")

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        X = self.features(texts)
        if self.svm is not None:
            coef_t, intercept = self.svm
            return _softmax(np.asarray(X @ coef_t) + intercept)
        mean = np.zeros((len(texts), self.n_labels))
        for coef_t, intercept, columns, a, b in self.folds:
            scores = np.asarray(X @ coef_t) + intercept
            proba = np.zeros_like(mean)
            proba[:, columns] = self._expit(-(a * scores + b))
            if self.n_labels == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                total = proba.sum(axis=1, keepdims=True)
                proba = np.divide(proba, total, out=np.full_like(proba, 1.0 / self.n_labels), where=total != 0)
            mean += proba
        return mean / len(self.folds)


# --------------------------------------------------------------------------- the router


@dataclass
class Router:
    """A trained category router. Build it with `train`, or `Router.load` a saved one."""

    pipeline: object
    labels: list[str]
    meta: dict = field(default_factory=dict)
    prep: dict = field(default_factory=lambda: {"subject_chars": SUBJECT_CHARS, "subject_repeat": SUBJECT_REPEAT})
    _fast: object = field(default=None, init=False, repr=False, compare=False)

    def predict_proba(self, texts: Sequence[str], *, exact: bool = False) -> np.ndarray:
        """Probabilities, one row per text, columns in the order of `self.labels`.

        exact=True computes them through scikit-learn's own predict_proba (same figures,
        slower on few texts); the default uses `_FastPredictor`."""
        if isinstance(texts, str):
            raise TypeError("predict_proba expects a list of texts, not one string")
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        prepared = _prepare(texts, **self.prep)
        if not exact and self._fast is None:
            self._fast = _FastPredictor(self.pipeline, self.labels)
        if not exact:
            proba = self._fast.predict_proba(prepared)
        elif hasattr(self.pipeline, "predict_proba"):
            proba = self.pipeline.predict_proba(prepared)
        else:
            proba = _softmax(self.pipeline.decision_function(prepared))
        return np.clip(np.asarray(proba, dtype=float), 0.0, 1.0)

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """For each text, (proposed category, confidence in [0, 1])."""
        proba = self.predict_proba(texts)
        best = proba.argmax(axis=1)
        return [(self.labels[j], float(proba[i, j])) for i, j in enumerate(best)]

    def top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The k most probable categories of one text, most probable first."""
        proba = self.predict_proba([text])[0]
        order = sorted(range(len(self.labels)), key=lambda j: (-proba[j], self.labels[j]))
        return [(self.labels[j], float(proba[j])) for j in order[: max(0, k)]]

    def save(self, path: str | os.PathLike) -> None:
        import sklearn

        payload = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "sklearn": sklearn.__version__,
            "labels": list(self.labels),
            "meta": dict(self.meta),
            "prep": dict(self.prep),
            "pipeline": self.pipeline,
        }
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Router:
        """Load a model file written by `save` (a pickle: only files of this platform)."""
        import sklearn

        try:
            with open(path, "rb") as fh:
                payload = pickle.load(fh)
        except FileNotFoundError:
            raise ModelFileError(f"找不到模型文件：{path}") from None
        except Exception as exc:  # damaged or foreign file
            raise ModelFileError(f"无法读取模型文件 {path}：{type(exc).__name__}") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ModelFileError(f"{path} 不是分类分办模型文件")
        if payload.get("version") != FORMAT_VERSION:
            raise ModelFileError(
                f"模型文件格式版本为 {payload.get('version')}，当前程序需要版本 {FORMAT_VERSION}，请重新训练"
            )
        if payload.get("sklearn") != sklearn.__version__:
            raise ModelFileError(
                f"模型文件由 scikit-learn {payload.get('sklearn')} 训练，当前为 {sklearn.__version__}，请重新训练"
            )
        return cls(
            pipeline=payload["pipeline"],
            labels=list(payload["labels"]),
            meta=payload.get("meta", {}),
            prep=payload["prep"],
        )


def _check_training_data(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    if isinstance(texts, str) or isinstance(labels, str):
        raise RoutingDataError("文本和标签都应是列表")
    if len(texts) != len(labels):
        raise RoutingDataError(f"文本与标签数量不一致：{len(texts)} 条文本，{len(labels)} 个标签")
    pairs = [(t, str(lab).strip()) for t, lab in zip(texts, labels) if normalize(t) and str(lab or "").strip()]
    if not pairs:
        raise RoutingDataError("没有可用于训练的数据（文本或标签为空）")
    if len({lab for _, lab in pairs}) < 2:
        raise RoutingDataError("训练数据至少需要两个不同的类别")
    return [t for t, _ in pairs], [lab for _, lab in pairs]


def train(texts: Sequence[str], labels: Sequence[str], *, seed: int = SEED, C: float | None = None) -> Router:
    """Train a router on past cases (texts with their categories). Rows whose text or label is
    empty are left out. Deterministic: the same data and seed give the same model."""
    from threadpoolctl import threadpool_limits

    texts, labels = _check_training_data(texts, labels)
    C = SVM_C if C is None else C
    counts = Counter(labels)
    prep = {"subject_chars": SUBJECT_CHARS, "subject_repeat": SUBJECT_REPEAT}
    pipeline = _build_pipeline(min(counts.values()), seed, C)
    with threadpool_limits(1):
        pipeline.fit(_prepare(texts, **prep), np.asarray(labels))
    classes = [str(c) for c in pipeline.classes_]
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_train": len(texts),
        "class_counts": dict(sorted(counts.items())),
        "seed": seed,
        "C": C,
    }
    return Router(pipeline=pipeline, labels=classes, meta=meta, prep=prep)


def apply_corrections(
    texts: Sequence[str], labels: Sequence[str], corrections: Iterable[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """Past cases plus staff corrections, for the next training.

    A correction (text, category) replaces the category of every past case with the same text
    (after `normalize`) and is added as a new case otherwise; the last correction of a text wins."""
    texts, labels = list(texts), list(labels)
    index: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        index.setdefault(normalize(t), []).append(i)
    for text, label in corrections:
        key = normalize(text)
        if not key or not str(label or "").strip():
            continue
        if key in index:
            for i in index[key]:
                labels[i] = label
        else:
            index[key] = [len(texts)]
            texts.append(text)
            labels.append(label)
    return texts, labels


# --------------------------------------------------------------------------- CSV data, evaluation


@dataclass
class LabelledData:
    texts: list[str]
    labels: list[str]
    skipped: int = 0  # rows with an empty text or label


def read_labelled_csv(
    path: str | os.PathLike, text_column: str = TEXT_COLUMN, label_column: str = LABEL_COLUMN
) -> LabelledData:
    """Read a UTF-8 CSV with the columns `文本` and `一级标签` (other columns are ignored)."""
    path = Path(path)
    if not path.is_file():
        raise RoutingDataError(f"找不到文件：{path}")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RoutingDataError(f"文件 {path} 不是 UTF-8 编码的 CSV 文件") from None
    if not raw.strip():
        raise RoutingDataError(f"文件为空：{path}（需要列“{text_column}”和“{label_column}”）")
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, 10 * 1024 * 1024))
    try:
        reader = csv.DictReader(raw.splitlines(keepends=True))
        columns = [c.strip() for c in (reader.fieldnames or [])]
        missing = [c for c in (text_column, label_column) if c not in columns]
        if missing:
            raise RoutingDataError(
                f"文件 {path} 缺少列：{'、'.join(missing)}"
                f"（需要列“{text_column}”和“{label_column}”，实际的列：{'、'.join(columns) or '无'}）"
            )
        reader.fieldnames = columns
        texts, labels, skipped = [], [], 0
        for row in reader:
            text = (row.get(text_column) or "").strip()
            label = (row.get(label_column) or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
            else:
                skipped += 1
    except csv.Error as exc:
        raise RoutingDataError(f"无法解析 CSV 文件 {path}：{exc}") from None
    finally:
        csv.field_size_limit(old_limit)
    if not texts:
        raise RoutingDataError(f"文件 {path} 没有可用的数据行（“{text_column}”和“{label_column}”都不能为空）")
    return LabelledData(texts, labels, skipped)


@contextmanager
def one_core():
    """Run the block on one CPU core (affinity where the system allows it) with one BLAS thread."""
    from threadpoolctl import threadpool_limits

    pinned = None
    if hasattr(os, "sched_getaffinity"):
        try:
            pinned = os.sched_getaffinity(0)
            os.sched_setaffinity(0, {min(pinned)})
        except OSError:
            pinned = None
    try:
        with threadpool_limits(1):
            yield
    finally:
        if pinned is not None:
            os.sched_setaffinity(0, pinned)


def _timed_predict(router: Router, texts: list[str]) -> tuple[list[str], float]:
    """Predicted labels and milliseconds per message (prediction only, one core, warm model)."""
    with one_core():
        router.predict(texts[:1])  # warm-up: jieba's dictionary, first-call overheads
        start = time.perf_counter()
        predicted = [label for label, _ in router.predict(texts)]
        elapsed = time.perf_counter() - start
    return predicted, 1000.0 * elapsed / max(1, len(texts))


def score_line(macro_f1: float, accuracy: float, ms_per_message: float) -> str:
    return f"macro_f1={macro_f1:.3f} accuracy={accuracy:.3f} ms_per_message={ms_per_message:.2f}"


def _report(truth: list[str], predicted: list[str], out: IO[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, classification_report, f1_score

    out.write(classification_report(truth, predicted, digits=3, zero_division=0))
    macro = f1_score(truth, predicted, average="macro", zero_division=0)
    return float(macro), float(accuracy_score(truth, predicted))


def routing_eval(train_csv: str | os.PathLike, test_csv: str | os.PathLike, *, out: IO[str] | None = None) -> dict:
    """Train on TRAIN, predict TEST, print a per-class report and, as the last line,
    `macro_f1=… accuracy=… ms_per_message=…`. Returns the figures."""
    out = out or sys.stdout
    train_data = read_labelled_csv(train_csv)
    test_data = read_labelled_csv(test_csv)
    start = time.perf_counter()
    router = train(train_data.texts, train_data.labels)
    fit_seconds = time.perf_counter() - start
    predicted, ms = _timed_predict(router, test_data.texts)
    out.write(
        f"训练 {len(train_data.texts)} 条（跳过 {train_data.skipped} 条），测试 {len(test_data.texts)} 条"
        f"（跳过 {test_data.skipped} 条），类别 {len(router.labels)} 个，训练用时 {fit_seconds:.1f} 秒\n"
    )
    unknown = sorted(set(test_data.labels) - set(router.labels))
    if unknown:
        out.write(f"注意：测试集中有训练集没有的类别：{'、'.join(unknown)}\n")
    macro, acc = _report(test_data.labels, predicted, out)
    line = score_line(macro, acc, ms)
    out.write(line + "\n")
    return {
        "macro_f1": macro,
        "accuracy": acc,
        "ms_per_message": ms,
        "n_train": len(train_data.texts),
        "n_test": len(test_data.texts),
        "fit_seconds": fit_seconds,
        "line": line,
    }


def routing_cv(data_csv: str | os.PathLike, folds: int = 5, *, seed: int = SEED, out: IO[str] | None = None) -> dict:
    """Stratified k-fold cross-validation (shuffled with a fixed seed) of the router on one
    labelled CSV; prints the pooled figures the same way as `routing_eval`."""
    from sklearn.model_selection import StratifiedKFold

    out = out or sys.stdout
    data = read_labelled_csv(data_csv)
    counts = Counter(data.labels)
    if folds < 2:
        raise RoutingDataError("折数至少为 2")
    if min(counts.values()) < folds:
        rare = "、".join(f"{lab}（{n} 条）" for lab, n in sorted(counts.items()) if n < folds)
        raise RoutingDataError(f"{folds} 折交叉验证要求每个类别至少 {folds} 条，以下类别不足：{rare}")
    texts = np.asarray(data.texts, dtype=object)
    labels = np.asarray(data.labels, dtype=object)
    predicted = np.empty(len(labels), dtype=object)
    predict_seconds = 0.0
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for k, (tr, te) in enumerate(splitter.split(texts, labels), start=1):
        router = train(list(texts[tr]), list(labels[tr]), seed=seed)
        fold_pred, ms = _timed_predict(router, list(texts[te]))
        predicted[te] = fold_pred
        predict_seconds += ms * len(te) / 1000.0
        out.write(f"第 {k}/{folds} 折：训练 {len(tr)} 条，测试 {len(te)} 条\n")
    ms = 1000.0 * predict_seconds / len(labels)
    macro, acc = _report(list(labels), list(predicted), out)
    line = score_line(macro, acc, ms)
    out.write(line + "\n")
    return {"macro_f1": macro, "accuracy": acc, "ms_per_message": ms, "n": len(labels), "folds": folds, "line": line}
