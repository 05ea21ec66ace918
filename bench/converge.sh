#!/usr/bin/env bash
# How fast a service converges: `shoal service create --replicas N` to N/N RUNNING on the local
# 3-node cluster (deploy/dev.sh up), against the raw engine baseline measured in the same run:
# `docker run -d` of N containers of the same image, 4 at a time, on the same dockerd.
#
#   bench/converge.sh [N ...]        default: 1 10 30
#
# Prints one line per N and a summary line last. The CLI's JVM start is inside the Shoal figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHOAL="$ROOT/bin/shoal"
HOST="${SHOAL_DOCKER_HOST:-unix://$ROOT/.dev/docker/docker.sock}"
IMAGE="127.0.0.1:5000/demo/web:1"
COUNTS=("${@:-1 10 30}")
read -r -a COUNTS <<<"${COUNTS[*]}"

"$SHOAL" node ls >/dev/null 2>&1 || { echo "bench: no cluster; run deploy/dev.sh up first" >&2; exit 1; }
docker -H "$HOST" info >/dev/null 2>&1 || { echo "bench: no dockerd at $HOST" >&2; exit 1; }

now_ms() { date +%s%3N; }

baseline() { # baseline N -> ms for N containers started, 4 at a time
  local n=$1 start end
  start=$(now_ms)
  seq 1 "$n" | xargs -P 4 -I{} docker -H "$HOST" run -d --label shoal.bench=1 --entrypoint /bin/demo-init "$IMAGE" sleep 600 >/dev/null
  end=$(now_ms)
  docker -H "$HOST" rm -f $(docker -H "$HOST" ps -aq --filter label=shoal.bench=1) >/dev/null
  echo $((end - start))
}

shoal_run() { # shoal_run N -> ms from create to N/N RUNNING (as the CLI reports convergence)
  local n=$1 name="bench-$1-$$" start end
  start=$(now_ms)
  "$SHOAL" service create --name "$name" --replicas "$n" --quiet --timeout 5m \
    "$IMAGE" sleep 600 >/dev/null
  end=$(now_ms)
  "$SHOAL" service rm "$name" >/dev/null
  # Let the removal finish before the next round, so rounds don't overlap.
  for _ in $(seq 1 300); do
    [ -z "$(docker -H "$HOST" ps -aq --filter "label=io.shoal.service.name=$name")" ] && break
    sleep 0.1
  done
  echo $((end - start))
}

cli_ms() { # one CLI round trip (JVM start + a call), to tell the cluster's share from the CLI's
  local start end
  start=$(now_ms)
  "$SHOAL" node ls >/dev/null
  end=$(now_ms)
  echo $((end - start))
}

summary=()
for n in "${COUNTS[@]}"; do
  base=$(baseline "$n")
  cli=$(cli_ms)
  shoal=$(shoal_run "$n")
  cluster=$((shoal - cli))
  ratio=$(awk -v a="$cluster" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  printf 'replicas=%-3s shoal create->running %6s ms (CLI round trip %s ms, cluster %s ms)   docker run x%-3s %6s ms   cluster/docker %s\n' \
    "$n" "$shoal" "$cli" "$cluster" "$n" "$base" "$ratio"
  summary+=("n=$n:${cluster}ms/${base}ms=${ratio}x")
done
echo "converge summary: ${summary[*]} (shoal cluster time / raw docker run, same engine, same run)"
