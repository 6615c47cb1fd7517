#!/usr/bin/env python3
"""Print the comparison table from the files benches/compare.sh leaves in its work dir."""
import json
import os
import sys

W, msgs = sys.argv[1], int(sys.argv[2])


def med(name):
    p = os.path.join(W, f"hf-{name}.json")
    if not os.path.exists(p):
        return None
    return json.load(open(p))["results"][0]["median"] * 1000


idx = {}
for line in open(os.path.join(W, "index-times.txt")):
    n, s, rss = line.split()
    idx[n] = (float(s), float(rss))
counts = {}
for line in open(os.path.join(W, "counts.txt")):
    parts = line.split()
    counts[(parts[0], parts[1])] = parts[2] if len(parts) > 2 else "?"


def rate(n):
    return msgs / idx[n][0] if n in idx and idx[n][0] > 0 else 0


print(f"linux-raid: {msgs} messages\n")
print("| full index | seconds | msgs/s | peak RSS MB | worklog (mbox) is x faster |")
print("|---|---|---|---|---|")
for n in ["worklog-mbox", "worklog-maildir", "notmuch", "mu"]:
    if n in idx:
        s, rss = idx[n]
        ratio = rate("worklog-mbox") / rate(n) if rate(n) else 0
        print(f"| {n} | {s:.2f} | {rate(n):.0f} | {rss:.0f} | {ratio:.1f}x |")
print()
print("| query (end to end, median ms) | worklog all hits | worklog first 10 | notmuch --output=messages | notmuch summary | mu find | rg | worklog/notmuch(msgs) | worklog/notmuch(summary) | counts wl/nm/mu |")
print("|---|---|---|---|---|---|---|---|---|---|")
for q, label in [("degraded", '"degraded array"'), ("from", "from:song@kernel.org"), ("date", "date:2023-01-01..2023-12-31")]:
    wa, w10, nm, nms, mu = med(f"wl-{q}-all"), med(f"wl-{q}-10"), med(f"nm-{q}"), med(f"nms-{q}"), med(f"mu-{q}")
    rg = med(f"rg-{q}")
    f = lambda x: "-" if x is None else f"{x:.1f}"
    r1 = "-" if not (wa and nm) else f"{wa / nm:.2f}"
    r2 = "-" if not (wa and nms) else f"{wa / nms:.2f}"
    c = "/".join(counts.get((t, q), "?") for t in ["worklog", "notmuch", "mu"])
    print(f"| {label} | {f(wa)} | {f(w10)} | {f(nm)} | {f(nms)} | {f(mu)} | {f(rg)} | {r1} | {r2} | {c} |")
print()
print(f"no-op incremental `worklog index`: {med('wl-noop-index'):.1f} ms median")
print(f"worklog peak RSS while indexing (mbox): {idx.get('worklog-mbox', (0, 0))[1]:.0f} MB; (Maildir): {idx.get('worklog-maildir', (0, 0))[1]:.0f} MB")
