#!/usr/bin/env bash
# CI check of the OpenGL viewer (SPEC §12): builds ebm-view with the GUI trait, takes headless
# screenshots under Xvfb and checks them pixel by pixel against the world→screen map.
#
# Needs: libglfw3-dev libgl1-mesa-dev xvfb (xvfb-run), python3 (stdlib only).
# Usage: scripts/viewer-screenshot-test.sh      (from anywhere; writes into out/)
# The viewer plans with the embedded models; PARTICLE_MODEL=FILE and REACHER_MODEL=FILE use
# trained model files instead.
# Prints one line per check; exits 1 at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-gui
swift build --traits GUI --scratch-path "$scratch" --product ebm-view
bin="$(swift build --traits GUI --scratch-path "$scratch" --show-bin-path)/ebm-view"
mkdir -p out

# Each screenshot run prints one JSON line describing the frame (goal, agent, start, joints,
# region). The particle starts and ends on opposite sides of a central obstacle and is shown
# after a few steps, while the futures still span the way around it.
xvfb-run -a "$bin" --env particle --obstacle -0.2,-0.2,0.2,0.2 --start -0.6,-0.6 --goal 0.6,0.6 \
    ${PARTICLE_MODEL:+--model "$PARTICLE_MODEL"} --screenshot out/view-particle.png --frames 3 > out/view-particle.json
xvfb-run -a "$bin" --env reacher --goal 0.05,0.15 ${REACHER_MODEL:+--model "$REACHER_MODEL"} \
    --screenshot out/view-reacher.png --frames 10 > out/view-reacher.json

python3 - out/view-particle.json out/view-reacher.json <<'PY'
import json, struct, sys, zlib

# SceneStyle.standard's colours (RGB).
GOAL, LINK, OBSTACLE, BACKGROUND = (200, 30, 160), (45, 115, 200), (125, 128, 140), (248, 248, 244)
# Futures: ColorRamp.cost at alpha 110 (SceneStyle.futureAlpha), blended over the background.
COST_RAMP, FUTURE_ALPHA = [(0, (40, 160, 60)), (0.5, (240, 180, 40)), (1, (210, 40, 40))], 110

def fail(message):
    print(f"FAIL {message}", file=sys.stderr)
    sys.exit(1)

def read_png(path):
    """RGBA rows of an 8-bit RGBA, non-interlaced PNG, checking every chunk's CRC."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            fail(f"{path}: bad CRC in {kind!r}")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if (depth, colour, interlace) != (8, 6, 0):
        fail(f"{path}: expected 8-bit RGBA without interlace, got {header}")
    raw, stride = zlib.decompress(idat), width * 4 + 1
    rows = []
    for y in range(height):
        if raw[y * stride] != 0:
            fail(f"{path}: row {y} uses filter {raw[y * stride]}, expected 0")
        rows.append(raw[y * stride + 1:(y + 1) * stride])
    return width, height, rows

def load(report_path):
    report = json.loads(open(report_path).read().strip())
    width, height, rows = read_png(report["screenshot"])
    if (width, height) != (report["width"], report["height"]):
        fail(f"{report['screenshot']}: {width}x{height}, report says {report['width']}x{report['height']}")
    xmin, ymin, xmax, ymax = report["region"]

    def pixel(x, y):
        """World point → (column, row): the region stretched over the image, y up."""
        return int((x - xmin) / (xmax - xmin) * width), int((ymax - y) / (ymax - ymin) * height)

    def colour(column, row):
        return tuple(rows[row][column * 4:column * 4 + 3])

    return report, pixel, colour, width, height

def near(a, b, tolerance=2):
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))

def ramp(t):
    (t0, c0), (t1, c1) = next((a, b) for a, b in zip(COST_RAMP, COST_RAMP[1:]) if t <= b[0])
    u = (t - t0) / (t1 - t0)
    return tuple(round(p + u * (q - p)) for p, q in zip(c0, c1))

def future_colours(base, layers=4, tolerance=3):
    """Every colour a future can leave on `base`: one to `layers` overlapping futures of one
    ramp colour (overlaps of different colours are not counted), GL rounding within `tolerance`."""
    exact = set()
    for i in range(129):
        colour = ramp(i / 128)
        below = base
        for _ in range(layers):
            below = tuple((c * FUTURE_ALPHA + b * (255 - FUTURE_ALPHA) + 127) // 255 for c, b in zip(colour, below))
            exact.add(below)
    r = range(-tolerance, tolerance + 1)
    return {(p + a, q + b, s + c) for p, q, s in exact for a in r for b in r for c in r}

def check_goal(report, pixel, colour, width, height):
    gc, gr = pixel(*report["goal"])
    hits = [(c, r) for r in range(max(gr - 10, 0), min(gr + 11, height))
            for c in range(max(gc - 10, 0), min(gc + 11, width)) if near(colour(c, r), GOAL)]
    if len(hits) < 20:
        fail(f"{report['env']}: only {len(hits)} goal-coloured pixels near goal pixel ({gc}, {gr})")
    mc = sum(c for c, _ in hits) / len(hits)
    mr = sum(r for _, r in hits) / len(hits)
    if abs(mc - gc) > 2 or abs(mr - gr) > 2:
        fail(f"{report['env']}: goal marker centred at ({mc:.1f}, {mr:.1f}), expected ({gc}, {gr})")
    print(f"ok   {report['env']}: goal marker at pixel ({gc}, {gr}) for world {report['goal']}")

# Particle with a central obstacle, from `start` to `goal` on opposite sides of it.
report, pixel, colour, width, height = load(sys.argv[1])
if report["region"] != [-1.08, -1.08, 1.08, 1.08]:
    fail(f"particle: shown region {report['region']}, expected [-1, 1]² with a 4 % margin")
if report["futures"] < 2:
    fail(f"particle: {report['futures']} futures drawn; the planner should show all its chains")
check_goal(report, pixel, colour, width, height)

# Futures between start and goal: future-coloured pixels in the box they span, outside the
# obstacle; some must lie in the half nearer the goal, i.e. the futures reach past the obstacle.
start, goal = report["start"], report["goal"]
(sc, sr), (gc, gr) = pixel(*start), pixel(*goal)
over_background = future_colours(BACKGROUND)
(o0, p0), (o1, p1) = pixel(-0.2, 0.2), pixel(0.2, -0.2)  # the --obstacle above
between = [(c, r) for r in range(min(sr, gr), max(sr, gr) + 1) for c in range(min(sc, gc), max(sc, gc) + 1)
           if not (o0 <= c <= o1 and p0 <= r <= p1) and colour(c, r) in over_background]
# Position along start → goal, 0 at the start and 1 at the goal.
along = lambda c, r: ((c - sc) * (gc - sc) + (r - sr) * (gr - sr)) / ((gc - sc) ** 2 + (gr - sr) ** 2)
far = [(c, r) for c, r in between if along(c, r) > 0.5]
if len(between) < 150 or len(far) < 50:
    fail(f"particle: {len(between)} future-coloured pixels between start and goal ({len(far)} in the goal's half); expected ≥ 150 (≥ 50)")
print(f"ok   particle: {len(between)} future-coloured pixels between start and goal, {len(far)} in the goal's half")

# Inside the obstacle (2 px in from its edges) anything not obstacle-coloured was drawn over
# it: futures, plan or path. The obstacle cost keeps all but a small fraction of them out.
inside = [(c, r) for r in range(p0 + 2, p1 - 1) for c in range(o0 + 2, o1 - 1)]
crossed = sum(1 for c, r in inside if not near(colour(c, r), OBSTACLE))
fraction = crossed / max(crossed + len(between), 1)
if fraction > 0.05:
    fail(f"particle: {crossed} pixels drawn inside the obstacle, {fraction:.1%} of all drawn futures' pixels (limit 5 %)")
print(f"ok   particle: {crossed} pixels drawn inside the obstacle ({fraction:.1%} of the futures' pixels)")

# Reacher: both links visible where the report's joints say they are.
report, pixel, colour, width, height = load(sys.argv[2])
check_goal(report, pixel, colour, width, height)
points = report["joints"] + [report["agent"]]
if len(points) != 3:
    fail(f"reacher: expected 2 joints and a fingertip, got {points}")
for index, (a, b) in enumerate(zip(points, points[1:]), start=1):
    samples = [pixel(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])) for t in (0.3, 0.4, 0.5, 0.6, 0.7)]
    linked = sum(1 for c, r in samples if near(colour(c, r), LINK))
    if linked < 3:
        fail(f"reacher: link {index} from {a} to {b} shows link colour at {linked} of 5 points along it")
    print(f"ok   reacher: link {index} drawn ({linked}/5 points along it link-coloured)")
total = sum(1 for r in range(height) for c in range(width) if near(colour(c, r), LINK))
print(f"ok   reacher: {total} link-coloured pixels")
PY

# Without a display: one clear line on stderr, a non-zero exit and no picture.
rm -f out/no-display.png
if env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --env particle --planner random-actions --screenshot out/no-display.png --frames 1 \
    > /dev/null 2> out/no-display.err; then
    echo "FAIL no display: ebm-view exited 0" >&2
    exit 1
fi
if [ "$(wc -l < out/no-display.err)" -ne 1 ] || [ -e out/no-display.png ]; then
    echo "FAIL no display: expected one stderr line and no file, got:" >&2
    cat out/no-display.err >&2
    exit 1
fi
echo "ok   no display: $(cat out/no-display.err)"
echo "viewer screenshot test passed"
