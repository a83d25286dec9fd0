"""Chinese text in screenshots: a CJK font is installed and used, so evidence screenshots are readable.

A missing font shows every character as the same box (tofu): distinct characters rendered one per cell must give
distinct images. The same check run with fontconfig given only the fonts that do not cover Chinese shows the boxes,
so the test can tell the two apart. govcrawl warns at start when no font covers Chinese.
"""
import asyncio
import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageChops

from conftest import ROOT
from govcrawl.browser import chinese_fonts, find_chromium, launch_options

CHARACTERS = "政府网站信息公开栏目更新年度报表"
CELL = 64


def cells_page(text: str) -> str:
    cells = "".join(f'<div class="c" id="c{i}">{ch}</div>' for i, ch in enumerate(text))
    return ("<html><head><meta charset='utf-8'><style>body{margin:0;background:#fff}"
            f".c{{display:inline-block;width:{CELL}px;height:{CELL}px;font-size:48px;line-height:{CELL}px;"
            "text-align:center;color:#000;font-family:sans-serif}</style></head>"
            f"<body><div id='text'>{cells}</div><p style='height:200px'></p></body></html>")


async def _screenshots(pages: list[str], env: dict | None = None) -> list[tuple[bytes, list[bytes], dict]]:
    from playwright.async_api import async_playwright

    options = launch_options(find_chromium())
    if env is not None:
        options["env"] = env
    shots = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(**options)
        page = await browser.new_page(viewport={"width": 1100, "height": 300})
        for html in pages:
            await page.set_content(html)
            full = await page.screenshot()
            crops = [await page.locator(f"#c{i}").screenshot() for i in range(len(CHARACTERS))]
            box = await page.locator("#text").bounding_box()
            shots.append((full, crops, box))
        await browser.close()
    return shots


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def _distinct_glyphs(crops: list[bytes]) -> int:
    return len({_image(c).tobytes() for c in crops})


@pytest.fixture(scope="module")
def shots():
    assert chinese_fonts(), "no font covers Chinese: `make system` installs fonts-noto-cjk"
    other = "".join(reversed(CHARACTERS))
    return asyncio.run(_screenshots([cells_page(CHARACTERS), cells_page(other)]))


def test_every_character_has_its_own_glyph(shots):
    for _, crops, _ in shots:
        assert _distinct_glyphs(crops) == len(CHARACTERS)
        # and each cell holds ink: not an empty box
        assert all(_image(c).getextrema()[0] < 128 for c in crops)


def test_pages_with_different_text_differ_where_the_text_is(shots):
    (a, _, box), (b, _, _) = shots
    diff = ImageChops.difference(_image(a), _image(b)).getbbox()
    assert diff is not None
    left, top, right, bottom = diff
    assert box["x"] <= left and right <= box["x"] + box["width"] + 1
    assert box["y"] <= top and bottom <= box["y"] + box["height"] + 1


def latin_only_fontconfig(folder) -> dict:
    """The environment of a machine with only the fonts here that do not cover Chinese."""
    def files(pattern):
        out = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True).stdout
        return {line.strip().rstrip(":") for line in out.splitlines() if line.strip()}

    # linked one by one into a folder of their own: their folders may hold CJK fonts as well
    fonts_dir = folder / "fonts"
    fonts_dir.mkdir()
    for i, path in enumerate(sorted(files(":") - files(":lang=zh"))):
        (fonts_dir / f"{i}{os.path.splitext(path)[1]}").symlink_to(path)
    conf = folder / "fonts.conf"
    conf.write_text("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                    f"<dir>{fonts_dir}</dir><cachedir>{folder}/cache</cachedir></fontconfig>")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def test_without_a_chinese_font_the_glyphs_are_boxes(tmp_path):
    """The control: with Latin fonts only every character is the same box (tofu), which the check above catches."""
    (_, crops, _), = asyncio.run(_screenshots([cells_page(CHARACTERS)], env=latin_only_fontconfig(tmp_path)))
    assert _distinct_glyphs(crops) < len(CHARACTERS) // 2


def test_crawl_warns_once_when_no_font_covers_chinese(tmp_path):
    empty = tmp_path / "fonts.conf"
    empty.write_text("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig></fontconfig>")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"replay={ROOT / 'fixtures' / 'demo'}",
           "-a", "as_of=2019-06-10", "-a", "sites=4304000012", "-s", f"GOVCRAWL_DB={tmp_path / 'f.db'}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FONTCONFIG_FILE": str(empty)}
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count("no font covers Chinese") == 1
    env.pop("FONTCONFIG_FILE")
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "no font covers Chinese" not in result.stderr
