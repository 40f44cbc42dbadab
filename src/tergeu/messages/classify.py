"""Social-engineering fraud classifier for short kk/ru/en messages and whole conversations.

Char n-gram TF-IDF (hashed, so the shipped model is a few arrays and loads in milliseconds) plus
explainable cue features (:mod:`tergeu.messages.cues`) feed a linear model for fraud/legit and a
second linear model for the scheme. The verdict carries the cues with their spans so a victim or
an investigator sees *why*. The model is rebuilt from ``data/messages`` by ``tergeu train messages``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tergeu.messages.cues import CUE_NAMES, CueHit, find_cues
from tergeu.messages.normalize import detect_lang, fold, model_text

SCHEMES = (
    "bank_security",
    "card_blocked",
    "otp_request",
    "remote_access",
    "delivery",
    "marketplace",
    "relative",
    "investment",
    "job",
    "prize",
    "loan",
    "social_payment",
    "police",
    "account_takeover",
    "romance",
    "tech_support",
    "crypto",
    "rental",
    "other",
)
N_FEATURES = 2**18
NGRAMS = (2, 5)
# Cues strong enough that a message carrying one (and no "never share" warning) is never cleared.
STRONG_CUES = frozenset({"asks_code", "safe_account", "remote_access"})
STRONG_FLOOR = 0.8


@dataclass(slots=True)
class Cue:
    """One reason for the verdict: readable text and the span in the scored text."""

    text: str
    span: tuple[int, int]
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.span[0], self.span[1]]}


@dataclass(slots=True)
class MessageVerdict:
    verdict: str  # "fraud" | "legit"
    score: float
    scheme: str | None
    lang: str
    cues: list[Cue] = field(default_factory=list)

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        return {
            "id": id,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "scheme": self.scheme,
            "lang": self.lang,
            "cues": [c.to_dict() for c in self.cues],
        }


def model_path() -> Path:
    return Path(str(resources.files("tergeu.messages") / "model" / "fraud_model.npz"))


class FraudModel:
    """The shipped arrays: idf and coefficients over the hashed columns seen in training."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        self.cols = arrays["cols"].astype(np.int64)  # hashed column ids kept (sorted)
        self.idf = arrays["idf"].astype(np.float32)
        self.coef = arrays["coef"].astype(np.float32)  # len(cols) + n_cues
        self.intercept = float(arrays["intercept"])
        self.scheme_coef = arrays["scheme_coef"].astype(np.float32)  # k x (len(cols)+n_cues)
        self.scheme_intercept = arrays["scheme_intercept"].astype(np.float32)
        self.schemes = [str(s) for s in arrays["schemes"]]
        self.cue_names = [str(s) for s in arrays["cue_names"]]
        self.meta = json.loads(str(arrays["meta"]))
        self._lookup = np.full(N_FEATURES, -1, dtype=np.int64)
        self._lookup[self.cols] = np.arange(len(self.cols))
        self._cue_index = {n: i for i, n in enumerate(self.cue_names)}

    @classmethod
    def load(cls, path: Path | None = None) -> FraudModel:
        with np.load(path or model_path(), allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files})

    def features(self, model_texts: list[str], cue_sets: list[list[CueHit]]) -> Any:
        """Sparse rows: idf-weighted char n-grams over kept columns (norm 1), then one column per cue."""
        import scipy.sparse as sp

        n = len(model_texts)
        rows, hashed = hash_ngrams(model_texts)
        mapped = self._lookup[hashed]
        keep = mapped >= 0
        rows, mapped = rows[keep], mapped[keep]
        w = self.idf[mapped]
        norm = np.sqrt(np.bincount(rows, weights=w * w, minlength=n))
        norm[norm == 0] = 1.0
        data = (w / norm[rows]).astype(np.float32)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
        T = sp.csr_matrix((data, mapped, indptr), shape=(n, len(self.cols)))
        r_idx, c_idx = [], []
        for r, hits in enumerate(cue_sets):
            for h in hits:
                j = self._cue_index.get(h.name)
                if j is not None:
                    r_idx.append(r)
                    c_idx.append(j)
        C = sp.csr_matrix(
            (np.ones(len(r_idx), dtype=np.float32), (r_idx, c_idx)), shape=(n, len(self.cue_names))
        )
        return sp.hstack([T, C], format="csr")

    def scores(self, X: Any) -> np.ndarray:
        z = X @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z))).ravel()

    def scheme_of(self, X: Any) -> list[str]:
        Z = X @ self.scheme_coef.T + self.scheme_intercept
        return [self.schemes[i] for i in np.asarray(Z).argmax(axis=1)]


_SALT = np.uint64(0x9E3779B97F4A7C15)
_MUL = np.uint64(0xBF58476D1CE4E5B9)


def hash_ngrams(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, hashed column) of every char n-gram (2..5) of each `` text `` with spaces around it.

    Vectorised over the whole batch (no Python loop per n-gram), which is what makes scanning
    tens of thousands of messages per second on one core possible. Repeated n-grams appear
    repeatedly (their weights add up).
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    padded = [" " + t + " " for t in texts]
    lens = np.fromiter((len(t) for t in padded), dtype=np.int64, count=n)
    cp = np.frombuffer("\x00".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(n, dtype=np.int64), lens + 1)[: len(cp)]
    owner[np.cumsum(lens + 1)[:-1] - 1] = -1  # separators belong to nobody
    rows_out, cols_out = [], []
    h = cp.copy()
    with np.errstate(over="ignore"):
        for k in range(1, NGRAMS[1]):
            L = len(cp) - k
            if L <= 0:
                break
            h = h[:L] * np.uint64(1000003) + cp[k : k + L]
            if k + 1 < NGRAMS[0]:
                continue
            valid = (owner[:L] == owner[k : k + L]) & (owner[:L] >= 0)
            x = (h[valid] ^ (_SALT * np.uint64(k + 1))) * _MUL
            x ^= x >> np.uint64(31)
            rows_out.append(owner[:L][valid])
            cols_out.append((x % np.uint64(N_FEATURES)).astype(np.int64))
    if not rows_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.concatenate(rows_out)
    order = np.argsort(rows, kind="stable")
    return rows[order], np.concatenate(cols_out)[order]


@cache
def get_model() -> FraudModel:
    return FraudModel.load()


def _cue_text(name: str) -> str:
    from tergeu.i18n import current_lang

    return _cue_text_in(name, current_lang())


@cache
def _cue_text_in(name: str, lang: str) -> str:
    from tergeu.i18n import t

    return t(f"messages.cue.{name}", lang)


def _verdicts(texts: list[str], model: FraudModel) -> list[MessageVerdict]:
    folded = [fold(t) for t in texts]
    cue_sets = [find_cues(f) for f in folded]
    X = model.features([model_text(t) for t in texts], cue_sets)
    scores = model.scores(X)
    schemes = model.scheme_of(X)
    out: list[MessageVerdict] = []
    for text, hits, score, scheme in zip(texts, cue_sets, scores, schemes, strict=True):
        s = float(score)
        names = {h.name for h in hits}
        if names & STRONG_CUES and "never_share" not in names:
            s = max(s, STRONG_FLOOR)
        fraud = s >= 0.5
        cues = [Cue(_cue_text(h.name), h.span, h.name) for h in hits if h.fraud == fraud or not fraud]
        if fraud:
            cues = [c for c in cues if c.name != "never_share"]
        out.append(
            MessageVerdict(
                "fraud" if fraud else "legit", s, scheme if fraud else None, detect_lang(text), cues
            )
        )
    return out


def classify_many(texts: list[str], batch: int = 4096) -> list[MessageVerdict]:
    """Verdicts for many messages at once (the fast path used by ``tergeu messages scan``)."""
    model = get_model()
    out: list[MessageVerdict] = []
    for i in range(0, len(texts), batch):
        out.extend(_verdicts(texts[i : i + batch], model))
    return out


def classify_text(text: str) -> MessageVerdict:
    """Verdict for one message."""
    return classify_many([text])[0]


def classify_conversation(texts: list[str], window: int = 3) -> MessageVerdict:
    """Verdict for a conversation: each message and each run of ``window`` consecutive messages.

    A friendly opening followed by a code request flags because the request is scored on its own
    and together with what came before. Spans index ``"\\n".join(texts)``.
    """
    texts = [t for t in texts if t is not None]
    if not texts:
        return MessageVerdict("legit", 0.0, None, "en", [])
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    windows = ["\n".join(texts[max(0, i - window + 1) : i + 1]) for i in range(len(texts))]
    single = classify_many(texts)
    multi = classify_many(windows) if len(texts) > 1 else []
    best_score, best_scheme = 0.0, None
    cues: list[Cue] = []
    seen: set[str] = set()
    for i, v in enumerate(single):
        if v.score > best_score:
            best_score, best_scheme = v.score, v.scheme
        for c in v.cues:
            if c.name not in seen and c.span != (0, 0):
                seen.add(c.name)
                cues.append(Cue(c.text, (c.span[0] + starts[i], c.span[1] + starts[i]), c.name))
    for i, v in enumerate(multi):
        if v.score > best_score:
            best_score, best_scheme = v.score, v.scheme
        first = max(0, i - window + 1)
        for c in v.cues:
            if c.name not in seen and c.span != (0, 0):
                seen.add(c.name)
                cues.append(Cue(c.text, (c.span[0] + starts[first], c.span[1] + starts[first]), c.name))
    fraud = best_score >= 0.5
    if not fraud:
        cues = [c for c in cues if c.name == "never_share"]
    else:
        cues = [c for c in cues if c.name != "never_share"]
    cues.sort(key=lambda c: c.span)
    return MessageVerdict(
        "fraud" if fraud else "legit",
        best_score,
        best_scheme if fraud else None,
        detect_lang("\n".join(texts)),
        cues,
    )


def cue_names() -> tuple[str, ...]:
    return CUE_NAMES
