"""viewcheck.py - reads the SDL viewer's screenshots (PNG) and layout files (--layout-json) for
the shell tests: the pixels must be what the layout says was drawn.  Standard library only (zlib
for the PNG's data; the PNG reader checks every chunk's CRC).

    python3 viewcheck.py check FRAME.png FRAME.json    consistency of a frame (exit 1 + reasons)
    python3 viewcheck.py same A.png B.png               same size and pixels (exit 1 if not)

As a module: read_png(path) -> (w, h, rows of RGBA bytes); load(json) -> dict; lanes(layout);
pixel(img, x, y) -> (r, g, b); run_coverage(img, layout, lane, run) -> fraction matching.
"""
import itertools
import json
import operator
import struct
import sys
import zlib


def read_png(path):
    """(width, height, list of rows, each bytes of R,G,B,A): 8-bit RGBA, not interlaced."""
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('%s: not a PNG' % path)
    pos, idat, w = 8, b'', None
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        crc, = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            raise ValueError('%s: bad CRC in chunk %r' % (path, kind))
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if (depth, ctype, interlace) != (8, 6, 0):
                raise ValueError('%s: not 8-bit RGBA' % path)
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
        pos += 12 + n
    raw = zlib.decompress(idat)  # checks the Adler-32 too
    stride, rows, prev = w * 4, [], bytearray(w * 4)
    low = (255).__and__  # map/accumulate keep the per-byte loops in C: a frame decodes in ~0.1 s
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:    # sub: running sums of each channel
            for ch in range(4):
                row[ch::4] = bytes(map(low, itertools.accumulate(row[ch::4])))
        elif f == 2:  # up
            row = bytearray(map(low, map(operator.add, row, prev)))
        elif f in (3, 4):
            for x in range(stride):
                a = row[x - 4] if x >= 4 else 0
                b = prev[x]
                c = prev[x - 4] if x >= 4 else 0
                if f == 3:
                    row[x] = (row[x] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0:
            raise ValueError('%s: filter %d' % (path, f))
        rows.append(bytes(row))
        prev = row
    return w, h, rows


def pixel(img, x, y):
    w, h, rows = img
    r = rows[y]
    return (r[4 * x], r[4 * x + 1], r[4 * x + 2])


def load(path):
    return json.load(open(path))


def lanes(layout):
    return layout['timeline']['lanes']


def _overlay(img, layout):
    """A w*h bytearray, 1 where the cause arrows (5 px either side of each segment) and the late
    timers' brackets and labels are drawn over the lanes and their marks."""
    w, h, _ = img
    mask = bytearray(w * h)
    tl = layout['timeline']
    for a in tl.get('arrows', []):
        (x0, y0), (x1, y1) = a['from'], a['to']
        n = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(n + 1):
            x, y = x0 + (x1 - x0) * i // n, y0 + (y1 - y0) * i // n
            for yy in range(max(0, y - 6), min(h, y + 7)):
                lo, hi = max(0, x - 6), min(w, x + 7)
                mask[yy * w + lo:yy * w + hi] = b'\1' * (hi - lo)
    for t in tl.get('late_timers', []):
        lo, hi = max(0, t['x_due'] - 4), min(w, max(t['x_ran'], t['x_due'] + 200) + 4)
        for yy in range(max(0, t['y'] - 22), min(h, t['y'] + 6)):
            mask[yy * w + lo:yy * w + hi] = b'\1' * (hi - lo)
    return mask


def _mask(img, layout):
    """A w*h bytearray, 1 where something is drawn over the runs: the marks' boxes, the
    playhead's columns, the arrows and late timers."""
    w, h, _ = img
    mask = _overlay(img, layout)
    tl = layout['timeline']
    boxes = [(m['x'], m['y'], m['size'] // 2 + 2) for lane in tl['lanes'] for m in lane['marks']]
    for x, y, r in boxes:
        for yy in range(max(0, y - r), min(h, y + r + 1)):
            lo, hi = max(0, x - r), min(w, x + r + 1)
            mask[yy * w + lo:yy * w + hi] = b'\1' * (hi - lo)
    px = tl['playhead_x']
    if px >= 0:
        for yy in range(h):
            lo, hi = max(0, px - 2), min(w, px + 2)
            mask[yy * w + lo:yy * w + hi] = b'\1' * (hi - lo)
    return mask


_masks = {}


def run_coverage(img, layout, lane, run, later_runs=()):
    """Of the run's pixels not covered by marks, the playhead or later runs, the fraction that
    have its colour (None if all are covered)."""
    w = img[0]
    key = id(layout)
    if key not in _masks:
        _masks[key] = _mask(img, layout)
    mask = _masks[key]
    covered = [(r['x0'], r['y0'], r['x1'], r['y1']) for r in later_runs
               if r['x1'] > run['x0'] and r['x0'] < run['x1'] and r['y1'] > run['y0'] and r['y0'] < run['y1']]
    want, seen, good = tuple(run['rgb']), 0, 0
    for y in range(run['y0'], run['y1']):
        for x in range(run['x0'], run['x1']):
            if mask[y * w + x] or any(a <= x < c and b <= y < d for a, b, c, d in covered):
                continue
            seen += 1
            good += pixel(img, x, y) == want
    return good / seen if seen else None


def check(png, layout_path):
    """Every run and every mark of the frame is where the layout says, in its colour."""
    img, lay, errors = read_png(png), load(layout_path), []
    if (img[0], img[1]) != (lay['width'], lay['height']):
        errors.append('size %dx%d, layout says %dx%d' % (img[0], img[1], lay['width'], lay['height']))
        return errors
    over = _overlay(img, lay)
    for lane in lanes(lay):
        runs = lane['runs']
        for i, run in enumerate(runs):
            cov = run_coverage(img, lay, lane, run, runs[i + 1:])
            if cov is not None and cov < 0.9:
                errors.append('%s: run %s [%d,%d) has its colour on %.0f%% of its pixels'
                              % (lane['label'], run['state'], run['x0'], run['x1'], cov * 100))
        marks = lane['marks']
        for i, m in enumerate(marks):
            r = m['size'] // 2 + 2
            if any(abs(o['x'] - m['x']) <= 2 * r for o in marks[i + 1:]):
                continue  # a later mark may cover its centre
            if over[m['y'] * img[0] + m['x']]:
                continue  # under an arrow
            got = pixel(img, m['x'], m['y'])
            if got != tuple(m['rgb']):
                errors.append('%s: %s mark of step %d at (%d,%d) is %s, not %s'
                              % (lane['label'], m['kind'], m['step'], m['x'], m['y'], got, tuple(m['rgb'])))
    for sw in lay.get('legend', []):
        want = tuple(lay['palette'][sw['state']])
        if pixel(img, sw['x'], sw['y']) != want:
            errors.append('legend swatch %s is not %s' % (sw['state'], want))
    return errors


# The task colours of viz/sdl/sdl_palette.c (task_colours): the i-th task created (in the
# trace's task_created order) prints in TASK_COLOURS[i % 8].  Kept equal to the C table by hand;
# the tests compare pixels against this table, never against the viewer's own report.
TASK_COLOURS = [(31, 87, 200), (196, 40, 120), (0, 128, 110), (170, 90, 0), (110, 60, 190), (100, 120, 0),
                (200, 40, 30), (60, 80, 100)]
ARROW = (214, 0, 110)  # pal_arrow(): the newest cause arrow
WARN = (255, 170, 90)  # pal(COL_WARN): a late timer's bracket


def read_trace(path):
    """The trace's events (the header dropped), as dicts."""
    return [json.loads(line) for line in open(path)][1:]


def task_order(events):
    """Task ids in creation order."""
    return [e['task'] for e in events if e['ev'] == 'task_created']


def part_starts(narrative, events):
    """The step each numbered part of a narrative.md starts at, by its marker (lessons/README.md);
    None where the marker names no step."""
    import re
    outputs = [e['seq'] for e in events if e['ev'] == 'output']
    t0 = events[0]['t_ns'] if events else 0
    starts, prev = [], 0
    for line in narrative.split('\n'):
        m = re.match(r'\s*\d+\. <!-- from (\w+)(?::([\d.]+))? -->', line)
        if not re.match(r'\s*\d+\. ', line):
            continue
        s = None
        if m:
            kind, arg = m.group(1), m.group(2)
            if kind == 'start':
                s = 0
            elif kind == 'output' and 1 <= int(arg) <= len(outputs):
                s = outputs[int(arg) - 1]
            elif kind == 'line':
                s = next((e['seq'] for e in events if e['seq'] > prev and e.get('line') == int(arg)), None)
            elif kind == 'time':
                s = next((e['seq'] for e in events if e['t_ns'] - t0 >= round(float(arg) * 1e9)), None)
            elif kind == 'iteration':
                s = next((e['seq'] for e in events if e['iter'] >= int(arg)), None)
            elif kind == 'step':
                s = int(arg)
        starts.append(s)
        if s is not None:
            prev = s
    return starts


def main(argv):
    if len(argv) == 4 and argv[1] == 'check':
        errors = check(argv[2], argv[3])
        for e in errors:
            print('%s: %s' % (argv[2], e))
        return 1 if errors else 0
    if len(argv) == 4 and argv[1] == 'same':
        a, b = read_png(argv[2]), read_png(argv[3])
        if a != b:
            print('%s and %s differ' % (argv[2], argv[3]))
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
