#!/usr/bin/env bash
# Top-10 recall of `worklog search` for paraphrased questions about known linux-raid
# messages (benches/recall-questions.tsv). Run it against an index of the archive:
#   WORKLOG=path/to/worklog benches/recall.sh   with WORKLOG_ROOT, WORKLOG_ARCHIVE_SOURCES,
#   HOME/XDG_CACHE_HOME set as for the indexing run (benches/compare.sh leaves one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=${WORKLOG:-worklog}
hit=0; thread=0; n=0; loose=0
while IFS=$'\t' read -r id q; do
    case "$id" in '#'*|'') continue ;; esac
    n=$((n + 1))
    out=$("$B" search --json --limit 10 $q || true)
    target=$("$B" search --json "id:$id" || true)
    read -r rank trank < <(printf '%s\n' "$out" | python3 -c "
import json, re, sys
def norm(s):
    s = s or ''
    while True:
        t = re.sub(r'^\s*((re|fwd?|aw)\s*:|\[[^]]*\])\s*', '', s, flags=re.I)
        if t == s:
            return s.strip().lower()
        s = t
hits = [json.loads(l) for l in sys.stdin if l.strip()]
ids = [h.get('message_id') for h in hits]
want = json.loads(sys.argv[2]) if sys.argv[2].strip() else {}
subj = norm(want.get('subject'))
r = ids.index(sys.argv[1]) + 1 if sys.argv[1] in ids else 0
t = next((i + 1 for i, h in enumerate(hits) if subj and norm(h.get('subject')) == subj), 0)
print(r, t)" "$id" "$target")
    if printf '%s\n' "$out" | grep -q '"loose":true'; then loose=$((loose + 1)); fi
    if [ "$trank" -gt 0 ]; then thread=$((thread + 1)); fi
    if [ "$rank" -gt 0 ]; then hit=$((hit + 1)); echo "rank $rank: $q"; else echo "miss:   $q (thread at ${trank:-0})"; fi
done < "$here/recall-questions.tsv"
echo "top-10 recall: $hit/$n ($((100 * hit / n))%) for the message itself, $thread/$n ($((100 * thread / n))%) for its thread; $loose questions answered with loose matches"
