"""TAXII 2.1 push and pull with taxii2-client: sharing a case's STIX bundle through a partner's server.

``--server`` may be the discovery URL (``.../taxii2/``, the default API root is used) or an API root.
Credentials come from TERGEU_TAXII_USER / TERGEU_TAXII_PASSWORD so passwords never sit in shell
history. Pulled objects go through the same matching as a STIX file import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tergeu import settings
from tergeu.errors import InputError, TergeuError


@dataclass
class PushResult:
    status: str
    total: int
    success: int
    failure: int
    pending: int


def _auth(user: str | None, password: str | None) -> dict[str, Any]:
    u = user or settings.get("taxii_user") or None
    p = password or settings.get("taxii_password") or None
    return {"user": u, "password": p} if u else {}


def collection(server: str, collection_id: str, user: str | None = None, password: str | None = None) -> Any:
    """The TAXII collection object, found from a discovery URL or an API root URL."""
    from taxii2client.exceptions import TAXIIServiceException
    from taxii2client.v21 import ApiRoot, Collection, Server

    auth = _auth(user, password)
    url = server.rstrip("/") + "/"
    try:
        if url.endswith("/taxii2/"):
            srv = Server(url, **auth)
            root = srv.default or (srv.api_roots[0] if srv.api_roots else None)
            if root is None:
                raise TergeuError(f"TAXII server {server} lists no API root")
            url = root.url
        for coll in ApiRoot(url, **auth).collections:
            if coll.id == collection_id:
                return coll
    except (TAXIIServiceException, OSError) as exc:
        raise TergeuError(f"TAXII server {server}: {exc}", key="exchange.taxii_error") from exc
    except Exception as exc:  # requests raises its own hierarchy (HTTPError, ConnectionError)
        raise TergeuError(
            f"TAXII server {server}: {type(exc).__name__}: {exc}", key="exchange.taxii_error"
        ) from exc
    return Collection(f"{url}collections/{collection_id}/", **auth)


def push(coll: Any, bundle_json: str) -> PushResult:
    """POST a bundle's objects as one envelope and wait for the server's status."""
    data = json.loads(bundle_json)
    envelope = {"objects": data.get("objects", [])}
    if not envelope["objects"]:
        raise InputError("bundle holds no objects to push")
    try:
        status = coll.add_objects(json.dumps(envelope), wait_for_completion=True, poll_interval=1, timeout=60)
    except Exception as exc:  # taxii2-client and requests both raise here
        raise TergeuError(
            f"TAXII push to {coll.url}: {type(exc).__name__}: {exc}", key="exchange.taxii_error"
        ) from exc
    return PushResult(
        str(status.status),
        int(status.total_count),
        int(status.success_count),
        int(status.failure_count),
        int(status.pending_count),
    )


def pull(coll: Any, added_after: str | None = None, per_request: int = 100) -> list[dict[str, Any]]:
    """Every object of the collection, page by page (the server decides the page size)."""
    from taxii2client.v21 import as_pages

    kwargs: dict[str, Any] = {"added_after": added_after} if added_after else {}
    objects: list[dict[str, Any]] = []
    try:
        for envelope in as_pages(coll.get_objects, per_request=per_request, **kwargs):
            objects.extend(envelope.get("objects", []))
    except Exception as exc:  # taxii2-client and requests both raise here
        raise TergeuError(
            f"TAXII pull from {coll.url}: {type(exc).__name__}: {exc}", key="exchange.taxii_error"
        ) from exc
    return objects
