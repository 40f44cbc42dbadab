"""Benchmark of the messages area: classifier quality and speed, identifier extraction vs ioc-finder.

Run from the repository root:  ``python benchmarks/bench_messages.py [--quick]``

1. Macro-F1 per language and scheme accuracy of the *shipped* model on the held-out split of
   ``data/messages/corpus.jsonl`` (split by script: those sentences were never trained on).
2. Messages per second on one core (process pinned to one CPU) and model load time in a fresh process.
3. Identifier extraction vs ``ioc-finder`` (installed into ``benchmarks/.venv-ioc-finder`` by this
   script) on the same generated texts with known identifiers: precision/recall per shared type and
   the speed ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
VENV = ROOT / "benchmarks" / ".venv-ioc-finder"


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def classifier(quick: bool) -> None:
    import tempfile

    from tergeu.messages.classify import classify_many
    from tergeu.messages.train import default_corpus, evaluate, load_corpus, train

    tmp = Path(tempfile.mkdtemp())
    train(out=tmp / "train_only.npz", splits=("train",))
    e = evaluate(model=tmp / "train_only.npz")
    print("== classifier: held-out split (by script), model trained on the train split only")
    for lang, d in e["per_lang"].items():
        print(f"  {lang}: macro-F1 {d['macro_f1']:.4f}  (n={d['n']}, errors={len(d['errors'])})")
    print(f"  scheme accuracy (correctly flagged fraud): {e['scheme_accuracy']:.4f}  (n={e['scheme_n']})")
    if not quick:
        folds = 5
        scripts = sorted({r["script"] for r in load_corpus(default_corpus())})
        random.Random(1).shuffle(scripts)
        per: dict[str, list[float]] = defaultdict(list)
        sch: list[float] = []
        for k in range(folds):
            held = frozenset(scripts[k::folds])
            train(out=tmp / f"fold{k}.npz", exclude_scripts=held)
            ev = evaluate(split=None, model=tmp / f"fold{k}.npz", scripts=held)
            for lang, d in ev["per_lang"].items():
                per[lang].append(d["macro_f1"])
            sch.append(ev["scheme_accuracy"])
        print(f"== classifier: {folds}-fold cross-validation grouped by script (every script held out once)")
        for lang, vals in per.items():
            print(
                f"  {lang}: macro-F1 mean {sum(vals) / len(vals):.4f}  (min {min(vals):.4f}, max {max(vals):.4f})"
            )
        print(f"  scheme accuracy mean {sum(sch) / len(sch):.4f}")
    fresh = evaluate(ROOT / "data" / "messages" / "fresh_eval.jsonl")
    print("== classifier: fresh messages written after the cues were frozen (shipped model, all scripts)")
    for lang, d in fresh["per_lang"].items():
        print(f"  {lang}: macro-F1 {d['macro_f1']:.4f}  (n={d['n']}, errors={len(d['errors'])})")
    texts = [r["text"] for r in load_corpus(default_corpus())]
    n = 20_000 if quick else 100_000
    batch = (texts * (n // len(texts) + 1))[:n]
    classify_many(batch[:1000])
    t, c = time.perf_counter(), time.process_time()
    classify_many(batch)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(
        f"  speed: {n / dt:,.0f} messages/s wall, {n / dc:,.0f} messages/s CPU time, one core ({n} messages)"
    )
    code = (
        "import time; t=time.perf_counter(); from tergeu.messages.classify import get_model, classify_text; "
        "get_model(); classify_text('x'); print(time.perf_counter()-t)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    loads = [
        float(subprocess.check_output([sys.executable, "-c", code], env=env, text=True)) for _ in range(3)
    ]
    print(f"  model load (fresh process, import + load + first verdict): best {min(loads):.3f} s of 3")


# ------------------------------------------------------------------ identifiers

WORDS = [
    "встреча",
    "завтра",
    "в",
    "офисе,",
    "посмотри",
    "отчёт",
    "и",
    "напиши",
    "мне;",
    "ертең",
    "кездесеміз,",
    "есепті",
    "қарап",
    "шық;",
    "please",
    "review",
    "the",
    "incident",
    "notes",
    "before",
    "the",
    "call;",
    "version",
    "2.10.4",
    "of",
    "the",
    "tool",
    "is",
    "installed;",
    "see",
    "report.py",
    "and",
    "config.yaml;",
    "time",
    "12:30:45;",
    "т.е.",
    "всё",
    "как",
    "обычно;",
    "pi",
    "is",
    "3.14;",
    "e.g.",
    "this",
    "one",
]


def _rand_ip(rnd: random.Random) -> str:
    while True:
        ip = ".".join(str(rnd.randint(1, 254)) for _ in range(4))
        if not ip.startswith(("10.", "127.", "192.168.")):
            return ip


def _rand_hex(rnd: random.Random, n: int) -> str:
    while True:
        h = "".join(rnd.choice("0123456789abcdef") for _ in range(n))
        if any(c.isalpha() for c in h) and any(c.isdigit() for c in h):
            return h


DOMAINS = [
    "kaspi-bonus.kz",
    "halyk-secure.com",
    "olx-dostavka.site",
    "egov-kz.top",
    "evil-domain.ru",
    "login-verify.net",
    "cdn.example.org",
]
BTC = [
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
]


def ioc_corpus(n: int) -> list[tuple[str, set[tuple[str, str]]]]:
    rnd = random.Random(7)
    out = []
    for _ in range(n):
        words = rnd.sample(WORDS, 8)
        truth: set[tuple[str, str]] = set()
        for _k in range(rnd.randint(1, 3)):
            kind = rnd.choice(["ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "btc"])
            if kind == "ipv4":
                v = _rand_ip(rnd)
                truth.add(("ipv4", v))
            elif kind == "ipv6":
                v = f"2a03:{rnd.randint(1, 65535):x}:{rnd.randint(1, 65535):x}::{rnd.randint(1, 65535):x}"
                truth.add(("ipv6", v))
            elif kind == "domain":
                v = rnd.choice(DOMAINS)
                truth.add(("domain", v))
            elif kind == "url":
                d = rnd.choice(DOMAINS)
                v = f"https://{d}/p/{rnd.randint(1, 9999)}"
                truth |= {("url", v), ("domain", d)}
            elif kind == "email":
                v = f"user{rnd.randint(1, 99)}@{rnd.choice(DOMAINS)}"
                truth.add(("email", v))
            elif kind in ("md5", "sha1", "sha256"):
                v = _rand_hex(rnd, {"md5": 32, "sha1": 40, "sha256": 64}[kind])
                truth.add((kind, v))
            else:
                v = rnd.choice(BTC)
                truth.add(("btc", v))
            words.insert(rnd.randint(0, len(words)), v)
        if rnd.random() < 0.3:  # a bad-checksum wallet look-alike: must not be reported
            words.insert(0, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
        out.append((" ".join(words), truth))
    return out


def _norm(kind: str, v: str) -> str:
    v = v.strip().lower()
    if kind == "url":
        v = v.split("://", 1)[-1].rstrip("/")
    return v


PEER = r"""
import json, sys, time
from ioc_finder import find_iocs
lines = [json.loads(x) for x in open(sys.argv[1], encoding="utf-8")]
keys = {"ipv4s": "ipv4", "ipv6s": "ipv6", "domains": "domain", "urls": "url", "email_addresses": "email",
        "md5s": "md5", "sha1s": "sha1", "sha256s": "sha256", "bitcoin_addresses": "btc"}
t = time.perf_counter()
found = [find_iocs(x) for x in lines]
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "found": [[[keys[k], v] for k, vs in f.items() if k in keys for v in vs] for f in found]}))
"""


def ensure_peer() -> Path | None:
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", "ioc-finder"], check=False)
        if r.returncode != 0:
            return None
    return py


def identifiers(quick: bool) -> None:
    from tergeu.iocs.extract import extract_identifiers
    from tergeu.records import EvidenceRef

    data = ioc_corpus(500 if quick else 3000)
    texts = [t for t, _ in data]
    ref = EvidenceRef("bench")
    for x in texts[:50]:  # warm-up: lazy imports (phonenumbers metadata, iptocc tables), as the peer's import
        extract_identifiers(x, ref)
    t = time.perf_counter()
    ours_raw = [extract_identifiers(x, ref) for x in texts]
    ours_dt = time.perf_counter() - t
    shared = ("ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "btc")
    ours = [{(i.type, _norm(i.type, i.normalized)) for i in ids if i.type in shared} for ids in ours_raw]
    print("== identifiers vs ioc-finder (generated texts with known identifiers and look-alike distractors)")
    print(f"  texts: {len(texts)}; tergeu: {ours_dt:.3f} s ({len(texts) / ours_dt:,.0f} texts/s)")
    py = ensure_peer()
    peer: list[set[tuple[str, str]]] | None = None
    if py is None:
        print("  ioc-finder could not be installed: peer comparison skipped")
    else:
        tmp = ROOT / "benchmarks" / "out"
        tmp.mkdir(exist_ok=True)
        f = tmp / "ioc_lines.jsonl"
        f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in texts) + "\n", encoding="utf-8")
        res = json.loads(subprocess.check_output([str(py), "-c", PEER, str(f)], text=True))
        peer = [{(k, _norm(k, v)) for k, v in row} for row in res["found"]]
        print(
            f"  ioc-finder: {res['seconds']:.3f} s; speed ratio tergeu/ioc-finder = {res['seconds'] / ours_dt:.1f}x"
        )
    truth = [{(k, _norm(k, v)) for k, v in tr} for _, tr in data]
    email_domains = [{v.split("@")[1] for k, v in tr if k == "email"} for tr in truth]
    print(f"  {'type':8} {'tergeu P':>9} {'R':>6}   {'ioc-finder P':>12} {'R':>6}")
    for kind in shared:
        row = [kind]
        for pred in (ours, peer):
            if pred is None:
                row += ["-", "-"]
                continue
            tp = fp = fn = 0
            for p, tr, ed in zip(pred, truth, email_domains, strict=True):
                t_k = {v for k, v in tr if k == kind}
                # a domain seen only inside an e-mail address is neither right nor wrong
                p_k = {v for k, v in p if k == kind and not (kind == "domain" and v in ed and v not in t_k)}
                tp += len(p_k & t_k)
                fp += len(p_k - t_k)
                fn += len(t_k - p_k)
            row += [f"{tp / (tp + fp):.3f}" if tp + fp else "-", f"{tp / (tp + fn):.3f}" if tp + fn else "-"]
        print(f"  {row[0]:8} {row[1]:>9} {row[2]:>6}   {row[3]:>12} {row[4]:>6}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    pin_one_core()
    classifier(args.quick)
    identifiers(args.quick)


if __name__ == "__main__":
    main()
