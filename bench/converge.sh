#!/usr/bin/env bash
# How fast a service converges on the lab (deploy/dev.sh up: every node its own host, with its own
# dockerd): `shoal service create --replicas N` to N/N RUNNING, against the raw engine baseline
# measured in the same run: `docker run -d` of N containers of the same image spread evenly over
# the hosts' engines, every engine at once, BENCH_PARALLEL (4) runs at a time on each.
#
#   bench/converge.sh [N ...]        default: 1 10 30; BENCH_ROUNDS (3) rounds of each, on the
#                                    running lab (deploy/dev.sh up)
#   BENCH_TLS=both bench/converge.sh [N ...]
#                                    the same twice, each on a lab of its own: plaintext
#                                    (SHOAL_TLS=off deploy/dev.sh up), then mutual TLS on every hop
#                                    (deploy/dev.sh up, left running); the last line compares them
#                                    (issue #12: with TLS within 1.1x of plaintext). Each mode has
#                                    its own docker baseline, so the comparison is of the ratios to
#                                    it (machine drift between the two labs cancels); raw times too.
#   BENCH_TRACES=both bench/converge.sh [N ...]
#                                    the same with no trace store (SHOAL_TRACES=off) and with every
#                                    part and the CLI sending every span to Zipkin (issue #13:
#                                    within 1.05x of untraced)
#
# Shoal's cluster time is `shoal service create --replicas N` run by the CLI's own code in one warm
# JVM (bench/CliTimer.java): from the create call, through control, the scheduler, the
# dispatcher, the agents and their engines, back through etcd to the CLI seeing N/N RUNNING. Each
# call opens its own connection, as bin/shoal does; the JVM's start is left out (a client cost,
# measured by itself: "cold CLI" is the same create through bin/shoal, JVM start included).
# Prints one line per round and per N (the medians of its rounds), and a summary line last. Both
# sides share this machine's cores with everything else on it: compare the ratio, and only
# within one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# compare_labs SETTING NAME_OFF NAME_ON TARGET MODE...: for each MODE, brings up a lab with
# SETTING=MODE (deploy/dev.sh up) and runs this script on it; with both modes, the last line
# compares them. Each mode has its own docker baseline, so the comparison is of the ratios to it
# (machine drift between the two labs cancels); raw times too.
compare_labs() {
  local setting=$1 name_off=$2 name_on=$3 target=$4 mode line key n cluster base
  shift 4
  local modes=("$@")
  declare -A RATIO RAW
  for mode in "${modes[@]}"; do
    echo "== $([ "$mode" = on ] && echo "$name_on" || echo "$name_off"): $setting=$mode deploy/dev.sh up"
    env "$setting=$mode" "$ROOT/deploy/dev.sh" up >"/tmp/shoal-bench-converge-up-$setting-$mode.log" 2>&1 \
      || { tail -20 "/tmp/shoal-bench-converge-up-$setting-$mode.log" >&2; exit 1; }
    while read -r line; do
      echo "$line"
      if [[ $line == "converge medians "* ]]; then
        read -r _ _ _ n cluster base <<<"$line"
        RATIO[$mode,$n]=$(awk -v a="$cluster" -v b="$base" 'BEGIN { printf "%.4f", a / b }')
        RAW[$mode,$n]=$cluster
      fi
    done < <(env -u BENCH_TLS -u BENCH_TRACES bash "$0" "${ARGS[@]+"${ARGS[@]}"}")
  done
  [ "${#modes[@]}" = 2 ] || return 0
  line="converge $name_on/$name_off:"
  for key in "${!RATIO[@]}"; do
    [[ $key == on,* ]] || continue
    n=${key#on,}
    line+=" n=$n: $(awk -v t="${RATIO[on,$n]}" -v p="${RATIO[off,$n]}" 'BEGIN { printf "%.2f", t / p }')x"
    line+=" (raw ${RAW[on,$n]}/${RAW[off,$n]} ms = $(awk -v t="${RAW[on,$n]}" -v p="${RAW[off,$n]}" 'BEGIN { printf "%.2f", t / p }')x)"
  done
  echo "$line (shoal/docker $name_on over shoal/docker $name_off; $target)"
}

# modes_of VAR VALUE: the modes BENCH_TLS or BENCH_TRACES asks for
modes_of() {
  case "$2" in both) echo off on ;; off | on) echo "$2" ;;
    *) echo "bench: $1 '$2': both, off or on" >&2; exit 1 ;; esac
}

ARGS=("$@")
# BENCH_TLS=both|off|on: bring up a lab in each mode and run this script on it.
if [ -n "${BENCH_TLS:-}" ]; then
  # shellcheck disable=SC2046 # the modes are words
  compare_labs SHOAL_TLS plaintext "with TLS" "target <= 1.1x" $(modes_of BENCH_TLS "$BENCH_TLS")
  exit 0
fi
# BENCH_TRACES=both|off|on: the same with the trace store off and on (mutual TLS in both).
if [ -n "${BENCH_TRACES:-}" ]; then
  # shellcheck disable=SC2046
  compare_labs SHOAL_TRACES untraced traced "target <= 1.05x" $(modes_of BENCH_TRACES "$BENCH_TRACES")
  exit 0
fi

SHOAL="$ROOT/bin/shoal"
CLUSTER_ENV="$ROOT/.dev/cluster.env"
PARALLEL="${BENCH_PARALLEL:-4}"
ROUNDS="${BENCH_ROUNDS:-3}"
# Bounds of the waits between rounds: 60 s for a service's containers to be gone.
DRAIN_POLLS=600
COUNTS=("${@:-1 10 30}")
read -r -a COUNTS <<<"${COUNTS[*]}"

die() { echo "bench: $*" >&2; exit 1; }

[ -s "$CLUSTER_ENV" ] || die "no lab cluster; run deploy/dev.sh up first"
# shellcheck source=/dev/null
. "$CLUSTER_ENV"
IMAGE="$DEMO_IMAGE"
MODE_NAME="mutual TLS"
# The warm CLI presents the lab's admin certificate, as bin/shoal does (none on a plaintext lab).
if [ "${TLS:-on}" = off ]; then
  export SHOAL_INSECURE=1
  MODE_NAME=plaintext
else
  export SHOAL_CERT_PATH="${SHOAL_CERT_PATH:-$ROOT/.dev/pki/cli}"
fi
# On a lab with a trace store the warm CLI traces its commands too, as a user's would.
if [ "${TRACES:-off}" = on ]; then
  export SHOAL_TRACE_ENDPOINT="http://$BRIDGE_ADDR:9411"
  MODE_NAME+=", traced"
fi
CLI_JAR=$(ls "$ROOT"/cli/target/shoal-cli-*.jar 2>/dev/null | grep -v tests | head -1)
[ -n "$CLI_JAR" ] && [ -f "$ROOT/cli/target/classpath.txt" ] || die "the CLI is not built; run deploy/dev.sh up"
HOSTS=() ENGINES=()
while read -r host _ socket; do HOSTS+=("$host") ENGINES+=("$socket"); done <"$HOSTS_FILE"
[ ${#ENGINES[@]} -gt 0 ] || die "no hosts in $HOSTS_FILE"
"$SHOAL" node ls >/dev/null 2>&1 || die "control does not answer; run deploy/dev.sh up first"
for i in "${!ENGINES[@]}"; do
  docker -H "${ENGINES[$i]}" info >/dev/null 2>&1 || die "the dockerd of ${HOSTS[$i]} does not answer (${ENGINES[$i]})"
  # Both sides start from an image every engine has: the pulls are not what is measured.
  docker -H "${ENGINES[$i]}" pull -q "$IMAGE" >/dev/null
done

now_ms() { date +%s%3N; }

# share N I: how many of N containers engine I gets (spread evenly, the first ones one more)
share() {
  local n=$1 i=$2 h=${#ENGINES[@]}
  echo $((n / h + (i < n % h ? 1 : 0)))
}

baseline() { # baseline N -> ms for N containers started over every engine at once
  local n=$1 start end i
  start=$(now_ms)
  for i in "${!ENGINES[@]}"; do
    seq 1 "$(share "$n" "$i")" | xargs -r -P "$PARALLEL" -I{} \
      docker -H "${ENGINES[$i]}" run -d --label shoal.bench=1 "$IMAGE" sleep 600 >/dev/null &
  done
  wait
  end=$(now_ms)
  for i in "${!ENGINES[@]}"; do
    docker -H "${ENGINES[$i]}" ps -aq --filter label=shoal.bench=1 | xargs -r docker -H "${ENGINES[$i]}" rm -f >/dev/null &
  done
  wait
  echo $((end - start))
}

containers_of() { # containers_of SERVICE: how many containers of it exist on all engines
  local e total=0
  for e in "${ENGINES[@]}"; do
    total=$((total + $(docker -H "$e" ps -aq --filter "label=io.shoal.service.name=$1" | wc -l)))
  done
  echo "$total"
}

drain() { # drain SERVICE: wait until its containers are gone, so rounds don't overlap
  for _ in $(seq 1 "$DRAIN_POLLS"); do
    [ "$(containers_of "$1")" = 0 ] && return
    sleep 0.1
  done
  die "the containers of $1 were not removed within 60 s"
}

# The warm CLI (bench/CliTimer.java), one JVM for the whole run.
coproc TIMER { exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CLI_JAR:$(cat "$ROOT/cli/target/classpath.txt")" \
  "$ROOT/bench/CliTimer.java" 2>/dev/null; }
trap 'kill "$TIMER_PID" 2>/dev/null || true' EXIT
read -r ready <&"${TIMER[0]}" && [ "$ready" = ready ] || die "bench/CliTimer.java did not start"

# Called in this shell, never in $(...): a subshell does not get the coprocess's pipes.
timed() { # timed WORDS...: runs one shoal command line in the warm CLI; its ms in TIMED_MS
  local code
  echo "$*" >&"${TIMER[1]}"
  read -r code TIMED_MS <&"${TIMER[0]}" || die "bench/CliTimer.java stopped"
  [ "$code" = 0 ] || die "shoal $* failed (exit $code)"
}

shoal_run() { # shoal_run N: ms from the create call to N/N RUNNING in the warm CLI, in CLUSTER_MS
  local n=$1 name="bench-$1-$$-$RANDOM"
  timed service create --name "$name" --replicas "$n" --quiet --timeout 5m "$IMAGE" sleep 600
  CLUSTER_MS=$TIMED_MS
  timed service rm "$name"
  drain "$name"
}

cold_run() { # cold_run N -> ms of the same create through bin/shoal (a fresh JVM)
  local n=$1 name="bench-cold-$1-$$" start end
  start=$(now_ms)
  "$SHOAL" service create --name "$name" --replicas "$n" --quiet --timeout 5m "$IMAGE" sleep 600 >/dev/null
  end=$(now_ms)
  "$SHOAL" service rm "$name" >/dev/null
  drain "$name"
  echo $((end - start))
}

median() { # median N...: the middle one (the lower of the two middle ones)
  printf '%s\n' "$@" | sort -n | sed -n "$(((${#} + 1) / 2))p"
}

echo "converge on lab $LAB ($MODE_NAME): ${#ENGINES[@]} hosts (${HOSTS[*]}), image $IMAGE, docker run $PARALLEL at a time per engine, $ROUNDS rounds"
# The create path's classes warmed too, not only node ls's.
shoal_run 1
summary=()
for n in "${COUNTS[@]}"; do
  bases=() clusters=() colds=()
  for r in $(seq 1 "$ROUNDS"); do
    base=$(baseline "$n")
    shoal_run "$n"
    cluster=$CLUSTER_MS
    cold=$(cold_run "$n")
    bases+=("$base") clusters+=("$cluster") colds+=("$cold")
    printf '  round %s replicas=%-3s shoal create->running %6s ms (cold CLI %6s ms)   docker run x%-3s %6s ms\n' \
      "$r" "$n" "$cluster" "$cold" "$n" "$base"
  done
  base=$(median "${bases[@]}") cluster=$(median "${clusters[@]}") cold=$(median "${colds[@]}")
  ratio=$(awk -v a="$cluster" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  printf 'replicas=%-3s median cluster %6s ms (cold CLI %6s ms)   docker run x%-3s %6s ms   cluster/docker %s\n' \
    "$n" "$cluster" "$cold" "$n" "$base" "$ratio"
  summary+=("n=$n:${cluster}ms/${base}ms=${ratio}x")
  echo "converge medians ${TLS:-on} $n $cluster $base"
done
echo "converge summary: ${summary[*]} (median shoal cluster time / raw docker run over the same ${#ENGINES[@]} engines, same run)"
