"""Shared test set-up: no test may reach the network, and plots never open windows."""

from __future__ import annotations

import ipaddress
import socket

import matplotlib
import pytest

matplotlib.use("Agg")  # the unit tests only (notebooks run in their own kernels, untouched)


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # a Unix socket path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test whose code opens a connection to another machine: nothing downloads at run time."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        if not _is_local(address):
            raise RuntimeError(f"a test tried to reach the network ({address!r}); the course runs offline")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", _refuse_remote(socket.create_connection))
    yield


def _refuse_remote(create_connection):
    def guarded(address, *args, **kwargs):
        if not _is_local(address):
            raise RuntimeError(f"a test tried to reach the network ({address!r}); the course runs offline")
        return create_connection(address, *args, **kwargs)

    return guarded


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
