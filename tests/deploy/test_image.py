"""deploy/Containerfile, built by `make image` with podman and run as the image says.

Registries of container images are not reachable here, so the image is built on a base made
with debootstrap from Debian's packages (the Containerfile's BASE argument; by default it is
the official slim Python image, which was not tested).  Containers cannot be run here (crun may
not set rlimits), so the image's entry point runs in the image's own file system under chroot,
as the image's user, with the image's environment: what was tested is the file system, the
user, the environment, the entry point and the metadata, not podman's runtime isolation.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from godmode_common.launcher import free_port
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event
from tests.helpers.source_tree import building_in_the_checkout
from tests.helpers.waiting import wait_until

REPO = Path(__file__).resolve().parents[2]
BASE = "localhost/godmode-base:bookworm"
TAG = "localhost/godmode-server:test"
MIRROR = "http://deb.debian.org/debian"

pytestmark = pytest.mark.slow


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def make_base(workdir: Path) -> None:
    """A Debian base image with python3 and venv, unless one is there from an earlier run."""
    if subprocess.run(["podman", "image", "exists", BASE], check=False).returncode == 0:
        return
    root = workdir / "rootfs"
    run(
        "debootstrap",
        "--variant=minbase",
        "--include=python3,python3-venv",
        "bookworm",
        str(root),
        MIRROR,
    )
    # The pipe is closed with the Popen (its context); a tar that failed is the failure.
    with subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE) as tar:
        run("podman", "import", "-", BASE, stdin=tar.stdout)
    assert tar.returncode == 0, f"tar of the base's root folder ended with {tar.returncode}"
    shutil.rmtree(root, ignore_errors=True)


@dataclass
class Image:
    inspected: dict[str, Any]
    rootfs: Path

    @property
    def config(self) -> dict[str, Any]:
        config: dict[str, Any] = self.inspected["Config"]
        return config


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    for tool in ("podman", "debootstrap"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed (make test installs it)")
    make_base(tmp_path_factory.mktemp("base"))
    with building_in_the_checkout():
        run("make", "-C", str(REPO), "image", f"IMAGE_BASE={BASE}", f"IMAGE_TAG={TAG}")
    [inspected] = json.loads(run("podman", "image", "inspect", TAG).stdout)
    name = "godmode-test-" + secrets.token_hex(4)
    run("podman", "create", "--name", name, TAG)
    try:
        rootfs = Path(run("podman", "mount", name).stdout.strip())
        yield Image(inspected, rootfs)
    finally:
        subprocess.run(["podman", "umount", name], capture_output=True, check=False)
        subprocess.run(["podman", "rm", "-f", name], capture_output=True, check=False)
        subprocess.run(["podman", "rmi", "-f", TAG], capture_output=True, check=False)


def test_the_image_says_how_it_runs(image: Image) -> None:
    config = image.config
    assert config["User"] == "godmode"
    assert config["Entrypoint"] == ["godmode-server"]
    assert config["Cmd"] == ["run"]
    assert "3000/tcp" in config["ExposedPorts"]
    assert "/data" in config["Volumes"]
    assert "/healthz" in " ".join(image.inspected["Healthcheck"]["Test"])
    assert "GODMODE_DATABASE_URL=sqlite:////data/godmode.db" in config["Env"]


def user_ids(image: Image, name: str) -> tuple[int, int]:
    for line in (image.rootfs / "etc" / "passwd").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return int(fields[2]), int(fields[3])
    raise AssertionError(f"no user {name} in the image")


def in_image(image: Image, *args: str, **env: str) -> list[str]:
    """A command line running ``args`` in the image's file system, as the image's user."""
    uid, gid = user_ids(image, image.config["User"])
    assert uid != 0, "the image must not run as root"
    return [
        shutil.which("chroot") or "/usr/sbin/chroot",
        f"--userspec={uid}:{gid}",
        str(image.rootfs),
        *args,
    ]


def image_env(image: Image, **extra: str) -> dict[str, str]:
    env = dict(item.split("=", 1) for item in image.config["Env"])
    env.update(extra)
    return env


@dataclass
class Served:
    url: str
    key: str
    pid: int


@pytest.fixture(scope="module")
def served(image: Image, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The image's entry point running (as the image's user, with its environment), with a
    user ``ana`` and an ingest key made by the image's own CLI."""
    port = free_port()
    env = image_env(
        image,
        GODMODE_JWT_SECRET=secrets.token_urlsafe(48),
        GODMODE_HOST="127.0.0.1",  # the image listens on 0.0.0.0; here only loopback is used
        GODMODE_PORT=str(port),
    )
    run(*in_image(image, "godmode-server", "user", "add", "ana"), env=env, input="ana-pass-1\n")
    key = run(*in_image(image, "godmode-server", "key", "create", "pc"), env=env).stdout.strip()
    log = tmp_path_factory.mktemp("image-server") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            in_image(image, *image.config["Entrypoint"], *image.config["Cmd"]),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url, server, log), 30, "the image's server")
        yield Served(url, key, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_the_server_runs_as_the_images_user(image: Image, served: Served) -> None:
    status = Path(f"/proc/{served.pid}/status").read_text()
    uid = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
    assert int(uid) == user_ids(image, "godmode")[0]
    assert (image.rootfs / "data" / "godmode.db").exists()


async def test_the_entry_point_serves_a_dashboard(served: Served) -> None:
    async with httpx.AsyncClient() as http:
        login = await http.post(
            served.url + "/api/auth/login", json={"username": "ana", "password": "ana-pass-1"}
        )
        token = login.json()["access_token"]
        ws_url = served.url.replace("http://", "ws://") + "/ws/dashboard"
        async with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            await next_event(ws, "SNAPSHOT")
            posted = await http.post(
                served.url + "/api/tracking/telemetry",
                json=sample_json("in_image", tokens_count=42),
                headers={"X-Api-Key": served.key},
            )
            assert posted.status_code == 200, posted.text
            update = await next_event(ws, "TELEMETRY_UPDATE")
    assert (update["room_id"], update["data"]["tokens"]) == ("in_image", 42)


def _answers(url: str, server: subprocess.Popen[bytes], log: Path) -> bool:
    if server.poll() is not None:
        raise RuntimeError(log.read_text(errors="replace"))
    try:
        return httpx.get(url + "/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
