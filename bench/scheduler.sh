#!/usr/bin/env bash
# Scheduler throughput: 10 services x 1,000 replicas on 1,000 simulated nodes, from the services
# appearing in etcd to all 10,000 tasks RUNNING, against real etcd, a real scheduler and a real
# dispatcher (processes), with 1,000 agents simulated by bench/SchedulerBench.java (one Session
# stream each; they report RUNNING at once and run no container). In the same run it measures
# etcd's raw transaction rate for as many single-put transactions as the run used, and the
# scheduler's peak RSS. "etcd raw" replays the run's writes to task keys (each task's etcd
# version: its create and every status or desired-state change) as single-put transactions, 64
# in flight, on the same etcd; the ratio is Shoal's time over that raw time (1.0 = Shoal adds
# nothing over etcd's own write rate). "etcd batched" writes them again 100 per txn, 8 txns in
# flight (the scheduler's shape) while the cluster idles: the floor on this etcd.
#
#   bench/scheduler.sh                      NODES, SERVICES, REPLICAS override the sizes
#
# Needs: etcd (Debian etcd-server), java 17, the modules built
# (mvn -q package -pl services/scheduler,services/dispatcher -am -DskipTests).
# Loopback only; everything it starts is stopped on exit. The last line is the summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODES="${NODES:-1000}"
SERVICES="${SERVICES:-10}"
REPLICAS="${REPLICAS:-1000}"
# The services run with deploy/dev.sh's options (C1 only: on 2 shared cores a run this short
# spent as much CPU compiling with C2 as scheduling, 1,575 vs 3,314 tasks/s measured), with
# room for a 10,000-task cache; the simulator gets C1 too, as it competes for the same cores.
JAVA_OPTS="${SHOAL_BENCH_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx384m}"

die() { echo "bench: $*" >&2; exit 1; }
command -v etcd >/dev/null || die "etcd not found (apt-get install etcd-server)"
classpath() { # module -> its runtime classpath
  local jar
  jar=$(ls "$ROOT/$1"/target/shoal-*.jar 2>/dev/null | head -1)
  [ -n "$jar" ] && [ -f "$ROOT/$1/target/classpath.txt" ] \
    || die "$1 is not built; run: mvn -q package -pl services/scheduler,services/dispatcher -am -DskipTests"
  echo "$jar:$(cat "$ROOT/$1/target/classpath.txt")"
}
SCHED_CP=$(classpath services/scheduler)
DISP_CP=$(classpath services/dispatcher)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/shoal-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "bench: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

EP=$(free_port); PP=$(free_port)
etcd --name bench --data-dir "$WORK/etcd" \
  --listen-client-urls "http://127.0.0.1:$EP" --advertise-client-urls "http://127.0.0.1:$EP" \
  --listen-peer-urls "http://127.0.0.1:$PP" --initial-advertise-peer-urls "http://127.0.0.1:$PP" \
  --initial-cluster "bench=http://127.0.0.1:$PP" >"$WORK/etcd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$EP/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$EP/health" >/dev/null || die "etcd did not start: $(tail -5 "$WORK/etcd.log")"
ETCD="http://127.0.0.1:$EP"
PREFIX="/bench/"

DP=$(free_port)
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$DISP_CP" io.shoal.dispatcher.DispatcherMain --etcd-endpoints "$ETCD" --etcd-prefix "$PREFIX" \
  --listen "127.0.0.1:$DP" --metrics-port "$(free_port)" --heartbeat-period 5s --insecure >"$WORK/dispatcher.log" 2>&1 &
PIDS+=($!)
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$SCHED_CP" io.shoal.scheduler.SchedulerMain --etcd-endpoints "$ETCD" --etcd-prefix "$PREFIX" \
  --listen "127.0.0.1:$(free_port)" --metrics-port "$(free_port)" --insecure >"$WORK/scheduler.log" 2>&1 &
SCHED_PID=$!
PIDS+=($SCHED_PID)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$DP") 2>/dev/null && break; sleep 0.1; done

echo "bench: $NODES nodes, $SERVICES services x $REPLICAS replicas; etcd $(etcd --version | head -1 | awk '{print $3}'), $(nproc) cores"
java ${SHOAL_BENCH_SIM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx1g} -cp "$SCHED_CP:$DISP_CP" "$ROOT/bench/SchedulerBench.java" --etcd "$ETCD" --prefix "$PREFIX" \
  --dispatcher "127.0.0.1:$DP" --nodes "$NODES" --services "$SERVICES" --replicas "$REPLICAS" | tee "$WORK/bench.out" \
  || { KEEP=1; die "bench failed; logs in $WORK"; }
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SCHED_PID/status")

val() { grep -o "\\b$1=[^ ]*" "$WORK/bench.out" | tail -1 | cut -d= -f2; }
TPS=$(val tasks_per_s); RAW=$(val raw_txn_per_s); WRITES=$(val shoal_writes); TXNS=$(val shoal_txns)
SECS=$(val seconds); RAWSECS=$(val raw_seconds); RATIO=$(val time_ratio)
echo "scheduler peak RSS: $((RSS_KB / 1024)) MiB"
echo "etcd raw: the run's $WRITES task writes (in $TXNS txns) as single-put txns: ${RAWSECS}s = $RAW txn/s;" \
  "Shoal's time / etcd's raw time for the same writes = $RATIO"
BSECS=$(val raw_batched_seconds); BRATIO=$(val batched_time_ratio)
echo "etcd batched: the same writes 100 per txn, 8 txns in flight, cluster idle: ${BSECS}s;" \
  "Shoal's time / that = $BRATIO"
echo "summary: $((SERVICES * REPLICAS)) tasks on $NODES nodes in ${SECS}s = $TPS tasks/s; scheduler peak RSS $((RSS_KB / 1024)) MiB; etcd raw $RAW txn/s (${RAWSECS}s for the same $WRITES writes); ratio ${RATIO}x (${BRATIO}x etcd's batched ${BSECS}s)"
