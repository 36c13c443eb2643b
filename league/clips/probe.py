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
# Bounds on the work one upload may cost. Phones send one audio and at most one video
# track; Opus packs 50 packets a second, video at most 60 frames: 200 leaves room.
PROBE_OPTIONS = {"probesize": str(2 * 1024 * 1024), "analyzeduration": str(5_000_000)}
MAX_STREAMS = 4
MAX_PACKETS_PER_SECOND = 200


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


DAMAGED = (
    "The recording is damaged or incomplete, so it can't be played. "
    "Record the take again; if it keeps happening, try another browser."
)


class ClipTooLong(Exception):
    """The clip runs past the limit: `seconds` long by its header, or None when reading
    stopped at the first packet past the limit."""

    def __init__(self, seconds: float | None) -> None:
        super().__init__(f"clip of {seconds} s")
        self.seconds = seconds


def probe_clip(path: Path, container: str, max_seconds: float) -> ClipInfo:
    """Open and read the whole clip (blocking: run it in a thread).

    MediaRecorder's WebM has no duration in its header, so the duration is the end of the
    last packet; every audio packet is decoded so a damaged file is caught now, not when a
    reviewer presses play. The work is bounded whatever the file claims: FFmpeg's probing
    reads a fixed amount, a header longer than `max_seconds` is refused before any packet
    is read, and reading stops at the first packet past `max_seconds` (ClipTooLong).
    """
    try:
        with av.open(str(path), options=PROBE_OPTIONS) as clip:
            return read_clip(clip, container, max_seconds)
    # PyAV decodes a stream's metadata as UTF-8: damaged tags raise UnicodeDecodeError.
    except (av.FFmpegError, UnicodeDecodeError):
        raise ClipRejected(DAMAGED) from None


def read_clip(clip: av.container.InputContainer, container: str, max_seconds: float) -> ClipInfo:
    declared = clip.duration / av.time_base if clip.duration else None
    if declared is not None and declared > max_seconds:
        raise ClipTooLong(declared)
    audio = [stream for stream in clip.streams if stream.type == "audio"]
    if not audio:
        raise ClipRejected("The recording has no sound. Check your microphone and try again.")
    if len(clip.streams) > MAX_STREAMS:
        raise ClipRejected("The recording has more tracks than a phone records. Record again.")
    has_video = any(stream.type == "video" for stream in clip.streams)
    last_end = read_last_packet_end(clip, audio[0].index, max_seconds)
    if last_end < MIN_TAKE_SECONDS:
        raise ClipRejected("The recording has no sound in it. Hold record a little longer.")
    if declared is not None and last_end < declared - TRUNCATION_TOLERANCE_SECONDS:
        raise ClipRejected(
            "The recording is cut off part-way, so it can't be used. Record the take again."
        )
    media_streams = [stream for stream in clip.streams if stream.type in ("audio", "video")]
    # A damaged header can leave a stream whose codec FFmpeg cannot name.
    if any(stream.codec_context is None for stream in media_streams):
        raise ClipRejected(DAMAGED)
    codecs = tuple(stream.codec_context.name for stream in media_streams)
    return ClipInfo(container, round(last_end, 3), codecs, has_video)


def read_last_packet_end(
    clip: av.container.InputContainer, audio_index: int, max_seconds: float
) -> float:
    """Seconds to the end of the last packet of any stream; decodes the audio on the way."""
    last_end = 0.0
    sound_frames = 0
    for count, packet in enumerate(clip.demux(), start=1):
        if count > max_seconds * MAX_PACKETS_PER_SECOND:
            raise ClipRejected("The recording is damaged (far too many pieces). Record again.")
        if packet.pts is None or packet.time_base is None:
            continue
        end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
        last_end = max(last_end, end)
        if last_end > max_seconds:
            raise ClipTooLong(None)
        if packet.stream.index == audio_index:
            sound_frames += len(packet.decode())
    # Damaged audio can decode to nothing without an error while the video runs on.
    if not sound_frames:
        raise ClipRejected(DAMAGED)
    return last_end
