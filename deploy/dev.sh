#!/usr/bin/env bash
# Shoal's local stack on one machine: a lab of hosts (deploy/lab.sh), each a network namespace with
# its own dockerd, node-agent and mesh-proxy; etcd, a private registry and the control plane in the
# root namespace, on loopback and on the lab's bridge (docs/ARCHITECTURE.md, "The lab").
#
#   deploy/dev.sh up       install what is missing, build if stale, start a fresh cluster and a demo
#   deploy/dev.sh down     stop exactly what `up` started and remove the lab
#   deploy/dev.sh status   what runs, where its log is, each part's restarts, and the hosts
#   deploy/dev.sh host partition|heal|stop-engine|kill-engine|start-engine|kill-agent|start-agent HOST
#                          a fault on one host of the running cluster (h1, h2, ...)
#   deploy/dev.sh test     every test, with its own dockerd and registry, the e2e tests on labs of
#                          their own; fails if anything is left behind (what CI runs)
#   deploy/dev.sh lab ...  deploy/lab.sh: hosts as network namespaces, each with its own dockerd
#
# SHOAL_HOSTS (default 3) hosts on SHOAL_LAB_SUBNET (default 10.231.0.0/24), lab SHOAL_LAB
# (default shoal). SHOAL_TLS=off starts a plaintext cluster (every part --insecure, etcd on http,
# no certificates): only for benchmarks that compare TLS with plaintext (bench/converge.sh).
# SHOAL_TRACES=off starts no trace store (Zipkin, on the bridge at port 9411 by default) and no
# part sends spans: for benchmarks that compare tracing with none. Everything lives in .dev/ (logs
# in .dev/logs, the hosts' engines in .dev/lab). Every Shoal part runs under deploy/supervise.sh,
# which starts it again when it dies (1 s, doubling to 30 s); `down` and `host kill-agent` stop
# the supervisor first, so what they stop stays stopped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEV="$ROOT/.dev"
LOGS="$DEV/logs"
PIDS="$DEV/pids"
JAVA_OPTS_DEFAULT="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx192m"
JAVA_OPTS="${SHOAL_JAVA_OPTS:-$JAVA_OPTS_DEFAULT}"
# The mesh-proxy is a long-running data path: C2's code is worth its compile time there
# (bench/mesh.sh measures it with these options); the heap and pooled buffers stay bounded.
MESH_JAVA_OPTS="${SHOAL_MESH_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -Xms64m -Xmx128m -XX:MaxDirectMemorySize=64m}"
# on: mutual TLS on every hop (the default); off: plaintext, for benchmarks only.
TLS="${SHOAL_TLS:-on}"
ETCD_SCHEME=https
[ "$TLS" = on ] || ETCD_SCHEME=http
ETCD_URL="$ETCD_SCHEME://127.0.0.1:2379"
# SHOAL_ETCD_MEMBERS=3 runs etcd as three members (clients on 2379, 2381, 2383; peers one port
# above each), every part given all of them: `dev.sh etcd kill|start N` then shows what a lost
# member, or a lost quorum, does (docs/RELIABILITY.md).
ETCD_MEMBERS="${SHOAL_ETCD_MEMBERS:-1}"
case "$ETCD_MEMBERS" in 1|3) ;; *) echo "dev.sh: SHOAL_ETCD_MEMBERS must be 1 or 3, not '$ETCD_MEMBERS'" >&2; exit 2 ;; esac
# The cluster CA (root-ca.pem, its key sealed under cluster.key) and a certificate directory per
# part (ca.pem cert.pem key.pem): etcd, control, registry, scheduler, dispatcher, cli, and per
# host mesh-HOST. Made fresh by every `up`. Agents join with the worker token instead (.dev/worker.token)
# and keep the certificate they get in their state dir (.dev/agents/HOST/certs).
PKI="$DEV/pki"
# Every write keeps an old revision until compacted; without this, etcd grows until its quota
# (2 GiB) and then refuses writes. Watchers further behind than this list again (StoreCache).
ETCD_COMPACTION_RETENTION="${SHOAL_ETCD_COMPACTION_RETENTION:-1h}"
LAB="${SHOAL_LAB:-shoal}"
LAB_SUBNET="${SHOAL_LAB_SUBNET:-10.231.0.0/24}"
HOST_COUNT="${SHOAL_HOSTS:-3}"
LAB_DIR="$DEV/lab"
# What `up` chose, for status, host and bench/converge.sh: LAB, BRIDGE_ADDR, REGISTRY_ADDR, ...
CLUSTER_ENV="$DEV/cluster.env"
# on: a Zipkin server on the bridge and every part (and the CLI, when it sets SHOAL_TRACE_ENDPOINT)
# sending spans to it, every trace kept; off: no trace store, no spans.
TRACES="${SHOAL_TRACES:-on}"
ZIPKIN_PORT=9411
# Prometheus, on the bridge; it finds every part through control's metrics port (9400, on 127.0.0.1).
PROMETHEUS_PORT=9090
CONTROL_METRICS_PORT=9400
# Control-plane ports, on 127.0.0.1 and on the bridge address.
CONTROL_PORT=7400 REGISTRY_SERVICE_PORT=7401 SCHEDULER_PORT=7402 DISPATCHER_PORT=7403
DEMO_PORT=8000
# The cluster page, served by control on loopback only (plain HTTP: see services/control/DESIGN.md).
WEB_PORT=7480
READY_SECONDS=90
CONVERGE_TIMEOUT=2m

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

# --- packages --------------------------------------------------------------------------------

ensure_packages() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  [ -x /usr/bin/busybox ] || missing+=(busybox-static)
  # Test images that serve UDP carry the host's socat (busybox has no UDP server).
  [ -x /usr/bin/socat ] || missing+=(socat)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  command -v mvn >/dev/null || missing+=(maven)
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v npx >/dev/null || missing+=(npm)
  # The cluster page's end-to-end test (ObservabilityIT.ClusterPage) drives Debian's Chromium.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # clients/generate.sh's Python client: protoc, gRPC's plugin, and Debian's Python runtime.
  command -v protoc >/dev/null || missing+=(protobuf-compiler)
  [ -x /usr/bin/grpc_python_plugin ] || missing+=(protobuf-compiler-grpc)
  [ -d /usr/lib/python3/dist-packages/grpc ] || missing+=(python3-grpcio)
  [ -d /usr/lib/python3/dist-packages/google/protobuf ] || missing+=(python3-protobuf)
  # Prometheus (`up` runs our own, start_prometheus) and promtool, which checks and unit-tests the
  # alert rules (deploy/prometheus).
  command -v promtool >/dev/null || missing+=(prometheus)
  # deploy/compose.yml's stack (ComposeStackIT) and the lint of deploy/'s scripts.
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  # systemd-analyze verifies deploy/systemd's units (deploy/test/systemd_verify.sh); no running systemd needed.
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    if [[ " ${missing[*]} " == *" prometheus "* ]]; then stop_package_prometheus; fi
  fi
}

# stop_package_prometheus: where services start on install (systemd, no policy-rc.d), Debian's
# package starts a system Prometheus on :9090 and its recommended node exporter on :9100, scraping
# nothing of ours, and `up`'s Prometheus could not bind :9090 on the bridge: stop and disable
# both, so the only Prometheus is the one `up` starts with its config and data in .dev/.
stop_package_prometheus() {
  local unit
  for unit in prometheus prometheus-node-exporter; do
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      systemctl disable --now "$unit.service" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$unit" ]; then
      "/etc/init.d/$unit" stop >/dev/null 2>&1 || true
      command -v update-rc.d >/dev/null && update-rc.d "$unit" disable >/dev/null 2>&1 || true
    fi
  done
}

# Modules `up` runs from their target/ directories (no `mvn install`: nothing else reads ~/.m2).
MODULES=(proto common/core common/store common/server common/tracing cli services/control services/registry
  services/scheduler services/dispatcher services/node-agent services/mesh-proxy)

module_jar() { # module_jar MODULE: its jar in target/, if built
  local jar
  for jar in "$ROOT/$1"/target/shoal-*.jar; do
    [ -f "$jar" ] && [[ $jar != *-tests.jar ]] && echo "$jar" && return
  done
}

# stale_module: prints the first module whose jar is missing or older than a source of its own
stale_module() {
  local m jar
  for m in "${MODULES[@]}"; do
    jar=$(module_jar "$m")
    if [ -z "$jar" ] || [ ! -f "$ROOT/$m/target/classpath.txt" ] ||
      [ -n "$(find "$ROOT/$m/src" "$ROOT/$m/pom.xml" "$ROOT/pom.xml" -type f -newer "$jar" -print -quit)" ]; then
      echo "$m"
      return
    fi
  done
}

build() {
  local stale
  stale=$(stale_module)
  if [ -z "$stale" ]; then
    say "the build is up to date"
    return
  fi
  say "building ($stale changed): mvn package -DskipTests"
  # shellcheck disable=SC2086 # SHOAL_MVN_FLAGS is a list of flags, e.g. -o
  (cd "$ROOT" && mvn -q -B ${SHOAL_MVN_FLAGS:-} package -DskipTests)
}

# --- processes ---------------------------------------------------------------------------------

# start NAME COMMAND...: runs in the background, pid in .dev/pids/NAME.pid, log in .dev/logs/NAME.log
start() {
  local name=$1; shift
  mkdir -p "$LOGS" "$PIDS"
  if running "$name"; then
    echo "    $name already running (pid $(cat "$PIDS/$name.pid"))"
    return
  fi
  setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! >"$PIDS/$name.pid"
  echo "    $name started (pid $!, log .dev/logs/$name.log)"
}

running() {
  [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null
}

# start_supervised NAME COMMAND...: as start, under deploy/supervise.sh, which starts COMMAND again
# when it dies (after 1 s, doubling to 30 s) and logs each restart in NAME's log. NAME.pid is the
# supervisor's: stopping it (stop_all, down) stops the part for good, nothing is restarted after.
# The part's own pid, its restarts and the last one are in .dev/pids/NAME.sv/ (status shows them).
start_supervised() {
  local name=$1; shift
  running "$name" || rm -rf "${PIDS:?}/$name.sv"
  start "$name" "$ROOT/deploy/supervise.sh" --name "$name" --state-dir "$PIDS/$name.sv" -- "$@"
}

# crash NAME: KILL to a supervised part, as a crash of its host would, that stays dead: its
# supervisor first (or it would start the part again), then the part
crash() {
  local supervisor child=""
  supervisor=$(cat "$PIDS/$1.pid")
  [ ! -f "$PIDS/$1.sv/child.pid" ] || child=$(cat "$PIDS/$1.sv/child.pid")
  kill -KILL "$supervisor" 2>/dev/null || true
  [ -z "$child" ] || kill -KILL "$child" 2>/dev/null || true
  rm -rf "${PIDS:?}/$1.pid" "${PIDS:?}/$1.sv"
}

# restarts_note NAME: ", 2 restarts (last: 12:01:02 control died (SIGKILL) after 41 s; ...)" for a
# supervised part that was restarted, "" otherwise
restarts_note() {
  local dir="$PIDS/$1.sv" count
  count=$(cat "$dir/restarts" 2>/dev/null || echo 0)
  [ "$count" != 0 ] || return 0
  printf ', %s restart%s (last: %s)' "$count" "$([ "$count" = 1 ] || echo s)" "$(cat "$dir/last" 2>/dev/null)"
}

stop() {
  stop_all "$1"
}

# stop_all NAME...: TERM to all at once, KILL to what still runs 10 s later. A supervised part's
# TERM goes to its supervisor, which stops the part (KILL after 8 s) and restarts nothing; the
# part's own pid is KILLed too, in case its supervisor had to be.
stop_all() {
  local name pid pids=() names=()
  for name in "$@"; do
    [ -f "$PIDS/$name.pid" ] || continue
    pid=$(cat "$PIDS/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid") names+=("$name")
      if [ -f "$PIDS/$name.sv/child.pid" ]; then pids+=("$(cat "$PIDS/$name.sv/child.pid")"); fi
    fi
    rm -rf "${PIDS:?}/$name.pid" "${PIDS:?}/$name.sv"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 1 ] || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  echo "    stopped ${names[*]}"
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds
wait_for() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what did not come up in ${seconds}s; see .dev/logs/"
}

# [OPTS="jvm options"] [IN_HOST=hK] java_service NAME MODULE MAIN ARGS...
# IN_HOST runs it inside that lab host's network namespace (deploy/lab.sh exec: nsenter --net).
java_service() {
  local name=$1 module=$2 main=$3 opts=${OPTS:-$JAVA_OPTS}; shift 3
  local jar cp inside=()
  jar=$(module_jar "$module")
  if [ -z "$jar" ] || [ ! -f "$ROOT/$module/target/classpath.txt" ]; then
    die "$module is not built; run: mvn -q package -DskipTests"
  fi
  cp="$jar:$(cat "$ROOT/$module/target/classpath.txt")"
  [ -z "${IN_HOST:-}" ] || inside=("$ROOT/deploy/lab.sh" exec "$LAB" "$IN_HOST")
  # shellcheck disable=SC2086,SC2046 # lists of flags
  start_supervised "$name" "${inside[@]}" java $opts $(class_sharing "$module" "$name" "$cp") \
    -Dorg.slf4j.simpleLogger.logFile=System.out -cp "$cp" "$main" "$@" $(trace_flags)
}

# trace_flags: where every part sends its spans (none with SHOAL_TRACES=off)
trace_flags() {
  [ "$TRACES" = off ] || echo --trace-endpoint "http://$BRIDGE_ADDR:$ZIPKIN_PORT"
}

# start_prometheus: Debian's Prometheus with deploy/prometheus's config and rules, its data in
# .dev/prometheus; every target comes from control (HTTP service discovery), none is listed here.
# Not with SHOAL_TLS=off: the parts' metrics are then plain HTTP, which the config does not speak.
start_prometheus() {
  [ "$TLS" = on ] || return 0
  local dir="$DEV/prometheus"
  rm -rf "$dir" && mkdir -p "$dir"
  sed -e "s|@INTERVAL@|10s|; s|@REFRESH@|10s|; s|@RULES@|$ROOT/deploy/prometheus/rules.yml|" \
    -e "s|@CERTS@|$PKI/prometheus|g; s|@CONTROL_METRICS@|127.0.0.1:$CONTROL_METRICS_PORT|g" \
    "$ROOT/deploy/prometheus/prometheus.yml.template" >"$dir/prometheus.yml"
  start prometheus prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="$BRIDGE_ADDR:$PROMETHEUS_PORT" --log.level=warn
}

# start_zipkin: the trace store, Zipkin's server (its exec jar from Maven Central, the version of
# the root pom's zipkin.version), in-memory, on the bridge address only: the hosts' agents reach
# it there, and nothing outside this machine does.
start_zipkin() {
  local version jar
  version=$(sed -n 's:.*<zipkin.version>\(.*\)</zipkin.version>.*:\1:p' "$ROOT/pom.xml")
  jar="$DEV/tools/zipkin-server-$version-exec.jar"
  if [ ! -s "$jar" ]; then
    say "fetching Zipkin's server $version (Maven Central)"
    # shellcheck disable=SC2086 # SHOAL_MVN_FLAGS is a list of flags, e.g. -o
    (cd "$ROOT" && mvn -q -B ${SHOAL_MVN_FLAGS:-} dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" \
      -DoutputDirectory="$DEV/tools")
  fi
  start zipkin java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -jar "$jar" \
    "--armeria.ports[0].ip=$BRIDGE_ADDR" "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].protocols[0]=http" \
    --zipkin.storage.type=mem
}

# class_sharing MODULE NAME CLASSPATH: the JVM flags that share MODULE's classes through an AppCDS
# archive in .dev/cds. The classes gRPC, Netty, jetcd and docker-java load are most of a JVM's
# start, and `up` starts twelve at once on two cores (ARCHITECTURE.md, "Starting fast"). With no
# archive yet, the first JVM of MODULE (NAME) writes one when it stops (`down`). The archive is
# named for its classpath (a JVM refuses an archive of another) and dropped once older than a jar.
class_sharing() {
  local stem="$DEV/cds/${1##*/}" archive writer
  archive="$stem-$(cksum <<<"$3" | cut -d' ' -f1).jsa"
  writer="$stem.writer"
  mkdir -p "$DEV/cds"
  # shellcheck disable=SC2046 # the classpath's jars, one argument each
  if [ -f "$archive" ] && [ -n "$(find $(tr ':' ' ' <<<"$3") -newer "$archive" -print -quit 2>/dev/null)" ]; then
    rm -f "$archive"
  fi
  if [ -f "$archive" ]; then
    echo "-XX:SharedArchiveFile=$archive"
  elif [ ! -f "$writer" ] || ! running "$(cat "$writer")"; then
    echo "$2" >"$writer"
    rm -f "$stem"-*.jsa
    echo "-XX:ArchiveClassesAtExit=$archive"
  fi
}

# --- the cluster CA ----------------------------------------------------------------------------

# pki_plan HOST...: the certificates of every part, one `ca issue` per line
pki_plan() {
  local part host
  echo "--role manager --name etcd --ip 127.0.0.1 --ip $BRIDGE_ADDR --dns localhost --out $PKI/etcd"
  for part in control registry scheduler dispatcher; do
    echo "--role manager --name $part --ip 127.0.0.1 --ip $BRIDGE_ADDR --out $PKI/$part"
  done
  echo "--role manager --name admin --out $PKI/cli"
  # Prometheus reads every part's /metrics, which asks for a manager's certificate.
  echo "--role manager --name prometheus --out $PKI/prometheus"
  for host in "$@"; do
    # mesh-proxies read etcd, which knows no narrower role: a manager's certificate (ARCHITECTURE.md).
    echo "--role manager --name mesh-$host --out $PKI/mesh-$host"
  done
}

# make_pki HOST...: a new CA and every part's certificate, in one JVM (`ca issue-batch`)
make_pki() {
  local jar
  rm -rf "$PKI"
  mkdir -p "$PKI" && chmod 700 "$PKI"
  jar=$(module_jar services/control)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  pki_plan "$@" | java $JAVA_OPTS -cp "$jar:$(cat "$ROOT/services/control/target/classpath.txt")" \
    io.shoal.control.ControlMain ca issue-batch --init --pki-dir "$PKI/ca" --cluster-key-file "$DEV/cluster.key" - \
    >/dev/null || die "making the cluster CA and its certificates failed"
}

# etcd_health: etcd answers over TLS with the CLI's certificate
etcd_health() {
  if [ "$TLS" = off ]; then
    curl -fsS "$ETCD_URL/health"
    return
  fi
  curl -fsS --cacert "$PKI/cli/ca.pem" --cert "$PKI/cli/cert.pem" --key "$PKI/cli/key.pem" "$ETCD_URL/health"
}

# --- infrastructure ----------------------------------------------------------------------------

# etcd_client_port N / etcd_peer_port N: member N's ports (member 0 keeps etcd's own 2379/2380)
etcd_client_port() { echo $((2379 + 2 * $1)); }
etcd_peer_port() { echo $((2380 + 2 * $1)); }

# etcd_endpoints HOST: every member's client URL on HOST, comma-separated (--etcd-endpoints)
etcd_endpoints() {
  local i urls=()
  for i in $(seq 0 $((ETCD_MEMBERS - 1))); do
    urls+=("$ETCD_SCHEME://$1:$(etcd_client_port "$i")")
  done
  (IFS=,; echo "${urls[*]}")
}

# start_etcd [N]: member N (all of them without N), clients on loopback for the control plane and
# on the bridge for the hosts' mesh-proxies; a member started again keeps its data and rejoins.
start_etcd() {
  local i tls=() cluster=() members
  if [ $# -gt 0 ]; then members=("$1"); else mapfile -t members < <(seq 0 $((ETCD_MEMBERS - 1))); fi
  if [ "$TLS" = on ]; then
    tls=(--client-cert-auth --trusted-ca-file "$PKI/etcd/ca.pem"
      --cert-file "$PKI/etcd/cert.pem" --key-file "$PKI/etcd/key.pem")
  fi
  for i in $(seq 0 $((ETCD_MEMBERS - 1))); do
    cluster+=("dev$i=http://127.0.0.1:$(etcd_peer_port "$i")")
  done
  for i in "${members[@]}"; do
    local port peer name=etcd
    port=$(etcd_client_port "$i") peer=$(etcd_peer_port "$i")
    [ "$ETCD_MEMBERS" = 1 ] || name="etcd-$i"
    mkdir -p "$DEV/etcd/$i"
    start "$name" etcd --name "dev$i" --data-dir "$DEV/etcd/$i/data" \
      --listen-client-urls "$ETCD_SCHEME://127.0.0.1:$port,$ETCD_SCHEME://$BRIDGE_ADDR:$port" \
      --advertise-client-urls "$ETCD_SCHEME://127.0.0.1:$port,$ETCD_SCHEME://$BRIDGE_ADDR:$port" \
      --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
      --initial-cluster "$(IFS=,; echo "${cluster[*]}")" --initial-cluster-token "shoal-dev" --log-level warn \
      --auto-compaction-mode periodic --auto-compaction-retention "$ETCD_COMPACTION_RETENTION" "${tls[@]}"
  done
}

# etcd_names: the pid-file names of etcd's members that were started, however many
etcd_names() {
  local f
  for f in "$PIDS"/etcd.pid "$PIDS"/etcd-*.pid; do
    [ -e "$f" ] && basename "$f" .pid
  done
  return 0
}

# cmd_etcd kill|start N: SIGKILL member N, or start it again (SHOAL_ETCD_MEMBERS=3 only)
cmd_etcd() {
  local action=${1:-} n=${2:-}
  load_cluster
  [ "$ETCD_MEMBERS" -gt 1 ] || die "etcd has one member; start the cluster with SHOAL_ETCD_MEMBERS=3"
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -ge "$ETCD_MEMBERS" ]; then
    die "usage: dev.sh etcd kill|start N (N from 0 to $((ETCD_MEMBERS - 1)))"
  fi
  case "$action" in
    kill) running "etcd-$n" || die "etcd member $n is not running"
      kill -KILL "$(cat "$PIDS/etcd-$n.pid")"; rm -f "$PIDS/etcd-$n.pid"; echo "    etcd member $n killed" ;;
    start) start_etcd "$n" ;;
    *) die "usage: dev.sh etcd kill|start N" ;;
  esac
}

# start_dockerd DIR NAME: a dockerd with its own socket, data root and exec root under DIR
start_dockerd() {
  local dir=$1 name=$2
  mkdir -p "$dir"
  start "$name" dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
    -H "unix://$dir/docker.sock"
  wait_for dockerd 60 docker -H "unix://$dir/docker.sock" info
}

docker_host() {
  echo "${SHOAL_DOCKER_HOST:-unix://$DEV/docker/docker.sock}"
}

# start_registry DIR NAME ADDR [nowait]
start_registry() {
  local dir=$1 name=$2 addr=$3
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr
YAML
  start "$name" docker-registry serve "$dir/config.yml"
  [ "${4:-}" = nowait ] || wait_for "registry on $addr" 30 curl -fsS "http://$addr/v2/"
}

# build_demo_image DOCKER_HOST IMAGE: busybox httpd serving a page, pushed to the registry
build_demo_image() {
  local host=$1 image=$2 rootfs="$DEV/demo-rootfs"
  rm -rf "$rootfs" # what a crashed up left
  mkdir -p "$rootfs/bin" "$rootfs/www/cgi-bin" "$rootfs/tmp"
  cp /usr/bin/busybox "$rootfs/bin/busybox"
  for tool in sh httpd sleep wget cat echo env id ls hostname; do ln -s busybox "$rootfs/bin/$tool"; done
  cat >"$rootfs/www/index.html" <<'HTML'
<!doctype html><title>Shoal demo</title><h1>Hello from a Shoal task</h1><p>See /cgi-bin/greeting</p>
HTML
  cat >"$rootfs/www/cgi-bin/greeting" <<'CGI'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s from %s\n' "${GREETING:-hello}" "$(hostname)"
CGI
  chmod +x "$rootfs/www/cgi-bin/greeting"
  # busybox as PID 1 ignores SIGTERM, so every stop would wait the whole grace period: a tiny
  # entrypoint forwards it, the way a well-behaved server image stops.
  cat >"$rootfs/bin/demo-init" <<'INIT'
#!/bin/sh
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
"$@" &
child=$!
wait "$child"
INIT
  chmod +x "$rootfs/bin/demo-init"
  tar -C "$rootfs" -c . | docker -H "$host" import --change 'ENTRYPOINT ["/bin/demo-init"]' - "$image" >/dev/null
  docker -H "$host" push "$image" >/dev/null
  rm -rf "$rootfs"
}

# --- the lab -----------------------------------------------------------------------------------

# bridge_addr CIDR: the subnet's first address, which deploy/lab.sh gives the bridge
bridge_addr() {
  local a b c d
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/[0-9]{1,2}$ ]] ||
    die "SHOAL_LAB_SUBNET '$1': expected a CIDR such as 10.231.0.0/24"
  a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} c=${BASH_REMATCH[3]} d=${BASH_REMATCH[4]}
  local n=$(((a << 24 | b << 16 | c << 8 | d) + 1))
  echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}

# load_cluster: the settings of the running cluster (written by `up`), or dies
load_cluster() {
  [ -s "$CLUSTER_ENV" ] || die "no cluster is up (deploy/dev.sh up)"
  # shellcheck source=/dev/null
  . "$CLUSTER_ENV"
}

# host_line HOST: "HOST ADDR unix://SOCKET" from the lab's host list, or one clear line and exit
host_line() {
  local line
  line=$(awk -v h="$1" '$1 == h' "$LAB_DIR/hosts" 2>/dev/null)
  [ -n "$line" ] || die "no host '$1' in lab $LAB (its hosts: $(awk '{print $1}' "$LAB_DIR/hosts" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'))"
  echo "$line"
}

# tls_flags PART MANAGER: PART's certificate directory and where it renews it; --insecure with SHOAL_TLS=off
tls_flags() {
  if [ "$TLS" = off ]; then
    echo --insecure
  else
    echo --cert-dir "$PKI/$1" --manager "$2"
  fi
}

# start_agent HOST ADDR DOCKER_HOST: HOST's node-agent, inside HOST, named after it
# It joins with the worker token the first time (its certificate then lives in its state dir).
start_agent() {
  local join=(--join-token-file "$DEV/worker.token" --manager "$BRIDGE_ADDR:$CONTROL_PORT")
  [ "$TLS" = on ] || join=(--insecure)
  IN_HOST=$1 java_service "agent-$1" services/node-agent io.shoal.agent.NodeAgentMain \
    --hostname "$1" --addr "$2" --docker-host "$3" --state-dir "$DEV/agents/$1" \
    --dispatcher "$BRIDGE_ADDR:$DISPATCHER_PORT" --registry "$BRIDGE_ADDR:$REGISTRY_SERVICE_PORT" "${join[@]}"
}

# worker_token: the worker join token, as `shoal cluster join-token -q worker` prints it, in .dev/worker.token
worker_token() {
  (umask 077 && "$ROOT/bin/shoal" cluster join-token -q worker >"$DEV/worker.token.new") \
    && mv "$DEV/worker.token.new" "$DEV/worker.token"
}

start_mesh() { # start_mesh HOST ADDR
  OPTS="$MESH_JAVA_OPTS" IN_HOST=$1 java_service "mesh-$1" services/mesh-proxy io.shoal.meshproxy.MeshProxyMain \
    --addr "$2" --etcd-endpoints "$(etcd_endpoints "$BRIDGE_ADDR")" $(tls_flags "mesh-$1" "$BRIDGE_ADDR:$CONTROL_PORT")
}

# --- the cluster -------------------------------------------------------------------------------

start_control_plane() {
  export SHOAL_ETCD_ENDPOINTS; SHOAL_ETCD_ENDPOINTS=$(etcd_endpoints 127.0.0.1)
  local both="127.0.0.1:%s,$BRIDGE_ADDR:%s"
  # shellcheck disable=SC2059 # the format is ours
  java_service registry services/registry io.shoal.registry.RegistryMain --cluster-key-file "$DEV/cluster.key" \
    $(tls_flags registry "127.0.0.1:$CONTROL_PORT") \
    --listen "$(printf "$both" $REGISTRY_SERVICE_PORT $REGISTRY_SERVICE_PORT)" --insecure-registry "$REGISTRY_ADDR"
  # shellcheck disable=SC2059
  # No network may overlap the lab's hosts or Docker's bridge (control's default pool is 10.0.0.0/8).
  java_service control services/control io.shoal.control.ControlMain \
    --listen "$(printf "$both" $CONTROL_PORT $CONTROL_PORT)" --registry "127.0.0.1:$REGISTRY_SERVICE_PORT" \
    --reserved-subnet "$LAB_SUBNET" --reserved-subnet 172.17.0.0/16 --cluster-key-file "$DEV/cluster.key" \
    --web-listen "127.0.0.1:$WEB_PORT" $([ "$TLS" = off ] || echo --prometheus-url "http://$BRIDGE_ADDR:$PROMETHEUS_PORT") \
    $([ "$TLS" = off ] || echo --pki-dir "$PKI/ca") $(tls_flags control "127.0.0.1:$CONTROL_PORT")
  # shellcheck disable=SC2059
  java_service scheduler services/scheduler io.shoal.scheduler.SchedulerMain \
    --listen "$(printf "$both" $SCHEDULER_PORT $SCHEDULER_PORT)" $(tls_flags scheduler "127.0.0.1:$CONTROL_PORT")
  # shellcheck disable=SC2059
  java_service dispatcher services/dispatcher io.shoal.dispatcher.DispatcherMain --cluster-key-file "$DEV/cluster.key" \
    --listen "$(printf "$both" $DISPATCHER_PORT $DISPATCHER_PORT)" $(tls_flags dispatcher "127.0.0.1:$CONTROL_PORT")
}

# ready_nodes: how many nodes `shoal node ls` shows Ready
ready_nodes() {
  "$ROOT/bin/shoal" node ls 2>/dev/null | grep -c ' Ready ' || true
}

elapsed() { # elapsed START_NS: "7.3s"
  local ms=$((($(date +%s%N) - $1) / 1000000))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

cmd_up() {
  # Before anything else: every later step needs it.
  [ "$(id -u)" = 0 ] || die "up needs root (it makes network namespaces, a bridge and iptables rules, and runs a dockerd per host): run sudo deploy/dev.sh up"
  [[ $HOST_COUNT =~ ^[1-9][0-9]?$ ]] || die "SHOAL_HOSTS '$HOST_COUNT': 1 to 99"
  [[ $TLS == on || $TLS == off ]] || die "SHOAL_TLS '$TLS': on (the default) or off (plaintext, for benchmarks)"
  [[ $TRACES == on || $TRACES == off ]] || die "SHOAL_TRACES '$TRACES': on (the default) or off (no trace store, for benchmarks)"
  ensure_packages
  build
  local started n
  if compgen -G "$PIDS/*.pid" >/dev/null || [ -e "/run/shoal-lab/$LAB" ] || [ -e "/var/run/netns/$LAB-h1" ]; then
    say "an earlier up left processes or its lab: taking them down first"
    cmd_down
  fi
  # A fresh cluster each time: the hosts' engines are new, so old tasks and nodes would only mislead.
  rm -rf "$DEV/etcd" "$DEV/agents" "$DEV/registry" "$CLUSTER_ENV"
  started=$(date +%s%N)

  BRIDGE_ADDR=$(bridge_addr "$LAB_SUBNET")
  REGISTRY_ADDR="$BRIDGE_ADDR:5000"
  DEMO_IMAGE="$REGISTRY_ADDR/demo/web:1"
  say "lab $LAB: $HOST_COUNT hosts on $LAB_SUBNET, bridge $LAB-br at $BRIDGE_ADDR"
  "$ROOT/deploy/lab.sh" up --name "$LAB" --hosts "$HOST_COUNT" --subnet "$LAB_SUBNET" --dir "$LAB_DIR" \
    --insecure-registry "$REGISTRY_ADDR" >/dev/null
  printf 'LAB=%q\nLAB_SUBNET=%q\nBRIDGE_ADDR=%q\nREGISTRY_ADDR=%q\nDEMO_IMAGE=%q\nHOSTS_FILE=%q\nTLS=%q\nTRACES=%q\nETCD_MEMBERS=%q\n' \
    "$LAB" "$LAB_SUBNET" "$BRIDGE_ADDR" "$REGISTRY_ADDR" "$DEMO_IMAGE" "$LAB_DIR/hosts" "$TLS" "$TRACES" \
    "$ETCD_MEMBERS" >"$CLUSTER_ENV"

  # The cluster key seals the CA's key, registry credentials (--with-registry-auth) and secrets; it never goes to etcd.
  if [ ! -s "$DEV/cluster.key" ]; then
    mkdir -p "$DEV" && (umask 077 && head -c 32 /dev/urandom | base64 > "$DEV/cluster.key")
  fi
  if [ "$TLS" = on ]; then
    say "making the cluster CA and every part's certificate in .dev/pki"
    # shellcheck disable=SC2046 # host names have no spaces
    make_pki $(awk '{print $1}' "$LAB_DIR/hosts")
  else
    say "SHOAL_TLS=off: no certificates; every part runs --insecure (plaintext, for benchmarks only)"
    rm -rf "$PKI"
    export SHOAL_INSECURE=1
  fi

  say "starting etcd and a registry on $BRIDGE_ADDR, control plane on 127.0.0.1 and $BRIDGE_ADDR"
  start_etcd
  start_registry "$DEV/registry" docker-registry "$REGISTRY_ADDR" nowait
  [ "$TRACES" = off ] || start_zipkin
  start_prometheus
  wait_for etcd 30 etcd_health
  start_control_plane
  if [ "$TLS" = on ]; then
    wait_for "control's join token" 60 worker_token
  else
    wait_for control 60 "$ROOT/bin/shoal" node ls
  fi

  local host addr sock first_sock=""
  say "starting a node-agent (joining with the worker token) and a mesh-proxy inside each host"
  while read -r host addr sock; do
    start_agent "$host" "$addr" "$sock"
    start_mesh "$host" "$addr"
    [ -n "$first_sock" ] || first_sock=$sock
  done <"$LAB_DIR/hosts"

  # The demo image is built on a host's engine while the JVMs start.
  wait_for "registry on $REGISTRY_ADDR" 30 curl -fsS "http://$REGISTRY_ADDR/v2/"
  say "building the demo image $DEMO_IMAGE on h1's engine"
  build_demo_image "$first_sock" "$DEMO_IMAGE"

  for _ in $(seq 1 "$READY_SECONDS"); do
    n=$(ready_nodes)
    [ "$n" -lt "$HOST_COUNT" ] || break
    sleep 1
  done
  [ "$n" -ge "$HOST_COUNT" ] || die "only $n of $HOST_COUNT nodes Ready after ${READY_SECONDS}s; see .dev/logs/agent-h*.log"
  say "deploying the demo service 'hello' (3 replicas, routing mesh on port $DEMO_PORT)"
  "$ROOT/bin/shoal" service create --name hello --replicas 3 --publish "$DEMO_PORT:80" --init \
    --timeout "$CONVERGE_TIMEOUT" --quiet "$DEMO_IMAGE" httpd -f -p 80 -h /www >/dev/null
  say "$HOST_COUNT hosts Ready and the demo converged in $(elapsed "$started")"

  echo
  echo "Shoal is up: $HOST_COUNT hosts of lab $LAB, control on 127.0.0.1:$CONTROL_PORT (and $BRIDGE_ADDR:$CONTROL_PORT)."
  echo "  bin/shoal node ls"
  echo "  bin/shoal service ps hello"
  echo "  http://127.0.0.1:$WEB_PORT/        (the cluster page: hosts, tasks, services, live)"
  if [ "$TLS" = on ]; then
    echo "  http://$BRIDGE_ADDR:$PROMETHEUS_PORT/          (Prometheus: every part, found through control; alerts in deploy/prometheus/rules.yml)"
  fi
  if [ "$TRACES" = on ]; then
    wait_for "Zipkin on $BRIDGE_ADDR:$ZIPKIN_PORT" 60 curl -fsS "http://$BRIDGE_ADDR:$ZIPKIN_PORT/health"
    echo "  SHOAL_TRACE_ENDPOINT=http://$BRIDGE_ADDR:$ZIPKIN_PORT bin/shoal service scale hello=4   (a traced command)"
    echo "  http://$BRIDGE_ADDR:$ZIPKIN_PORT/zipkin/        (traces: every part sends its spans to this Zipkin)"
  fi
  while read -r host addr sock; do
    printf '  curl http://%s:%s/%*s(%s, through its mesh-proxy to a task on any host)\n' \
      "$addr" "$DEMO_PORT" $((20 - ${#addr})) "" "$host"
  done <"$LAB_DIR/hosts"
  echo "  deploy/dev.sh host partition h2      (faults: partition|heal|stop-engine|kill-engine|start-engine|kill-agent|start-agent)"
  echo "  deploy/dev.sh down                   (stops everything this started, removes the lab)"
}

cmd_down() {
  say "stopping Shoal"
  local hosts=() f name
  for f in "$PIDS"/mesh-*.pid "$PIDS"/agent-*.pid; do
    [ -e "$f" ] && hosts+=("$(basename "$f" .pid)")
  done
  stop_all "${hosts[@]+"${hosts[@]}"}"
  stop_all prometheus dispatcher scheduler control registry zipkin
  # Containers, engines, namespaces, veths, the bridge and the lab's iptables rules.
  "$ROOT/deploy/lab.sh" down --name "$LAB" --dir "$LAB_DIR"
  # shellcheck disable=SC2046 # one name per member
  stop_all docker-registry $(etcd_names)
  # The CLI's daemon (bin/shoal) holds a channel to the control that just went.
  if [ -f "$ROOT/cli/target/classpath.txt" ]; then SHOAL_CLI_DAEMON=stop "$ROOT/bin/shoal"; fi
  # Whatever else an earlier dev.sh recorded (its single dockerd, say).
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if [ "$name" = dockerd ]; then remove_task_containers "$(docker_host)"; fi
    stop_all "$name"
  done
  rm -f "$CLUSTER_ENV"
}

# remove_task_containers DOCKER_HOST: the tasks an earlier dev.sh ran on its single dockerd
remove_task_containers() {
  local ids
  ids=$(docker -H "$1" ps -aq --filter label=io.shoal.task.id 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker -H "$1" rm -f $ids >/dev/null 2>&1 || true
}

cmd_status() {
  local name f any=0
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    any=1
    name=$(basename "$f" .pid)
    if running "$name"; then echo "running  $name (pid $(cat "$f"), log .dev/logs/$name.log)$(restarts_note "$name")";
    else echo "stopped  $name"; fi
  done
  [ $any = 1 ] || echo "nothing is running"
  [ -s "$CLUSTER_ENV" ] && [ -s "$LAB_DIR/hosts" ] || return 0
  load_cluster
  echo
  echo "lab $LAB: bridge $LAB-br at $BRIDGE_ADDR, registry $REGISTRY_ADDR"
  local host addr sock engine net
  while read -r host addr sock; do
    if curl -fsS --max-time 2 --unix-socket "${sock#unix://}" http://engine/_ping >/dev/null 2>&1; then
      engine="engine up"; else engine="engine DOWN"; fi
    if "$ROOT/deploy/lab.sh" exec "$LAB" "$host" iptables-save -t raw 2>/dev/null | grep -q shoal-lab:partition; then
      net=partitioned; else net=connected; fi
    printf '%-4s %-15s %-12s %-12s agent %-8s mesh %s\n' "$host" "$addr" "$engine" "$net" \
      "$(running "agent-$host" && echo running || echo stopped)" "$(running "mesh-$host" && echo running || echo stopped)"
  done <"$LAB_DIR/hosts"
  if running prometheus; then
    echo "Prometheus http://$BRIDGE_ADDR:$PROMETHEUS_PORT/ ($(prometheus_targets_up) targets up; alerts at /alerts)"
  fi
  if running zipkin; then echo "Zipkin     http://$BRIDGE_ADDR:$ZIPKIN_PORT/zipkin/"; fi
}

# prometheus_targets_up: "UP of ALL" from Prometheus's own list of what it found, or "?".
prometheus_targets_up() {
  curl -fsS --max-time 2 "http://$BRIDGE_ADDR:$PROMETHEUS_PORT/api/v1/targets?state=active" 2>/dev/null |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["data"]["activeTargets"]; print(sum(x["health"]=="up" for x in t), "of", len(t))' \
    2>/dev/null || echo "?"
}

# host FAULT HOST: the fault commands of deploy/lab.sh, and the agent's own process
cmd_host() {
  local fault=${1:-} host=${2:-} line
  case $fault in
    partition | heal | stop-engine | kill-engine | start-engine | kill-agent | start-agent) ;;
    *) die "usage: deploy/dev.sh host partition|heal|stop-engine|kill-engine|start-engine|kill-agent|start-agent HOST" ;;
  esac
  [ -n "$host" ] || die "usage: deploy/dev.sh host $fault HOST"
  [ "$(id -u)" = 0 ] || die "host $fault needs root: run sudo deploy/dev.sh host $fault $host"
  load_cluster
  line=$(host_line "$host")
  case $fault in
    kill-agent)
      running "agent-$host" || die "the node-agent of $host is not running (deploy/dev.sh host start-agent $host)"
      # A deliberate fault: its supervisor goes too, so it stays down until start-agent.
      crash "agent-$host"
      say "node-agent of $host killed (deploy/dev.sh host start-agent $host)" ;;
    start-agent)
      # shellcheck disable=SC2086 # HOST ADDR SOCKET
      start_agent $line ;;
    *)
      "$ROOT/deploy/lab.sh" "$fault" "$LAB" "$host" >/dev/null ;;
  esac
}

cmd_test() {
  ensure_packages
  [ "$(id -u)" = 0 ] || die "the tests start dockerd and labs of hosts, which need root"
  TEST_STARTED=$(date +%s)
  TEST_DIR="$DEV/test"
  rm -rf "$TEST_DIR"
  mkdir -p "$TEST_DIR"
  PIDS="$TEST_DIR/pids" LOGS="$TEST_DIR/logs"
  host_state >"$TEST_DIR/state.before"
  # The e2e tests' labs (test-support LabExtension) keep their engines here: a short path, as
  # the engines' socket paths must fit in 107 bytes. What a killed test JVM left is taken down
  # at the end.
  TEST_LABS=$(mktemp -d /tmp/shoal-test-labs.XXXXXX)
  export SHOAL_TEST_LAB_DIR="$TEST_LABS"
  OWN_DOCKERD=
  trap cleanup_test EXIT
  if docker -H "$(docker_host)" info >/dev/null 2>&1; then
    # Only one dockerd can own the docker0 bridge: share the running dev one.
    export SHOAL_TEST_DOCKER_HOST
    SHOAL_TEST_DOCKER_HOST=$(docker_host)
  else
    start_dockerd "$TEST_DIR/docker" dockerd
    OWN_DOCKERD=1
    export SHOAL_TEST_DOCKER_HOST="unix://$TEST_DIR/docker/docker.sock"
  fi
  local port
  port=$(free_port)
  start_registry "$TEST_DIR/registry" docker-registry "127.0.0.1:$port"
  export SHOAL_TEST_REGISTRY="127.0.0.1:$port"
  say "testing the lab of hosts (deploy/test/lab_test.sh)"
  bash "$ROOT/deploy/test/lab_test.sh"
  say "testing the supervisor of dev.sh's parts (deploy/test/supervise_test.sh)"
  bash "$ROOT/deploy/test/supervise_test.sh"
  say "linting the API (buf lint: STANDARD rules, and a comment on every element)"
  (cd "$ROOT/proto" && npx --yes @bufbuild/buf@1.75.0 lint)
  say "checking the API against the previous commit's (deploy/test/api_breaking.sh, buf breaking)"
  bash "$ROOT/deploy/test/api_breaking.sh"
  say "linting the packaging scripts (shellcheck: the archive's launchers, images.sh, the compose stack's)"
  shellcheck "$ROOT/deploy/images.sh" "$ROOT"/deploy/compose/*.sh
  shellcheck -s sh "$ROOT/dist/src/main/bin/shoal" "$ROOT/dist/src/main/bin/shoal-service"
  say "checking and unit-testing the alert rules (promtool, deploy/prometheus)"
  promtool check rules "$ROOT/deploy/prometheus/rules.yml"
  (cd "$ROOT/deploy/prometheus" && promtool test rules rules_test.yml)
  say "verifying the systemd units (deploy/test/systemd_verify.sh: systemd-analyze verify and security)"
  bash "$ROOT/deploy/test/systemd_verify.sh"
  say "installing the browser driver of the cluster page's test (e2e/page: npm ci)"
  (cd "$ROOT/e2e/page" && npm ci --no-audit --no-fund --silent)
  say "building every module and its tests (mvn -T 2 install -DskipTests)"
  (cd "$ROOT" && mvn -B -T 2 install -DskipTests)
  # The modules' tests beside the end-to-end tests, which need only the modules' jars: one after
  # the other the run took over 30 minutes with the cores idle for a third of it (the modules'
  # tests wait on etcd, dockerd and timers). The modules' output is printed once they end.
  local modules_log="$TEST_DIR/modules-tests.log" modules_pid modules_rc=0 e2e_rc=0
  say "running the modules' tests (mvn surefire:test -pl '!e2e', output below once they end) and, beside them, the e2e tests; dockerd $SHOAL_TEST_DOCKER_HOST, registry $SHOAL_TEST_REGISTRY"
  (cd "$ROOT" && mvn -B surefire:test -pl '!e2e') >"$modules_log" 2>&1 &
  modules_pid=$!
  (cd "$ROOT" && mvn -B surefire:test -pl e2e) || e2e_rc=$?
  wait "$modules_pid" || modules_rc=$?
  say "the modules' tests (mvn surefire:test -pl '!e2e'):"
  cat "$modules_log"
  [ "$modules_rc" = 0 ] || die "the modules' tests failed (exit $modules_rc; see above)"
  [ "$e2e_rc" = 0 ] || die "the e2e tests failed (exit $e2e_rc; see above)"
}

# cleanup_test: stops what `test` started, takes down the labs the tests left, and fails the run
# when a namespace, link, iptables rule or process is left that was not there before.
cleanup_test() {
  local rc=$? f
  say "stopping the test dockerd and registry; removing what the tests left"
  for f in /run/shoal-lab/*; do
    if [ -f "$f" ] && [[ $(cat "$f") == "$TEST_LABS"/* ]]; then
      "$ROOT/deploy/lab.sh" down --name "$(basename "$f")" || rc=1
    fi
  done
  rm -rf "$TEST_LABS"
  stop docker-registry
  if running dockerd; then
    # Our own test engine: whatever a failed test left behind goes with it.
    local host="unix://$TEST_DIR/docker/docker.sock" ids
    ids=$(docker -H "$host" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || docker -H "$host" rm -f $ids >/dev/null 2>&1 || true
    stop dockerd
  fi
  [ -z "$OWN_DOCKERD" ] || remove_engine_leftovers "$TEST_DIR/state.before" || rc=1
  restore_forward_policy "$TEST_DIR/state.before" || rc=1
  host_state >"$TEST_DIR/state.after"
  if ! diff "$TEST_DIR/state.before" "$TEST_DIR/state.after" >"$TEST_DIR/state.diff"; then
    echo "dev.sh test: left behind (> what is new, < what went):" >&2
    cat "$TEST_DIR/state.diff" >&2
    rc=1
  else
    echo "    nothing left behind: namespaces, links, iptables rules and processes as before"
  fi
  say "dev.sh test took $(($(date +%s) - TEST_STARTED)) s"
  exit "$rc"
}

# host_state: the root namespace's namespaces, links, forwarding and iptables rules (no
# counters), and the processes of the kinds the tests start
host_state() {
  local table
  echo "# ip_forward $(cat /proc/sys/net/ipv4/ip_forward)"
  echo "# netns"
  ip netns list | awk '{print $1}' | sort
  echo "# links"
  ip -o link | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort
  for table in filter nat mangle raw; do
    echo "# iptables $table"
    iptables-save -t "$table" | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'
  done
  # Mounts the tests make (task files' tmpfs, engines' data roots) live under /tmp/shoal-*.
  echo "# mounts"
  awk '$5 ~ "^/tmp/(shoal|stl)" {print $5}' /proc/self/mountinfo | sort
  echo "# processes"
  ps -eo pid=,args= | grep -E '[ /](etcd|docker-registry|socat|dockerd|containerd|containerd-shim[^ ]*|docker-proxy) |io\.shoal\.[a-z]+\.[A-Za-z]+Main|zipkin-server|/usr/bin/prometheus' |
    grep -v -e grep -e 'ps -eo' | sort -n || true
}

# remove_engine_leftovers STATE_BEFORE: a dockerd leaves its docker0 bridge, its iptables rules
# and chains, and the forwarding it turned on (with FORWARD's policy set to DROP) when it stops;
# undo those of the test's own dockerd.
remove_engine_leftovers() {
  local before=$1 table line spec
  if grep -qx '# ip_forward 0' "$before"; then
    echo 0 >/proc/sys/net/ipv4/ip_forward
  fi
  for table in filter nat; do
    while read -r line; do
      read -ra spec <<<"${line/#-A /-D }"
      iptables -w -t "$table" "${spec[@]}"
    done < <(iptables-save -t "$table" | grep -E '^-A .*(docker0|DOCKER)' | grep -vxF -f "$before" || true)
    while read -r line; do
      iptables -w -t "$table" -F "$line" && iptables -w -t "$table" -X "$line"
    done < <(iptables-save -t "$table" | sed 's/ \[[0-9]*:[0-9]*\]$//' | grep -E '^:DOCKER' |
      grep -vxF -f "$before" | sed 's/^:\([^ ]*\) .*/\1/' || true)
  done
  if ! grep -qx docker0 "$before" && ip link show docker0 >/dev/null 2>&1; then
    ip link del docker0
  fi
}

# restore_forward_policy STATE_BEFORE: FORWARD's policy (the filter table's, listed first) as it
# was, whichever it was: an engine sets DROP, and a CI run that stopped early left ACCEPT where
# DROP had been.
restore_forward_policy() {
  local policy
  policy=$(sed -n 's/^:FORWARD \([A-Z]*\).*/\1/p' "$1" | head -1)
  [ -z "$policy" ] || iptables -w -P FORWARD "$policy"
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found for the test registry"
}

# Sourced (deploy/test/supervise_test.sh), it only defines its functions.
[[ ${BASH_SOURCE[0]} == "$0" ]] || return 0
case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  host) shift; cmd_host "$@" ;;
  test) cmd_test ;;
  lab) shift; exec "$ROOT/deploy/lab.sh" "$@" ;;
  etcd) shift; cmd_etcd "$@" ;;
  *) echo "usage: deploy/dev.sh up|down|status|host|test|lab|etcd" >&2; exit 2 ;;
esac
