#!/usr/bin/env python3
"""Turns the result.json files of one bench/load.sh run into Markdown and an SVG plot.

Usage: report.py OUT_DIR [--docs docs/benchmarks.md] [--svg docs/benchmarks-load.svg]
Writes OUT_DIR/report.md and OUT_DIR/load.svg; with --docs, replaces the text between the
markers <!-- load-results:begin --> and <!-- load-results:end --> in that file (the section
"## Load: concurrent recorded calls" is appended with the markers when missing).
"""
import glob
import json
import os
import sys

BEGIN, END = "<!-- load-results:begin -->", "<!-- load-results:end -->"
SECTION = "## Load: concurrent recorded calls"


def f(v, spec=".1f"):
    return "–" if v is None else format(v, spec)


def load_results(out):
    results = []
    for path in glob.glob(os.path.join(out, "*", "result.json")):
        with open(path, encoding="ascii") as fh:
            results.append(json.load(fh))
    ramp = sorted((r for r in results if r["meta"]["mode"] == "ramp"), key=lambda r: r["meta"]["concurrency"])
    rate = sorted((r for r in results if r["meta"]["mode"] == "rate"), key=lambda r: r["meta"]["rate"])
    return ramp, rate


def proc(r, name, key):
    return (((r.get("cpu") or {}).get("procs") or {}).get(name) or {}).get(key)


def row(r):
    m, s, rtp, c, rec = r["meta"], r["sip"], r["rtp"], r.get("cpu") or {}, r["recordings"]
    sipp = r.get("sipp") or {}
    t100, t200 = s["invite_to_100_ms"] or {}, s["invite_to_200_ms"] or {}
    loadgen = sum(proc(r, n, "cpu_pct") or 0 for n in ("callers", "uas", "gen"))
    capture = sum(proc(r, n, "cpu_pct") or 0 for n in ("dumpcap_rtp", "dumpcap_sip"))
    if rtp["bridged_calls"]:
        loss = f"{f(rtp.get('loss_server_pct'), '.3f')} / {f(rtp.get('loss_end_to_end_pct'), '.3f')}"
        per_pkt = f(c.get("us_per_relayed_packet"))
    else:
        loss = "no operator leg"
        per_pkt = f"({f(c.get('us_per_handled_packet'))} per handled)"
    if "complete" in rec:
        complete = str(rec["complete"])
    else:  # results of an older analyze.py: an upper bound
        complete = "≤ " + str(max(0, rec["files"] - (rec.get("unreadable") or 0)
                                  - max(rec.get("short") or 0, rec.get("left_silent") or 0, rec.get("right_silent") or 0)))
    feed = (r.get("feed") or {})
    feed_txt = "–"
    if feed.get("delivery_ms"):
        feed_txt = (f"{f(feed['delivery_ms']['p50'])} / {f(feed['delivery_ms']['p99'])}; offered "
                    f"{f((feed.get('invite_to_offered_ms') or {}).get('p50'))} / {f((feed.get('invite_to_offered_ms') or {}).get('p99'))}")
    label = f"C={m['concurrency']}" if m["mode"] == "ramp" else f"R={m['rate']} cps"
    verdict = "pass" if r["verdict"]["pass"] else "FAIL: " + "; ".join(r["verdict"]["reasons"])
    return (f"| {label} | {m['hold_s']:.0f} s | {sipp.get('created', s['invites'])} / {s['answered']} / {sipp.get('failed')} "
            f"| {s['operator_answered']} | {f(t100.get('p50'), '.2f')} / {f(t100.get('p95'), '.2f')} / {f(t100.get('p99'), '.2f')} "
            f"| {f(t200.get('p50'), '.2f')} / {f(t200.get('p95'), '.2f')} / {f(t200.get('p99'), '.2f')} "
            f"| {loss} | {f(rtp.get('caller_jitter_avg_ms_median'), '.2f')} / {f(rtp.get('caller_jitter_max_ms'), '.2f')} "
            f"| {f(proc(r, 'server', 'cpu_pct'))} | {f(proc(r, 'server', 'rss_mb_max'), '.0f')} | {per_pkt} "
            f"| {f(loadgen)} + {f(capture)} | {f(c.get('box_busy_pct'))} / {f(c.get('box_softirq_pct'))} "
            f"| {complete}/{s['answered']} | {r['udp_drops'].get('server')} / {(r['udp_drops'].get('callers') or 0) + (r['udp_drops'].get('uas') or 0)} "
            f"| {feed_txt} | {verdict} |")


HEADER = ("| level | held | calls made / answered / failed | operator legs answered | INVITE→100 p50 / p95 / p99 ms "
          "| INVITE→200 p50 / p95 / p99 ms | RTP loss % server / end-to-end | caller jitter ms median / max "
          "| server CPU % of a core | server RSS MB | server CPU µs per relayed packet | SIPp (+ LoadGen) + capture CPU % "
          "| box busy % / softirq % | recordings complete | UDP socket drops server / SIPp "
          "| gRPC feed lag ms p50 / p99; INVITE→offered p50 / p99 | verdict |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def svg(ramp, path):
    pts = [(r["meta"]["concurrency"], proc(r, "server", "cpu_pct"),
            r["rtp"].get("loss_server_pct") if r["rtp"]["bridged_calls"] else None) for r in ramp]
    pts = [p for p in pts if p[1] is not None]
    w, h, left, right, top, bottom = 640, 360, 60, 70, 30, 50
    xmax = max([p[0] for p in pts] + [100])
    cmax = max([p[1] for p in pts] + [100])
    cmax = ((int(cmax) // 50) + 1) * 50
    losses = [p[2] for p in pts if p[2] is not None]
    lmax = max(losses + [0.5])
    lmax = 1.0 if lmax <= 1.0 else ((int(lmax) // 5) + 1) * 5
    pw, ph = w - left - right, h - top - bottom
    X = lambda x: left + pw * x / xmax  # noqa: E731
    Yc = lambda y: top + ph * (1 - y / cmax)  # noqa: E731
    Yl = lambda y: top + ph * (1 - y / lmax)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="14">Intake under load: server CPU and RTP loss vs concurrent calls</text>',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="black"/>',
           f'<line x1="{left + pw}" y1="{top}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>']
    for i in range(6):
        xv = xmax * i / 5
        out.append(f'<text x="{X(xv):.1f}" y="{top + ph + 16}" text-anchor="middle">{xv:.0f}</text>')
        cv = cmax * i / 5
        out.append(f'<text x="{left - 6}" y="{Yc(cv) + 4:.1f}" text-anchor="end" fill="#1f5fbf">{cv:.0f}</text>')
        out.append(f'<line x1="{left}" y1="{Yc(cv):.1f}" x2="{left + pw}" y2="{Yc(cv):.1f}" stroke="#ddd"/>')
        lv = lmax * i / 5
        out.append(f'<text x="{left + pw + 6}" y="{Yl(lv) + 4:.1f}" fill="#c0392b">{lv:.2f}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{h - 10}" text-anchor="middle">concurrent calls</text>')
    out.append(f'<text transform="translate(16,{top + ph / 2}) rotate(-90)" text-anchor="middle" fill="#1f5fbf">server CPU, % of one core</text>')
    out.append(f'<text transform="translate({w - 12},{top + ph / 2}) rotate(90)" text-anchor="middle" fill="#c0392b">server-caused RTP loss, %</text>')
    if 0.1 <= lmax:
        out.append(f'<line x1="{left}" y1="{Yl(0.1):.1f}" x2="{left + pw}" y2="{Yl(0.1):.1f}" stroke="#c0392b" stroke-dasharray="4 4"/>')
        out.append(f'<text x="{left + 4}" y="{Yl(0.1) - 4:.1f}" fill="#c0392b" font-size="10">0.1 % criterion</text>')
    cp = " ".join(f"{X(x):.1f},{Yc(c):.1f}" for x, c, _ in pts)
    out.append(f'<polyline points="{cp}" fill="none" stroke="#1f5fbf" stroke-width="2"/>')
    for x, c, _ in pts:
        out.append(f'<circle cx="{X(x):.1f}" cy="{Yc(c):.1f}" r="4" fill="#1f5fbf"/>')
    lp = [(x, l) for x, _, l in pts if l is not None]
    if lp:
        out.append('<polyline points="' + " ".join(f"{X(x):.1f},{Yl(l):.1f}" for x, l in lp)
                   + '" fill="none" stroke="#c0392b" stroke-width="2"/>')
        for x, l in lp:
            out.append(f'<rect x="{X(x) - 4:.1f}" y="{Yl(l) - 4:.1f}" width="8" height="8" fill="#c0392b"/>')
    else:
        out.append(f'<text x="{left + pw / 2}" y="{top + 16}" text-anchor="middle" fill="#c0392b">no operator legs: RTP loss not measured</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def markdown(out, ramp, rate, svg_name):
    with open(os.path.join(out, "run.json"), encoding="utf-8") as fh:
        run = json.load(fh)
    lines = [f"Run of {run['date']}: commit `{run['commit']}`{' (+ uncommitted changes)' if run.get('dirty') else ''}, "
             f"machine {run['cpu_model']} ({run['cpus']} CPUs), {run['os']}, load average before the run {run['loadavg']}.",
             "", "Command:", "", "```", run["command"], "```", ""]
    # the ramp's answer: the highest level reached with every level below it passing too
    passed = []
    for r in ramp:
        if not r["verdict"]["pass"]:
            break
        passed.append(r["meta"]["concurrency"])
    also = [r["meta"]["concurrency"] for r in ramp if r["verdict"]["pass"] and r["meta"]["concurrency"] not in passed]
    if ramp:
        lines += ["Ramp (calls set up at the rate shown in each run's meta, all held together; figures over the window with all calls up):",
                  "", HEADER] + [row(r) for r in ramp] + [""]
        marginal = []
        for a, b in zip(ramp, ramp[1:]):
            ca, cb = a.get("cpu") or {}, b.get("cpu") or {}
            if ca.get("relayed_packets") and cb.get("relayed_packets") and proc(a, "server", "cpu_s") is not None \
                    and proc(b, "server", "cpu_s") is not None:
                ra = ca["relayed_packets"] / (a["window"][1] - a["window"][0])
                rb = cb["relayed_packets"] / (b["window"][1] - b["window"][0])
                ua = proc(a, "server", "cpu_s") / ca["seconds"]
                ub = proc(b, "server", "cpu_s") / cb["seconds"]
                if rb > ra:
                    marginal.append(f"{a['meta']['concurrency']}→{b['meta']['concurrency']}: {(ub - ua) / (rb - ra) * 1e6:.1f} µs")
        if marginal:
            lines.append("Marginal server CPU per extra relayed packet between levels (removes the fixed cost of "
                         "keep-alives, timers and the runtime): " + ", ".join(marginal) + ".")
            lines.append("")
        lines.append(f"Highest level passed: **{max(passed) if passed else 'none'}** concurrent calls"
                     + (f" (higher levels that passed after a failure: {', '.join(map(str, also))})." if also else "."))
        lines.append("")
    if rate:
        lines += [f"Call-setup rate ({rate[0]['meta']['calls'] // max(rate[0]['meta']['rate'], 1)} s of arrivals per run, "
                  f"each call {rate[0]['meta']['hold_s']:.1f} s with media and recording; figures over the steady part):",
                  "", HEADER] + [row(r) for r in rate] + [""]
    if svg_name:
        lines += [f"![server CPU and RTP loss against concurrent calls]({svg_name})", ""]
    return "\n".join(lines)


def main() -> int:
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    out = args[0]
    docs = args[args.index("--docs") + 1] if "--docs" in args else None
    svg_path = args[args.index("--svg") + 1] if "--svg" in args else os.path.join(out, "load.svg")
    ramp, rate = load_results(out)
    if ramp:
        svg(ramp, svg_path)
        if svg_path != os.path.join(out, "load.svg"):
            svg(ramp, os.path.join(out, "load.svg"))
    svg_name = os.path.basename(svg_path) if ramp else None
    text = markdown(out, ramp, rate, svg_name)
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as fh:
        fh.write(text)
    if docs:
        with open(docs, encoding="utf-8") as fh:
            current = fh.read()
        block = f"{BEGIN}\n{text}\n{END}"
        if BEGIN in current and END in current:
            current = current[:current.index(BEGIN)] + block + current[current.index(END) + len(END):]
        else:
            current = current.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
        with open(docs, "w", encoding="utf-8") as fh:
            fh.write(current)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
