"""Starting the web application on an address it cannot take is a translated error, not uvicorn's."""

from __future__ import annotations

import socket

import pytest

from tergeu.errors import ConfigError
from tergeu.web.app import check_listen


def test_port_in_use_is_named() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ConfigError) as info:
            check_listen("127.0.0.1", port)
    msg = info.value.message("kk")
    assert f"127.0.0.1:{port}" in msg and "TERGEU_WEB_PORT" in msg


def test_unknown_host_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        check_listen("no-such-host.invalid", 8800)
    assert "no-such-host.invalid" in info.value.message()


def test_free_port_passes() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_listen("127.0.0.1", port)
