"""The public portal and its API on both backends: real values of the bundled data and of the
UPR recommendations, filters in the URL, downloads equal to the page, errors in one shape."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fastapi.testclient import TestClient

CHINA = "china-nhrap-2021-2025"


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_home_shows_the_plans_their_counts_and_recent_imports(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Human Rights Action Plan of China (2021-2025)" in page.text
    assert '<html lang="en">' in page.text and 'href="#main"' in page.text
    api = client.get("/api/v1/home").json()
    china = next(p for p in api["plans"] if p["id"] == CHINA)
    assert china["targets"] == 13 and china["status_counts"]["target_achieved"] == 5
    assert china["status_counts"]["deterioration"] == 1
    health = next(d for d in china["by_dimension"] if d["dimension"] == "health")
    assert health["counts"] == {"deterioration": 1, "target_achieved": 3, "insufficient_data": 1}
    recent = [Path(i["path"]).name for i in api["recent"][:3]]  # the fixture's last imports
    assert sorted(recent) == [
        "GB-DFID_Albania_activities_iati201.xml",
        "updates.csv",
        "upr-chn-alb.csv",
    ]
    assert client.get("/?format=json").json() == api
    rows = csv_rows(client.get("/?format=csv").text)
    assert {(r["status"], int(r["targets"])) for r in rows if r["plan"] == CHINA} == set(
        china["status_counts"].items()
    )


def test_plan_page_lists_targets_with_their_status(client: TestClient) -> None:
    page = client.get(f"/plans/{CHINA}")
    assert page.status_code == 200
    assert "Average life expectancy up by 1 year" in page.text
    assert "Deterioration" in page.text
    assert f'href="/plans/{CHINA}/targets/life-expectancy?lang=en"' in page.text
    data = client.get(f"/api/v1/plans/{CHINA}").json()
    targets = {t["id"]: t for g in data["goals"] for t in g["targets"]}
    assert targets["life-expectancy"]["status"] == "deterioration"
    assert targets["life-expectancy"]["latest_value"] == 78.017
    assert targets["unemployment"]["status"] == "target_achieved"
    assert targets["practising-physicians"]["status"] == "insufficient_data"
    assert client.get(f"/plans/{CHINA}?format=json").json() == data
    rows = csv_rows(client.get(f"/plans/{CHINA}?format=csv").text)
    assert [r["id"] for r in rows if r["kind"] == "target"] == list(targets)
    assert [r["status"] for r in rows if r["kind"] == "target"] == [
        t["status"] for t in targets.values()
    ]


def test_a_plan_without_a_country_is_shown_for_the_country_in_the_url(client: TestClient) -> None:
    china = client.get("/api/v1/plans/sdg-rights-baseline?country=CHN").json()
    india = client.get("/api/v1/plans/sdg-rights-baseline?country=IND").json()
    assert (china["area"], india["area"]) == ("CHN", "IND")
    assert china["goals"] != india["goals"]
    page = client.get("/plans/sdg-rights-baseline?country=IND")
    assert "country=IND" in page.text  # the links keep the filter


def test_target_page_has_chart_sources_caveats_and_series(client: TestClient) -> None:
    page = client.get(f"/plans/{CHINA}/targets/life-expectancy")
    assert page.status_code == 200
    assert "<svg" in page.text and "stroke-dasharray" in page.text  # target line
    assert "World Bank, World Development Indicators (edition 2026-07-01 snapshot)" in page.text
    assert "Worsening: the indicator moved the wrong way between 2020 and 2024." in page.text
    assert "78.02" in page.text and "79.02" in page.text  # latest and target, 4 digits
    data = client.get(f"/api/v1/plans/{CHINA}/targets/life-expectancy").json()
    assert data["source"]["edition"] == "2026-07-01 snapshot"
    assert data["figures"]["base_year"] == 2020 and data["target_level"] == 79.019
    assert len(data["projection"]) >= 2
    rows = csv_rows(client.get(f"/plans/{CHINA}/targets/life-expectancy?format=csv").text)
    assert [float(r["value"]) for r in rows] == [p["value"] for p in data["series"]]
    assert rows[-1]["year"] == "2024.0" or float(rows[-1]["year"]) == 2024


def test_indicator_explorer_filters_by_words_and_dimension(client: TestClient) -> None:
    found = client.get("/api/v1/indicators?q=mortality").json()
    codes = {r["code"] for r in found["rows"]}
    assert {"SH.DYN.MORT", "SP.DYN.IMRT.IN", "SH.STA.MMRT"} <= codes
    assert all("mortality" in r["name"].lower() for r in found["rows"])
    education = client.get("/api/v1/indicators?dimension=education").json()
    assert education["rows"] and all(r["dimension"] == "education" for r in education["rows"])
    assert not {r["code"] for r in education["rows"]} & codes
    page = client.get("/indicators?q=mortality")
    assert '<label for="q">' in page.text and 'value="mortality"' in page.text
    rows = csv_rows(client.get("/indicators?q=mortality&format=csv").text)
    assert [r["code"] for r in rows] == [r["code"] for r in found["rows"]]


def test_indicator_page_by_area_and_breakdown(client: TestClient) -> None:
    china = client.get("/api/v1/indicators/SP.DYN.LE00.IN?area=CHN").json()
    albania = client.get("/api/v1/indicators/SP.DYN.LE00.IN?area=alb").json()
    assert china["area"] == "CHN" and albania["area"] == "ALB"
    latest = {r["year"]: r["value"] for r in china["rows"] if r["source"] == "wb-wdi"}
    assert latest[2024] == 78.017
    assert {r["value"] for r in china["rows"]} != {r["value"] for r in albania["rows"]}
    page = client.get("/indicators/SP.DYN.LE00.IN?area=CHN")
    assert "<svg" in page.text and "78.02" in page.text
    rows = csv_rows(client.get("/indicators/SP.DYN.LE00.IN?area=CHN&format=csv").text)
    assert len(rows) == len(china["rows"])


def test_country_profile(client: TestClient, china_recommendations: tuple[Path, int]) -> None:
    data = client.get("/api/v1/countries/chn").json()
    assert data["area"] == "CHN" and data["name"] == "China"
    assert data["hdi"][-1]["year"] == 2023 and data["hdi"][-1]["published"]["hdi"] == 0.797
    treaties = {t["treaty"]: t for t in data["treaties"]}
    assert treaties["ICCPR"]["status"] == "signatory" and treaties["ICERD"]["year"] == 1981
    assert data["recommendations"] == china_recommendations[1]
    key = {k["code"]: k for k in data["key_indicators"]}
    assert key["SP.DYN.LE00.IN"]["value"] == 78.017
    page = client.get("/countries/CHN")
    assert "ICCPR" in page.text and "0.797" in page.text
    moved = client.get("/countries?country=alb", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/countries/ALB?lang=en"


def _has_word(text: str, word: str) -> bool:
    return word in re.findall(r"[a-z0-9]+", text.lower())


def test_recommendations_full_text_search_and_facets(
    client: TestClient, china_recommendations: tuple[Path, int]
) -> None:
    path, _ = china_recommendations
    raw = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    expected = [r for r in raw if r["To"] == "China" and _has_word(r["Text"], "torture")]
    data = client.get("/api/v1/recommendations?q=torture&recipient=CHN&per_page=200").json()
    assert data["total"] == len(expected) > 0
    assert all(_has_word(r["text"], "torture") for r in data["rows"])
    assert sorted(r["text"] for r in data["rows"]) == sorted(r["Text"] for r in expected)
    both = client.get("/api/v1/recommendations?q=Torture+national&recipient=CHN").json()
    assert 0 < both["total"] < data["total"]  # every word must occur, in any case
    assert all(_has_word(r["text"], "national") for r in both["rows"])
    by_cycle = {c["value"]: c["count"] for c in data["facets"]["cycle"]}
    assert by_cycle == {
        c: sum(r["Cycle"] == c for r in expected) for c in {r["Cycle"] for r in expected}
    }
    status = client.get("/api/v1/recommendations?status=partially+implemented").json()
    assert status["total"] == 1 and status["rows"][0]["recipient"] == "CHN"
    assert status["rows"][0]["responsible"] == "Ministry of Justice"
    albania = client.get("/api/v1/recommendations?recipient=ALB&per_page=5&page=2").json()
    first = client.get("/api/v1/recommendations?recipient=ALB&per_page=5").json()
    assert albania["total"] == first["total"] == sum(r["To"] == "Albania" for r in raw)
    assert {r["id"] for r in albania["rows"]}.isdisjoint({r["id"] for r in first["rows"]})
    page = client.get("/recommendations?q=torture&recipient=CHN")
    assert expected[0]["Text"].strip()[:40] in page.text
    assert 'value="torture"' in page.text
    more = client.get("/recommendations?recipient=CHN&lang=zh")
    assert 'rel="next"' in more.text and "page=2" in more.text and "recipient=CHN" in more.text
    rows = csv_rows(client.get("/recommendations?q=torture&recipient=CHN&format=csv").text)
    assert [r["id"] for r in rows] == [r["id"] for r in data["rows"][:20]]


def test_cooperation_and_surveys(client: TestClient) -> None:
    ledger = client.get("/api/v1/cooperation?recipient=ALB").json()
    assert ledger["recipient"] == "ALB" and ledger["activities"] > 0
    assert client.get("/cooperation?recipient=ALB").status_code == 200
    unknown = client.get("/api/v1/cooperation?recipient=Atlantis")
    assert unknown.status_code == 400 and unknown.json()["error"]["fields"] == ["recipient"]
    surveys = client.get("/api/v1/surveys").json()
    estimate = surveys["estimates"][0]
    assert estimate["ci_low"] < estimate["value"] < estimate["ci_high"]
    rows = csv_rows(client.get("/surveys?format=csv").text)
    assert len(rows) == len(surveys["estimates"])


def test_chinese_pages_and_accept_language(client: TestClient) -> None:
    page = client.get("/?lang=zh")
    assert '<html lang="zh-Hans">' in page.text
    assert "人权监测" in page.text and "最近更新" in page.text
    assert "目标已实现" in page.text  # a status label, from the report catalogue
    assert 'href="/plans/china-nhrap-2021-2025?lang=zh"' in page.text
    negotiated = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "最近更新" in negotiated.text
    english = client.get("/", headers={"Accept-Language": "fr;q=1, en;q=0.5"})
    assert "Recently changed" in english.text
    target = client.get(f"/plans/{CHINA}/targets/life-expectancy?lang=zh")
    assert "恶化" in target.text and "2024年" not in target.text.split("<svg")[0][:0]
    bad = client.get("/?lang=fr")
    assert bad.status_code == 400


def test_errors_have_one_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/plans/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "status": 404,
            "message": "no plan 'nope'; the plans are: china-nhrap-2021-2025, sdg-rights-baseline",
            "fields": [],
        }
    }
    no_route = client.get("/api/v1/nowhere")
    assert no_route.json() == {
        "error": {"status": 404, "message": "no page at /api/v1/nowhere", "fields": []}
    }
    bad = client.get("/api/v1/recommendations?page=0")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == ["page"]
    area = client.get("/api/v1/indicators/SP.DYN.LE00.IN?area=XYZ")
    assert area.status_code == 400 and area.json()["error"]["fields"] == ["area"]
    page = client.get("/plans/nope")
    assert page.status_code == 404 and "no plan &#39;nope&#39;" in page.text
    assert client.get("/plans/nope?format=json").json()["error"]["status"] == 404


def test_anonymous_writes_are_refused_everywhere(client: TestClient) -> None:
    """Whatever the path, in the error shape for the API and as a page elsewhere."""
    for method, path in [("POST", "/api/v1/home"), ("DELETE", "/api/v1/x"),
                         ("PATCH", f"/api/v1/plans/{CHINA}"), ("PUT", "/")]:  # fmt: skip
        answer = client.request(method, path)
        assert answer.status_code == 401, (method, path)
        assert answer.headers["www-authenticate"] == 'Bearer realm="rights-monitor"'
        if path.startswith("/api/"):
            assert answer.json() == {
                "error": {
                    "status": 401,
                    "message": "writing needs a login or an API token",
                    "fields": [],
                }
            }
        else:
            assert "writing needs a login or an API token" in answer.text


def test_openapi_and_docs_are_served_locally(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/home", "/api/v1/recommendations", "/api/v1/countries/{country}"} <= set(
        spec["paths"]
    )
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/recommendations" in docs.text
    assert client.get("/docs").status_code == 404  # no Swagger UI from a CDN


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "focus-visible" in css.text
    for path in ["/", f"/plans/{CHINA}", f"/plans/{CHINA}/targets/pm25", "/recommendations",
                 "/countries/CHN", "/indicators"]:  # fmt: skip
        text = client.get(path).text
        assert "<script" not in text
        assert not re.search(r'(src|href)="(https?:)?//[^"]+\.(css|js)', text)
        assert re.search(r'<link rel="stylesheet" href="/static/style.css">', text)
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in text, (path, landmark)


def test_an_empty_filter_is_no_filter(client: TestClient) -> None:
    """An HTML form sends every field; one left at "All" arrives empty and means no filter."""
    plain = client.get("/api/v1/recommendations?q=torture&recipient=CHN")
    emptied = client.get("/api/v1/recommendations?q=torture&recipient=CHN&cycle=&theme=&status=")
    assert plain.status_code == emptied.status_code == 200
    assert emptied.json() == plain.json()
    assert client.get("/indicators?q=life&dimension=").status_code == 200
    assert client.get("/api/v1/recommendations?cycle=x").status_code == 400  # bad is still bad
