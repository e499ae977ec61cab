#!/usr/bin/env bash
# `vcsim serve` refuses a port that is already taken, with a message naming it, and a
# presets folder that does not exist; it never starts half-way.
set -euo pipefail
: "${VCSIM:?}" "${VCSIM_SOURCE_DIR:?}" "${PYTHON:=/usr/bin/python3}"
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# A listener on a free port, held by another program.
"$PYTHON" -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$tmp/port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

rc=0
timeout 20 "$VCSIM" serve --port "$port" --presets "$VCSIM_SOURCE_DIR/scenarios/teaching" \
  >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: busy port: exit $rc, expected 1" >&2; cat "$tmp/err" >&2; exit 1; }
grep -q "cannot listen on 127.0.0.1:$port" "$tmp/err" ||
  { echo "FAIL: busy port message: $(cat "$tmp/err")" >&2; exit 1; }

# A second vcsim serve on the port of a running one is refused the same way.
"$VCSIM" serve --port 0 --presets "$VCSIM_SOURCE_DIR/scenarios/teaching" >"$tmp/first" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/first" ] && break; sleep 0.1; done
first_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/first")
rc=0
timeout 20 "$VCSIM" serve --port "$first_port" --presets "$VCSIM_SOURCE_DIR/scenarios/teaching" \
  >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: second server: exit $rc, expected 1" >&2; exit 1; }

rc=0
timeout 20 "$VCSIM" serve --port 0 --presets "$tmp/none" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "$tmp/none" "$tmp/err" ||
  { echo "FAIL: missing presets folder: exit $rc: $(cat "$tmp/err")" >&2; exit 1; }
echo ok
