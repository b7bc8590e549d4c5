"""Writes the alert sounds (short synthesized chimes) to resources/sounds/*.wav.

Run once; the WAV files are committed.  Kept so the sounds can be changed and rebuilt.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050

#: Each sound: a list of (frequency Hz, duration s) notes.
SOUNDS = {
    "tip": [(880, 0.12)],
    "big-tip": [(660, 0.1), (990, 0.14)],
    "huge-tip": [(523, 0.09), (659, 0.09), (784, 0.09), (1047, 0.2)],
}


def _note(freq: float, seconds: float) -> list[int]:
    count = int(RATE * seconds)
    return [
        int(12000 * math.sin(2 * math.pi * freq * i / RATE) * (1 - i / count) ** 2)
        for i in range(count)
    ]


def main() -> None:
    folder = Path(__file__).parent / "sounds"
    folder.mkdir(exist_ok=True)
    for name, notes in SOUNDS.items():
        frames = [s for freq, seconds in notes for s in _note(freq, seconds)]
        with wave.open(str(folder / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(struct.pack(f"<{len(frames)}h", *frames))


if __name__ == "__main__":
    main()
