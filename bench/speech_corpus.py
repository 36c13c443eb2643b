"""Test recordings with known words and pauses: espeak-ng speech through Opus and AAC.

Used by `make bench-speech` and by the delivery tests. Each script is a list of sentences;
a sentence may be followed by a deliberate pause. The clean synthetic audio gives the truth
(word count, speaking time, pauses); the analysis only ever sees the compressed clip.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass

import av
import numpy as np
from numpy.typing import NDArray

ESPEAK_RATE = 22_050
SILENT_LEVEL = 64  # |sample| at or below this is espeak's own silence
NATURAL_GAP_SECONDS = 0.35  # between sentences said in one breath
# container, encoder, sample rate, content type, samples per encoder frame
CODECS = {
    "opus": ("webm", "libopus", 48_000, "audio/webm", 960),
    "aac": ("mp4", "aac", 44_100, "audio/mp4", 1024),
}


@dataclass(frozen=True)
class Sentence:
    text: str
    pause_after: float = 0.0  # seconds of silence after it; 0 = a natural gap


@dataclass(frozen=True)
class Recording:
    clip: bytes
    content_type: str
    words: int
    speaking_seconds: float
    pauses: list[tuple[float, float]]  # (start, length) in seconds

    @property
    def words_per_minute(self) -> float:
        return self.words * 60 / self.speaking_seconds


def speak(text: str, voice: str, words_per_minute: int) -> NDArray[np.int16]:
    """espeak-ng's speech for `text`, with its leading and trailing silence cut off."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with av.open(io.BytesIO(wav)) as container:
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    loud = np.flatnonzero(np.abs(samples) > SILENT_LEVEL)
    return samples[loud[0] : loud[-1] + 1].astype(np.int16)


def count_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text))


def record(sentences: list[Sentence], voice: str, words_per_minute: int, codec: str) -> Recording:
    """Say the sentences and compress them like a phone would."""
    parts: list[NDArray[np.int16]] = [silence(0.4)]
    pauses: list[tuple[float, float]] = []
    position = 0.4
    for index, sentence in enumerate(sentences):
        speech = speak(sentence.text, voice, words_per_minute)
        parts.append(speech)
        position += len(speech) / ESPEAK_RATE
        if index == len(sentences) - 1:
            break
        gap = sentence.pause_after or NATURAL_GAP_SECONDS
        if sentence.pause_after:
            pauses.append((round(position, 2), gap))
        parts.append(silence(gap))
        position += gap
    parts.append(silence(0.5))
    speaking = position - 0.4 - sum(length for _, length in pauses)
    samples = np.concatenate(parts)
    # Whole tenths of a second: FFmpeg's MP4 muxer refused one AAC clip whose length ended
    # in an odd last frame ("Invalid argument"); trailing silence changes nothing measured.
    tenth = ESPEAK_RATE // 10
    samples = np.concatenate([samples, np.zeros(-len(samples) % tenth, np.int16)])
    clip, content_type = encode(samples, codec)
    words = sum(count_words(sentence.text) for sentence in sentences)
    return Recording(clip, content_type, words, speaking, pauses)


def silence(seconds: float) -> NDArray[np.int16]:
    return np.zeros(int(seconds * ESPEAK_RATE), dtype=np.int16)


def encode(samples: NDArray[np.int16], codec: str) -> tuple[bytes, str]:
    container_format, codec_name, rate, content_type, frame_samples = CODECS[codec]
    sink = io.BytesIO()
    with av.open(sink, "w", format=container_format) as container:
        stream = container.add_stream(codec_name, rate=rate)
        stream.layout = "mono"  # type: ignore[union-attr]
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = ESPEAK_RATE
        # Whole encoder frames (Opus 20 ms, AAC 1024 samples): the AAC muxer refuses a
        # clip whose frames come in odd sizes.
        resampler = av.AudioResampler(
            format=stream.format.name,  # type: ignore[union-attr]
            layout="mono",
            rate=rate,
            frame_size=frame_samples,
        )
        for part in resampler.resample(frame) + resampler.resample(None):
            container.mux(stream.encode(part))  # type: ignore[union-attr]
        container.mux(stream.encode(None))  # type: ignore[union-attr]
    return sink.getvalue(), content_type
