#!/usr/bin/env python3
"""Runs tests/clients/watch_feed.py and prefixes each event line with its arrival time.

Usage: feed_tap.py OUT WATCH_FEED_PY ARGS...
(OUT gets "# start EPOCH", then "epoch_seconds JSON" lines)
"""
import signal
import subprocess
import sys
import time


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main() -> int:
    out_path, script, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    signal.signal(signal.SIGTERM, _interrupt)  # so that the child is stopped too
    with open(out_path, "w", encoding="utf-8") as out, \
            subprocess.Popen([sys.executable, "-u", script, *args], stdout=subprocess.PIPE, text=True) as proc:
        # events older than this were replayed by Watch, not delivered live
        out.write(f"# start {time.time():.6f}\n")
        try:
            for line in proc.stdout:
                out.write(f"{time.time():.6f} {line}")
                out.flush()
        except KeyboardInterrupt:
            pass
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
