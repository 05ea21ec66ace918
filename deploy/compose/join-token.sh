#!/bin/sh
# deploy/compose.yml, service "join-token": once control answers, writes the worker join token
# into the volume mounted at /tokens, where the agent reads it; only this container holds the
# admin's certificate besides the CLI's users.
set -eu

# While control's port refuses, wait in the shell: a CLI JVM per try would take the CPU that
# control's own start needs.
refused() {
  timeout 1 nc "${SHOAL_HOST%:*}" "${SHOAL_HOST##*:}" </dev/null 2>&1 | grep -q refused
}
waited=0
while refused; do
  waited=$((waited + 1))
  [ "$waited" -lt 600 ] || { echo "join-token: control's port $SHOAL_HOST refused connections for 2 minutes; see its log (docker-compose logs control)" >&2; exit 1; }
  sleep 0.2
done
tries=0
until shoal cluster join-token -q worker >/tokens/worker.token.new 2>/tokens/last-error; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "join-token: control at $SHOAL_HOST did not answer in 90 tries: $(cat /tokens/last-error)" >&2
    exit 1
  fi
  sleep 1
done
chmod 600 /tokens/worker.token.new
mv /tokens/worker.token.new /tokens/worker.token
rm -f /tokens/last-error
echo "join-token: the worker token is in /tokens/worker.token"
