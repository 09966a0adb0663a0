#!/usr/bin/env python3
"""`make fuzz`: mutates real inputs for a fixed time and fails on any trap, hang or silent change.

Usage:  fuzz.py [--seconds N] [--seed S] [--bin PATH] [--keep DIR]

Targets, round robin, each starting from a known-good copy:
  transcripts  one sample transcript (Tests/TestSupport/Fixtures/openclaw-samples) with one
               mutation (byte flip, truncation, spliced garbage, a number replaced by an extreme,
               a line duplicated or cut) -> `homebase ingest`
  store        a generated OpenClaw 2026.8+ state (`generate --store current`): a mutated event
               body, seq or archive blob in the SQLite store, or a mutated .zst file -> ingest
  invoices     one invoice fixture (Tests/TestSupport/Fixtures/invoices) mutated -> ingest --invoices
  parts        one byte flipped in a live Parquet part -> `homebase query` of counts and sums
  backups      one byte flipped in a backup archive -> `homebase backup verify`

Failures (each written to --keep with the input that caused it):
  trap    the process died of a signal, or printed Swift's "Fatal error"
  hang    it ran past the per-run time limit (30 s)
  silent  ingest exited 0 although the input changed in a way the oracle says changes the calls
          (transcripts: the Python oracle's call count differs from the clean run's and ingest
          reported neither a changed count nor a warning); a part whose flipped byte changes a
          query's numbers with exit 0 unless `doctor --deep` names the part (page CRCs cover the
          data pages; the footer is covered by the catalog's SHA-256 per part); a backup with a
          flipped byte that `backup verify` passes
Exit 0 when no failure was found; 1 otherwise. Dev-only: uses Python and the release binary.
"""
import argparse, json, os, random, shutil, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(ROOT, "Tests/TestSupport/Fixtures/openclaw-samples")
INVOICES = os.path.join(ROOT, "Tests/TestSupport/Fixtures/invoices")
LIMIT = 30
EXTREMES = [b"9223372036854775807", b"9223372036854775808", b"18446744073709551616", b"-1", b"1e400", b"-1e400",
            b"1.5", b"NaN", b"null", b"\"12\"", b"99999999999999999", b"0", b"-9223372036854775808", b"1e-400"]


def run(cmd, cwd=None):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return None, b"", b"", LIMIT
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def valid_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def verdict(code, err):
    if code is None:
        return "hang"
    if code < 0 or code >= 128 or b"Fatal error" in err:
        return "trap"
    return None


def mutate_bytes(data, rng):
    if not data:
        return data + bytes([rng.randrange(256)])
    kind = rng.randrange(7)
    b = bytearray(data)
    if kind == 0:
        i = rng.randrange(len(b)); b[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        b = b[: rng.randrange(len(b))]
    elif kind == 2:
        i = rng.randrange(len(b)); b[i:i] = os.urandom(rng.randrange(1, 64))
    elif kind == 3:
        # replace a run of digits by an extreme number
        digits = [i for i in range(len(b)) if 48 <= b[i] <= 57]
        if digits:
            i = rng.choice(digits); j = i
            while j < len(b) and 48 <= b[j] <= 57: j += 1
            while i > 0 and 48 <= b[i - 1] <= 57: i -= 1
            b[i:j] = rng.choice(EXTREMES)
    elif kind == 4:
        lines = bytes(b).split(b"\n")
        if len(lines) > 1:
            k = rng.randrange(len(lines)); lines.insert(k, lines[k]); b = bytearray(b"\n".join(lines))
    elif kind == 5:
        lines = bytes(b).split(b"\n")
        if len(lines) > 1:
            k = rng.randrange(len(lines)); lines[k] = lines[k][: rng.randrange(len(lines[k]) + 1)]; b = bytearray(b"\n".join(lines))
    else:
        b = bytearray(b"\xef\xbb\xbf") + b if rng.random() < 0.5 else bytearray(bytes(b).replace(b"\n", b"\r"))
    return bytes(b)


class Fuzzer:
    def __init__(self, args):
        self.args, self.rng = args, random.Random(args.seed)
        self.bin = os.path.abspath(args.bin)
        self.work = tempfile.mkdtemp(prefix="homebase-fuzz-")
        self.keep = args.keep
        self.failures, self.runs = [], 0
        self.py = os.path.join(ROOT, ".build/pyenv/bin/python")
        self.setup()

    def setup(self):
        # a generated 2026.8+ state, a clean lake of it, and a backup of that lake
        self.state = os.path.join(self.work, "gen")
        subprocess.run([self.bin, "generate", "--out", self.state, "--days", "8", "--agents", "3", "--calls-per-day", "6",
                        "--seed", "3", "--store", "current", "--end", "2026-06-30"], check=True, capture_output=True)
        self.lake = os.path.join(self.work, "lake")
        subprocess.run([self.bin, "ingest", "--openclaw", self.state + "/openclaw", "--gateway-logs", self.state + "/gateway",
                        "--data", self.lake], capture_output=True)
        self.backups = os.path.join(self.work, "backups")
        subprocess.run([self.bin, "backup", "create", "--data", self.lake, "--to", self.backups], check=True, capture_output=True)
        self.lake_numbers = self.query(self.lake)

    def query(self, lake):
        code, out, err, _ = run([self.bin, "query", "SELECT count(*), sum(input_tokens), round(sum(cost_usd), 9) FROM requests",
                                 "--data", lake, "--format", "csv"])
        return code, out, err

    def fail(self, kind, target, detail, path):
        self.failures.append((kind, target, detail))
        if self.keep:
            dest = os.path.join(self.keep, "%03d-%s-%s" % (len(self.failures), kind, target))
            if os.path.isdir(path):
                shutil.copytree(path, dest)
            else:
                os.makedirs(dest, exist_ok=True); shutil.copy(path, dest)
            with open(os.path.join(dest, "WHAT.txt"), "w") as f:
                f.write(detail + "\n")
        print("FAIL %s %s: %s" % (kind, target, detail[:300]), flush=True)

    def ingest(self, state, extra=()):
        data = os.path.join(self.work, "data-%d" % self.runs)
        cmd = [self.bin, "ingest", "--openclaw", state, "--gateway-logs", os.path.join(self.work, "none"), "--data", data,
               "--format", "json"] + list(extra)
        code, out, err, _ = run(cmd)
        shutil.rmtree(data, ignore_errors=True)
        summary = None
        try:
            summary = json.loads(out)
        except ValueError:
            pass
        return code, out, err, summary

    def oracle(self, state):
        p = subprocess.run([self.py, os.path.join(ROOT, "Tests/tools/oracle_transcripts.py"), state], capture_output=True, timeout=120)
        try:
            return json.loads(p.stdout)
        except ValueError:
            return None

    def transcripts(self):
        names = [n for n in sorted(os.listdir(SAMPLES)) if n.endswith("session-transcripts.jsonl") or n.endswith("session.jsonl")]
        name = self.rng.choice(names)
        state = os.path.join(self.work, "t%d" % self.runs)
        sessions = os.path.join(state, "agents", "fuzz", "sessions")
        os.makedirs(sessions)
        data = open(os.path.join(SAMPLES, name), "rb").read()
        clean = self.oracle_for(state, sessions, data)
        mutated = mutate_bytes(data, self.rng)
        with open(os.path.join(sessions, "s.jsonl"), "wb") as f:
            f.write(mutated)
        code, out, err, summary = self.ingest(state)
        problem = verdict(code, err)
        if problem:
            self.fail(problem, "transcripts", "%s: exit %s %s" % (name, code, err[-300:]), state)
        elif code == 0 and summary is not None and mutated != data and valid_utf8(mutated):
            # (Invalid UTF-8 inside a string the call does not need is read leniently by Home Base
            # and rejected whole by Python's json, so such mutations are not compared.)
            after = self.oracle(state)
            if after and clean and after.get("calls") != clean.get("calls") and summary.get("calls") == clean.get("calls"):
                self.fail("silent", "transcripts", "%s: oracle calls %s -> %s, ingest still %s with exit 0"
                          % (name, clean.get("calls"), after.get("calls"), summary.get("calls")), state)
        shutil.rmtree(state, ignore_errors=True)

    def oracle_for(self, state, sessions, data):
        with open(os.path.join(sessions, "s.jsonl"), "wb") as f:
            f.write(data)
        return self.oracle(state)

    def store(self):
        state = os.path.join(self.work, "s%d" % self.runs)
        shutil.copytree(self.state + "/openclaw", state)
        dbs = sorted(os.path.join(r, f) for r, _, fs in os.walk(state) for f in fs if f.endswith(".sqlite"))
        zsts = sorted(os.path.join(r, f) for r, _, fs in os.walk(state) for f in fs if f.endswith(".zst"))
        choice = self.rng.randrange(4)
        if choice == 3 and zsts:
            path = self.rng.choice(zsts)
            open(path, "wb").write(mutate_bytes(open(path, "rb").read(), self.rng))
        elif dbs:
            con = sqlite3.connect(self.rng.choice(dbs))
            try:
                with con:
                    if choice == 0:
                        row = con.execute("SELECT rowid, event_json FROM transcript_events ORDER BY random() LIMIT 1").fetchone()
                        if row:
                            body = mutate_bytes(row[1].encode() if isinstance(row[1], str) else row[1], self.rng)
                            con.execute("UPDATE transcript_events SET event_json = ? WHERE rowid = ?", (body.decode("utf-8", "replace"), row[0]))
                    elif choice == 1:
                        value = self.rng.choice([None, 1.5, "x", 2 ** 62, -1, 0])
                        con.execute("UPDATE transcript_events SET seq = ? WHERE rowid = (SELECT rowid FROM transcript_events ORDER BY random() LIMIT 1)", (value,))
                    else:
                        row = con.execute("SELECT rowid, archive_blob FROM session_transcript_archives ORDER BY random() LIMIT 1").fetchone()
                        if row:
                            con.execute("UPDATE session_transcript_archives SET archive_blob = ? WHERE rowid = ?", (mutate_bytes(row[1], self.rng), row[0]))
            except sqlite3.IntegrityError:
                pass  # the schema refuses that value (e.g. a NULL seq under NOT NULL): the store stays valid
            con.close()
        code, out, err, summary = self.ingest(state)
        problem = verdict(code, err)
        if problem:
            self.fail(problem, "store", "exit %s %s" % (code, err[-300:]), state)
        shutil.rmtree(state, ignore_errors=True)

    def invoices(self):
        names = sorted(os.listdir(INVOICES))
        name = self.rng.choice(names)
        folder = os.path.join(self.work, "i%d" % self.runs)
        os.makedirs(folder)
        open(os.path.join(folder, name), "wb").write(mutate_bytes(open(os.path.join(INVOICES, name), "rb").read(), self.rng))
        empty = os.path.join(self.work, "empty-state"); os.makedirs(empty, exist_ok=True)
        code, out, err, summary = self.ingest(empty, ["--invoices", folder])
        problem = verdict(code, err)
        if problem:
            self.fail(problem, "invoices", "%s: exit %s %s" % (name, code, err[-300:]), folder)
        shutil.rmtree(folder, ignore_errors=True)

    def parts(self):
        lake = os.path.join(self.work, "p%d" % self.runs)
        shutil.copytree(self.lake, lake)
        parts = sorted(os.path.join(r, f) for r, _, fs in os.walk(os.path.join(lake, "tables", "requests")) for f in fs if f.endswith(".parquet"))
        path = self.rng.choice(parts)
        b = bytearray(open(path, "rb").read())
        i = self.rng.randrange(4, max(5, len(b) - 8))
        b[i] ^= 1 << self.rng.randrange(8)
        open(path, "wb").write(bytes(b))
        code, out, err = self.query(lake)
        problem = verdict(code, err)
        if problem:
            self.fail(problem, "parts", "exit %s %s" % (code, err[-300:]), lake)
        elif code == 0 and out != self.lake_numbers[1]:
            # Parquet has no checksum over its footer, so a flip there can change what a query
            # reads; the catalog's SHA-256 per part is the defence, and doctor --deep must name it.
            dcode, dout, derr, _ = run([self.bin, "doctor", "--deep", "--data", lake])
            named = os.path.basename(path).encode() in dout + derr
            if dcode in (0, 3) or not named:
                self.fail("silent", "parts", "byte %d of %s flipped: %r became %r with exit 0, and doctor --deep did not name the part"
                          % (i, os.path.basename(path), self.lake_numbers[1], out), lake)
        shutil.rmtree(lake, ignore_errors=True)

    def backups_(self):
        folder = os.path.join(self.work, "b%d" % self.runs)
        shutil.copytree(self.backups, folder)
        archives = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".tar.gz"))
        path = self.rng.choice(archives)
        b = bytearray(open(path, "rb").read())
        i = self.rng.randrange(len(b))
        b[i] ^= 1 << self.rng.randrange(8)
        open(path, "wb").write(bytes(b))
        code, out, err, _ = run([self.bin, "backup", "verify", path, "--backups", folder])
        problem = verdict(code, err)
        if problem:
            self.fail(problem, "backups", "exit %s %s" % (code, err[-300:]), folder)
        elif code == 0:
            self.fail("silent", "backups", "byte %d flipped, verify exited 0" % i, folder)
        shutil.rmtree(folder, ignore_errors=True)

    def go(self):
        targets = [self.transcripts, self.store, self.invoices, self.parts, self.backups_]
        end = time.monotonic() + self.args.seconds
        while time.monotonic() < end:
            target = targets[self.runs % len(targets)]
            self.runs += 1
            try:
                target()
            except Exception as e:  # a harness problem is reported, not hidden
                self.fail("harness", target.__name__, repr(e), self.work)
        shutil.rmtree(self.work, ignore_errors=True)
        print("%d passed, %d failed" % (self.runs - len(self.failures), len(self.failures)))
        return 1 if self.failures else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/homebase"))
    ap.add_argument("--keep", default=os.path.join(ROOT, ".build/fuzz-failures"))
    a = ap.parse_args()
    print("fuzz: seed %d, %d s" % (a.seed, a.seconds), flush=True)
    sys.exit(Fuzzer(a).go())
