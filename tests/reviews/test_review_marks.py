"""Each review stores the marks its flags read, from its answers, whenever it is saved."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from league.db import apply_migrations, tortoise_config
from league.reviews.models import Review, ReviewStatus
from tests.conftest import ClientFactory
from tests.reviews.conftest import League, review_form

BEFORE_MARKS = "models.0007_push_delivery"


async def test_a_sent_review_stores_its_marks(league: League, make_client: ClientFactory) -> None:
    reviewer = league.reps[0]
    review = (await league.reviews_for(reviewer))[0]
    client = await make_client(reviewer)
    response = await client.post(
        f"/reviews/{review.id}/submit", data=review_form(scores=5, kudos="good")
    )  # type: ignore[arg-type]
    assert response.status_code == 303
    saved = await Review.get(id=review.id)
    assert (saved.low_score, saved.high_score, saved.short_kudos) == (5, 5, True)
    await saved.save(update_fields=["helpful", "updated_at"])  # answers untouched
    saved.scores, saved.kudos = {"a": 2, "b": 4}, "A calm opener and a great question"
    await saved.save(update_fields=["scores", "kudos"])
    again = await Review.get(id=review.id)
    assert (again.low_score, again.high_score, again.short_kudos) == (2, 4, False)


async def test_migrating_gives_reviews_saved_before_marks_their_marks(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'league.db'}"
    try:
        await migrate(config=tortoise_config(url), target=BEFORE_MARKS)
    finally:
        await Tortoise.close_connections()
    with sqlite3.connect(tmp_path / "league.db") as db:  # foreign keys off: a bare review row
        for review_id, scores, kudos in [
            (1, {"a": 3, "b": 5}, "ok"),
            (2, {}, "A calm opener and a great question"),
        ]:
            db.execute(
                "INSERT INTO review (id, team_id, round_id, entry_id, reviewer_id, is_judgement,"
                " status, scores, key_points_heard, kudos, next_rep, assigned_at, updated_at)"
                " VALUES (?, 1, 1, ?, 1, 0, ?, ?, '[]', ?, '', '2026-03-02', '2026-03-02')",
                (review_id, review_id, ReviewStatus.SUBMITTED, json.dumps(scores), kudos),
            )
    await apply_migrations(url)
    with sqlite3.connect(tmp_path / "league.db") as db:
        marks = db.execute("SELECT low_score, high_score, short_kudos FROM review ORDER BY id")
        assert marks.fetchall() == [(3, 5, 1), (None, None, 0)]
