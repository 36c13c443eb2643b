"""Real clips in the formats phones send, made in memory with PyAV, and broken variants."""

from __future__ import annotations

import array
import io
import math
import random
import struct
from collections.abc import Iterator
from typing import IO, cast

import av
from av.audio.stream import AudioStream
from av.video.stream import VideoStream

SAMPLE_RATE = 48_000
VIDEO_RATE = 15
TONE_HZ = 440
AMPLITUDE = 8_000
# Frame sizes each encoder wants: Opus 20 ms, AAC 1024 samples.
FRAME_SAMPLES = {"libopus": 960, "aac": 1024}

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
TEXT_BYTES = b"These are my notes for the objection drill, not a recording.\n" * 5


class UnseekableSink(io.RawIOBase):
    """A write-only stream: the muxer cannot go back to fill in the duration, like
    MediaRecorder streaming a WebM."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.data += chunk
        return len(chunk)


def tone(samples: int, start: int) -> bytes:
    return array.array(
        "h",
        (
            int(AMPLITUDE * math.sin(2 * math.pi * TONE_HZ * (start + i) / SAMPLE_RATE))
            for i in range(samples)
        ),
    ).tobytes()


def audio_frames(codec: str, seconds: float) -> Iterator[av.AudioFrame]:
    size = FRAME_SAMPLES[codec]
    for start in range(0, int(seconds * SAMPLE_RATE), size):
        frame = av.AudioFrame(format="s16", layout="mono", samples=size)
        frame.planes[0].update(tone(size, start))
        frame.sample_rate = SAMPLE_RATE
        frame.pts = start
        yield frame


def video_frame(number: int) -> av.VideoFrame:
    frame = av.VideoFrame(160, 120, "yuv420p")
    for plane in frame.planes:
        plane.update(bytes([(number * 7) % 256]) * plane.buffer_size)
    frame.pts = number
    return frame


def make_clip(
    container: str, audio_codec: str, seconds: float, video_codec: str | None = None
) -> bytes:
    sink: IO[bytes] = io.BytesIO()
    write_clip(sink, container, audio_codec, seconds, video_codec)
    assert isinstance(sink, io.BytesIO)
    return sink.getvalue()


def write_clip(
    sink: IO[bytes],
    container: str,
    audio_codec: str,
    seconds: float,
    video_codec: str | None,
    options: dict[str, str] | None = None,
) -> None:
    with av.open(sink, "w", format=container, options=options or {}) as output:
        video = None
        if video_codec:
            video = cast(VideoStream, output.add_stream(video_codec, rate=VIDEO_RATE))
            video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = cast(AudioStream, output.add_stream(audio_codec, rate=SAMPLE_RATE))
        audio.layout = "mono"
        frames = 0
        for frame in audio_frames(audio_codec, seconds):
            for packet in audio.encode(frame):
                output.mux(packet)
            while video is not None and frames / VIDEO_RATE < (frame.pts or 0) / SAMPLE_RATE:
                output.mux(video.encode(video_frame(frames)))
                frames += 1
        output.mux(audio.encode(None))
        if video is not None:
            output.mux(video.encode(None))


def webm_opus(seconds: float = 2) -> bytes:
    """Chromium's audio: WebM with Opus."""
    return make_clip("webm", "libopus", seconds)


def streamed_webm_opus(seconds: float = 2) -> bytes:
    """WebM written front to back with no duration in the header, as MediaRecorder does."""
    sink = UnseekableSink()
    write_clip(sink, "webm", "libopus", seconds, None)  # type: ignore[arg-type]
    return bytes(sink.data)


def mp4_aac(seconds: float = 2) -> bytes:
    """Safari's audio: MP4 with AAC."""
    return make_clip("mp4", "aac", seconds)


def fragmented_mp4_aac(seconds: float = 2) -> bytes:
    """Safari's audio as MediaRecorder streams it in slices: an empty moov, then fragments."""
    sink = io.BytesIO()
    fragments = {"movflags": "frag_keyframe+empty_moov+default_base_moof"}
    write_clip(sink, "mp4", "aac", seconds, None, fragments)
    return sink.getvalue()


def mp4_h264_aac(seconds: float = 2) -> bytes:
    """Safari's video: MP4 with H.264 and AAC."""
    return make_clip("mp4", "aac", seconds, video_codec="libx264")


def webm_vp8_opus(seconds: float = 2) -> bytes:
    """Chromium's video: WebM with VP8 and Opus."""
    return make_clip("webm", "libopus", seconds, video_codec="libvpx")


def silent_video_mp4(seconds: float = 2) -> bytes:
    """An MP4 with a picture and no sound track at all."""
    sink = io.BytesIO()
    with av.open(sink, "w", format="mp4") as output:
        video = output.add_stream("libx264", rate=VIDEO_RATE)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        for number in range(int(seconds * VIDEO_RATE)):
            output.mux(video.encode(video_frame(number)))
        output.mux(video.encode(None))
    return sink.getvalue()


def truncated(clip: bytes, fraction: float = 0.5) -> bytes:
    return clip[: int(len(clip) * fraction)]


def corrupted(clip: bytes, seed: int = 7) -> bytes:
    """Random bytes over a stretch of the middle, as a damaged download would have."""
    noise = random.Random(seed)
    damaged = bytearray(clip)
    start = len(clip) // 3
    for index in range(start, min(start + 2000, len(clip))):
        damaged[index] = noise.randrange(256)
    return bytes(damaged)


def padded_mp4(megabytes: int, seconds: float = 2) -> bytes:
    """A valid MP4 made big by a trailing `free` box (players skip it), for memory checks."""
    padding = megabytes * 1024 * 1024
    return mp4_aac(seconds) + struct.pack(">I4s", 8 + padding, b"free") + bytes(padding)
