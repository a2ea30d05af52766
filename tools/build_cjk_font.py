"""Rebuild the CJK font shipped in src/rightsmonitor/publish/fonts/ from Debian's fonts-noto-cjk.

Chinese text must render in every report without a system CJK font, so the package ships a
bounded subset of Noto Sans CJK SC (SIL Open Font License 1.1): every character of GB 2312
(6,763 hanzi plus its punctuation, full-width forms, kana, Greek and Cyrillic), ASCII, Latin-1
and Latin Extended-A, general punctuation, letter-like symbols, arrows, mathematical operators,
enclosed numbers, box drawing, geometric shapes, CJK symbols and punctuation and the half- and
full-width forms, so mixed Chinese and Latin text shares one font. Reports subset it again to
the characters of each page (`rightsmonitor.publish.fonts`).

    .venv/bin/python tools/build_cjk_font.py                 # runs `apt-get download` itself
    .venv/bin/python tools/build_cjk_font.py --deb fonts-noto-cjk_1%3a20220127+repack1-1_all.deb

The package is only unpacked (`dpkg -x`) into a temporary folder, never installed. The output
is deterministic for one .deb and one fontTools version: PROVENANCE.md records both, the
command, and the SHA-256 of the source and of each file written.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "rightsmonitor" / "publish" / "fonts"
PACKAGE = "fonts-noto-cjk"
FAMILY = "Noto Sans CJK SC"
FONT_DIR = Path("usr/share/fonts/opentype/noto")
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
COPYRIGHT = Path("usr/share/doc/fonts-noto-cjk/copyright")

# Blocks beside GB 2312 (half-open ranges); only code points the font covers are kept.
BLOCKS = [
    (0x0020, 0x007F, "Basic Latin"),
    (0x00A0, 0x0180, "Latin-1 Supplement, Latin Extended-A"),
    (0x2000, 0x2070, "General Punctuation"),
    (0x20A0, 0x20D0, "Currency Symbols"),
    (0x2100, 0x2200, "Letterlike Symbols, Number Forms, Arrows"),
    (0x2200, 0x2300, "Mathematical Operators"),
    (0x2460, 0x2500, "Enclosed Alphanumerics"),
    (0x2500, 0x2600, "Box Drawing, Block Elements, Geometric Shapes"),
    (0x2600, 0x2700, "Miscellaneous Symbols"),
    (0x3000, 0x3040, "CJK Symbols and Punctuation"),
    (0xFF00, 0xFFF0, "Halfwidth and Fullwidth Forms"),
]
# Vertical-writing and baseline tables: reports are set horizontally.
DROPPED_TABLES = ["VORG", "vhea", "vmtx", "BASE"]
# Features whose closure would pull in thousands of glyphs no report shows: the Japanese,
# Korean and Traditional Chinese forms (locl) and the vertical forms.
DROPPED_FEATURES = {"locl", "vert", "vrt2", "vkna", "vkrn", "valt", "vhal", "vpal"}


def gb2312() -> set[int]:
    """Every character of GB 2312, decoded from each two-byte code of rows 1-94."""
    found = set()
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def wanted(cmap: dict[int, str]) -> list[int]:
    """The code points to keep: GB 2312 and the blocks above, as far as the font covers them."""
    chars = gb2312()
    missing = sorted(chars - cmap.keys())
    if missing:
        raise SystemExit(f"{FAMILY} lacks GB 2312 characters: {''.join(map(chr, missing))}")
    for start, stop, _ in BLOCKS:
        chars.update(range(start, stop))
    return sorted(chars & cmap.keys())


def face_index(path: Path) -> int:
    """Index of the Simplified Chinese face inside a Noto CJK collection."""
    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return index
    raise SystemExit(f"{path}: no face named {FAMILY!r}")


def build_face(source: Path, target: Path) -> tuple[int, int]:
    """Subset one weight to WOFF2 (unhinted, desubroutinised CFF: smaller once compressed)."""
    font = TTFont(str(source), fontNumber=face_index(source), recalcTimestamp=False)
    unicodes = wanted(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += DROPPED_TABLES
    options.layout_features = [f for f in options.layout_features if f not in DROPPED_FEATURES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(str(target))
    return len(unicodes), len(font.getGlyphOrder())


def licence_text(copyright_file: Path, notice: str) -> str:
    """The font's copyright notice and the OFL 1.1 text of Debian's copyright file, unfolded."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = len(lines) - lines[::-1].index("License: SIL-1.1")  # the stand-alone paragraph
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    if not any("SIL OPEN FONT LICENSE Version 1.1" in line for line in body):
        raise SystemExit(f"{copyright_file}: no SIL Open Font License 1.1 text found")
    return f"{notice}\n\n" + "\n".join(body).strip("\n") + "\n"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), field], check=True, capture_output=True, text=True
    ).stdout.strip()


def provenance(deb: Path, root: Path, out: Path, counts: dict[str, tuple[int, int]]) -> str:
    """PROVENANCE.md: where each shipped byte came from and how to make it again."""
    rows = []
    for weight, name in WEIGHTS.items():
        target = out / f"RightsMonitorCJK-{weight}.woff2"
        chars, glyphs = counts[weight]
        rows.append(
            f"| {target.name} | /{FONT_DIR / name} (face {FAMILY!r}) | {chars:,} | {glyphs:,} "
            f"| {target.stat().st_size:,} | `{sha256(target)}` |"
        )
    blocks = "\n".join(f"* U+{a:04X}-U+{b - 1:04X} {name}" for a, b, name in BLOCKS)
    sources = "\n".join(
        f"* /{FONT_DIR / n}: `{sha256(root / FONT_DIR / n)}`" for n in WEIGHTS.values()
    )
    return f"""# Rights Monitor CJK: provenance

A subset of **{FAMILY}** (Noto Sans CJK 2.004, Adobe and Google), under the SIL Open Font
License 1.1 ([OFL.txt](OFL.txt); no Reserved Font Name). Reports subset it again to the
characters of each page and embed that as a WOFF2 data URI under the CSS family name
"Rights Monitor CJK" (`rightsmonitor.publish.fonts`).

* Debian package: `{deb_field(deb, "Package")}` version `{deb_field(deb, "Version")}`
  (upstream {deb_field(deb, "Homepage")}), `{deb.name}`, SHA-256 `{sha256(deb)}`
* Made by: `apt-get download {PACKAGE}; .venv/bin/python tools/build_cjk_font.py --deb {deb.name}`
  with fontTools {fontTools.version} (the package is unpacked with `dpkg -x`, never installed)
* Subsetting: fontTools.subset, unhinted, desubroutinised, all name records kept, tables
  {", ".join(DROPPED_TABLES)} dropped (vertical writing), fontTools' default OpenType layout
  features less {", ".join(sorted(DROPPED_FEATURES))} (Japanese, Korean and Traditional forms,
  vertical forms), WOFF2 (Brotli)

Characters: all of GB 2312 (7,445: the 6,763 hanzi and rows 1-9) and, where the font has them:

{blocks}

Source files:

{sources}

| file | from | characters | glyphs | bytes | SHA-256 |
|---|---|---|---|---|---|
{chr(10).join(rows)}
"""


def download(folder: Path) -> Path:
    subprocess.run(["apt-get", "download", PACKAGE], cwd=folder, check=True)
    return next(folder.glob(f"{PACKAGE}_*.deb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help=f"the {PACKAGE} .deb (default: apt-get download)")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        deb = args.deb.resolve() if args.deb else download(Path(tmp))
        root = Path(tmp) / "x"
        subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
        counts = {}
        for weight, name in WEIGHTS.items():
            target = args.out / f"RightsMonitorCJK-{weight}.woff2"
            counts[weight] = build_face(root / FONT_DIR / name, target)
            print(f"{target}: {target.stat().st_size:,} bytes", file=sys.stderr)
        regular = root / FONT_DIR / WEIGHTS["Regular"]
        notice = TTFont(str(regular), fontNumber=face_index(regular), lazy=True)["name"]
        licence = licence_text(root / COPYRIGHT, notice.getDebugName(0))
        (args.out / "OFL.txt").write_text(licence, encoding="utf-8")
        (args.out / "PROVENANCE.md").write_text(
            provenance(deb, root, args.out, counts), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
