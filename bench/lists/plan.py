"""The clone plan of the list benchmark: which real case each clone copies,
its number, its county and its age, one CSV line a clone (no header):

    case_no,source_case_no,region,days

Registering 100,000 cases through the API would take most of an hour, so
the benchmark registers a few hundred (setup_cases.py) and clone.*.sql
copies them by this plan. The plan is the same for both case stores (same
seed, same real cases), so both hold the same list.

    plan.py ROOT TOTAL SEED OUT.csv [hedui global options]

TOTAL is the cases the store is to hold, the real ones included.

- Counties: every county of the province (src/std/region_data.c), those
  of the provincial capital weighing twice as much (more people, more
  cases), so a county, a city and the province see different numbers.
- Age: opened 0 to 729 days ago, evenly; `days` moves every date and time
  of the copy back by that much.
- State: a case opened in the last 30 days copies any real case; an
  older one copies a decided or archived case, but one in thirty-three
  copies one still open, which is then overdue, as a backlog would be.
- Number: COUNTY-YEAR-NNNNNN, YEAR the year it was opened, NNNNNN
  counting up within the county and year in order of opening (the real
  cases are numbered from 100001, clear of these).
"""

import csv
import datetime
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from setup_cases import CITY, PROVINCE, sql  # noqa: E402

CLOSED = ("decided", "archived")


def counties(root):
    """(code, weight) of every county of the province."""
    path = os.path.join(root, "src", "std", "region_data.c")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = re.findall(r'\{"(%s\d{4})", "[^"]*", "(\d{6})", HD_REGION_COUNTY\}'
                       % PROVINCE[:2], text)
    if not found:
        raise RuntimeError("no counties of %s in %s" % (PROVINCE, path))
    return [(code, 2 if parent == CITY else 1) for code, parent in found]


def main(root, total, seed, out, db_args):
    real = sql(db_args, "SELECT case_no, state FROM case_file "
               "ORDER BY case_no")
    closed = [no for no, state in real if state in CLOSED]
    open_ = [no for no, state in real if state not in CLOSED]
    if not closed or not open_:
        raise RuntimeError("the real cases need open and closed ones")
    everyone = [no for no, _ in real]
    rng = random.Random(seed)
    places = counties(root)
    codes = [c for c, _ in places]
    weights = [w for _, w in places]
    today = datetime.date.today()
    clones = []
    for _ in range(max(0, total - len(real))):
        days = rng.randrange(730)
        if days < 30:
            source = rng.choice(everyone)
        elif rng.randrange(33) == 0:
            source = rng.choice(open_)
        else:
            source = rng.choice(closed)
        region = rng.choices(codes, weights)[0]
        clones.append((days, region, source))
    # numbered in order of opening, oldest first
    clones.sort(key=lambda c: -c[0])
    seq = {}
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for days, region, source in clones:
            year = (today - datetime.timedelta(days=days)).year
            n = seq[(region, year)] = seq.get((region, year), 0) + 1
            w.writerow(("%s-%d-%06d" % (region, year, n), source, region,
                        days))
    print("plan: %d clones of %d real cases over %d counties" %
          (len(clones), len(real), len(codes)))


if __name__ == "__main__":
    a = sys.argv
    if len(a) < 6:
        sys.exit(__doc__)
    main(a[1], int(a[2]), int(a[3]), a[4], a[5:])
