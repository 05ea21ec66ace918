#!/usr/bin/env bash
# Shoal's local stack on one machine: etcd, dockerd, a private registry and every Shoal
# service, with three nodes on 127.0.0.2-4 (ARCHITECTURE.md, "Many nodes on one machine").
#
#   deploy/dev.sh up       install what is missing, build, start the cluster and a demo service
#   deploy/dev.sh down     stop exactly what `up` started
#   deploy/dev.sh status   what runs, and where its log is
#   deploy/dev.sh test     every test, with its own dockerd and registry (what CI runs)
#   deploy/dev.sh lab ...  deploy/lab.sh: hosts as network namespaces, each with its own dockerd
#
# Everything lives in .dev/ (logs in .dev/logs). Set SHOAL_DOCKER_HOST to use a dockerd you
# already run instead of starting one.
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
ETCD_URL="http://127.0.0.1:2379"
# Every write keeps an old revision until compacted; without this, etcd grows until its quota
# (2 GiB) and then refuses writes. Watchers further behind than this list again (StoreCache).
ETCD_COMPACTION_RETENTION="${SHOAL_ETCD_COMPACTION_RETENTION:-1h}"
REGISTRY_ADDR="127.0.0.1:5000"
DEMO_IMAGE="$REGISTRY_ADDR/demo/web:1"
NODES=(2 3 4)

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
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build() {
  say "building (mvn install -DskipTests)"
  (cd "$ROOT" && mvn -q -B install -DskipTests)
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

stop() {
  local name=$1 pid
  [ -f "$PIDS/$name.pid" ] || return 0
  pid=$(cat "$PIDS/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "    $name stopped"
  fi
  rm -f "$PIDS/$name.pid"
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

java_service() { # [OPTS="jvm options"] java_service NAME MODULE MAIN ARGS...
  local name=$1 module=$2 main=$3 opts=${OPTS:-$JAVA_OPTS}; shift 3
  local jar cp
  jar=$(ls "$ROOT/$module"/target/shoal-*.jar 2>/dev/null | grep -v -- '-tests' | head -n1)
  [ -n "$jar" ] && [ -f "$ROOT/$module/target/classpath.txt" ] || die "$module is not built; run: mvn -q install -DskipTests"
  cp="$jar:$(cat "$ROOT/$module/target/classpath.txt")"
  # shellcheck disable=SC2086
  start "$name" java $opts -Dorg.slf4j.simpleLogger.logFile=System.out -cp "$cp" "$main" "$@"
}

# --- infrastructure ----------------------------------------------------------------------------

start_etcd() {
  mkdir -p "$DEV/etcd"
  start etcd etcd --name dev --data-dir "$DEV/etcd/data" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster dev=http://127.0.0.1:2380 --log-level warn \
    --auto-compaction-mode periodic --auto-compaction-retention "$ETCD_COMPACTION_RETENTION"
  wait_for etcd 30 curl -fsS "$ETCD_URL/health"
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

# start_registry DIR NAME ADDR
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
  wait_for "registry on $addr" 30 curl -fsS "http://$addr/v2/"
}

# build_demo_image DOCKER_HOST IMAGE: busybox httpd serving a page, pushed to the registry
build_demo_image() {
  local host=$1 image=$2 rootfs
  rootfs=$(mktemp -d)
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

# --- the cluster -------------------------------------------------------------------------------

start_shoal() {
  local host
  host=$(docker_host)
  export SHOAL_ETCD_ENDPOINTS="$ETCD_URL"
  # The cluster key seals registry credentials (--with-registry-auth) in etcd; it never goes there.
  if [ ! -s "$DEV/cluster.key" ]; then
    mkdir -p "$DEV" && (umask 077 && head -c 32 /dev/urandom | base64 > "$DEV/cluster.key")
  fi
  java_service registry services/registry io.shoal.registry.RegistryMain --cluster-key-file "$DEV/cluster.key"
  java_service control services/control io.shoal.control.ControlMain
  java_service scheduler services/scheduler io.shoal.scheduler.SchedulerMain
  java_service dispatcher services/dispatcher io.shoal.dispatcher.DispatcherMain
  for n in "${NODES[@]}"; do
    local node="node-$((n - 1))" addr="127.0.0.$n"
    java_service "agent-$node" services/node-agent io.shoal.agent.NodeAgentMain \
      --hostname "$node" --addr "$addr" --docker-host "$host" --state-dir "$DEV/agents/$node"
    OPTS="$MESH_JAVA_OPTS" java_service "mesh-$node" services/mesh-proxy io.shoal.meshproxy.MeshProxyMain --addr "$addr"
  done
}

cmd_up() {
  ensure_packages
  [ "$(id -u)" = 0 ] || [ -n "${SHOAL_DOCKER_HOST:-}" ] || die "dockerd needs root: run as root, or set SHOAL_DOCKER_HOST to a dockerd you run"
  build
  say "starting etcd, dockerd and a registry on $REGISTRY_ADDR"
  start_etcd
  [ -n "${SHOAL_DOCKER_HOST:-}" ] || start_dockerd "$DEV/docker" dockerd
  start_registry "$DEV/registry" docker-registry "$REGISTRY_ADDR"
  say "building the demo image $DEMO_IMAGE"
  build_demo_image "$(docker_host)" "$DEMO_IMAGE"
  say "starting Shoal: control, registry, scheduler, dispatcher, 3 agents and 3 mesh-proxies"
  start_shoal
  wait_for "three Ready nodes" 90 bash -c "'$ROOT/bin/shoal' node ls 2>/dev/null | grep -c ' Ready ' | grep -qx 3"
  if ! "$ROOT/bin/shoal" service inspect hello >/dev/null 2>&1; then
    say "deploying the demo service 'hello' (3 replicas, routing mesh on port 8000)"
    "$ROOT/bin/shoal" service create --name hello --replicas 3 --publish 8000:80 --init \
      "$DEMO_IMAGE" httpd -f -p 80 -h /www
  fi
  cat <<TXT

Shoal is up: 3 nodes on 127.0.0.2-4, control on 127.0.0.1:7400.
  bin/shoal service ls
  bin/shoal service ps hello
  curl http://127.0.0.2:8000/              (any node answers, through the routing mesh)
  deploy/dev.sh down                       (stops everything this started)
TXT
}

cmd_down() {
  say "stopping Shoal"
  for n in "${NODES[@]}"; do
    stop "mesh-node-$((n - 1))"
  done
  for n in "${NODES[@]}"; do
    stop "agent-node-$((n - 1))"
  done
  stop dispatcher
  stop scheduler
  stop control
  stop registry
  local host
  host=$(docker_host)
  if docker -H "$host" info >/dev/null 2>&1; then
    local ids
    ids=$(docker -H "$host" ps -aq --filter label=io.shoal.task.id)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086
      docker -H "$host" rm -f $ids >/dev/null && echo "    removed $(echo "$ids" | wc -l) task containers"
    fi
  fi
  stop docker-registry
  stop dockerd
  stop etcd
}

cmd_status() {
  local name
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || { echo "nothing is running"; return; }
    name=$(basename "$f" .pid)
    if running "$name"; then echo "running  $name (pid $(cat "$f"), log .dev/logs/$name.log)";
    else echo "stopped  $name"; fi
  done
}

cmd_test() {
  ensure_packages
  [ "$(id -u)" = 0 ] || die "the tests start dockerd, which needs root"
  local dir="$DEV/test"
  rm -rf "$dir"
  mkdir -p "$dir"
  PIDS="$dir/pids" LOGS="$dir/logs"
  trap 'say "stopping the test dockerd and registry"; cleanup_test' EXIT
  if docker -H "$(docker_host)" info >/dev/null 2>&1; then
    # Only one dockerd can own the docker0 bridge: share the running dev one.
    export SHOAL_TEST_DOCKER_HOST
    SHOAL_TEST_DOCKER_HOST=$(docker_host)
  else
    start_dockerd "$dir/docker" dockerd
    export SHOAL_TEST_DOCKER_HOST="unix://$dir/docker/docker.sock"
  fi
  local port
  port=$(free_port)
  start_registry "$dir/registry" docker-registry "127.0.0.1:$port"
  export SHOAL_TEST_REGISTRY="127.0.0.1:$port"
  say "linting the API (buf lint, STANDARD rules)"
  (cd "$ROOT/proto" && npx --yes @bufbuild/buf@1.75.0 lint)
  say "running every test (mvn install); dockerd $SHOAL_TEST_DOCKER_HOST, registry $SHOAL_TEST_REGISTRY"
  (cd "$ROOT" && mvn -B install)
}

cleanup_test() {
  stop docker-registry
  if running dockerd; then
    # Our own test engine: whatever a failed test left behind goes with it.
    local host="unix://$DEV/test/docker/docker.sock" ids
    ids=$(docker -H "$host" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || docker -H "$host" rm -f $ids >/dev/null 2>&1 || true
    stop dockerd
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found for the test registry"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  test) cmd_test ;;
  lab) shift; exec "$ROOT/deploy/lab.sh" "$@" ;;
  *) echo "usage: deploy/dev.sh up|down|status|test|lab" >&2; exit 2 ;;
esac
