"""The real cases of the list benchmark: staff accounts, and a few hundred
cases registered through the API in several counties of one province and
taken through the workflow as staff would (tools/console/seed.py's
seed_county: registered and authorized, verified, objected, corrected),
then some decided and archived. plan.py clones them into the many.

    setup_cases.py HEDUI WORK POP CASES ACCOUNTS_JSON [hedui global options]

CASES is how many real cases to make. ACCOUNTS_JSON gets the accounts the
benchmark signs in as (username, role, region, password).
"""

import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, os.path.join(root, "tests", "api"))
sys.path.insert(0, os.path.join(root, "tools", "console"))
from hedui_api import Population, Service, Staff  # noqa: E402
from seed import call, seed_county  # noqa: E402

PROVINCE = "230000"  # 黑龙江省
CITY = "230100"      # 哈尔滨市
COUNTY = "230103"    # 南岗区, in the city
# The counties the real cases are registered in: three of the city's and
# three of other cities', so that the clones copy cases of both.
REAL_COUNTIES = ("230102", COUNTY, "230104", "230202", "230602", "231002")
PASSWORD = "bench-lists-2026"

# username, role, region: who the benchmark reads the lists as (a clerk of
# a county, of a city, of the province), and who makes the cases.
ACCOUNTS = [
    ("lists_county", "clerk", COUNTY),
    ("lists_city", "clerk", CITY),
    ("lists_province", "clerk", PROVINCE),
    ("lists_verifier", "verifier", PROVINCE),
    ("lists_approver", "approver", PROVINCE),
]


def sql(db_args, text):
    """Run one statement on the case store; its rows as lists of text."""
    opts = dict(zip(db_args[0::2], db_args[1::2]))
    db = opts["--db"]
    if db.startswith(("postgres://", "postgresql://")):
        cmd = ["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v",
               "ON_ERROR_STOP=1", "-d", db, "-c", text]
    else:
        cmd = ["sqlite3", "-bail", "-cmd", ".timeout 10000", db, text]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def register_only(svc, pop, county, count, token):
    """Cases left registered: applications without their authorizations
    (numbered from 200001, clear of seed_county's)."""
    for i in range(count):
        no = "%s-2026-%06d" % (county, 200001 + i)
        app = dict(pop.take(county, relabel=True), application_no=no)
        call(svc, "POST", "/api/v1/cases", {
            "application": app, "authorizations": [],
            "reason": "申请人到窗口提交申请，授权书待补"}, token, 201)


def decide_some(svc, staff, db_args):
    """Two of three verified cases decided, half of those archived. A
    decision waits for the objection window's working days: the window
    is moved into the past in SQL, as the API tests do, rather than
    waited for."""
    verified = sql(db_args, "SELECT case_no, conclusion FROM case_file "
                   "WHERE state = 'verified' ORDER BY case_no")
    chosen = [(no, c) for i, (no, c) in enumerate(verified) if i % 3 != 2]
    if not chosen:
        return
    sql(db_args, "UPDATE case_file SET objection_until = '2000-01-03' "
        "WHERE case_no IN (%s)" % ", ".join("'%s'" % no for no, _ in chosen))
    token = staff.token(svc, "lists_approver")
    for i, (no, conclusion) in enumerate(chosen):
        call(svc, "POST", "/api/v1/cases/%s/decision" % no, {
            "decision": "approved" if conclusion == "meets" else "rejected",
            "reason": "核对报告无异议，审核确认"}, token, 200)
        if i % 2 == 0:
            call(svc, "POST", "/api/v1/cases/%s/archive" % no,
                 {"reason": "办结归档"}, token, 200)


def main(hedui, work, pop_dir, cases, accounts_path, db_args):
    staff = Staff(hedui, db_args)
    for username, role, region in ACCOUNTS:
        staff.add(username, role, region, PASSWORD, username)
    per_county = max(1, cases // len(REAL_COUNTIES))
    left_registered = max(1, per_county // 10)
    pop = Population(pop_dir, limit=cases * 4)
    svc = Service(hedui, db_args, work, PROVINCE, {"threads": 4},
                  "setup").start()
    try:
        clerk = staff.token(svc, "lists_province")
        for county in REAL_COUNTIES:
            seed_county(svc, staff, pop, county,
                        per_county - left_registered, "lists_province",
                        "lists_verifier", False)
            register_only(svc, pop, county, left_registered, clerk)
        decide_some(svc, staff, db_args)
    finally:
        svc.stop()
    with open(accounts_path, "w") as f:
        json.dump([{"username": u, "role": r, "region": g,
                    "password": PASSWORD} for u, r, g in ACCOUNTS], f)
    states = sql(db_args, "SELECT state, count(*) FROM case_file "
                 "GROUP BY state ORDER BY state")
    print("real cases: " + ", ".join("%s %s" % (s, n) for s, n in states))


if __name__ == "__main__":
    a = sys.argv
    if len(a) < 7:
        sys.exit(__doc__)
    main(a[1], a[2], a[3], int(a[4]), a[5], a[6:])
