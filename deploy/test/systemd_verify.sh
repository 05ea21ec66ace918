#!/usr/bin/env bash
# Verifies deploy/systemd's units with `systemd-analyze verify`, as a machine installed by
# docs/INSTALL.md would hold them: in a temporary root made of this machine's own units (the
# targets, Debian's etcd.service and docker.service), Shoal's units and etcd's drop-in in
# /etc/systemd/system, and the release archive's layout in /opt/shoal (its launchers as stubs).
# verify needs no running systemd, but every Exec*= binary must exist in that root: a unit
# naming a launcher the archive lacks fails here. Any warning fails too (an unknown or
# misspelt key is only a warning to systemd, and its hardening would silently not apply).
# Then rates each service's exposure with `systemd-analyze security`: those that run as the user
# shoal must stay "OK" (at most 4.0 of 10), so a hardening line lost fails; the root ones are shown.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
UNITS="$ROOT/deploy/systemd"
# The launchers of the release archive (dist/: shoal-VERSION/ unpacked as /opt/shoal).
ARCHIVE_BINS=(shoal shoal-control shoal-registry shoal-scheduler shoal-dispatcher shoal-agent shoal-mesh-proxy)

die() { printf 'systemd_verify.sh: %s\n' "$*" >&2; exit 1; }

command -v systemd-analyze >/dev/null ||
  die "systemd-analyze is missing: install Debian's systemd package (apt-get install -y systemd)"
[ -f /usr/lib/systemd/system/etcd.service ] ||
  die "Debian's etcd.service is missing, which etcd.service.d/shoal.conf extends: apt-get install -y etcd-server"

TMP=$(mktemp -d /tmp/shoal-systemd-verify.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAKE="$TMP/root"

# make_root: the machine's units and merged /usr, Shoal's units, the archive's launchers
make_root() {
  mkdir -p "$FAKE/usr/lib/systemd" "$FAKE/usr/bin" "$FAKE/usr/sbin" "$FAKE/etc/systemd/system" "$FAKE/opt/shoal/bin"
  cp -a /usr/lib/systemd/system "$FAKE/usr/lib/systemd/"
  ln -s usr/bin "$FAKE/bin" && ln -s usr/lib "$FAKE/lib" && ln -s usr/sbin "$FAKE/sbin"
  cp "$UNITS"/*.service "$UNITS"/*.timer "$FAKE/etc/systemd/system/"
  cp -r "$UNITS/etcd.service.d" "$FAKE/etc/systemd/system/"
  local bin
  for bin in "${ARCHIVE_BINS[@]}"; do stub "/opt/shoal/bin/$bin"; done
}

# stub PATH: an executable at PATH in the root
stub() {
  printf '#!/bin/sh\nexit 0\n' >"$FAKE$1"
  chmod 755 "$FAKE$1"
}

# stub_system_binaries UNIT...: the binaries outside /opt/shoal that the units run (chown,
# etcd), present on this machine as on any Debian one, as stubs in the root
stub_system_binaries() {
  local path
  while read -r path; do
    [[ $path == /opt/shoal/* ]] && continue
    [ -x "$path" ] || die "$path (an Exec*= of deploy/systemd) is not on this machine; a Debian machine has it?"
    mkdir -p "$(dirname "$FAKE$path")"
    stub "$path"
  done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$@" | sort -u)
}

# verify_units: every unit, and Debian's etcd.service with Shoal's drop-in, without a warning
verify_units() {
  local units=() unit names=() out
  units=("$FAKE"/etc/systemd/system/*.service "$FAKE"/etc/systemd/system/*.timer)
  stub_system_binaries "${units[@]}" "$FAKE/usr/lib/systemd/system/etcd.service"
  for unit in "${units[@]}"; do names+=("$(basename "$unit")"); done
  # etcd.service: Debian's, with Shoal's drop-in.
  names+=(etcd.service)
  echo "    systemd-analyze verify ${names[*]}"
  # verify takes unit names relative to the root's unit path, so drop-ins apply as installed.
  if ! out=$(cd "$FAKE/etc/systemd/system" && systemd-analyze verify --root="$FAKE" --man=no "${names[@]}" 2>&1); then
    printf '%s\n' "$out" >&2
    die "systemd-analyze verify failed (above); fix the unit in deploy/systemd it names"
  fi
  if [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    die "systemd-analyze verify warned (above): a warned-about key is ignored by systemd; fix it in deploy/systemd"
  fi
  echo "    every unit verified: ${#names[@]} units, no warning"
}

# security_ratings: each service's exposure (0 safest, 10 none); at most 4.0 for the user shoal's
security_ratings() {
  local unit threshold line
  for unit in "$FAKE"/etc/systemd/system/shoal-*.service; do
    threshold=100
    if grep -qx 'User=shoal' "$unit"; then threshold=40; fi
    if ! line=$(systemd-analyze security --offline=yes --root="$FAKE" --threshold="$threshold" --no-pager \
      "$unit" 2>&1 | tail -1); then
      line=${line##*: }
      die "$(basename "$unit") runs as shoal and is rated ${line%% *}; at most 4.0 is"\
        "allowed: put back the hardening line it lost (systemd-analyze security --offline=yes UNIT lists them)"
    fi
    echo "    ${line#→ }"
  done
}

make_root
verify_units
security_ratings
