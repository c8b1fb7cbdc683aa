#!/usr/bin/env python3
"""Turns a2w_bench's Google Benchmark JSON (and the callgrind counts) into
build/bench/results.json and a readable table (results.md, also printed).

    report.py RAW_JSON CALLGRIND_JSON OUT_DIR

results.json: {"context": {...}, "results": [{"name", "ns_per_iter", ...}]}
 - every benchmark: name, ns_per_iter (CPU time per iteration, the median
   of the repetitions when there are several);
 - conversion kernels: ratio_to_memcpy (memcpy's ns for the same output
   bytes in the same run / the kernel's ns: 1.0 is memcpy's speed),
   bytes_per_second (output bytes), output_bytes;
 - resampler: frames_per_second_per_channel;
 - period path: derived rows "period/core_only/..." (core minus the fake
   backend alone) and "period/core_excl_conversion/..." (minus the
   float32->float32 kernel of the same shape too);
 - callgrind: "callgrind/period/...", instructions_per_period.
"""
import json
import re
import sys
from pathlib import Path

# Issue 7's targets: (host->device pairs, channel range, minimum frames, ratio).
TARGETS = [
    (["float32->float32", "float32->int32", "float32->int24in32"], (2, 8), 256, 0.7),
    (["float32->int16", "float32->int24"], (2, 8), 256, 0.5),
]
PERIOD_TARGET_NS = 1000.0  # the per-period path without conversion, 2 ch x 128 frames


def ns(bench):
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[bench.get("time_unit", "ns")]
    return bench["cpu_time"] * scale


def load_runs(raw):
    """name -> benchmark entry (the median aggregate when repeated)."""
    runs = {}
    for b in raw["benchmarks"]:
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                runs[name] = b
        elif name not in runs:
            runs[name] = b
    return runs


KERNEL = re.compile(r"^(play|capture)/([a-z0-9]+)->([a-z0-9]+)/([a-z0-9]+)/(\d+)ch/(\d+)f$")


def main():
    raw_path, callgrind_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    raw = json.loads(raw_path.read_text())
    runs = load_runs(raw)
    memcpy_ns = {int(n[len("memcpy/"):-1]): ns(b) for n, b in runs.items() if n.startswith("memcpy/")}

    results = []
    kernels = {}  # (direction, pair, level, ch, frames) -> (ns, ratio)
    for name, b in runs.items():
        entry = {"name": name, "ns_per_iter": round(ns(b), 3)}
        m = KERNEL.match(name)
        if m:
            out_bytes = int(b["output_bytes"])
            entry["output_bytes"] = out_bytes
            entry["bytes_per_second"] = round(out_bytes / ns(b) * 1e9)
            if out_bytes in memcpy_ns:
                entry["ratio_to_memcpy"] = round(memcpy_ns[out_bytes] / ns(b), 3)
            d, src, dst, level, ch, frames = m.groups()
            kernels[(d, f"{src}->{dst}", level, int(ch), int(frames))] = (ns(b), entry.get("ratio_to_memcpy"))
        elif name.startswith("memcpy/"):
            entry["output_bytes"] = int(name[len("memcpy/"):-1])
            entry["bytes_per_second"] = round(entry["output_bytes"] / ns(b) * 1e9)
        elif name.startswith("resampler/"):
            entry["frames_per_second_per_channel"] = round(b["frames_per_second_per_channel"])
        results.append(entry)

    level = raw["context"].get("simd_level", "?")
    # The period path: the core's share, and without the conversion.
    period_rows = []
    for name, b in runs.items():
        m = re.match(r"^period/core/(\w+)/(\d+)f$", name)
        if not m:
            continue
        layout, frames = m.group(1), int(m.group(2))
        fake = runs.get(f"period/fake/{layout}/{frames}f")
        if fake is None:
            continue
        core_only = ns(b) - ns(fake)
        row = {"layout": layout, "frames": frames, "total": ns(b), "fake": ns(fake), "core": core_only}
        results.append({"name": f"period/core_only/{layout}/{frames}f", "ns_per_iter": round(core_only, 3)})
        outs = int(re.match(r"^(?:\d+in)?(\d+)out$", layout).group(1))
        conv = kernels.get(("play", "float32->float32", level, outs, frames))
        if conv and "in" not in layout:
            row["excl"] = core_only - conv[0]
            row["conversion"] = conv[0]
            results.append({"name": f"period/core_excl_conversion/{layout}/{frames}f",
                            "ns_per_iter": round(row["excl"], 3)})
        period_rows.append(row)

    callgrind = json.loads(callgrind_path.read_text()) if callgrind_path.exists() else []
    for c in callgrind:
        results.append({"name": c["name"], "instructions_per_period": c["instructions_per_period"]})

    context = dict(raw["context"])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps({"context": context, "results": results}, indent=1) + "\n")

    table = render(context, level, kernels, memcpy_ns, runs, period_rows, callgrind)
    (out_dir / "results.md").write_text(table)
    print(table)


def render(context, level, kernels, memcpy_ns, runs, period_rows, callgrind):
    lines = []
    add = lines.append
    add(f"Machine: {context.get('cpu_model', '?')} ({context.get('num_cpus', '?')} CPUs at "
        f"{context.get('mhz_per_cpu', '?')} MHz), kernels: {level}, load average at the start: {context.get('load_avg', ['?'])[0]}")
    add("")
    shapes = sorted({(k[3], k[4]) for k in kernels if k[2] == level})
    add("Conversion kernels (" + level + "): speed as a ratio to memcpy of the same output bytes "
        "(1.0 = memcpy's speed), by channels x frames")
    add("")
    add("| kernel | " + " | ".join(f"{c}x{f}" for c, f in shapes) + " |")
    add("|---|" + "---:|" * len(shapes))
    pairs = sorted({(k[0], k[1]) for k in kernels if k[2] == level}, key=lambda p: (p[0] != "play", p[1]))
    for d, pair in pairs:
        cells = []
        for c, f in shapes:
            v = kernels.get((d, pair, level, c, f))
            cells.append(f"{v[1]:.2f}" if v and v[1] is not None else "")
        add(f"| {d} {pair} | " + " | ".join(cells) + " |")
    add("")
    add("Nanoseconds per call, 8 channels x 256 frames (the vectors against the scalar reference):")
    add("")
    levels = [lv for lv in ("scalar", "sse2", "avx2") if any(k[2] == lv for k in kernels)]
    add("| kernel | " + " | ".join(levels) + " |")
    add("|---|" + "---:|" * len(levels))
    for d, pair in pairs:
        cells = []
        for lv in levels:
            v = kernels.get((d, pair, lv, 8, 256))
            cells.append(f"{v[0]:.0f}" if v else "")
        add(f"| {d} {pair} | " + " | ".join(cells) + " |")
    add("")
    add("memcpy (ns): " + ", ".join(f"{b} B {t:.1f}" for b, t in sorted(memcpy_ns.items())))
    add("")
    add("Targets (2-8 channels, 256 frames or more):")
    for pair_list, (lo, hi), min_frames, goal in TARGETS:
        for pair in pair_list:
            vals = [v[1] for k, v in kernels.items() if k[0] == "play" and k[1] == pair and k[2] == level
                    and lo <= k[3] <= hi and k[4] >= min_frames and v[1] is not None]
            if not vals:
                continue
            worst = min(vals)
            add(f"  play {pair}: worst ratio {worst:.2f}, target {goal}: {'met' if worst >= goal else 'NOT met'}")
    add("")
    add("Per-period path (fake backend, empty host callback), ns per period:")
    add("")
    add("| layout | frames | core + fake | fake alone | core | conversion (f32->f32 kernel) | core without conversion |")
    add("|---|---:|---:|---:|---:|---:|---:|")
    for r in period_rows:
        conv = f"{r['conversion']:.0f}" if "conversion" in r else ""
        excl = f"{r['excl']:.0f}" if "excl" in r else ""
        add(f"| {r['layout']} | {r['frames']} | {r['total']:.0f} | {r['fake']:.0f} | {r['core']:.0f} | {conv} | {excl} |")
    for r in period_rows:
        if r["layout"] == "2out" and r["frames"] == 128 and "excl" in r:
            ok = r["excl"] < PERIOD_TARGET_NS
            add(f"  target: under {PERIOD_TARGET_NS:.0f} ns without conversion at 2 ch x 128: "
                f"{r['excl']:.0f} ns, {'met' if ok else 'NOT met'}")
    add("")
    add("Resampler (default quality, blocks of 256 input frames):")
    add("")
    add("| conversion | frames/s per channel | real-time channels at 48 kHz |")
    add("|---|---:|---:|")
    for name, b in sorted(runs.items()):
        if name.startswith("resampler/"):
            fps = b["frames_per_second_per_channel"]
            add(f"| {name[len('resampler/'):]} | {fps / 1e6:.1f} M | {fps / 48000:.0f} |")
    add("")
    if callgrind:
        add("Callgrind, instructions per period (the core only: core + fake minus the fake alone):")
        add("")
        add("| path | instructions per period |")
        add("|---|---:|")
        for c in callgrind:
            add(f"| {c['name']} | {c['instructions_per_period']:.0f} |")
        add("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
