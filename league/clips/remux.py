"""Give a recorded WebM the duration and seek index MediaRecorder leaves out.

MediaRecorder streams WebM front to back, so the file has no Duration and no Cues: players
show "0:00" or "Infinity" as its length and cannot seek in it. Copying its packets into a
new WebM, without re-encoding, lets the muxer write both. MP4 from Safari is kept as sent.
"""

from __future__ import annotations

import logging
from pathlib import Path

import av

logger = logging.getLogger(__name__)

MEDIA_STREAM_TYPES = ("audio", "video")


def add_seek_index(source: Path, container: str) -> Path:
    """The clip to keep: a seekable copy of a WebM next to `source`, else `source` itself.

    Blocking: run it in a thread. The copy is only a nicety for players, so if it fails
    the clip is kept as recorded (it was already probed and plays from the start).
    """
    if container != "webm":
        return source
    target = source.with_name(f"{source.stem}.indexed.webm")
    try:
        copy_packets(source, target)
    except av.FFmpegError:
        target.unlink(missing_ok=True)
        logger.warning("could not add a seek index to %s; keeping it as recorded", source.name)
        return source
    return target


def copy_packets(source: Path, target: Path) -> None:
    with av.open(str(source)) as clip, av.open(str(target), "w", format="webm") as copy:
        streams = {
            stream.index: copy.add_stream_from_template(stream)
            for stream in clip.streams
            if stream.type in MEDIA_STREAM_TYPES
        }
        for packet in clip.demux(*[clip.streams[index] for index in streams]):
            if packet.dts is None:  # the empty packet that marks the end of a stream
                continue
            packet.stream = streams[packet.stream.index]
            copy.mux(packet)
