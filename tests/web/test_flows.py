"""Journeys through the app with FastAPI's TestClient: filing, registering, verifying, the API."""

from __future__ import annotations

import json
import os
import re
import sys
import types
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from tergeu import evidence, results, store
from tergeu.cases import get_case
from tergeu.db import CustodyEntry, EventRow, FindingRow, IdentifierRow, session_scope
from tergeu.records import EvidenceRef, Finding, Identifier
from tergeu.web.app import create_app
from tergeu.web.models import AuditEntry, Statement, User
from tests.web.conftest import PASSWORD, World, csrf_of, login
from tests.web.helpers import KK_FORM, png


def _submit(
    client: TestClient, form: dict[str, Any], files: list[tuple[str, bytes]] = (), lang: str = "kk"
) -> Any:
    page = client.get(f"/statement?lang={lang}")
    data = {**form, "csrf": csrf_of(page.text)}
    upload = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return client.post("/statement", data=data, files=upload or None, follow_redirects=False)


def _count(model: Any) -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_victim_files_a_kazakh_statement_with_a_screenshot(client: TestClient) -> None:
    page = client.get("/statement?lang=kk")
    assert 'lang="kk"' in page.text and "Киберқылмыс туралы арыз" in page.text
    r = _submit(client, KK_FORM, [("скриншот.png", png())])
    assert r.status_code == 303 and r.headers["location"] == "/statement/done"
    done = client.get("/statement/done")
    number = re.search(r'id="statement-number">(ST-\d{4}-\d{6})<', done.text).group(1)  # type: ignore[union-attr]
    token = re.search(r'href="/track/([\w-]+)"', done.text).group(1)  # type: ignore[union-attr]
    assert "Арызыңыз қабылданды" in done.text and "картаның артқы жағындағы ресми нөмір" in done.text
    track = client.get(f"/track/{token}")
    assert number in track.text and "шешім күтуде" in track.text
    assert client.get(f"/api/v1/track/{token}").json()["number"] == number
    assert client.get("/track/not-a-token").status_code == 404
    with session_scope() as s:
        st = s.scalar(select(Statement).where(Statement.number == number))
        assert st is not None and st.token_hash != token and st.lang == "kk"
        case = get_case(s, st.case_id)
        names = sorted(e.name for e in case.evidence)
        assert names == sorted([f"{number}.txt", "скриншот.png"])
        entries = list(s.scalars(select(CustodyEntry).where(CustodyEntry.case_id == case.id)))
        actions = [e.action for e in entries]
        # One signed entry covers the statement text and the screenshot.
        assert actions == ["opened", "acquired", "analysed"]
        assert sorted(entries[1].evidence_ids) == sorted(e.id for e in case.evidence)
        notes = {e.name: e.note for e in case.evidence}
        assert "скриншот.png" in notes["скриншот.png"] and notes[f"{number}.txt"].startswith("statement text")
        doc = next(e for e in case.evidence if e.name.endswith(".txt"))
        stored = evidence.stored_path(doc).read_text(encoding="utf-8")
        assert KK_FORM["description"] in stored
        idents = {(i.type, i.normalized): i for i in s.scalars(select(IdentifierRow))}
        phone = idents[("phone", "+77051234567")]
        assert phone.evidence_id == doc.id
        assert stored.encode()[phone.offset :].startswith(b"+7 705 123 45 67")
        assert ("card", "4400430123456789") in idents
        assert case.loss_kzt == 185000 and case.status == "statement" and case.method == "social_engineering"


def test_invalid_statement_is_returned_with_reasons_and_nothing_stored(client: TestClient) -> None:
    bad = {**KK_FORM, "victim_iin": "900101400009", "confirm_truth": ""}
    r = _submit(client, bad, lang="ru")
    assert r.status_code == 422
    assert "ИИН недействителен" in r.text and "Подтвердите" in r.text
    assert KK_FORM["victim_name"] in r.text  # the victim does not retype everything
    assert _count(Statement) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"MZ\x90\x00 this is a windows executable"),
        ("tool.exe", b"MZ\x90\x00"),
        ("scan.pdf", png()),
        ("empty.txt", b""),
    ],
)
def test_uploads_are_sniffed_by_content(client: TestClient, name: str, content: bytes) -> None:
    r = _submit(client, KK_FORM, [(name, content)], lang="en")
    assert r.status_code == 422 and name in r.text
    assert _count(Statement) == 0


def test_upload_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_UPLOAD_MAX_MIB", "1")
    with TestClient(create_app()) as client:
        r = _submit(client, KK_FORM, [("big.png", png(pad=1_200_000))], lang="en")
        assert r.status_code == 422 and "larger than 1 MiB" in r.text
        r = _submit(client, KK_FORM, [("ok.png", png(pad=100_000))], lang="en")
        assert r.status_code == 303


def test_csrf_is_required_on_forms(client: TestClient) -> None:
    client.get("/statement")
    r = client.post("/statement", data={**KK_FORM, "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403 and _count(Statement) == 0
    r = client.post("/login", data={"username": "x", "password": "y"}, follow_redirects=False)
    assert r.status_code == 403


def test_portal_is_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_WEB_RATE_PER_MIN", "2")
    with TestClient(create_app()) as client:
        assert [_submit(client, KK_FORM).status_code for _ in range(3)] == [303, 303, 429]
        assert _count(Statement) == 2


def test_output_is_escaped(client: TestClient, world: World) -> None:
    form = {**KK_FORM, "description": 'Hello <script>alert("x")</script> <img src=x onerror=alert(1)>'}
    assert _submit(client, form).status_code == 303
    login(client, "investigator")
    with session_scope() as s:
        st = s.scalars(select(Statement).order_by(Statement.id.desc())).first()
        assert st is not None
        sid = st.id
    page = client.get(f"/work/statements/{sid}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page and "<img src=x" not in page
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"


def test_investigator_registers_verifies_and_works_the_case(client: TestClient, world: World) -> None:
    login(client, "investigator")
    queue = client.get("/work?lang=en").text
    assert f"/work/statements/{world.statement_id}" in queue
    detail = client.get(f"/work/statements/{world.statement_id}").text
    assert "art. 190 part 2 item 4" in detail and 'value="190-2-4"' in detail
    r = client.post(
        f"/work/statements/{world.statement_id}/register",
        data={
            "csrf": csrf_of(detail),
            "erdr_number": "261234567890",
            "articles": ["190", "208"],
            "articles_text": "190-2-4",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/work/cases/{world.case_number}"
    page = client.get(r.headers["location"]).text
    assert "261234567890" in page and "190-2-4, 208" in page and "Case TG-" in page
    r = client.post(f"/work/cases/{world.case_number}/verify", data={"csrf": csrf_of(page)})
    assert "Verified:" in r.text
    with session_scope() as s:
        case = get_case(s, world.case_number)
        last = s.scalars(
            select(CustodyEntry).where(CustodyEntry.case_id == case.id).order_by(CustodyEntry.seq.desc())
        ).first()
        assert last is not None and last.action == "verified" and last.actor == "investigator"
        victim_doc = store.object_path(case.evidence[0].sha256)
    os.chmod(victim_doc, 0o644)
    victim_doc.write_bytes(victim_doc.read_bytes() + b"tampered")
    r = client.post(f"/work/cases/{world.case_number}/verify", data={"csrf": csrf_of(page)})
    assert "Verification FAILED" in r.text and "SHA256 expected" in r.text
    client.post(
        f"/work/cases/{world.case_number}/notes", data={"csrf": csrf_of(page), "text": "Called the bank"}
    )
    client.post(
        f"/work/cases/{world.case_number}/tasks",
        data={"csrf": csrf_of(page), "title": "Request call records", "due": "2026-12-01"},
    )
    r = client.post(
        f"/work/cases/{world.case_number}/status", data={"csrf": csrf_of(page), "status": "investigation"}
    )
    page = r.text
    assert "Called the bank" in page and "Request call records" in page and "under investigation" in page
    r = client.post(
        f"/work/cases/{world.case_number}/status", data={"csrf": csrf_of(page), "status": "statement"}
    )
    assert r.status_code == 400 and "cannot change" in r.text
    with session_scope() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.actor == "investigator"))]
    for expected in (
        "login",
        "view_statement",
        "case_registered",
        "custody_verified",
        "note_added",
        "task_added",
        "status_changed",
    ):
        assert expected in actions


def test_findings_and_events_of_any_analyzer_appear_without_page_changes(
    client: TestClient, world: World
) -> None:
    with session_scope() as s:
        case = get_case(s, world.case_number)
        item = case.evidence[0]
        ref = EvidenceRef(path=item.name, evidence_id=item.id, offset=1234, record="flow-7")
        results.save_findings(
            s,
            case,
            [
                Finding(
                    kind="port_scan",
                    analyzer="net.flows",
                    method="rules",
                    summary="SYN scan of 1000 ports",
                    score=0.97,
                    src="203.0.113.9",
                    dst="10.0.0.5",
                    details={"ports": 1000, "note": "<b>not markup</b>"},
                    refs=[ref],
                ),
                Finding(
                    kind="clock_rollback",
                    analyzer="timeline.tamper",
                    method="monotonic",
                    summary="clock set back 3 h",
                    refs=[ref],
                ),
            ],
        )
        # Event rows written directly, as any analyzer's rows would look in the table.
        for m, src in ((1, "auth.log"), (2, "evtx"), (3, "auth.log")):
            s.add(
                EventRow(
                    case_id=case.id,
                    evidence_id=item.id,
                    ts=datetime(2026, 11, 20, 14, m, tzinfo=UTC),
                    source=src,
                    event_type="login",
                    message=f"event {m}",
                    offset=1234,
                    record="flow-7",
                )
            )
        results.save_identifiers(
            s,
            case,
            [
                Identifier(
                    type="ipv4",
                    value="203.0.113.9",
                    normalized="203.0.113.9",
                    ref=ref,
                    attrs={"country": "ZZ", "holder": "documentation range (RFC 5737)"},
                )
            ],
        )
    login(client, "analyst")
    page = client.get(f"/work/cases/{world.case_number}").text
    for text_ in (
        "net.flows",
        "port_scan",
        "SYN scan of 1000 ports",
        "timeline.tamper",
        "clock_rollback",
        f"/evidence/{item.id}?offset=1234",
        "[flow-7]",
        "auth.log: 2",
        '"ports": 1000',
        "holder: documentation range (RFC 5737)",
    ):
        assert text_ in page, text_
    tl = client.get(f"/work/cases/{world.case_number}/timeline?source=auth.log").text
    assert "event 1" in tl and "event 3" in tl and "event 2" not in tl
    api = client.get(f"/api/v1/cases/{world.case_number}/events?source=evtx").json()
    assert api["total"] == 1 and api["events"][0]["message"] == "event 2"
    assert "<b>not markup</b>" not in page
    ev = client.get(f"/work/cases/{world.case_number}/evidence/{item.id}?offset=0").text
    assert "SYN scan" in ev and "Statement ST-" in ev


def test_cases_sharing_an_identifier_are_linked(client: TestClient, world: World) -> None:
    login(client, "investigator")
    _submit(client, {**KK_FORM, "victim_name": "Бекзат Оспанов"})
    with session_scope() as s:
        newest = s.scalars(select(Statement).order_by(Statement.id.desc())).first()
        assert newest is not None
        other = get_case(s, newest.case_id).number
    page = client.get(f"/work/cases/{world.case_number}?lang=en").text
    linked = page.split('id="linked-cases"')[1].split("</ul>")[0]
    assert other in linked and "+77051234567" in linked
    # the Astana case shares the phone too, but is another unit's: counted, not shown
    assert world.other_case_number not in linked and "1 more case(s)" in page
    api = client.get(f"/api/v1/cases/{world.case_number}").json()
    assert [c["number"] for c in api["linked_cases"]] == [other] and api["linked_elsewhere"] == 1


def test_other_areas_analysis_is_used_when_installed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def classify_text(text_: str) -> Any:
        calls.append(text_)
        fraud = "код" in text_.lower()
        return types.SimpleNamespace(
            verdict="fraud" if fraud else "legit",
            score=0.93 if fraud else 0.1,
            scheme="otp_request" if fraud else None,
            lang="kk",
            cues=[{"text": "asks for the SMS code", "span": [0, 3]}] if fraud else [],
        )

    def extract_identifiers(text_: str, ref: EvidenceRef) -> list[Identifier]:
        i = text_.index("KZ86")
        return [
            Identifier(
                type="iban",
                value="KZ86125KZT5004100100",
                normalized="KZ86125KZT5004100100",
                ref=ref,
                span=(i, i + 20),
            )
        ]

    for name, attr, fn in (
        ("tergeu.messages.classify", "classify_text", classify_text),
        ("tergeu.iocs.extract", "extract_identifiers", extract_identifiers),
    ):
        mod = types.ModuleType(name)
        setattr(mod, attr, fn)
        monkeypatch.setitem(sys.modules, name, mod)
    form = {
        **KK_FORM,
        "messages": "Сәлем!\n\nКодты жіберіңіз, әйтпесе карта бұғатталады. Шот KZ86125KZT5004100100",
    }
    assert _submit(client, form).status_code == 303
    with session_scope() as s:
        st = s.scalars(select(Statement)).one()
        assert st.analysis["warnings"] == []
        assert {v["unit"] for v in st.analysis["verdicts"]} == {"description", "conversation", "message"}
        findings = list(s.scalars(select(FindingRow)))
        assert findings and all(f.kind == "fraud_script" and f.evidence_id for f in findings)
        doc = evidence.stored_path(get_case(s, st.case_id).evidence[0]).read_bytes()
        for f in findings:
            start = f.refs[0]["offset"]
            assert doc[start:].decode("utf-8", errors="ignore").strip()
        iban = s.scalars(select(IdentifierRow).where(IdentifierRow.type == "iban")).one()
        assert doc[iban.offset :].startswith(b"KZ86125KZT5004100100")
    assert calls


def test_audit_log_is_append_only(client: TestClient, world: World) -> None:
    login(client, "admin")
    client.get(f"/work/cases/{world.case_number}")
    with session_scope() as s:
        row = s.scalars(select(AuditEntry).where(AuditEntry.action == "view_case")).first()
        assert row is not None and row.ip == "testclient" and row.actor == "admin" and row.role == "admin"
        row.action = "nothing"
        with pytest.raises(PermissionError):
            s.flush()
        s.rollback()
    for sql in ("UPDATE web_audit SET actor='x'", "DELETE FROM web_audit"):
        with pytest.raises(Exception, match="append-only"), session_scope() as s:
            s.execute(text(sql))
    page = client.get("/work/audit").text
    assert "view_case" in page and "login" in page


def test_failed_login_is_audited_and_sessions_are_hardened(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client.get("/login")
    r = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": "admin", "password": "nope-nope-nope"}
    )
    assert r.status_code == 401
    with session_scope() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).first() is not None
        user = s.scalars(select(User).where(User.username == "admin")).one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    with TestClient(create_app()) as fresh:
        cookie = fresh.get("/").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    monkeypatch.setenv("TERGEU_WEB_HTTPS", "1")
    with TestClient(create_app(), base_url="https://testserver") as secure:
        assert "secure" in secure.get("/").headers["set-cookie"].lower()


def test_json_api_journey(client: TestClient, world: World) -> None:
    data = json.loads(json.dumps({k: v for k, v in KK_FORM.items() if not isinstance(v, list)}))
    data.update(
        confirm_truth=True,
        lang="en",
        suspects=[{"type": "phone", "value": "+77051234567"}],
        transactions=[{"amount_kzt": 5000, "recipient": "+77051234567"}],
    )
    data.pop("happened_at")
    r = client.post(
        "/api/v1/statements",
        data={"statement": json.dumps(data)},
        files=[("files", ("chat.txt", "Кодты айтыңыз".encode(), "text/plain"))],
    )
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["number"].startswith("ST-") and any(s["code"] == "190-2-4" for s in filed["suggestions"])
    assert any("official number" in a for a in filed["advice"])
    r = client.post("/api/v1/statements", data={"statement": json.dumps({**data, "victim_iin": "123"})})
    assert r.status_code == 422
    r = client.post("/api/v1/session", json={"username": "investigator", "password": PASSWORD})
    assert r.status_code == 200
    token = r.json()["csrf_token"]
    queue = client.get("/api/v1/statements").json()
    sid = next(q["id"] for q in queue if q["number"] == filed["number"])
    assert client.post(f"/api/v1/statements/{sid}/register", json={"erdr_number": "1"}).status_code == 403
    r = client.post(
        f"/api/v1/statements/{sid}/register",
        json={"erdr_number": "1", "articles": ["190-2-4"]},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200 and r.json()["status"] == "registered"
    case = r.json()["number"]
    detail = client.get(f"/api/v1/cases/{case}").json()
    assert [e["name"] for e in detail["evidence"]][1] == "chat.txt"
    assert all("4400" not in i["value"] or "**" in i["value"] for i in detail["identifiers"])
    r = client.post(f"/api/v1/cases/{case}/verify", headers={"X-CSRF-Token": token})
    assert r.json()["ok"] is True
    r = client.post(
        "/api/v1/qualify", json={"text": "they installed AnyDesk and took 200 000 tenge", "lang": "ru"}
    )
    assert r.status_code == 200 and r.json()["method"] == "malware"
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/v1/cases").status_code == 401


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_offers_the_language_switch(client: TestClient, world: World, lang: str) -> None:
    login(client, "admin")
    urls = [
        "/",
        "/statement",
        "/login",
        "/work",
        f"/work/statements/{world.statement_id}",
        f"/work/cases/{world.case_number}",
        f"/work/cases/{world.case_number}/timeline",
        "/work/qualify",
        "/work/audit",
        "/work/users",
        f"/track/{world.token}",
    ]
    kazakh = set("әғқңөұүһі")
    for url in urls:
        page = client.get(f"{url}?lang={lang}")
        assert page.status_code == 200, url
        assert f'<html lang="{lang}">' in page.text, url
        for other in ("kk", "ru", "en"):
            assert f'id="lang-{other}"' in page.text, url
        if lang == "kk":
            assert kazakh & set(page.text), url


def test_users_cli_and_serve_are_registered(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tergeu.cli import app

    runner = CliRunner()
    r = runner.invoke(
        app,
        ["users", "add", "inv1", "--role", "investigator", "--unit", "K", "--password", "long-password-1"],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "inv2", "--role", "sheriff", "--password", "long-password-1"])
    assert r.exit_code != 0 and "Unknown role" in r.output
    r = runner.invoke(app, ["users", "add", "inv3", "--password", "short"])
    assert r.exit_code != 0 and "at least 10" in r.output
    assert "inv1" in runner.invoke(app, ["users", "list"]).output
    assert "serve" in runner.invoke(app, ["--help"]).output


def test_streamed_body_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERGEU_UPLOAD_MAX_MIB", "1")
    monkeypatch.setenv("TERGEU_WEB_MAX_FILES", "1")
    with TestClient(create_app()) as client:
        client.get("/statement")

        def chunks() -> Any:
            for _ in range(80):
                yield b"x" * 100_000

        r = client.post(
            "/statement", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
        )
        assert r.status_code == 413
        big = client.post("/statement", content=b"x" * (6 * 2**20))
        assert big.status_code == 413


def test_password_change_ends_other_sessions(client: TestClient, world: World) -> None:
    from tergeu.web.accounts import set_password

    login(client, "analyst")
    assert client.get("/work").status_code == 200
    with session_scope() as s:
        set_password(s, "analyst", "another long password")
    assert client.get("/work", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("lang", "received", "registered", "verified"),
    [
        ("kk", "Арызыңыз қабылданды", "СДТБТ-да тіркелді", "Тексерілді"),
        ("ru", "Ваше заявление принято", "зарегистрировано в ЕРДР", "Проверено"),
        ("en", "Your statement has been received", "registered in the ERDR", "Verified"),
    ],
)
def test_both_journeys_in_each_language(
    client: TestClient, world: World, lang: str, received: str, registered: str, verified: str
) -> None:
    assert (
        _submit(
            client, KK_FORM, [("receipt.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")], lang=lang
        ).status_code
        == 303
    )
    done = client.get("/statement/done").text
    assert received in done and f'<html lang="{lang}">' in done
    number = re.search(r'id="statement-number">(ST-\d{4}-\d{6})<', done).group(1)  # type: ignore[union-attr]
    login(client, "investigator")
    queue = client.get("/work").text
    sid = re.search(rf'/work/statements/(\d+)">{number}<', queue).group(1)  # type: ignore[union-attr]
    detail = client.get(f"/work/statements/{sid}").text
    r = client.post(
        f"/work/statements/{sid}/register",
        data={"csrf": csrf_of(detail), "erdr_number": "2617", "articles": ["190"]},
    )
    assert r.status_code == 200 and registered in r.text
    r = client.post(r.url.path + "/verify", data={"csrf": csrf_of(r.text)})
    assert verified in r.text


def test_officer_adds_evidence_from_the_case_page(client: TestClient, world: World) -> None:
    login(client, "analyst")
    page = client.get(f"/work/cases/{world.case_number}?lang=en").text
    capture = b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16) + b"\x01\x00\x00\x00"  # a pcap header
    r = client.post(
        f"/work/cases/{world.case_number}/evidence",
        data={"csrf": csrf_of(page), "source": "router of the victim", "note": "seized 2026-11-21"},
        files=[("files", ("router.pcap", capture, "application/octet-stream"))],
    )
    assert r.status_code == 200 and "1 item(s) added" in r.text and "router.pcap" in r.text
    with session_scope() as s:
        case = get_case(s, world.case_number)
        item = case.evidence[-1]
        assert (
            item.name == "router.pcap"
            and item.acquired_by == "analyst"
            and item.source == "router of the victim"
        )
        last = s.scalars(
            select(CustodyEntry).where(CustodyEntry.case_id == case.id).order_by(CustodyEntry.seq.desc())
        ).first()
        assert (
            last is not None
            and last.action == "acquired"
            and last.actor == "analyst"
            and item.id in last.evidence_ids
        )
    login(client, "viewer")
    page = client.get(f"/work/cases/{world.case_number}").text
    assert 'id="evidence-form"' not in page


def test_statements_can_be_reanalysed_when_an_analyzer_arrives(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from tergeu.cli import app

    with session_scope() as s:
        st = s.get(Statement, world.statement_id)
        assert st is not None  # analysed on filing by whatever analyzers were installed then
        spans_before = st.analysis["spans"]

    def classify_text(text_: str) -> Any:
        return types.SimpleNamespace(verdict="fraud", score=0.8, scheme="bank_security", lang="kk", cues=[])

    mod = types.ModuleType("tergeu.messages.classify")
    mod.classify_text = classify_text  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tergeu.messages.classify", mod)
    with session_scope() as s:
        before = s.scalar(
            select(func.count())
            .select_from(IdentifierRow)
            .where(IdentifierRow.case_id == get_case(s, world.case_number).id)
        )
    for _ in range(2):  # idempotent: the second run replaces the first
        r = CliRunner().invoke(app, ["statements", "reanalyse", "--by", "Lt. A. Seitkali"])
        assert r.exit_code == 0, r.output
    with session_scope() as s:
        case = get_case(s, world.case_number)
        st = s.get(Statement, world.statement_id)
        assert st is not None and st.analysis["spans"] == spans_before
        found = list(s.scalars(select(FindingRow).where(FindingRow.case_id == case.id)))
        assert len(found) == st.analysis["findings"] >= 2 and {f.kind for f in found} == {"fraud_script"}
        assert (
            s.scalar(select(func.count()).select_from(IdentifierRow).where(IdentifierRow.case_id == case.id))
            == before
        )
        actors = [
            e.actor
            for e in s.scalars(
                select(CustodyEntry).where(CustodyEntry.case_id == case.id, CustodyEntry.action == "analysed")
            )
        ]
        assert actors[-1] == "Lt. A. Seitkali"


def test_victims_wall_clock_times_are_taken_in_the_display_zone(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERGEU_DISPLAY_TZ", "Asia/Almaty")
    assert _submit(client, KK_FORM).status_code == 303
    with session_scope() as s:
        st = s.scalars(select(Statement)).one()
        assert st.happened_at == datetime(2026, 11, 20, 9, 5, tzinfo=UTC)  # 14:05 in Almaty (UTC+5)
        assert st.transactions[0]["time"].startswith("2026-11-20T09:20")
        doc = evidence.stored_path(get_case(s, st.case_id).evidence[0]).read_text(encoding="utf-8")
        assert "When: 2026-11-20T09:05:00+00:00" in doc
