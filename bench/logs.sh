#!/usr/bin/env bash
# `shoal service logs -f` on the running lab (deploy/dev.sh up), issue #13 item 4: TASKS tasks
# (30) write RATE lines a second in total (1,000) for SECONDS (20), each line its task's number
# 1, 2, 3...; one `shoal service logs -f` must deliver every line, in order per task. Baseline in
# the same run: `docker logs -f` of the same containers, one per container on its host's engine.
# Prints, for both: lines delivered/expected, when the last line arrived after the writers ended;
# then a catch-up read of the whole logs (`shoal service logs` vs `docker logs`): lines/s and the
# ratio shoal/docker.
#
#   bench/logs.sh [TASKS] [RATE] [SECONDS]      default 30 1000 20
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "bench: $*" >&2; exit 1; }

TASKS=${1:-30} RATE=${2:-1000} SECONDS_RUN=${3:-20}
[ "$TASKS" -gt 0 ] && [ "$RATE" -gt 0 ] && [ "$SECONDS_RUN" -gt 0 ] || die "TASKS, RATE and SECONDS must be positive"
[ -s "$ROOT/.dev/cluster.env" ] || die "no lab cluster; run deploy/dev.sh up first"
# shellcheck source=/dev/null
. "$ROOT/.dev/cluster.env"
if [ "${TLS:-on}" = off ]; then export SHOAL_INSECURE=1; else export SHOAL_CERT_PATH="${SHOAL_CERT_PATH:-$ROOT/.dev/pki/cli}"; fi
SHOAL="$ROOT/bin/shoal"
command -v docker >/dev/null || die "the docker CLI is needed for the baseline"
[ -s "$HOSTS_FILE" ] || die "no lab hosts file $HOSTS_FILE"

# Each task writes BATCH lines at once every second: one sleep (a fork in busybox sh) per second,
# not per line, so the writers keep the rate on 2 cores (a sleep per line made it ~200 lines/s).
BATCH=$(( (RATE + TASKS - 1) / TASKS ))
PER_TASK=$(( BATCH * SECONDS_RUN ))
EXPECTED=$(( PER_TASK * TASKS ))
NAME="logbench-$$"
WORK=$(mktemp -d /tmp/shoal-logbench.XXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$SHOAL" service rm "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

SCRIPT="i=0; while [ \$i -lt $PER_TASK ]; do j=0; while [ \$j -lt $BATCH ]; do i=\$((i+1)); j=\$((j+1)); echo \$i; done; sleep 1; done; sleep 1d"
echo "bench: $TASKS tasks x $PER_TASK lines ($BATCH a second each: $((BATCH * TASKS)) lines/s in total for ${SECONDS_RUN}s), image $DEMO_IMAGE"
created=$(now_ms)
"$SHOAL" service create --detach --name "$NAME" --replicas "$TASKS" --entrypoint sh "$DEMO_IMAGE" -c "$SCRIPT" >/dev/null
# Shoal: one follower through control, from the start: each task joins it once it runs, whole.
"$SHOAL" service logs -f "$NAME" >"$WORK/shoal.out" 2>"$WORK/shoal.err" &
pids+=($!)
deadline=$(( $(date +%s) + 120 ))
# Current state Running (the table's DESIRED STATE column says Running long before).
until [ "$("$SHOAL" service ps --filter desired-state=running --format '{{.CurrentState}}' "$NAME" 2>/dev/null |
  grep -c '^Running')" -eq "$TASKS" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || die "$NAME did not reach $TASKS running tasks in 120 s"
  sleep 1
done
running=$(now_ms)
# Docker: one follower per container, on the engine of its host (from the log's first line too).
while read -r host _addr sock; do
  for cid in $(docker -H "$sock" ps -q --filter "label=io.shoal.service.name=$NAME"); do
    docker -H "$sock" logs -f "$cid" >"$WORK/docker-$cid.out" 2>&1 &
    pids+=($!)
  done
done <"$HOSTS_FILE"

shoal_done="" docker_done=""
deadline=$(( $(date +%s) + SECONDS_RUN + 120 ))
while [ -z "$shoal_done" ] || [ -z "$docker_done" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || break
  [ -n "$shoal_done" ] || { [ "$(wc -l <"$WORK/shoal.out")" -ge "$EXPECTED" ] && shoal_done=$(now_ms); }
  [ -n "$docker_done" ] || { [ "$(cat "$WORK"/docker-*.out 2>/dev/null | wc -l)" -ge "$EXPECTED" ] && docker_done=$(now_ms); }
  sleep 0.2
done

# Every task's numbers 1..PER_TASK exactly once and in order, by its prefix.
check_order() { # FILE: prints "tasks ok/total" after checking each prefix's sequence
  awk -F' [|] ' -v n="$PER_TASK" '
    { sub(/ +$/, "", $1); k = $1; c[k]++; if ($2 != c[k]) bad[k] = 1 }
    END { ok = 0; t = 0; for (k in c) { t++; if (!(k in bad) && c[k] == n) ok++ } printf "%d/%d", ok, t }' "$1"
}
shoal_lines=$(wc -l <"$WORK/shoal.out")
docker_lines=$(cat "$WORK"/docker-*.out | wc -l)
docker_ordered=0
for f in "$WORK"/docker-*.out; do
  awk -v n="$PER_TASK" '$0 != NR { bad = 1 } END { exit (bad || NR != n) }' "$f" && docker_ordered=$((docker_ordered + 1))
done
# The writers end SECONDS (plus their sleeps' overhead) after the last task started running.
lag() { [ -n "$1" ] && echo "$(( $1 - created )) ms" || echo "never"; }
echo "all $TASKS tasks running $(( running - created )) ms after the create"
printf '%-34s %18s %16s %22s\n' "follow (-f)" "delivered/expected" "tasks in order" "all lines after create"
printf '%-34s %18s %16s %22s\n' "shoal service logs -f" "$shoal_lines/$EXPECTED" "$(check_order "$WORK/shoal.out")" "$(lag "$shoal_done")"
printf '%-34s %18s %16s %22s\n' "docker logs -f (per container)" "$docker_lines/$EXPECTED" "$docker_ordered/$TASKS" "$(lag "$docker_done")"
[ -s "$WORK/shoal.err" ] && { echo "shoal's stderr:"; head -5 "$WORK/shoal.err"; }

# Catch-up: the whole logs at once, read as fast as each side gives them.
t0=$(now_ms); "$SHOAL" service logs "$NAME" >"$WORK/shoal-all.out"; t1=$(now_ms)
catchup=()
t2=$(now_ms)
while read -r host _addr sock; do
  for cid in $(docker -H "$sock" ps -q --filter "label=io.shoal.service.name=$NAME"); do
    docker -H "$sock" logs "$cid" >"$WORK/docker-all-$cid.out" 2>&1 &
    catchup+=($!)
  done
done <"$HOSTS_FILE"
for j in "${catchup[@]}"; do wait "$j" || true; done
t3=$(now_ms)
shoal_all=$(wc -l <"$WORK/shoal-all.out"); docker_all=$(cat "$WORK"/docker-all-*.out | wc -l)
rate() { awk -v l="$1" -v ms="$2" 'BEGIN { printf "%.0f lines/s", (ms > 0 ? l * 1000 / ms : 0) }'; }
printf '%-34s %18s %10s %16s\n' "catch-up (whole log)" "lines" "ms" "throughput"
printf '%-34s %18s %10s %16s\n' "shoal service logs" "$shoal_all/$EXPECTED" "$((t1 - t0))" "$(rate "$shoal_all" $((t1 - t0)))"
printf '%-34s %18s %10s %16s\n' "docker logs (parallel, per engine)" "$docker_all/$EXPECTED" "$((t3 - t2))" "$(rate "$docker_all" $((t3 - t2)))"
awk -v s=$((t1 - t0)) -v d=$((t3 - t2)) 'BEGIN { if (d > 0) printf "ratio shoal/docker (catch-up time): %.2fx\n", s / d }'
[ "$shoal_lines" -eq "$EXPECTED" ] && [ "$(check_order "$WORK/shoal.out")" = "$TASKS/$TASKS" ] \
  || die "shoal service logs -f did not deliver every line in order"
