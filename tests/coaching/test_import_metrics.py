"""Importing a month of sales metrics: preview, problems by line, all or nothing, re-import."""

from __future__ import annotations

import httpx
import pytest

from league.accounts.models import Membership
from league.coaching.models import SalesMetrics
from tests.conftest import ClientFactory

GOOD_CSV = """email,activities,meetings,opportunities,proposals,wins,average_deal_size
priya@example.com,120,30,12,6,3,15000
jonas@example.com,80,20,10,4,1,9000
Amara Nwosu,100,10,5,2,0,
"""

# As a CRM report exports it (semicolons, thousands separators, currency signs).
CRM_HEADER = "Opportunity Owner;Activity Count;Meetings Held;Opportunities Created;"
CRM_CSV = (
    CRM_HEADER
    + """Proposal/Price Quote;Closed Won;Average Amount
Priya Shah;1,200;30;12;6;3;$15,000.00
Jonas Berg;80;20;10;4;1;$9,000.00
"""
)


async def preview(client: httpx.AsyncClient, text: str, period: str = "2026-02") -> httpx.Response:
    return await client.post("/coaching/metrics/preview", data={"period": period, "csv_text": text})


async def confirm(
    client: httpx.AsyncClient, text: str, period: str = "2026-02", **mapping: str
) -> httpx.Response:
    data = {"period": period, "csv_text": text, **{f"map_{k}": v for k, v in mapping.items()}}
    if mapping:
        data["mapped"] = "1"
    return await client.post("/coaching/metrics/import", data=data)


async def saved_rows(period: str = "2026-02") -> list[tuple[str, int, int, float | None]]:
    rows = await SalesMetrics.filter(period=period).order_by("member__user__name")
    names = {m.id: m.user.name for m in await Membership.all().select_related("user")}
    return [
        (names[row.member_id], row.activities, row.wins, row.average_deal_size)  # type: ignore[attr-defined]
        for row in rows
    ]


async def test_it_previews_without_saving(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    response = await preview(client, GOOD_CSV)
    assert response.status_code == 200
    assert "Import 3 reps for 2026-02" in response.text
    assert "Amara Nwosu" in response.text and "15,000" in response.text
    assert await SalesMetrics.all().count() == 0


async def test_it_saves_a_good_file(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    response = await confirm(client, GOOD_CSV)
    assert response.status_code == 303
    assert response.headers["location"] == "/coaching/metrics?imported=3&period=2026-02"
    assert await saved_rows() == [
        ("Amara Nwosu", 100, 0, None),
        ("Jonas Berg", 80, 1, 9000.0),
        ("Priya Shah", 120, 3, 15000.0),
    ]
    page = await client.get("/coaching/metrics?imported=3&period=2026-02")
    assert "Saved 3 reps for 2026-02" in page.text


async def test_it_maps_a_crm_report_export(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    response = await preview(client, CRM_CSV)
    assert "Import 2 reps" in response.text
    # The guessed mapping is shown pre-selected, so the manager can check it.
    assert '<option value="Closed Won" selected>' in response.text
    await confirm(client, CRM_CSV)
    assert await saved_rows() == [("Jonas Berg", 80, 1, 9000.0), ("Priya Shah", 1200, 3, 15000.0)]


async def test_it_uses_the_mapping_the_manager_chose(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    text = "who,a,b,c,d,e,f\npriya@example.com,1,2,3,4,5,600\n"
    client = await make_client(manager)
    first = await preview(client, text)
    assert "No column chosen for Activities." in first.text
    mapping = dict(
        member="who",
        activities="a",
        meetings="b",
        opportunities="c",
        proposals="d",
        wins="e",
        average_deal_size="f",
    )
    response = await confirm(client, text, **mapping)
    assert response.status_code == 303
    assert await saved_rows() == [("Priya Shah", 1, 5, 600.0)]


BAD_LINES = [
    (
        "priya@example.com,12x,30,12,6,3,15000",
        "Line 2:</strong> Activities &#39;12x&#39; is not a number.",
    ),
    (
        "priya@example.com,-4,30,12,6,3,15000",
        "Line 2:</strong> Activities &#39;-4&#39; must be a whole number, 0 or more.",
    ),
    (
        "priya@example.com,4.5,30,12,6,3,15000",
        "Line 2:</strong> Activities &#39;4.5&#39; must be a whole number",
    ),
    ("priya@example.com,,30,12,6,3,15000", "Line 2:</strong> Activities is empty."),
    ("priya@example.com,120,30,12,6,3,", "Line 2:</strong> Average deal size is empty."),
    (
        "priya@example.com,120,30,12,6,3,-5",
        "Line 2:</strong> Average deal size &#39;-5&#39; can&#39;t be negative.",
    ),
    ("priya@example.com,120,30", "Line 2:</strong> It has 3 values but the header has 7."),
    (",120,30,12,6,3,15000", "Line 2:</strong> No rep given."),
    (
        "nobody@example.com,120,30,12,6,3,15000",
        "Line 2:</strong> No one called &#39;nobody@example.com&#39; in this team.",
    ),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
async def test_it_lists_each_kind_of_bad_line_and_saves_nothing(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], line: str, message: str
) -> None:
    text = GOOD_CSV.splitlines()[0] + "\n" + line + "\njonas@example.com,80,20,10,4,1,9000\n"
    client = await make_client(manager)
    shown = await preview(client, text)
    assert message in shown.text
    assert "Import 1 rep" not in shown.text  # no confirm button while any line is bad
    response = await confirm(client, text)
    assert response.status_code == 400
    assert "Nothing was saved" in response.text
    assert await SalesMetrics.all().count() == 0


async def test_it_refuses_a_member_of_another_team(
    make_client: ClientFactory, manager: Membership, reps: list[Membership], outsider: Membership
) -> None:
    text = GOOD_CSV + f"{outsider.user.email},1,1,1,1,1,100\n"
    response = await confirm(await make_client(manager), text)
    assert response.status_code == 400
    assert f"Line 5:</strong> No one called &#39;{outsider.user.email}&#39;" in response.text
    assert await SalesMetrics.all().count() == 0


async def test_it_refuses_a_rep_listed_twice(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    text = GOOD_CSV + "Priya Shah,1,1,1,1,0,\n"
    response = await confirm(await make_client(manager), text)
    assert "Line 5:</strong> Priya Shah already appears on line 2." in response.text
    assert await SalesMetrics.all().count() == 0


async def test_reimporting_a_period_replaces_it(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    await confirm(client, GOOD_CSV)
    await confirm(client, GOOD_CSV, period="2026-01")
    again = "email,activities,meetings,opportunities,proposals,wins,average_deal_size\n"
    again += "jonas@example.com,90,21,11,5,2,8000\n"
    await confirm(client, again)
    assert await saved_rows() == [("Jonas Berg", 90, 2, 8000.0)]
    assert len(await saved_rows("2026-01")) == 3  # other periods are left alone


async def test_it_refuses_a_bad_period_and_an_empty_file(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    response = await preview(client, GOOD_CSV, period="March")
    assert response.status_code == 400
    assert "for example 2026-03" in response.text
    response = await preview(client, "  ")
    assert response.status_code == 400
    assert "That file is empty" in response.text


async def test_it_reads_an_uploaded_file(
    make_client: ClientFactory, manager: Membership, reps: list[Membership]
) -> None:
    client = await make_client(manager)
    response = await client.post(
        "/coaching/metrics/preview",
        data={"period": "2026-02"},
        files={"file": ("report.csv", GOOD_CSV.encode(), "text/csv")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text  # the htmx fragment only
    assert "Import 3 reps for 2026-02" in response.text


async def test_it_is_for_coaches_only(
    make_client: ClientFactory, rep: Membership, client: httpx.AsyncClient
) -> None:
    assert (await (await make_client(rep)).get("/coaching/metrics")).status_code == 403
    assert (await confirm(await make_client(rep), GOOD_CSV)).status_code == 403
    assert (await client.get("/coaching/metrics")).status_code in (302, 303, 401)


async def test_it_rejects_get_on_import(make_client: ClientFactory, manager: Membership) -> None:
    response = await (await make_client(manager)).get("/coaching/metrics/import")
    assert response.status_code == 405
