#!/usr/bin/env bash
# Top-10 recall of `worklog search` for paraphrased questions about known linux-raid
# messages (benches/recall-questions.tsv). Run it against an index of the archive:
#   WORKLOG=path/to/worklog benches/recall.sh   with WORKLOG_ROOT, WORKLOG_ARCHIVE_SOURCES,
#   HOME/XDG_CACHE_HOME set as for the indexing run (benches/compare.sh leaves one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=${WORKLOG:-worklog}
hit=0; n=0; loose=0
while IFS=$'\t' read -r id q; do
    case "$id" in '#'*|'') continue ;; esac
    n=$((n + 1))
    out=$("$B" search --json --limit 10 $q || true)
    rank=$(printf '%s\n' "$out" | python3 -c "
import json, sys
ids = [json.loads(l).get('message_id') for l in sys.stdin if l.strip()]
print(ids.index(sys.argv[1]) + 1 if sys.argv[1] in ids else 0)" "$id")
    if printf '%s\n' "$out" | grep -q '"loose":true'; then loose=$((loose + 1)); fi
    if [ "$rank" -gt 0 ]; then hit=$((hit + 1)); echo "rank $rank: $q"; else echo "miss:   $q"; fi
done < "$here/recall-questions.tsv"
echo "top-10 recall: $hit/$n ($((100 * hit / n))%); $loose questions answered with loose matches"
