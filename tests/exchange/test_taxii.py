"""TAXII 2.1 round trip against a medallion server (memory backend) started on loopback."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.exchange.fixtures import DOMAIN, build_case

runner = CliRunner()
COLLECTION = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
PARTNER_COLLECTION = "52892447-4d7e-4f70-b94d-d7f22742ff63"


def _cli(*args: str, code: int = 0) -> str:
    from tergeu.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result.output


def _collection(cid: str, title: str, objects: list[dict[str, object]]) -> dict[str, object]:
    return {
        "id": cid,
        "title": title,
        "description": "",
        "can_read": True,
        "can_write": True,
        "media_types": ["application/stix+json;version=2.1"],
        "objects": objects,
        "manifest": [
            {
                "id": o["id"],
                "date_added": "2025-03-12T10:00:00.000000Z",
                "version": o["modified"],
                "media_type": "application/stix+json;version=2.1",
            }
            for o in objects
        ],
    }


@pytest.fixture
def medallion_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    try:
        from medallion import application_instance, register_blueprints, set_config
        from werkzeug.serving import make_server
    except ImportError as exc:  # the dev extra installs medallion; without it there is no server
        pytest.skip(f"medallion not importable: {exc}")
    import stix2

    partner_ident = stix2.Identity(name="CERT-Partner", identity_class="organization")
    partner_ind = stix2.Indicator(
        pattern=f"[domain-name:value = '{DOMAIN}']", pattern_type="stix", created_by_ref=partner_ident.id
    )
    partner_objs = [json.loads(o.serialize()) for o in (partner_ident, partner_ind)]
    server = make_server("127.0.0.1", 0, application_instance, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    data = {
        "/discovery": {
            "title": "test",
            "description": "loopback medallion",
            "contact": "nobody",
            "default": f"{base}/api1/",
            "api_roots": [f"{base}/api1/"],
        },
        "api1": {
            "information": {
                "title": "api1",
                "description": "",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 10485760,
            },
            "status": [],
            "collections": [
                _collection(COLLECTION, "cases", []),
                _collection(PARTNER_COLLECTION, "partner", partner_objs),
            ],
        },
    }
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": io.StringIO(json.dumps(data)),
            "session_timeout": 30,
            "check_interval": 3600,
        },
        "users": {"analyst": "s3cret"},
        "taxii": {"max_page_size": 100},
    }
    for prop in ("users", "taxii", "backend"):
        set_config(application_instance, prop, config)
    if "objects" not in application_instance.blueprints:
        register_blueprints(application_instance)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TERGEU_TAXII_USER", "analyst")
    monkeypatch.setenv("TERGEU_TAXII_PASSWORD", "s3cret")
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.timeout(120)
def test_push_then_pull_round_trip(tmp_path: Path, medallion_server: str) -> None:
    from sqlalchemy import select

    from tergeu.db import FindingRow, session_scope

    built = build_case(tmp_path)
    out = _cli(
        "taxii", "push", built.number, "--server", f"{medallion_server}/taxii2/", "--collection", COLLECTION
    )
    assert "failure" not in out.lower() or ", 0 " in out
    saved = tmp_path / "pulled.json"
    pulled = _cli(
        "taxii",
        "pull",
        "--server",
        f"{medallion_server}/api1/",
        "--collection",
        COLLECTION,
        "--save",
        str(saved),
    )
    objects = json.loads(saved.read_text(encoding="utf-8"))["objects"]
    ours = {o["id"] for o in json.loads(_export(built.number, tmp_path))["objects"]}
    assert ours == {o["id"] for o in objects}, "every pushed object comes back"
    assert "Objects received" in pulled
    # Our own indicators match our own case; now the partner's feed
    _cli("taxii", "pull", "--server", f"{medallion_server}/taxii2/", "--collection", PARTNER_COLLECTION)
    with session_scope() as s:
        rows = list(
            s.scalars(
                select(FindingRow).where(
                    FindingRow.analyzer == "exchange", FindingRow.method == "taxii-indicator"
                )
            )
        )
    assert any(r.details["value"] == DOMAIN and r.details["producer"] == "CERT-Partner" for r in rows)
    assert "exported" in _cli("custody", "log", built.number)


def _export(number: str, tmp: Path) -> str:
    path = tmp / "ref.json"
    _cli("export", "stix", number, "--out", str(path))
    return path.read_text(encoding="utf-8")


def test_wrong_password_and_dead_server(
    tmp_path: Path, medallion_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_case(tmp_path)
    monkeypatch.setenv("TERGEU_TAXII_PASSWORD", "wrong")
    out = _cli(
        "taxii",
        "push",
        built.number,
        "--server",
        f"{medallion_server}/api1/",
        "--collection",
        COLLECTION,
        code=1,
    )
    assert "TAXII" in out and "Traceback" not in out
    out = _cli("taxii", "pull", "--server", "http://127.0.0.1:9/api1/", "--collection", COLLECTION, code=1)
    assert "127.0.0.1:9" in out
