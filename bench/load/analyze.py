#!/usr/bin/env python3
"""Analyses one load level written by bench/load.sh; prints a summary and writes result.json.

Usage: analyze.py LEVEL_DIR

LEVEL_DIR holds meta.json (parameters and ports), sip.pcap (the server's SIP port, full
packets), rtp.pcap (the server's RTP range, first 80 bytes), samples.jsonl (procmon.py),
callers_stat.csv (SIPp -trace_stat) and the server's data directory.

Every figure comes from the captures and /proc, not from the server:
- SIP response times: INVITE first transmission -> first 100 / 200 seen on the loopback
  (kernel capture time stamps, so SIPp's own scheduling is not counted).
- RTP: per call, flows are found from the SDP ports; a packet is recognised by the first
  12 payload bytes, and only the 196 of the pcap's 236 packets whose 12 bytes are unique
  are counted ("distinctive"), so prompts and comfort silence never count as relayed audio.
  Forward = caller -> Intake -> operator, back = operator echo -> Intake -> caller.
  Counting starts at the caller packet that Intake first forwarded (bridge start).
- CPU: /proc/PID/stat utime+stime between the two samples that bound the window where all
  calls are up (ramp) or arrivals balance departures (setup-rate test).

With meta "rtp_gen" (load.sh --rtp-gen) there is no rtp.pcap: the callers' RTP came from
bench/Intake.LoadGen, whose gen.json gives per call what it sent and which of its own tagged
packets came back (relayed to the operator, echoed, relayed back), counted from the first one that
came back (bridge start), and the RFC 3550 jitter of those. End-to-end loss is the generator's;
server-caused loss is estimated as end-to-end minus what the kernel dropped at the operator UAS's
sockets and at the generator's (UDP drop counters); what SIPp's echo failed to send is not seen.
Relayed packets for CPU per packet are derived: 2 x 50 packets/s per bridged call-second in the
window (from the SIP capture), times the share that came back.
"""
import json
import os
import statistics
import struct
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaputil import rtp_fingerprints, udp_packets  # noqa: E402

_COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via", "l": "content-length", "c": "content-type", "m": "contact"}


def parse_sip(payload):
    text = payload.decode("latin-1", errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    start = lines[0]
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        name = _COMPACT.get(name, name)
        headers.setdefault(name, value.strip())
    return start, headers, body, text


def sdp_audio_port(body):
    for line in body.split("\n"):
        if line.startswith("m=audio "):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def uri_user(value):
    start = value.find("sip:")
    if start < 0:
        return None
    rest = value[start + 4:]
    at = rest.find("@")
    return rest[:at] if at > 0 else None


def percentiles(values):
    if not values:
        return None
    v = sorted(values)

    def pct(p):
        k = (len(v) - 1) * p / 100.0
        lo = int(k)
        hi = min(lo + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (k - lo)

    return {"n": len(v), "p50": pct(50), "p95": pct(95), "p99": pct(99), "max": v[-1]}


def analyse_sip(path, meta):
    caller_sip, uas_sip = meta["ports"]["caller_sip"], meta["ports"]["uas_sip"]
    calls, ops = {}, {}
    other = defaultdict(int)
    for t, src, dst, payload in udp_packets(path):
        if not payload or payload in (b"\r\n\r\n", b"\r\n"):
            continue
        start, h, body, text = parse_sip(payload)
        cid = h.get("call-id")
        if cid is None:
            continue
        cseq = h.get("cseq", "0 X").split()
        method = cseq[1] if len(cseq) > 1 else "?"
        is_response = start.startswith("SIP/2.0")
        code = int(start.split()[1]) if is_response else 0
        if caller_sip in (src, dst):
            c = calls.get(cid)
            if c is None:
                if is_response or not start.startswith("INVITE"):
                    other["trunk_outside_invite_dialogs"] += 1
                    continue
                c = calls[cid] = {"invite": t, "invites": 0, "from": uri_user(h.get("from", "")),
                                  "caller_port": sdp_audio_port(body)}
            if not is_response:
                verb = start.split()[0]
                if verb == "INVITE":
                    c["invites"] += 1
                elif verb == "ACK":
                    c.setdefault("ack", t)
                elif verb == "BYE":
                    c.setdefault("bye", t)
                    c.setdefault("bye_by", "caller" if src == caller_sip else "server")
                else:
                    other["trunk_" + verb] += 1
            elif method == "INVITE":
                if code == 100:
                    c.setdefault("t100", t)
                elif code in (180, 183):
                    c.setdefault("t18x", t)
                elif code == 200:
                    if "t200" not in c:
                        c["t200"] = t
                        c["server_port"] = sdp_audio_port(body)
                    else:
                        c["ok_retrans"] = c.get("ok_retrans", 0) + 1
                elif code >= 300:
                    c.setdefault("final", code)
            elif method == "BYE" and code == 200:
                c.setdefault("bye_ok", t)
        elif uas_sip in (src, dst):
            o = ops.get(cid)
            if o is None:
                if is_response or not start.startswith("INVITE"):
                    other["op_outside_invite_dialogs"] += 1  # OPTIONS keep-alives and their 200s
                    continue
                o = ops[cid] = {"invite": t, "from": uri_user(h.get("from", "")), "to": uri_user(h.get("to", "")),
                                "server_port": sdp_audio_port(body), "text": text}
            if not is_response:
                verb = start.split()[0]
                if verb == "ACK":
                    o.setdefault("ack", t)
                elif verb == "BYE":
                    o.setdefault("bye", t)
                    o.setdefault("bye_by", "operator" if src == uas_sip else "server")
                elif verb == "CANCEL":
                    o.setdefault("cancel", t)
            elif method == "INVITE":
                if code == 200:
                    o.setdefault("t200", t)
                    o.setdefault("uas_port", sdp_audio_port(body))
                elif code >= 300:
                    o.setdefault("final", code)
        else:
            other["elsewhere"] += 1
    return calls, ops, dict(other)


def map_ops_to_calls(calls, ops):
    """Operator leg -> caller call: by the caller's From user, else by the caller's Call-ID in the INVITE."""
    by_from = {}
    for cid, c in calls.items():
        if c.get("from"):
            by_from.setdefault(c["from"], cid)
    mapping, how = {}, defaultdict(int)
    for ocid, o in ops.items():
        if o.get("from") in by_from:
            mapping[ocid] = by_from[o["from"]]
            how["from"] += 1
            continue
        for cid in calls:
            if cid in o["text"]:
                mapping[ocid] = cid
                how["call-id"] += 1
                break
        else:
            how["unmapped"] += 1
    for o in ops.values():
        o.pop("text", None)
    return mapping, dict(how)


class Flow:
    __slots__ = ("n", "first", "last", "distinct", "pcap_audio", "recent", "jit", "jit_sum", "jit_n", "jit_max",
                 "prev", "start_distinct", "start_t", "in_window")

    def __init__(self):
        self.n = 0
        self.first = None
        self.last = None
        self.distinct = 0
        self.pcap_audio = 0
        self.recent = []
        self.jit = 0.0
        self.jit_sum = 0.0
        self.jit_n = 0
        self.jit_max = 0.0
        self.prev = None
        self.start_distinct = None
        self.start_t = None
        self.in_window = 0


def analyse_rtp(path, meta, calls, ops, mapping, window):
    fps = rtp_fingerprints(meta["pcap"])
    counts = defaultdict(int)
    for fp in fps:
        counts[fp] += 1
    distinct = {fp for fp, n in counts.items() if n == 1 and len(set(fp)) > 1}
    audio = set(fps)
    p = meta["ports"]
    smin, smax = p["server_rtp_min"], p["server_rtp_max"]
    uas_media = p["uas_media"]
    caller_ports = {c["caller_port"]: cid for cid, c in calls.items() if c.get("caller_port")}
    server_caller_ports = {c["server_port"]: cid for cid, c in calls.items() if c.get("server_port")}
    server_op_ports = {o["server_port"]: ocid for ocid, o in ops.items() if o.get("server_port")}
    flows = defaultdict(Flow)
    call_of_op = mapping
    # first forwarded distinctive packet of each op leg -> aligned start in the caller's flow
    ws, we = window if window else (None, None)
    win = defaultdict(int)
    stray = 0
    for t, src, dst, payload in udp_packets(path):
        if len(payload) < 24 or payload[0] >> 6 != 2 or 200 <= payload[1] <= 204:
            continue
        cc = payload[0] & 0x0F
        fp = bytes(payload[12 + 4 * cc:24 + 4 * cc])
        if smin <= dst <= smax and src in caller_ports:
            kind = "caller_to_server"
        elif smin <= src <= smax and dst == uas_media:
            kind = "server_to_op"
        elif src == uas_media and smin <= dst <= smax:
            kind = "op_to_server"
        elif smin <= src <= smax and dst in caller_ports:
            kind = "server_to_caller"
        else:
            stray += 1
            continue
        key = (src, dst)
        f = flows[key]
        f.n += 1
        if f.first is None:
            f.first = t
        f.last = t
        is_distinct = fp in distinct
        if fp in audio:
            f.pcap_audio += 1
        if ws is not None and ws <= t <= we:
            win[kind] += 1
        if kind == "caller_to_server":
            if is_distinct:
                f.recent.append((t, fp, f.distinct))
                if len(f.recent) > 64:
                    del f.recent[:32]
                f.distinct += 1
        elif kind == "server_to_op":
            if is_distinct:
                if f.distinct == 0:
                    # bridge start: which caller packet was this?
                    ocid = server_op_ports.get(src)
                    cid = call_of_op.get(ocid)
                    c = calls.get(cid) if cid else None
                    if c and c.get("caller_port") and c.get("server_port"):
                        cf = flows.get((c["caller_port"], c["server_port"]))
                        if cf is not None:
                            for (tc, fpc, before) in reversed(cf.recent):
                                if fpc == fp and tc <= t + 0.001:
                                    cf.start_distinct = before
                                    cf.start_t = tc
                                    break
                f.distinct += 1
        elif kind == "op_to_server":
            if is_distinct:
                f.distinct += 1
        else:  # server_to_caller: what the caller hears
            if is_distinct:
                f.distinct += 1
            ts = struct.unpack_from(">I", payload, 4)[0]
            if f.prev is not None:
                d = (t - f.prev[0]) - ((ts - f.prev[1]) & 0xFFFFFFFF) / 8000.0
                if abs(d) < 0.5:
                    f.jit += (abs(d) - f.jit) / 16.0
                    f.jit_sum += f.jit
                    f.jit_n += 1
                    f.jit_max = max(f.jit_max, f.jit)
            f.prev = (t, ts)
    return flows, dict(win), stray, caller_ports


def per_call_loss(calls, ops, mapping, flows, uas_media):
    op_of_call = {cid: ocid for ocid, cid in mapping.items()}
    rows = []
    for cid, c in calls.items():
        pc, sc = c.get("caller_port"), c.get("server_port")
        if not pc or not sc:
            continue
        up = flows.get((pc, sc))
        down = flows.get((sc, pc))
        row = {"call": cid, "caller_sent": up.n if up else 0, "caller_sent_distinct": up.distinct if up else 0,
               "to_caller": down.n if down else 0, "to_caller_audio": down.pcap_audio if down else 0,
               "to_caller_distinct": down.distinct if down else 0,
               "jitter_avg_ms": (down.jit_sum / down.jit_n * 1000) if down and down.jit_n else None,
               "jitter_max_ms": (down.jit_max * 1000) if down and down.jit_n else None}
        ocid = op_of_call.get(cid)
        if ocid and ops[ocid].get("server_port"):
            so = ops[ocid]["server_port"]
            fwd = flows.get((so, uas_media))
            echo = flows.get((uas_media, so))
            row["bridged"] = True
            row["expected"] = (up.distinct - up.start_distinct) if up and up.start_distinct is not None else None
            row["forwarded"] = fwd.distinct if fwd else 0
            row["echoed"] = echo.distinct if echo else 0
            row["returned"] = down.distinct if down else 0
        else:
            row["bridged"] = False
        rows.append(row)
    return rows


def call_seconds_in_window(calls, window):
    """Sum over answered calls of the part of [ACK, BYE] inside the window."""
    ws, we = window
    total = 0.0
    for c in calls.values():
        if "t200" not in c:
            continue
        a, b = c.get("ack", c["t200"]), c.get("bye", we)
        total += max(0.0, min(b, we) - max(a, ws))
    return total


def analyse_gen(level_dir, meta):
    """RTP figures from the generator's JSON (load.sh --rtp-gen)."""
    path = os.path.join(level_dir, "gen.json")
    if not os.path.exists(path):
        return {"stray_packets": 0, "window_packets": {}, "calls_with_media": 0, "bridged_calls": 0,
                "generator_missing": True}
    with open(path, encoding="utf-8") as f:
        gen = json.load(f)
    t = gen["totals"]
    rtp = {"source": "generator", "stray_packets": 0, "window_packets": {}, "calls_with_media": t["calls"],
           "caller_sent": t["sent"], "to_callers": t["received"], "to_callers_distinct": t["tagged"],
           "generator_send_failures": t["send_failures"], "foreign_tagged": t["foreign_tagged"],
           "caller_jitter_avg_ms_median": t.get("jitter_mean_ms_median"),
           "caller_jitter_avg_ms_p99": t.get("jitter_mean_ms_p99"), "caller_jitter_max_ms": t.get("jitter_max_ms"),
           "bridged_calls": t["calls_bridged"], "expected_distinct": t["expected_since_start"],
           "returned_distinct": t["tagged_since_start"], "loss_end_to_end_pct": t["loss_pct"],
           "worst_call_end_to_end_pct": t["worst_call_loss_pct"],
           "generator": {k: gen[k] for k in ("stop_reason", "wall_s", "cpu_s", "cpu_pct", "announcements", "open_failures",
                                             "pacer_max_lateness_ms", "pacer_late_sends")}}
    echo = gen.get("echo")
    if echo:  # the generator was also the operators' media: both passes through the server are seen
        rtp.update({"expected_forward": echo["expected_forward"], "forwarded_distinct": echo["forwarded"],
                    "echoed_distinct": echo["echoed"], "echo_failures": echo["echo_failures"],
                    "loss_forward_pct": echo.get("loss_forward_pct"), "loss_back_pct": echo.get("loss_back_pct")})
    return rtp


def generator_socket_drops(samples_path, echo_port):
    """Kernel drops at the generator's sockets: (at its echo socket, at its callers' sockets)."""
    last = {}
    with open(samples_path, encoding="ascii") as f:
        for line in f:
            try:
                sockets = json.loads(line).get("udp_drops", {}).get("gen", {})
            except ValueError:
                continue
            for key, d in sockets.items():
                last[key] = max(last.get(key, 0), d)
    echo = sum(d for k, d in last.items() if int(k.split(":")[0]) == echo_port)
    return echo, sum(last.values()) - echo


def analyse_cpu(samples_path, window, tick, ignore_ports=()):
    samples = []
    with open(samples_path, encoding="ascii") as f:
        for line in f:
            try:
                samples.append(json.loads(line))
            except ValueError:
                continue
    if not samples:
        return None, {}
    ws, we = window
    inside = [s for s in samples if ws <= s["t"] <= we]
    if len(inside) < 2:
        return None, {}
    a, b = inside[0], inside[-1]
    dt = b["t"] - a["t"]
    out = {"t0": a["t"], "t1": b["t"], "seconds": dt, "procs": {}}
    for name in set(a["procs"]) & set(b["procs"]):
        cpu_s = (b["procs"][name]["cpu_ticks"] - a["procs"][name]["cpu_ticks"]) / tick
        rss = [s["procs"][name]["rss_kb"] for s in inside if name in s["procs"]]
        out["procs"][name] = {"cpu_s": cpu_s, "cpu_pct": 100.0 * cpu_s / dt, "rss_mb_max": max(rss) / 1024.0,
                              "threads": b["procs"][name]["threads"]}
    ba, bb = a["box"], b["box"]
    total = sum(bb.values()) - sum(ba.values())
    if total > 0:
        out["box_busy_pct"] = 100.0 * (total - (bb["idle"] - ba["idle"]) - (bb["iowait"] - ba["iowait"])) / total
        out["box_softirq_pct"] = 100.0 * (bb["softirq"] - ba["softirq"]) / total
        out["box_system_pct"] = 100.0 * (bb["system"] - ba["system"]) / total
    peak_rss = {}
    for s in samples:
        for name, pr in s["procs"].items():
            peak_rss[name] = max(peak_rss.get(name, 0), pr["rss_kb"] / 1024.0)
    drops = defaultdict(dict)
    for s in samples:
        for owner, sockets in s.get("udp_drops", {}).items():
            for key, d in sockets.items():
                drops[owner][key] = max(drops[owner].get(key, 0), d)
    # SIPp binds -mp itself without reading it; call 1's [auto_media_port] is that port, so its drops are no loss
    totals = {o: sum(d for k, d in v.items() if int(k.split(":")[0]) not in ignore_ports) for o, v in drops.items()}
    return out, {"peak_rss_mb": peak_rss, "udp_drops": totals}


def decode_table(fmt):
    table = []
    for b in range(256):
        if fmt == 6:  # A-law
            a = b ^ 0x55
            seg = (a & 0x70) >> 4
            mant = a & 0x0F
            v = (mant << 4) + 8 if seg == 0 else ((mant << 4) + 0x108) << (seg - 1)
            table.append(v if a & 0x80 else -v)
        else:  # mu-law
            u = ~b & 0xFF
            v = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
            table.append(0x84 - v if u & 0x80 else v - 0x84)
    return table


def wav_info(path):
    """(channels, rate, duration_s, [active fraction per channel]) from a RIFF/WAVE file (PCM16, A-law or mu-law)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, fmt, payload = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, ch, rate, _br, align, bits = struct.unpack_from("<HHIIHH", body, 0)
            if tag == 0xFFFE and len(body) >= 26:
                tag = struct.unpack_from("<H", body, 24)[0]
            fmt = (tag, ch, rate, align, bits)
        elif cid == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        return None
    tag, ch, rate, align, bits = fmt
    frames = len(payload) // align if align else 0
    duration = frames / rate if rate else 0.0
    table = decode_table(tag) if tag in (6, 7) else None
    chunk = max(1, rate // 5)  # 200 ms
    # one probe per second; every 200 ms in short files, where a few silent probes would decide
    step = chunk if duration < 10 else max(chunk, rate)
    active = [0] * ch
    chunks = 0
    for start in range(0, max(0, frames - chunk), step):
        chunks += 1
        seg = payload[start * align:(start + chunk) * align]
        for k in range(ch):
            if tag == 1 and bits == 16:
                import array
                arr = array.array("h")
                arr.frombytes(seg[: len(seg) - len(seg) % 2])
                samples = arr[k::ch]
                peak = max(max(samples), -min(samples)) if samples else 0
            elif table is not None:
                samples = seg[k::ch]
                peak = max(abs(table[x]) for x in set(samples)) if samples else 0
            else:
                peak = 0
            if peak > 600:
                active[k] += 1
    return ch, rate, duration, [a / chunks if chunks else 0.0 for a in active]


def analyse_recordings(data_dir, call_durations, bridged, exclude):
    rec_dir = os.path.join(data_dir, "recordings")
    files = []
    for root, _dirs, names in os.walk(rec_dir):
        files.extend(os.path.join(root, n) for n in names if n.lower().endswith(".wav"))
    files = [f for f in files if f not in exclude]
    result = {"files": len(files), "excluded_warmup": len(exclude)}
    if not files:
        return result
    infos = [wav_info(f) for f in files]
    bad = sum(1 for i in infos if i is None)
    good = [i for i in infos if i is not None]
    result["unreadable"] = bad
    result["channels"] = sorted({i[0] for i in good})
    durations = [i[2] for i in good]
    result["duration_s"] = percentiles(durations)
    expected = min(call_durations) if call_durations else None
    result["expected_min_s"] = expected
    short = [d for d in durations if expected is not None and d < expected - 1.0]
    result["short"] = len(short)
    left = [i[3][0] for i in good if i[3]]
    right = [i[3][1] for i in good if len(i[3]) > 1]
    result["left_active_min"] = min(left) if left else None
    result["right_active_min"] = min(right) if right else None
    # speech in g711a.pcap is active in about 80 % of seconds; require half of that
    result["left_silent"] = sum(1 for v in left if v < 0.4)
    result["right_silent"] = sum(1 for v in right if v < 0.4) if bridged else None
    result["complete"] = sum(1 for i in good
                             if (expected is None or i[2] >= expected - 1.0) and i[3] and i[3][0] >= 0.4
                             and (not bridged or (len(i[3]) > 1 and i[3][1] >= 0.4)))
    return result


def rfc3339_epoch(text):
    from datetime import datetime
    main_part, _, frac = text.rstrip("Z").partition(".")
    base = datetime.fromisoformat(main_part + "+00:00").timestamp()
    return base + (float("0." + frac) if frac else 0.0)


def analyse_feed(path, calls):
    """Lag of the gRPC feed: arrival at the client - event time, and arrival of 'offered' - the INVITE on the wire."""
    by_from = {c.get("from"): c for c in calls.values() if c.get("from")}
    delivery, offered, kinds = [], [], defaultdict(int)
    started = 0.0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# start "):
                started = float(line.split()[2])
                continue
            stamp, _, body = line.partition(" ")
            try:
                arrival, event = float(stamp), json.loads(body)
            except ValueError:
                continue
            kind = next((k for k in event if k not in ("sequence", "call_id", "time")), "?")
            kinds[kind] += 1
            if "time" not in event or rfc3339_epoch(event["time"]) <= started + 0.5:
                continue  # replayed history (registrations, warm-up calls), not live delivery
            delivery.append((arrival - rfc3339_epoch(event["time"])) * 1000)
            if kind == "offered":
                c = by_from.get(event["offered"].get("caller_number"))
                if c:
                    offered.append((arrival - c["invite"]) * 1000)
    return {"events": dict(kinds), "delivery_ms": percentiles(delivery), "invite_to_offered_ms": percentiles(offered)}


def rtp_from_capture(level_dir, meta, calls, ops, mapping, window):
    """RTP figures from the capture of the server's RTP range (pcap mode)."""
    flows, win, stray, _ = analyse_rtp(os.path.join(level_dir, "rtp.pcap"), meta, calls, ops, mapping, window)
    rows = per_call_loss(calls, ops, mapping, flows, meta["ports"]["uas_media"])
    rtp = {"stray_packets": stray, "window_packets": win, "calls_with_media": len(rows)}
    rtp["caller_sent"] = sum(r["caller_sent"] for r in rows)
    rtp["to_callers"] = sum(r["to_caller"] for r in rows)
    rtp["to_callers_distinct"] = sum(r["to_caller_distinct"] for r in rows)
    jit = [r["jitter_avg_ms"] for r in rows if r["jitter_avg_ms"] is not None]
    jmax = [r["jitter_max_ms"] for r in rows if r["jitter_max_ms"] is not None]
    rtp["caller_jitter_avg_ms_median"] = statistics.median(jit) if jit else None
    rtp["caller_jitter_avg_ms_p99"] = percentiles(jit)["p99"] if jit else None
    rtp["caller_jitter_max_ms"] = max(jmax) if jmax else None
    bridged = [r for r in rows if r["bridged"] and r.get("expected")]
    rtp["bridged_calls"] = len(bridged)
    if bridged:
        exp = sum(r["expected"] for r in bridged)
        fwd = sum(r["forwarded"] for r in bridged)
        echo = sum(r["echoed"] for r in bridged)
        ret = sum(r["returned"] for r in bridged)
        rtp.update({"expected_distinct": exp, "forwarded_distinct": fwd, "echoed_distinct": echo, "returned_distinct": ret})
        rtp["loss_forward_pct"] = 100.0 * (1 - fwd / exp) if exp else None
        rtp["loss_operator_echo_pct"] = 100.0 * (1 - echo / fwd) if fwd else None
        rtp["loss_back_pct"] = 100.0 * (1 - ret / echo) if echo else None
        if exp and echo:
            rtp["loss_server_pct"] = 100.0 * (1 - (fwd / exp) * (ret / echo))
        rtp["loss_end_to_end_pct"] = 100.0 * (1 - ret / exp) if exp else None
        worst = max(bridged, key=lambda r: 1 - r["returned"] / r["expected"] if r["expected"] else 0)
        rtp["worst_call_end_to_end_pct"] = 100.0 * (1 - worst["returned"] / worst["expected"]) if worst["expected"] else None
    return rtp, win, bridged


def main() -> int:
    level_dir = sys.argv[1]
    with open(os.path.join(level_dir, "meta.json"), encoding="ascii") as f:
        meta = json.load(f)
    res = {"meta": meta}
    calls, ops, other = analyse_sip(os.path.join(level_dir, "sip.pcap"), meta)
    mapping, how = map_ops_to_calls(calls, ops)
    res["sip"] = {"invites": len(calls), "answered": sum(1 for c in calls.values() if "t200" in c),
                  "failed_final": sum(1 for c in calls.values() if "final" in c),
                  "invite_retransmitted": sum(1 for c in calls.values() if c["invites"] > 1),
                  "ok_retransmitted": sum(1 for c in calls.values() if c.get("ok_retrans")),
                  "bye_by_server": sum(1 for c in calls.values() if c.get("bye_by") == "server"),
                  "bye_unanswered": sum(1 for c in calls.values() if "bye" in c and "bye_ok" not in c),
                  "operator_invites": len(ops), "operator_answered": sum(1 for o in ops.values() if "t200" in o),
                  "operator_failed": sum(1 for o in ops.values() if "final" in o),
                  "operator_cancelled": sum(1 for o in ops.values() if "cancel" in o),
                  "operator_mapping": how, "other": other}
    res["sip"]["invite_to_100_ms"] = percentiles([(c["t100"] - c["invite"]) * 1000 for c in calls.values() if "t100" in c])
    res["sip"]["invite_to_200_ms"] = percentiles([(c["t200"] - c["invite"]) * 1000 for c in calls.values() if "t200" in c])
    res["sip"]["operator_invite_after_answer_ms"] = percentiles(
        [(ops[o]["invite"] - calls[c]["t200"]) * 1000 for o, c in mapping.items() if "t200" in calls[c]])
    res["sip"]["operator_invite_to_200_ms"] = percentiles([(o["t200"] - o["invite"]) * 1000 for o in ops.values() if "t200" in o])
    durations = [c["bye"] - c["t200"] for c in calls.values() if "bye" in c and "t200" in c]
    res["sip"]["call_duration_s"] = percentiles(durations)
    # window
    answered = [c for c in calls.values() if "t200" in c]
    window = None
    if answered:
        if meta["mode"] == "ramp":
            acks = [c.get("ack", c["t200"]) for c in answered]
            byes = [c["bye"] for c in answered if "bye" in c]
            if byes:
                window = (max(acks) + 1.0, min(byes) - 1.0)
        else:
            invites = [c["invite"] for c in calls.values()]
            window = (min(invites) + meta["hold_s"] + 2.0, max(invites))
        if window and window[1] - window[0] < 3.0:
            res["window_warning"] = f"window only {window[1] - window[0]:.1f} s: hold longer"
            if window[1] <= window[0]:
                window = None
    res["window"] = window
    gen_mode = bool(meta.get("rtp_gen"))
    if gen_mode:
        rtp, win, bridged = analyse_gen(level_dir, meta), {}, []
    else:
        rtp, win, bridged = rtp_from_capture(level_dir, meta, calls, ops, mapping, window)
    res["rtp"] = rtp
    # cpu
    tick = os.sysconf("SC_CLK_TCK")
    cpu, extra = (None, {})
    if window:
        media = meta["ports"]["caller_media"]
        ignore = (meta["caller_media_unused"], meta["caller_media_unused"] + 2) if gen_mode else (media, media + 2)
        cpu, extra = analyse_cpu(os.path.join(level_dir, "samples.jsonl"), window, tick, ignore)
    res["cpu"] = cpu
    res["peak_rss_mb"] = extra.get("peak_rss_mb")
    drops = extra.get("udp_drops", {})
    res["udp_drops"] = {"server": drops.get("server", 0), "callers": drops.get("callers", 0) + drops.get("gen", 0),
                        "uas": drops.get("uas", 0), "other_processes": drops.get("other", 0)}
    if gen_mode and rtp.get("expected_forward") and rtp.get("echoed_distinct"):
        # server-caused = both passes through Intake; what the kernel dropped at the generator's own sockets is not
        echo_drops, caller_drops = generator_socket_drops(os.path.join(level_dir, "samples.jsonl"), meta["echo_port"])
        exp_f, fwd, echoed, ret = (rtp["expected_forward"], rtp["forwarded_distinct"], rtp["echoed_distinct"],
                                   rtp["returned_distinct"])
        rtp["dropped_at_generator_echo"], rtp["dropped_at_generator_callers"] = echo_drops, caller_drops
        rtp["loss_server_pct"] = 100.0 * (1 - (min(exp_f, fwd + echo_drops) / exp_f) * (min(echoed, ret + caller_drops) / echoed))
    elif gen_mode and rtp.get("expected_distinct"):
        exp, ret = rtp["expected_distinct"], rtp["returned_distinct"]
        not_server = drops.get("uas", 0) + drops.get("gen", 0)
        rtp["dropped_at_uas_and_generator"] = not_server
        rtp["loss_server_pct"] = 100.0 * max(0, exp - ret - not_server) / exp
    if cpu and "server" in cpu["procs"]:
        span = window[1] - window[0]
        if gen_mode:
            # no capture: every bridged call-second is 50 packets to the operator and 50 back
            answered_n = sum(1 for c in calls.values() if "t200" in c)
            share = min(1.0, rtp.get("bridged_calls", 0) / answered_n) if answered_n else 0.0
            back = (rtp["returned_distinct"] / rtp["expected_distinct"]) if rtp.get("expected_distinct") else 0.0
            call_s = call_seconds_in_window(calls, window) * share
            win = {"server_to_op": 50.0 * call_s, "op_to_server": 50.0 * call_s * back,
                   "caller_to_server": 50.0 * call_s, "server_to_caller": 50.0 * call_s * back}
            rtp["window_packets"] = {k: round(v) for k, v in win.items()}
            rtp["window_packets_derived"] = True
        # relayed: towards the operator, and back (every echoed packet is to be relayed to its caller)
        relayed = win.get("server_to_op", 0) + win.get("op_to_server", 0)
        handled = sum(win.get(k, 0) for k in ("caller_to_server", "server_to_op", "op_to_server", "server_to_caller"))
        # the packet counts cover the whole window, the CPU the samples inside it: scale
        scale = cpu["seconds"] / span if span > 0 else 1.0
        cpu_us = cpu["procs"]["server"]["cpu_s"] * 1e6
        res["cpu"]["relayed_packets"] = relayed
        res["cpu"]["handled_packets"] = handled
        res["cpu"]["us_per_relayed_packet"] = cpu_us / (relayed * scale) if relayed else None
        res["cpu"]["us_per_handled_packet"] = cpu_us / (handled * scale) if handled else None
    exclude = set()
    warm = os.path.join(level_dir, "warmup_recordings.txt")
    if os.path.exists(warm):
        with open(warm, encoding="utf-8") as fh:
            exclude = {line.strip() for line in fh if line.strip()}
    res["recordings"] = analyse_recordings(meta["data_dir"], durations, bool(bridged) or rtp.get("bridged_calls", 0) > 0,
                                          exclude)
    feed = os.path.join(level_dir, "feed.jsonl")
    if os.path.exists(feed):
        res["feed"] = analyse_feed(feed, calls)
    # SIPp's own view
    stat = os.path.join(level_dir, "callers_stat.csv")
    if os.path.exists(stat):
        with open(stat, encoding="latin-1") as f:
            rows_csv = [line.rstrip("\n").split(";") for line in f if line.strip()]
        if len(rows_csv) >= 2:
            hdr, last = rows_csv[0], rows_csv[-1]
            get = lambda n: int(last[hdr.index(n)]) if n in hdr else None  # noqa: E731
            res["sipp"] = {"created": get("TotalCallCreated"), "successful": get("SuccessfulCall(C)"),
                           "failed": get("FailedCall(C)"), "retransmissions": get("Retransmissions(C)"),
                           "unexpected_msg": get("FailedUnexpectedMessage(C)"),
                           "max_rtd_timeout": get("FailedMaxUDPRetrans(C)")}
    res["verdict"] = verdict(res, meta)
    with open(os.path.join(level_dir, "result.json"), "w", encoding="ascii") as f:
        json.dump(res, f, indent=1)
    print(summary_line(res))
    return 0


def verdict(res, meta):
    reasons = []
    sipp = res.get("sipp") or {}
    attempted = meta["calls"]
    failed = sipp.get("failed")
    if failed is None or failed > 0:
        reasons.append(f"failed calls: {failed}")
    if res["sip"]["answered"] < attempted:
        reasons.append(f"answered {res['sip']['answered']}/{attempted}")
    t100 = res["sip"]["invite_to_100_ms"]
    if not t100:
        reasons.append("no 100 Trying seen")
    elif t100["p99"] > 10.0:
        reasons.append(f"p99 INVITE->100 {t100['p99']:.1f} ms > 10 ms")
    loss = res["rtp"].get("loss_server_pct")
    if res["rtp"]["bridged_calls"]:
        if loss is None or loss > 0.1:
            reasons.append(f"server-caused RTP loss {loss if loss is None else round(loss, 3)} % > 0.1 %")
    elif meta.get("expect_operators"):
        reasons.append("no bridged call (operator legs missing)")
    rec = res["recordings"]
    if rec["files"] < res["sip"]["answered"]:
        reasons.append(f"recordings {rec['files']}/{res['sip']['answered']}")
    if rec.get("short") or rec.get("unreadable") or rec.get("left_silent") or rec.get("right_silent"):
        reasons.append(f"incomplete recordings: short {rec.get('short')}, unreadable {rec.get('unreadable')}, "
                       f"caller channel silent {rec.get('left_silent')}, operator channel silent {rec.get('right_silent')}")
    return {"pass": not reasons, "reasons": reasons}


def summary_line(res):
    m, s, r, c = res["meta"], res["sip"], res["rtp"], res["cpu"] or {}
    srv = (c.get("procs") or {}).get("server", {})
    t100 = s["invite_to_100_ms"] or {}
    t200 = s["invite_to_200_ms"] or {}
    fmt = lambda v, spec=".2f": "-" if v is None else format(v, spec)  # noqa: E731
    return (f"[{m['mode']} C={m['concurrency']} R={m['rate']} H={m['hold_s']:.0f}s] "
            f"answered {s['answered']}/{m['calls']} failed(sipp) {(res.get('sipp') or {}).get('failed')} | "
            f"100: p50 {fmt(t100.get('p50'))} p99 {fmt(t100.get('p99'))} ms, 200: p50 {fmt(t200.get('p50'))} "
            f"p99 {fmt(t200.get('p99'))} ms | bridged {r['bridged_calls']} loss srv {fmt(r.get('loss_server_pct'), '.3f')} % "
            f"e2e {fmt(r.get('loss_end_to_end_pct'), '.3f')} % jitter {fmt(r.get('caller_jitter_avg_ms_median'))} ms | "
            f"server CPU {fmt(srv.get('cpu_pct'), '.1f')} % RSS {fmt(srv.get('rss_mb_max'), '.0f')} MB "
            f"{fmt(c.get('us_per_relayed_packet'), '.1f')} us/relayed pkt | "
            f"SIPp callers {fmt((c.get('procs') or {}).get('callers', {}).get('cpu_pct'), '.1f')} % "
            f"uas {fmt((c.get('procs') or {}).get('uas', {}).get('cpu_pct'), '.1f')} % "
            f"gen {fmt((c.get('procs') or {}).get('gen', {}).get('cpu_pct'), '.1f')} % | recordings {res['recordings']['files']} "
            f"| {'PASS' if res['verdict']['pass'] else 'FAIL: ' + '; '.join(res['verdict']['reasons'])}")


if __name__ == "__main__":
    sys.exit(main())
