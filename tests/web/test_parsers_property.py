"""The parsers that read raw request text, tried with whatever hypothesis can think of."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from starlette.responses import Response

from league.accounts.routes import safe_next
from league.clips.playback import RangeNotSatisfiable, parse_range
from league.web.errors import LeagueError
from league.web.forms import (
    MAX_ID,
    parse_digits,
    parse_int,
    parse_json_object,
    strip_controls,
)
from league.web.htmx import hx_redirect

DIGITS = st.text(alphabet=st.characters(categories=["Nd", "No"]), max_size=30)
HEADERISH = st.one_of(
    st.text(max_size=60),
    st.builds(lambda a, b: f"bytes={a}-{b}", DIGITS, DIGITS),
    st.builds(lambda a, b: f"bytes={a}-{b}", st.integers(-5, 10**30), st.integers(-5, 10**30)),
)


@given(HEADERISH, st.integers(0, 10**9))
def test_a_range_is_inside_the_clip_or_refused(header: str, size: int) -> None:
    try:
        wanted = parse_range(header, size)
    except RangeNotSatisfiable:
        return
    if wanted is not None:
        first, last = wanted
        assert 0 <= first <= last < size


@given(st.one_of(st.text(max_size=40), DIGITS, st.from_regex(r"[0-9]{1,6000}", fullmatch=True)))
def test_digits_are_plain_ascii_and_bounded(raw: str) -> None:
    number = parse_digits(raw)
    if number is not None:
        assert raw.isascii() and raw.isdigit() and len(raw) <= 18
        assert number == int(raw)


@given(st.one_of(st.text(max_size=40), DIGITS, st.integers().map(str)))
def test_a_form_number_is_a_database_sized_int_or_a_clear_error(raw: str) -> None:
    try:
        number = parse_int(raw, "The team")
    except LeagueError as error:
        assert "whole number" in error.message
    else:
        assert -MAX_ID <= number <= MAX_ID


@given(st.text(max_size=200))
def test_the_next_page_is_a_local_path_without_control_characters(target: str) -> None:
    path = safe_next(target)
    assert path.startswith("/") and not path.startswith(("//", "/\\"))
    assert all(ord(char) >= 0x20 and ord(char) != 0x7F for char in path)


@given(st.text(max_size=200))
def test_the_htmx_redirect_header_is_always_sendable(url: str) -> None:
    response = hx_redirect(Response(), url)
    response.headers["HX-Redirect"].encode("latin-1")
    assert all(ord(char) > 0x20 for char in response.headers["HX-Redirect"])


@given(
    st.binary(max_size=200)
    | st.text(max_size=100).map(lambda text: text.encode("utf-8", "surrogatepass"))
)
def test_json_bodies_give_real_text_or_a_clear_error(body: bytes) -> None:
    try:
        data = parse_json_object(body)
    except LeagueError:
        return
    assert isinstance(data, dict)
    str(data).encode("utf-8")


@given(st.text(max_size=200))
def test_stripped_text_keeps_only_printable_characters_and_line_breaks(text: str) -> None:
    cleaned = strip_controls(text)
    assert all(
        char in "\t\n\r" or not (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F) for char in cleaned
    )
