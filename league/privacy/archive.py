"""A zip written as a stream: each piece leaves as soon as it is written.

`zipfile` writes to a file it cannot seek with data descriptors after each member, so the
archive never has to be held whole; only the chunk being copied is in memory.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any


class ChunkSink(io.RawIOBase):
    """A write-only, unseekable file whose written bytes are taken out with `drain`."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pending.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.pending)
        self.pending.clear()
        return data


class StreamingZip:
    def __init__(self) -> None:
        self.sink = ChunkSink()
        self.zip = zipfile.ZipFile(self.sink, mode="w", compression=zipfile.ZIP_DEFLATED)

    def add_json(self, name: str, data: object) -> bytes:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=json_default)
        self.zip.writestr(name, text)
        return self.sink.drain()

    async def add_stream(self, name: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        # Clips are already compressed: stored as they are, and zip64 so size is no limit.
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_STORED
        with self.zip.open(info, mode="w", force_zip64=True) as target:
            async for chunk in chunks:
                target.write(chunk)
                yield self.sink.drain()
        yield self.sink.drain()

    def close(self) -> bytes:
        self.zip.close()
        return self.sink.drain()


def json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
