"""Make the demo league's short speech clips: espeak-ng speaks each line to a WAV, PyAV
encodes it as WebM/Opus (what Chromium records). Same input, same voice, same clip.

    apt-get install espeak-ng && .venv/bin/python seeds/clips/make_clips.py

The clips are committed next to this script, so `make run` needs neither tool.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import av

HERE = Path(__file__).resolve().parent
BIT_RATE = 24_000  # bits per second: speech stays clear, a clip stays around 20 KB
SAMPLE_RATE = 48_000  # Opus works at 48 kHz

# One clip per demo drill, in the order seeds/drills.yaml hands them to rounds.
CLIPS = {
    "value_proposition": (
        "en-gb+m3",
        "We help sales leaders run forecasts they can defend. "
        "Every number comes straight from your CRM, with the reason behind it.",
    ),
    "another_dashboard": (
        "en-us+f2",
        "Another dashboard means another place to update. "
        "We work from the CRM your team already lives in, so nothing is typed twice.",
    ),
    "explain_the_number": (
        "en-gb+f3",
        "Every tool promises a better forecast. We show why each number moved, "
        "so your managers coach the deal, not the spreadsheet.",
    ),
    "deals_go_quiet": (
        "en-us+m2",
        "Deals go quiet before they slip. Emails stop, meetings move. "
        "How would you know today which commit deals have gone quiet?",
    ),
    "forecast_calls": (
        "en-gb+m1",
        "Forecast calls eat the week. Managers spend hours asking for updates. "
        "What would your managers do with five more hours of coaching time?",
    ),
    "spreadsheets": (
        "en-us+f4",
        "Spreadsheets got you here, and that is fine. "
        "What would you change about the one you use today?",
    ),
}


def speak(voice: str, text: str, wav: Path) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(wav), text], check=True)


def encode(wav: Path, target: Path) -> None:
    # bitexact: no random ids or dates in the container, so the same clip every time.
    options = {"fflags": "+bitexact"}
    with av.open(str(wav)) as source, av.open(str(target), "w", "webm", options=options) as output:
        stream = output.add_stream("libopus", rate=SAMPLE_RATE)
        stream.bit_rate = BIT_RATE
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in source.decode(audio=0):
            for resampled in resampler.resample(frame):
                output.mux(stream.encode(resampled))
        for resampled in resampler.resample(None):
            output.mux(stream.encode(resampled))
        output.mux(stream.encode(None))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        for name, (voice, text) in CLIPS.items():
            wav = Path(scratch) / f"{name}.wav"
            speak(voice, text, wav)
            encode(wav, HERE / f"{name}.webm")
            print(f"{name}.webm {(HERE / f'{name}.webm').stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
