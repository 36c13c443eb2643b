"""Icons are the app's own inline SVG, never emoji or pictograph characters: office
screens (signage players) and Linux phones often have no emoji font, and a missing glyph
shows as an empty box. This reads everything that renders into a page: templates, style
sheets (CSS `content`), scripts, the demo seeds and the Python strings the pages show.
tests/browser/test_every_screen.py checks the rendered screens the same way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Arrows, technical symbols, geometric shapes, misc symbols, dingbats, more arrows and
# symbols, the emoji planes, and the emoji variation selector. Typographic marks such as
# "·", "–", "…" and quotes are fine. The same class works as a JavaScript regex (`u` flag).
PICTOGRAPH_CLASS = (
    r"[\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u27f0-\u27ff\u2900-\u297f\u2b00-\u2bff"
    r"\ufe0f\U0001f000-\U0001faff]"
)
PICTOGRAPH = re.compile(PICTOGRAPH_CLASS)
# JavaScript spells characters past U+FFFF as \u{...}.
PICTOGRAPH_JS = re.sub(r"\\U000([0-9a-f]{5})", r"\\u{\1}", PICTOGRAPH_CLASS)

PAGE_FILES = ("templates/**/*.html", "static/css/*.css", "static/js/*.js", "static/sw.js")


def find_pictographs(text: str, where: str) -> list[str]:
    return [
        f"{where}:{number}: {match.group()!r} in {line.strip()[:80]}"
        for number, line in enumerate(text.splitlines(), 1)
        for match in PICTOGRAPH.finditer(line)
    ]


def shown_strings(source: str) -> list[tuple[int, str]]:
    """String literals of a module, docstrings left out (they never reach a page)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_the_pattern_catches_emoji_and_symbol_icons() -> None:
    for character in "★✓✔✗🎉🔥🏆👍⭐▾←→↑✨⏰":
        assert PICTOGRAPH.search(character), character
    for character in "·–—…“”’%€£°×":
        assert not PICTOGRAPH.search(character), character


def test_no_template_style_sheet_or_script_holds_a_pictograph() -> None:
    files = [path for pattern in PAGE_FILES for path in ROOT.glob(pattern)]
    assert len(files) > 50
    found = [
        problem
        for path in files
        for problem in find_pictographs(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert not found, "\n".join(found)


def test_no_seed_or_python_string_a_page_shows_holds_a_pictograph() -> None:
    seeds = [path for path in (ROOT / "seeds").rglob("*") if path.is_file()]
    found = [
        problem
        for path in seeds
        if path.suffix in {".json", ".yaml", ".yml", ".csv", ".txt", ".md", ".toml"}
        for problem in find_pictographs(path.read_text(), str(path.relative_to(ROOT)))
    ]
    modules = list((ROOT / "league").rglob("*.py"))
    assert len(modules) > 50
    for path in modules:
        for line, value in shown_strings(path.read_text()):
            found.extend(
                f"{path.relative_to(ROOT)}:{line}: {m.group()!r}"
                for m in PICTOGRAPH.finditer(value)
            )
    assert not found, "\n".join(found)
