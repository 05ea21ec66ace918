#!/usr/bin/env bash
# A lab of hosts on this one machine (issue #10): each host is a network namespace with one veth
# on a bridge in the root namespace and its own dockerd. Shoal's nodes and the e2e tests run on it.
#
#   deploy/lab.sh up --name LAB --hosts N [--subnet CIDR] [--dir DIR] [--insecure-registry ADDR]...
#       prints one line per host, "HOST ADDR unix://SOCKET" (also in DIR/hosts), on stdout
#   deploy/lab.sh down --name LAB [--dir DIR]            removes everything `up` made; idempotent
#   deploy/lab.sh partition|heal LAB HOST                cut HOST off the lab network, and back
#   deploy/lab.sh stop-engine|start-engine LAB HOST      stop and restart HOST's dockerd (data kept)
#   deploy/lab.sh kill-engine LAB HOST                   SIGKILL HOST's dockerd, as a crash would
#   deploy/lab.sh exec LAB HOST CMD...                   run CMD in HOST's network namespace
#
# Layout of lab LAB on subnet S (default 10.231.0.0/24):
#   bridge LAB-br holding S's first address (.1); host hK (K = 1..N) is the namespace LAB-hK,
#   with eth0 at S's address 10+K (.11, .12, ...) and a default route via the bridge; its peer in
#   the root namespace is the veth LAB-hK. hK's dockerd keeps data, exec root, pid file, socket
#   and log in DIR/hK (DIR defaults to .dev/lab/LAB). /run/shoal-lab/LAB names DIR, so the other
#   commands find it. The root namespace's iptables rules of the lab carry the comment
#   shoal-lab:LAB, and `down` deletes exactly the rules carrying it.
#
# Processes of a host must enter it with nsenter --net (as `exec` does), never `ip netns exec`:
# that remounts /sys, the cgroup mounts vanish and dockerd stops ("Devices cgroup isn't mounted").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR=/run/shoal-lab
DEFAULT_SUBNET=10.231.0.0/24
DOCKER_DEFAULT_BRIDGE=172.17.0.0/16
MAX_HOSTS=99
HOST_OFFSET=10
ENGINE_START_SECONDS=60
ENGINE_STOP_SECONDS=60
# A unix socket path holds at most 107 bytes; containerd's is the longest under a host's exec root.
LONGEST_SOCKET=exec/containerd/containerd.sock.ttrpc
PARTITION_TAG=shoal-lab:partition
declare -A ENGINE_PIDS=()

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'lab.sh: %s\n' "$*" >&2; exit 1; }
usage() {
  cat >&2 <<'TXT'
usage: deploy/lab.sh up --name LAB --hosts N [--subnet CIDR] [--dir DIR] [--insecure-registry ADDR]...
       deploy/lab.sh down --name LAB [--dir DIR]
       deploy/lab.sh partition|heal|stop-engine|kill-engine|start-engine LAB HOST
       deploy/lab.sh exec LAB HOST CMD...
TXT
  exit 2
}

need_root() {
  [ "$(id -u)" = 0 ] || die "needs root: it makes network namespaces, a bridge, veths and iptables rules, and runs dockerd; run it as root: sudo deploy/lab.sh $*"
}

check_name() {
  # Interface names hold at most 15 bytes: LAB-br and LAB-h99 must fit.
  [[ $1 =~ ^[a-z][a-z0-9-]{0,9}$ ]] || die "lab name '$1': 1 to 10 of a-z, 0-9 and '-', starting with a letter"
}

# --- addresses ---------------------------------------------------------------------------------

ip_to_int() {
  local a b c d
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} c=${BASH_REMATCH[3]} d=${BASH_REMATCH[4]}
  ((a < 256 && b < 256 && c < 256 && d < 256)) || return 1
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

int_to_ip() {
  echo "$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"
}

# overlaps NET1 LEN1 NET2 LEN2: two prefixes overlap when they agree on the shorter one's bits
overlaps() {
  local len=$(($2 < $4 ? $2 : $4)) mask
  mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  ((($1 & mask) == ($3 & mask)))
}

# check_subnet CIDR LAB: sets NET, PREFIX, or dies naming the route the subnet collides with
# (routes of LAB's own bridge do not count: `up` replaces that lab)
check_subnet() {
  local cidr=$1 lab=$2 addr len hosts_needed route dst rnet rlen
  [[ $cidr =~ ^([0-9.]+)/([0-9]{1,2})$ ]] || die "subnet '$cidr': expected a CIDR such as $DEFAULT_SUBNET"
  addr=${BASH_REMATCH[1]} len=${BASH_REMATCH[2]}
  NET=$(ip_to_int "$addr") || die "subnet '$cidr': '$addr' is not an IPv4 address"
  ((len >= 8 && len <= 30)) || die "subnet '$cidr': the prefix length must be 8 to 30"
  PREFIX=$len
  local mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  ((NET == (NET & mask))) || die "subnet '$cidr' has host bits set; did you mean $(int_to_ip $((NET & mask)))/$len?"
  hosts_needed=$((HOST_OFFSET + HOSTS + 1))
  ((hosts_needed < (1 << (32 - len)))) || die "subnet '$cidr' is too small for $HOSTS hosts at .$((HOST_OFFSET + 1)) and up"
  if overlaps "$NET" "$len" "$(ip_to_int 172.17.0.0)" 16; then
    die "subnet $cidr overlaps Docker's default bridge $DOCKER_DEFAULT_BRIDGE (every dockerd's docker0); pick another with --subnet"
  fi
  while read -r route; do
    [ -n "$route" ] || continue
    [[ " $route " != *" dev $lab-br "* ]] || continue
    dst=${route%% *}
    case $dst in
      unicast | local | broadcast | anycast | multicast | blackhole | unreachable | prohibit | throw | nat)
        dst=$(echo "$route" | awk '{print $2}') ;;
    esac
    [ "$dst" != default ] || continue
    rnet=${dst%/*}
    if [[ $dst == */* ]]; then rlen=${dst#*/}; else rlen=32; fi
    rnet=$(ip_to_int "$rnet") || continue
    if overlaps "$NET" "$len" "$rnet" "$rlen"; then
      die "subnet $cidr collides with the existing route '$route'; pick another with --subnet"
    fi
  done < <(ip -4 route show table all)
}

# --- state -------------------------------------------------------------------------------------

# lab_dir LAB DIR: DIR if given, else the one `up` recorded, else the default
lab_dir() {
  if [ -n "${2:-}" ]; then echo "$2"
  elif [ -s "$RUN_DIR/$1" ]; then cat "$RUN_DIR/$1"
  else echo "$ROOT/.dev/lab/$1"; fi
}

# lab_hosts LAB: the host names (h1 ...) whose namespace exists
lab_hosts() {
  ip netns list | awk '{print $1}' | sed -n "s/^$1-\(h[0-9]\{1,\}\)\$/\1/p" | sort -V
}

# load_lab LAB: sets DIR and the settings `up` wrote, or dies when no such lab is up
load_lab() {
  [ -s "$RUN_DIR/$1" ] || die "no lab named '$1' is up (see deploy/lab.sh up)"
  DIR=$(cat "$RUN_DIR/$1")
  [ -f "$DIR/lab.env" ] || die "lab '$1' has no $DIR/lab.env; run: deploy/lab.sh down --name $1"
  # shellcheck source=/dev/null
  . "$DIR/lab.env"
}

# host_netns LAB HOST: the namespace of HOST (h2 or LAB-h2), or one clear line and exit 1
host_netns() {
  local lab=$1 host=${2#"$1"-}
  if [[ $host =~ ^h[0-9]+$ ]] && [ -e "/var/run/netns/$lab-$host" ]; then
    echo "$lab-$host"
    return
  fi
  die "lab '$lab' has no host '$2' (its hosts: $(lab_hosts "$lab" | tr '\n' ' '| sed 's/ $//'))"
}

# --- engines -----------------------------------------------------------------------------------

socket_of() { echo "$DIR/$1/docker.sock"; }

engine_answers() {
  curl -fsS --max-time 2 --unix-socket "$(socket_of "$1")" http://engine/_ping >/dev/null 2>&1
}

# start_engine LAB HOST: hK's own dockerd, inside its namespace, in the background
start_engine() {
  local lab=$1 host=$2 d="$DIR/$2" flags=() reg
  mkdir -p "$d"
  for reg in "${INSECURE[@]}"; do flags+=(--insecure-registry "$reg"); done
  # Each engine has its own identity key: the default, /etc/docker/key.json, would give every
  # host's engine the same ID in `docker info`. (dockerd 20.10 takes it only from a config file.)
  printf '{"deprecated-key-path": "%s"}\n' "$d/key.json" >"$d/daemon.json"
  setsid nsenter --net="/var/run/netns/$lab-$host" \
    dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" -H "unix://$d/docker.sock" "${flags[@]}" \
    >"$d/dockerd.log" 2>&1 </dev/null &
  # setsid and nsenter exec, so this is dockerd's pid.
  ENGINE_PIDS[$host]=$!
}

# wait_engines HOST...: until every engine started here answers, or dies naming one that did not
wait_engines() {
  local deadline=$((SECONDS + ENGINE_START_SECONDS)) waiting=("$@") still host
  while [ ${#waiting[@]} -gt 0 ]; do
    still=()
    for host in "${waiting[@]}"; do
      engine_answers "$host" && continue
      kill -0 "${ENGINE_PIDS[$host]}" 2>/dev/null ||
        die "dockerd of $host exited: $(tail -n 1 "$DIR/$host/dockerd.log") (all of it in $DIR/$host/dockerd.log)"
      still+=("$host")
    done
    waiting=("${still[@]+"${still[@]}"}")
    [ ${#waiting[@]} -gt 0 ] || break
    if ((SECONDS >= deadline)); then
      die "dockerd of ${waiting[*]} did not answer in ${ENGINE_START_SECONDS}s; see $DIR/${waiting[0]}/dockerd.log"
    fi
    sleep 0.2
  done
}

# signal_engine SIGNAL HOST: SIGNAL to the host's dockerd; returns 0 once it is gone (or was not
# running), 1 if it still runs after ENGINE_STOP_SECONDS
signal_engine() {
  local pidfile="$DIR/$2/docker.pid" pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "-$1" "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((ENGINE_STOP_SECONDS * 5))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  return 1
}

# kill_engine HOST: KILL to the host's dockerd, as a crash would; returns once it is gone
kill_engine() {
  signal_engine KILL "$1" || die "dockerd of $1 outlived KILL for ${ENGINE_STOP_SECONDS}s"
}

# stop_engine HOST: TERM to the host's dockerd (it stops its containers and containerd), KILL late
stop_engine() {
  signal_engine TERM "$1" && return 0
  say "dockerd of $1 ignored TERM for ${ENGINE_STOP_SECONDS}s; killing it"
  signal_engine KILL "$1" || true
}

host_line() { # host_line HOST
  local k=${1#h}
  echo "$1 $(int_to_ip $((NET + HOST_OFFSET + k))) unix://$(socket_of "$1")"
}

# --- up ----------------------------------------------------------------------------------------

cmd_up() {
  local lab="" hosts="" subnet=$DEFAULT_SUBNET dir=""
  INSECURE=()
  while [ $# -gt 0 ]; do
    case $1 in
      --name) lab=${2:-}; shift 2 ;;
      --hosts) hosts=${2:-}; shift 2 ;;
      --subnet) subnet=${2:-}; shift 2 ;;
      --dir) dir=${2:-}; shift 2 ;;
      --insecure-registry) INSECURE+=("${2:-}"); shift 2 ;;
      *) usage ;;
    esac
  done
  { [ -n "$lab" ] && [ -n "$hosts" ]; } || usage
  check_name "$lab"
  if ! [[ $hosts =~ ^[0-9]+$ ]] || ((hosts < 1 || hosts > MAX_HOSTS)); then
    die "--hosts '$hosts': 1 to $MAX_HOSTS"
  fi
  HOSTS=$hosts
  for tool in ip iptables nsenter dockerd docker curl findmnt; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y iproute2 iptables util-linux docker.io curl)"
  done
  local started
  started=$(date +%s%N)
  check_subnet "$subnet" "$lab"
  DIR=${dir:-$ROOT/.dev/lab/$lab}
  # It goes into socket paths and the engines' JSON config.
  [[ $DIR =~ ^[A-Za-z0-9._/-]+$ ]] || die "--dir '$DIR': only letters, digits and . _ / - please"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  local sock="$DIR/h$HOSTS/$LONGEST_SOCKET"
  [ ${#sock} -le 107 ] || die "--dir '$DIR' is too long: the engine's socket $sock would pass the 107 bytes a unix socket path holds; use a shorter --dir"

  if [ -s "$RUN_DIR/$lab" ] || [ -n "$(lab_hosts "$lab")" ] || ip link show "$lab-br" >/dev/null 2>&1; then
    say "lab $lab exists (or an earlier up of it crashed): taking it down first"
    down_lab "$lab" "$(lab_dir "$lab" "")"
    [ "$(lab_dir "$lab" "")" = "$DIR" ] || down_lab "$lab" "$DIR" # what a crash left in this one
  fi

  mkdir -p "$RUN_DIR"
  echo "$DIR" >"$RUN_DIR/$lab"
  {
    printf 'SUBNET=%q\nNET=%q\nPREFIX=%q\nHOSTS=%q\nINSECURE=(' "$subnet" "$NET" "$PREFIX" "$HOSTS"
    for reg in "${INSECURE[@]}"; do printf '%q ' "$reg"; done
    printf ')\n'
  } >"$DIR/lab.env"
  # shellcheck disable=SC2064 # the values now, not at exit
  trap "say 'up failed; removing what it made (logs stay in $DIR/h*/dockerd.log)'; down_lab '$lab' '$DIR' 2>/dev/null" EXIT

  local bridge="$lab-br" gateway
  gateway=$(int_to_ip $((NET + 1)))
  say "lab $lab: bridge $bridge at $gateway/$PREFIX, $HOSTS hosts, engines in $DIR"
  ip link add "$bridge" type bridge forward_delay 0
  ip addr add "$gateway/$PREFIX" dev "$bridge"
  ip link set "$bridge" up
  # Two rules in the root namespace's FORWARD chain, and no more: hosts reach each other on one
  # L2 segment and the root namespace at the bridge address, so the root namespace routes
  # nothing for the lab and ip_forward stays as it is.
  # - With br_netfilter loaded (every dockerd loads it), traffic bridged between two hosts passes
  #   the FORWARD chain, whose policy a root dockerd sets to DROP: accept it.
  # - Whatever a host sends beyond the bridge is dropped, so the lab's traffic never leaves this
  #   machine, even where ip_forward is on and the policy is ACCEPT.
  iptables -w -I FORWARD -i "$bridge" ! -o "$bridge" -m comment --comment "shoal-lab:$lab" -j DROP
  iptables -w -I FORWARD -i "$bridge" -o "$bridge" -m comment --comment "shoal-lab:$lab" -j ACCEPT

  local k host ns
  for k in $(seq 1 "$HOSTS"); do
    host=h$k ns="$lab-h$k"
    ip netns add "$ns"
    ip link add "$ns" type veth peer name eth0 netns "$ns"
    ip link set "$ns" master "$bridge" up
    ip -n "$ns" addr add "$(int_to_ip $((NET + HOST_OFFSET + k)))/$PREFIX" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$gateway"
    rm -rf "${DIR:?}/$host"
    start_engine "$lab" "$host"
  done
  local all=()
  for k in $(seq 1 "$HOSTS"); do all+=("h$k"); done
  wait_engines "${all[@]}"
  trap - EXIT

  for host in "${all[@]}"; do host_line "$host"; done | tee "$DIR/hosts"
  say "lab $lab up: $HOSTS hosts in $(elapsed "$started") (deploy/lab.sh down --name $lab)"
}

elapsed() { # elapsed START_NS: "7.3s"
  local ms=$((($(date +%s%N) - $1) / 1000000))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

# --- down --------------------------------------------------------------------------------------

cmd_down() {
  local lab="" dir=""
  while [ $# -gt 0 ]; do
    case $1 in
      --name) lab=${2:-}; shift 2 ;;
      --dir) dir=${2:-}; shift 2 ;;
      *) usage ;;
    esac
  done
  [ -n "$lab" ] || usage
  check_name "$lab"
  down_lab "$lab" "$(lab_dir "$lab" "$dir")"
}

# down_lab LAB DIR: removes whatever of the lab exists, from a clean up or a crashed one
down_lab() {
  local lab=$1 removed=() DIR=$2
  local hosts=() host ns
  mapfile -t hosts < <({ lab_hosts "$lab"; [ -d "$DIR" ] && find "$DIR" -mindepth 1 -maxdepth 1 -name 'h[0-9]*' -printf '%f\n'; } | sort -uV)

  # Containers first, through their engines while those answer: a stopping dockerd would give
  # each one its whole stop grace period.
  for host in "${hosts[@]}"; do
    engine_answers "$host" || continue
    ( ids=$(docker -H "unix://$(socket_of "$host")" ps -aq 2>/dev/null || true)
      # shellcheck disable=SC2086
      [ -z "$ids" ] || docker -H "unix://$(socket_of "$host")" rm -f $ids >/dev/null 2>&1 || true ) &
  done
  wait

  local namespaces=()
  for host in "${hosts[@]}"; do
    if [ -e "/var/run/netns/$lab-$host" ]; then namespaces+=("$lab-$host"); fi
  done
  if [ ${#namespaces[@]} -gt 0 ]; then
    local count
    count=$(stop_processes "${namespaces[@]}")
    [ "$count" = 0 ] || removed+=("$count processes")
  fi

  # A killed engine leaves its mounts (overlays, container namespaces) under its directories.
  local mnt d
  if [ -d "$DIR" ]; then
    while read -r mnt; do
      umount "$mnt" 2>/dev/null || umount -l "$mnt"
    done < <(findmnt -rn -o TARGET | awk -v d="$DIR/" 'index($0, d) == 1' | sort -r)
  fi

  # The veth first: deleting it takes its peer in the namespace along at once, while a deleted
  # namespace releases its links only later.
  for host in "${hosts[@]}"; do
    ns="$lab-$host"
    if ip link show "$ns" >/dev/null 2>&1; then ip link del "$ns"; removed+=("veth $ns"); fi
    if [ -e "/var/run/netns/$ns" ]; then ip netns del "$ns"; removed+=("namespace $ns"); fi
  done
  if ip link show "$lab-br" >/dev/null 2>&1; then ip link del "$lab-br"; removed+=("bridge $lab-br"); fi

  local table rule spec
  for table in filter nat mangle raw; do
    while read -r rule; do
      rule=${rule//\"/} # iptables-save quotes the comment; ours holds no space
      read -ra spec <<<"${rule/#-A /-D }"
      iptables -w -t "$table" "${spec[@]}"
      removed+=("iptables -t $table $rule")
    done < <(iptables-save -t "$table" | grep -E -- "--comment \"?shoal-lab:$lab\"? " || true)
  done

  # The hosts' files go too; their dockerd logs stay for a look after a failure.
  if [ -d "$DIR" ]; then
    for d in "$DIR"/h[0-9]*/; do
      if [ -d "$d" ]; then find "$d" -mindepth 1 -maxdepth 1 ! -name dockerd.log -exec rm -rf {} +; fi
    done
    rm -f "$DIR/hosts" "$DIR/lab.env"
  fi
  rm -f "$RUN_DIR/$lab"
  if [ ${#removed[@]} -eq 0 ]; then
    say "lab $lab: nothing to remove"
  else
    say "lab $lab down: removed $(printf '%s, ' "${removed[@]}" | sed 's/, $//')"
  fi
}

# stop_processes NS...: stops every process inside the namespaces and what runs below them;
# prints how many there were
stop_processes() {
  local pids=() outside=() count=0
  # dockerd first: it stops its containerd, and would restart one that died under it.
  mapfile -t pids < <(ns_pids "$@" | while read -r pid; do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ] || echo "$pid"; done)
  terminate "${pids[@]+"${pids[@]}"}"
  count=${#pids[@]}
  # Then the rest inside (containerd, shims, docker-proxy, whatever `exec` started). Below them
  # but outside run the containers of an engine that was killed: those get KILL at once.
  mapfile -t pids < <(ns_pids "$@")
  if [ ${#pids[@]} -gt 0 ]; then
    mapfile -t outside < <(descendants "${pids[@]}" | grep -vxF -f <(printf '%s\n' "${pids[@]}") || true)
    [ ${#outside[@]} -eq 0 ] || kill -KILL "${outside[@]}" 2>/dev/null || true
    terminate "${pids[@]}"
    count=$((count + ${#pids[@]} + ${#outside[@]}))
  fi
  echo "$count"
}

ns_pids() { # ns_pids NS...
  local ns
  for ns in "$@"; do ip netns pids "$ns"; done
}

# terminate PID...: TERM, then KILL what still runs after ENGINE_STOP_SECONDS
terminate() {
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for _ in $(seq 1 $((ENGINE_STOP_SECONDS * 5))); do
    alive "$@" || return 0
    sleep 0.2
  done
  say "processes $* ignored TERM for ${ENGINE_STOP_SECONDS}s; killing them"
  kill -KILL "$@" 2>/dev/null || true
}

alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

# descendants PID...: every process below the given ones
descendants() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do { grew = 0
        for (p in parent) if (!(p in want) && (parent[p] in want)) { want[p] = 1; grew = 1 }
      } while (grew)
      for (p in want) print p
    }'
}

# --- faults ------------------------------------------------------------------------------------

# partition: DROP on the host's eth0 inside its namespace, in raw PREROUTING (everything coming
# in) and mangle POSTROUTING (everything going out, the host's own and its containers'). The host
# keeps its link and address, as a host cut off further along the network does: its connections
# time out rather than fail at once. The rules die with the namespace, and neither table holds
# rules of dockerd's.
partition_rule() { # partition_rule NS ACTION TABLE: ACTION is -C, -I or -D
  local chain=PREROUTING side=-i
  [ "$3" = raw ] || chain=POSTROUTING side=-o
  nsenter --net="/var/run/netns/$1" iptables -w -t "$3" "$2" "$chain" "$side" eth0 \
    -m comment --comment "$PARTITION_TAG" -j DROP 2>/dev/null
}

cmd_fault() {
  local what=$1 lab=${2:-} host=${3:-} ns table
  { [ -n "$lab" ] && [ -n "$host" ]; } || usage
  check_name "$lab"
  load_lab "$lab"
  ns=$(host_netns "$lab" "$host")
  host=${ns#"$lab"-}
  case $what in
    partition)
      for table in raw mangle; do
        partition_rule "$ns" -C "$table" || partition_rule "$ns" -I "$table"
      done
      say "$host partitioned: its eth0 drops everything in and out (deploy/lab.sh heal $lab $host)" ;;
    heal)
      for table in raw mangle; do
        while partition_rule "$ns" -C "$table"; do partition_rule "$ns" -D "$table"; done
      done
      say "$host healed" ;;
    stop-engine)
      stop_engine "$host"
      say "dockerd of $host stopped (deploy/lab.sh start-engine $lab $host)" ;;
    kill-engine)
      kill_engine "$host"
      say "dockerd of $host killed (deploy/lab.sh start-engine $lab $host)" ;;
    start-engine)
      if engine_answers "$host"; then say "dockerd of $host already answers"; else
        start_engine "$lab" "$host"
        wait_engines "$host"
        say "dockerd of $host answers again"
      fi
      host_line "$host" ;;
  esac
}

cmd_exec() {
  local lab=${1:-} host=${2:-} ns
  { [ -n "$lab" ] && [ -n "$host" ] && [ $# -ge 3 ]; } || usage
  check_name "$lab"
  ns=$(host_netns "$lab" "$host")
  shift 2
  exec nsenter --net="/var/run/netns/$ns" -- "$@"
}

case "${1:-}" in
  up | down | partition | heal | stop-engine | kill-engine | start-engine | exec) need_root "$@" ;;
  *) usage ;;
esac
case $1 in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  *) cmd_fault "$@" ;;
esac
