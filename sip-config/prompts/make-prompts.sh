#!/usr/bin/env bash
# Regenerates the default Intake prompts: 8 kHz, 16-bit, mono PCM WAV.
# Requires espeak-ng and sox. Usage: sip-config/prompts/make-prompts.sh [output-dir]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")" && pwd)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

speak() { # speak <voice> <name> <text>
  local voice="$1" name="$2" text="$3"
  espeak-ng -v "$voice" -s 150 -w "$tmp/$name.raw.wav" "$text"
  # Telephone band, normalised with headroom, short lead-in and tail of silence.
  sox "$tmp/$name.raw.wav" -r 8000 -b 16 -c 1 -e signed-integer "$out/$name.wav" \
    highpass 300 lowpass 3400 norm -3 pad 0.2 0.3
}

speak en greeting-en "Police emergency. Your call is recorded. Please stay on the line."
speak fr greeting-fr "Police secours. Votre appel est enregistré. Veuillez rester en ligne."
speak ar greeting-ar "الشرطة، حالة طوارئ. مكالمتك مسجلة. يرجى البقاء على الخط."

speak en hold-en "All our operators are busy. Please stay on the line, your call will be answered."
speak fr hold-fr "Tous nos opérateurs sont occupés. Veuillez rester en ligne, votre appel va être pris."
speak ar hold-ar "جميع موظفينا مشغولون. يرجى البقاء على الخط، سيتم الرد على مكالمتك."

speak en ready-en "Ready."
speak en not-ready-en "Not ready."

# Feature-code confirmations as tones: one rising beep pair = ready, one low long beep = not ready.
sox -n -r 8000 -b 16 -c 1 -e signed-integer "$out/beep-ready.wav" \
  synth 0.12 sine 880 : synth 0.06 sine 0 : synth 0.12 sine 1320 gain -6
sox -n -r 8000 -b 16 -c 1 -e signed-integer "$out/beep-not-ready.wav" \
  synth 0.4 sine 440 gain -6
