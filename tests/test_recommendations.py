"""Recommendations: the whole UPR Info file without losing a row; bad files refused whole.

Every test that writes runs on DuckDB and on PostgreSQL (the ``store``/``ctx``/``db`` fixtures,
and ``more_stores`` for the empty stores an export is imported into).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import shared_path, table_dump
from rightsmonitor.cli import app
from rightsmonitor.errors import InvalidInput, NotFound
from rightsmonitor.model.followup import (
    ExportRequest,
    FollowUpReportRequest,
    SimilarRequest,
    SummaryRequest,
)
from rightsmonitor.ops.context import Context
from rightsmonitor.ops.recommendations import (
    export,
    follow_up_report,
    import_classification,
    import_links,
    import_recommendations,
    import_updates,
    similar,
    suggest,
    summary,
)
from rightsmonitor.store import Store, open_store

SMALL = """\
To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session,Cycle
China,Asia,,Ratify the ICCPR.,Austria,WEOG,EU,Noted,5,International instruments,4,1
China,Asia,,Ratify the ICCPR.,Austria,WEOG,EU,Noted,5,International instruments,4,1
China,Asia,,Continue poverty reduction.,Republic of Congo,African,,Accepted,3,\
"Poverty,Right to food",17,2
Cote d'Ivoire,African,,Abolish the death penalty.,&#40;Unknown&#41;,,,Accepted,4,Death penalty,6,1
"""


OWN_PLAN = """\
schema_version: 1
id: own-plan
title: Own plan
country: CHN
goals:
  - id: health
    title: Health
    dimension: health
    targets:
      - id: own-life
        title: Life expectancy up
        indicator: SP.DYN.LE00.IN
        baseline: {year: 2015}
        target: {year: 2030, change: 2}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "upr.csv"
    path.write_text(text)
    return path


@pytest.fixture
def more_stores(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Context]]:
    """More empty stores on the test's backend, each as a Context: ``more_stores("fresh")``."""
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None
    with contextlib.ExitStack() as stack:

        def make(name: str) -> Context:
            location = server.new_database() if server else str(tmp_path / f"{name}.duckdb")
            return Context(store=stack.enter_context(open_store(location)))

        yield make


@pytest.fixture
def bundled_ctx(bundled_store: Store) -> Context:
    return Context(store=bundled_store)


def test_small_file_keeps_every_row_and_maps_names(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    result = import_recommendations(ctx, write(tmp_path, SMALL))
    assert (result.added, result.unchanged) == (4, 0)  # the repeated row is kept
    frame = store.recommendations()
    assert set(frame["recipient"]) == {"CHN", "CIV"}
    congo = frame[frame["text"] == "Continue poverty reduction."].iloc[0]
    assert (congo["recommending"], congo["response"], congo["themes"]) == (
        "COG",
        "supported",
        "Poverty; Right to food",
    )
    assert frame[frame["recipient"] == "CIV"]["recommending"].item() == "unknown"
    assert import_recommendations(ctx, write(tmp_path, SMALL)).already_imported


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda t: t.replace("Austria,WEOG", "Ruritania,WEOG", 1), "state 'Ruritania' matches no"),
        (lambda t: t.replace("Noted,5", "Maybe,5", 1), "response 'Maybe'"),
        (lambda t: t.replace(",Session,", ",Sess,"), "missing column(s) Session"),
    ],
    ids=["unknown-state", "unknown-response", "missing-column"],
)
def test_bad_upr_files_are_refused_whole(
    store: Store, ctx: Context, tmp_path: Path, change, fragment: str
) -> None:
    before = table_dump(store)
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        import_recommendations(ctx, write(tmp_path, change(SMALL)))
    assert table_dump(store) == before


def test_whole_upr_info_file_counts_per_session_and_response(db: str) -> None:
    upr = shared_path("data", "upr", "upr_info_recommendations_sessions01-20.csv")
    runner = CliRunner()
    result = runner.invoke(app, ["recommendations", "import", str(upr), "--db", db])
    assert result.exit_code == 0, result.output
    assert "41,066 added, 0 already stored" in result.output
    raw = pd.read_csv(upr, dtype=str, keep_default_na=False)
    with open_store(db, read_only=True) as store:
        stored = store.recommendations()
        assert store.search_index_counts() == (41_066, 41_066)  # every row indexed for search
    assert len(stored) == len(raw) == 41_066
    assert stored["session"].value_counts().sort_index().tolist() == (
        raw["Session"].astype(int).value_counts().sort_index().tolist()
    )
    # Counts in ../shared/data/SOURCES.md: Accepted 30,472 / Noted 10,594; cycle 1 (sessions
    # 1-12) 21,356 rows, cycle 2 (13-20) 19,710.
    assert stored["response"].value_counts().to_dict() == {"supported": 30_472, "noted": 10_594}
    assert stored["cycle"].value_counts().to_dict() == {1: 21_356, 2: 19_710}
    counted = runner.invoke(
        app,
        ["recommendations", "summary", "--country", "CHN", "--cycle", "2", "--json", "--db", db],
    )
    assert counted.exit_code == 0, counted.output
    out = json.loads(counted.output)
    china = raw[(raw["To"] == "China") & (raw["Cycle"] == "2")]
    assert (out["country"], out["cycle"], out["total"]) == ("CHN", 2, len(china))
    assert out["by_response"]["noted"] == (china["Response"] == "Noted").sum()


def test_voluntary_pledges_take_their_cycle_from_the_session(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    pledges = shared_path("data", "upr", "upr_info_voluntary_pledges_sessions01-20.csv")
    assert import_recommendations(ctx, pledges).added == 947  # ../shared/data/SOURCES.md
    stored = store.recommendations()
    assert set(stored["response"]) == {"voluntary pledge"}
    # No Cycle column: OHCHR's cycle 1 is sessions 1-12, cycle 2 sessions 13-26; the file holds
    # sessions 1-19 (599 pledges made at sessions 1-12, 348 at 13-19, counted in the CSV).
    assert stored["cycle"].value_counts().to_dict() == {1: 599, 2: 348}
    albania = stored[stored["recipient"] == "ALB"]
    assert len(albania) == 10 and set(albania["cycle"]) == {2} and set(albania["session"]) == {19}

    from rightsmonitor.sources.recommendations import upr_cycle

    assert [upr_cycle(s) for s in (1, 12, 13, 26, 27, 40, 41, 54, 55)] == [
        1, 1, 2, 2, 3, 3, 4, 4, None
    ]  # fmt: skip
    header = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    late = tmp_path / "late.csv"
    late.write_text(
        header + "Kenya,African,,Pledge one.,Kenya,African,,Voluntary Pledge,3,Poverty,42\n"
        "Kenya,African,,Pledge two.,Kenya,African,,Voluntary Pledge,3,Poverty,57\n"
    )
    before = table_dump(store)
    with pytest.raises(InvalidInput, match=r"row 3, column 'Session'.*session 57 .*add a Cycle"):
        import_recommendations(ctx, late)
    assert table_dump(store) == before


def test_status_updates_are_dated_attributed_and_validated(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    import_recommendations(ctx, write(tmp_path, SMALL))
    ids = store.recommendations(recipient="CHN")["id"].tolist()
    updates = tmp_path / "updates.csv"
    updates.write_text(
        "recommendation,date,status,author,note,agencies\n"
        f"{ids[0]},2021-03-01,in progress,NHRI desk,Draft law tabled,Ministry of Justice\n"
        f"{ids[0]},2023-06-30,partially implemented,NHRI desk,,Ministry of Justice; NPC\n"
        f"{ids[2]},2022-01-15,Fully implemented,Ministry desk,Poverty line met,\n"
    )
    assert import_updates(ctx, updates).added == 3
    frame = store.recommendations(recipient="CHN").set_index("id")
    assert frame.loc[ids[0], "status"] == "partially implemented"  # the latest update wins
    assert frame.loc[ids[2], "status"] == "fully implemented"
    counts = summary(ctx, SummaryRequest("CHN"))
    assert counts.by_status == {
        "fully implemented": 1,
        "no status recorded": 1,
        "partially implemented": 1,
    }
    assert counts.by_agency == {"Ministry of Justice": 1, "NPC": 1}
    before = table_dump(store)
    bad = tmp_path / "bad-updates.csv"
    bad.write_text(
        "recommendation,date,status,author\n"
        "upr-s99-nothing-1,2024-01-01,in progress,someone\n"
        f"{ids[1]},2024-02-30,done,\n"
    )
    with pytest.raises(InvalidInput) as info:
        import_updates(ctx, bad)
    message = str(info.value)
    assert "no recommendation 'upr-s99-nothing-1' is stored" in message
    assert "status 'done' is not one of" in message and "'2024-02-30' is not a date" in message
    assert "needs its author" in message
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "recommendation,date,status,author\n"
        f"{ids[1]},2024-01-01,in progress,NHRI\n{ids[1]},2024-01-01,In progress,NHRI\n"
    )
    with pytest.raises(InvalidInput, match=r"row 3.*repeats recommendation, date, status, author"):
        import_updates(ctx, twice)
    assert table_dump(store) == before


def test_near_duplicates_match_the_brute_force_reference() -> None:
    from rightsmonitor.methods.similarity import brute_force_similar, build_index

    texts = [
        "Ratify the International Covenant on Civil and Political Rights",
        "Ratify the ICCPR as soon as possible",
        "Consider ratifying the International Covenant on Civil and Political Rights",
        "Abolish the death penalty",
        "Establish a moratorium on the death penalty with a view to abolishing it",
        "Strengthen poverty reduction in rural areas",
    ]
    index = build_index(texts)
    fast = index.similar(0, top=5)
    slow = brute_force_similar(texts, 0, top=5)
    assert [i for i, _ in fast] == [i for i, _ in slow]
    assert [s for _, s in fast] == pytest.approx([s for _, s in slow])
    assert fast[0][0] == 2  # the other ICCPR ratification recommendation comes first
    assert index.similar(3, top=1)[0][0] == 4  # death penalty with death penalty
    assert 0 < fast[0][1] < 1


RURAL = "China,Asia,,Continue poverty reduction in rural areas.,Austria,WEOG,,Accepted,3,,17,2\n"


def test_similar_and_suggest_read_the_stored_index(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    from rightsmonitor.methods.similarity import brute_force_similar
    from rightsmonitor.methods.themes import suggest_sdg_targets
    from rightsmonitor.sources.recommendations import sdg_targets

    import_recommendations(ctx, write(tmp_path, SMALL + RURAL))
    stored = store.recommendations()
    rural = stored["text"].tolist().index("Continue poverty reduction in rural areas.")
    poverty = stored.set_index("text").at["Continue poverty reduction.", "id"]
    expected = [(stored["id"][i], s) for i, s in brute_force_similar(stored["text"], rural) if s]
    # As in a store from before schema 10: no postings, and no record of indexing.
    store.backend.run("DELETE FROM recommendation_terms")
    store.backend.run("DELETE FROM meta WHERE key = 'recommendations_indexed'")
    found = similar(ctx, SimilarRequest(stored["id"][rural], top=10, minimum=0.0))
    assert store.search_index_counts() == (5, 5)  # indexed again on first use
    assert [(s.id, s.similarity) for s in found.similar] == [(i, round(s, 4)) for i, s in expected]
    assert found.similar[0].id == poverty and found.similar[0].recipient == "CHN"
    # The only labelled recommendation sharing a term with it votes for its themes.
    suggested = suggest(ctx, stored["id"][rural])
    assert suggested.neighbours == (poverty,) and suggested.recorded_themes == ()
    assert suggested.suggested_themes == ("Poverty", "Right to food")
    targets = sdg_targets()
    (matches,) = suggest_sdg_targets(targets["target"], targets["text"], [RURAL.split(",")[3]])
    assert matches  # 11.a (rural areas) and 15.9 (poverty reduction), by their wording
    assert [(t.target, t.score, t.shared_terms) for t in suggested.suggested_sdg_targets] == [
        (m.target, round(m.score, 4), m.shared_terms) for m in matches
    ]
    with pytest.raises(NotFound, match="no recommendation 'nope' is stored"):
        similar(ctx, SimilarRequest("nope"))


def test_a_text_with_no_word_to_index_is_not_indexed_again_at_each_query(
    store: Store, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_recommendations(ctx, write(tmp_path, SMALL))
    russian = tmp_path / "ru.csv"
    russian.write_text("mechanism,recipient,text\nCRC,RUS,Обеспечить регистрацию рождений.\n")
    import_recommendations(ctx, russian, format="generic")
    assert store.search_index_counts() == (5, 5)  # all seen by the indexer
    assert len(store.unindexed_recommendations()) == 1  # no word of a-z or 0-9: no terms
    monkeypatch.setattr(Store, "write_search_terms", lambda *_: pytest.fail("indexed again"))
    first, repeat = store.recommendations(recipient="CHN")["id"][:2]  # the repeated ICCPR row
    found = similar(ctx, SimilarRequest(first))
    assert [(s.id, s.similarity) for s in found.similar] == [(repeat, 1.0)]


def test_theme_suggestions_and_their_scores_by_hand() -> None:
    from rightsmonitor.methods.themes import precision_recall, suggest_themes

    labelled = [
        "Abolish the death penalty",
        "Establish a moratorium on the death penalty",
        "Ratify the Convention against Torture",
        "Ensure girls have access to education",
    ]
    labels = [
        ["Death penalty"],
        ["Death penalty"],
        ["Torture", "International instruments"],
        ["Right to education", "Women's rights"],
    ]
    (suggestion,) = suggest_themes(labelled, labels, ["Abolish the death penalty now"], k=2)
    assert suggestion.themes == ("Death penalty",)
    assert suggestion.neighbours[0] == 0
    scores = precision_recall([["A", "B"], ["A"], ["C"]], [["A"], ["A", "C"], ["B"]])
    assert scores["A"] == (1.0, 1.0, 2)
    assert scores["C"] == (0.0, 0.0, 1)  # one false positive, one miss
    assert scores["B"][:2] == (0.0, 0.0)


GENERIC = """\
mechanism,symbol,recipient,date,text,kind,response,themes,agencies,reply_due,reply_status
CEDAW,CEDAW/C/CHN/CO/9,CHN,2023-05-30,Adopt a comprehensive anti-discrimination law.,,,\
Women's rights,Ministry of Justice,,
SR-FOE,AL CHN 4/2024,chn,2024-03-01,Provide information on the detention of a journalist.,\
communication,,Freedom of expression,,,
SR-HEALTH,OL CHN 2/2024,CHN,2024-04-01,Share the draft health law.,communication,,,,,replied
"""


def test_generic_layout_with_communications_and_reply_deadlines(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    from rightsmonitor.assess.followup import overdue_replies

    path = tmp_path / "generic.csv"
    path.write_text(GENERIC)
    assert import_recommendations(ctx, path, format="generic").added == 3
    frame = store.recommendations(recipient="CHN").set_index("symbol")
    assert frame.loc["AL CHN 4/2024", "kind"] == "communication"
    assert pd.Timestamp(frame.loc["AL CHN 4/2024", "reply_due"]).date() == dt.date(2024, 4, 30)
    assert pd.isna(frame.loc["CEDAW/C/CHN/CO/9", "reply_due"])  # no deadline for a CO
    late = overdue_replies(frame.reset_index(), today=dt.date(2024, 6, 1))
    assert [r.symbol for r in late] == ["AL CHN 4/2024"] and late[0].days_overdue == 32
    counts = summary(ctx, SummaryRequest("chn"))  # no state recommends, none responded yet
    assert (counts.by_response, counts.by_recommending_state) == ({"no response recorded": 3}, {})
    assert [r.symbol for r in counts.overdue_replies] == ["AL CHN 4/2024"]  # still unanswered
    bad = tmp_path / "bad.csv"
    bad.write_text(GENERIC.replace("communication,,Freedom", "letter,,Freedom"))
    before = table_dump(store)
    with pytest.raises(InvalidInput, match="kind 'letter' is not one of"):
        import_recommendations(ctx, bad, format="generic")
    repeated = tmp_path / "repeated.csv"
    repeated.write_text(
        "id,mechanism,recipient,text\nx-1,CRC,CHN,Register births.\nx-1,CRC,CHN,End child labour.\n"
    )
    with pytest.raises(InvalidInput, match=r"row 3.*repeats id of another row"):
        import_recommendations(ctx, repeated, format="generic")
    assert table_dump(store) == before


def test_uhri_export_with_multi_value_cells_and_excel_dates(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    rows = [
        {
            "Text": "Adopt a law against domestic violence.",
            "Countries Concerned": "- Iran (Islamic Republic of)",
            "Reccomending Body": "- CEDAW",
            "Document Symbol": "CEDAW/C/IRN/CO/1",
            "Themes": "- Women's rights\n- Domestic violence",
            "Sdgs": "- 5.2 - Eliminate violence against women\n- 16.1 - Reduce violence",
            "Document Publication Date": 45000,  # Excel serial: 2023-03-15
            "UPR Position": "",
            "OHCHR Annotation Id": "a1",
            "UPR Session": "",
        },
        {
            "Text": "Ratify the Convention on Enforced Disappearance.",
            "Countries Concerned": "- Republic of Korea\n- Viet Nam",
            "Reccomending Body": "- UPR",
            "Document Symbol": "A/HRC/40/8",
            "Themes": "- Enforced disappearances",
            "Sdgs": "",
            "Document Publication Date": "2019-01-07",
            "UPR Position": "- Supported",
            "OHCHR Annotation Id": "b2",
            "UPR Session": 32,
        },
    ]
    path = tmp_path / "uhri.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False)
    assert import_recommendations(ctx, path, format="uhri").added == 3  # 1 + 2 states
    frame = store.recommendations().set_index("id")
    iran = frame.loc["uhri-a1"]
    assert (iran["recipient"], iran["mechanism"], iran["sdg_targets"]) == (
        "IRN",
        "CEDAW",
        "5.2; 16.1",
    )
    assert pd.Timestamp(iran["date"]).date() == dt.date(2023, 3, 15)
    assert iran["themes"] == "Women's rights; Domestic violence"
    assert set(frame.loc[["uhri-b2-KOR", "uhri-b2-VNM"], "response"]) == {"supported"}
    bad = tmp_path / "bad.xlsx"
    pd.DataFrame([rows[0] | {"Countries Concerned": "- Atlantis"}]).to_excel(bad, index=False)
    before = table_dump(store)
    with pytest.raises(InvalidInput, match="state 'Atlantis' matches no ISO 3166 country"):
        import_recommendations(ctx, bad, format="uhri")
    twice = tmp_path / "twice.xlsx"
    new = rows[0] | {"OHCHR Annotation Id": "c3"}
    pd.DataFrame([new, new | {"Text": "Another text."}]).to_excel(twice, index=False)
    with pytest.raises(InvalidInput, match=r"row 3.*id 'uhri-c3' of row 2 again"):
        import_recommendations(ctx, twice, format="uhri")
    assert table_dump(store) == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_and_import_round_trip(
    store: Store, ctx: Context, more_stores, tmp_path: Path, suffix: str
) -> None:
    from rightsmonitor.sources.recommendations import export_generic

    import_recommendations(ctx, write(tmp_path, SMALL))
    generic = tmp_path / "generic.csv"
    generic.write_text(GENERIC)
    import_recommendations(ctx, generic, format="generic")
    original = store.recommendations()
    exported = export_generic(original, tmp_path / f"export{suffix}")
    fresh = more_stores("fresh")
    assert import_recommendations(fresh, exported, format="generic").added == len(original)
    again = fresh.store.recommendations()
    texts = ["mechanism", "symbol", "recipient", "recommending", "text", "kind", "response"]
    texts += ["themes", "sdg_targets", "agencies", "reply_status"]
    left = original.set_index("id").sort_index()
    right = again.set_index("id").sort_index()
    assert left.index.tolist() == right.index.tolist()
    for column in texts:
        assert left[column].fillna("").tolist() == right[column].fillna("").tolist(), column
    for column in ("session", "cycle", "action_category"):
        assert left[column].astype("Int64").equals(right[column].astype("Int64")), column
    for column in ("date", "reply_due"):
        assert pd.to_datetime(left[column]).tolist() == pd.to_datetime(right[column]).tolist()


def follow_up_record(store: Store) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Every update and link (without the import that brought it) and every latest status."""
    ids = store.recommendations()["id"].tolist()
    links = store.recommendation_links(ids).drop(columns="import_id")
    statuses = store.recommendations()["status"].fillna("").tolist()
    return store.recommendation_update_history(ids), links, statuses


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_update_history_and_links_survive_the_round_trip(
    store: Store, ctx: Context, more_stores, tmp_path: Path, suffix: str
) -> None:
    from rightsmonitor.sources.catalogue import bundled_indicators

    import_recommendations(ctx, write(tmp_path, SMALL))
    store.upsert_indicators(bundled_indicators())
    ids = sorted(store.recommendations(recipient="CHN")["id"])
    (tmp_path / "updates.csv").write_text(
        "recommendation,date,status,author,note,agencies\n"
        f'{ids[0]},2021-03-01,in progress,NHRI desk,"Draft law, tabled",Ministry of Justice\n'
        f"{ids[0]},2023-06-30,partially implemented,NHRI desk,,Ministry of Justice; NPC\n"
    )
    (tmp_path / "links.csv").write_text(
        "recommendation,indicator,target,note\n"
        f"{ids[1]},SI.POV.NAHC,extreme-poverty,national line\n"
    )
    import_updates(ctx, tmp_path / "updates.csv")
    import_links(ctx, tmp_path / "links.csv")
    out = tmp_path / "exports" / f"all{suffix}"  # the folder is made
    paths = export(ctx, ExportRequest(out)).paths
    assert paths["updates"].name == f"all.updates{suffix}"
    assert paths["links"].name == f"all.links{suffix}"

    bare = more_stores("bare")  # no updates, no links: no stale sidecars
    import_recommendations(bare, write(tmp_path, SMALL))
    bare_export = export(bare, ExportRequest(out))
    assert (bare_export.recommendations, set(bare_export.paths)) == (4, {"recommendations"})
    assert not paths["updates"].exists() and not paths["links"].exists()

    paths = export(ctx, ExportRequest(out)).paths
    fresh = more_stores("fresh")
    fresh.store.upsert_indicators(bundled_indicators())
    import_recommendations(fresh, paths["recommendations"], format="generic")
    assert import_updates(fresh, paths["updates"]).added == 2
    assert import_links(fresh, paths["links"]).added == 1
    expected, got = follow_up_record(store), follow_up_record(fresh.store)
    pd.testing.assert_frame_equal(got[0], expected[0])
    pd.testing.assert_frame_equal(got[1], expected[1])
    assert got[2] == expected[2] and "partially implemented" in got[2]


def test_links_are_validated_and_the_followup_report_shows_evidence(
    bundled_store: Store, bundled_ctx: Context, tmp_path: Path
) -> None:
    import_recommendations(bundled_ctx, write(tmp_path, SMALL))
    china = bundled_store.recommendations(recipient="CHN").set_index("text")
    poverty = china.loc["Continue poverty reduction.", "id"]
    bad = tmp_path / "bad-links.csv"
    bad.write_text(f"recommendation,indicator\n{poverty},EG.ELC.ACCS.ZS\nUPR-NONE,NO.SUCH.CODE\n")
    with pytest.raises(InvalidInput) as refused:
        import_links(bundled_ctx, bad)
    message = str(refused.value)
    assert "row 3" in message and "no recommendation 'UPR-NONE'" in message
    assert "no indicator 'NO.SUCH.CODE'" in message
    assert bundled_store.recommendation_links([poverty]).empty  # the good row was not kept
    repeated = tmp_path / "repeated-links.csv"
    repeated.write_text(
        f"recommendation,indicator,note\n{poverty},EG.ELC.ACCS.ZS,a\n{poverty},EG.ELC.ACCS.ZS,b\n"
    )
    with pytest.raises(InvalidInput, match=r"row 3.*repeats recommendation, indicator, target"):
        import_links(bundled_ctx, repeated)

    unknown_target = tmp_path / "unknown-target.csv"
    unknown_target.write_text(
        f"recommendation,indicator,target\n{poverty},SI.POV.NAHC,\n"
        f"{poverty},EG.ELC.ACCS.ZS,electricity-acces\n"
    )
    with pytest.raises(InvalidInput) as refused:
        import_links(bundled_ctx, unknown_target)
    assert "row 3, column 'target': no target 'electricity-acces' in the plans known" in str(
        refused.value
    ) and "bundled: china-nhrap-2021-2025, sdg-rights-baseline" in str(refused.value)
    assert bundled_store.recommendation_links([poverty]).empty
    # A target of the user's own plan file is known once the file is named.
    own = tmp_path / "own-plan.yaml"
    own.write_text(OWN_PLAN)
    mine = tmp_path / "own-links.csv"
    mine.write_text(f"recommendation,indicator,target\n{poverty},SP.DYN.LE00.IN,own-life\n")
    with pytest.raises(InvalidInput, match="no target 'own-life'"):
        import_links(bundled_ctx, mine)
    assert import_links(bundled_ctx, mine, plans=[own]).added == 1

    links = tmp_path / "links.csv"
    links.write_text(
        "recommendation,indicator,target\n"
        f"{poverty},EG.ELC.ACCS.ZS,electricity-access\n{poverty},SI.POV.NAHC,\n"
        f"{poverty},SH.H2O.SMDW.ZS,\n"
    )
    assert import_links(bundled_ctx, links).added == 3
    again = import_links(bundled_ctx, links)  # same file twice: already imported
    assert again.already_imported and again.added == 0
    updates = tmp_path / "updates.csv"
    updates.write_text(
        f"recommendation,date,status,author\n{poverty},2023-06-30,in progress,NHRI\n"
    )
    import_updates(bundled_ctx, updates)
    paths = follow_up_report(bundled_ctx, FollowUpReportRequest("CHN", tmp_path / "report"))
    page = paths["html"].read_text()
    with pytest.raises(NotFound, match=r"to China \(CHN\) are stored in UPR cycle 9; import"):
        follow_up_report(bundled_ctx, FollowUpReportRequest("CHN", tmp_path / "none", cycle=9))
    assert not (tmp_path / "none").exists()
    assert "3 recommendations" in page  # the repeated ICCPR row counts twice
    # Access to electricity, WDI: 100 in 2023 and 100 in 2013 (ten years before).
    assert "100 in 2023, 100 in 2013" in page and "plan target electricity-access" in page
    # National poverty line (2010 standard): 17.2% in 2010, eradicated by 2020 (NBS figures).
    assert "0 in 2020, 17.2 in 2010" in page
    assert "SH.H2O.SMDW.ZS: no observations stored for CHN" in page  # missing is shown, not hidden
    assert page.count('class="rec"') == 3
    assert "(updated 2023-06-30 by NHRI)" in page


def test_sdg_target_suggestions_follow_the_official_wording() -> None:
    from rightsmonitor.methods.themes import suggest_sdg_targets
    from rightsmonitor.sources.recommendations import sdg_targets

    targets = sdg_targets()
    assert len(targets) == 169 and targets["goal"].value_counts()["17"] == 19
    assert {"8.10", "16.10", "17.10", "1.a", "17.19"} <= set(targets["target"])
    queries = [
        "Take measures to eliminate child marriage and female genital mutilation",  # 5.3
        "Ensure birth registration for all children",  # 16.9: legal identity incl. birth reg.
        "Guarantee freedom of expression and public access to information",  # 16.10
        "Xyzzy plugh",  # nothing shared: no suggestion rather than a guess
    ]
    suggestions = suggest_sdg_targets(targets["target"], targets["text"], queries)
    assert [s[0].target for s in suggestions[:3]] == ["5.3", "16.9", "16.10"]
    assert "genital mutilation" in suggestions[0][0].shared_terms and suggestions[3] == []
    assert all(a.score >= b.score for s in suggestions for a, b in itertools.pairwise(s))
    # A suggestion does not depend on which other recommendations are scored with it.
    alone = suggest_sdg_targets(targets["target"], targets["text"], queries[1:2])
    assert alone[0] == suggestions[1]


def test_resolution_filler_alone_matches_no_sdg_target() -> None:
    from rightsmonitor.methods.themes import suggest_sdg_targets
    from rightsmonitor.sources.recommendations import sdg_targets

    targets = sdg_targets()
    queries = [
        "Continue its efforts",  # matched 11.4 and 15.c on "efforts" alone before
        "Take further measures to strengthen its efforts and ensure continued steps",
        "Continue its efforts to reduce maternal mortality",  # 3.1: maternal mortality ratio
    ]
    filler, more_filler, real = suggest_sdg_targets(targets["target"], targets["text"], queries)
    assert filler == [] and more_filler == []
    assert real[0].target == "3.1" and "maternal mortality" in real[0].shared_terms
    assert not {"efforts", "continue"} & {t for m in real for t in m.shared_terms}


def test_people_classify_recommendations_and_bad_targets_are_refused(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    import_recommendations(ctx, write(tmp_path, SMALL))
    frame = store.recommendations().set_index("text")
    poverty = frame.loc["Continue poverty reduction.", "id"]
    death = frame.loc["Abolish the death penalty.", "id"]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"recommendation,sdg_targets\n{poverty},1.2; 18.1\n{death},16.1\n")
    before = store.recommendations()
    with pytest.raises(InvalidInput, match=r"row 2.*'18.1' is not an SDG target"):
        import_classification(ctx, bad)
    pd.testing.assert_frame_equal(store.recommendations(), before)

    good = tmp_path / "classification.csv"
    good.write_text(
        "recommendation,themes,sdg_targets\n"
        f"{poverty},,1.2 ;1.3\n"  # themes left empty: the imported ones stay
        f"{death},Death penalty; Right to life,16.1\n"
    )
    assert import_classification(ctx, good).added == 2
    after = store.recommendations().set_index("id")
    assert after.loc[poverty, ["themes", "sdg_targets"]].tolist() == [
        "Poverty; Right to food",
        "1.2; 1.3",
    ]
    assert after.loc[death, "themes"] == "Death penalty; Right to life"
    classified = table_dump(store)
    again = import_classification(ctx, good)  # the same file twice changes nothing
    assert again.already_imported and again.added == 0 and table_dump(store) == classified
    twice = tmp_path / "twice.csv"
    twice.write_text(f"recommendation,sdg_targets\n{death},16.1\n{death},16.2\n")
    with pytest.raises(InvalidInput, match=r"row 3.*repeats recommendation"):
        import_classification(ctx, twice)
    empty = tmp_path / "empty.csv"
    empty.write_text(f"recommendation,themes\n{death},\n")
    with pytest.raises(InvalidInput, match="every themes and sdg_targets cell is empty"):
        import_classification(ctx, empty)
    excel = tmp_path / "numbers.xlsx"
    pd.DataFrame({"recommendation": [death], "sdg_targets": [16.10]}).to_excel(excel, index=False)
    with pytest.raises(InvalidInput, match=r"row 2.*is a number in Excel"):
        import_classification(ctx, excel)
    assert store.recommendations().set_index("id").loc[death, "sdg_targets"] == "16.1"


def one_line(output: str) -> str:
    """Command output with the console's line wrapping undone."""
    return " ".join(output.split())


def test_follow_up_commands_say_what_they_stored(db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    upr = write(tmp_path, SMALL)
    assert runner.invoke(app, ["recommendations", "import", str(upr), "--db", db]).exit_code == 0
    with open_store(db, read_only=True) as store:
        death = store.recommendations(recipient="CIV")["id"].item()
    files = {
        "update": f"recommendation,date,status,author\n{death},2024-01-01,in progress,NHRI\n",
        "classify": f"recommendation,sdg_targets\n{death},16.1\n",
    }
    said = {"update": "1 update(s) stored", "classify": "1 recommendation(s) classified"}
    for command, text in files.items():
        path = tmp_path / f"{command}.csv"
        path.write_text(text)
        first = runner.invoke(app, ["recommendations", command, str(path), "--db", db])
        assert first.exit_code == 0 and one_line(first.output) == f"{path}: {said[command]}"
        again = runner.invoke(app, ["recommendations", command, str(path), "--db", db])
        assert one_line(again.output) == f"{path}: already imported (same bytes); nothing changed"


def test_sdg_targets_in_imports_are_checked_against_the_169(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    header = "mechanism,symbol,recipient,date,text,sdg_targets\n"
    path = tmp_path / "generic.csv"
    path.write_text(
        header + "CRC,CRC/C/CHN/CO/5,CHN,2024-01-01,Register every birth.,16.9 ;17.18\n"
    )
    assert import_recommendations(ctx, path, format="generic").added == 1
    assert store.recommendations()["sdg_targets"].item() == "16.9; 17.18"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "CRC,CRC/C/CHN/CO/5,CHN,2024-01-01,End child labour.,8.7; 8.11\n")
    before = table_dump(store)
    with pytest.raises(InvalidInput, match=r"row 2.*'8.11' is not an SDG target"):
        import_recommendations(ctx, bad, format="generic")
    assert table_dump(store) == before and len(store.recommendations()) == 1


FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.org/x","click")',
    "+1 strengthen the national mechanism",
    "-5 % of budget to legal aid",
    "@SUM(A1:A2)",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_neutralise_formulas_and_still_round_trip(
    store: Store, ctx: Context, more_stores, tmp_path: Path, suffix: str
) -> None:
    """No exported cell runs as a formula in a spreadsheet (OWASP CSV injection), and the
    exported file imports back to the same texts."""
    import csv

    import openpyxl

    from rightsmonitor.sources.recommendations import export_generic

    rows = ["mechanism,symbol,recipient,text,agencies"]
    for i, text in enumerate(FORMULAS):
        quoted = text.replace('"', '""')
        rows.append(f'CEDAW,CEDAW/C/CHN/CO/{i + 1},CHN,"{quoted}","{quoted}"')
    generic = tmp_path / "generic.csv"
    generic.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_recommendations(ctx, generic, format="generic")
    original = store.recommendations()
    assert sorted(original["text"]) == sorted(FORMULAS)
    exported = export_generic(original, tmp_path / f"export{suffix}")
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(exported).active
        cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [str(c.value) for c in cells if c.value is not None]
    else:
        with exported.open(encoding="utf-8", newline="") as handle:
            values = [v for row in csv.reader(handle) for v in row]
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]
    fresh = more_stores("fresh")
    import_recommendations(fresh, exported, format="generic")
    again = fresh.store.recommendations()
    assert sorted(again["text"]) == sorted(FORMULAS)
    assert sorted(again["agencies"]) == sorted(original["agencies"])
