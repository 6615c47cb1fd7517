#!/bin/bash
# Start private loopback mail servers for worklog's tests under DIR (as root):
#   - a test CA and a server certificate for 127.0.0.1, plus an unrelated CA
#   - Dovecot, only as the SASL authenticator (user worklog, password secret)
#   - Postfix: 127.0.0.1:2525 plain SMTP without AUTH, 127.0.0.1:2587 STARTTLS required +
#     AUTH, 127.0.0.1:4465 implicit TLS + AUTH; every *@example.test is delivered into the
#     one Maildir DIR/mail/worklog (tests tell their mails apart by their own recipient);
#     nothing can leave the machine.
#   - DIR/sendmail: Postfix's sendmail bound to this instance (MAIL_CONFIG=DIR/etc).
# Writes DIR/env (KEY=VALUE lines) for the tests. Stop with tests/servers/stop.sh DIR.
# Ports can be moved with WORKLOG_TEST_PORT_PLAIN, _STARTTLS and _TLS.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
PLAIN=${WORKLOG_TEST_PORT_PLAIN:-2525}
STARTTLS=${WORKLOG_TEST_PORT_STARTTLS:-2587}
TLSPORT=${WORKLOG_TEST_PORT_TLS:-4465}

fail() {
    echo "start.sh: $*" >&2
    for f in "$DIR/log/maillog" "$DIR/log/dovecot.log"; do
        [ -f "$f" ] && { echo "--- tail of $f" >&2; tail -n 20 "$f" >&2; }
    done
    exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root (Postfix and Dovecot drop privileges themselves)"
for bin in postfix dovecot openssl; do
    command -v "$bin" >/dev/null 2>&1 || fail "$bin is not installed: run tests/servers/install.sh"
done

# The daemons run as postfix, dovecot and nobody: they must be able to reach DIR.
chmod 755 "$DIR"
mkdir -p "$DIR"/{etc,tls,spool,data,mail,log,dovecot/run,dovecot/state}
chown postfix "$DIR/data"
chown nobody:nogroup "$DIR/mail"

# --- TLS: a tiny CA, a server certificate for 127.0.0.1, and a CA nobody trusts.
if [ ! -f "$DIR/tls/server.pem" ]; then
    (
        cd "$DIR/tls"
        for ca in ca other-ca; do
            openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$ca.key" -out "$ca.pem" \
                -subj "/CN=worklog test $ca" \
                -addext "basicConstraints=critical,CA:TRUE" \
                -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        done
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
            -subj "/CN=127.0.0.1" 2>/dev/null
        printf '%s\n' "basicConstraints=critical,CA:FALSE" \
            "keyUsage=critical,digitalSignature,keyEncipherment" \
            "extendedKeyUsage=serverAuth" \
            "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
            -extfile server.ext -out server.pem 2>/dev/null
        chmod 644 ./*.pem
        chmod 600 ./*.key
    ) || fail "could not make the test certificates"
fi

# --- Dovecot: SASL only.
cat >"$DIR/etc/dovecot-passwd" <<EOF
worklog:{PLAIN}secret
EOF
chmod 644 "$DIR/etc/dovecot-passwd"
cat >"$DIR/etc/dovecot.conf" <<EOF
protocols = none
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
log_path = $DIR/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DIR/etc/dovecot-passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$DIR/mail/%n
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF

# --- Postfix.
cat >"$DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $DIR/etc
queue_directory = $DIR/spool
data_directory = $DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.worklog.test
mydomain = worklog.test
myorigin = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
readme_directory = no
smtputf8_enable = no
virtual_mailbox_domains = example.test
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = texthash:$DIR/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
default_transport = error:outbound mail disabled
relay_transport = error:outbound mail disabled
local_transport = error:local delivery disabled
maillog_file = $DIR/log/maillog
maillog_file_prefixes = $DIR/log
smtpd_tls_cert_file = $DIR/tls/server.pem
smtpd_tls_key_file = $DIR/tls/server.key
smtpd_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
EOF
cat >"$DIR/etc/vmailbox" <<EOF
@example.test  worklog/
EOF
AUTH="-o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject"
cat >"$DIR/etc/master.cf" <<EOF
127.0.0.1:$PLAIN   inet n - n - - smtpd
127.0.0.1:$STARTTLS inet n - n - - smtpd -o smtpd_tls_security_level=encrypt $AUTH
127.0.0.1:$TLSPORT  inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt $AUTH
pickup     unix  n - n 60   1 pickup
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
local      unix  - n n -    - local
virtual    unix  - n n -    - virtual
lmtp       unix  - - n -    - lmtp
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF

# Postfix's sendmail for this instance (root may name any MAIL_CONFIG).
cat >"$DIR/sendmail" <<EOF
#!/bin/sh
MAIL_CONFIG=$DIR/etc exec /usr/sbin/sendmail "\$@"
EOF
chmod 755 "$DIR/sendmail"

# --- Start (again, if a previous run left them up).
"$(dirname "$0")/stop.sh" "$DIR" >/dev/null 2>&1 || true
dovecot -c "$DIR/etc/dovecot.conf" </dev/null >/dev/null 2>&1 || fail "dovecot did not start"
postfix -c "$DIR/etc" start </dev/null >/dev/null 2>&1 || fail "postfix did not start"

wait_for() {
    local what=$1 test=$2
    for _ in $(seq 1 300); do
        if eval "$test"; then return 0; fi
        sleep 0.1
    done
    fail "$what did not come up within 30 s"
}
wait_for "dovecot auth socket" "[ -S '$DIR/dovecot/run/auth-postfix' ]"
for port in "$PLAIN" "$STARTTLS" "$TLSPORT"; do
    wait_for "postfix on 127.0.0.1:$port" "(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
done

cat >"$DIR/env" <<EOF
SMTP_HOST=127.0.0.1
SMTP_PORT_PLAIN=$PLAIN
SMTP_PORT_STARTTLS=$STARTTLS
SMTP_PORT_TLS=$TLSPORT
SMTP_USERNAME=worklog
SMTP_PASSWORD=secret
CA_FILE=$DIR/tls/ca.pem
OTHER_CA_FILE=$DIR/tls/other-ca.pem
MAILDIR=$DIR/mail/worklog
SENDMAIL=$DIR/sendmail
DOMAIN=example.test
EOF
echo "mail servers up under $DIR (env in $DIR/env)"
