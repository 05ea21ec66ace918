#!/usr/bin/env bash
# The event stream's latency and memory on the running lab (deploy/dev.sh up), issue #13:
#   - from a service's creation committed in etcd to its event at a subscriber (p50, p99), against
#     CreateService's own round trip in the same run (target: event p99 <= 100 ms);
#   - control's heap after a full GC with no subscriber and with SUBSCRIBERS (100) open, each fed
#     the kept events (target: < 64 MiB more).
#
#   bench/events.sh [ROUNDS] [SUBSCRIBERS]      default 200 creates, 100 subscribers
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "bench: $*" >&2; exit 1; }

[ -s "$ROOT/.dev/cluster.env" ] || die "no lab cluster; run deploy/dev.sh up first"
# shellcheck source=/dev/null
. "$ROOT/.dev/cluster.env"
if [ "${TLS:-on}" = off ]; then export SHOAL_INSECURE=1; else export SHOAL_CERT_PATH="${SHOAL_CERT_PATH:-$ROOT/.dev/pki/cli}"; fi
pid=$(cat "$ROOT/.dev/pids/control.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null || die "control is not running; run deploy/dev.sh up"
CLI_JAR=$(ls "$ROOT"/cli/target/shoal-cli-*.jar 2>/dev/null | grep -v tests | head -1)
[ -n "$CLI_JAR" ] && [ -f "$ROOT/cli/target/classpath.txt" ] || die "the CLI is not built; run deploy/dev.sh up"
exec java -XX:+UseSerialGC -cp "$CLI_JAR:$(cat "$ROOT/cli/target/classpath.txt")" "$ROOT/bench/EventsBench.java" \
  "$pid" "${1:-200}" "${2:-100}"
