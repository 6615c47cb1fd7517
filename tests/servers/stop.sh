#!/bin/sh
# Stop the private Postfix and Dovecot that tests/servers/start.sh DIR started.
# Leaves DIR (logs, delivered mail) in place for inspection.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
DIR=$1
status=0
if [ -f "$DIR/etc/main.cf" ] && [ -f "$DIR/spool/pid/master.pid" ]; then
    postfix -c "$DIR/etc" stop </dev/null >/dev/null 2>&1 || status=1
fi
if [ -f "$DIR/etc/dovecot.conf" ] && [ -f "$DIR/dovecot/run/master.pid" ]; then
    doveadm -c "$DIR/etc/dovecot.conf" stop </dev/null >/dev/null 2>&1 || {
        pid=$(cat "$DIR/dovecot/run/master.pid" 2>/dev/null)
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
    }
fi
exit $status
