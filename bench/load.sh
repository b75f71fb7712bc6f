#!/usr/bin/env bash
# Load test of Intake with real SIP peers on the loopback: concurrent recorded calls and
# call-setup rate. See docs/benchmarks.md, section "Load: concurrent recorded calls".
#
#   bench/load.sh --quick                 one small level (C=20, H=14 s): smoke check, < 2 min
#   bench/load.sh                         ramp C = 50,100,200,400,700,1000,1400 (stops at the
#                                         first level failing the quality criteria), then the
#                                         call-setup-rate test R = 50,100,150 cps for 30 s
#   options:
#     --levels LIST      ramp levels (comma separated concurrent calls)
#     --rate R           calls per second while ramping a level up (default 50)
#     --hold S           seconds each call is held (default: C/R + 36, so that every level
#                        has at least 30 s with all calls up); rounded up to whole pcap plays
#     --no-stop          run every level even after one failed
#     --setup-rates LIST call-setup-rate test rates (cps); "" skips the test
#     --setup-seconds S  duration of each setup-rate run (default 30)
#     --setup-hold S     call length in the setup-rate test (default 2 s: a 2 s cut of the pcap)
#     --operators N      operator accounts (default: largest level + 10 %)
#     --server-dir DIR   build output holding Intake.Server (apphost) or Intake.Server.dll
#                        (default: build src/Intake.Server Release into /tmp/art-bench)
#     --warmup N         calls (2 s each) sent to every fresh server before measuring, so
#                        that JIT compilation is not timed (default 10; 0 = none)
#     --out DIR          results directory (default /tmp/intake-load-<time>)
#     --docs             write the report into docs/benchmarks.md and docs/benchmarks-load.svg
#     --keep-recordings  keep the WAV files (they are deleted after each level is checked)
#     --feed             also time the gRPC call feed (tests/clients/watch_feed.py): delivery lag
#                        (arrival - event time) and INVITE on the wire -> "offered" event
#     --max-minutes M    stop starting new levels after M minutes (default 90)
#     --rtp-gen          all RTP from bench/Intake.LoadGen (one process, ordinary UDP sockets): the
#                        callers' audio instead of SIPp's play_pcap_audio, and the operators' echo
#                        instead of SIPp's -rtp_echo; SIPp keeps all signalling
#                        (bench/load/caller_rtpgen.xml); no RTP capture: loss and jitter come from
#                        the generator's own accounting (tagged packets); no root needed
#
# Needs root for the default pcap mode (SIPp's play_pcap_audio sends through a raw socket), sipp,
# dumpcap, python3; --rtp-gen also builds bench/Intake.LoadGen (dotnet).
# Only 127.0.0.1 is used. Everything started is stopped by PID on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOAD="$ROOT/bench/load"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

LEVELS="50,100,200,400,700,1000,1400"
RATE=50
HOLD=""
STOP_ON_FAIL=1
SETUP_RATES="50,100,150"
SETUP_SECONDS=30
SETUP_HOLD=2
OPERATORS=""
SERVER_DIR=""
WARMUP=10
OUT=""
DOCS=0
KEEP_REC=0
FEED=0
MAX_MINUTES=90
QUICK=0
RTPGEN=0
ORIG_ARGS="$*"

# Ports: SIP below 10000 (the test suites pick 10000-32000); server RTP range and caller
# media ports apart so that one capture filter (the server's RTP range) sees every call.
SERVER_SIP=5960 REG_SIP=5961 UAS_SIP=5962 CALLER_SIP=5963 GRPC_PORT=5951 METRICS_PORT=5952
UAS_MEDIA=5970 CALLER_MEDIA=30000 RTP_MIN=40000 RTP_MAX=59999
# --rtp-gen: the generator binds CALLER_MEDIA + 2 i for call i (ports.csv); SIPp's own -mp, unused, apart
CALLER_MP_UNUSED=5980 GEN_PORTS=4999
# --rtp-gen: the generator is also the operators' media (echo); the operator UAS's SDP points here
ECHO_PORT=5990
PCAP=/usr/share/sip-tester/g711a.pcap
PLAY_MS=7060     # g711a.pcap lasts 7.050 s
TAIL_MS=600      # after the last play: lets the echo of the last packets come back before BYE

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --levels) LEVELS=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --hold) HOLD=$2; shift ;;
    --no-stop) STOP_ON_FAIL=0 ;;
    --setup-rates) SETUP_RATES=$2; shift ;;
    --setup-seconds) SETUP_SECONDS=$2; shift ;;
    --setup-hold) SETUP_HOLD=$2; shift ;;
    --operators) OPERATORS=$2; shift ;;
    --server-dir) SERVER_DIR=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --out) OUT=$2; shift ;;
    --docs) DOCS=1 ;;
    --keep-recordings) KEEP_REC=1 ;;
    --feed) FEED=1 ;;
    --max-minutes) MAX_MINUTES=$2; shift ;;
    --rtp-gen) RTPGEN=1 ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    *) echo "load.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  LEVELS=20 RATE=10 HOLD=${HOLD:-14} SETUP_RATES=""
fi

die() { echo "load.sh: $*" >&2; exit 1; }
if [ "$RTPGEN" = 0 ]; then
  [ "$(id -u)" = 0 ] || die "run as root: SIPp's play_pcap_audio needs a raw socket (or use --rtp-gen)"
fi
for tool in sipp dumpcap timeout ss; do command -v $tool >/dev/null || die "$tool is missing"; done
[ -r "$PCAP" ] || die "$PCAP is missing (package sip-tester)"
for p in $SERVER_SIP $REG_SIP $UAS_SIP $CALLER_SIP $UAS_MEDIA $CALLER_MP_UNUSED $ECHO_PORT; do
  [ -z "$(ss -Hlun "sport = :$p")" ] || die "UDP port $p is busy"
done
for p in $GRPC_PORT $METRICS_PORT; do
  [ -z "$(ss -Hltn "sport = :$p")" ] || die "TCP port $p is busy"
done

START_EPOCH=$(date +%s)
OUT=${OUT:-/tmp/intake-load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LOG="$OUT/load.log"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG"; }

# --- process bookkeeping: every background process is recorded and stopped by PID ---
PIDS=()
start_bg() {  # start_bg PIDFILE LOGFILE CMD...: runs CMD in the background, records its PID
  local pidfile=$1 logfile=$2; shift 2
  "$@" </dev/null >"$logfile" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  PIDS+=("$pid")
}
forget_pid() {  # forget_pid PID: no longer ours to stop (it ended; the number may be reused)
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
stop_pid() {  # stop_pid PID [GRACE_S]: SIGTERM, wait up to GRACE_S, then SIGKILL
  local pid=$1 grace=${2:-5} i
  case " ${PIDS[*]} " in *" $pid "*) ;; *) return 0 ;; esac   # only processes this script started
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 3; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- server build ---
SERVER_GIVEN=1
if [ -z "$SERVER_DIR" ]; then
  SERVER_GIVEN=0
  log "building src/Intake.Server (Release, --artifacts-path /tmp/art-bench)"
  (cd "$ROOT" && timeout 600 dotnet build src/Intake.Server -c Release --artifacts-path /tmp/art-bench >"$OUT/build.log" 2>&1) \
    || die "build failed: see $OUT/build.log"
  SERVER_DIR=/tmp/art-bench/bin/Intake.Server/release
fi
# The apphost runs the same code as `dotnet Intake.Server.dll`.
if [ -x "$SERVER_DIR/Intake.Server" ]; then
  SERVER_CMD=("$SERVER_DIR/Intake.Server")
elif [ -f "$SERVER_DIR/Intake.Server.dll" ]; then
  SERVER_CMD=(dotnet "$SERVER_DIR/Intake.Server.dll")
else
  die "no Intake.Server in $SERVER_DIR"
fi
SERVER_DLL=$SERVER_DIR

GEN_CMD=()
if [ "$RTPGEN" = 1 ]; then
  log "building bench/Intake.LoadGen (Release, --artifacts-path /tmp/art-loadgen)"
  (cd "$ROOT" && timeout 600 dotnet build bench/Intake.LoadGen -c Release --artifacts-path /tmp/art-loadgen >"$OUT/build_loadgen.log" 2>&1) \
    || die "generator build failed: see $OUT/build_loadgen.log"
  GEN_CMD=(/tmp/art-loadgen/bin/Intake.LoadGen/release/Intake.LoadGen)
  [ -x "${GEN_CMD[0]}" ] || GEN_CMD=(dotnet /tmp/art-loadgen/bin/Intake.LoadGen/release/Intake.LoadGen.dll)
fi
# The operator UAS answers with the generator's echo port instead of echoing RTP itself (-rtp_echo):
# SIPp's single thread dropped 12 % of 1,000 calls' echo at its socket (see docs/benchmarks.md).
UAS_SCENARIO="$LOAD/operators_uas.xml" UAS_ECHO=(-rtp_echo)
if [ "$RTPGEN" = 1 ]; then
  UAS_SCENARIO="$OUT/operators_uas_rtpgen.xml" UAS_ECHO=()
  sed "s/m=audio \[media_port\]/m=audio $ECHO_PORT/" "$LOAD/operators_uas.xml" >"$UAS_SCENARIO"
  grep -q "m=audio $ECHO_PORT " "$UAS_SCENARIO" || die "could not point the operator SDP at the echo port"
fi

# ports.csv for caller_rtpgen.xml: one generator port per call (SIPp cycles through it; a port comes
# round again only after GEN_PORTS calls, long after its call ended)
gen_ports() {  # gen_ports FILE COUNT
  local i n=$(( $2 < GEN_PORTS ? $2 : GEN_PORTS ))
  { echo SEQUENTIAL; for ((i = 0; i < n; i++)); do echo "$((CALLER_MEDIA + 2 * i))"; done; } >"$1"
}

# run_gen PIDFILE LOGFILE ANNOUNCE JSON CALLS HOLD_MS MAX_S: the generator, in the background
run_gen() {
  start_bg "$1" "$2" "${GEN_CMD[@]}" --announce "$3" --out "$4" --calls "$5" --hold-ms "$6" \
    --tail-ms $((TAIL_MS - 100)) --max-seconds "$7" --echo-port $ECHO_PORT
}
wait_gen() {  # wait_gen PIDFILE SECONDS: lets it finish its last calls, then SIGTERM (it still writes its JSON)
  local pid i
  pid=$(cat "$1")
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  stop_pid "$pid" 10
}

max_level=$(echo "$LEVELS" | tr ',' '\n' | { grep -E '^[0-9]+$' || true; } | sort -n | tail -1)
max_rate=$(echo "$SETUP_RATES" | tr ',' '\n' | { grep -E '^[0-9]+$' || true; } | sort -n | tail -1)
# enough operators for every call of every level to be bridged at once
need=$(( ${max_level:-0} > ${max_rate:-0} * (SETUP_HOLD + 4) ? ${max_level:-0} : ${max_rate:-0} * (SETUP_HOLD + 4) ))
if [ -z "$OPERATORS" ]; then OPERATORS=$((need + need / 10 + 5)); fi
# generated per run (bench/load/intake-bench.json is the one --quick generates, for reading)
CONFIG="$OUT/intake-bench.json"
OPCSV="$OUT/operators.csv"
"$PY" "$LOAD/gen_config.py" "$OPERATORS" "$CONFIG" "$OPCSV" "$UAS_SIP"

# Trimmed pcap for the setup-rate test: its first SETUP_HOLD seconds.
SHORT_PCAP="$OUT/g711a-${SETUP_HOLD}s.pcap"
"$PY" - "$PCAP" "$SHORT_PCAP" "$SETUP_HOLD" <<'EOF'
import struct, sys
src, dst, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = open(src, "rb").read()
endian = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
out, pos, first = [data[:24]], 24, None
while pos + 16 <= len(data):
    sec, usec, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
    t = sec + usec / 1e6
    first = t if first is None else first
    if t - first > seconds:
        break
    out.append(data[pos:pos + 16 + incl])
    pos += 16 + incl
open(dst, "wb").write(b"".join(out))
EOF

short_ms=$(awk "BEGIN{printf \"%d\", $SETUP_HOLD * 1000 + 20}")

caller_scenario() {  # caller_scenario OUTFILE PCAP PLAYS PLAY_MS
  local out=$1 pcap=$2 plays=$3 play_ms=$4 media="" i
  for ((i = 0; i < plays; i++)); do
    media+="  <nop><action><exec play_pcap_audio=\"$pcap\"/></action></nop>\n  <pause milliseconds=\"$play_ms\"/>\n"
  done
  media+="  <pause milliseconds=\"$TAIL_MS\"/>\n"
  awk -v media="$media" '/@MEDIA@/ { printf "%s", media; next } { print }' "$LOAD/caller.xml" >"$out"
}

sipp_common=(-i 127.0.0.1 -mi 127.0.0.1 -nostdin)

# run_level MODE CONCURRENCY RATE CALLS HOLD_S PCAP PLAY_MS -> writes $OUT/<name>/result.json
run_level() {
  local mode=$1 conc=$2 rate=$3 calls=$4 hold_s=$5 pcap=$6 play_ms=$7
  local name="$mode-c$conc-r$rate" plays dir data
  [ "$mode" = rate ] && name="rate-r$rate"
  dir="$OUT/$name"; data="$dir/data"
  mkdir -p "$dir"
  plays=$(( (hold_s * 1000 + play_ms - 1) / play_ms )); [ "$plays" -ge 1 ] || plays=1
  local held_ms=$((plays * play_ms + TAIL_MS))
  local caller_media_args=(-mp $CALLER_MEDIA)
  if [ "$RTPGEN" = 1 ]; then
    # the generator sends for the hold time itself; SIPp holds the call for it plus the tail
    plays=0 held_ms=$((hold_s * 1000 + TAIL_MS))
    cp "$LOAD/caller_rtpgen.xml" "$dir/caller.xml"
    gen_ports "$dir/ports.csv" "$calls"
    caller_media_args=(-mp $CALLER_MP_UNUSED -inf "$dir/ports.csv" -d $held_ms -trace_logs -log_file "$dir/announce.log")
  else
    caller_scenario "$dir/caller.xml" "$pcap" "$plays" "$play_ms"
  fi
  cp "$CONFIG" "$dir/intake-bench.json"
  ln -sfn "$ROOT/sip-config/prompts" "$dir/prompts"   # prompts resolve beside the configuration file
  if [ "$mode" = rate ]; then
    log "level $name: $calls calls at $rate cps, each held $((held_ms / 1000)) s"
  else
    log "level $name: $calls calls, at most $conc at once, $rate cps, held $((held_ms / 1000)) s ($plays plays)"
  fi

  start_bg "$dir/server.pid" "$dir/server.log" \
    "${SERVER_CMD[@]}" --config "$dir/intake-bench.json" \
      --Sip:BindAddress=127.0.0.1 --Sip:Port=$SERVER_SIP --Intake:DataDirectory="$data" \
      --Grpc:BindAddress=127.0.0.1 --Grpc:Port=$GRPC_PORT \
      --Metrics:BindAddress=127.0.0.1 --Metrics:Port=$METRICS_PORT \
      --Rtp:PortMin=$RTP_MIN --Rtp:PortMax=$RTP_MAX
  local server_pid i ready=0
  server_pid=$(cat "$dir/server.pid")
  for ((i = 0; i < 300; i++)); do
    kill -0 "$server_pid" 2>/dev/null || { log "server exited at start: $(tail -3 "$dir/server.log")"; stop_pid "$server_pid"; return 2; }
    if [ -n "$(ss -Hlun "sport = :$SERVER_SIP")" ] && [ -n "$(ss -Hltn "sport = :$GRPC_PORT")" ]; then ready=1; break; fi
    sleep 0.1
  done
  [ "$ready" = 1 ] || { log "server not listening after 30 s"; stop_pid "$server_pid" 10; return 2; }

  # One SIPp process registers every operator (Contact = itself), answers Intake's INVITEs
  # through the out-of-call scenario and echoes their RTP; see bench/load/operators.xml.
  local level_max=$(( held_ms / 1000 + calls / rate + 120 ))
  rm -f "$dir/registered.log"
  start_bg "$dir/uas.pid" "$dir/uas.log" \
    sipp -sf "$LOAD/operators.xml" -oocsf "$UAS_SCENARIO" 127.0.0.1:$SERVER_SIP "${sipp_common[@]}" \
      -p $UAS_SIP -mp $UAS_MEDIA "${UAS_ECHO[@]}" -aa -inf "$OPCSV" -m "$OPERATORS" -r 200 -l $((OPERATORS + 5000)) \
      -d $(( (level_max + 60) * 1000 )) -trace_logs -log_file "$dir/registered.log" \
      -trace_stat -stf "$dir/uas_stat.csv" -fd 5 -trace_err -error_file "$dir/uas_errors.log"
  local registered=0
  for ((i = 0; i < 600; i++)); do
    registered=$(grep -c '^.*registered op' "$dir/registered.log" 2>/dev/null || true)
    [ "${registered:-0}" -ge "$OPERATORS" ] && break
    kill -0 "$(cat "$dir/uas.pid")" 2>/dev/null || break
    sleep 0.1
  done
  local reg_rc=0
  [ "${registered:-0}" -ge "$OPERATORS" ] || reg_rc=1
  log "  registered ${registered:-0}/$OPERATORS operators"

  if [ "$WARMUP" -gt 0 ]; then
    if [ "$RTPGEN" = 1 ]; then
      gen_ports "$dir/warmup_ports.csv" "$WARMUP"
      run_gen "$dir/warmup_gen.pid" "$dir/warmup_gen.log" "$dir/warmup_announce.log" "$dir/warmup_gen.json" \
        "$WARMUP" $((SETUP_HOLD * 1000)) 60
      (cd "$dir" && timeout 60 sipp -sf "$LOAD/caller_rtpgen.xml" 127.0.0.1:$SERVER_SIP "${sipp_common[@]}" -p $CALLER_SIP \
          -mp $CALLER_MP_UNUSED -inf "$dir/warmup_ports.csv" -d $((SETUP_HOLD * 1000 + TAIL_MS)) \
          -trace_logs -log_file "$dir/warmup_announce.log" \
          -s 19 -r 10 -l "$WARMUP" -m "$WARMUP" >"$dir/warmup.log" 2>&1) || log "  warm-up: sipp exit $?"
      wait_gen "$dir/warmup_gen.pid" 10
    else
      caller_scenario "$dir/warmup.xml" "$SHORT_PCAP" 1 "$short_ms"
      (cd "$dir" && timeout 60 sipp -sf "$dir/warmup.xml" 127.0.0.1:$SERVER_SIP "${sipp_common[@]}" -p $CALLER_SIP \
          -mp $CALLER_MEDIA -s 19 -r 10 -l "$WARMUP" -m "$WARMUP" >"$dir/warmup.log" 2>&1) || log "  warm-up: sipp exit $?"
    fi
    sleep 2
    # their recordings are not part of the level
    find "$data" -name '*.wav' -type f >"$dir/warmup_recordings.txt" 2>/dev/null || true
  fi

  local sip_snap=0 rtp_snap=80
  start_bg "$dir/dumpcap_sip.pid" "$dir/dumpcap_sip.log" \
    dumpcap -i lo -q -P -s $sip_snap -B 64 -f "udp port $SERVER_SIP" -w "$dir/sip.pcap"
  if [ "$RTPGEN" = 0 ]; then
    start_bg "$dir/dumpcap_rtp.pid" "$dir/dumpcap_rtp.log" \
      dumpcap -i lo -q -P -s $rtp_snap -B 256 -f "udp and portrange $RTP_MIN-$RTP_MAX" -w "$dir/rtp.pcap"
  else
    : >"$dir/dumpcap_rtp.pid"   # no RTP capture: the generator accounts for the media
  fi
  for ((i = 0; i < 50; i++)); do
    [ -s "$dir/sip.pcap" ] && { [ "$RTPGEN" = 1 ] || [ -s "$dir/rtp.pcap" ]; } && break
    sleep 0.1
  done
  rm -f "$dir/STOP"
  start_bg "$dir/procmon.pid" "$dir/procmon.log" \
    "$PY" "$LOAD/procmon.py" "$dir/samples.jsonl" 0.5 $((level_max + 60)) \
      server="$dir/server.pid" callers="$dir/callers.pid" uas="$dir/uas.pid" \
      dumpcap_rtp="$dir/dumpcap_rtp.pid" dumpcap_sip="$dir/dumpcap_sip.pid" gen="$dir/gen.pid"
  if [ "$FEED" = 1 ] && [ -f "$ROOT/tests/clients/watch_feed.py" ]; then
    # each event line gets its arrival time (feed_tap.py); analyze.py derives the lags
    start_bg "$dir/feed.pid" "$dir/feed_tap.log" \
      "$PY" "$LOAD/feed_tap.py" "$dir/feed.jsonl" "$ROOT/tests/clients/watch_feed.py" \
        --target 127.0.0.1:$GRPC_PORT --timeout $level_max
    sleep 1
  fi

  local limit=$conc
  [ "$mode" = rate ] && limit=$((rate * (held_ms / 1000 + 10)))
  local callers_rc=0
  if [ "$RTPGEN" = 1 ]; then
    rm -f "$dir/announce.log"
    run_gen "$dir/gen.pid" "$dir/gen.log" "$dir/announce.log" "$dir/gen.json" "$calls" $((held_ms - TAIL_MS)) $((level_max + 30))
  fi
  # exec: the background PID is SIPp's own (procmon samples it); -timeout bounds it.
  # SIPp writes its *_rtt.csv into the working directory.
  (cd "$dir" && exec sipp -sf "$dir/caller.xml" 127.0.0.1:$SERVER_SIP "${sipp_common[@]}" \
      -p $CALLER_SIP "${caller_media_args[@]}" -s 19 -r "$rate" -l "$limit" -m "$calls" -timeout "${level_max}s" \
      -trace_stat -stf "$dir/callers_stat.csv" -fd 1 -trace_rtt -rtt_freq 1 \
      -trace_err -error_file "$dir/callers_errors.log" -trace_screen -screen_file "$dir/callers_screen.log" \
      >"$dir/callers.log" 2>&1) &
  local callers_pid=$!
  PIDS+=("$callers_pid")
  echo "$callers_pid" >"$dir/callers.pid"
  wait "$callers_pid" || callers_rc=$?
  forget_pid "$callers_pid"
  log "  callers done: sipp exit $callers_rc"
  sleep 3   # last recordings are closed after the BYE
  if [ "$RTPGEN" = 1 ]; then wait_gen "$dir/gen.pid" 20; fi

  if [ "$FEED" = 1 ]; then stop_pid "$(cat "$dir/feed.pid" 2>/dev/null || echo 0)" 2; fi
  touch "$dir/STOP"
  stop_pid "$(cat "$dir/procmon.pid")" 3
  curl -s -m 5 "http://127.0.0.1:$METRICS_PORT/metrics" >"$dir/metrics.txt" 2>/dev/null || true
  stop_pid "$(cat "$dir/dumpcap_sip.pid")" 5
  [ "$RTPGEN" = 1 ] || stop_pid "$(cat "$dir/dumpcap_rtp.pid")" 5

  (cd "$dir" && timeout 120 sipp -sf "$LOAD/unregister.xml" 127.0.0.1:$SERVER_SIP "${sipp_common[@]}" -p $REG_SIP \
      -inf "$OPCSV" -m "$OPERATORS" -r 200 -l 200 -trace_stat -stf "$dir/unregister_stat.csv" \
      >"$dir/unregister.log" 2>&1) || log "  un-register: sipp exit $?"
  stop_pid "$(cat "$dir/uas.pid")" 3
  stop_pid "$server_pid" 20

  cat >"$dir/meta.json" <<EOF
{"mode": "$mode", "concurrency": $conc, "rate": $rate, "calls": $calls, "hold_s": $(awk "BEGIN{print $held_ms/1000}"),
 "plays": $plays, "pcap": "$pcap", "operators": $OPERATORS, "data_dir": "$data",
 "callers_exit": $callers_rc, "register_exit": $reg_rc, "expect_operators": true,
 "rtp_gen": $([ "$RTPGEN" = 1 ] && echo true || echo false), "caller_media_unused": $CALLER_MP_UNUSED, "echo_port": $ECHO_PORT,
 "ports": {"server_sip": $SERVER_SIP, "caller_sip": $CALLER_SIP, "uas_sip": $UAS_SIP, "uas_media": $UAS_MEDIA,
           "server_rtp_min": $RTP_MIN, "server_rtp_max": $RTP_MAX, "caller_media": $CALLER_MEDIA}}
EOF
  local summary
  summary=$("$PY" "$LOAD/analyze.py" "$dir" 2>"$dir/analyze.err") || { log "  analysis failed: $(tail -3 "$dir/analyze.err")"; return 2; }
  log "  $summary"
  [ "$KEEP_REC" = 1 ] || find "$data" -name '*.wav' -type f -delete 2>/dev/null || true
  case "$summary" in *"| PASS") return 0 ;; *) return 1 ;; esac
}

commit=$(cd "$ROOT" && git rev-parse --short HEAD)
dirty=false
if [ "$SERVER_GIVEN" = 0 ] && [ -n "$(cd "$ROOT" && git status --porcelain -- src)" ]; then dirty=true; fi
"$PY" - "$OUT/run.json" "$commit" "$dirty" "bench/load.sh $ORIG_ARGS" "$SERVER_DLL" <<'EOF'
import json, os, platform, subprocess, sys, time
model = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
              if l.startswith("Model name")), platform.processor())
osname = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), "Linux")
json.dump({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "commit": sys.argv[2], "dirty": sys.argv[3] == "true",
           "command": sys.argv[4], "server_dll": sys.argv[5], "cpu_model": model, "cpus": os.cpu_count(), "os": osname,
           "loadavg": " ".join(open("/proc/loadavg").read().split()[0:3])}, open(sys.argv[1], "w"))
EOF
log "results in $OUT; server $SERVER_DLL; $OPERATORS operators; commit $commit"
over_time() { [ $(( $(date +%s) - START_EPOCH )) -ge $((MAX_MINUTES * 60)) ]; }

for conc in ${LEVELS//,/ }; do
  if over_time; then log "time budget reached: not starting C=$conc"; break; fi
  hold=${HOLD:-$((conc / RATE + 36))}
  rc=0
  run_level ramp "$conc" "$RATE" "$conc" "$hold" "$PCAP" "$PLAY_MS" || rc=$?
  if [ "$rc" != 0 ] && [ "$STOP_ON_FAIL" = 1 ]; then log "C=$conc did not pass: ramp stops"; break; fi
done

for rate in ${SETUP_RATES//,/ }; do
  if over_time; then log "time budget reached: not starting R=$rate"; break; fi
  run_level rate "$rate" "$rate" $((rate * SETUP_SECONDS)) "$SETUP_HOLD" "$SHORT_PCAP" "$short_ms" || true
done

report_args=("$OUT")
if [ "$DOCS" = 1 ]; then report_args+=(--docs "$ROOT/docs/benchmarks.md" --svg "$ROOT/docs/benchmarks-load.svg"); fi
"$PY" "$LOAD/report.py" "${report_args[@]}" | tee -a "$LOG"
log "done: $OUT/report.md"
