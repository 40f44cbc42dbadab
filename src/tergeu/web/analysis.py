"""Analysis of a statement the moment it is filed: fraud script, identifiers, method and articles.

The fraud classifier (``tergeu.messages.classify``) and the identifier extractor
(``tergeu.iocs.extract``) are separate areas; when one is not installed its part is skipped and a
warning says so, while identifiers the victim typed into dedicated fields are always recorded.
Results go to the generic tables through :mod:`tergeu.results`, so the workspace shows them like any
other analyzer's output, each linked to the statement document and its byte offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import phonenumbers
from sqlalchemy import delete
from sqlalchemy.orm import Session

from tergeu import custody, qualify, results
from tergeu.db import Case, EvidenceItem, IdentifierRow
from tergeu.errors import NotFoundError
from tergeu.records import EvidenceRef, Finding, Identifier
from tergeu.web.models import Statement

ANALYZER = "statement"
_FRAUD_VERDICTS = {"fraud", "scam", "phishing", "suspicious", "malicious"}
_INFO_SCHEMES = {"otp_request", "card_blocked", "bank_security", "account_takeover", "police"}


def normalize_identifier(kind: str, value: str) -> tuple[str, bool]:
    """Normalised form and validity of an identifier the victim typed into a dedicated field."""
    raw = value.strip()
    if kind == "phone":
        try:
            num = phonenumbers.parse(raw, "KZ")
            ok = phonenumbers.is_valid_number(num)
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), ok
        except phonenumbers.NumberParseException:
            return re.sub(r"\D", "", raw), False
    if kind == "card":
        digits = re.sub(r"\D", "", raw)
        return digits, 12 <= len(digits) <= 19 and _luhn(digits)
    if kind == "iban":
        iban = re.sub(r"\s", "", raw).upper()
        return iban, _iban_ok(iban)
    if kind == "telegram":
        return raw.lstrip("@").lower(), bool(re.fullmatch(r"[A-Za-z0-9_]{5,32}", raw.lstrip("@")))
    if kind in ("email", "url"):
        return raw.lower(), bool(raw)
    return raw, bool(raw)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def mask(kind: str, value: str) -> str:
    """Cards are shown masked everywhere (first six and last four digits)."""
    if kind == "card":
        d = re.sub(r"\D", "", value)
        if len(d) >= 12:
            return f"{d[:4]} {d[4:6]}** **** {d[-4:]}"
    return value


def _byte_offset(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))


def _load(module: str, name: str, warnings: list[str]) -> Callable[..., Any] | None:
    try:
        mod = __import__(module, fromlist=[name])
        return getattr(mod, name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        warnings.append(f"{module}.{name} is not available ({exc}); that part of the analysis was skipped")
        return None


def _cue_texts(cues: Any) -> list[str]:
    out = []
    for cue in cues or []:
        if isinstance(cue, dict):
            out.append(str(cue.get("text", cue)))
        else:
            out.append(str(getattr(cue, "text", cue)))
    return out


def _units(text: str, spans: dict[str, tuple[int, int]]) -> list[tuple[str, int, str]]:
    """Pieces to classify: the victim's account, the pasted conversation, and each message in it."""
    units = []
    d0, d1 = spans["description"]
    units.append(("description", d0, text[d0:d1]))
    m0, m1 = spans["messages"]
    body = text[m0:m1]
    head = len("Messages:\n")
    if body[head:].strip():
        units.append(("conversation", m0, body))
        paragraphs = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body[head:])]
        if len(paragraphs) > 1:
            units.extend(("message", m0 + head + start, chunk) for start, chunk in paragraphs)
    return units


def analyse_statement(
    session: Session,
    case: Case,
    statement: Statement,
    text: str,
    spans: dict[str, tuple[int, int]],
    doc: EvidenceItem | None,
    fresh: bool = False,
    actor: str = "web-portal",
) -> dict[str, Any]:
    """Run every available analysis over the statement document; returns the summary kept with it.

    ``fresh`` says the case was created for this statement, so there is no earlier output to clear.
    """
    warnings: list[str] = []
    path = doc.name if doc else f"{statement.number}.txt"
    evidence_id = doc.id if doc else None

    def ref(char_index: int, record: str) -> EvidenceRef:
        return EvidenceRef(
            path=path, evidence_id=evidence_id, offset=_byte_offset(text, char_index), record=record
        )

    if not fresh:  # re-analysis replaces this analyzer's earlier output
        results.clear(session, case, ANALYZER)
    if not fresh and evidence_id is not None:
        session.execute(
            delete(IdentifierRow).where(
                IdentifierRow.case_id == case.id, IdentifierRow.evidence_id == evidence_id
            )
        )

    # 1. Identifiers typed into the form's dedicated fields.
    idents: list[Identifier] = []
    seen: set[tuple[str, str]] = set()
    typed = [(s["type"], s["value"], "suspects") for s in statement.suspects]
    typed += [
        (_guess_kind(tx.get("recipient", "")), tx["recipient"], "transactions")
        for tx in statement.transactions
        if tx.get("recipient")
    ]
    for kind, value, section in typed:
        norm, ok = normalize_identifier(kind, value)
        if (kind, norm) in seen or not norm:
            continue
        seen.add((kind, norm))
        start = text.find(value, spans[section][0])
        idents.append(
            Identifier(
                type=kind,
                value=value,
                normalized=norm,
                ref=ref(max(start, 0), section),
                valid=ok,
                attrs={"source": "typed by the victim", "field": section},
            )
        )
    # 2. Identifiers anywhere in the text (the iocs area's extractor).
    extract = _load("tergeu.iocs.extract", "extract_identifiers", warnings)
    if extract is not None:
        try:
            for ident in extract(text, EvidenceRef(path=path, evidence_id=evidence_id)):
                if (ident.type, ident.normalized) in seen:
                    continue
                seen.add((ident.type, ident.normalized))
                if ident.span and ident.ref.offset is None:
                    ident.ref = ref(ident.span[0], "text")
                idents.append(ident)
        except Exception as exc:  # another area's bug must not lose the victim's statement
            warnings.append(f"identifier extraction failed: {type(exc).__name__}: {exc}")
    results.save_identifiers(session, case, idents)

    # 3. Fraud scripts (the messages area's classifier).
    verdicts: list[dict[str, Any]] = []
    findings: list[Finding] = []
    classify = _load("tergeu.messages.classify", "classify_text", warnings)
    if classify is not None:
        for unit, start, chunk in _units(text, spans):
            try:
                v = classify(chunk)
            except Exception as exc:
                warnings.append(f"fraud classifier failed on the {unit}: {type(exc).__name__}: {exc}")
                continue
            entry: dict[str, Any] = {
                "unit": unit,
                "verdict": str(getattr(v, "verdict", "")),
                "score": float(getattr(v, "score", 0.0) or 0.0),
                "scheme": getattr(v, "scheme", None),
                "lang": getattr(v, "lang", None),
                "cues": _cue_texts(getattr(v, "cues", [])),
            }
            verdicts.append(entry)
            if entry["verdict"].lower() in _FRAUD_VERDICTS:
                findings.append(
                    Finding(
                        kind="fraud_script",
                        analyzer=ANALYZER,
                        method="tergeu.messages.classify",
                        summary=f"{unit}: fraud script {entry['scheme'] or ''} (score {entry['score']:.2f})".replace(
                            "  ", " "
                        ),
                        score=entry["score"],
                        details={k: entry[k] for k in ("unit", "scheme", "lang", "cues")},
                        refs=[ref(start, unit)],
                    )
                )
    results.save_findings(session, case, findings)

    # 4. Method and articles (the investigator decides).
    narrative = f"{statement.description}\n{statement.messages}"
    money = any(float(tx.get("amount_kzt") or 0) > 0 for tx in statement.transactions)
    inferred = qualify.infer_from_text(narrative, money_lost=money)
    schemes = {v["scheme"] for v in verdicts if v["verdict"].lower() in _FRAUD_VERDICTS}
    method, acts = inferred.method, list(inferred.acts)
    if schemes and method in ("", "technical_means"):
        method = "social_engineering"
        inferred.cues.setdefault("method:social_engineering", []).append("fraud classifier")
    if schemes & _INFO_SCHEMES and "taking_information" not in acts:
        acts.append("taking_information")
    if schemes and money and "theft_by_deception" not in acts:
        acts.append("theft_by_deception")
    acts = [a for a in qualify.ACTS if a in acts]
    case.method = method
    advice = advice_keys(statement.channel, method, acts, money, schemes)
    custody.append(
        session,
        case,
        actor,
        "analysed",
        [evidence_id] if evidence_id else [],
        {
            "analyzer": ANALYZER,
            "identifiers": len(idents),
            "findings": len(findings),
            "warnings": len(warnings),
        },
    )
    return {
        "spans": {k: list(v) for k, v in spans.items()},
        "method": method,
        "acts": acts,
        "cues": inferred.cues,
        "verdicts": verdicts,
        "identifiers": len(idents),
        "findings": len(findings),
        "advice": advice,
        "warnings": warnings,
    }


def statements_for(session: Session, numbers: list[str]) -> list[Statement]:
    """Statements by number (all when none given); every unknown number is named in one error."""
    from sqlalchemy import select

    query = select(Statement).order_by(Statement.id)
    if numbers:
        query = query.where(Statement.number.in_(numbers))
    rows = list(session.scalars(query))
    missing = sorted(set(numbers) - {r.number for r in rows})
    if missing:
        raise NotFoundError(", ".join(missing), key="web.err.no_statement")
    return rows


def reanalyse_statement(session: Session, statement: Statement, actor: str) -> dict[str, Any]:
    """Analyse a filed statement again from its stored document (e.g. once a new analyzer is installed)."""
    from sqlalchemy import select

    from tergeu import evidence
    from tergeu.errors import NotFoundError

    case = session.get(Case, statement.case_id)
    doc = session.scalar(
        select(EvidenceItem)
        .where(EvidenceItem.case_id == statement.case_id, EvidenceItem.name == f"{statement.number}.txt")
        .order_by(EvidenceItem.id)
        .limit(1)
    )
    spans = statement.analysis.get("spans")
    if case is None or doc is None or not spans:
        raise NotFoundError(statement.number, key="web.err.no_statement")
    text = evidence.stored_path(doc).read_text(encoding="utf-8")
    statement.analysis = analyse_statement(
        session,
        case,
        statement,
        text,
        {k: (int(v[0]), int(v[1])) for k, v in spans.items()},
        doc,
        actor=actor,
    )
    return statement.analysis


def _guess_kind(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value)
    if re.fullmatch(r"[A-Za-z]{2}\d{2}[A-Za-z0-9]{10,30}", compact):
        return "iban"
    if re.fullmatch(r"\d{13,19}", compact) and _luhn(compact):
        return "card"
    if re.fullmatch(r"\+?\d{10,12}", compact):
        return "phone"
    return "other"


def advice_keys(channel: str, method: str, acts: list[str], money: bool, schemes: set[Any]) -> list[str]:
    """Practical steps for the victim, as i18n keys, most urgent first."""
    keys = []
    if money or "theft_by_deception" in acts or "taking_information" in acts:
        keys.append("web.advice.block_card")
    if "remote_access" in schemes or method == "malware":
        keys.append("web.advice.remote")
    if channel in ("whatsapp", "telegram") or "access" in acts:
        keys.append("web.advice.account")
    keys.append("web.advice.no_codes")
    keys.append("web.advice.keep")
    return keys
