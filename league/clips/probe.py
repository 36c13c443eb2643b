"""What an uploaded clip really is: container from its first bytes, then streams and duration.

Phones send WebM (Chromium: Opus, VP8/VP9) or MP4 (Safari: AAC, H.264). The declared type
and the file name are ignored; only the bytes count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from league.web.errors import LeagueError

WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
MP4_BRAND_OFFSET = 4
SNIFF_BYTES = 12
# A clip whose header promises more than its packets deliver was cut off in transit.
TRUNCATION_TOLERANCE_SECONDS = 0.5
MIN_TAKE_SECONDS = 0.5


class ClipRejected(LeagueError):
    """The upload is not a clip we can keep; the message says why and what to do."""

    status = 422


@dataclass(frozen=True)
class ClipInfo:
    container: str  # "webm" or "mp4"
    duration_seconds: float
    codecs: tuple[str, ...]
    has_video: bool

    @property
    def content_type(self) -> str:
        return f"{'video' if self.has_video else 'audio'}/{self.container}"


def sniff_container(head: bytes) -> str | None:
    """ "webm" or "mp4" from a file's first bytes, or None for anything else."""
    if head.startswith(WEBM_MAGIC):
        return "webm"
    if head[MP4_BRAND_OFFSET : MP4_BRAND_OFFSET + 4] == b"ftyp":
        return "mp4"
    return None


def require_container(head: bytes) -> str:
    if not head:
        raise ClipRejected("The recording is empty. Record the take again.", status=400)
    container = sniff_container(head)
    if container is None:
        raise ClipRejected(
            "That file isn't an audio or video recording we can play. "
            "Record the take in the app (WebM or MP4).",
            status=415,
        )
    return container


def probe_clip(path: Path, container: str) -> ClipInfo:
    """Open and read the whole clip (blocking: run it in a thread).

    MediaRecorder's WebM has no duration in its header, so the duration is the end of the
    last packet; every audio packet is decoded so a damaged file is caught now, not when a
    reviewer presses play.
    """
    try:
        with av.open(str(path)) as clip:
            return read_clip(clip, container)
    except av.FFmpegError:
        raise ClipRejected(
            "The recording is damaged or incomplete, so it can't be played. "
            "Record the take again; if it keeps happening, try another browser."
        ) from None


def read_clip(clip: av.container.InputContainer, container: str) -> ClipInfo:
    audio = [stream for stream in clip.streams if stream.type == "audio"]
    if not audio:
        raise ClipRejected("The recording has no sound. Check your microphone and try again.")
    has_video = any(stream.type == "video" for stream in clip.streams)
    last_end = read_last_packet_end(clip, audio[0].index)
    if last_end < MIN_TAKE_SECONDS:
        raise ClipRejected("The recording has no sound in it. Hold record a little longer.")
    declared = clip.duration / av.time_base if clip.duration else None
    if declared is not None and last_end < declared - TRUNCATION_TOLERANCE_SECONDS:
        raise ClipRejected(
            "The recording is cut off part-way, so it can't be used. Record the take again."
        )
    codecs = tuple(
        stream.codec_context.name for stream in clip.streams if stream.type in ("audio", "video")
    )
    return ClipInfo(container, round(last_end, 3), codecs, has_video)


def read_last_packet_end(clip: av.container.InputContainer, audio_index: int) -> float:
    """Seconds to the end of the last packet of any stream; decodes the audio on the way."""
    last_end = 0.0
    for packet in clip.demux():
        if packet.pts is None or packet.time_base is None:
            continue
        end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
        last_end = max(last_end, end)
        if packet.stream.index == audio_index:
            packet.decode()
    return last_end
