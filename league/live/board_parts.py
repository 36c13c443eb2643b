"""Which parts of a team's Board a change can touch, by the kind of its event.

A review or a submission moves the round in play; it cannot move what only results write
(the season's leaders, kudos, personal bests, awards). So after an event the board cache
reads again only the parts its kind can change, and the first view after a change costs
what the change touched, not the season. A kind not named here reloads everything: a new
kind is correct before it is fast.
"""

from __future__ import annotations

from enum import StrEnum

from league.live.broker import TAKE_FEEDBACK_KIND


class BoardPart(StrEnum):
    # The team, its season, the round shown, the latest results and the next deadline:
    # every other part hangs off it, so reading it again reads everything.
    FRAME = "frame"
    # The round in play: both tables, the race, the round's (provisional) leaders.
    TABLES = "tables"
    # Who races this round and what they bring into it (entries, streaks, season and last
    # round's points): entries move it, reviews do not.
    FIELD = "field"
    # Submissions and reviews done in the recent rounds.
    FEED = "feed"
    # What results write: the season's leaders and the kudos, personal bests, streaks and
    # awards of the latest results.
    SEASON = "season"
    # The coach's picks of the latest results, with the kudos quoted on them.
    PICKS = "picks"


EVERYTHING = frozenset(BoardPart)
NOTHING: frozenset[BoardPart] = frozenset()

# A points change on a round whose results are out (a "helpful" mark) moves the season.
RESULTS_POINTS_KIND = "results_points"

PARTS_BY_KIND: dict[str, frozenset[BoardPart]] = {
    "submission": frozenset({BoardPart.FIELD, BoardPart.TABLES, BoardPart.FEED}),
    "withdrawal": frozenset({BoardPart.FIELD, BoardPart.TABLES, BoardPart.FEED}),
    # A review, a judgement or a helpful mark on a round still in play.
    "points": frozenset({BoardPart.TABLES, BoardPart.FEED}),
    "coach_pick": frozenset({BoardPart.PICKS}),
    # Consent to be quoted: the quotes on picks and in the results' kudos.
    "kudos_sharing": frozenset({BoardPart.PICKS, BoardPart.SEASON}),
    RESULTS_POINTS_KIND: EVERYTHING,
    # Round states, schedules and members change the frame itself.
    "schedule": EVERYTHING,
    "members": EVERYTHING,
    # A member signed out everywhere: a role change or an erasure, both on the tables.
    "member_signed_out": EVERYTHING,
    # Events for a few sockets (one browser signing out, one screen, one take's feedback,
    # the reveal's animation): they change no team data.
    "session_ended": NOTHING,
    "screen_revoked": NOTHING,
    "screen_settings": NOTHING,
    "reveal": NOTHING,
    TAKE_FEEDBACK_KIND: NOTHING,
}


def parts_changed_by(kind: str) -> frozenset[BoardPart]:
    """The board parts an event of `kind` may have changed (all of them if unknown)."""
    return PARTS_BY_KIND.get(kind, EVERYTHING)
