#!/usr/bin/env bash
# Runs Intake's whole test suite. On a fresh machine it first installs the real SIP peers
# and tools the integration tests drive (Debian packages), then runs `dotnet test`.
# Extra arguments are passed to `dotnet test` (e.g. --filter "FullyQualifiedName~Sip").
set -euo pipefail
cd "$(dirname "$0")"

# command -> Debian package that provides it
declare -A peers=(
  [sipp]=sip-tester
  [espeak-ng]=espeak-ng
  [sox]=sox
  [baresip]=baresip-core
  [svmap]=sipvicious
  [dumpcap]=tshark
  [/usr/lib/postgresql/15/bin/initdb]=postgresql
)
missing=()
for cmd in "${!peers[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("${peers[$cmd]}")
done
# The non-.NET gRPC client of the feed runs on Debian's Python packages.
/usr/bin/python3 -c "import grpc, google.protobuf" >/dev/null 2>&1 || missing+=(python3-grpcio python3-protobuf)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" libsox-fmt-all >/dev/null
fi

rm -rf TestResults
dotnet test Intake.sln -c Release --logger "trx" --results-directory TestResults "$@"
