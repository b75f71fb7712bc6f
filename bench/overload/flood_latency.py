#!/usr/bin/env python3
"""INVITE -> 100 Trying latency of emergency calls from a trunk while another address floods REGISTERs (or INVITEs).

Starts Intake (trunk "pstn" = 127.0.0.1), measures probe INVITEs from 127.0.0.1 with the network idle, then again
while SIPp floods REGISTERs (--method INVITE: INVITEs) from 127.0.0.2 at --rate per second. Each probe is a full call: INVITE, 100, 200, ACK,
BYE. Prints p50/p99/max of INVITE->100 and INVITE->200 for both phases, and the server's rate-limit counters.
Everything started is stopped by PID. Loopback only. See docs/operations.md, "Rate limits and overload".

    python3 bench/overload/flood_latency.py --server-dll /tmp/art/bin/Intake.Server/release/Intake.Server.dll
"""
import argparse, os, re, socket, subprocess, sys, tempfile, threading, time, uuid, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, socket.socket() as t:
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t.bind(("127.0.0.1", port))
        return port


def start_server(dll, sip_port, metrics_port, extra):
    data = tempfile.mkdtemp(prefix="intake-flood-")
    rtp = 30000 + (os.getpid() % 200) * 100
    args = ["dotnet", "exec", dll, "--Sip:BindAddress=127.0.0.1", f"--Sip:Port={sip_port}",
            f"--Intake:DataDirectory={data}", f"--Rtp:PortMin={rtp}", f"--Rtp:PortMax={rtp + 99}",
            "--Grpc:BindAddress=127.0.0.1", f"--Grpc:Port={free_port()}", "--Metrics:BindAddress=127.0.0.1",
            f"--Metrics:Port={metrics_port}", "--Trunks:0:Name=pstn", "--Trunks:0:Sources:0=127.0.0.1",
            "--Logging:LogLevel:Default=Warning", "--Intake:DrainSeconds=2"] + extra
    env = dict(os.environ, DOTNET_gcServer="0", Logging__Console__FormatterName="simple")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=os.path.dirname(dll))
    lines = []
    listening = threading.Event()

    def pump():
        for line in proc.stdout:
            lines.append(line)
            if "listening" in line.lower():
                listening.set()
    threading.Thread(target=pump, daemon=True).start()
    return proc, lines, listening


def invite(number, call_id, port, local_port, branch):
    body = ("v=0\r\no=probe 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    return (f"INVITE sip:{number}@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};rport;branch={branch}\r\nMax-Forwards: 70\r\n"
            f"From: <sip:caller@127.0.0.1:{local_port}>;tag=probe\r\nTo: <sip:{number}@127.0.0.1:{port}>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:{local_port}>\r\n"
            f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode()


def in_dialog(method, number, call_id, port, local_port, to_tag, cseq):
    return (f"{method} sip:{number}@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};rport;branch=z9hG4bK{uuid.uuid4().hex[:16]}\r\nMax-Forwards: 70\r\n"
            f"From: <sip:caller@127.0.0.1:{local_port}>;tag=probe\r\nTo: <sip:{number}@127.0.0.1:{port}>;tag={to_tag}\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n").encode()


def probe(port, number, timeout=5.0):
    """One call; returns (ms to first 1xx/final, ms to final, final status) or None values on timeout."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    local = s.getsockname()[1]
    call_id = "probe-" + uuid.uuid4().hex
    t0 = time.perf_counter()
    s.sendto(invite(number, call_id, port, local, "z9hG4bK" + uuid.uuid4().hex[:16]), ("127.0.0.1", port))
    first = final = None
    status = 0
    to_tag = None
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        s.settimeout(max(0.001, deadline - time.perf_counter()))
        try:
            data = s.recv(65535).decode(errors="replace")
        except socket.timeout:
            break
        if not data.startswith("SIP/2.0 "):
            continue
        now = (time.perf_counter() - t0) * 1000
        first = first if first is not None else now
        code = int(data[8:11])
        if code >= 200:
            final, status = now, code
            m = re.search(r"^To:.*;tag=([^;\s]+)", data, re.M | re.I)
            to_tag = m.group(1) if m else None
            break
    if status == 200 and to_tag:
        s.sendto(in_dialog("ACK", number, call_id, port, local, to_tag, 1), ("127.0.0.1", port))
        s.sendto(in_dialog("BYE", number, call_id, port, local, to_tag, 2), ("127.0.0.1", port))
        s.settimeout(2.0)
        try:
            while not s.recv(65535).decode(errors="replace").startswith("SIP/2.0 200"):
                pass
        except socket.timeout:
            pass
    s.close()
    return first, final, status


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def summary(name, results):
    firsts = [r[0] for r in results if r[0] is not None]
    finals = [r[1] for r in results if r[1] is not None]
    ok = sum(1 for r in results if r[2] == 200)
    print(f"{name}: {len(results)} INVITEs, {ok} answered 200; INVITE->100 p50 {pct(firsts, 50):.2f} ms, "
          f"p99 {pct(firsts, 99):.2f} ms, max {max(firsts, default=float('nan')):.2f} ms; "
          f"INVITE->200 p50 {pct(finals, 50):.2f} ms, p99 {pct(finals, 99):.2f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server-dll", required=True)
    ap.add_argument("--rate", type=int, default=2000, help="flood requests per second from 127.0.0.2")
    ap.add_argument("--method", default="REGISTER", choices=["REGISTER", "INVITE"],
                    help="what floods: REGISTERs, or INVITEs (call traffic from outside the trunks)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of flood")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between probe INVITEs")
    ap.add_argument("--idle-probes", type=int, default=20)
    ap.add_argument("--number", default="19")
    a = ap.parse_args()

    sip_port, metrics_port = free_port(), free_port()
    server, lines, listening = start_server(os.path.abspath(a.server_dll), sip_port, metrics_port, [])
    sipp = None
    try:
        if not listening.wait(60):
            sys.exit("server did not start:\n" + "".join(lines))
        for _ in range(5):  # warm-up: JIT of the call path
            probe(sip_port, a.number)
        idle = []
        for _ in range(a.idle_probes):
            idle.append(probe(sip_port, a.number))
            time.sleep(0.1)
        summary("idle", idle)

        total = int(a.rate * a.duration)
        sipp = subprocess.Popen(["sipp", f"127.0.0.1:{sip_port}", "-sf", os.path.join(HERE, a.method.lower() + "_flood.xml"),
                                 "-i", "127.0.0.2", "-p", str(free_port()), "-t", "u1", "-r", str(a.rate), "-rp", "1000",
                                 "-m", str(total), "-nd", "-nostdin", "-trace_err",
                                 "-error_file", os.devnull],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # let the flood reach its rate
        flooded = []
        end = time.monotonic() + a.duration - 1.0
        while time.monotonic() < end and sipp.poll() is None:
            started = time.monotonic()
            flooded.append(probe(sip_port, a.number))
            time.sleep(max(0.0, a.interval - (time.monotonic() - started)))
        try:
            sipp.wait(timeout=a.duration + 30)
        except subprocess.TimeoutExpired:
            pass
        summary(f"{a.method} flood {a.rate}/s from 127.0.0.2", flooded)
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).read().decode()
        for line in metrics.splitlines():
            if line.startswith(("intake_security_requests_rejected_total", "intake_sip_inbound_shed_total",
                                "intake_sip_responses_sent_total")):
                print("  " + line)
        print(f"  flood sent: {total} {a.method}s (SIPp exit {sipp.returncode})")
    finally:
        if sipp is not None and sipp.poll() is None:
            sipp.kill()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
