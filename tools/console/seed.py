"""Staff accounts and cases for the console, made through the service as
staff would make them: `make demo` runs it on the demo store, and the
browser tests on theirs.

    seed.py [--recorded] HEDUI WORKDIR POPULATION ACCOUNTS_JSON
            [hedui global options]

The accounts (one per role, and a clerk and verifier for each of two more
counties) are written to ACCOUNTS_JSON with their passwords and TOTP
secrets. The cases are synthetic families from POPULATION moved into
three counties of Harbin, and taken to different points of the workflow:
registered, verified (every conclusion the population gives), objected
and corrected. No case is decided: a decision waits for the objection
window's working days to pass.

With --recorded, the population's authorizations are in the store already
(`hedui consent import`, as `make demo` does): the cases are registered
without them and are authorized by those on record.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tests", "api"))
from hedui_api import Population, Service, Staff  # noqa: E402

PASSWORD = "hedui-demo-2026"
NODE_REGION = "230000"     # 黑龙江省: the demo node is a province's
HOME_COUNTY = "230103"     # 哈尔滨市南岗区: the demo's caseworkers
OTHER_COUNTIES = ("230102", "230104")  # 道里区, 道外区

# username, role, region, display name: one account per role first.
ACCOUNTS = [
    ("clerk", "clerk", HOME_COUNTY, "王芳（受理）"),
    ("verifier", "verifier", HOME_COUNTY, "李强（核对）"),
    ("approver", "approver", HOME_COUNTY, "张敏（审核确认）"),
    ("auditor", "auditor", NODE_REGION, "赵磊（审计）"),
    ("admin", "admin", NODE_REGION, "刘洋（管理员）"),
    ("clerk_230102", "clerk", "230102", "陈静（道里区受理）"),
    ("verifier_230102", "verifier", "230102", "杨帆（道里区核对）"),
    ("clerk_230104", "clerk", "230104", "黄丽（道外区受理）"),
    ("verifier_230104", "verifier", "230104", "周军（道外区核对）"),
]


def add_accounts(staff, path):
    out = []
    for username, role, region, name in ACCOUNTS:
        staff.add(username, role, region, PASSWORD, name)
        out.append({"username": username, "role": role, "region": region,
                    "display_name": name, "password": PASSWORD,
                    "totp_secret": staff.secrets.get(username, "")})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"accounts": out}, f, ensure_ascii=False, indent=1)
    return out


def call(svc, method, path, body, token, want):
    r = svc.request(method, path, body, token=token)
    if r.status != want:
        raise RuntimeError("%s %s: %r" % (method, path, r))
    return r.json() if r.body else None


def first_source(report):
    for s in report.get("sources", []):
        if s.get("figure") == "income" and s.get("member", -1) >= 0:
            return s
    return None


def seed_county(svc, staff, pop, county, count, clerk, verifier, recorded):
    """`count` cases in `county`: a fifth left for verification, the
    rest verified; of those, one in six objected and one in six of them
    corrected by excluding the disputed income record."""
    ct, vt = staff.token(svc, clerk), staff.token(svc, verifier)
    made = []
    for i in range(count):
        # numbered from 100001, clear of the population's own numbers, so
        # that a family of the population can still be registered as is
        no = "%s-2026-%06d" % (county, 100001 + i)
        app = dict(pop.take(county, relabel=True), application_no=no)
        call(svc, "POST", "/api/v1/cases", {
            "application": app,
            "authorizations": [] if recorded else pop.authorizations(app),
            "reason": "申请人到窗口提交申请"}, ct, 201)
        made.append(no)
        if i % 5 == 4:
            continue
        call(svc, "POST", "/api/v1/cases/%s/verify" % no,
             {"reason": "受理后核对"}, vt, 200)
        if i % 6 != 1:
            continue
        report = call(svc, "GET", "/api/v1/cases/%s/report" % no, None, vt,
                      200)
        source = first_source(report)
        item = "%s %s" % (source["feed"], source["key"]) if source else "收入"
        call(svc, "POST", "/api/v1/cases/%s/objection" % no,
             {"item": item, "reason": "申请人称该收入已停发"}, ct, 200)
        if i % 12 == 1 and source:
            pid = app["members"][source["member"]]["pid"].upper()
            masked = pid[:6] + "*" * 8 + pid[14:]
            call(svc, "POST", "/api/v1/cases/%s/corrections" % no, {
                "corrections": [{
                    "pid": pid, "feed": source["feed"],
                    "record_key": source["key"].replace(masked, pid),
                    "evidence": "单位出具的停薪证明"}],
                "reason": "核实后更正"}, vt, 200)
    return made


def main(hedui, work, pop_dir, accounts_path, db_args, per_county=40,
         recorded=False):
    staff = Staff(hedui, db_args)
    add_accounts(staff, accounts_path)
    pop = Population(pop_dir)
    svc = Service(hedui, db_args, work, NODE_REGION, {}, "seed").start()
    try:
        total = 0
        for county, clerk, verifier in (
                (HOME_COUNTY, "clerk", "verifier"),
                (OTHER_COUNTIES[0], "clerk_230102", "verifier_230102"),
                (OTHER_COUNTIES[1], "clerk_230104", "verifier_230104")):
            total += len(seed_county(svc, staff, pop, county, per_county,
                                     clerk, verifier, recorded))
    finally:
        svc.stop()
    print("seed: %d accounts, %d cases in %d counties" %
          (len(ACCOUNTS), total, 1 + len(OTHER_COUNTIES)))


if __name__ == "__main__":
    a = sys.argv[1:]
    recorded = bool(a) and a[0] == "--recorded"
    a = a[1:] if recorded else a
    if len(a) < 4:
        sys.exit(__doc__)
    main(a[0], a[1], a[2], a[3], a[4:],
         int(os.environ.get("SEED_CASES_PER_COUNTY", "40")), recorded)
