#!/bin/sh
# Install what the loopback mail tests need (Debian 12, as root): Postfix (SMTP and the
# sendmail binary), Dovecot (SASL for SMTP AUTH), openssl (a test CA) and promtool.
# Idempotent: does nothing when everything is there; runs `apt-get update` only if needed.
set -eu

need=""
command -v postfix >/dev/null 2>&1 || need="$need postfix"
command -v dovecot >/dev/null 2>&1 || need="$need dovecot-core"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v promtool >/dev/null 2>&1 || need="$need prometheus"
[ -z "$need" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install.sh: need root to install:$need" >&2
    exit 1
fi

# The system instance stays unconfigured: the tests run their own private instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections

install() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"
}
# Keep the packages from starting their system daemons (prometheus, dovecot, postfix):
# the tests run private instances. Only when no policy is in place already.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi

# shellcheck disable=SC2086
if ! install $need; then
    apt-get -o DPkg::Lock::Timeout=600 update
    # shellcheck disable=SC2086
    install $need
fi
