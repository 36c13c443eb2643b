"""VAPID keys: made on first start, private to the server, the same after a restart."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.applications import Starlette

from league.push.vapid import VAPID_KEY_FILENAME, check_contact, load_push_config
from league.settings import Settings, SettingsError


async def test_it_creates_a_private_key_file_in_the_data_dir(
    app: Starlette, settings: Settings
) -> None:
    path = settings.data_dir / VAPID_KEY_FILENAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")


def test_it_keeps_the_same_key_across_restarts(tmp_path: Path) -> None:
    first = load_push_config(tmp_path, "mailto:coach@example.com")
    second = load_push_config(tmp_path, "mailto:coach@example.com")
    assert first.public_key == second.public_key
    assert len(first.public_key) == 87  # 65 bytes, base64url without padding


@pytest.mark.parametrize("contact", ["coach@example.com", "http://example.com", "mailto:"])
def test_it_refuses_a_contact_that_is_not_a_mailto_or_https_url(contact: str) -> None:
    with pytest.raises(SettingsError, match="LEAGUE_PUSH_CONTACT"):
        check_contact(contact)


def test_it_accepts_mailto_and_https_contacts() -> None:
    assert check_contact("https://league.example.com/contact")
    assert check_contact("mailto:coach@example.com")


def test_the_key_file_is_never_committed() -> None:
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text()
    assert "var/" in ignored or "*.pem" in ignored
