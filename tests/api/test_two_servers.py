"""Two `hedui serve` processes on one PostgreSQL database, as a province
runs its front-ends: a session made on one works on the other and ends on
both; a role change on one voids the sessions on the other; cases
registered on one are verified on the other; and two approvers deciding
one case at once on different servers: one wins, the other is told who
decided."""

import subprocess
import sys
import threading

from hedui_api import Checks, Fixture

HOME = "230103"


def main(argv):
    fx = Fixture(argv)
    c = Checks()
    for name, role in (("clerk1", "clerk"), ("verifier1", "verifier"),
                       ("approver1", "approver"), ("approver2", "approver"),
                       ("mover", "clerk")):
        fx.staff.add(name, role, HOME)
    a = fx.service(region="230000", name="a")
    b = fx.service(region="230000", name="b")
    try:
        sessions(fx, c, a, b)
        race(fx, c, a, b)
    finally:
        fx.close()
    return c.done()


def sessions(fx, c, a, b):
    tok = fx.staff.token(a, "clerk1")
    r = b.request("GET", "/api/v1/me", token=tok)
    c.status(r, 200, "a session made on a works on b")
    c.check(r.status == 200 and r.json()["username"] == "clerk1",
            "b knows the user")
    c.status(b.request("POST", "/api/v1/logout", token=tok), 204,
             "logout on b")
    c.status(a.request("GET", "/api/v1/me", token=tok), 401,
             "the session ended on a too")

    tok = fx.staff.token(b, "mover")
    c.status(a.request("GET", "/api/v1/me", token=tok), 200, "mover on a")
    out = subprocess.run([fx.hedui] + fx.db_args +
                         ["user", "role", "mover", "--role", "verifier",
                          "--region", HOME], capture_output=True, text=True)
    c.check(out.returncode == 0, "role change", out.stderr)
    for svc, name in ((a, "a"), (b, "b")):
        c.status(svc.request("GET", "/api/v1/me", token=tok), 401,
                 "a role change voids the session on " + name)


def race(fx, c, a, b):
    clerk = fx.staff.token(a, "clerk1")
    verifier = fx.staff.token(b, "verifier1")
    approvers = [(a, fx.staff.token(a, "approver1"), "approver1"),
                 (b, fx.staff.token(b, "approver2"), "approver2")]
    for round_ in range(5):
        app = fx.pop.take(HOME, relabel=True)
        no = app["application_no"]
        r = a.request("POST", "/api/v1/cases", {
            "application": app,
            "authorizations": fx.pop.authorizations(app),
            "reason": "受理"}, token=clerk)
        c.status(r, 201, "register on a")
        r = b.request("POST", "/api/v1/cases/%s/verify" % no,
                      {"reason": "核对"}, token=verifier)
        c.status(r, 200, "verify on b")
        fx.close_objection_window(no)
        for svc in (a, b):
            r = svc.request("GET", "/api/v1/cases?q=%s" % no, token=clerk)
            c.check(r.status == 200 and r.json()["total"] == 1,
                    "both servers list the case", repr(r))

        replies = [None, None]
        start = threading.Barrier(2)

        def decide(i):
            svc, tok, _ = approvers[i]
            start.wait()
            replies[i] = svc.request(
                "POST", "/api/v1/cases/%s/decision" % no,
                {"decision": "rejected" if i else "approved",
                 "reason": "审核确认 %d" % i}, token=tok)

        threads = [threading.Thread(target=decide, args=(i,))
                   for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status for r in replies)
        c.check(statuses == [200, 409], "round %d: one decision wins" %
                round_, "%r" % replies)
        if statuses != [200, 409]:
            continue
        win = 0 if replies[0].status == 200 else 1
        winner = approvers[win][2]
        msg = replies[1 - win].error().get("message", "")
        c.check(winner in msg, "round %d: the loser is told who decided" %
                round_, msg)
        case = replies[win].json()
        c.check(case["state"] == "decided" and
                case["decision"] == ("approved" if win == 0 else "rejected"),
                "round %d: the winner's decision stands" % round_)
        decided = [e for e in case["events"] if e["action"] == "decide"]
        c.check(len(decided) == 1, "round %d: one decision event" % round_)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
