"""Every route of docs/openapi.json, called as every role and from a
region that does not cover the object: the roles the route admits
succeed, the others get 403, a user without a session 401, a user of
another county 403; then bad input of every kind on every route with a
body (malformed JSON, wrong types, unknown fields, a missing field, an
oversized body, injection strings), each answered with the right 4xx and
a clear message, nothing stored, and the server still serving."""

import hashlib
import json
import os
import subprocess
import sys

from hedui_api import Checks, Fixture

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = ["clerk", "verifier", "approver", "auditor", "admin"]
HOME = "230103"   # the county whose cases the tests make
OTHER = "230102"  # another county of the same city
CITY = "230100"
PROVINCE = "230000"


def load_routes():
    with open(os.path.join(HERE, "..", "..", "docs", "openapi.json"),
              encoding="utf-8") as f:
        doc = json.load(f)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op


class World:
    """Users of every role at home, in the other county, in the city and
    the province, and cases in the states each route needs."""

    def __init__(self, fx, c, svc):
        self.fx, self.c, self.svc = fx, c, svc
        self.tokens = {}
        for role in ROLES:
            for where, region in (("home", HOME), ("other", OTHER),
                                  ("city", CITY), ("prov", PROVINCE)):
                name = "%s_%s" % (role, where)
                fx.staff.add(name, role, region)
        self.spare_users = 0

    def token(self, role, where="home"):
        name = "%s_%s" % (role, where)
        if name not in self.tokens:
            self.tokens[name] = self.fx.staff.token(self.svc, name)
        return self.tokens[name]

    def call(self, method, path, body=None, role=None, where="home",
             **kw):
        tok = self.token(role, where) if role else None
        return self.svc.request(method, path, body, token=tok, **kw)

    # -- cases in a given state, made through the API by the right roles
    def case(self, state):
        app = self.fx.pop.take(HOME, relabel=True)
        no = app["application_no"]
        steps = {
            "registered": [],
            "authorized": [],
            "verified": [("verify", "verifier", {"reason": "核对"})],
        }
        r = self.call("POST", "/api/v1/cases", {
            "application": app,
            "authorizations": self.fx.pop.authorizations(app),
            "reason": "受理"}, role="clerk")
        assert r.status == 201, r
        order = ["verify", "object", "correct", "decide", "archive"]
        plan = {"verified": ["verify"], "objected": ["verify", "object"],
                "corrected": ["verify", "object", "correct"],
                "verified-closed": ["verify"],
                "decided": ["verify", "decide"],
                "archived": ["verify", "decide", "archive"]}.get(state, [])
        del steps, order
        for step in plan:
            r = self.step(no, app, step)
            assert r.status == 200, (step, r)
        if state == "verified-closed":
            self.fx.close_objection_window(no)
        return no, app

    def step(self, no, app, step):
        base = "/api/v1/cases/%s/" % no
        if step == "verify":
            return self.call("POST", base + "verify", {"reason": "核对"},
                             role="verifier")
        if step == "object":
            return self.call("POST", base + "objection",
                             {"item": "收入", "reason": "异议"}, role="clerk")
        if step == "correct":
            return self.call("POST", base + "corrections",
                             self.correction_body(no, app), role="verifier")
        if step == "decide":
            self.fx.close_objection_window(no)
            return self.call("POST", base + "decision",
                             {"decision": "rejected", "reason": "不符合"},
                             role="approver")
        if step == "archive":
            return self.call("POST", base + "archive", {"reason": "归档"},
                             role="approver")
        raise ValueError(step)

    def correction_body(self, no, app):
        rep = self.call("GET", "/api/v1/cases/%s/report" % no,
                        role="verifier").json()
        src = next((s for s in rep.get("sources", [])
                    if s.get("member", -1) >= 0), None)
        assert src, "no source to correct in " + no
        pid = app["members"][src["member"]]["pid"].upper()
        masked = pid[:6] + "*" * 8 + pid[14:]
        return {"corrections": [{
            "pid": pid, "feed": src["feed"],
            "record_key": src["key"].replace(masked, pid),
            "evidence": "证明材料"}], "reason": "更正"}

    def new_username(self):
        self.spare_users += 1
        return "spare%d" % self.spare_users


def fixture_for(w, method, path, op):
    """(concrete path, body) for a successful call of the route, made
    fresh each time (a transition consumes its case)."""
    case_state = {
        "/api/v1/cases/{case_no}": "registered",
        "/api/v1/cases/{case_no}/authorizations": "registered",
        "/api/v1/cases/{case_no}/verify": "authorized",
        "/api/v1/cases/{case_no}/report": "verified",
        "/api/v1/cases/{case_no}/objection": "verified",
        "/api/v1/cases/{case_no}/corrections": "objected",
        "/api/v1/cases/{case_no}/dismissal": "objected",
        "/api/v1/cases/{case_no}/decision": "verified-closed",
        "/api/v1/cases/{case_no}/archive": "decided",
    }
    if path in case_state:
        no, app = w.case(case_state[path])
        concrete = path.replace("{case_no}", no)
        body = {
            "/api/v1/cases/{case_no}/authorizations": lambda: {
                "authorization": w.fx.pop.authorizations(app)[0],
                "reason": "补交授权"},
            "/api/v1/cases/{case_no}/verify": lambda: {"reason": "核对"},
            "/api/v1/cases/{case_no}/objection": lambda: {
                "item": "收入", "reason": "异议"},
            "/api/v1/cases/{case_no}/corrections": lambda:
                w.correction_body(no, app),
            "/api/v1/cases/{case_no}/dismissal": lambda: {"reason": "维持"},
            "/api/v1/cases/{case_no}/decision": lambda: {
                "decision": "rejected", "reason": "不符合"},
            "/api/v1/cases/{case_no}/archive": lambda: {"reason": "归档"},
        }.get(path, lambda: None)()
        return concrete, body
    if path == "/api/v1/cases/export":
        return path + "?format=csv", None
    if path == "/api/v1/cases":
        if method == "GET":
            return path, None
        app = w.fx.pop.take(HOME, relabel=True)
        return path, {"application": app,
                      "authorizations": w.fx.pop.authorizations(app),
                      "reason": "受理"}
    if path == "/api/v1/authorizations/{authorization_id}/revoke":
        no, app = w.case("authorized")
        aid = w.fx.pop.authorizations(app)[0]["authorization_id"]
        return path.replace("{authorization_id}", aid), {"reason": "本人撤回"}
    if path.startswith("/api/v1/users"):
        if path == "/api/v1/users":
            if method == "GET":
                return path, None
            return path, {"username": w.new_username(), "role": "clerk",
                          "region": HOME, "password": "a-long-password-1"}
        name = w.new_username()
        w.fx.staff.add(name, "clerk", HOME)
        concrete = path.replace("{username}", name)
        body = {
            "/api/v1/users/{username}/role": {"role": "verifier",
                                              "region": HOME,
                                              "reason": "调岗"},
            "/api/v1/users/{username}/disable": {"reason": "离职"},
            "/api/v1/users/{username}/password": {
                "password": "another-password-2", "reason": "重置"},
        }.get(path)
        return concrete, body
    if path == "/api/v1/me/password":
        return path, None  # made per user in check_route
    if path == "/api/v1/batches":
        if method == "GET":
            return path, None
        apps = [w.fx.pop.take(HOME, relabel=True) for _ in range(3)]
        auths = [a for app in apps for a in w.fx.pop.authorizations(app)]
        return path, {
            "applications": "".join(json.dumps(a, ensure_ascii=False) + "\n"
                                    for a in apps),
            "authorizations": "".join(json.dumps(a, ensure_ascii=False) +
                                      "\n" for a in auths)}
    if path.startswith("/api/v1/batches/{id}"):
        bid = w.batch_id()
        return path.replace("{id}", str(bid)), None
    if path == "/api/v1/deliveries/{delivery_id}/quarantine":
        deliveries = w.call("GET", "/api/v1/deliveries",
                            role="admin").json()["deliveries"]
        return path.replace("{delivery_id}",
                            deliveries[0]["delivery_id"]), None
    if path == "/api/v1/policy" and method == "POST":
        with open(os.path.join(w.fx.pop_dir, "policy.json"),
                  encoding="utf-8") as f:
            return path, json.load(f)
    return path, None


def success_status(op):
    for code in op["responses"]:
        if code.startswith("2"):
            return int(code)
    raise ValueError(op["operationId"])


def check_route(w, c, method, path, op):
    roles = op.get("x-hedui-roles", [])
    name = "%s %s" % (method, path)
    ok = success_status(op)
    if not roles:
        concrete, body = fixture_for(w, method, path, op)
        if path == "/api/v1/login":
            body = {"username": "clerk_home",
                    "password": w.fx.staff.passwords["clerk_home"]}
        c.status(w.svc.request(method, concrete, body), ok, name)
        return
    # No session: 401.
    concrete, body = fixture_for(w, method, path, op)
    c.status(w.svc.request(method, concrete, body), 401, name + " no session")
    c.status(w.svc.request(method, concrete, body, token="x" * 43), 401,
             name + " unknown session")
    # Every role the route does not admit: 403.
    for role in ROLES:
        if role not in roles:
            c.status(w.call(method, concrete, body, role=role), 403,
                     "%s as %s" % (name, role))
    for role in roles:
        if path in ("/api/v1/logout", "/api/v1/me/password"):
            user = w.new_username()
            w.fx.staff.add(user, role, HOME)
            tok = w.fx.staff.token(w.svc, user)
            body = None if path.endswith("logout") else {
                "old_password": w.fx.staff.passwords[user],
                "new_password": "new-password-of-" + user}
            c.status(w.svc.request(method, path, body, token=tok), ok,
                     "%s as %s" % (name, role))
            c.status(w.svc.request("GET", "/api/v1/me", token=tok), 401,
                     "%s as %s: the session ended" % (name, role))
            continue
        # A user of another county may not touch the home county's object.
        if op.get("x-hedui-jurisdiction"):
            concrete, body = fixture_for(w, method, path, op)
            r = w.call(method, concrete, body, role=role, where="other")
            c.status(r, 403, "%s as %s of another county" % (name, role))
        # The role at home, in the city and in the province succeed; the
        # policy is the node's (a province node here): only an admin of
        # the province imports one.
        for where in ("home", "city", "prov"):
            concrete, body = fixture_for(w, method, path, op)
            r = w.call(method, concrete, body, role=role, where=where)
            want = ok
            if path == "/api/v1/policy" and method == "POST":
                want = (200, 201) if where == "prov" else 403
            c.status(r, want, "%s as %s (%s)" % (name, role, where))


def check_lists_stay_in_region(w, c):
    """A county user lists only the county's cases; the city and province
    see them too."""
    w.case("registered")
    for where, want_home in (("home", True), ("other", False),
                             ("city", True), ("prov", True)):
        r = w.call("GET", "/api/v1/cases?page_size=200", role="clerk",
                   where=where)
        c.status(r, 200, "case list as clerk of " + where)
        regions = {x["region"] for x in r.json().get("cases", [])}
        c.check((HOME in regions) == want_home,
                "case list of %s holds home cases: %s" % (where, want_home),
                str(regions))
        if where == "other":
            c.check(regions <= {OTHER}, "other county sees only itself",
                    str(regions))


BAD_STRINGS = ["'; DROP TABLE case_file; --", "\" OR 1=1 --",
               "<script>alert(1)</script>", "../../etc/passwd",
               "\u0000", "x\u0007y", "\ud800"]


def check_bad_input(w, c):
    """Bad bodies on every route that takes one: 4xx, a clear message,
    nothing stored, the server still up."""
    tables = ["case_file", "case_event", "application", "consent",
              "staff_user", "batch_job", "case_correction",
              "policy_version"]
    limit = 1024 * 1024
    # Real objects in the paths, so that the body is what is refused.
    no, app = w.case("registered")
    user = w.new_username()
    w.fx.staff.add(user, "clerk", HOME)
    aid = w.fx.pop.authorizations(app)[0]["authorization_id"]
    before = {t: w.fx.count(t) for t in tables}
    for method, path, op in load_routes():
        if "requestBody" not in op or not op.get("x-hedui-roles"):
            continue
        role = op["x-hedui-roles"][0]
        concrete = path.replace("{case_no}", no).replace(
            "{username}", user).replace("{authorization_id}", aid)
        name = "%s %s" % (method, path)
        tok = w.token(role, "prov")
        for raw, want, what in (
                (b"{", 400, "truncated JSON"),
                (b"[1,2]", 400, "not an object"),
                (b"{\"a\":1,\"a\":2}", 400, "duplicate keys"),
                (b"\xff\xfe{}", 400, "not UTF-8"),
                (b"{\"unknown_field\":1,\"reason\":\"x\"}", 400,
                 "unknown field"),
                (b"{\"reason\": 5}", 400, "wrong type")):
            r = w.svc.request(method, concrete, raw=raw, token=tok)
            c.status(r, want, "%s: %s" % (name, what))
        # Past the body limit (uploads have their own, larger one).
        size = limit + 10 if path != "/api/v1/batches" else 256 * limit + 10
        r = w.svc.oversized(method, concrete, size, tok)
        c.status(r, 413, "%s: oversized body" % name)
        r = w.svc.request(method, concrete, raw=b"{}", token=tok,
                          headers={"Content-Type": "text/plain"})
        c.status(r, 415, name + ": not JSON")
    # Injection strings where a name, a number or a reason goes.
    for s in BAD_STRINGS:
        r = w.call("POST", "/api/v1/users", {
            "username": s, "role": "clerk", "region": HOME,
            "password": "a-long-password-1"}, role="admin")
        c.status(r, 400, "user add with username %r" % s)
        r = w.call("GET", "/api/v1/cases/%s" % urlq(s), role="clerk")
        c.status(r, (400, 404), "case %r" % s)
        r = w.call("GET", "/api/v1/cases?state=%s" % urlq(s), role="clerk")
        c.status(r, 400, "case list state=%r" % s)
        app = dict(w.fx.pop.apps[0], region=HOME)
        app["application_no"] = s
        r = w.call("POST", "/api/v1/cases", {"application": app,
                                             "authorizations": []},
                   role="clerk")
        c.status(r, 400, "register application_no %r" % s)
    after = {t: w.fx.count(t) for t in tables}
    c.check(before == after, "bad input stored nothing",
            "\nbefore %s\n after %s" % (before, after))
    c.status(w.svc.request("GET", "/api/v1/health"), 200, "still serving")


def check_quarantine_not_utf8(w, c):
    """A row quarantined because it is not UTF-8 is still shown to the
    admin (its bad bytes as '?', its citizen ID masked), not a 500: JSON
    cannot carry the raw bytes. A row quarantined for a malformed citizen
    ID (a digit short) shows it masked too."""
    src = os.path.join(w.fx.pop_dir, "deliveries", "banks", "deposit.csv")
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    # Enough good rows that two bad rows stay under the 1% share.
    rows = [r for r in lines[1:] if r][:300]
    bad = rows[0].split(b",")
    bad[1] = b"\xe6\xa0\xb8\xff\xfe"
    rows[0] = b",".join(bad)
    short = rows[1].split(b",")
    short[0] = short[0][:17]
    rows[1] = b",".join(short)
    data = b"\n".join([lines[0]] + rows) + b"\n"
    delivery = os.path.join(w.fx.work, "banks-not-utf8")
    os.makedirs(delivery, exist_ok=True)
    with open(os.path.join(delivery, "deposit.csv"), "wb") as f:
        f.write(data)
    did = "banks-2026-11-02-0009"
    with open(os.path.join(delivery, "manifest.json"), "w") as f:
        json.dump({"standard": "hedui-feeds/1", "department": "banks",
                   "delivery_id": did, "as_of": "2026-11-02",
                   "mode": "delta", "files": [{
                       "feed": "deposit", "file": "deposit.csv",
                       "rows": len(rows),
                       "sha256": hashlib.sha256(data).hexdigest()}]}, f)
    out = subprocess.run([w.fx.hedui] + w.fx.db_args + ["ingest", delivery],
                         capture_output=True, text=True)
    if not c.check(out.returncode == 0, "ingest a delivery with a row "
                   "that is not UTF-8", out.stderr):
        return
    r = w.call("GET", "/api/v1/deliveries/%s/quarantine" % did,
               role="admin", where="prov")
    c.status(r, 200, "quarantine of a row that is not UTF-8")
    got = r.json().get("rows", []) if r.status == 200 else []
    pid = bad[0].decode()
    want = pid[:6] + "*" * 8 + pid[14:] + ",\u6838??,"
    c.check(len(got) == 2 and got[0].get("raw", "").startswith(want),
            "the raw record with its bad bytes as ? and its ID masked",
            repr(got))
    pid17 = short[0].decode()
    want = pid17[:6] + "*" * 8 + pid17[14:] + ","
    c.check(len(got) == 2 and got[1].get("raw", "").startswith(want),
            "a citizen ID a digit short is masked", repr(got))


def urlq(s):
    import urllib.parse
    return urllib.parse.quote(s.encode("utf-8", "surrogatepass"), safe="")


def main(argv):
    fx = Fixture(argv)
    fx.pop_dir = argv[argv.index("--pop") + 1]
    c = Checks()
    svc = fx.service(region=PROVINCE)
    try:
        w = World(fx, c, svc)
        w.batch_id = lambda: make_batch(w)
        for method, path, op in load_routes():
            print("-- %s %s" % (method, path), flush=True)
            check_route(w, c, method, path, op)
        check_lists_stay_in_region(w, c)
        check_bad_input(w, c)
        # An admin's reason is audited with the change it explains.
        for action, reason in (("user_role", "调岗"), ("user_disable", "离职"),
                               ("user_passwd", "重置")):
            n = w.fx.query("SELECT count(*) FROM audit_log WHERE action = "
                           "'%s' AND outcome LIKE '%%reason=%s%%'" %
                           (action, reason))
            c.check(int(n[0][0]) > 0, "%s: the reason audited" % action)
        check_quarantine_not_utf8(w, c)
    finally:
        fx.close()
    return c.done()


def make_batch(w):
    _, body = fixture_for(w, "POST", "/api/v1/batches", None)
    r = w.call("POST", "/api/v1/batches", body, role="verifier")
    assert r.status == 202, r
    bid = r.json()["id"]
    import time
    for _ in range(600):
        b = w.call("GET", "/api/v1/batches/%d" % bid, role="verifier").json()
        if b["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    return bid


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
