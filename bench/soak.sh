#!/usr/bin/env bash
# The soak (issue #16, item 6): many services on the lab under continuous rolling updates for a
# bounded time. Targets: no heap or RSS growth trend in any Shoal part (the least-squares slope over
# the update phase, after a warm-up), the scheduler's watch lag under 1 s throughout, and every
# service converged to its last spec at the end. A benchmark command, not run in CI.
#
#   sudo bench/soak.sh                 200 services x 5 tasks, 10 minutes of updates
#   sudo SOAK_SERVICES=10 SOAK_TASKS=2 SOAK_MINUTES=1 bench/soak.sh      a short try
#
# It brings up a fresh lab cluster (deploy/dev.sh up: 3 hosts, each a network namespace with its
# own dockerd) and takes it down at the end, or on any exit (SOAK_KEEP=1 leaves it up). Then:
#   1. creates SOAK_SERVICES services of SOAK_TASKS replicas of the lab's demo image running
#      `sleep 86400` (bench/SoakDriver.java, control's API in one warm JVM), at most
#      SOAK_CREATE_WINDOW (100) tasks not yet RUNNING at a time, and waits until all run
#      (SOAK_CREATE_TIMEOUT, 1200 s). It creates no more once MemAvailable falls under
#      SOAK_MIN_FREE_MIB (1536) and says so: the soak then runs at the size that fits.
#   2. for SOAK_MINUTES (10, at most 120) keeps SOAK_IN_FLIGHT (4) rolling updates going,
#      round-robin over the services (a new SOAK_ROUND=k in the env replaces every task), counting
#      those issued and completed;
#   3. waits until every service runs SOAK_TASKS tasks of its last spec and its update completed
#      (SOAK_CONVERGE_TIMEOUT, 600 s), and reports how long that took after the updates stopped.
# All along, every SOAK_INTERVAL (10) s, bench/soak.py samples each part's RSS (/proc) and heap
# (its /metrics: jvm_memory_*), etcd's and the engines' RSS, the scheduler's watch-lag histogram,
# the machine's MemAvailable, load and containerd shims; every SOAK_GC_EVERY (6) samples it first
# asks each part for a full collection (jcmd GC.run), so that heap is the live data. The report
# judges growth over the update phase after SOAK_WARMUP seconds (default a fifth of it, at most
# 120): a trend is a slope above SOAK_MAX_SLOPE (1) MiB/min of RSS or of live heap (used heap is
# printed too: a sawtooth between collections, and Serial GC collects its old generation only when
# it is full); a window under 5 minutes (SOAK_MINUTES under 7) is printed, not judged. Exits
# non-zero with a "soak: target missed: ..." line per target missed.
# Everything (events, samples, report, the parts' logs) is kept in SOAK_OUT (/tmp/shoal-soak-TIME).
#
# Before it starts it waits (every 30 s, at most SOAK_QUIET_WAIT, 900 s) for a quiet machine: a
# 1-minute load under 2 and no mvn, surefire or mesh-abuse run; after that it runs anyway and says so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=$(mktemp -d /tmp/shoal-soak-work.XXXXXX)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

SERVICES=${SOAK_SERVICES:-200}
TASKS=${SOAK_TASKS:-5}
MINUTES=${SOAK_MINUTES:-10}
INTERVAL=${SOAK_INTERVAL:-10}
GC_EVERY=${SOAK_GC_EVERY:-6}
MAX_SLOPE=${SOAK_MAX_SLOPE:-1}
LAG_TARGET=${SOAK_LAG_TARGET:-1}
QUIET_WAIT=${SOAK_QUIET_WAIT:-900}
OUT=${SOAK_OUT:-/tmp/shoal-soak-$(date -u +%Y%m%dT%H%M%SZ)}
DEV="$ROOT/.dev"
DRIVER_PID=""

check_settings() {
  [[ $SERVICES =~ ^[1-9][0-9]{0,3}$ ]] || die "SOAK_SERVICES '$SERVICES': 1 to 9999"
  [[ $TASKS =~ ^[1-9][0-9]?$ ]] || die "SOAK_TASKS '$TASKS': 1 to 99"
  awk -v m="$MINUTES" 'BEGIN { exit !(m > 0 && m <= 120) }' || die "SOAK_MINUTES '$MINUTES': above 0, at most 120"
  [ "$(id -u)" = 0 ] || die "the soak brings up the lab (network namespaces, a dockerd per host): run it as root"
}

# warmup_seconds: SOAK_WARMUP, else a fifth of the update phase, at most 120 s
warmup_seconds() {
  if [ -n "${SOAK_WARMUP:-}" ]; then echo "$SOAK_WARMUP"; return; fi
  awk -v m="$MINUTES" 'BEGIN { w = m * 60 / 5; print (w > 120 ? 120 : w) }'
}

# busy: why the machine is not quiet, or nothing
busy() {
  local load others
  load=$(cut -d' ' -f1 /proc/loadavg)
  others=$(pgrep -af 'mvn|surefire|mesh-abuse' | grep -v -e pgrep -e "$$" || true)
  awk -v l="$load" 'BEGIN { exit !(l >= 2) }' && echo "load $load"
  [ -z "$others" ] || echo "running: $(head -c 200 <<<"$others" | tr '\n' ';')"
}

wait_quiet() {
  local waited=0 why
  while why=$(busy) && [ -n "$why" ]; do
    if [ "$waited" -ge "$QUIET_WAIT" ]; then
      echo "soak: the machine is still busy after ${QUIET_WAIT} s ($why); running anyway" | tee -a "$OUT/notes"
      return
    fi
    echo "soak: waiting for a quiet machine ($why)"
    sleep 30
    waited=$((waited + 30))
  done
  echo "soak: machine quiet at the start: load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/notes"
}

# on_exit: stops the driver and the sampler, keeps the parts' logs, takes the lab down
on_exit() {
  local rc=$?
  [ -z "$DRIVER_PID" ] || kill "$DRIVER_PID" 2>/dev/null || true
  cleanup
  if [ -d "$DEV/logs" ]; then cp -r "$DEV/logs" "$OUT/logs" 2>/dev/null || true; fi
  if [ "${SOAK_KEEP:-0}" = 1 ]; then
    echo "soak: the lab is left up (SOAK_KEEP=1): deploy/dev.sh down when done"
  else
    "$ROOT/deploy/dev.sh" down >>"$OUT/down.log" 2>&1 || echo "soak: deploy/dev.sh down failed; see $OUT/down.log" >&2
  fi
  echo "soak: results in $OUT"
  exit "$rc"
}

bring_up() {
  local started=$SECONDS
  echo "soak: deploy/dev.sh up (log $OUT/up.log)"
  "$ROOT/deploy/dev.sh" up >"$OUT/up.log" 2>&1 || { tail -20 "$OUT/up.log" >&2; die "deploy/dev.sh up failed"; }
  echo "soak: the lab is up in $((SECONDS - started)) s"
}

# run_driver: bench/SoakDriver.java on the CLI's classpath, its events in OUT/events
run_driver() {
  local jar="$ROOT/cli/target/shoal-cli-0.1.0-SNAPSHOT.jar" image
  if [ ! -f "$jar" ] || [ ! -f "$ROOT/cli/target/classpath.txt" ]; then
    die "the CLI is not built (deploy/dev.sh up builds it)"
  fi
  # shellcheck source=/dev/null
  image=$(. "$DEV/cluster.env" && echo "$DEMO_IMAGE")
  SOAK_IMAGE="$image" SHOAL_CERT_PATH="$DEV/pki/cli" SOAK_SERVICES=$SERVICES SOAK_TASKS=$TASKS SOAK_MINUTES=$MINUTES \
    java -XX:+UseSerialGC -Xmx256m -cp "$jar:$(cat "$ROOT/cli/target/classpath.txt")" "$ROOT/bench/SoakDriver.java" \
    >"$OUT/events" 2> >(tee -a "$OUT/driver.log" >&2) &
  DRIVER_PID=$!
  local rc=0
  wait "$DRIVER_PID" || rc=$?
  DRIVER_PID=""
  return "$rc"
}

main() {
  check_settings
  mkdir -p "$OUT"
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  echo "soak: $SERVICES services x $TASKS tasks, $MINUTES min of updates; results in $OUT"
  wait_quiet
  bring_up
  # The sampler's own bound: the longest the phases may take, and some.
  python3 "$ROOT/bench/soak.py" sample "$DEV" "$OUT/samples.jsonl" "$INTERVAL" \
    "$(awk -v m="$MINUTES" 'BEGIN { print int(m * 60 + 1200 + 600 + 300) }')" "$GC_EVERY" &
  PIDS+=($!)
  local rc=0
  run_driver || rc=$?
  # One more sample after the end, so the last interval's lag is in.
  sleep "$INTERVAL"
  cleanup
  PIDS=()
  mkdir -p "$WORK"
  echo "soak: load during the run (1/5/15 min) at its end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/notes"
  python3 "$ROOT/bench/soak.py" report "$OUT/samples.jsonl" "$OUT/events" "$(warmup_seconds)" "$MAX_SLOPE" "$LAG_TARGET" \
    | tee "$OUT/report" || rc=1
  [ "$rc" = 0 ] || echo "soak: failed (see $OUT/report)"
  return "$rc"
}

main "$@"
