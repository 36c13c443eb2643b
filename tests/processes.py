"""Pool processes and a server killed outright: the check both process pools share."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


async def assert_pool_process_exits_with_server(script: str) -> None:
    """Run `script` as a server that prints its pool process's pid, kill it (no shutdown
    runs), and check that the pool process leaves within ten seconds."""
    server = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert server.stdout is not None
    child = int(server.stdout.readline())
    assert is_running(child)
    server.kill()
    server.wait()
    server.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and is_running(child):
        await asyncio.sleep(0.2)
    assert not is_running(child)


def is_running(pid: int) -> bool:
    """Alive and not a zombie (an exited process nobody has reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
