#!/usr/bin/env python3
"""bench/soak.sh's sampler and report (stdlib only).

  soak.py sample DEV_DIR OUT.jsonl INTERVAL_S MAX_S GC_EVERY
      every INTERVAL_S until MAX_S or SIGTERM: each Shoal part's RSS (/proc/PID/status VmRSS of
      the JVM its supervisor runs) and heap (its /metrics: jvm_memory_used_bytes of the heap
      pools; every GC_EVERY-th sample right after a full collection, jcmd GC.run: the live heap,
      since used heap is a sawtooth and Serial GC's old generation is collected only when full),
      etcd's and each host dockerd's RSS and etcd's history (its /metrics: database in use, revisions kept),
      the scheduler's watch-lag histogram (cumulative), MemAvailable, the load, containerd shims.
      One JSON object per line.
  soak.py report OUT.jsonl EVENTS WARMUP_S MAX_SLOPE_MIB_MIN LAG_TARGET_S
      the figures, and one "soak: target missed: ..." line per target missed (exit 1 then).
"""
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

MIB = 1024 * 1024
CONTROL_PLANE = {"control": 9400, "registry": 9401, "scheduler": 9402, "dispatcher": 9403}
AGENT_PORT, MESH_PORT = 9404, 9405
ETCD = "127.0.0.1:2379"
# A memory window shorter than this is printed, not judged.
MIN_JUDGED_S = 300
LAG = "shoal_scheduler_watch_lag_seconds"
SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


# --- sampling ---------------------------------------------------------------------------------

def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def java_of(pid, depth=4):
    """The JVM at or under pid: a host's part runs as supervise.sh -> nsenter -> java (exec'd)."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() == "java":
                return pid
    except OSError:
        return None
    if depth == 0:
        return None
    for child in children(pid):
        found = java_of(child, depth - 1)
        if found:
            return found
    return None


def part_pid(dev, name):
    """The JVM of a supervised part: the supervisor's child (its child.pid), else found under it."""
    pid = read_pid(f"{dev}/pids/{name}.sv/child.pid")
    if pid and java_of(pid, 2):
        return java_of(pid, 2)
    sup = read_pid(f"{dev}/pids/{name}.pid")
    return java_of(sup) if sup else None


def tls_context(dev):
    """The CLI's manager certificate: every /metrics asks for one. Node certificates name no
    address, so names are not checked (the chain is)."""
    pki = f"{dev}/pki/cli"
    if not os.path.exists(f"{pki}/ca.pem"):
        return None
    context = ssl.create_default_context(cafile=f"{pki}/ca.pem")
    context.check_hostname = False
    context.load_cert_chain(f"{pki}/cert.pem", f"{pki}/key.pem")
    return context


def scrape(address, context):
    scheme = "https" if context else "http"
    try:
        with urllib.request.urlopen(f"{scheme}://{address}/metrics", timeout=5, context=context) as r:
            return r.read().decode("utf-8", "replace")
    except Exception as e:  # a part restarting or overloaded: a gap in its series, said in the sample
        return e


def parse(text):
    """(name, labels, value) of every sample line."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = SERIES.match(line)
        if m:
            yield m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))


def memory_of(text):
    """Heap used, heap used after the last collection, non-heap used (code cache, metaspace), and
    the code cache alone, in bytes, from a part's jvm_memory_* series."""
    got = {"heap": 0.0, "heap_after_gc": 0.0, "non_heap": 0.0, "code_cache": 0.0}
    for name, labels, value in parse(text):
        kind = labels.get("jvm_memory_type")
        if name == "jvm_memory_used_bytes" and kind == "heap":
            got["heap"] += value
        elif name == "jvm_memory_used_after_last_gc_bytes" and kind == "heap":
            got["heap_after_gc"] += value
        elif name == "jvm_memory_used_bytes" and kind == "non_heap":
            got["non_heap"] += value
            if labels.get("jvm_memory_pool_name", "").startswith("CodeCache") or "nmethods" in labels.get("jvm_memory_pool_name", ""):
                got["code_cache"] += value
    return got


def lag_of(text):
    buckets, count = {}, None
    for name, labels, value in parse(text):
        if name == f"{LAG}_bucket":
            buckets[labels["le"]] = value
        elif name == f"{LAG}_count":
            count = value
    return {"buckets": buckets, "count": count} if count is not None else None


def etcd_of(text):
    """etcd's own view of its history: the database in use, the keys, the revisions it keeps."""
    if not isinstance(text, str):
        return {"error": str(text)[:200]}
    wanted = {"etcd_mvcc_db_total_size_in_use_in_bytes": "db_in_use", "etcd_debugging_mvcc_keys_total": "keys",
              "etcd_debugging_mvcc_current_revision": "revision", "etcd_debugging_mvcc_compact_revision": "compacted"}
    return {wanted[name]: value for name, _, value in parse(text) if name in wanted}


def parts(dev):
    """name -> (supervised pid-file name, metrics address) of every Shoal part dev.sh runs."""
    found = {name: (name, f"127.0.0.1:{port}") for name, port in CONTROL_PLANE.items()}
    try:
        with open(f"{dev}/lab/hosts") as f:
            for line in f:
                host, addr = line.split()[:2]
                found[f"agent-{host}"] = (f"agent-{host}", f"{addr}:{AGENT_PORT}")
                found[f"mesh-{host}"] = (f"mesh-{host}", f"{addr}:{MESH_PORT}")
    except OSError:
        pass
    return found


def shims():
    """How many containerd shims run and their total RSS (each task's container has one)."""
    count, kib = 0, 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                if not f.read().startswith("containerd-shim"):
                    continue
        except OSError:
            continue
        count += 1
        kib += rss_kib(entry) or 0
    return count, kib


def meminfo(key):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def full_gc(pid):
    """A full collection in the JVM (jcmd GC.run), so that the heap scraped next is its live data."""
    try:
        return subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=15).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def sample(dev, context, layout, gc):
    s = {"t": time.time(), "parts": {}, "other": {}, "gc": gc}
    for name, (pidname, address) in layout.items():
        pid = part_pid(dev, pidname)
        collected = gc and pid and full_gc(pid)
        text = scrape(address, context)
        part = {"rss_kib": rss_kib(pid) if pid else None}
        if isinstance(text, str):
            part.update(memory_of(text))
            if collected:
                part["live_heap"] = part["heap"]
            if name == "scheduler":
                s["lag"] = lag_of(text)
        else:
            part["error"] = str(text)[:200]
        s["parts"][name] = part
    s["other"]["etcd"] = rss_kib(read_pid(f"{dev}/pids/etcd.pid") or 0)
    s["etcd"] = etcd_of(scrape(ETCD, context))
    for host in sorted(n[len("agent-"):] for n in layout if n.startswith("agent-")):
        s["other"][f"dockerd-{host}"] = rss_kib(read_pid(f"{dev}/lab/{host}/docker.pid") or 0)
    s["shims"], s["shims_rss_kib"] = shims()
    s["mem_available_kib"] = meminfo("MemAvailable")
    with open("/proc/loadavg") as f:
        s["load1"] = float(f.read().split()[0])
    return s


def cmd_sample(dev, out, interval, max_s, gc_every):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    context = tls_context(dev)
    end = time.time() + max_s
    n = 0
    with open(out, "a") as f:
        while not stop and time.time() < end:
            began = time.time()
            n += 1
            f.write(json.dumps(sample(dev, context, parts(dev), gc_every > 0 and n % gc_every == 0)) + "\n")
            f.flush()
            while not stop and time.time() < began + interval:
                time.sleep(0.2)


# --- the report -------------------------------------------------------------------------------

def slope_per_min(points):
    """Least-squares slope of (t seconds, value) points, per minute; None under 3 points."""
    if len(points) < 3:
        return None
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return None if var == 0 else 60 * sum((t - mt) * (v - mv) for t, v in points) / var


def read_events(path):
    phases, results, notes = {}, {}, []
    with open(path) as f:
        for line in f:
            words = line.rstrip("\n").split(" ", 2)
            if words[0] == "phase" and len(words) == 3:
                phases[words[1]] = int(words[2]) / 1000
            elif words[0] == "result" and len(words) == 3:
                results[words[1]] = words[2]
            elif words[0] == "note":
                notes.append(line.rstrip("\n")[5:])
    return phases, results, notes


def lag_intervals(samples, target):
    """Per pair of samples: (t, observations, p99 bound, max bound, observations over target)
    from the buckets' deltas (target should be a bucket bound, as 1 s is)."""
    rows, prev = [], None
    for s in samples:
        lag = s.get("lag")
        if not lag:
            continue
        if prev and lag["count"] >= prev["lag"]["count"]:
            n = lag["count"] - prev["lag"]["count"]
            if n > 0:
                deltas = sorted(((float("inf") if le == "+Inf" else float(le)),
                                 c - prev["lag"]["buckets"].get(le, 0)) for le, c in lag["buckets"].items())
                p99 = next(le for le, c in deltas if c >= 0.99 * n)
                top = next(le for le, c in deltas if c >= n)
                within = max([c for le, c in deltas if le <= target], default=0)
                rows.append((s["t"], int(n), p99, top, int(n - within)))
        prev = s
    return rows


def fmt_bound(b):
    return "> 10 s" if b == float("inf") else f"<= {b:g} s"


def mib(kib_or_bytes, unit):
    return None if kib_or_bytes is None else kib_or_bytes / (1024 if unit == "kib" else MIB)


def series(samples, part, key, unit, start, end):
    pts = []
    for s in samples:
        v = s["parts"].get(part, {}).get(key) if part in s["parts"] else s["other"].get(key)
        if v is not None and start <= s["t"] <= end:
            pts.append((s["t"], mib(v, unit)))
    return pts


def describe(label, pts, slope):
    """first/last/max, the slope over the window, and over its second half: a step once in the
    window and flat since reads as a slope over the whole, not over the last half."""
    if not pts:
        return f"{label:<9} no samples"
    vals = [v for _, v in pts]
    half = slope_per_min(pts[len(pts) // 2:])
    def fmt(x):
        return "   n/a" if x is None else f"{x:+7.2f}"
    return (f"{label:<9} first {vals[0]:7.1f} last {vals[-1]:7.1f} max {max(vals):7.1f} MiB  "
            f"slope {fmt(slope)} MiB/min (last half {fmt(half)})")


def etcd_history(samples, window):
    """etcd's database in use and the revisions it keeps, at the window's start and end."""
    got = [s for s in samples if window[0] <= s["t"] <= window[1] and s.get("etcd", {}).get("revision")]
    if not got:
        return "etcd history: not scraped"
    def kept(e):  # etcd says -1 before its first compaction
        return int(e["revision"] - max(e.get("compacted", 0), 0))
    first, last = got[0]["etcd"], got[-1]["etcd"]
    return (f"etcd history: revisions kept since its last compaction {kept(first)} -> {kept(last)}, "
            f"database in use {first.get('db_in_use', 0) / MIB:.1f} -> {last.get('db_in_use', 0) / MIB:.1f} MiB, "
            f"keys {int(first.get('keys', 0))} -> {int(last.get('keys', 0))}")


def machine(samples, phases, window):
    """Memory, containerd shims and load: what the machine had left, and how busy it was."""
    def load(a, b):
        got = [s["load1"] for s in samples if a <= s["t"] <= b]
        return f"mean {sum(got) / len(got):.1f} max {max(got):.1f}" if got else "n/a"
    peak = max(samples, key=lambda s: s["shims"])
    create = (phases.get("create", 0), phases.get("running", 0))
    return (f"machine: MemAvailable {samples[0]['mem_available_kib'] / 1024:.0f} MiB at the first sample, "
            f"{min(s['mem_available_kib'] for s in samples) / 1024:.0f} MiB at least; {peak['shims']} containerd shims "
            f"(RSS summed, shared pages counted in each: {peak['shims_rss_kib'] / 1024:.0f} MiB); "
            f"load1 while creating {load(*create)}, over the measured update window {load(*window)}")


def cmd_report(samples_path, events_path, warmup_s, max_slope, lag_target):
    with open(samples_path) as f:
        samples = [json.loads(line) for line in f if line.strip()]
    phases, results, notes = read_events(events_path)
    missed = []
    if not samples:
        print("soak: target missed: no samples were taken")
        return 1
    t0 = samples[0]["t"]
    upd, stopped = phases.get("updates"), phases.get("updates_stopped")
    print("== phases (seconds from the first sample)")
    for name in ("create", "running", "updates", "updates_stopped", "converged"):
        if name in phases:
            print(f"  {name:<16} {phases[name] - t0:7.0f}")
    if "create" in phases and "running" in phases:
        print(f"  all {results.get('tasks')} tasks of {results.get('services')} services RUNNING "
              f"{phases['running'] - phases['create']:.0f} s after the first create")
    for note in notes:
        print("  note:", note)

    print()
    if upd and stopped:
        window = (upd + warmup_s, stopped)
        print(f"== memory over the update phase after a {warmup_s:.0f} s warm-up "
              f"({window[1] - window[0]:.0f} s, {sum(window[0] <= s['t'] <= window[1] for s in samples)} samples); "
              f"a growth trend: slope > {max_slope:g} MiB/min")
    else:
        window = (t0, samples[-1]["t"])
        print("== memory over the whole run (the update phase did not run to its end)")
    # Over a few minutes a slope shows the JVMs settling after their start, not a trend.
    judged = window[1] - window[0] >= MIN_JUDGED_S
    if not judged:
        print(f"  not judged: the window is under {MIN_JUDGED_S // 60} minutes (SOAK_MINUTES of 7 or more gives one)")
    names = list(samples[-1]["parts"])
    for part in names:
        print(f"  {part}")
        for key, label, unit in (("heap", "heap", "b"), ("live_heap", "live heap", "b"), ("non_heap", "non-heap", "b"),
                                 ("rss_kib", "RSS", "kib")):
            pts = series(samples, part, key, unit, *window)
            slope = slope_per_min(pts)
            print("    " + describe(label, pts, slope))
            # Used heap is a sawtooth between collections: the trend is judged on what was live
            # after a full collection (the sampler forces one every GC_EVERY samples), and on RSS.
            if judged and key in ("live_heap", "rss_kib") and slope is not None and slope > max_slope:
                missed.append(f"{part} {label} grows {slope:+.2f} MiB/min (> {max_slope:g})")
        errors = sum(1 for s in samples if "error" in s["parts"].get(part, {}))
        if errors:
            print(f"    {errors} scrapes failed, e.g. {next(s['parts'][part]['error'] for s in samples if 'error' in s['parts'].get(part, {}))}")
    # Not Shoal's parts, so not judged: etcd keeps every revision until its compaction (dev.sh:
    # periodic, 1 h), and its memory follows that history; the engines follow their containers.
    print("  not Shoal's (shown, not judged):")
    for other in samples[-1]["other"]:
        pts = series(samples, other, other, "kib", *window)
        print(f"  {other:<12} " + describe("RSS", pts, slope_per_min(pts)))
    print("  " + etcd_history(samples, window))
    print("  " + machine(samples, phases, window))
    print()
    rows = lag_intervals(samples, lag_target)
    print(f"== scheduler watch lag per interval (histogram bucket bounds; target every lag < {lag_target:g} s)")
    end = phases.get("converged", samples[-1]["t"])
    by_phase = {}
    for t, n, p99, top, over in rows:
        if t > end + 10:
            continue
        phase = "create" if t <= phases.get("running", 0) else "updates" if stopped is None or t <= stopped + 10 else "converge"
        by_phase.setdefault(phase, []).append((n, p99, top, over))
        print(f"  {t - t0:6.0f} s  {phase:<8} {n:6d} changes  p99 {fmt_bound(p99):<9} max {fmt_bound(top):<9}"
              + (f"  {over} over {lag_target:g} s" if over else ""))
    for phase, got in by_phase.items():
        n = sum(r[0] for r in got)
        over = sum(r[3] for r in got)
        print(f"  {phase:<8} {len(got):3d} intervals, {n:6d} changes: worst interval p99 {fmt_bound(max(r[1] for r in got))}, "
              f"max {fmt_bound(max(r[2] for r in got))}; {over} changes ({100 * over / n:.2f}%) over {lag_target:g} s "
              f"in {sum(1 for r in got if r[3])} intervals")
        if over:
            missed.append(f"watch lag during {phase}: {over} of {n} changes over {lag_target:g} s "
                          f"(max {fmt_bound(max(r[2] for r in got))}, worst interval p99 {fmt_bound(max(r[1] for r in got))})")
    if not by_phase:
        missed.append("watch lag: the scheduler recorded none")

    print()
    print("== updates and convergence")
    for key in ("updates_issued", "updates_completed", "updates_paused", "updates_stuck", "updates_refused",
                "update_seconds_median", "update_seconds_p99", "update_seconds_max", "converged_services",
                "converge_seconds", "services_limited_by_memory"):
        if key in results:
            print(f"  {key:<26} {results[key]}")
    if "failed" in results:
        missed.append(f"the load did not run to its end: {results['failed']}")
    elif "converge_seconds" not in results:
        missed.append("convergence: not reached")
    for line in missed:
        print("soak: target missed:", line)
    if not missed:
        print("soak: every target met")
    return 1 if missed else 0


def main(argv):
    if len(argv) == 7 and argv[1] == "sample":
        cmd_sample(argv[2], argv[3], float(argv[4]), float(argv[5]), int(argv[6]))
        return 0
    if len(argv) == 7 and argv[1] == "report":
        return cmd_report(argv[2], argv[3], float(argv[4]), float(argv[5]), float(argv[6]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
