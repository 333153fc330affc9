#!/usr/bin/env python3
"""Rebuilds data/fonts/wqy-microhei-subset.ttf, the font subset bundled for PNG map text.

Keeps ASCII, Latin-1 and every non-ASCII character found in wxmod's map code (src/render/,
the budget chart src/report/budget/chart.rs and the budget's category names in src/budget/mod.rs,
the Chinese names in src/zones.rs and src/sites.rs), the bundled data (county names, region
manifest, catalog, examples) and data/fonts/extra-chars.txt.

Needs: Debian's fonts-wqy-microhei (apt-get install fonts-wqy-microhei) and fontTools
(pip install fonttools). Run from the repository root:

    python3 data/fonts/make_subset.py

Run it again after adding a Chinese word to the maps: the unit test
`render::tests::every_map_word_is_in_the_bundled_font` fails until you do.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE_FONT = pathlib.Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
OUT = ROOT / "data/fonts/wqy-microhei-subset.ttf"
CHARS = ROOT / "data/fonts/subset-chars.txt"

SCANNED = [
    *sorted((ROOT / "src/render").glob("*.rs")),
    ROOT / "src/zones.rs",
    ROOT / "src/sites.rs",
    ROOT / "src/bin/wxmod/commands/map.rs",
    *sorted((ROOT / "src/report").rglob("*.rs")),
    *sorted((ROOT / "src/budget").rglob("*.rs")),
    *sorted((ROOT / "src/radar").rglob("*.rs")),
    *sorted((ROOT / "src/ops").rglob("*.rs")),
    *sorted((ROOT / "data/regions").glob("*/counties_wgs84.geojson")),
    *sorted((ROOT / "data/regions").glob("*/landmarks.csv")),
    *sorted((ROOT / "data/regions").glob("*/region.toml")),
    ROOT / "data/shuozhou/counties_wgs84.geojson",
    ROOT / "data/shuozhou/region.toml",
    ROOT / "data/shuozhou/landmarks.csv",
    ROOT / "data/catalog.toml",
    ROOT / "examples/shuozhou_network.csv",
]


def wanted() -> str:
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set(chr(c) for c in range(0xA0, 0x100))
    for path in SCANNED:
        if path.exists():
            chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F}
    extra = ROOT / "data/fonts/extra-chars.txt"
    for line in extra.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            chars |= {c for c in line if not c.isspace()}
    # Box drawing, emoji and other symbols the font may lack are simply dropped by pyftsubset.
    return "".join(sorted(c for c in chars if not c.isspace() or c == " "))


def main() -> int:
    if not SOURCE_FONT.exists():
        print(f"missing {SOURCE_FONT}: apt-get install fonts-wqy-microhei", file=sys.stderr)
        return 1
    text = wanted()
    CHARS.write_text(text + "\n", encoding="utf-8")
    subprocess.run(
        [
            "pyftsubset",
            str(SOURCE_FONT),
            "--font-number=0",
            f"--text-file={CHARS}",
            f"--output-file={OUT}",
            "--layout-features=kern",
            "--no-hinting",
            "--desubroutinize",
            "--name-IDs=*",
            "--name-legacy",
            "--name-languages=*",
            "--drop-tables+=DSIG",
        ],
        check=True,
    )
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(text)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
