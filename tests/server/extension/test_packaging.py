"""The collector's package (godmode_server/extension/packaging.py, ``godmode-server extension``):
only the extension's files, a manifest whose key fixes the id, reproducible bytes, a release zip
re-signed, and a clear refusal for a bad source, key or update URL."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from godmode_server.extension import crx
from godmode_server.extension.packaging import PackageError, manifest_in, package
from tests.helpers.source_tree import REPO

EXTENSION = REPO / "extension"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "godmode_server", "extension", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "studio.pem"
    made = _cli("key", "--out", str(path))
    assert made.returncode == 0, made.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    return path


def test_the_package_holds_the_extension_and_nothing_else(key_file: Path, tmp_path: Path) -> None:
    packed = _cli(
        "pack", "--source", str(EXTENSION), "--key", str(key_file), "--out", str(tmp_path)
    )
    assert packed.returncode == 0, packed.stderr
    version = json.loads((EXTENSION / "manifest.json").read_text())["version"]
    zip_path = tmp_path / f"godmode-collector-{version}.zip"
    names = zipfile.ZipFile(zip_path).namelist()
    assert "manifest.json" in names
    assert "src/background.js" in names
    assert not [n for n in names if n.startswith(("test/", "node_modules/")) or n.endswith(".py")]
    assert not [n for n in names if n.split("/")[0] in ("package.json", "package-lock.json")]
    # The id the command prints is the manifest key's, and the crx is signed by that key.
    manifest = json.loads(zipfile.ZipFile(zip_path).read("manifest.json"))
    public = base64.b64decode(manifest["key"])
    the_id = crx.extension_id(public)
    assert f"extension id {the_id}, version {version}" in packed.stdout
    signed = crx.read((tmp_path / f"godmode-collector-{version}.crx").read_bytes())
    assert (signed.extension_id, signed.archive) == (the_id, zip_path.read_bytes())
    assert "update_url" not in manifest


def test_same_inputs_same_bytes_and_a_release_zip_re_signed(key_file: Path, tmp_path: Path) -> None:
    first = package(EXTENSION, key_file.read_bytes(), tmp_path / "a")
    second = package(EXTENSION, key_file.read_bytes(), tmp_path / "b")
    assert first.zip_path.read_bytes() == second.zip_path.read_bytes()
    # A studio re-signs the release zip with its own key and names its update manifest.
    studio_key = crx.new_private_key()
    url = "https://tracking.studio.example/api/collectors/extension/updates.xml"
    studio = package(first.zip_path, studio_key, tmp_path / "studio", update_url=url)
    assert studio.extension_id != first.extension_id
    manifest = manifest_in(crx.read(studio.crx_path.read_bytes()).archive)
    assert manifest["update_url"] == url
    assert crx.extension_id(base64.b64decode(manifest["key"])) == studio.extension_id
    assert sorted(zipfile.ZipFile(studio.zip_path).namelist()) == sorted(
        zipfile.ZipFile(first.zip_path).namelist()
    )


def test_bad_input_is_a_clear_error_and_writes_nothing(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    broken = tmp_path / "broken"
    shutil.copytree(EXTENSION, broken, ignore=shutil.ignore_patterns("node_modules", "test"))
    (broken / "src" / "content.js").unlink()
    cases = [
        (
            ["--source", str(broken), "--key", str(key_file)],
            "names files the source lacks: src/content.js",
        ),
        (["--source", str(EXTENSION), "--key", str(tmp_path / "none.pem")], "does not exist"),
        (
            ["--source", str(EXTENSION), "--key", str(EXTENSION / "manifest.json")],
            "not an unencrypted PEM",
        ),
        (
            ["--source", str(EXTENSION), "--key", str(key_file), "--update-url", "ftp://x/u.xml"],
            "is not an http(s) URL",
        ),
        (
            [
                "--source",
                str(EXTENSION),
                "--key",
                str(key_file),
                "--update-url",
                "http://studio/u.xml",
            ],
            "use https",
        ),
        (
            ["--source", str(EXTENSION / "manifest.json"), "--key", str(key_file)],
            "not a folder or a zip",
        ),
    ]
    for args, message in cases:
        result = _cli("pack", *args, "--out", str(out))
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
    assert not out.exists() or not list(out.iterdir()), "nothing written"
    bad_version = tmp_path / "bad-version"
    shutil.copytree(broken, bad_version)
    shutil.copy(EXTENSION / "src" / "content.js", bad_version / "src" / "content.js")
    manifest = json.loads((bad_version / "manifest.json").read_text())
    manifest["version"] = "1.0.0-beta"
    (bad_version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PackageError, match="is not 1 to 4 dot-separated numbers"):
        package(bad_version, key_file.read_bytes(), out)


def test_a_key_is_never_overwritten(key_file: Path) -> None:
    before = key_file.read_bytes()
    again = _cli("key", "--out", str(key_file))
    assert again.returncode != 0
    assert "exists" in again.stderr
    assert key_file.read_bytes() == before


def test_make_extension_makes_the_key_once_and_packs(tmp_path: Path) -> None:
    repo = EXTENSION.parent
    key, out = tmp_path / "keys" / "studio.pem", tmp_path / "dist"
    args = [
        "make",
        "-s",
        "--no-print-directory",
        "extension",
        f"EXTENSION_KEY={key}",
        f"EXTENSION_OUT={out}",
    ]
    first = subprocess.run(args, cwd=repo, capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "making the studio's key" in first.stdout
    made = key.read_bytes()
    second = subprocess.run(
        [*args, "EXTENSION_UPDATE_URL=https://t.example/api/collectors/extension/updates.xml"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert "making" not in second.stdout
    assert key.read_bytes() == made, "the key is kept: the id stays the same"
    version = json.loads((EXTENSION / "manifest.json").read_text())["version"]
    signed = crx.read((out / f"godmode-collector-{version}.crx").read_bytes())
    assert manifest_in(signed.archive)["update_url"].startswith("https://t.example/")
    assert signed.extension_id == crx.extension_id(crx.public_key_der(crx.load_private_key(made)))
