"""The importers under fuzzing: the playbook (Markdown and YAML) and the sales metrics CSV.

One input is one file: its first byte picks the importer, the rest is the file. Any
LeagueError is a clear message for the person and counts as handled; anything else
escaping is a bug (it would be a 500).

Run coverage-guided with atheris: `python -m tests.fuzz.importers -max_total_time=60
OUT_DIR tests/fuzz/corpus/importers` (libFuzzer options; new inputs go to OUT_DIR).
"""

from __future__ import annotations

import sys

from league.web.errors import LeagueError


def fuzz_one(data: bytes) -> None:
    from league.coaching.importing import Rep, preview_import
    from league.playbook.importing import PlaybookFormat, decode, parse_playbook

    if not data:
        return
    target, body = data[0] % 3, data[1:]
    try:
        if target == 2:
            reps = [Rep(1, "rep1@demo.test", "Riley Rep"), Rep(2, "kim@demo.test", "Kim Lee")]
            preview_import(body, reps)
        else:
            chosen = PlaybookFormat.YAML if target == 1 else PlaybookFormat.MARKDOWN
            parse_playbook(decode(body), chosen)
    except LeagueError as error:
        assert error.message and 400 <= error.status < 500


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["league", "yaml", "csv"]):
        import league.coaching.importing  # noqa: F401
        import league.playbook.importing  # noqa: F401
    atheris.Setup(argv, fuzz_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
