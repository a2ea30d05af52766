"""Benchmark: rights claims check, for accuracy on the hand-labelled set and for speed.

Accuracy (tests/data/claims, labelled by hand; its README says how):

* extraction precision, recall and F1 at three levels (value, value+unit, value+unit+year),
  Rights Monitor's rules beside quantulum3 alone (its own unit names mapped to the canonical
  units; it reads no reference year) on the same text, pooled over the five seed documents
  and the 60 written passages (tests/claims_scoring.py);
* verdict accuracy on the checkable claims: every labelled claim the labeller tied to a stored
  indicator whose verdict, worked out from the hand-labelled reading (its value, unit,
  qualifier, year and indicator), is consistent, consistent with one edition only, or
  differs; the command's verdict for the claim it found there must be the same.

Speed: the whole command a user runs (a fresh ``rights claims check DOC --out DIR`` process
on the bundled store: read, extract, map, compare, write HTML, JSON and CSV), on reports made
by repeating the seed documents' real text to 10, 50, 100 and 200 pages of about 3,000
characters, beside quantulum3's parse of the same text (in process: extraction alone).

    .venv/bin/python bench/bench_claims.py [--seeds ../shared/seeds] [--out bench/results/claims.md]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from claims_scoring import Labelled, labelled_set, ours, passages, quantulum, score  # noqa: E402

RIGHTS = str(Path(sys.executable).with_name("rights"))
PAGE = 3000  # characters of a page of a printed report


def verdict_accuracy(items: list[Labelled], db: str) -> tuple[int, int, list[str]]:
    """(agreeing, checkable, the disagreements) — see the module's text."""
    from rightsmonitor.assess.claims import _Match, check_claim
    from rightsmonitor.methods.claim_extraction import extract_claims
    from rightsmonitor.methods.countries import countries_named
    from rightsmonitor.model.claims import Claim, Qualifier, Verdict
    from rightsmonitor.ops.claims import _sentence_country, _series
    from rightsmonitor.ops.context import Context
    from rightsmonitor.sources.claim_terms import bundled_claim_terms
    from rightsmonitor.store import open_store

    terms = {t.indicator: t for t in bundled_claim_terms() if not t.different}
    decided = {Verdict.CONSISTENT, Verdict.CONSISTENT_WITH_EDITION_ONLY, Verdict.DIFFERS}
    good, total, wrong = 0, 0, []
    with open_store(db, read_only=True) as store:
        sources = {s.id: s for s in store.sources()}
        for item in items:
            found = extract_claims(item.document)
            named = countries_named(item.document.text).most_common(1)
            default = named[0][0] if named else None
            year = item.document.date.year if item.document.date else None
            for gold in item.gold:
                if gold.indicator == "none" or gold.indicator not in terms:
                    continue
                mine = [c for c in found if c.start < gold.end and gold.start < c.end]
                sentence = next(
                    (c.sentence for c in mine), item.document.text[gold.start - 200 : gold.end + 50]
                )
                area = _sentence_country(sentence) or default
                entry = terms[gold.indicator]
                reading = Claim(
                    "gold",
                    item.document.text[gold.start : gold.end],
                    item.document.text[gold.start : gold.end],
                    gold.value,
                    gold.unit,
                    Qualifier(gold.qualifier),
                    gold.year,
                    "",
                    "",
                    sentence,
                    gold.start,
                    gold.end,
                    1,
                    1,
                    "",
                    _decimals(item.document.text[gold.start : gold.end]),
                    "",
                )
                series = _series(store, {entry.indicator, *entry.also}, {area} if area else set())
                expected = check_claim(
                    reading, area, _Match(entry, "gold", 0, True), series, sources, year
                )
                if expected.verdict not in decided:
                    continue
                total += 1
                ours_check = None
                if mine:
                    from rightsmonitor.assess.claims import map_claim

                    ours_check = check_claim(
                        mine[0],
                        area,
                        map_claim(mine[0], bundled_claim_terms()),
                        _series(
                            store,
                            _codes(map_claim(mine[0], bundled_claim_terms())),
                            {area} if area else set(),
                        ),
                        sources,
                        year,
                    )
                if ours_check is not None and ours_check.verdict_text == expected.verdict_text:
                    good += 1
                else:
                    said = ours_check.verdict_text if ours_check else "not found"
                    wrong.append(
                        f"{item.name}: '{reading.text}' expected {expected.verdict_text}, "
                        f"got {said}"
                    )
    del Context
    return good, total, wrong


def _codes(match) -> set[str]:
    return set() if match is None else {match.entry.indicator, *match.entry.also}


def _decimals(number: str) -> int:
    from rightsmonitor.methods.claim_extraction import number_digits

    digits = number_digits(number)
    return len(digits.split(".")[1]) if "." in digits else 0


def report_of_pages(seeds: Path, pages: int, folder: Path) -> Path:
    """A plain-text report of ``pages`` pages (form feeds) made of the seeds' real text."""
    text = "\n\n".join(p.read_text("utf-8") for p in sorted(seeds.glob("*.txt")))
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    out, page, i = [], [], 0
    while len(out) < pages:
        page.append(paragraphs[i % len(paragraphs)])
        i += 1
        if sum(len(p) for p in page) >= PAGE:
            out.append("\n\n".join(page))
            page = []
    path = folder / f"report-{pages}p.txt"
    path.write_text(
        "China's Efforts in Advancing Human Rights\n\n2022-December-9\n\n" + "\f".join(out), "utf-8"
    )
    return path


def time_command(path: Path, db: str, out: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [RIGHTS, "claims", "check", str(path), "--db", db, "--out", str(out)],
            check=True,
            capture_output=True,
        )
        best = min(best, time.perf_counter() - start)
    return best


def time_quantulum(path: Path, repeat: int) -> float:
    from rightsmonitor.sources.documents import read_document

    document = read_document(path)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        quantulum(document)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "claims.md")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10,50,100,200")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    import warnings

    warnings.simplefilter("ignore")
    from rightsmonitor.ops.context import Context
    from rightsmonitor.ops.imports import load_bundled

    items = labelled_set(args.seeds)
    lines = [
        f"# rights claims check ({platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()})",
        "",
        "## Extraction on the labelled set",
        "",
        f"{sum(len(i.gold) for i in items)} labelled claims in {len(items)} documents "
        "(5 seeds, 60 passages).",
        "",
        "| extractor | level | precision | recall | F1 |",
        "|---|---|---:|---:|---:|",
    ]
    heldout = passages("heldout.yaml")
    for name, extract in (("Rights Monitor", ours), ("quantulum3 alone", quantulum)):
        for level, s in score(items, extract).items():
            lines.append(f"| {name} | {level} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    lines += [
        "",
        f"Held-out passages (heldout.yaml, {sum(len(i.gold) for i in heldout)} claims in "
        f"{len(heldout)} passages, written without sight of the rules; the first score, before "
        "any rule saw their errors, is in claims-heldout-first-run.md):",
        "",
        "| extractor | level | precision | recall | F1 |",
        "|---|---|---:|---:|---:|",
    ]
    for name, extract in (("Rights Monitor", ours), ("quantulum3 alone", quantulum)):
        for level, s in score(heldout, extract).items():
            lines.append(f"| {name} | {level} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bundled.duckdb")
        load_bundled(Context(db=db))
        good, total, wrong = verdict_accuracy(items + heldout, db)
        lines += [
            "",
            "## Verdicts on the checkable labelled claims",
            "",
            f"{good} of {total} correct ({100 * good / max(total, 1):.1f} %).",
        ]
        lines += [f"- {w}" for w in wrong]
        lines += [
            "",
            "## Speed: the whole command",
            "",
            "| pages | characters | claims | rights claims check (s) "
            "| quantulum3 parse alone (s) | ratio |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for pages in (int(p) for p in args.sizes.split(",")):
            path = report_of_pages(args.seeds, pages, Path(tmp))
            ours_s = time_command(path, db, Path(tmp) / f"out{pages}", args.repeat)
            theirs = time_quantulum(path, 1)
            import json

            claims = len(
                json.loads((Path(tmp) / f"out{pages}" / "claims.json").read_text())["claims"]
            )
            lines.append(
                f"| {pages} | {path.stat().st_size:,} | {claims:,} | {ours_s:.2f} | "
                f"{theirs:.2f} | {theirs / ours_s:.1f}x |"
            )
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    del dataclasses
    main()
