#!/usr/bin/env bash
# Index linux-raid with worklog, notmuch and mu; run the three queries with each (and rg
# over the raw mbox for the phrase); print medians, ratios and worklog's peak RSS.
# Installs nothing: needs notmuch, mu (maildir-utils), rg, hyperfine, python3, xz,
# /usr/bin/time. Usage: benches/compare.sh [WORKDIR]   (default: a new temp dir)
# SKIP_INDEX=1 reuses the indexes of an earlier run in WORKDIR; RUNS=N hyperfine runs.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${WORKLOG_CORPORA:-$here/../shared/corpora}/linux-raid.mbox.xz
[ -f "$corpus" ] || corpus=/work/shared/corpora/linux-raid.mbox.xz
missing=()
for t in notmuch mu rg hyperfine python3 xz; do command -v "$t" >/dev/null || missing+=("$t"); done
[ -x /usr/bin/time ] || missing+=(/usr/bin/time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install with: apt-get install -y notmuch maildir-utils ripgrep hyperfine time xz-utils python3" >&2
    exit 1
fi

W=${1:-$(mktemp -d /tmp/worklog-bench.XXXXXX)}
mkdir -p "$W"
echo "work dir: $W" >&2
export TZ=UTC LC_ALL=C.UTF-8

if [ ! -f "$W/linux-raid.mbox" ]; then
    xz -dc "$corpus" > "$W/linux-raid.mbox"
fi
if [ ! -d "$W/Maildir/cur" ]; then
    python3 - "$W/linux-raid.mbox" "$W/Maildir" <<'PY'
import mailbox, sys
src = mailbox.mbox(sys.argv[1], create=False)
dst = mailbox.Maildir(sys.argv[2], create=True)
n = 0
for m in src:
    msg = mailbox.MaildirMessage(m)
    msg.set_subdir("cur")
    dst.add(msg)
    n += 1
print(f"split {n} messages", file=sys.stderr)
PY
fi
msgs=$(grep -c '^From ' "$W/linux-raid.mbox")

echo "building worklog --release ..." >&2
(cd "$here" && cargo build --release --quiet)
B=${CARGO_TARGET_DIR:-$here/target}/release/worklog

# worklog: a scratch HOME, an empty doc root, the archive as its only source.
wl_vars() { # home, source
    echo PATH="$PATH" TZ=UTC LC_ALL=C.UTF-8 HOME="$1" XDG_CACHE_HOME="$1/cache" XDG_DATA_HOME="$1/data" \
        GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.test \
        GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.test WORKLOG_ROOT="$W/wl-docs" \
        WORKLOG_ARCHIVE_SOURCES="$2"
}
read -r -a WL <<< "env -i $(wl_vars "$W/wl-home" "$W/linux-raid.mbox") $B"
read -r -a WL2 <<< "env -i $(wl_vars "$W/wl-home2" "$W/Maildir") $B"
NM=(env HOME="$W/nm-home" NOTMUCH_CONFIG="$W/notmuch-config" notmuch)
MU=(env HOME="$W/nm-home" mu)
if [ -z "${SKIP_INDEX:-}" ]; then
    rm -rf "$W/wl-home" "$W/wl-home2" "$W/wl-docs"; mkdir -p "$W/wl-home" "$W/wl-home2"
    "${WL[@]}" init "$W/wl-docs" --address w@example.test >/dev/null
fi

timed() { # name, command...: run once under /usr/bin/time -v, print seconds and max RSS (MB)
    local name=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$W/time-$name.txt" || true
    local el rss
    el=$(grep 'Elapsed (wall clock)' "$W/time-$name.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident' "$W/time-$name.txt" | awk '{print $NF}')
    python3 - "$name" "$el" "$rss" <<'PY' >> "$W/index-times.txt"
import sys
name, el, rss = sys.argv[1], sys.argv[2], int(sys.argv[3])
p = [float(x) for x in el.split(":")]
s = p[-1] + (p[-2] * 60 if len(p) > 1 else 0) + (p[-3] * 3600 if len(p) > 2 else 0)
print(f"{name} {s:.2f} {rss / 1024:.0f}")
PY
}
if [ -z "${SKIP_INDEX:-}" ]; then
: > "$W/index-times.txt"
echo "indexing with worklog (mbox) ..." >&2
timed worklog-mbox "${WL[@]}" index --rebuild
grep -h '^index:' "$W/time-worklog-mbox.txt" >&2 || true
echo "indexing with worklog (Maildir) ..." >&2
timed worklog-maildir "${WL2[@]}" index --rebuild
grep -h '^index:' "$W/time-worklog-maildir.txt" >&2 || true

echo "indexing with notmuch ..." >&2
rm -rf "$W/Maildir/.notmuch" "$W/nm-home"; mkdir -p "$W/nm-home"
cat > "$W/notmuch-config" <<CFG
[database]
path=$W/Maildir
[user]
name=Bench
primary_email=bench@example.test
[new]
tags=unread;inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
CFG
timed notmuch "${NM[@]}" new --quiet

echo "indexing with mu ..." >&2
rm -rf "$W/mu"
"${MU[@]}" init --quiet -m "$W/Maildir" --muhome "$W/mu" >/dev/null
timed mu "${MU[@]}" index --quiet --muhome "$W/mu"
fi

# Counts, so the table says what each tool answered.
{
    echo "worklog degraded $("${WL[@]}" search --count '"degraded array"')"
    echo "worklog from $("${WL[@]}" search --count from:song@kernel.org)"
    echo "worklog date $("${WL[@]}" search --count date:2023-01-01..2023-12-31)"
    echo "notmuch degraded $("${NM[@]}" count --output=messages '"degraded array"')"
    echo "notmuch from $("${NM[@]}" count --output=messages from:song@kernel.org)"
    echo "notmuch date $("${NM[@]}" count --output=messages date:2023-01-01..2023-12-31)"
    echo "mu degraded $("${MU[@]}" find --muhome "$W/mu" --fields=i '"degraded array"' 2>/dev/null | wc -l)"
    echo "mu from $("${MU[@]}" find --muhome "$W/mu" --fields=i from:song@kernel.org 2>/dev/null | wc -l)"
    echo "mu date $("${MU[@]}" find --muhome "$W/mu" --fields=i date:20230101..20231231 2>/dev/null | wc -l)"
    echo "rg degraded $(rg -c 'degraded array' "$W/linux-raid.mbox" || true)"
} > "$W/counts.txt"
cat "$W/counts.txt" >&2

# hyperfine runs under each tool's environment, so the timed command is the tool
# itself (no `env` exec in between): process start to last line.
hf() { # name, env prefix (array name), command line (run without a shell)
    local -n pre=$2
    "${pre[@]}" hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$W/hf-$1.json" --style none "$3" >/dev/null
}
WLE=("${WL[@]:0:${#WL[@]}-1}")
NME=("${NM[@]:0:${#NM[@]}-1}")
MUE=("${MU[@]:0:${#MU[@]}-1}")
NOE=(env)
wlq="$B"
nmq="notmuch"
muq="mu find --muhome $W/mu"
echo "timing queries ..." >&2
hf wl-degraded-all WLE "$wlq search --limit 100000 '\"degraded array\"'"
hf wl-from-all WLE "$wlq search --limit 100000 from:song@kernel.org"
hf wl-date-all WLE "$wlq search --limit 100000 date:2023-01-01..2023-12-31"
hf wl-degraded-10 WLE "$wlq search --limit 10 '\"degraded array\"'"
hf wl-from-10 WLE "$wlq search --limit 10 from:song@kernel.org"
hf wl-date-10 WLE "$wlq search --limit 10 date:2023-01-01..2023-12-31"
hf nm-degraded NME "$nmq search --output=messages '\"degraded array\"'"
hf nm-from NME "$nmq search --output=messages from:song@kernel.org"
hf nm-date NME "$nmq search --output=messages date:2023-01-01..2023-12-31"
hf nms-degraded NME "$nmq search '\"degraded array\"'"
hf nms-from NME "$nmq search from:song@kernel.org"
hf nms-date NME "$nmq search date:2023-01-01..2023-12-31"
hf mu-degraded MUE "$muq '\"degraded array\"'"
hf mu-from MUE "$muq from:song@kernel.org"
hf mu-date MUE "$muq date:20230101..20231231"
hf rg-degraded NOE "rg 'degraded array' $W/linux-raid.mbox"
hf wl-noop-index WLE "$wlq index"

python3 "$here/benches/table.py" "$W" "$msgs"
