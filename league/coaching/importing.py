"""Reading a sales-metrics CSV: map its columns, check every line, and say what is wrong where.

Nothing here writes. `preview_import` turns the file into rows and problems; the service
saves the rows only when there are no problems at all (all or nothing).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from league.web.errors import LeagueError

MAX_CSV_BYTES = 512 * 1024
MAX_CSV_LINES = 2000
PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

MEMBER = "member"
COUNT_FIELDS = ("activities", "meetings", "opportunities", "proposals", "wins")
DEAL_SIZE = "average_deal_size"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Header names this column goes by: our own format first, then common CRM report exports.
    aliases: tuple[str, ...]


COLUMNS = (
    Column(
        MEMBER,
        "Rep (email or full name)",
        (
            "email",
            "rep email",
            "rep",
            "name",
            "owner email",
            "opportunity owner",
            "activity owner",
            "owner",
            "assigned",
            "full name",
            "user",
        ),
    ),
    Column(
        "activities",
        "Activities",
        ("activities", "activity count", "total activities", "# of activities", "calls and emails"),
    ),
    Column("meetings", "Meetings", ("meetings", "meetings held", "meetings booked", "# meetings")),
    Column(
        "opportunities",
        "Opportunities",
        ("opportunities", "opportunities created", "new opportunities", "qualified", "opps"),
    ),
    Column(
        "proposals",
        "Proposals",
        ("proposals", "proposal/price quote", "proposal sent", "proposals sent", "proposal"),
    ),
    Column("wins", "Wins", ("wins", "closed won", "won", "deals won", "# won")),
    Column(
        DEAL_SIZE,
        "Average deal size",
        (
            "average_deal_size",
            "average deal size",
            "avg deal size",
            "deal size",
            "average amount",
            "avg. amount",
            "avg amount",
        ),
    ),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}


@dataclass(frozen=True)
class Rep:
    """A member a line may name, matched by email or full name (case and spacing ignored)."""

    id: int
    email: str
    name: str


@dataclass(frozen=True)
class MetricsRow:
    line: int
    member_id: int
    name: str
    values: dict[str, int]
    average_deal_size: float | None


@dataclass(frozen=True)
class Problem:
    line: int  # 0 for the file as a whole
    message: str


@dataclass
class ImportPreview:
    headers: list[str]
    mapping: dict[str, str]  # column key -> the header it reads from
    rows: list[MetricsRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_ready(self) -> bool:
        return bool(self.rows) and not self.problems


def check_period(period: str) -> str:
    period = period.strip()
    if not PERIOD_PATTERN.match(period):
        raise LeagueError("Give the period as year and month, for example 2026-03.")
    return period


def decode_csv(data: bytes) -> str:
    if not data.strip():
        raise LeagueError("That file is empty. Export the report as CSV and try again.")
    if len(data) > MAX_CSV_BYTES:
        raise LeagueError(f"That file is over {MAX_CSV_BYTES // 1024} KB; import one period.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(text: str) -> list[list[str]]:
    """The file's lines as cells. Comma, semicolon and tab separated files all work."""
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise LeagueError(f"That file isn't a readable CSV ({error}).") from None


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Each column's header, found by its aliases (the earliest alias wins)."""
    by_name = {normalise(header): header for header in headers}
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        for alias in column.aliases:
            header = by_name.get(normalise(alias))
            if header is not None and header not in mapping.values():
                mapping[column.key] = header
                break
    return mapping


def preview_import(
    data: bytes, reps: Sequence[Rep], mapping: Mapping[str, str] | None = None
) -> ImportPreview:
    """Every line read and checked; `mapping` (column key -> header) overrides the guess."""
    table = [row for row in read_table(decode_csv(data)) if any(cell.strip() for cell in row)]
    if len(table) > MAX_CSV_LINES + 1:
        raise LeagueError(f"That file has over {MAX_CSV_LINES} lines; import one period.")
    headers = [header.strip() for header in table[0]]
    chosen = {key: value for key, value in (mapping or guess_mapping(headers)).items() if value}
    preview = ImportPreview(headers=headers, mapping=chosen)
    preview.problems = check_mapping(headers, chosen)
    if preview.problems:
        return preview
    reader = LineReader(headers, chosen, reps)
    for line_number, cells in enumerate(table[1:], start=2):
        reader.read(line_number, cells, preview)
    if not preview.rows and not preview.problems:
        preview.problems.append(Problem(0, "The file has a header but no lines of numbers."))
    return preview


def check_mapping(headers: Sequence[str], mapping: Mapping[str, str]) -> list[Problem]:
    problems = []
    for column in COLUMNS:
        header = mapping.get(column.key)
        if header is None:
            problems.append(Problem(1, f"No column chosen for {column.label}."))
        elif header not in headers:
            problems.append(Problem(1, f"The file has no column called {header!r}."))
    used = [header for header in mapping.values()]
    for header in sorted({header for header in used if used.count(header) > 1}):
        problems.append(Problem(1, f"Column {header!r} is chosen for more than one field."))
    return problems


class LineReader:
    """Reads lines one by one, remembering which rep each line was for (to catch repeats)."""

    def __init__(self, headers: Sequence[str], mapping: Mapping[str, str], reps: Sequence[Rep]):
        self.positions = {key: headers.index(header) for key, header in mapping.items()}
        self.width = len(headers)
        self.by_email = {rep.email.lower(): rep for rep in reps}
        self.by_name: dict[str, list[Rep]] = {}
        for rep in reps:
            self.by_name.setdefault(normalise(rep.name), []).append(rep)
        self.seen: dict[int, int] = {}  # member id -> the line it first appeared on

    def read(self, line: int, cells: Sequence[str], preview: ImportPreview) -> None:
        if len(cells) != self.width:
            message = f"It has {len(cells)} values but the header has {self.width}."
            preview.problems.append(Problem(line, message))
            return
        problems: list[str] = []
        rep = self.find_rep(cells[self.positions[MEMBER]].strip(), line, problems)
        values = {key: self.read_count(cells, key, problems) for key in COUNT_FIELDS}
        deal_size = self.read_deal_size(cells, values.get("wins"), problems)
        if problems or rep is None:
            preview.problems.extend(Problem(line, message) for message in problems)
            return
        preview.rows.append(MetricsRow(line, rep.id, rep.name, values, deal_size))

    def find_rep(self, who: str, line: int, problems: list[str]) -> Rep | None:
        if not who:
            problems.append("No rep given.")
            return None
        matches = [self.by_email[who.lower()]] if who.lower() in self.by_email else []
        matches = matches or self.by_name.get(normalise(who), [])
        if not matches:
            problems.append(f"No one called {who!r} in this team.")
            return None
        if len(matches) > 1:
            problems.append(f"More than one member is called {who!r}: use their email.")
            return None
        rep = matches[0]
        if rep.id in self.seen:
            problems.append(f"{rep.name} already appears on line {self.seen[rep.id]}.")
            return None
        self.seen[rep.id] = line
        return rep

    def read_count(self, cells: Sequence[str], key: str, problems: list[str]) -> int:
        raw = cells[self.positions[key]].strip()
        label = COLUMN_LABELS[key]
        number = parse_number(raw)
        if number is None:
            problems.append(f"{label} {raw!r} is not a number." if raw else f"{label} is empty.")
            return 0
        if number < 0 or number != int(number):
            problems.append(f"{label} {raw!r} must be a whole number, 0 or more.")
            return 0
        return int(number)

    def read_deal_size(
        self, cells: Sequence[str], wins: int | None, problems: list[str]
    ) -> float | None:
        raw = cells[self.positions[DEAL_SIZE]].strip()
        if not raw and not wins:
            return None
        number = parse_number(raw)
        label = COLUMN_LABELS[DEAL_SIZE]
        if number is None:
            problems.append(f"{label} {raw!r} is not a number." if raw else f"{label} is empty.")
        elif number < 0:
            problems.append(f"{label} {raw!r} can't be negative.")
        return number


def parse_number(raw: str) -> float | None:
    """A figure as reports print it: '1,250', '$12,400.50', '£900' or '900 EUR'."""
    cleaned = re.sub(r"[£$€\s]|EUR|USD|GBP", "", raw, flags=re.IGNORECASE).replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    return float(cleaned)
