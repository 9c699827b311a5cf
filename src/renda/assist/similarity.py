"""Similar texts: the k items of an index most similar to a query text, with a score in [0, 1].

Used when a deputy drafts a suggestion (similar suggestions of this and past years, to point to
their earlier replies) and when staff register one (duplicates to merge).

    index = SimilarityIndex()
    index.add([(17, "关于……的建议"), (18, "……")])
    index.search("关于……", k=5)       # [Hit(id=17, score=0.91), ...]
    index.add([(19, "…")])              # incremental: no rebuild
    index.remove([18])

Score: cosine between TF-IDF vectors of character 2–3-grams (hashed, sublinear tf, after NFKC,
lower case and whitespace removal). An exact duplicate scores 1.0, an unrelated text close to 0.
In an index of 50 items or more, n-grams found in more than half of the items (建议, 关于, 问题
...) are ignored: they say nothing about similarity and cost most of the query time. Character
unigrams were left out for the same reason (at 100,000 items they make a query 4× slower).

Incremental adds: texts are hashed (no vocabulary to refit), document frequencies are kept up to
date on every add, and the stored vectors are weighted with an IDF snapshot. New items go into a
small delta block weighted with the same snapshot, so scores stay comparable; when the delta
grows past `refresh_ratio` of the index, the index is compacted: the IDF is recomputed and the
stored term counts reweighted (no text is tokenized again). `compact()` forces it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@dataclass(frozen=True)
class Hit:
    id: Hashable
    score: float


class SimilarityIndex:
    """An in-memory index over (id, text) pairs. Ids are any hashable values, unique."""

    def __init__(
        self,
        ngram_range: tuple[int, int] = (2, 3),
        n_features: int = 2**20,
        max_df: float = 0.5,
        max_df_min_items: int = 50,
        refresh_ratio: float = 0.05,
        min_refresh: int = 1000,
    ):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.ngram_range = ngram_range
        self.max_df = max_df
        self.max_df_min_items = max_df_min_items
        self.n_features = n_features
        self.refresh_ratio = refresh_ratio
        self.min_refresh = min_refresh
        self._hasher = HashingVectorizer(
            analyzer="char",
            ngram_range=ngram_range,
            n_features=n_features,
            lowercase=False,
            alternate_sign=False,
            norm=None,
            preprocessor=normalize,
            dtype=np.float32,
        )
        self._ids: list = []
        self._pos: dict = {}  # id -> row
        self._alive = np.zeros(0, dtype=bool)
        # sublinear tf of every row, in blocks (one per add; merged by compact), and block starts
        self._tf_blocks: list[sp.csr_matrix] = []
        self._block_starts: list[int] = []
        self._df = np.zeros(n_features, dtype=np.int64)
        self._n_alive = 0
        self._idf = np.ones(n_features, dtype=np.float32)
        self._main_t = sp.csr_matrix((n_features, 0), dtype=np.float32)  # weighted rows, transposed
        self._main_rows = 0
        self._delta: list[sp.csr_matrix] = []  # weighted rows added since the last compaction

    # ---------------------------------------------------------------- building

    def __len__(self) -> int:
        return self._n_alive

    def __contains__(self, item_id) -> bool:
        row = self._pos.get(item_id)
        return row is not None and bool(self._alive[row])

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        m = self._hasher.transform(texts).tocsr()
        m.data = 1.0 + np.log(m.data)  # sublinear tf
        return m

    def _weigh(self, tf: sp.csr_matrix) -> sp.csr_matrix:
        """TF-IDF with the current IDF snapshot, rows scaled to unit length (empty rows stay 0)."""
        w = tf.copy()
        w.data = (w.data * self._idf[w.indices]).astype(np.float32)
        w.eliminate_zeros()  # n-grams ignored as too common
        lengths = np.diff(w.indptr)
        if w.nnz:
            starts = w.indptr[:-1][lengths > 0]
            norms = np.sqrt(np.add.reduceat(w.data.astype(np.float64) ** 2, starts))
            w.data /= np.repeat(norms, lengths[lengths > 0]).astype(np.float32)
        return w

    def _compute_idf(self) -> None:
        n = max(self._n_alive, 1)
        idf = np.log((1.0 + n) / (1.0 + self._df)) + 1.0
        if n >= self.max_df_min_items:
            idf[self._df > self.max_df * n] = 0.0  # in most items: says nothing, costs the most
        self._idf = idf.astype(np.float32)

    def add(self, items: Iterable[tuple[Hashable, str]]) -> int:
        """Add (id, text) pairs; an id already present has its text replaced. Returns the count."""
        items = list(items)
        if not items:
            return 0
        latest: dict = {}
        for item_id, text in items:
            latest[item_id] = text
        replaced = [i for i in latest if i in self]
        if replaced:
            self.remove(replaced)
        ids = list(latest)
        tf = self._counts([latest[i] for i in ids])
        start = len(self._ids)
        for offset, item_id in enumerate(ids):
            self._pos[item_id] = start + offset
        self._ids.extend(ids)
        self._alive = np.concatenate([self._alive, np.ones(len(ids), dtype=bool)])
        self._tf_blocks.append(tf)
        self._block_starts.append(start)
        np.add.at(self._df, tf.indices, 1)
        self._n_alive += len(ids)
        pending = len(self._ids) - self._main_rows
        if self._main_rows == 0 or pending > max(self.min_refresh, self.refresh_ratio * self._main_rows):
            self.compact()
        else:
            self._delta.append(self._weigh(tf))
        return len(ids)

    def remove(self, ids: Iterable[Hashable]) -> int:
        """Remove items (e.g. duplicates merged into another). Unknown ids are ignored."""
        removed = 0
        for item_id in ids:
            row = self._pos.pop(item_id, None)
            if row is None or not self._alive[row]:
                continue
            self._alive[row] = False
            b = bisect.bisect_right(self._block_starts, row) - 1
            block, local = self._tf_blocks[b], row - self._block_starts[b]
            np.subtract.at(self._df, block.indices[block.indptr[local] : block.indptr[local + 1]], 1)
            self._n_alive -= 1
            removed += 1
        return removed

    def compact(self) -> None:
        """Drop removed rows, recompute the IDF and reweight every stored vector."""
        tf = self._tf()
        if not self._alive.all():
            keep = np.flatnonzero(self._alive)
            tf = tf[keep]
            self._ids = [self._ids[i] for i in keep]
            self._pos = {item_id: row for row, item_id in enumerate(self._ids)}
            self._alive = np.ones(len(self._ids), dtype=bool)
        self._tf_blocks, self._block_starts = [tf], [0]
        self._compute_idf()
        self._main_t = self._weigh(tf).T.tocsr()
        self._main_rows = tf.shape[0]
        self._delta = []

    def _tf(self) -> sp.csr_matrix:
        if not self._tf_blocks:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        if len(self._tf_blocks) == 1:
            return self._tf_blocks[0]
        return sp.vstack(self._tf_blocks, format="csr")

    # ---------------------------------------------------------------- searching

    def _query_vector(self, text: str) -> sp.csr_matrix:
        return self._weigh(self._counts([text]))

    def scores(self, text: str) -> np.ndarray:
        """Score of the query against every stored row (removed rows get -1)."""
        q = self._query_vector(text)
        parts = []
        if self._main_rows:
            parts.append((q @ self._main_t).toarray().ravel())
        if len(self._delta) > 1:  # merge the rows added one by one since the last query
            self._delta = [sp.vstack(self._delta, format="csr")]
        for block in self._delta:
            parts.append((block @ q.T).toarray().ravel())
        s = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        s = np.clip(s, 0.0, 1.0)
        s[~self._alive[: len(s)]] = -1.0
        return s

    def search(self, text: str, k: int = 10, *, min_score: float = 0.0, exclude: Iterable[Hashable] = ()) -> list[Hit]:
        """The k most similar items with a score >= min_score, best first (ties: oldest first)."""
        if k <= 0 or self._n_alive == 0 or not normalize(text):
            return []
        s = self.scores(text)
        for item_id in exclude:
            row = self._pos.get(item_id)
            if row is not None:
                s[row] = -1.0
        # Items sharing no n-gram with the query (score 0) are never returned.
        candidates = np.flatnonzero(s >= min_score) if min_score > 0 else np.flatnonzero(s > 0)
        if len(candidates) > k:
            part = np.argpartition(-s[candidates], k - 1)[:k]
            candidates = candidates[part]
        order = sorted(candidates, key=lambda r: (-s[r], r))
        return [Hit(self._ids[r], round(float(s[r]), 6)) for r in order[:k]]
