#!/usr/bin/env bash
# How long a node takes to join the lab (issue #12's target: token to Ready in at most 2 s), against
# the same agent starting with the certificate it already has, measured in the same run.
#
#   bench/join.sh [HOST]          default h3; BENCH_ROUNDS (3) rounds of each
#
# Each "join" round: the host's agent is killed, its node removed (`node rm --force`, which revokes
# it) and its certificate deleted, then an agent starts with the worker token: from its start to a
# new node of that host Ready in `node ls`. Each "restart" round: the agent is killed and started
# again with the certificate it has, to Ready again. Both include the JVM's start; their
# difference is what joining costs (key, CSR, the CA's answer over TLS). Each timer starts once
# the host's tasks run on the other hosts again (wait_settled). Needs a lab from
# `deploy/dev.sh up` (which this leaves with the host's node Ready, under a new id).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHOAL="$ROOT/bin/shoal"
DEV="$ROOT/.dev"
HOST="${1:-h3}"
ROUNDS="${BENCH_ROUNDS:-3}"
# Bound of each wait: 60 s in 0.05 s polls (for Down); Ready is waited for by bench/ReadyWaiter.java
# (20 ms polls in one warm JVM, also at most 60 s).
POLLS=1200

die() { echo "bench: $*" >&2; exit 1; }
[ -s "$DEV/cluster.env" ] || die "no lab cluster; run deploy/dev.sh up first"
[ "$(id -u)" = 0 ] || die "killing and starting an agent inside a lab host needs root"
"$SHOAL" node ls >/dev/null 2>&1 || die "control does not answer; run deploy/dev.sh up first"
CLI_JAR=
for jar in "$ROOT"/cli/target/shoal-cli-*.jar; do [[ $jar == *-tests.jar ]] || CLI_JAR=$jar; done
if [ ! -f "$CLI_JAR" ] || [ ! -f "$ROOT/cli/target/classpath.txt" ]; then
  die "the CLI is not built; run deploy/dev.sh up"
fi

now_ms() { date +%s%3N; }
node_of() { "$SHOAL" node ls | awk -v h="$HOST" '$2 == h {print $1}'; }
ready_id() { "$SHOAL" node ls 2>/dev/null | awk -v h="$HOST" '$2 == h && $3 == "Ready" {print $1}'; }

# The warm waiter, one JVM for the whole run, with the lab's admin certificate as bin/shoal has it.
export SHOAL_CERT_PATH="${SHOAL_CERT_PATH:-$DEV/pki/cli}"
coproc WAITER { exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CLI_JAR:$(cat "$ROOT/cli/target/classpath.txt")" \
  "$ROOT/bench/ReadyWaiter.java" 2>/dev/null; }
trap 'kill "$WAITER_PID" 2>/dev/null || true' EXIT
ready=
read -r ready <&"${WAITER[0]}" || true
[ "$ready" = ready ] || die "bench/ReadyWaiter.java did not start"

# Called in this shell, never in $(...): a subshell does not get the coprocess's pipes.
wait_ready() { # wait_ready OLD_ID: until a node of HOST other than OLD_ID (any if empty) is Ready; when in READY_MS
  local id
  echo "$HOST $1" >&"${WAITER[1]}"
  read -r id READY_MS <&"${WAITER[0]}" || die "bench/ReadyWaiter.java stopped"
  [ "$id" != none ] || die "no node of $HOST Ready within 60 s; see .dev/logs/agent-$HOST.log"
}

# wait_down: until HOST's node is not Ready (its session ended with the killed agent)
wait_down() {
  for _ in $(seq 1 "$POLLS"); do
    [ -z "$(ready_id)" ] && return 0
    sleep 0.05
  done
  die "the node of $HOST stayed Ready after its agent was killed"
}

# wait_settled: until every replicated service has all its replicas Running on the other hosts:
# the host's tasks, replaced after its node was removed or went Down, are running elsewhere
# again, so the cluster is quiet when the timer starts (the replacement is the removal's work,
# not the join's; on 2 cores it would share the CPU with the joining agent). At most 60 s.
wait_settled() {
  local name want
  for _ in $(seq 1 600); do
    local settled=1
    while read -r name want; do
      [ "$(running_elsewhere "$name")" = "$want" ] || { settled=; break; }
    done < <("$SHOAL" service ls | awk 'NR > 1 && $3 == "replicated" {split($4, r, "/"); print $2, r[2]}')
    [ -n "$settled" ] && return 0
    sleep 0.1
  done
  die "the services did not get all their replicas running on the other hosts within 60 s"
}

running_elsewhere() { # running_elsewhere SERVICE: its tasks desired and Running on a host other than HOST
  "$SHOAL" service ps "$1" | awk -v h="$HOST" 'NR > 1 && $4 != h && $5 == "Running" && $6 == "Running"' | wc -l
}

join_round() { # join_round: ms from the agent's start with the token to its new node Ready, in ROUND_MS
  local old start
  old=$(node_of)
  "$ROOT/deploy/dev.sh" host kill-agent "$HOST" >/dev/null
  "$SHOAL" node rm --force "$old" >/dev/null
  rm -rf "$DEV/agents/$HOST/certs" "$DEV/agents/$HOST/node-id"
  wait_settled
  start=$(now_ms)
  "$ROOT/deploy/dev.sh" host start-agent "$HOST" >/dev/null
  wait_ready "$old"
  ROUND_MS=$((READY_MS - start))
}

restart_round() { # restart_round: ms from the agent's start with its certificate to Ready, in ROUND_MS
  local start
  "$ROOT/deploy/dev.sh" host kill-agent "$HOST" >/dev/null
  wait_down
  wait_settled
  start=$(now_ms)
  "$ROOT/deploy/dev.sh" host start-agent "$HOST" >/dev/null
  wait_ready ""
  ROUND_MS=$((READY_MS - start))
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$(((${#} + 1) / 2))p"; }

echo "join on lab: host $HOST, $ROUNDS rounds"
JOINS=() RESTARTS=()
for r in $(seq 1 "$ROUNDS"); do
  join_round; j=$ROUND_MS
  restart_round; s=$ROUND_MS
  JOINS+=("$j") RESTARTS+=("$s")
  echo "  round $r  join (token to Ready) $j ms   restart with its certificate $s ms"
done
J=$(median "${JOINS[@]}") S=$(median "${RESTARTS[@]}")
echo "summary: join token->Ready median ${J} ms (JVM start included); restart with a certificate ${S} ms;" \
  "join/restart $(awk -v a="$J" -v b="$S" 'BEGIN {printf "%.2f", a / b}')x; joining itself $((J - S)) ms"
