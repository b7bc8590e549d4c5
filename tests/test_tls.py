"""HTTPS and WSS end to end: a server with a certificate made by the test, and the clients that
trust its CA only when told to (``--ca-file`` / ``GODMODE_CA_FILE``)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.errors import TlsFailure
from godmode_desktop.net.feed import FeedConfig
from godmode_desktop.net.status import ConnectionState
from godmode_desktop.net.tls import BadCaFile, client_tls
from godmode_server.settings import ConfigError, Settings
from tests.helpers.bodies import sample_json
from tests.helpers.feed import running
from tests.helpers.recorder import Recorder
from tests.helpers.servers import ServerFactory, ServerProcess

LINE_TIMEOUT = 15.0


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, and a server certificate it signed for 127.0.0.1 and localhost (openssl)."""
    d = tmp_path_factory.mktemp("tls")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    openssl(
        *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
        *("-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=God Mode test CA"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    openssl(
        *("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key"),
        *("-out", "server.csr", "-subj", "/CN=127.0.0.1"),
    )
    (d / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
    )
    openssl(
        *("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"),
    )
    return {"ca": d / "ca.pem", "cert": d / "server.pem", "key": d / "server.key"}


@pytest.fixture
def tls_server(make_server: ServerFactory, certificates: dict[str, Path]) -> ServerProcess:
    return make_server(
        GODMODE_TLS_CERTFILE=str(certificates["cert"]),
        GODMODE_TLS_KEYFILE=str(certificates["key"]),
        GODMODE_TEST_CA_FILE=str(certificates["ca"]),
    )


def test_the_server_speaks_https_only_to_clients_that_trust_its_ca(
    tls_server: ServerProcess, certificates: dict[str, Path]
) -> None:
    assert tls_server.url.startswith("https://")
    trusted = httpx.get(tls_server.url + "/healthz", verify=client_tls(str(certificates["ca"])))
    assert trusted.status_code == 200
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(tls_server.url + "/healthz")  # the system CAs alone do not know it
    with pytest.raises(httpx.HTTPError):
        httpx.get(tls_server.url.replace("https://", "http://") + "/healthz")


async def test_the_api_client_says_tls_failed_without_the_ca(tls_server: ServerProcess) -> None:
    assert "GODMODE_CA_FILE" not in os.environ
    async with ApiClient(tls_server.url, tls=client_tls(None)) as api:
        with pytest.raises(TlsFailure):
            await api.login("demo", "demo")


async def test_watch_follows_a_tls_server_over_wss_with_the_ca_file(
    tls_server: ServerProcess, certificates: dict[str, Path]
) -> None:
    env = dict(os.environ, GODMODE_PASSWORD="demo")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "godmode_desktop", "--ca-file", str(certificates["ca"])),
        *("watch", "--server", tls_server.url, "--user", "demo", "--json"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:

        async def next_event(event_type: str) -> dict[str, object]:
            while True:
                line = await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT)  # type: ignore[union-attr]
                assert line, f"watch ended before {event_type}: {await proc.stderr.read()!r}"  # type: ignore[union-attr]
                event = json.loads(line)
                if event["event_type"] == event_type:
                    return event

        await next_event("SNAPSHOT")
        live = await next_event("STATE")
        assert live["state"] == "LIVE"
        async with httpx.AsyncClient(verify=client_tls(str(certificates["ca"]))) as http:
            answer = await http.post(
                tls_server.url + "/api/tracking/telemetry",
                json=sample_json("tls_room", tokens_count=77),
            )
        assert answer.status_code == 200
        update = await next_event("TELEMETRY_UPDATE")
        assert update["room_id"] == "tls_room"
    finally:
        proc.terminate()
        await proc.wait()


def test_certificate_and_key_go_together(tmp_path: Path) -> None:
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    with pytest.raises(ConfigError, match="set both or neither"):
        Settings(dev=True, tls_certfile=cert).resolved()
    with pytest.raises(ConfigError, match="GODMODE_TLS_KEYFILE: no file"):
        Settings(dev=True, tls_certfile=cert, tls_keyfile=tmp_path / "missing.pem").resolved()


@pytest.fixture
def system_store(
    certificates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The studio CA installed as IT installs one on Linux: a hashed certificate folder that
    OpenSSL is pointed at (/etc/ssl/certs on Debian; here SSL_CERT_DIR)."""
    store = tmp_path / "certs"
    store.mkdir()
    shutil.copy(certificates["ca"], store / "studio-ca.pem")
    subprocess.run(["openssl", "rehash", str(store)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_DIR", str(store))
    return store


@pytest.mark.usefixtures("system_store")
async def test_a_ca_installed_in_the_system_store_is_trusted_over_https_and_wss(
    tls_server: ServerProcess,
) -> None:
    """No --ca-file, no setting: the system's store alone."""
    assert "GODMODE_CA_FILE" not in os.environ

    async with ApiClient(tls_server.url, tls=client_tls(None)) as api:
        api.token = (await api.login("demo", "demo")).access_token
        recorder = Recorder()
        async with running(tls_server.url, api.token, recorder, FeedConfig(poll_after=60)):
            await recorder.wait_for(lambda: recorder.state is ConnectionState.LIVE)


def test_a_ca_file_that_holds_no_certificate_is_refused_clearly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(BadCaFile, match=r"junk\.pem: not a readable PEM certificate"):
        client_tls(str(junk))
    with pytest.raises(BadCaFile, match=r"missing\.pem"):
        client_tls(str(tmp_path / "missing.pem"))
