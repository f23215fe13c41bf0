"""The browser tests' store, made once per run by the CTest fixture e2e,
as a county office's would be: a synthetic population of 600 families
(with bad rows, for the quarantine), every delivery ingested, the policy
imported, then the console's accounts and cases made through the
service by tools/console/seed.py: 60 cases in each of three counties of
Harbin, more than one page of the case list for each, and a city
account that sees all three. Each test serves a copy of its own.

    prepare.py HEDUI SOURCE_DIR OUT_DIR

Writes OUT_DIR/store/ (hedui.db, hedui.db.feeds/, hedui.db.key),
OUT_DIR/pop/ (the population), OUT_DIR/accounts.json (seed.py's and
the city's: username, role, region, password, totp_secret), and
OUT_DIR/walk.json: a family of county 230103 that no case holds yet, with
its members' authorizations, for the walk test to register through the
form. SQLite only: the console's pages do not depend on the backend, and
the API tests run on both.
"""

import json
import os
import shutil
import subprocess
import sys

SEED = 606
FAMILIES = 600
CASES_PER_COUNTY = 60
WALK_COUNTY = "230103"
# username, role, region, display name
CITY_ACCOUNT = ("verifier_230100", "verifier", "230100", "孙伟（哈尔滨市核对）")


def run(argv):
    out = subprocess.run(argv, capture_output=True, text=True)
    # ingest exits 1 when it quarantined rows, which --dirty asks for
    if out.returncode not in (0, 1):
        sys.exit("prepare: %s: exit %d\n%s" % (" ".join(argv[:4]),
                                              out.returncode, out.stderr))
    return out.stdout


def in_cases(db):
    """Citizen IDs already members of a case."""
    out = subprocess.run(["sqlite3", db,
                          "SELECT DISTINCT upper(pid) FROM application_member"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def walk_family(pop, taken):
    """A family of the county that no case holds, that a clerk can sign
    for, preferably one whose report fails on income (the objection then
    disputes an income record and the correction changes the figures),
    and small, so the form stays short."""
    best = None
    for app in pop.apps:
        if app["region"] != WALK_COUNTY or not app["members"]:
            continue
        if any(m["pid"].upper() in taken for m in app["members"]):
            continue
        if not pop.signable(app):
            continue
        truth = pop.truth[app["application_no"]]
        rank = (truth["conclusion"] != "fails", len(app["members"]) < 2,
                len(app["members"]))
        if best is None or rank < best[0]:
            best = (rank, app)
    if best is None:
        sys.exit("prepare: no family of %s left for the walk" % WALK_COUNTY)
    app = best[1]
    return {"application": app, "authorizations": pop.authorizations(app),
            "truth": pop.truth[app["application_no"]]}


def add_city_account(staff, path, password):
    username, role, region, name = CITY_ACCOUNT
    staff.add(username, role, region, password, name)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["accounts"].append({"username": username, "role": role,
                            "region": region, "display_name": name,
                            "password": password, "totp_secret": ""})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def main(hedui, source, out):
    sys.path.insert(0, os.path.join(source, "tests", "api"))
    sys.path.insert(0, os.path.join(source, "tools", "console"))
    from hedui_api import Population, Staff
    import seed

    shutil.rmtree(out, ignore_errors=True)
    store = os.path.join(out, "store")
    pop_dir = os.path.join(out, "pop")
    os.makedirs(store)
    db = os.path.join(store, "hedui.db")
    run([hedui, "gen", "--families", str(FAMILIES), "--seed", str(SEED),
         "--out", pop_dir, "--dirty"])
    deliveries = os.path.join(pop_dir, "deliveries")
    run([hedui, "--db", db, "ingest"] +
        [os.path.join(deliveries, d) for d in sorted(os.listdir(deliveries))])
    run([hedui, "--db", db, "policy", "import",
         os.path.join(pop_dir, "policy.json")])
    accounts = os.path.join(out, "accounts.json")
    seed.main(hedui, out, pop_dir, accounts, ["--db", db], CASES_PER_COUNTY)
    add_city_account(Staff(hedui, ["--db", db]), accounts, seed.PASSWORD)
    walk = walk_family(Population(pop_dir), in_cases(db))
    with open(os.path.join(out, "walk.json"), "w", encoding="utf-8") as f:
        json.dump(walk, f, ensure_ascii=False, indent=1)
    print("prepare: store in %s; the walk registers %s (%d members)" %
          (out, walk["application"]["application_no"],
           len(walk["application"]["members"])))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
