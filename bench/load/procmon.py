#!/usr/bin/env python3
"""Samples processes, the whole box and UDP socket drops into a JSON-lines file.

Usage: procmon.py OUT.jsonl INTERVAL_S MAX_SECONDS NAME=PIDFILE [NAME=PIDFILE ...]
Each line: {"t": epoch seconds, "procs": {name: {"cpu_ticks", "rss_kb", "threads"}},
"box": /proc/stat cpu fields, "udp_drops": {name: {"port:inode": drops}}} where name is the
watched process owning the socket, or "other". A pid file that does not
exist yet is read again at the next sample (processes started later). Stops after
MAX_SECONDS, on SIGTERM, or when the file STOP beside OUT appears.
"""
import json
import os
import signal
import sys
import time

_running = True


def _stop(_signum, _frame):
    global _running
    _running = False


def read_pid(path):
    try:
        with open(path, encoding="ascii") as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def proc_sample(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            stat = f.read()
        # comm may contain spaces: fields after the closing parenthesis are fixed
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        threads = int(fields[17])
        rss_kb = 0
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
                    break
        return {"cpu_ticks": ticks, "rss_kb": rss_kb, "threads": threads}
    except (OSError, ValueError, IndexError):
        return None


def box_sample():
    with open("/proc/stat", encoding="ascii") as f:
        first = f.readline().split()
    names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    return {n: int(v) for n, v in zip(names, first[1:9])}


def socket_inodes(pid):
    inodes = set()
    try:
        fd_dir = f"/proc/{pid}/fd"
        for fd in os.listdir(fd_dir):
            try:
                link = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        pass
    return inodes


def udp_drops(owners):
    drops = {}
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if len(parts) < 13:
                        continue
                    port = int(parts[1].rsplit(":", 1)[1], 16)
                    d = int(parts[12])
                    if d:
                        inode = parts[9]
                        owner = next((name for name, inodes in owners.items() if inode in inodes), "other")
                        # port and inode: a port is reused by later calls
                        drops.setdefault(owner, {})[f"{port}:{inode}"] = d
        except OSError:
            continue
    return drops


def main() -> int:
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, interval, max_seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    watched = dict(arg.split("=", 1) for arg in sys.argv[4:])
    stop_file = os.path.join(os.path.dirname(os.path.abspath(out_path)), "STOP")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    pids = {}
    deadline = time.monotonic() + max_seconds
    with open(out_path, "w", encoding="ascii") as out:
        while _running and time.monotonic() < deadline and not os.path.exists(stop_file):
            procs = {}
            for name, pid_file in watched.items():
                if name not in pids:
                    pid = read_pid(pid_file)
                    if pid is not None:
                        pids[name] = pid
                if name in pids:
                    s = proc_sample(pids[name])
                    if s is not None:
                        procs[name] = s
            owners = {name: socket_inodes(pid) for name, pid in pids.items()}
            line = {"t": time.time(), "procs": procs, "box": box_sample(), "udp_drops": udp_drops(owners)}
            out.write(json.dumps(line, separators=(",", ":")) + "\n")
            out.flush()
            time.sleep(interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
