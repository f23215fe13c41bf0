"""One case through every state of the workflow, each step made by the
role that does it in a verification centre: a clerk registers the
application with its members' authorizations, a verifier verifies it and
the report is downloaded, the family objects through the clerk, the
verifier corrects the disputed item and verifies again, an approver
decides and archives. Every step must show in the case's history and in
the audit trail, and the audit chain must verify; once decided, the
dashboard counts the case in its processing times and months, and a
county that is not the case's sees none of it."""

import datetime
import json
import os
import subprocess
import sys
import time

from hedui_api import Checks, Fixture

REGION = "230103"  # a county of Harbin
OTHER = "230102"   # another county of Harbin
DAY = 86400
CN = 8 * 3600      # China time, UTC+8


def main(argv):
    fx = Fixture(argv)
    c = Checks()
    staff = fx.staff
    staff.add("clerk1", "clerk", REGION)
    staff.add("verifier1", "verifier", REGION)
    staff.add("approver1", "approver", REGION)
    staff.add("approver2", "approver", OTHER)
    staff.add("auditor1", "auditor", "230000")
    svc = fx.service()
    try:
        walk(fx, c, svc)
        revocation(fx, c, svc)
        exports(fx, c, svc)
        conflicting_authorization(fx, c, svc)
    finally:
        fx.close()
    return c.done()


def case_of(c, reply, what, state):
    c.status(reply, (200, 201), what)
    body = reply.json() if reply.status < 300 else {}
    c.check(body.get("state") == state, what + ": state",
            "want %s, got %s" % (state, body.get("state")))
    return body


def walk(fx, c, svc):
    staff = fx.staff
    clerk = staff.token(svc, "clerk1")
    verifier = staff.token(svc, "verifier1")
    approver = staff.token(svc, "approver1")
    app = fx.pop.take(REGION)
    no = app["application_no"]
    truth = fx.pop.truth[no]
    auths = fx.pop.authorizations(app)

    # 1. The clerk registers it; with every member's authorization it is
    # authorized at once.
    r = svc.request("POST", "/api/v1/cases", {
        "application": app, "authorizations": auths,
        "reason": "申请人到窗口提交申请"}, token=clerk)
    case = case_of(c, r, "register", "authorized"
                   if truth["conclusion"] != "unauthorized" else "registered")
    c.check(case.get("case_no") == no, "register: case number")
    c.check(all("*" in m.get("pid", "*") for m in case.get("members", [])),
            "register: member IDs are masked", str(case.get("members")))
    c.check(case.get("report_due"), "register: report due date")

    # 2. The verifier verifies it: the report is issued.
    r = svc.request("POST", "/api/v1/cases/%s/verify" % no,
                    {"reason": "受理后核对"}, token=verifier)
    case = case_of(c, r, "verify", "verified")
    c.check(case.get("conclusion") == truth["conclusion"],
            "verify: conclusion as the truth",
            "%s vs %s" % (case.get("conclusion"), truth["conclusion"]))
    c.check(case.get("decision_due") and case.get("objection_until"),
            "verify: decision due date and objection window")

    # 3. The report, downloaded in each format.
    for fmt, ctype, magic in (("pdf", "application/pdf", b"%PDF"),
                              ("html", "text/html", b"<!DOCTYPE html"),
                              ("xlsx", "application/vnd.openxmlformats",
                               b"PK"),
                              ("json", "application/json", b"{")):
        r = svc.request("GET", "/api/v1/cases/%s/report?format=%s" %
                        (no, fmt), token=verifier)
        c.status(r, 200, "report " + fmt)
        c.check(r.headers.get("Content-Type", "").startswith(ctype),
                "report %s: type" % fmt, r.headers.get("Content-Type"))
        c.check(r.body.startswith(magic), "report %s: content" % fmt)
    report = svc.request("GET", "/api/v1/cases/%s/report" % no,
                         token=verifier).json()
    for m in app["members"]:
        c.check(m["pid"] not in json_text(report),
                "report: no full citizen ID")

    # 4. The family objects to one of the report's items, through the clerk.
    source = pick_source(report)
    r = svc.request("POST", "/api/v1/cases/%s/objection" % no, {
        "item": "%s %s" % (source["feed"], source["key"]) if source
        else "收入",
        "reason": "申请人称该收入已停发"}, token=clerk)
    case_of(c, r, "object", "objected")

    # 5. The verifier corrects the item, with the evidence, and verifies
    # again: the report shows the correction.
    r = svc.request("POST", "/api/v1/cases/%s/corrections" % no, {
        "corrections": [correction_for(app, source)],
        "reason": "核实后更正"}, token=verifier)
    case = case_of(c, r, "correct", "corrected")
    c.check(len(case.get("corrections", [])) == 1, "correct: listed")
    c.check(not any(m["pid"].upper() in json_text(case)
                    for m in app["members"]),
            "correct: no full citizen ID in the case, record keys included")
    detail = fx.query("SELECT detail FROM case_event WHERE case_no = '%s' "
                      "AND action = 'correct'" % no)
    ids = [k.get("id") for k in case.get("corrections", [])]
    c.check(detail and json.loads(detail[0][0]).get("corrections") == ids,
            "correct: the event names the corrections", str(detail))
    r = svc.request("POST", "/api/v1/cases/%s/verify" % no,
                    {"reason": "更正后重新核对"}, token=verifier)
    case_of(c, r, "re-verify", "verified")
    report = svc.request("GET", "/api/v1/cases/%s/report" % no,
                         token=verifier).json()
    c.check("更正" in json_text(report) or report.get("corrections"),
            "re-verify: the report shows the correction")
    # The command line replays the same verification, corrections and all.
    api_json = svc.request("GET", "/api/v1/cases/%s/report" % no,
                           token=verifier).body
    path = os.path.join(fx.work, "cli-report.json")
    out = subprocess.run([fx.hedui] + fx.db_args +
                         ["report", no, "--format", "json", "--out", path],
                         capture_output=True, text=True)
    c.check(out.returncode == 0, "hedui report", out.stderr)
    cli = json.load(open(path, encoding="utf-8")) if out.returncode == 0 else {}
    api = json.loads(api_json)
    for k in ("figures", "sources", "corrections", "conclusion"):
        c.check(cli.get(k) == api.get(k), "hedui report gives the API's " + k)

    # 6. The objection window passes (the days are simulated in the store:
    # the decision waits for it), then the approver decides and archives.
    # The buttons follow the window: no decision while it is open, no
    # objection after.
    def allowed(token):
        return svc.request("GET", "/api/v1/cases/" + no,
                           token=token).json().get("allowed_actions")
    c.check("decide" not in allowed(approver) and "object" in allowed(clerk),
            "window open: object, not decide", str(allowed(approver)))
    fx.close_objection_window(no)
    c.check("decide" in allowed(approver) and "object" not in allowed(clerk),
            "window closed: decide, not object", str(allowed(clerk)))
    r = svc.request("POST", "/api/v1/cases/%s/decision" % no, {
        "decision": "approved" if case.get("conclusion") == "meets"
        else "rejected", "reason": "经审核确认"}, token=approver)
    case_of(c, r, "decide", "decided")
    dashboard(fx, c, svc, no)
    r = svc.request("POST", "/api/v1/cases/%s/archive" % no,
                    {"reason": "办结归档"}, token=approver)
    case = case_of(c, r, "archive", "archived")

    # Every step in the history, by whom, in which role.
    steps = [(e.get("action"), e.get("username"), e.get("role"),
              e.get("from"), e.get("to")) for e in case.get("events", [])]
    want = [("register", "clerk1", "clerk", "", "registered")]
    if truth["conclusion"] != "unauthorized":
        want.append(("authorize", "clerk1", "clerk", "registered",
                     "authorized"))
    want += [("verify", "verifier1", "verifier", "authorized", "verified"),
             ("object", "clerk1", "clerk", "verified", "objected"),
             ("correct", "verifier1", "verifier", "objected", "corrected"),
             ("verify", "verifier1", "verifier", "corrected", "verified"),
             ("decide", "approver1", "approver", "verified", "decided"),
             ("archive", "approver1", "approver", "decided", "archived")]
    c.check(steps == want, "history", "\n got %s\nwant %s" % (steps, want))

    # ... and in the audit trail, which the auditor searches by case.
    auditor = staff.token(svc, "auditor1")
    r = svc.request("GET", "/api/v1/audit?case_no=%s&page_size=200" % no,
                    token=auditor)
    c.status(r, 200, "audit search")
    actions = [e.get("action") for e in r.json().get("entries", [])]
    for a in ("case.register", "case.verify", "verify", "report",
              "case.object", "case.correct", "case.decide", "case.archive",
              "case.view"):
        c.check(any(x == a for x in actions), "audit has " + a, str(actions))
    r = svc.request("GET", "/api/v1/audit/verify", token=auditor)
    c.status(r, 200, "audit verify")
    c.check(r.json().get("intact") is True, "audit chain intact", repr(r))
    out = subprocess.run([fx.hedui] + fx.db_args + ["audit", "verify"],
                         capture_output=True, text=True)
    c.check(out.returncode == 0, "hedui audit verify", out.stdout + out.stderr)


def dashboard(fx, c, svc, no):
    """The decided case in the dashboard's processing times and months.
    Its days are moved into the past in the store, as the objection
    window is (a real case takes weeks): registered 20 days ago, first
    verified 17 days ago, re-verified and decided today, so that the
    verification took 3 days and the decision 20 (unless the test runs
    across midnight in China: the expected days are worked out from the
    times stored, in China time)."""
    q = no.replace("'", "''")
    fx.query("UPDATE case_file SET opened_at = opened_at - %d "
             "WHERE case_no = '%s'" % (20 * DAY, q))
    fx.query("UPDATE case_event SET at = at - %d WHERE case_no = '%s' AND "
             "action IN ('register', 'authorize')" % (20 * DAY, q))
    fx.query("UPDATE case_event SET at = at - %d WHERE id = (SELECT min(id) "
             "FROM case_event WHERE case_no = '%s' AND action = 'verify')"
             % (17 * DAY, q))
    fx.query("UPDATE case_file SET verified_first_at = verified_first_at - %d "
             "WHERE case_no = '%s'" % (17 * DAY, q))
    approver = fx.staff.token(svc, "approver1")
    case = svc.request("GET", "/api/v1/cases/" + no, token=approver).json()
    events = case.get("events", [])

    def day(at):
        return (at + CN) // DAY

    opened = case["opened_at"]
    verified = min(e["at"] for e in events if e["action"] == "verify")
    decided = min(e["at"] for e in events if e["action"] == "decide")
    want = {"verification": day(verified) - day(opened),
            "decision": day(decided) - day(opened)}

    r = svc.request("GET", "/api/v1/dashboard", token=approver)
    c.status(r, 200, "dashboard")
    dash = r.json() if r.status == 200 else {}
    c.check(dash.get("total") == 1 and
            dash.get("by_decision") == {case.get("decision"): 1},
            "dashboard: the case counted", str(dash.get("by_decision")))
    c.check(dash.get("region_names", {}).get(REGION) == "南岗区",
            "dashboard: the region's name", str(dash.get("region_names")))
    proc = dash.get("processing", {})
    buckets = proc.get("buckets", [])
    c.check([(b.get("from_days"), b.get("to_days")) for b in buckets] ==
            [(0, 1), (2, 7), (8, 14), (15, 21), (22, 28), (29, 42),
             (43, None)], "dashboard: the buckets of docs/api.md",
            str(buckets))
    for step, days in want.items():
        got = proc.get(step, {})
        hist = [1 if b["from_days"] <= days and
                (b["to_days"] is None or days <= b["to_days"]) else 0
                for b in buckets]
        c.check(got == {"count": 1, "mean_days_x10": days * 10,
                        "median_days": days, "p90_days": days,
                        "histogram": hist},
                "dashboard: %s took %d days" % (step, days), str(got))

    # The months: the last twelve, this one last, each time counted in
    # the month it fell in (China time).
    def month(at):
        d = datetime.datetime.fromtimestamp(at + CN, datetime.timezone.utc)
        return "%04d-%02d" % (d.year, d.month)

    now = int(time.time())
    y, m = map(int, month(now).split("-"))
    names = ["%04d-%02d" % (y + (m - 1 - k) // 12, (m - 1 - k) % 12 + 1)
             for k in range(11, -1, -1)]
    want_months = {n: {"month": n, "opened": 0, "verified": 0, "decided": 0}
                   for n in names}
    for what, at in (("opened", opened), ("verified", verified),
                     ("decided", decided)):
        if month(at) in want_months:
            want_months[month(at)][what] += 1
    c.check(dash.get("months") == [want_months[n] for n in names],
            "dashboard: months", "\n got %s\nwant %s" % (
                dash.get("months"), [want_months[n] for n in names]))

    # Another county's approver sees none of it.
    other = fx.staff.token(svc, "approver2")
    r = svc.request("GET", "/api/v1/dashboard", token=other)
    c.status(r, 200, "dashboard: another county")
    dash = r.json() if r.status == 200 else {}
    c.check(dash.get("total") == 0 and dash.get("by_region") == {} and
            dash.get("processing", {}).get("decision", {}).get("count") == 0
            and all(mo["opened"] == 0 for mo in dash.get("months", [])),
            "dashboard: another county sees nothing of the case",
            str(dash))


def revocation(fx, c, svc):
    """A revocation takes effect for every later read: once a member's
    authorizations are revoked after registration, the verification is
    refused and nothing is read."""
    clerk = fx.staff.token(svc, "clerk1")
    verifier = fx.staff.token(svc, "verifier1")
    app = fx.pop.take(REGION, conclusion="fails")
    no = app["application_no"]
    auths = fx.pop.authorizations(app)
    r = svc.request("POST", "/api/v1/cases", {
        "application": app, "authorizations": auths, "reason": "受理"},
        token=clerk)
    case_of(c, r, "revocation: register", "authorized")
    for a in auths:
        if a["pid"].upper() == auths[0]["pid"].upper():
            r = svc.request("POST", "/api/v1/authorizations/%s/revoke" %
                            a["authorization_id"],
                            {"reason": "本人撤回授权"}, token=clerk)
            c.status(r, 204, "revoke")
    r = svc.request("POST", "/api/v1/cases/%s/verify" % no,
                    {"reason": "核对"}, token=verifier)
    c.status(r, 409, "revocation: verify refused")
    c.check("no longer valid" in r.error().get("message", ""),
            "revocation: the refusal says why", repr(r))
    auditor = fx.staff.token(svc, "auditor1")
    r = svc.request("GET", "/api/v1/audit?case_no=%s&action=verify" % no,
                    token=auditor)
    c.check(r.status == 200 and r.json()["total"] == 0,
            "revocation: nothing was read", repr(r))


def exports(fx, c, svc):
    """The case list as a file: the county's own cases, with the list's
    filters, and nothing of another county's; each export audited."""
    fx.staff.add("clerk_other", "clerk", "230104")
    clerk = fx.staff.token(svc, "clerk1")
    other = fx.staff.token(svc, "clerk_other")
    app = fx.pop.take(REGION)
    no = app["application_no"]
    r = svc.request("POST", "/api/v1/cases", {
        "application": app, "authorizations": fx.pop.authorizations(app),
        "reason": "受理"}, token=clerk)
    c.status(r, 201, "exports: register")
    r = svc.request("GET", "/api/v1/cases/export?format=csv", token=clerk)
    c.status(r, 200, "export csv")
    text = r.body.decode("utf-8")
    c.check(text.startswith("\ufeff案件编号,"), "export csv: BOM, heading")
    rows = [line.split(",") for line in text.splitlines()[1:]]
    listed = svc.request("GET", "/api/v1/cases?page_size=200",
                         token=clerk).json()
    c.check(sorted(r[0] for r in rows) ==
            sorted(x["case_no"] for x in listed["cases"]),
            "export csv: the cases of the list", "%d rows" % len(rows))
    c.check(all(r[1] == REGION for r in rows), "export csv: the county's")
    r = svc.request("GET", "/api/v1/cases/export?format=csv&state=archived",
                    token=clerk)
    c.check(no not in r.body.decode("utf-8"), "export csv: filtered")
    r = svc.request("GET", "/api/v1/cases/export?format=xlsx", token=clerk)
    c.status(r, 200, "export xlsx")
    c.check(r.body.startswith(b"PK"), "export xlsx: a workbook")
    r = svc.request("GET", "/api/v1/cases/export?format=csv", token=other)
    c.status(r, 200, "export csv, another county")
    c.check(no not in r.body.decode("utf-8") and
            len(r.body.decode("utf-8").splitlines()) == 1,
            "export csv: another county sees none of this county's cases")
    r = svc.request("GET", "/api/v1/cases/export?format=csv&region=" + REGION,
                    token=other)
    c.status(r, 403, "export csv: another county's region asked for")
    r = svc.request("GET", "/api/v1/cases/export?format=pdf", token=clerk)
    c.status(r, 400, "export: an unknown format")
    found = fx.query("SELECT count(*) FROM audit_log WHERE action = "
                     "'case.export' AND actor = 'clerk1'")
    c.check(found[0][0] == "3", "export: each audited", str(found))


def conflicting_authorization(fx, c, svc):
    """An authorization recorded before with other content refuses the
    registration, and the error names the authorization, not the case."""
    clerk = fx.staff.token(svc, "clerk1")
    first = fx.pop.take(REGION)
    auths = fx.pop.authorizations(first)
    r = svc.request("POST", "/api/v1/cases", {
        "application": first, "authorizations": auths, "reason": "受理"},
        token=clerk)
    c.status(r, 201, "conflict: the first registration")
    second = dict(first, application_no=first["application_no"] + "-2")
    changed = dict(auths[0], valid_until="2099-12-31")
    r = svc.request("POST", "/api/v1/cases", {
        "application": second, "authorizations": [changed],
        "reason": "受理"}, token=clerk)
    c.status(r, 409, "conflict: an authorization with other content")
    err = r.error()
    c.check(err.get("field") == "authorizations[0]" and
            "authorization" in err.get("message", ""),
            "conflict: the error names the authorization", repr(r))


def json_text(obj):
    import json
    return json.dumps(obj, ensure_ascii=False)


def pick_source(report):
    """An income record of the report, the item the family disputes."""
    for s in report.get("sources", []):
        if s.get("figure") == "income" and s.get("member", -1) >= 0:
            return s
    return (report.get("sources") or [None])[0]


def correction_for(app, source):
    """The verifier's correction of the disputed record: it does not
    count, as the evidence shows. The report masks the IDs in its keys;
    the verifier has the member's full ID on the application."""
    pid = app["members"][source["member"]]["pid"].upper()
    masked = pid[:6] + "*" * 8 + pid[14:]
    return {"pid": pid, "feed": source["feed"],
            "record_key": source["key"].replace(masked, pid),
            "evidence": "单位出具的停薪证明（2026-11-02）"}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
