"""What changed between two renders of a live view, as a small patch for the browser.

A team of 500 has a standings view of several hundred kilobytes, but one review changes a
few rows. So a socket that holds the previous render gets only the elements that changed:
any element with an `id` is a unit; a unit whose own markup (its text with the units inside
it left out) is unchanged is not sent, only the units inside it that changed. A list whose
rows (units) were reordered, added or removed is sent as its new order of row ids plus the
rows that are new or changed. Anything else that changed is sent whole.

The patch is one `<template data-live-patch>` holding the changed elements and, per
reordered list, a `<template data-live-order="an old row id" data-keys="…">`; live.js
applies it. A socket that does not hold the previous render gets the whole view instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape

# An id attribute, and the name of the tag it sits in. Attribute values never hold "<" or
# ">": Jinja escapes them.
ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\s")
VOID_TAGS = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
LIST_OPEN = re.compile(r"<(ol|ul)\b[^>]*>\s*$")
LIST_CLOSE = re.compile(r"\s*</(ol|ul)>")


@cache
def tag_pattern(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>")


@dataclass
class Unit:
    id: str
    start: int
    end: int
    children: list[Unit] = field(default_factory=list)


def element_end(html: str, tag: str, start_tag_end: int) -> int:
    """Where the element whose start tag ends at `start_tag_end` ends (-1 if it never does)."""
    if tag.lower() in VOID_TAGS or html[start_tag_end - 2] == "/":
        return start_tag_end
    depth = 1
    for match in tag_pattern(tag).finditer(html, start_tag_end):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.end()
        elif not match.group(0).endswith("/>"):
            depth += 1
    return -1


@lru_cache(maxsize=16)  # each render is the new side of one patch, then the old of the next
def parse_units(html: str) -> list[Unit] | None:
    """The top-level units of `html`, each with the units inside it; None when `html` is
    not a run of units (text outside them, or an element that never closes)."""
    roots: list[Unit] = []
    stack: list[Unit] = []
    for match in ID_ATTRIBUTE.finditer(html):
        start = html.rfind("<", 0, match.start())
        tag = TAG_NAME.match(html, start)
        start_tag_end = html.find(">", match.end()) + 1
        if tag is None or html.find(">", start, match.start()) >= 0 or not start_tag_end:
            continue  # not inside a start tag (text that reads ' id="')
        end = element_end(html, tag.group(1), start_tag_end)
        if end < 0:
            return None
        unit = Unit(match.group(1), start, end)
        while stack and stack[-1].end <= unit.start:
            stack.pop()
        if stack and unit.end > stack[-1].end:
            return None  # overlapping elements: not HTML we rendered
        (stack[-1].children if stack else roots).append(unit)
        stack.append(unit)
    covered = 0
    for unit in roots:
        if html[covered : unit.start].strip():
            return None
        covered = unit.end
    return None if html[covered:].strip() else roots


@dataclass(frozen=True)
class Run:
    """Consecutive child units filling one <ol>/<ul>: the rows of a list."""

    units: list[Unit]

    @property
    def keys(self) -> list[str]:
        return [unit.id for unit in self.units]


Segment = Run | Unit


def segments(html: str, parent: Unit) -> list[Segment]:
    """The parent's child units, the rows of each list grouped into one Run."""
    groups: list[list[Unit]] = []
    for child in parent.children:
        if groups and not html[groups[-1][-1].end : child.start].strip():
            groups[-1].append(child)
        else:
            groups.append([child])
    found: list[Segment] = []
    for group in groups:
        if fills_a_list(html, parent, group):
            found.append(Run(group))
        else:
            found.extend(group)
    return found


def has_repeats(part: Segment) -> bool:
    return isinstance(part, Run) and len(set(part.keys)) != len(part.keys)


def fills_a_list(html: str, parent: Unit, group: list[Unit]) -> bool:
    opening = html.rfind("<", parent.start, group[0].start)
    return (
        opening >= 0
        and LIST_OPEN.match(html, opening, group[0].start) is not None
        and LIST_CLOSE.match(html, group[-1].end, parent.end) is not None
    )


def shell(html: str, unit: Unit, parts: list[Segment]) -> str:
    """The unit's markup with each child unit, or list of rows, replaced by a label."""
    pieces = []
    position = unit.start
    for part in parts:
        if isinstance(part, Run):
            start, end, label = part.units[0].start, part.units[-1].end, "\0rows\0"
        else:
            start, end, label = part.start, part.end, f"\0{part.id}\0"
        pieces.append(html[position:start])
        pieces.append(label)
        position = end
    pieces.append(html[position : unit.end])
    return "".join(pieces)


class Differ:
    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self.changed: list[str] = []
        self.orders: list[str] = []

    def text(self, unit: Unit, html: str) -> str:
        return html[unit.start : unit.end]

    def compare(self, before: Unit, after: Unit) -> None:
        new_text = self.text(after, self.new)
        if self.text(before, self.old) == new_text:
            return
        if shell(self.old, before, list(before.children)) == shell(
            self.new, after, list(after.children)
        ):
            for old_child, new_child in zip(before.children, after.children, strict=True):
                self.compare(old_child, new_child)
        elif not self.reorder(before, after):
            self.changed.append(new_text)

    def reorder(self, before: Unit, after: Unit) -> bool:
        """Patch lists whose rows changed order or membership; False if more changed."""
        old_parts, new_parts = segments(self.old, before), segments(self.new, after)
        if any(has_repeats(part) for part in [*old_parts, *new_parts]):
            return False
        if shell(self.old, before, old_parts) != shell(self.new, after, new_parts):
            return False
        for old_part, new_part in zip(old_parts, new_parts, strict=True):
            if isinstance(old_part, Run) and isinstance(new_part, Run):
                self.patch_run(old_part, new_part)
            elif isinstance(old_part, Unit) and isinstance(new_part, Unit):
                self.compare(old_part, new_part)
        return True

    def patch_run(self, old_run: Run, new_run: Run) -> None:
        previous = {unit.id: unit for unit in old_run.units}
        for unit in new_run.units:
            if unit.id in previous:
                self.compare(previous[unit.id], unit)
            else:
                self.changed.append(self.text(unit, self.new))
        if old_run.keys != new_run.keys:
            self.orders.append(order_template(old_run.keys[0], new_run.keys))

    def patch(self) -> str | None:
        """The patch from `old` to `new`, or None when only the whole view will do."""
        before, after = parse_units(self.old), parse_units(self.new)
        if not before or not after or [u.id for u in before] != [u.id for u in after]:
            return None
        for old_unit, new_unit in zip(before, after, strict=True):
            self.compare(old_unit, new_unit)
        if not self.changed and not self.orders:
            return ""
        return f"<template data-live-patch>{''.join(self.changed)}{''.join(self.orders)}</template>"


def order_template(anchor: str, keys: list[str]) -> str:
    """A list's new order: row ids without their shared prefix ("season-row-")."""
    prefix = shared_prefix(keys)
    short = " ".join(key[len(prefix) :] for key in keys)
    return (
        f'<template data-live-order="{escape(anchor)}" data-prefix="{escape(prefix)}"'
        f' data-keys="{escape(short)}"></template>'
    )


def shared_prefix(keys: list[str]) -> str:
    if not keys:
        return ""
    first, last = min(keys), max(keys)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    # Cut after a dash: "season-row-1" and "season-row-12" share "season-row-", not "…-1".
    return first[: first.rfind("-", 0, size) + 1]


def view_patch(old: str, new: str) -> str | None:
    """What turns the render `old` into `new` in the browser; None: send `new` whole."""
    return Differ(old, new).patch()
