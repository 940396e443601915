#!/usr/bin/env python3
"""Renders a WarRoom report in headless Chromium and fails when something did not draw.

    check_report.py REPORT/index.html OUT_DIR [--self-test]

1. The whole page is rendered and screenshotted (OUT_DIR/page.png): Chromium must exit 0 and the
   screenshot must exist and not be blank.
2. Every chart (each inline <svg> of the page) is rendered alone with the page's own style sheet
   (OUT_DIR/chart-NN.png), and once more without its data marks (the elements of class series,
   dot, mark, bar, cell, area, interval, estimate): the two images must differ in at least MARK_PIXELS_NEEDED
   pixels. A chart that drew no data (no marks, empty paths, marks outside the plot) looks the
   same as its bare axes, titles and legend, and fails.

3. A page in Chinese (`<html lang="zh-Hans">`) must have its characters drawn: fontconfig must know a
   font for Chinese, and two different characters rendered with the page's own font stack must
   differ from each other and from a code point no font has (a missing font draws every
   character as the same empty box).

4. Chart text must fit (the page rendered once more, its text boxes measured by Chromium itself):
   every text element of a chart must lie inside the chart, and no two of its text elements may
   overlap (boxes cut down to the glyphs' body: the font's line gap is not a collision).

With --self-test it then checks itself: the same page with one chart's data marks removed must
fail, and so must a page with one label pushed outside its chart and one laid over another.

Only the standard library: PNG files are decoded here (8-bit RGB/RGBA, not interlaced, as
Chromium writes them).
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

MARK_PIXELS_NEEDED = 150
DATA_MARK = re.compile(r'<(path|circle|rect|line|polyline|polygon)\b[^>]*class="(?:series|dot|mark|bar|cell|area|interval|estimate)"[^>]*?(?:/>|>.*?</\1>)', re.S)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check-report: no Chromium found (make check-report installs Debian's chromium package)")


def screenshot(browser, page, png, width, height):
    """Renders `page` (a file path) to `png`; returns Chromium's exit status and its stderr."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height),
               "--screenshot=" + png, "file://" + os.path.abspath(page)]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return r.returncode, r.stderr.decode("utf-8", "replace")


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, colour, interlace))
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        prev = line
    return width, height, rows


def check_chinese(browser, style):
    """Failures when Chinese text would not be drawn (no CJK font: every character an empty box)."""
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if fonts.returncode != 0 or not fonts.stdout.strip():
        return ["Chinese: fontconfig knows no font for Chinese (make browser installs fonts-noto-cjk)"]
    images = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, char in (("yu", "预"), ("ce", "测"), ("none", "\ue000")):
            page = os.path.join(tmp, name + ".html")
            with open(page, "w", encoding="utf-8") as f:
                f.write("<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">%s</head>"
                        "<body style=\"margin:0\"><p style=\"font-size:96px;margin:0\">%s</p></body></html>" % (style, char))
            png = os.path.join(tmp, name + ".png")
            status, err = screenshot(browser, page, png, 200, 140)
            if status != 0 or not os.path.isfile(png):
                return ["Chinese: Chromium exited with %d: %s" % (status, err.strip()[-300:])]
            images[name] = read_png(png)[2]

    def differing(a, b):
        return sum(1 for x, y in zip(images[a], images[b]) for p, q in zip(x, y) if p != q)
    glyphs, box_yu, box_ce = differing("yu", "ce"), differing("yu", "none"), differing("ce", "none")
    print("Chinese: 预 vs 测 %d px, 预 vs no glyph %d px, 测 vs no glyph %d px" % (glyphs, box_yu, box_ce))
    if min(glyphs, box_yu, box_ce) < MARK_PIXELS_NEEDED:
        return ["Chinese: characters are not drawn (%d, %d, %d differing pixels): no CJK font in the page's font stack" % (glyphs, box_yu, box_ce)]
    return []


def main():
    args = [a for a in sys.argv[1:] if a != "--self-test"]
    if len(args) != 2:
        sys.exit(__doc__)
    index, out = args
    failures = check(index, out)
    if failures:
        print("check-report: FAILED", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    if "--self-test" in sys.argv:
        text = open(index, encoding="utf-8").read()
        first = re.search(r"<svg\b.*?</svg>", text, flags=re.S).group(0)
        with tempfile.TemporaryDirectory() as tmp:
            broken = os.path.join(tmp, "index.html")
            with open(broken, "w", encoding="utf-8") as f:
                f.write(text.replace(first, DATA_MARK.sub("", first), 1))
            caught = check(broken, os.path.join(tmp, "out"), charts_only=1)
        if not any("drew nothing" in f for f in caught):
            sys.exit("check-report: self-test FAILED: a chart without its data marks passed")
        print("check-report: self-test passed (a chart without its data marks is caught)")
        # One label pushed out of its chart and another laid over a neighbour must both be caught.
        labels = list(re.finditer(r'<text class="tick" x="([0-9.]+)" y="([0-9.]+)"', first))
        if len(labels) < 2:
            sys.exit("check-report: self-test FAILED: the first chart has fewer than two tick labels to move")
        def layout_of(chart):
            """The layout failures of the page with its first chart replaced by `chart`."""
            with tempfile.TemporaryDirectory() as tmp:
                broken = os.path.join(tmp, "index.html")
                with open(broken, "w", encoding="utf-8") as f:
                    f.write(text.replace(first, chart, 1))
                return check_layout(chromium(), broken)
        a, b = labels[0], labels[1]
        moved = first[:a.start()] + '<text class="tick" x="100000" y="%s"' % a.group(2) + first[a.end():]
        if not any("outside the chart" in f for f in layout_of(moved)):
            sys.exit("check-report: self-test FAILED: a label pushed out of its chart passed")
        laid = first[:b.start()] + '<text class="tick" x="%s" y="%s"' % (a.group(1), a.group(2)) + first[b.end():]
        if not any("overlaps" in f for f in layout_of(laid)):
            sys.exit("check-report: self-test FAILED: a label laid over another passed")
        print("check-report: self-test passed (a label pushed out of its chart and one laid over another are caught)")


# Measures every text element of every chart once the fonts are loaded; the result is written into
# the page, which Chromium's --dump-dom prints. Boxes are in the chart's own units (its viewBox),
# so they do not depend on the window's width.
MEASURE_SCRIPT = """<script>
document.fonts.ready.then(function () {
  var charts = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    var k = vb && vb.width ? vb.width / box.width : 1;
    var title = svg.querySelector('title');
    var texts = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      texts.push([(r.left - box.left) * k, (r.top - box.top) * k, r.width * k, r.height * k, t.textContent]);
    });
    charts.push({title: title ? title.textContent : '', width: box.width * k, height: box.height * k, texts: texts});
  });
  var pre = document.createElement('pre');
  pre.id = 'warroom-text-boxes';
  pre.textContent = JSON.stringify(charts);
  document.body.appendChild(pre);
});
</script>"""
TEXT_SLACK = 1.0      # chart units a box may stick out of its chart (anti-aliasing, rounding)
GLYPH_BODY = 0.72     # the share of a text box's height that glyphs occupy (the rest is line gap)


def text_boxes(browser, index):
    """Each chart's text boxes as Chromium lays them out: [{title, width, height, texts}]."""
    text = open(index, encoding="utf-8").read()
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(os.path.dirname(os.path.abspath(index)), ".measure-%d.html" % os.getpid())
        try:
            with open(page, "w", encoding="utf-8") as f:
                f.write(text.replace("</body>", MEASURE_SCRIPT + "</body>", 1))
            cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + tmp,
                   "--window-size=1280,2000", "--virtual-time-budget=10000", "--dump-dom", "file://" + page]
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        finally:
            if os.path.exists(page):
                os.remove(page)
    found = re.search(r'<pre id="warroom-text-boxes">(.*?)</pre>', r.stdout.decode("utf-8", "replace"), flags=re.S)
    if r.returncode != 0 or not found:
        raise RuntimeError("Chromium did not measure the page (exit %d): %s" % (r.returncode, r.stderr.decode("utf-8", "replace")[-300:]))
    return json.loads(html.unescape(found.group(1)))


def layout_failures(charts):
    """Text outside its chart, and pairs of overlapping text, per chart."""
    failures = []
    for n, chart in enumerate(charts, 1):
        name = chart["title"] or "chart %d" % n
        w, h = chart["width"], chart["height"]
        bodies = []
        for x, y, bw, bh, content in chart["texts"]:
            if x < -TEXT_SLACK or y < -TEXT_SLACK or x + bw > w + TEXT_SLACK or y + bh > h + TEXT_SLACK:
                failures.append("%s: text \"%s\" lies outside the chart (%.0f..%.0f × %.0f..%.0f in a %.0f × %.0f chart)"
                                % (name, content, x, x + bw, y, y + bh, w, h))
            cut = bh * (1 - GLYPH_BODY) / 2
            bodies.append((x, y + cut, x + bw, y + bh - cut, content))
        for i in range(len(bodies)):
            a = bodies[i]
            for b in bodies[i + 1:]:
                dx = min(a[2], b[2]) - max(a[0], b[0])
                dy = min(a[3], b[3]) - max(a[1], b[1])
                if dx > 0.5 and dy > 0.5:
                    failures.append("%s: text \"%s\" overlaps \"%s\"" % (name, a[4], b[4]))
    return failures


def check_layout(browser, index):
    """The layout failures of a page's charts, with a line saying how much text was measured."""
    try:
        charts = text_boxes(browser, index)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
        return ["text layout: %s" % e]
    failures = layout_failures(charts)
    print("text layout: %d text elements in %d charts measured in Chromium, %d outside or overlapping"
          % (sum(len(c["texts"]) for c in charts), len(charts), len(failures)))
    return failures


def check(index, out, charts_only=None):
    """The failures found rendering `index` (screenshots go to `out`)."""
    if not os.path.isfile(index):
        return ["%s does not exist (run make demo first)" % index]
    os.makedirs(out, exist_ok=True)
    browser = chromium()
    text = open(index, encoding="utf-8").read()
    failures = []

    page_png = os.path.join(out, "page.png")
    status, err = screenshot(browser, index, page_png, 1280, 6000)
    if status != 0 or not os.path.isfile(page_png):
        failures.append("page: Chromium exited with %d: %s" % (status, err.strip()[-400:]))
    else:
        w, h, rows = read_png(page_png)
        distinct = {p for row in rows[::8] for p in row[::8]}
        if len(distinct) < 16:
            failures.append("page: the screenshot is blank (%d colours)" % len(distinct))
        print("page: %s, %d×%d px, %d bytes" % (page_png, w, h, os.path.getsize(page_png)))

    style = "".join(re.findall(r"<style>.*?</style>", text, flags=re.S))
    if '<html lang="zh' in text:
        failures += check_chinese(browser, style)
    charts = re.findall(r"<svg\b.*?</svg>", text, flags=re.S)[:charts_only]
    if not charts:
        failures.append("page: no chart at all")
    with tempfile.TemporaryDirectory() as tmp:
        for n, svg in enumerate(charts, 1):
            title = re.search(r"<title>(.*?)</title>", svg, flags=re.S)
            name = html.unescape(title.group(1)) if title else "chart %d" % n
            images = []
            for variant, body in (("chart", svg), ("bare", DATA_MARK.sub("", svg))):
                page = os.path.join(tmp, "%s-%02d.html" % (variant, n))
                with open(page, "w", encoding="utf-8") as f:
                    f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\">%s</head>"
                            "<body style=\"margin:0;width:800px\">%s</body></html>" % (style, body))
                png = os.path.join(out if variant == "chart" else tmp, "chart-%02d.png" % n)
                status, err = screenshot(browser, page, png, 820, 460)
                if status != 0 or not os.path.isfile(png):
                    failures.append("%s: Chromium exited with %d: %s" % (name, status, err.strip()[-300:]))
                    break
                images.append(read_png(png)[2])
            if len(images) < 2:
                continue
            marks = sum(1 for a, b in zip(images[0], images[1]) for p, q in zip(a, b) if p != q)
            verdict = "ok" if marks >= MARK_PIXELS_NEEDED else "DREW NOTHING"
            print("chart %2d: %-70s %6d px of data marks  %s" % (n, name[:70], marks, verdict))
            if marks < MARK_PIXELS_NEEDED:
                failures.append("%s: drew nothing (%d pixels of data marks)" % (name, marks))
    if charts_only is None:
        failures += check_layout(browser, index)
    if not failures:
        print("check-report: %d charts drawn, their text inside and apart, page rendered" % len(charts))
    return failures


if __name__ == "__main__":
    main()
