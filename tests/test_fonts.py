"""The embedded CJK font: what ships, the per-page subsets, the warnings, and that Chinese
glyphs render in Chromium on a machine whose only fonts are DejaVu."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from plotly.offline import get_plotlyjs

from rightsmonitor.publish import fonts
from rightsmonitor.publish.fonts import (
    FONT_FAMILY,
    FONT_STACK,
    UncoveredCharactersWarning,
    embed_fonts,
    font_face_css,
    page_characters,
    subset_font,
)
from rightsmonitor.publish.pdf import chromium_path, screenshot

FONT_DIR = Path(fonts.__file__).parent / "fonts"


def cmap(woff: bytes) -> set[str]:
    return {chr(c) for c in TTFont(io.BytesIO(woff)).getBestCmap()}


def gb2312_hanzi() -> set[str]:
    """Rows 16-87 of GB 2312 (lead bytes 0xB0-0xF7): its 6,763 hanzi."""
    found = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def test_the_shipped_font_covers_gb2312_latin_and_cjk_punctuation() -> None:
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    covered = fonts.covered_characters()
    assert hanzi <= covered
    assert set("ABCxyz0123456789%.,;:()") <= covered
    assert set("，。、；：？！“”‘’《》（）【】—…·％０１２ＡＢ") <= covered
    assert "臺" not in covered  # a traditional form outside GB 2312: the bound is real


def test_the_shipped_files_are_the_ones_provenance_describes() -> None:
    shipped = sorted(FONT_DIR.glob("*.woff2"))
    assert [p.name for p in shipped] == [
        "RightsMonitorCJK-Bold.woff2",
        "RightsMonitorCJK-Regular.woff2",
    ]
    assert sum(p.stat().st_size for p in FONT_DIR.iterdir()) < 5_000_000
    provenance = (FONT_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in provenance and "1:20220127+repack1-1" in provenance
    for path in shipped:
        assert path.read_bytes()[:4] == b"wOF2"
        assert hashlib.sha256(path.read_bytes()).hexdigest() in provenance, path.name
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" in licence
    assert licence.startswith("© 2014-2021 Adobe")
    name = TTFont(shipped[1])["name"]
    assert name.getDebugName(1) == "Noto Sans CJK SC"
    assert "SIL Open Font License" in name.getDebugName(13)


@pytest.mark.parametrize("weight", [400, 700])
def test_a_subset_holds_exactly_the_characters_used(weight: int) -> None:
    text = "人权行动计划（2021—2025年）: life expectancy 78.2, 人均预期寿命。"
    font = subset_font(text, weight)
    assert font[:4] == b"wOFF"
    assert cmap(font) == set(text)
    assert len(font) < 30_000  # the whole shipped weight is over 1 MB


def test_the_subset_keeps_the_licence_notice() -> None:
    name = TTFont(io.BytesIO(subset_font("人权", 400)))["name"]
    assert "SIL Open Font License" in name.getDebugName(13)
    assert name.getDebugName(0).startswith("© 2014-2021 Adobe")


def test_font_face_css_embeds_both_weights_as_data_uris() -> None:
    css = font_face_css("发展权")
    faces = re.findall(
        r'@font-face \{ font-family: "Rights Monitor CJK"; font-style: normal; '
        r"font-weight: (\d+); font-display: block; "
        r'src: url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\) format\("woff"\); \}',
        css,
    )
    assert [w for w, _ in faces] == ["400", "700"]
    for weight, data in faces:
        assert base64.b64decode(data) == subset_font("发展权", int(weight))
        assert cmap(base64.b64decode(data)) == set("发展权")
    assert FONT_STACK.startswith(f'"{FONT_FAMILY}", ')
    assert font_face_css("权", family="Other").count('font-family: "Other"') == 2
    assert font_face_css("") == ""


def test_an_uncovered_character_is_named_in_a_typed_warning() -> None:
    with pytest.warns(UncoveredCharactersWarning) as caught:
        css = font_face_css("臺灣 ✓ 人权\n")
    [warning] = caught
    assert warning.message.characters == "✓灣臺"  # each once, in code-point order
    assert "'臺' (U+81FA)" in str(warning.message) and "'✓' (U+2713)" in str(warning.message)
    assert cmap(base64.b64decode(re.findall(r"base64,([^\"]+)", css)[0])) == set(" 人权")


def test_covered_text_warns_of_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        font_face_css("人权 Rights\t–—≥ 2025\n")


def test_page_characters_read_text_attributes_and_chart_strings_only() -> None:
    library = get_plotlyjs()  # has hanzi of its own (month names); it draws none of them
    assert "闰" in library
    page = (
        '<html><head><title>报告</title><style>p::before { content: "冇"; }</style>'
        f"<script>{library}</script></head>"
        '<body><p title="提示">正文 &amp; &#x5E74;</p>'
        '<script>Plotly.newPlot("c", [{"name": "\\u4e16\\u754c"}])</script></body></html>'
    )
    chars = set(page_characters(page))
    assert set("报告提示正文&年世界") <= chars
    assert "冇" not in chars and "闰" not in chars
    assert set(chr(c) for c in range(0x20, 0x7F)) <= chars  # chart ticks are drawn later
    assert chars - set(chr(c) for c in range(0x20, 0x7F)) == set("报告提示正文年世界")


def test_embed_fonts_declares_the_face_in_the_head() -> None:
    page = "<html><head><title>t</title></head><body>人权</body></html>"
    embedded = embed_fonts(page)
    head, body = embedded.split("</head>")
    assert '<style id="rights-monitor-fonts">' in head and "@font-face" in head
    assert body == "<body>人权</body></html>"
    assert embed_fonts("<p>人权</p>").startswith('<style id="rights-monitor-fonts">')
    english = "<html><head></head><body>Right to health ≥ 95 %</body></html>"
    assert embed_fonts(english) == english  # nothing to embed: the system fonts draw it


# -- in Chromium, with DejaVu as the only system font ------------------------------------------


def shot(tmp_path: Path, name: str, text: str, *, embed: bool, env: dict[str, str]) -> bytes:
    page = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<style>body {{ margin: 0; font: 48px/1 {FONT_STACK}; background: #fff; }}</style>"
        f"</head><body><span>{text}</span></body></html>"
    )
    html = tmp_path / f"{name}.html"
    html.write_text(embed_fonts(page) if embed else page, encoding="utf-8")
    return screenshot(
        html, tmp_path / f"{name}.png", width=240, height=80, full_page=False, env=env
    ).read_bytes()


@pytest.mark.browser
def test_chinese_glyphs_render_with_no_system_cjk_font(
    tmp_path: Path, dejavu_only: dict[str, str]
) -> None:
    chromium_path()  # a missing browser fails here, never skips
    bare = [
        shot(tmp_path, f"bare{i}", t, embed=False, env=dejavu_only)
        for i, t in enumerate(["人权", "发展"])
    ]
    # Without the embedded font, two different strings are the same two empty boxes: the
    # browser really has no CJK font, so what follows cannot pass on a system font.
    assert bare[0] == bare[1]
    drawn = [
        shot(tmp_path, f"font{i}", t, embed=True, env=dejavu_only)
        for i, t in enumerate(["人权", "发展"])
    ]
    assert drawn[0] != drawn[1]  # real, different glyphs
    assert drawn[0] != bare[0] and drawn[1] != bare[1]
