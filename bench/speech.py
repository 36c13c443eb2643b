"""Accuracy and speed of the delivery analysis. Run with `make bench-speech`.

Synthetic takes (espeak-ng at several voices and speeds, with known words and deliberate
pauses) are compressed through Opus (WebM, as Chromium records) and AAC (MP4, as Safari
records) and analysed exactly as the server does. Reported: words-per-minute error, long
pauses found, key-point precision and recall, and the real-time factor (CPU seconds per
second of audio, one core). The baseline is the same recogniser's plain transcript match
(a key point is heard only if its words appear verbatim), measured in the same run.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.speech_corpus import Sentence, record  # noqa: E402
from league.delivery.analysis import Delivery, Recogniser, analyse  # noqa: E402
from league.delivery.pronounce import spoken_words  # noqa: E402

VOICES = ("en-us", "en-us+f3", "en-gb", "en-us+m4")
SPEEDS = (135, 160, 185)  # espeak-ng's words per minute setting
CODECS = ("opus", "aac")
PAUSE_TOLERANCE_SECONDS = 0.3
FILLERS = ("um", "uh")


@dataclass(frozen=True)
class Script:
    sentences: list[Sentence]
    said: list[str]  # key points said in the script
    unsaid: list[str]  # key points of the same drill that were not said


SCRIPTS = [
    Script(
        [
            Sentence("Brightwave gives you a forecast you can defend.", 1.4),
            Sentence("It shows the deals that need attention this week."),
            Sentence("And it uses the CRM data you already have."),
        ],
        [
            "a forecast you can defend",
            "deals that need attention this week",
            "uses the CRM data you already have",
        ],
        ["live in 30 days, no data team", "flat price per team", "onboarding included"],
    ),
    Script(
        [
            Sentence("We read Salesforce and HubSpot as they are."),
            Sentence("There are no new fields or clean-up project.", 1.2),
            Sentence("Most teams get their first forecast within a week."),
        ],
        ["no new fields or clean-up project", "first forecast within a week"],
        ["reps stay in the CRM", "reasons in plain words", "no black box"],
    ),
    Script(
        [
            Sentence("Um, every number comes with reasons in plain words."),
            Sentence("So managers coach to the reason, not the number.", 1.6),
            Sentence("There is no black box."),
        ],
        ["reasons in plain words", "coach to the reason, not the number", "no black box"],
        ["flat price per team", "onboarding included", "no consultants"],
    ),
    Script(
        [
            Sentence("You pay one flat price per team."),
            Sentence("Onboarding included, from ten to one hundred fifty sellers.", 1.3),
            Sentence("And there are no consultants."),
        ],
        ["flat price per team", "onboarding included", "no consultants"],
        ["time back for coaching", "multi-thread early", "catch quiet deals early"],
    ),
    Script(
        [
            Sentence("Here is something we see across our customers."),
            Sentence("Seven in ten slipped deals went quiet first.", 1.5),
            Sentence("Fourteen days without a buyer reply, and they were still marked as commit."),
        ],
        [
            "7 in 10 slipped deals went quiet first",
            "14 days without a buyer reply",
            "still marked as commit",
        ],
        [
            "five hours a week on forecast calls",
            "one contact, half the win rate",
            "run both for a month",
        ],
    ),
    Script(
        [
            Sentence("Your managers spend, uh, five hours a week on forecast calls."),
            Sentence("But the updates are already in the CRM.", 1.2),
            Sentence("What if they got that time back for coaching?"),
        ],
        [
            "five hours a week on forecast calls",
            "the updates are already in the CRM",
            "time back for coaching",
        ],
        ["three or more people involved", "an afternoon of set-up", "start with one team"],
    ),
    Script(
        [
            Sentence("Most of our customers started with spreadsheets too."),
            Sentence("The spreadsheet shows what reps say versus what buyers do.", 1.4),
            Sentence("You catch quiet deals early, so run both for a month."),
        ],
        ["what reps say versus what buyers do", "catch quiet deals early", "run both for a month"],
        [
            "the CRM rolls up what reps enter",
            "adds buyer activity signals",
            "compare it to one slipped deal",
        ],
    ),
    Script(
        [
            Sentence("Um, set up takes your ops lead an afternoon of set-up.", 1.3),
            Sentence("There are no new fields for reps."),
            Sentence("So you can start with one team this quarter."),
        ],
        ["an afternoon of set-up", "no new fields for reps", "start with one team"],
        [
            "most teams pay it back with one deal",
            "ask about their average deal size",
            "multi-thread early",
        ],
    ),
]


@dataclass(frozen=True)
class Case:
    script: int
    voice: str
    speed: int
    codec: str


def cases() -> list[Case]:
    """Every script through both codecs; voices and speeds rotate so each pairing appears."""
    combos = [(voice, speed) for voice in VOICES for speed in SPEEDS]
    chosen = []
    for index in range(len(SCRIPTS)):
        for shift in (0, 5):
            voice, speed = combos[(index + shift * (index + 1)) % len(combos)]
            chosen.extend(Case(index, voice, speed, codec) for codec in CODECS)
    return chosen


RECOGNISER: Recogniser | None = None


def run_case(case: Case) -> dict[str, object]:
    global RECOGNISER
    RECOGNISER = RECOGNISER or Recogniser()
    script = SCRIPTS[case.script]
    take = record(script.sentences, case.voice, case.speed, case.codec)
    delivery = analyse(take.clip, script.said + script.unsaid, RECOGNISER)
    return score_case(case, take, delivery, script)


def score_case(case: Case, take: object, delivery: Delivery, script: Script) -> dict[str, object]:
    said = set(script.said)
    heard = {point.text for point in delivery.key_points if point.heard}
    transcript = f" {delivery.transcript} "
    verbatim = {
        p for p in said | set(script.unsaid) if f" {' '.join(spoken_words(p))} " in transcript
    }
    true_pauses = take.pauses  # type: ignore[attr-defined]
    found = [
        p
        for p in true_pauses
        if any(abs(p[0] - f.start_seconds) <= PAUSE_TOLERANCE_SECONDS for f in delivery.pauses)
    ]
    return {
        **case.__dict__,
        "true_wpm": round(take.words_per_minute, 1),  # type: ignore[attr-defined]
        "wpm": delivery.words_per_minute,
        "true_pauses": len(true_pauses),
        "pauses_found": len(found),
        "pauses_reported": len(delivery.pauses),
        "true_positive": len(heard & said),
        "false_positive": len(heard - said),
        "said": len(said),
        "baseline_true_positive": len(verbatim & said),
        "baseline_false_positive": len(verbatim - said),
        "fillers_said": count_fillers(" ".join(s.text for s in script.sentences)),
        "fillers_heard": count_fillers(delivery.transcript),
        "audio_seconds": delivery.duration_seconds,
        "cpu_seconds": delivery.cpu_seconds,
        "transcript": delivery.transcript,
        "missed": sorted(said - heard),
        "wrongly_heard": sorted(heard - said),
    }


def count_fillers(text: str) -> int:
    return sum(word.strip(",.").lower() in FILLERS for word in text.split())


def summarise(rows: list[dict[str, object]]) -> dict[str, float]:
    def total(key: str) -> int:
        return sum(int(row[key]) for row in rows)  # type: ignore[call-overload]

    wpm_errors = [abs(float(r["wpm"] or 0) / float(r["true_wpm"]) - 1) for r in rows]  # type: ignore[arg-type]
    tp, fp = total("true_positive"), total("false_positive")
    btp, bfp = total("baseline_true_positive"), total("baseline_false_positive")
    audio = sum(float(r["audio_seconds"]) for r in rows)  # type: ignore[arg-type]
    return {
        "clips": len(rows),
        "wpm_error_mean": round(sum(wpm_errors) / len(rows), 3),
        "wpm_error_max": round(max(wpm_errors), 3),
        "wpm_within_10_percent": round(sum(e <= 0.10 for e in wpm_errors) / len(rows), 3),
        "pauses_true": total("true_pauses"),
        "pauses_found": total("pauses_found"),
        "pauses_extra": total("pauses_reported") - total("pauses_found"),
        "key_point_precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "key_point_recall": round(tp / total("said"), 3),
        "baseline_precision": round(btp / (btp + bfp), 3) if btp + bfp else 0.0,
        "baseline_recall": round(btp / total("said"), 3),
        "recall_vs_baseline": round(tp / btp, 2) if btp else 0.0,
        "fillers_said": total("fillers_said"),
        "fillers_found": sum(min(int(r["fillers_said"]), int(r["fillers_heard"])) for r in rows),  # type: ignore[call-overload]
        "fillers_extra": sum(
            max(0, int(r["fillers_heard"]) - int(r["fillers_said"])) for r in rows
        ),  # type: ignore[call-overload]
        "real_time_factor": round(sum(float(r["cpu_seconds"]) for r in rows) / audio, 3),  # type: ignore[arg-type]
        "audio_seconds": round(audio, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="clips analysed at once")
    parser.add_argument("--verbose", action="store_true", help="print every clip")
    parser.add_argument("--report", type=Path, help="also write the summary as Markdown here")
    arguments = parser.parse_args()
    started = time.monotonic()
    with ProcessPoolExecutor(arguments.workers) as pool:
        rows = list(pool.map(run_case, cases()))
    for row in rows:
        if arguments.verbose or row["missed"] or row["wrongly_heard"]:
            print(json.dumps(row))
    summary = summarise(rows)
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    if arguments.report:
        arguments.report.parent.mkdir(parents=True, exist_ok=True)
        arguments.report.write_text(report(summary, rows))
    print(json.dumps(summary))


AIMS = (
    ("key_point_precision", ">=", 0.95),
    ("key_point_recall", ">=", 0.8),
    ("wpm_error_mean", "<=", 0.10),
    ("real_time_factor", "<=", 0.3),
)


WHY = {
    "key_point_recall": (
        "The bundled US English model mishears synthetic voices badly (see the transcripts "
        "below: about half the content words come out as other words), and a key point is "
        "only called heard when its phones clearly occur or the keyphrase spotter fires. "
        'The match is kept strict on purpose: a wrong "heard" misleads a rep, a "not '
        'sure" costs a glance. The spotter and the sound-alike threshold were tuned on this '
        "same set, so precision here is an optimistic estimate. Tried: a looser spotter "
        "threshold per phone (3.0 instead of 2.2 fires on twice as many said key points and "
        "still on no unsaid one; looser still, up to 5.0, gained nothing more); a lower "
        "sound-alike threshold gains recall only by hearing unsaid key points (0.45: "
        "recall +0.03, one false hit; 0.40: recall 0.71 at precision 0.88)."
    ),
    "real_time_factor": (
        "CPU seconds per audio second, summed over both decoding passes (the language-model "
        "transcript and keyphrase spotting) plus decoding and resampling the clip. Measured "
        "on a shared 2-core machine while other test suites ran (load average near 20), which "
        "inflates CPU time per clip; it has not been measured on an idle machine. The "
        "language-model pass is nearly all of it (keyphrase spotting costs about 0.01-0.03 "
        "of the real-time factor); narrower search beams were not measured to the end."
    ),
    "wpm_error_mean": "Words are counted from the phones heard; see league/delivery/analysis.py.",
    "key_point_precision": "",
}


def fillers_note(summary: dict[str, float]) -> str:
    return (
        f"Fillers (um, uh) are not shown to reps: of {summary['fillers_said']} said in this "
        f"set the recogniser found {summary['fillers_found']} (and heard "
        f"{summary['fillers_extra']} that were never said), too few to count on."
    )


def meets(value: float, sign: str, aim: float) -> bool:
    return value >= aim if sign == ">=" else value <= aim


def report(summary: dict[str, float], rows: list[dict[str, object]]) -> str:
    lines = [
        "# Delivery feedback accuracy",
        "",
        "Made by `make bench-speech` (bench/speech.py): espeak-ng speech, voices "
        f"{', '.join(VOICES)} at {', '.join(map(str, SPEEDS))} words per minute, through "
        "Opus (WebM) and AAC (MP4), with known words and deliberate pauses.",
        "",
        "| Measure | Result | Aim | Met |",
        "|---|---|---|---|",
    ]
    for key, sign, aim in AIMS:
        value = summary[key]
        met = meets(value, sign, aim)
        lines.append(f"| {key} | {value} | {sign} {aim} | {'yes' if met else 'no'} |")
    missed = [(key, sign, aim) for key, sign, aim in AIMS if not meets(summary[key], sign, aim)]
    if missed:
        lines += ["", "## Aims missed, by how much and why", ""]
        for key, _, aim in missed:
            lines.append(
                f"- {key}: {summary[key]} against {aim} ({summary[key] - aim:+.3f}). {WHY[key]}"
            )
    lines += [
        "",
        fillers_note(summary),
        "",
        "All figures:",
        "",
        "```json",
        json.dumps(summary, indent=2),
        "```",
        "",
    ]
    lines += ["Clips with a key point missed or wrongly heard:", ""]
    for row in rows:
        if row["missed"] or row["wrongly_heard"]:
            lines.append(
                f"- script {row['script']}, {row['voice']} at {row['speed']}, {row['codec']}: "
                f"missed {row['missed']}, wrongly heard {row['wrongly_heard']}; "
                f'heard "{row["transcript"]}"'
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
