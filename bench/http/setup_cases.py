"""Prepare a store for the HTTP benchmark: a clerk and a verifier, and
`count` cases registered through the API (authorized, ready to verify),
their numbers written one a line. Uses the API tests' client."""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tests", "api"))
from hedui_api import Population, Service, Staff  # noqa: E402


def main(hedui, work, pop_dir, count, cases_file, tokens_file, db_args):
    staff = Staff(hedui, db_args)
    staff.add("bench_clerk", "clerk", "110000")
    staff.add("bench_verifier", "verifier", "110000")
    svc = Service(hedui, db_args, work, "110000", {"threads": 4},
                  "setup").start()
    try:
        clerk = staff.token(svc, "bench_clerk")
        pop = Population(pop_dir, limit=count * 3)
        apps = []
        while len(apps) < count:
            apps.append(pop.take("110105", relabel=True))
        numbers, lock = [], threading.Lock()

        def register(part):
            for app in part:
                r = svc.request("POST", "/api/v1/cases", {
                    "application": app,
                    "authorizations": pop.authorizations(app),
                    "reason": "bench"}, token=clerk)
                if r.status != 201 or r.json()["state"] != "authorized":
                    raise RuntimeError("register: %r" % r)
                with lock:
                    numbers.append(app["application_no"])

        threads = [threading.Thread(target=register, args=(apps[i::4],))
                   for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(numbers) != count:
            raise RuntimeError("registered %d of %d" % (len(numbers), count))
        with open(cases_file, "w") as f:
            f.write("".join(n + "\n" for n in numbers))
        with open(tokens_file, "w") as f:
            f.write(staff.token(svc, "bench_clerk") + "\n")
            f.write(staff.token(svc, "bench_verifier") + "\n")
    finally:
        svc.stop()


if __name__ == "__main__":
    a = sys.argv
    main(a[1], a[2], a[3], int(a[4]), a[5], a[6], a[7:])
