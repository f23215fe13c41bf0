#!/usr/bin/env python3
"""Compare two files of Result records (one JSON object per line) by
application_no, member by member, ignoring "scenario" (truth.jsonl names
the planted scenario; results do not) and the wording of error.reason
(docs/generator.md: compare error.field, not the wording).

    compare.py EXPECTED.jsonl ACTUAL.jsonl [--show N]

Prints the number of mismatches and the first N (default 5) differences;
exits 1 on any mismatch, an application missing from either side or a
line that is not JSON, else 0.
"""
import json
import sys

IGNORED = ("scenario",)


def load(path):
    records = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: not JSON: {e}")
            for k in IGNORED:
                r.pop(k, None)
            if isinstance(r.get("error"), dict):
                r["error"].pop("reason", None)
            no = r.get("application_no")
            if no in records:
                sys.exit(f"{path}:{number}: application {no} twice")
            records[no] = r
    return records


def diff(a, b, path=""):
    """The paths at which a and b differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in a:
                out.append((p, "(absent)", b[k]))
            elif k not in b:
                out.append((p, a[k], "(absent)"))
            else:
                out.extend(diff(a[k], b[k], p))
        return out
    if a != b or type(a) is not type(b):
        return [(path, a, b)]
    return []


def main(argv):
    show = 5
    args = list(argv[1:])
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    expected, actual = load(args[0]), load(args[1])
    mismatches = 0
    shown = 0
    for no in list(expected) + [n for n in actual if n not in expected]:
        a, b = expected.get(no), actual.get(no)
        if a is None or b is None:
            d = [("(record)", "(absent)" if a is None else "present",
                  "(absent)" if b is None else "present")]
        else:
            d = diff(a, b)
        if not d:
            continue
        mismatches += 1
        if shown < show:
            shown += 1
            print(f"{no}:")
            for p, x, y in d:
                print(f"  {p}: expected {json.dumps(x, ensure_ascii=False)}"
                      f", got {json.dumps(y, ensure_ascii=False)}")
    print(f"{mismatches} mismatches in {len(expected)} expected and "
          f"{len(actual)} actual records")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
