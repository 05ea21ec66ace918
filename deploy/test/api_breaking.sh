#!/usr/bin/env bash
# Fails when the API (proto/) breaks compatibility with the previous commit's, by buf's FILE
# rules (proto/buf.yaml): a removed or renumbered field, a changed type, a renamed RPC... A break
# that is meant says so in the commit message, on a line of its own:
#   API-BREAK: why, and what clients must change
# and this check then names the breaks without failing. Run from anywhere inside the repository.
set -euo pipefail

BUF=(npx --yes @bufbuild/buf@1.75.0)
root=$(git rev-parse --show-toplevel)
cd "$root"

if ! base=$(git rev-parse --verify --quiet HEAD~1); then
  echo "api_breaking: HEAD has no parent commit here (a shallow clone?): nothing to compare the API with" >&2
  echo "api_breaking: clone with history (git fetch --deepen=1) to run this check" >&2
  exit 1
fi
against=".git#ref=$base,subdir=proto"
echo "api_breaking: proto/ against $(git log -1 --format='%h %s' "$base" | cut -c1-80)"
if git log -1 --format=%B HEAD | grep -q '^API-BREAK: '; then
  echo "api_breaking: HEAD declares a planned break:"
  git log -1 --format=%B HEAD | grep '^API-BREAK: ' | sed 's/^/  /'
  (cd proto && "${BUF[@]}" breaking --against "../$against") || true
  exit 0
fi
cd proto
if ! "${BUF[@]}" breaking --against "../$against"; then
  echo "api_breaking: the API breaks compatibility with $base (above). If that is meant, say why in the" >&2
  echo "commit message on a line 'API-BREAK: …'; otherwise keep the old field numbers, names and types" >&2
  exit 1
fi
echo "api_breaking: no breaking change"
