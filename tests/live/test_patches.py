"""Live patches: a socket holding the previous render gets only what changed."""

from __future__ import annotations

from league.live.patches import view_patch


def row(member: int, rank: int, points: float) -> str:
    return (
        f'<li id="row-{member}" class="table-row"><span id="rank-{member}">{rank}</span>'
        f"<b>Rep {member}</b> <strong>{points:.1f}</strong></li>"
    )


def table(rows: list[tuple[int, float]], title: str = "Season table") -> str:
    ranked = sorted(rows, key=lambda item: -item[1])
    body = "\n".join(row(member, rank, points) for rank, (member, points) in enumerate(ranked, 1))
    return (
        f'<section id="season" hx-swap-oob="morph"><h2>{title}</h2>\n<ol class="table-rows">\n'
        f'{body}\n</ol></section><section id="feed" hx-swap-oob="morph"><p>quiet</p></section>'
    )


POINTS = [(member, float(member)) for member in range(1, 201)]


def test_an_unchanged_render_needs_nothing() -> None:
    assert view_patch(table(POINTS), table(POINTS)) == ""


def test_one_changed_row_sends_that_row_only() -> None:
    # Rep 5 gains a little but keeps their place: one row, not the table of 200.
    changed = [(m, p + 0.5 if m == 5 else p) for m, p in POINTS]
    patch = view_patch(table(POINTS), table(changed))
    assert patch is not None and patch.startswith("<template data-live-patch>")
    assert patch.count("<li ") == 1 and 'id="row-5"' in patch and "5.5" in patch
    assert "data-live-order" not in patch and 'id="season"' not in patch
    assert len(patch) < len(table(changed)) / 50


def test_a_row_that_moves_up_sends_the_new_order_and_the_places_that_changed() -> None:
    # Rep 150 jumps from 51st to 46th, past 151-155: they drop a place (their rank only).
    moved = [(m, 195.5 - 40 if m == 150 else p) for m, p in POINTS]
    patch = view_patch(table(POINTS), table(moved))
    assert patch is not None
    assert 'id="row-150"' in patch and patch.count("<li ") == 1
    assert all(f'<span id="rank-{m}">' in patch for m in range(151, 156))
    assert 'data-live-order="row-' in patch and 'data-prefix="row-"' in patch
    order = patch.split('data-keys="')[1].split('"')[0].split()
    assert order.index("150") == order.index("156") + 1  # right behind 156, ahead of 155
    assert '<span id="rank-156">' not in patch and '<span id="rank-149">' not in patch


def test_a_new_row_travels_whole_with_the_new_order() -> None:
    patch = view_patch(table(POINTS), table([*POINTS, (201, 0.5)]))
    assert patch is not None and 'id="row-201"' in patch
    assert patch.split('data-keys="')[1].split('"')[0].split()[-1] == "201"


def test_a_changed_heading_sends_its_section_whole_and_nothing_else() -> None:
    patch = view_patch(table(POINTS), table(POINTS, title="Round 2 table"))
    assert patch is not None and '<section id="season"' in patch and 'id="feed"' not in patch


def test_different_sections_mean_a_whole_view() -> None:
    assert view_patch(table(POINTS), '<section id="other"></section>') is None
    assert view_patch("<div id='quoted-singly'>1</div>", "<div id='quoted-singly'>2</div>") is None
