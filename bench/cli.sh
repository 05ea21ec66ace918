#!/usr/bin/env bash
# How long one `bin/shoal` call takes, as a user types it (issue #14's targets: a list call to
# control at most 0.3 s, --help at most 0.2 s, medians), against `docker` doing the same kind of
# call on the lab's engine, and against the CLI without its daemon, measured in the same run.
#
#   bench/cli.sh                  BENCH_RUNS (20) runs of each, after one warm-up
#
# Calls: `shoal service ls` and `node ls` (a list call to control over mutual TLS) vs `docker ps`
# (a list call to h1's dockerd over its socket); `shoal --help` vs `docker --help`. With the
# daemon each call is a small launcher JVM plus the daemon's answer; SHOAL_CLI_DAEMON=0 is one JVM
# per call (gRPC, Netty and TLS loaded each time). The first call after the daemon is stopped
# (it starts the daemon) is printed too. Needs a lab from `deploy/dev.sh up`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHOAL="$ROOT/bin/shoal"
CLUSTER_ENV="$ROOT/.dev/cluster.env"
RUNS="${BENCH_RUNS:-20}"

die() { echo "bench: $*" >&2; exit 1; }
[ -s "$CLUSTER_ENV" ] || die "no lab cluster; run deploy/dev.sh up first"
# shellcheck source=/dev/null
. "$CLUSTER_ENV"
read -r _ _ ENGINE <"$HOSTS_FILE"
"$SHOAL" node ls >/dev/null 2>&1 || die "control does not answer; run deploy/dev.sh up first"
docker -H "$ENGINE" ps >/dev/null 2>&1 || die "the dockerd of h1 does not answer ($ENGINE)"

# median_ms CMD...: runs CMD once to warm up, then RUNS times; prints the median in ms
median_ms() {
  local i start times=()
  "$@" >/dev/null 2>&1 || die "failed: $*"
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($((($(date +%s%N) - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}

# first_call_ms: the daemon stopped, one call (it starts the daemon); the median of 5 such
first_call_ms() {
  local i start times=()
  for ((i = 0; i < 5; i++)); do
    SHOAL_CLI_DAEMON=stop "$SHOAL"
    sleep 1.5 # the daemon ends within a second of its socket going
    start=$(date +%s%N)
    "$SHOAL" node ls >/dev/null 2>&1
    times+=($((($(date +%s%N) - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "bench: $RUNS runs each, medians in ms ($(nproc) cores)"
docker_ls=$(median_ms docker -H "$ENGINE" ps)
docker_help=$(median_ms docker --help)
first=$(first_call_ms)
shoal_services=$(median_ms "$SHOAL" service ls)
shoal_nodes=$(median_ms "$SHOAL" node ls)
shoal_help=$(median_ms "$SHOAL" --help)
cold_nodes=$(SHOAL_CLI_DAEMON=0 median_ms "$SHOAL" node ls)
cold_help=$(SHOAL_CLI_DAEMON=0 median_ms "$SHOAL" --help)

printf '%-44s %8s %10s %12s\n' call median "vs docker" "vs no daemon"
printf '%-44s %8s %10s %12s\n' "docker ps (h1's engine)" "$docker_ls" 1.00 -
printf '%-44s %8s %10s %12s\n' "shoal service ls" "$shoal_services" "$(ratio "$shoal_services" "$docker_ls")" -
printf '%-44s %8s %10s %12s\n' "shoal node ls" "$shoal_nodes" "$(ratio "$shoal_nodes" "$docker_ls")" \
  "$(ratio "$shoal_nodes" "$cold_nodes")"
printf '%-44s %8s %10s %12s\n' "shoal node ls, no daemon (SHOAL_CLI_DAEMON=0)" "$cold_nodes" \
  "$(ratio "$cold_nodes" "$docker_ls")" 1.00
printf '%-44s %8s %10s %12s\n' "shoal node ls, first call (starts the daemon)" "$first" "$(ratio "$first" "$docker_ls")" -
printf '%-44s %8s %10s %12s\n' "docker --help" "$docker_help" 1.00 -
printf '%-44s %8s %10s %12s\n' "shoal --help" "$shoal_help" "$(ratio "$shoal_help" "$docker_help")" \
  "$(ratio "$shoal_help" "$cold_help")"
printf '%-44s %8s %10s %12s\n' "shoal --help, no daemon" "$cold_help" "$(ratio "$cold_help" "$docker_help")" 1.00
echo "targets: a list call <= 300 ms, --help <= 200 ms (medians)"
