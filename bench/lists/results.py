"""The list benchmark's part of results.md: the tables of bench/lists/run.sh
for the contenders lists (SQLite) and pg-lists (PostgreSQL), side by side,
with PostgreSQL's figures over SQLite's from the same run. Prints nothing
when neither ran.

    results.py OUT
"""

import os
import sys

ACCOUNTS = {"county": "county 230103", "city": "city 230100",
            "province": "province 230000"}
REQUESTS = {
    "first": "first page",
    "random": "a random page",
    "last": "last page",
    "state": "state=verified",
    "program": "program=dibao",
    "overdue": "overdue=1",
    "q": "q=000123 (part of a number)",
    "region": "region=230103 (one county)",
    "dashboard": "GET /api/v1/dashboard",
}
PAGES = {
    "cases-county": "#/cases?region=230103 (one county's list)",
    "cases": "#/cases (first page)",
    "cases-last": "#/cases?page=LAST",
    "cases-state": "#/cases?state=verified",
    "cases-q": "#/cases?q=000123",
    "dashboard": "#/dashboard",
}
LABELS = ("lists", "pg-lists")


def read(out, name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def ok(out, label):
    return not os.path.exists(os.path.join(out, label + ".failed"))


def ratio(a, b, fmt="%.2f"):
    return fmt % (b / a) if a and b else "-"


def main(out):
    ran = [lab for lab in LABELS if ok(out, lab) and
           os.path.exists(os.path.join(out, lab + ".tsv"))]
    lines = []
    for lab in LABELS:
        f = os.path.join(out, lab + ".failed")
        if os.path.exists(f):
            lines.append("%s failed: %s" % (lab, open(f).read().strip()))
    if not ran:
        if lines:  # nothing at all when neither was asked for
            print("\n\n".join(lines))
        return
    info = {lab: dict(r[:2] for r in read(out, lab + ".info")) for lab in ran}
    wrk = {lab: {(r[0], r[1], r[2]): r for r in read(out, lab + ".tsv")}
           for lab in ran}
    totals = {}
    for lab in ran:
        for (req, acct, _), r in wrk[lab].items():
            if req == "first":
                totals[acct] = r[8]
    first = info[ran[0]]
    lines.append(
        "- store: %s cases, of which the real ones (registered and worked "
        "through the API: %s) took %s s; the clones by SQL %s" % (
            "{:,}".format(int(totals.get("province", 0))),
            first.get("real", "?"), first.get("api_seconds", "?"),
            ", ".join("%s s on %s" % (info[lab].get("clone_seconds", "?"),
                                      "SQLite" if lab == "lists" else
                                      "PostgreSQL") for lab in ran)))
    lines.append("- cases each account sees: " + ", ".join(
        "%s %s" % (ACCOUNTS[a], "{:,}".format(int(totals[a])))
        for a in ACCOUNTS if a in totals))
    lines.append("- 1-minute load average as the wrk runs and the browser "
                 "runs started: " + ", ".join(
                     "%s %s and %s" % ("SQLite" if lab == "lists" else
                                       "PostgreSQL",
                                       info[lab].get("load_wrk", "?"),
                                       info[lab].get("load_console", "?"))
                     for lab in ran))
    s, p = wrk.get("lists", {}), wrk.get("pg-lists", {})

    def cell(v):
        if not v:
            return "- | - | -"
        if float(v[3]) == 0:  # not one answer within the run
            return "0 | - | -"
        rps = float(v[3])
        return "%s | %.2f | %.2f" % ("%.0f" % rps if rps >= 10 else "%.1f" % rps,
                                     float(v[4]), float(v[5]))

    bad = []
    for conns in ("1", "16"):
        lines.append("")
        lines.append("`GET /api/v1/cases?page_size=50&...` (and the "
                     "dashboard) under wrk, %s connection%s:" %
                     (conns, "" if conns == "1" else "s"))
        lines.append("")
        lines.append("| request | account | cases matching | SQLite req/s "
                     "| p50 ms | p99 ms | PostgreSQL req/s | p50 ms | p99 ms "
                     "| req/s PostgreSQL / SQLite |")
        lines.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        for acct in ACCOUNTS:
            for req in REQUESTS:
                x, y = s.get((req, acct, conns)), p.get((req, acct, conns))
                if not x and not y:
                    continue
                n = (x or y)[8]
                lines.append("| %s | %s | %s | %s | %s | %s |" % (
                    REQUESTS[req], ACCOUNTS[acct], "{:,}".format(int(n)),
                    cell(x), cell(y),
                    ratio(float(x[3]) if x else 0, float(y[3]) if y else 0)))
                for lab, v in (("SQLite", x), ("PostgreSQL", y)):
                    if v and (int(v[6]) or int(v[7])):
                        bad.append("%s %s %s at %s: %s non-2xx, %s socket "
                                   "errors" % (lab, req, acct, conns, v[6],
                                               v[7]))
    if bad:
        lines.append("")
        lines.append("Not every request succeeded: " + "; ".join(bad))

    ex = {lab: {r[0]: r for r in read(out, lab + ".export.tsv")}
          for lab in ran}
    if any(ex.values()):
        lines.append("")
        lines.append("`GET /api/v1/cases/export?format=csv`, the account's "
                     "whole list (three times each: median, slowest):")
        lines.append("")
        lines.append("| account | rows | bytes | SQLite s | slowest | "
                     "PostgreSQL s | slowest | time PostgreSQL / SQLite |")
        lines.append("|---|--:|--:|--:|--:|--:|--:|--:|")
        es, ep = ex.get("lists", {}), ex.get("pg-lists", {})
        for acct in ACCOUNTS:
            x, y = es.get(acct), ep.get(acct)
            if not x and not y:
                continue
            v = x or y
            lines.append("| %s | %s | %s | %s | %s | %s |" % (
                ACCOUNTS[acct], "{:,}".format(int(v[1])),
                "{:,}".format(int(v[2])),
                "%s | %s" % (x[3], x[4]) if x else "- | -",
                "%s | %s" % (y[3], y[4]) if y else "- | -",
                ratio(float(x[3]) if x else 0, float(y[3]) if y else 0)))

    co = {lab: {r[0]: r for r in read(out, lab + ".console.tsv")}
          for lab in ran}
    if any(co.values()):
        loads = next(r[1] for v in co.values() for r in v.values())
        lines.append("")
        lines.append("The console in headless Chromium as the province's "
                     "clerk: from the start of a full load of the page to "
                     "its `data-ready`, %s loads each (median, slowest), and "
                     "the median time of the page's API requests as the "
                     "browser saw them:" % loads)
        lines.append("")
        lines.append("| page | shows | SQLite ms | slowest | API ms | "
                     "PostgreSQL ms | slowest | API ms | "
                     "time PostgreSQL / SQLite |")
        lines.append("|---|---|--:|--:|--:|--:|--:|--:|--:|")
        cs, cp = co.get("lists", {}), co.get("pg-lists", {})
        problems = []
        for page in PAGES:
            x, y = cs.get(page), cp.get(page)
            if not x and not y:
                continue
            lines.append("| %s | %s | %s | %s | %s |" % (
                PAGES[page], (x or y)[5],
                "%s | %s | %s" % (x[2], x[3], x[4]) if x else "- | - | -",
                "%s | %s | %s" % (y[2], y[3], y[4]) if y else "- | - | -",
                ratio(float(x[2]) if x else 0, float(y[2]) if y else 0)))
            for lab, v in (("SQLite", x), ("PostgreSQL", y)):
                if v and v[6] != "0":
                    problems.append("%s %s: %s" % (lab, page, v[6]))
        if "dashboard" not in cs and "dashboard" not in cp:
            lines.append("")
            lines.append("No dashboard page in web/ at this commit: not timed.")
        if problems:
            lines.append("")
            lines.append("Console errors, warnings or failed requests "
                         "(bench/out/LABEL/console.err): " +
                         "; ".join(problems))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
