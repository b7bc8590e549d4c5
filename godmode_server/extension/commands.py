"""``godmode-server extension …``: the studio's signing key, packing, and checking what is served."""

from __future__ import annotations

import os
from pathlib import Path

import click

from godmode_server.extension import crx
from godmode_server.extension.packaging import PackageError, package


def _audit(action: str, target: str, detail: str) -> None:
    """In the server's audit log, through what the command line's root puts in its context
    (cli.audit_command_line; nothing when the group runs on its own)."""
    root = click.get_current_context().find_root().obj or {}
    record = root.get("audit")
    if record is not None:
        record(action, target, detail)


@click.group()
def extension() -> None:
    """Pack the Chrome collector for IT deployment and self-hosted updates."""


@extension.command("key")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the new key (PEM); it must not exist yet.",
)
def extension_key(out: Path) -> None:
    """Make the studio's signing key, once.  Its public half fixes the extension's id on every
    PC; keep the file safe and out of version control: whoever holds it can publish updates
    that every broadcasting PC installs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(
            f"{out} exists: a new key would change the extension's id"
        ) from None
    pem = crx.new_private_key()
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    public = crx.public_key_der(crx.load_private_key(pem))
    extension_id = crx.extension_id(public)
    click.echo(f"key written to {out} (mode 600); extension id {extension_id}")
    _audit("extension.key", out.name, f"{out.resolve()}: a new signing key, id {extension_id}")


@extension.command("pack")
@click.option(
    "--source",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="The extension/ folder of a checkout, or a godmode-collector-<version>.zip.",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The studio's signing key (godmode-server extension key).",
)
@click.option(
    "--update-url",
    default=None,
    help="The update manifest Chrome asks for updates, e.g. "
    "https://tracking.studio.example/api/collectors/extension/updates.xml.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for godmode-collector-<version>.zip and .crx (e.g. GODMODE_EXTENSION_DIR).",
)
def extension_pack(source: Path, key_file: Path, update_url: str | None, out_dir: Path) -> None:
    """Build the zip (for Load unpacked and stores) and the signed .crx (for policies)."""
    try:
        built = package(source, key_file.read_bytes(), out_dir, update_url)
    except (PackageError, crx.CrxError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"extension id {built.extension_id}, version {built.version}")
    click.echo(f"  {built.zip_path}")
    click.echo(f"  {built.crx_path}")
    _audit(
        "extension.pack",
        built.crx_path.name,
        f"{built.crx_path.resolve()}: version {built.version} of {built.extension_id}, signed "
        f"with {key_file.resolve()}" + (f", updates from {update_url}" if update_url else ""),
    )


@extension.command("check")
@click.argument("url")
@click.option("--timeout", type=float, default=10.0, show_default=True)
def extension_check(url: str, timeout: float) -> None:
    """Check a served update manifest and every package it names, as Chrome would."""
    # Imported here: its HTTP client is not needed by the CLI's other commands (each of which
    # is a process of its own that would load it).
    from godmode_server.extension.check import check_update_manifest

    report = check_update_manifest(url, timeout=timeout)
    for line in report.checked:
        click.echo(f"ok: {line}")
    for line in report.problems:
        click.echo(f"problem: {line}", err=True)
    if report.problems:
        raise SystemExit(1)
