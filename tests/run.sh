#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs what the tests need (Debian
# packages, as root), starts the private mail servers on loopback, runs `cargo test`, and
# stops the servers again. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg_bin in rcs:rcs man-db:man xz-utils:xz git:git; do
    command -v "${pkg_bin#*:}" >/dev/null 2>&1 || need+=("${pkg_bin%%:*}")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash tests/servers/install.sh

servers=$(mktemp -d /tmp/worklog-servers.XXXXXX)
trap 'bash tests/servers/stop.sh "$servers" || true' EXIT
bash tests/servers/start.sh "$servers"
export WORKLOG_TEST_SERVERS="$servers" WORKLOG_REQUIRE_SERVERS=1

# Real data beside the checkout (../shared/corpora), when it is there.
if [ -d ../shared/corpora ]; then
    WORKLOG_CORPORA=$(cd ../shared/corpora && pwd)
    export WORKLOG_CORPORA
fi
if [ -n "${WORKLOG_CORPORA:-}" ] && [ -f tests/corpora/fetch-spamassassin.sh ]; then
    spam=${WORKLOG_SPAMASSASSIN:-/tmp/worklog-spamassassin}
    [ -d "$spam" ] || bash tests/corpora/fetch-spamassassin.sh "$spam"
    export WORKLOG_SPAMASSASSIN="$spam"
fi

cargo test "$@"
