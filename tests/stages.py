"""``make test``'s stages side by side: the static checks, the lowest dependencies' run and the
extension's node tests in the background while the main pytest run (in parallel itself) shows
its progress; then each background stage's output, the time every stage took, and pytest's own
closing line last.

Run by the Makefile as ``python -m tests.stages NAME=COMMAND ... -- MAIN COMMAND``; any stage that
fails fails the whole run (exit status 1).  The stages' logs are also kept in ``build/test-logs/``
for a look afterwards.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LOGS = Path("build/test-logs")


@dataclass
class Stage:
    name: str
    command: str
    log: Path
    started: float = field(default_factory=time.monotonic)
    proc: subprocess.Popen[bytes] | None = None
    ended: float | None = None

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.command, shell=True, stdout=out, stderr=subprocess.STDOUT
            )
        # Its end noted when it comes, not when the main run is over.
        threading.Thread(target=self.wait, name=f"stage {self.name}", daemon=True).start()

    def wait(self) -> int:
        assert self.proc is not None
        code = self.proc.wait()
        if self.ended is None:
            self.ended = time.monotonic()
        return code

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started


def _stage(text: str) -> tuple[str, str]:
    name, sep, command = text.partition("=")
    if not sep or not name or not command:
        raise SystemExit(f"{text!r}: a stage is NAME=COMMAND")
    return name, command


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--" not in args or args.index("--") == len(args) - 1:
        raise SystemExit("usage: python -m tests.stages [NAME=COMMAND ...] -- MAIN COMMAND")
    split = args.index("--")
    stages, main_command = [_stage(a) for a in args[:split]], args[split + 1 :]
    LOGS.mkdir(parents=True, exist_ok=True)
    background = [Stage(name, command, LOGS / f"{name}.log") for name, command in stages]
    for stage in background:
        stage.start()
        print(f"[{stage.name}] started: {stage.command} (log: {stage.log})", flush=True)

    # The main run's output streams as it comes (CI shows it live) and goes to its log too.
    started = time.monotonic()
    main_log = LOGS / "pytest.log"
    lines: list[str] = []
    with (
        main_log.open("w") as log,
        subprocess.Popen(
            main_command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        ) as proc,
    ):
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            log.write(line)
            lines.append(line)
            del lines[:-50]
    main_code = proc.returncode
    main_seconds = time.monotonic() - started

    results = []
    for stage in background:
        code = stage.wait()
        results.append((stage, code))
        print(f"\n===== {stage.name}: {'passed' if code == 0 else f'FAILED ({code})'} =====")
        text = stage.log.read_text(errors="replace")
        # A passing stage's tail is enough; a failing one is shown whole.
        shown = text if code else "\n".join(text.rstrip().splitlines()[-15:])
        print(shown, flush=True)

    print("\n===== stages =====")
    for stage, code in results:
        print(f"{stage.name:>14}: {stage.seconds:7.1f} s  {'ok' if code == 0 else 'FAILED'}")
    print(f"{'pytest':>14}: {main_seconds:7.1f} s  {'ok' if main_code == 0 else 'FAILED'}")
    failed = [stage.name for stage, code in results if code] + (["pytest"] if main_code else [])
    if failed:
        print(f"failed: {', '.join(failed)}")
    # pytest's own closing line last, where CI reads it.
    closing = next((line for line in reversed(lines) if line.strip()), "")
    print(closing.rstrip(), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
