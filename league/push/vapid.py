"""The app's VAPID key pair: made on first start, kept in the data dir, never committed."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid

from league.push.endpoints import EndpointPolicy
from league.settings import SettingsError

VAPID_KEY_FILENAME = "vapid_private.pem"
KEY_FILE_MODE = 0o600


@dataclass(frozen=True)
class PushConfig:
    """What sending needs: the signing key, the contact claim and the public key for browsers."""

    vapid: Vapid
    contact: str
    public_key: str  # base64url uncompressed P-256 point: PushManager's applicationServerKey
    concurrency: int = 20
    endpoints: EndpointPolicy = EndpointPolicy()


def check_contact(contact: str) -> str:
    # Push services (Apple's in particular) refuse a `sub` that is not a real URL.
    if not contact.startswith(("mailto:", "https:")) or len(contact) < 10:
        raise SettingsError(f"LEAGUE_PUSH_CONTACT must be a mailto: or https: URL, not {contact!r}")
    return contact


def load_push_config(
    data_dir: Path, contact: str, concurrency: int = 20, allow_loopback: bool = False
) -> PushConfig:
    vapid = load_or_create_vapid(data_dir / VAPID_KEY_FILENAME)
    endpoints = EndpointPolicy(allow_loopback=allow_loopback)
    return PushConfig(vapid, check_contact(contact), public_key_of(vapid), concurrency, endpoints)


def load_or_create_vapid(path: Path) -> Vapid:
    if not path.exists():
        create_key_file(path)
    return Vapid.from_file(str(path))


def create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid()
    vapid.generate_keys()
    # Written whole to a private temporary file, then linked into place: two processes
    # starting at once keep whichever key landed first, and nobody reads a half-written file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, KEY_FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(vapid.private_pem())
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def public_key_of(vapid: Vapid) -> str:
    raw = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
