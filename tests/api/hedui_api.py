"""A small client of the hedui service for the API tests: start and stop
`hedui serve`, add staff accounts with the CLI, log in (with TOTP where the
role needs it), and call routes. Standard library only."""

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import struct
import subprocess
import time
import urllib.error
import urllib.request


def totp(secret_b32, at=None, step=30, digits=6):
    """RFC 6238 with HMAC-SHA1, as authenticator apps compute it."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def error(self):
        """The error object of an error reply, or {}."""
        try:
            return self.json().get("error", {})
        except ValueError:
            return {}

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Service:
    """One `hedui serve` process on a case store given as hedui's global
    options (db_args), listening on a free port of 127.0.0.1."""

    def __init__(self, hedui, db_args, workdir, region, extra=None, name="s"):
        self.hedui = hedui
        self.db_args = list(db_args)
        self.workdir = workdir
        self.region = region
        self.extra = extra or {}
        self.name = name
        self.proc = None
        self.port = None

    def config(self):
        opts = dict(zip(self.db_args[0::2], self.db_args[1::2]))
        cfg = {
            "listen": "127.0.0.1:0",
            "port_file": os.path.join(self.workdir, self.name + ".port"),
            "db": opts["--db"],
            "region": self.region,
            "access_log": os.path.join(self.workdir, self.name + ".access.log"),
            "batch_dir": os.path.join(self.workdir, "batches"),
        }
        if "--feeds" in opts:
            cfg["feeds"] = opts["--feeds"]
        if "--key" in opts:
            cfg["key"] = opts["--key"]
        cfg.update(self.extra)
        return cfg

    def start(self):
        cfg = self.config()
        path = os.path.join(self.workdir, self.name + ".json")
        with open(path, "w") as f:
            json.dump(cfg, f)
        if os.path.exists(cfg["port_file"]):
            os.unlink(cfg["port_file"])
        self.log = open(os.path.join(self.workdir, self.name + ".err"), "w")
        self.proc = subprocess.Popen([self.hedui, "serve", "--config", path],
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("hedui serve exited %d: %s" % (
                    self.proc.returncode, self.read_err()))
            try:
                with open(cfg["port_file"]) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return self
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise RuntimeError("hedui serve did not start: " + self.read_err())

    def read_err(self):
        try:
            with open(os.path.join(self.workdir, self.name + ".err")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, as an init system would; the exit status."""
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("hedui serve did not stop on SIGTERM")

    def oversized(self, method, path, size, token):
        """Send a body of `size` bytes the server will refuse before
        reading it: it may answer and close while the body is still on
        its way, so the reply is read whatever the sending met."""
        import socket
        s = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n"
                "Authorization: Bearer %s\r\nConnection: close\r\n\r\n"
                % (method, path, size, token)).encode()
        try:
            s.sendall(head)
            chunk = b" " * 65536
            sent = 0
            while sent < size:
                s.sendall(chunk[:min(len(chunk), size - sent)])
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                data += part
        except (ConnectionResetError, socket.timeout):
            pass
        s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
        return Reply(status, {}, body)

    def request(self, method, path, body=None, token=None, raw=None,
                headers=None, timeout=60):
        url = "http://127.0.0.1:%d%s" % (self.port, path)
        data = raw
        hdrs = dict(headers or {})
        if body is not None:
            # \u escapes, so that a lone surrogate reaches the server as
            # the client wrote it
            data = json.dumps(body).encode("ascii")
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(url, data=data, method=method,
                                     headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Reply(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, dict(e.headers), e.read())


class Staff:
    """Accounts made with `hedui user add`, and their sessions."""

    def __init__(self, hedui, db_args):
        self.hedui = hedui
        self.db_args = list(db_args)
        self.secrets = {}
        self.passwords = {}
        self.roles = {}

    def add(self, username, role, region, password=None, name=None):
        password = password or ("pw-" + username + "-Secret1")
        out = subprocess.run(
            [self.hedui] + self.db_args +
            ["user", "add", username, "--role", role, "--region", region,
             "--name", name or username],
            input=password + "\n", capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("user add %s: %s" % (username, out.stderr))
        m = re.search(r"secret=([A-Z2-7]+)", out.stdout + out.stderr)
        if m:
            self.secrets[username] = m.group(1)
        self.passwords[username] = password
        self.roles[username] = (role, region)
        return password

    def login(self, svc, username, password=None, code=None):
        body = {"username": username,
                "password": password or self.passwords[username]}
        if username in self.secrets:
            body["totp"] = code or self.next_code(username)
        return svc.request("POST", "/api/v1/login", body)

    def next_code(self, username):
        """A code not used before: TOTP refuses a code twice, so a second
        login in the same 30 s uses the next step's code (the window
        accepts one step ahead)."""
        used = getattr(self, "_used", {})
        self._used = used
        at = time.time()
        for k in range(0, 2):
            step = int(at // 30) + k
            if used.get(username, -1) < step:
                used[username] = step
                return totp(self.secrets[username], at=step * 30)
        raise RuntimeError("no fresh TOTP code for " + username +
                           ": wait for the next step")

    def token(self, svc, username):
        r = self.login(svc, username)
        if r.status != 200:
            raise RuntimeError("login %s: %r" % (username, r))
        return r.json()["token"]


def age(pid, on):
    """Whole years from the birth date in a citizen ID to YYYY-MM-DD."""
    born = (int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
    day = (int(on[0:4]), int(on[5:7]), int(on[8:10]))
    return day[0] - born[0] - (1 if day[1:] < born[1:] else 0)


def read_jsonl(path, limit=None):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(out) == limit:
                break
            if line.strip():
                out.append(json.loads(line))
    return out


class Population:
    """Applications and their members' authorizations from `hedui gen`."""

    def __init__(self, gen_dir, limit=None):
        """The first `limit` applications (all when None), with their
        members' authorizations and their truth: a benchmark's million
        families need not all be held."""
        self.apps = read_jsonl(os.path.join(gen_dir, "applications.jsonl"),
                               limit)
        pids = {m["pid"].upper() for a in self.apps for m in a["members"]}
        nos = {a["application_no"] for a in self.apps}
        self.auths = {}
        for a in read_jsonl(os.path.join(gen_dir, "authorizations.jsonl")):
            if a["pid"].upper() in pids:
                self.auths.setdefault(a["pid"].upper(), []).append(a)
        self.truth = {t["application_no"]: t for t in
                      read_jsonl(os.path.join(gen_dir, "truth.jsonl"))
                      if t["application_no"] in nos}
        self.taken = set()

    def take(self, region, conclusion=None, members=True, relabel=False):
        """An application of `region` not handed out before; with
        `relabel`, any application, moved to `region` (its result is then
        no longer the truth's)."""
        for app in self.apps:
            no = app["application_no"]
            if no in self.taken or (app["region"] != region and not relabel):
                continue
            if members and not app["members"]:
                continue
            if conclusion and self.truth[no]["conclusion"] != conclusion:
                continue
            if not self.signable(app):
                continue
            if relabel and self.truth[no]["conclusion"] in ("unauthorized",
                                                            "refused"):
                continue  # a case made for a route must get authorized
            self.taken.add(no)
            if relabel:
                app = dict(app, region=region)
            return app
        raise LookupError("no application left in %s (%s)" %
                          (region, conclusion))

    def signable(self, app):
        """Can a clerk record the family's authorizations? The generator
        lets a minor sign for themself when no adult is at hand, which
        the service refuses (docs/consent.md, "Who may sign")."""
        for m in app["members"]:
            for a in self.auths.get(m["pid"].upper(), []):
                if age(a["signed_by"], a["valid_from"]) < 18:
                    return False
        return True

    def authorizations(self, app, issued_by=None):
        out = []
        for m in app["members"]:
            for a in self.auths.get(m["pid"].upper(), []):
                a = dict(a)
                a["issued_by"] = issued_by or app["region"]
                if a["signed_by"].upper() != a["pid"].upper():
                    # the clerk's statement for a guardian's signature
                    # (docs/consent.md, "Who may sign")
                    a["guardian_basis"] = "no_capacity"
                out.append(a)
        return out


class Fixture:
    """What a test script is given by tests/integration/test_api.sh: the
    program, a folder, the population, and the case store (its backend,
    its path, and hedui's global options for it)."""

    def __init__(self, argv):
        import argparse
        p = argparse.ArgumentParser()
        p.add_argument("--hedui", required=True)
        p.add_argument("--work", required=True)
        p.add_argument("--pop", required=True)
        p.add_argument("--backend", required=True)
        p.add_argument("--db", required=True)
        p.add_argument("db_args", nargs="*")
        a = p.parse_args(argv)
        self.hedui = a.hedui
        self.work = a.work
        self.backend = a.backend
        self.db = a.db
        self.db_args = a.db_args
        self.pop = Population(a.pop)
        self.staff = Staff(self.hedui, self.db_args)
        self.services = []

    def service(self, region="230000", name="s", **extra):
        svc = Service(self.hedui, self.db_args, self.work, region, extra,
                      name).start()
        self.services.append(svc)
        return svc

    def query(self, sql):
        """The rows of a query on the case store, as lists of text."""
        if self.backend == "postgresql":
            with open(self.db + ".url") as f:
                url = f.read().strip()
            out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "|",
                                  "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
                                  sql], capture_output=True, text=True,
                                 check=True).stdout
        else:
            out = subprocess.run(["sqlite3", self.db, sql],
                                 capture_output=True, text=True,
                                 check=True).stdout
        return [line.split("|") for line in out.splitlines() if line]

    def close_objection_window(self, case_no):
        """The objection window's working days pass: the test moves the
        case's window into the past rather than wait a week."""
        self.query("UPDATE case_file SET objection_until = '2000-01-03' "
                   "WHERE case_no = '%s'" % case_no.replace("'", "''"))

    def count(self, table):
        return int(self.query("SELECT count(*) FROM " + table)[0][0])

    def close(self):
        for s in self.services:
            s.stop()


class Checks:
    """Counts checks and failures; a failure is reported and the run goes
    on, so that one run shows every broken route."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s %s" % (what, detail), flush=True)
        return cond

    def status(self, reply, want, what):
        want = want if isinstance(want, (tuple, list)) else (want,)
        ok = reply.status in want
        if ok and reply.status >= 400:
            err = reply.error()
            ok = bool(err.get("code")) and bool(err.get("message"))
            if not ok:
                return self.check(False, what, "error without code and "
                                  "message: %r" % reply)
        return self.check(ok, what, "want %s, got %r" % (want, reply))

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
