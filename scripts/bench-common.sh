#!/usr/bin/env bash
# Shell helpers the benchmark scripts share; sourced after the script has made its scratch folder "$work".

# A TCP port nobody listens on now, and never one this script was given before: the system can hand a just-released
# port out again, and a silo given one port for two listeners does not start. ($(free_port) runs in a subshell, so
# the ports given are kept in a file.)
free_port() {
  local port
  while :; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    grep -qx "$port" "$work/given-ports" 2>/dev/null || { echo "$port" >>"$work/given-ports"; echo "$port"; return; }
  done
}

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# wait_port PORT: until something accepts connections on 127.0.0.1:PORT (30 s at most).
wait_port() { for _ in $(seq 1 300); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# wait_healthy HEALTH_PORT PID LOG: until the silo answers /healthz; prints its log and exits when it dies or takes 2 min.
wait_healthy() {
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.5
  done
  echo "the silo did not become healthy"; cat "$3"; exit 1
}
