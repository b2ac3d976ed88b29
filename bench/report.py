"""Turns bench/run's key=value results into the table; prints it and, given a path, writes it."""
import sys


def load(path):
    values = {}
    for line in open(path):
        key, _, value = line.rstrip("\n").partition("=")
        values[key] = value
    return values


def num(values, key):
    try:
        return float(values.get(key, ""))
    except ValueError:
        return None


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def fmt(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


def milliseconds(text):
    """wrk's "812.00us", "3.21ms" or "1.02s" in milliseconds; None when absent."""
    if not text:
        return None
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            try:
                return float(text[:-len(unit)]) * scale
            except ValueError:
                return None
    return None


def verdict(value, target, higher_is_better):
    if value is None:
        return "not measured"
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "**missed**"


def main():
    v = load(sys.argv[1])
    rows = []

    def row(what, measured, peer, r, target, ok, command):
        rows.append(f"| {what} | {measured} | {peer} | {r} | {target} | {ok} | `{command}` |")

    p, m, f = (num(v, f"proc_{k}_cpu_ms") for k in ("portrait", "imagemagick", "vips_decode_floor"))
    n = num(v, "proc_inputs") or 0
    proc_cmd = v.get("proc_cmd", "build-bench/bench/processing_benchmark CORPUS REPEATS 1")
    speedup = ratio(m, p)
    row("processing, CPU ms summed over the corpus (per upload)",
        f"{fmt(p * n if p else None, 0)} ({fmt(p, 1)})", f"ImageMagick {fmt(m * n if m else None, 0)} ({fmt(m, 1)})",
        f"{fmt(speedup, 1)}x faster", ">= 8x faster", verdict(speedup, 8, True), proc_cmd)
    over_floor = ratio(p, f)
    row("processing vs libvips decode floor", f"{fmt(p, 1)} ms", f"floor {fmt(f, 1)} ms",
        f"{fmt(over_floor)}x the floor", "<= 2.5x", verdict(over_floor, 2.5, False), proc_cmd)

    s_cpu = num(v, "server_cpu_ms_per_upload")
    server_cmd = v.get("server_cpu_cmd", "bench/server_cpu.py")
    over_floor = ratio(s_cpu, f)
    row("whole server, CPU ms per processed upload, from outside (user / system)",
        f"{fmt(s_cpu, 1)} ({v.get('server_user_ms_per_upload', '?')} / "
        f"{v.get('server_system_ms_per_upload', '?')})", f"floor {fmt(f, 1)} ms",
        f"{fmt(over_floor)}x the floor", "<= 2.5x", verdict(over_floor, 2.5, False), server_cmd)
    speedup = ratio(m, s_cpu)
    row("whole server vs ImageMagick (the pipeline alone above)", f"{fmt(s_cpu, 1)} ms",
        f"ImageMagick {fmt(m, 1)} ms", f"{fmt(speedup, 1)}x faster", ">= 8x faster",
        verdict(speedup, 8, True), server_cmd)

    def http_row(prefix, key, what, target, peer_key=None):
        a = num(v, f"{prefix}_{key}_portrait_rps")
        peer = peer_key or f"{prefix}_{key}_nginx"
        b = num(v, f"{peer}_rps")
        if a is None and b is None:
            return
        r = ratio(a, b)
        errors = v.get(f"{prefix}_{key}_portrait_errors") or "0"
        peer_errors = v.get(f"{peer}_errors") or "0"
        row(f"{what}, req/s (p99; non-2xx)",
            f"{fmt(a, 0)} ({v.get(f'{prefix}_{key}_portrait_p99', '?')}; {errors})",
            f"nginx static {fmt(b, 0)} ({v.get(f'{peer}_p99', '?')}; {peer_errors})",
            f"{fmt(r * 100 if r else None, 0)}% of nginx",
            f">= {target * 100:.0f}% of nginx",
            verdict(r, target, True) if errors == "0" else "**invalid** (non-2xx answers)",
            v.get(f"{prefix}_{key}_portrait_cmd", "")[:160])

    for key, what, target in (("show", "users/show, app-only bearer", 0.5),
                              ("vc", "verify_credentials, pre-signed OAuth (unique nonces)", 0.5),
                              ("normal", "image serving, _normal variant", 0.7),
                              ("original", "image serving, original variant", 0.7)):
        http_row("http", key, f"HTTP {what}", target)
    http_row("http", "vcpg", "HTTP verify_credentials on PostgreSQL, pre-signed (unique nonces)",
             0.5, peer_key="http_vc_nginx")
    for key, what, target in (("show", "users/show, app-only bearer", 0.5),
                              ("vc", "verify_credentials, pre-signed OAuth (unique nonces)", 0.5),
                              ("normal", "image serving, _normal variant", 0.7)):
        http_row("https", key, f"HTTPS (TLS, keep-alive) {what}", target)

    for key, backend, check in (("sqlite", "SQLite", "purge_sqlite_purged"),
                                ("pg", "PostgreSQL", "purge_pg_left")):
        base_p99 = milliseconds(v.get(f"purge_{key}_without_p99"))
        if base_p99 is None:
            continue
        done = v.get(check, "?")
        done_text = (f"purged during the run: {done}" if key == "sqlite"
                     else f"expired rows left after: {done}")
        for run in ("during", "after"):
            p99 = milliseconds(v.get(f"purge_{key}_{run}_p99"))
            r = ratio(p99, base_p99)
            row(f"verify_credentials p99 {run} a purge of 1M expired nonces ({backend}; "
                f"{done_text})", f"{fmt(p99)} ms ({fmt(num(v, f'purge_{key}_{run}_rps'), 0)} req/s)",
                f"without one {fmt(base_p99)} ms", f"{fmt(r)}x", "<= 2x", verdict(r, 2, False),
                v.get(f"purge_{key}_{run}_cmd", "")[:160])

    bound, sustained = num(v, "upload_bound_per_s"), num(v, "upload_sustained_per_s")
    r = ratio(sustained, bound)
    row("uploads, highest sustained rate with p99 time-to-visible < 1 s", f"{fmt(sustained)}/s",
        f"processing bound {fmt(bound)}/s ({v.get('cores')} cores / "
        f"{fmt(s_cpu if s_cpu else p, 1)} ms, the {'whole server' if s_cpu else 'pipeline'})",
        f"{fmt(r * 100 if r else None, 0)}% of bound", ">= 80% of bound", verdict(r, 0.8, True),
        v.get("upload_rate_cmd", ""))
    p99 = num(v, "upload_half_p99")
    row(f"uploads at half that rate ({v.get('upload_half_rate')}/s), time-to-visible p50 / p99",
        f"{v.get('upload_half_p50')} / {v.get('upload_half_p99')} ms", "-", "-", "p99 <= 250 ms",
        verdict(p99, 250, False), "bench/upload_load.py ... rate --rate HALF")
    w1, w2 = num(v, "workers_1_per_s"), num(v, "workers_2_per_s")
    r = ratio(w2, w1)
    row("uploads, backlog drain: 2 workers vs 1", f"{fmt(w2)}/s", f"1 worker {fmt(w1)}/s",
        f"{fmt(r)}x", ">= 1.8x", verdict(r, 1.8, True), v.get("burst_cmd", ""))
    t1, t2 = num(v, "proc_portrait_threads_1_wall_ms"), num(v, "proc_portrait_threads_2_wall_ms")
    r = ratio(t1, t2)
    row("processing throughput: 2 worker threads vs 1 (the pipeline alone, in-process)",
        f"{fmt(1000 / t2 if t2 else None)}/s", f"1 thread {fmt(1000 / t1 if t1 else None)}/s",
        f"{fmt(r)}x", ">= 1.8x", verdict(r, 1.8, True), proc_cmd)
    peak = num(v, "rss_peak_kb")
    row("memory, peak RSS: 64 concurrent uploads, largest valid images + pixel floods",
        f"{fmt(peak / 1024 if peak else None, 0)} MB", f"idle {fmt(num(v, 'rss_idle_kb') / 1024 if num(v, 'rss_idle_kb') else None, 0)} MB",
        "-", "<= 300 MB", verdict(peak / 1024 if peak else None, 300, False), v.get("flood_cmd", ""))
    before, after = num(v, "rss_soak_before_kb"), num(v, "rss_soak_after_kb")
    growth = None if before is None or after is None else (after - before) / 1024
    low_high = v.get("rss_soak_range_kb", "").split()
    soak_range = (f" (every reading {fmt(int(low_high[0]) / 1024, 0)}-{fmt(int(low_high[1]) / 1024, 0)} MB)"
                  if len(low_high) == 2 else "")
    row("memory, RSS during the mixed soak: median of its last minute / of its first",
        f"{fmt(after / 1024 if after else None, 0)} MB last",
        f"{fmt(before / 1024 if before else None, 0)} MB first", f"{fmt(growth, 1)} MB growth" + soak_range,
        "no growth", "met" if growth is not None and growth <= 5 else "**missed**", v.get("soak_cmd", ""))

    header = [
        f"Run {v.get('date')} on {v.get('cores')} cores ({v.get('cpu')}); load average before "
        f"{v.get('load_before')}, after {v.get('load_after')}. Durations: {v.get('durations')}. "
        f"Corpus: {v.get('corpus_files')} files of .corpus under 716,800 bytes (truncated.jpg left out), "
        f"{int(n)} accepted by Inspect for processing. HTTP images: _normal "
        f"{v.get('image_normal_bytes')} B, original {v.get('image_original_bytes')} B.",
        "",
        "| measure | Portrait | peer / floor (same run) | ratio | target | verdict | command |",
        "|---|---|---|---|---|---|---|",
    ]
    footer = []
    if v.get("upload_best_server_cpu_ms_per_upload"):
        footer = [
            "",
            f"Where the CPU went at the highest sustained upload rate ({v.get('upload_sustained_per_s')}/s, "
            f"p50 time-to-visible {v.get('upload_best_p50_ms')} ms): the server used "
            f"{v.get('upload_best_server_cpu_ms_per_upload')} ms of CPU per upload (the pipeline alone: "
            f"{fmt(p, 1)} ms), the whole machine {v.get('upload_best_machine_cpu_ms_per_upload')} ms "
            f"(of which the load generator's own process "
            f"{v.get('upload_best_client_cpu_ms_per_upload', '?')} ms; the rest is the kernel and "
            f"anything else running), busy "
            f"{fmt(num(v, 'upload_best_machine_busy') * 100 if num(v, 'upload_best_machine_busy') is not None else None, 0)}%.",
        ]
    table = "\n".join(header + rows + footer) + "\n"
    print(table)
    if len(sys.argv) > 2:
        write_doc(sys.argv[2], table)


def write_doc(path, table):
    """Replaces the table between the markers, keeping the prose around it."""
    begin, end = "<!-- bench:table:begin -->", "<!-- bench:table:end -->"
    try:
        text = open(path).read()
    except FileNotFoundError:
        text = f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    open(path, "w").write(f"{head}{begin}\n{table}{end}{tail}")


if __name__ == "__main__":
    main()
