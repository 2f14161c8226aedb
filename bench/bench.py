#!/usr/bin/env python3
"""Lifeboat against the bare tools it wraps, in one run on one machine.

Builds pgbench databases with poorly compressible data (stock pgbench filler is blanks and flatters
every compressor), then runs each pair interleaved (A B A B ...) after a warm-up and reports the
median wall time, the ratio, output sizes and each process's peak RSS. Talks to the PostgreSQL named
by the standard PG* environment (default: 127.0.0.1:5432 as the current user); needs createdb rights.

    python3 bench/bench.py                      # scales 20 and 100, 5 counted runs
    python3 bench/bench.py --scales 5 --runs 3  # quicker
    python3 bench/bench.py --json               # machine-readable
    python3 bench/bench.py --rows list,startup  # only the listing and start-up rows (a scale-1 database)

Pairs per scale: backup (default gzip) vs pg_dump -Fc; the same backup by an MCP server that is
already running (create_backup over stdio: the warm path, no JVM start) vs pg_dump -Fc; backup --compression zstd vs pg_dump -Fc
(default gzip); backup with age encryption vs the same backup without it; restore --jobs 1 vs
createdb + pg_restore (one job); restore (default: one job per core) vs createdb + pg_restore -j cores;
restore of the zstd backup vs the same bare -j cores (spooled, and streamed with one job); the
restore by a running MCP server (restore_backup, the warm path) vs the same bare -j cores; restore
--replace (plain and zstd, and by a running MCP server) vs createdb + pg_restore -j cores; pg_restore -j of a pipe-written dump (no data
offsets, as Lifeboat stores it) vs a file-written one, gzip'd and uncompressed; checksum verify vs sha256sum. The age pair needs
age-keygen on PATH (it is skipped with a note otherwise).

Runs Lifeboat through bin/lifeboat and bin/lifeboat-mcp, with the JVM options and start-up archive
users get (the archive is made in the bench's own cache directory by each pair's uncounted warm-up
run). Builds the jars first if they are missing.
"""

import argparse
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI_JAR = os.path.join(ROOT, "cli", "target", "lifeboat.jar")
MCP_JAR = os.path.join(ROOT, "mcp-server", "target", "lifeboat-mcp.jar")
CLI = os.path.join(ROOT, "bin", "lifeboat")
MCP = os.path.join(ROOT, "bin", "lifeboat-mcp")
ROWS = ("backup", "restore", "verify", "list", "startup")


def pg_bin(tool):
    """The newest local PostgreSQL binary of that name (pg_wrapper on PATH picks per call)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + tool), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(tool)


# CPU seconds (user + system) of the last process timed() reaped: on a machine shared with other
# builds the wall time swings with the load, the CPU a process needed much less
LAST_CPU = [0.0]


def timed(cmd, env=None):
    """Wall time and the peak RSS of exactly this process, reaped with wait4 (its CPU in LAST_CPU)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        sys.exit("failed (%d): %s\n%s" % (code, " ".join(cmd), err.decode(errors="replace")[-2000:]))
    return wall, usage.ru_maxrss, out


def psql(db, sql, env):
    subprocess.run([pg_bin("psql"), "-v", "ON_ERROR_STOP=1", "-qAt", "-d", db, "-c", sql], env=env,
                   check=True, stdout=subprocess.DEVNULL)


def make_database(scale, env):
    name = "lifeboat_bench_s%d" % scale
    subprocess.run([pg_bin("dropdb"), "--if-exists", name], env=env, check=True)
    subprocess.run([pg_bin("createdb"), name], env=env, check=True)
    subprocess.run([pg_bin("pgbench"), "-i", "-q", "-s", str(scale), name], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # random filler and balances: data that compresses like real data, not 40:1 blanks
    psql(name, "UPDATE pgbench_accounts SET filler = substr(md5(random()::text) || md5(random()::text)"
               " || md5(random()::text), 1, 84), abalance = (random() * 100000)::int", env)
    psql(name, "VACUUM FULL ANALYZE", env)
    return name


def age_recipient(workdir):
    """A fresh age key pair for the encryption pair; None when age-keygen is not installed."""
    keygen = shutil.which("age-keygen")
    if keygen is None:
        return None
    key = os.path.join(workdir, "age.key")
    if not os.path.exists(key):
        subprocess.run([keygen, "-o", key], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run([keygen, "-y", key], check=True, capture_output=True, text=True).stdout.strip()


def write_config(workdir, dbname, env, recipient=None):
    """Store 'local' (plain, the default) and, given an age recipient, store 'vault' that encrypts."""
    store = os.path.join(workdir, "store")
    vault = ""
    if recipient:
        vault = """  vault:
    uri: file://%s
    encryption:
      recipients: [%s]
""" % (os.path.join(workdir, "vault"), recipient)
    text = """databases:
  bench:
    host: %s
    port: %s
    dbname: %s
    user: %s
stores:
  local:
    uri: file://%s
%sdefaults:
  store: local
state_dir: %s
""" % (env.get("PGHOST", "127.0.0.1"), env.get("PGPORT", "5432"), dbname,
       env.get("PGUSER", os.environ.get("USER", "postgres")), store, vault, os.path.join(workdir, "state"))
    path = os.path.join(workdir, "lifeboat.yaml")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def lifeboat(config, *args):
    return [CLI, *args, "--config", config]


def pairs_for(scale, runs, env, workdir, results, rows=ROWS):
    dbname = make_database(scale, env)
    recipient = age_recipient(workdir)
    config = write_config(workdir, dbname, env, recipient)
    bare = os.path.join(workdir, "bare.dump")
    cores = str(os.cpu_count())

    def backup_with(*extra):
        def run():
            w, rss, out = timed(lifeboat(config, "backup", "create", "--json", *extra), env)
            return w, rss, json.loads(out)["manifest"]
        return run

    backup_a = backup_with()

    def backup_b():
        if os.path.exists(bare):
            os.remove(bare)
        w, rss, _ = timed([pg_bin("pg_dump"), "-Fc", "-f", bare, dbname], env)
        return w, rss, os.path.getsize(bare)

    def measure(name, a, b, n):
        a(), b()  # warm-up (page cache, JVM class loading from disk), not counted
        ra, rb, cpu_a, cpu_b = [], [], [], []
        for _ in range(n):
            ra.append(a())
            cpu_a.append(LAST_CPU[0])
            rb.append(b())
            cpu_b.append(LAST_CPU[0])
        ma = statistics.median(x[0] for x in ra)
        mb = statistics.median(x[0] for x in rb)
        row = {"scale": scale, "pair": name, "lifeboat_s": round(ma, 3), "bare_s": round(mb, 3),
               "ratio": round(ma / mb, 3) if mb else None,
               "lifeboat_peak_rss_mib": round(max(x[1] for x in ra) / 1024, 1),
               "bare_peak_rss_mib": round(max(x[1] for x in rb) / 1024, 1),
               "lifeboat_cpu_s": round(statistics.median(cpu_a), 3),
               "bare_cpu_s": round(statistics.median(cpu_b), 3)}
        results.append(row)
        return ra, rb

    if "backup" in rows:
        ra, rb = measure("backup create vs pg_dump -Fc -f", backup_a, backup_b, runs)
        results[-1]["lifeboat_bytes"] = ra[-1][2]["size_bytes"]
        results[-1]["bare_bytes"] = rb[-1][2]
    else:  # one uncounted backup of each kind for the rows that read them
        ra, rb = [backup_a()], [backup_b()]
    backup_id = ra[-1][2]["id"]

    if "backup" in rows:
        # the warm path: the same backup by a server that is already running (no JVM start, classes
        # loaded and compiled by the calls before), as an agent or the HTTP server's schedules get it
        with WarmServer(config, env) as server:
            rw, rb = measure("backup by a running MCP server (create_backup, no JVM start) vs pg_dump -Fc -f",
                            server.create_backup, backup_b, runs)
        results[-1]["lifeboat_bytes"] = rw[-1][2]["size_bytes"]
        results[-1]["bare_bytes"] = rb[-1][2]

    if "backup" in rows:
        # target: <= 0.5x the wall time of pg_dump's default (gzip), with a smaller output
        rz, rb = measure("backup create --compression zstd vs pg_dump -Fc -f (gzip)", backup_with("--compression", "zstd"),
                         backup_b, runs)
        results[-1]["lifeboat_bytes"] = rz[-1][2]["size_bytes"]
        results[-1]["bare_bytes"] = rb[-1][2]
        zstd_id = rz[-1][2]["id"]

        if recipient:
            # target: <= 1.10x; both sides are Lifeboat at the default compression, "bare" is age off
            re_, rp = measure("backup create, age on vs age off (both Lifeboat, gzip)",
                              backup_with("--store", "vault"), backup_a, runs)
            results[-1]["lifeboat_bytes"] = re_[-1][2]["size_bytes"]
            results[-1]["bare_bytes"] = rp[-1][2]["size_bytes"]
        else:
            results.append({"scale": scale, "pair": "backup create, age on vs age off: skipped (no age-keygen)",
                            "lifeboat_s": None, "bare_s": None, "ratio": None})
    else:
        zstd_id = backup_with("--compression", "zstd")()[2]["id"] if "restore" in rows else None
    counter = [0]

    def restore_with(bid, *extra):
        def run():
            counter[0] += 1
            target = "%s_r%d" % (dbname, counter[0])
            w, rss, _ = timed(lifeboat(config, "restore", bid, "--target-database", target, *extra), env)
            subprocess.run([pg_bin("dropdb"), target], env=env, check=True)
            return w, rss
        return run

    def bare_restore(jobs):
        def run():
            counter[0] += 1
            target = "%s_r%d" % (dbname, counter[0])
            start = time.monotonic()
            subprocess.run([pg_bin("createdb"), target], env=env, check=True)
            _, rss, _ = timed([pg_bin("pg_restore"), "--no-owner", "-j", jobs, "-d", target, bare], env)
            w = time.monotonic() - start
            subprocess.run([pg_bin("dropdb"), target], env=env, check=True)
            return w, rss
        return run

    if "restore" in rows:
        measure("restore --jobs 1 (verify+restore) vs createdb+pg_restore (one job)",
                restore_with(backup_id, "--jobs", "1"), bare_restore("1"), runs)
        measure("restore (verify+restore, default jobs = %s cores) vs createdb+pg_restore -j%s" % (cores, cores),
                restore_with(backup_id), bare_restore(cores), runs)
        # pgbench_accounts holds nearly all rows: the data streams into one job, the indexes after it
        # are built with the cores' jobs from a copy of the archive's head (no spool of the whole dump)
        measure("restore of the zstd backup (-j%s: data streamed in one job, then post-data in %s) vs "
                "createdb+pg_restore -j%s" % (cores, cores, cores), restore_with(zstd_id), bare_restore(cores), runs)

        # the same zstd backup streamed from the store into one pg_restore job: no spool of the whole
        # decompressed dump on disk (what a parallel restore of an encoded archive needs first)
        measure("restore of the zstd backup, one job streamed (no spool) vs createdb+pg_restore -j%s" % cores,
                restore_with(zstd_id, "--jobs", "1"), bare_restore(cores), runs)

        # the warm path: the same restore by a server that is already running (no JVM start)
        with WarmServer(config, env) as server:
            def warm_restore():
                counter[0] += 1
                target = "%s_r%d" % (dbname, counter[0])
                w, rss = server.restore(backup_id, target)
                subprocess.run([pg_bin("dropdb"), target], env=env, check=True)
                return w, rss
            measure("restore by a running MCP server (restore_backup, default jobs, no JVM start) vs "
                    "createdb+pg_restore -j%s" % cores, warm_restore, bare_restore(cores), runs)

        # restore --replace over a live database: plan (not timed), then the confirmed run: restore
        # beside, carry over, swap; the kept copy is dropped after each run. The swap's own time is the
        # only time the database is unavailable (target < 1 s at any size)
        live = "%s_live" % dbname
        subprocess.run(lifeboat(config, "restore", backup_id, "--target-database", live), env=env, check=True,
                       stdout=subprocess.DEVNULL)
        swaps = []

        def replace_with(bid):
            def run():
                plan = subprocess.run(lifeboat(config, "restore", bid, "--target-database", live, "--replace",
                                               "--plan", "--json"), env=env, check=True, capture_output=True)
                token = json.loads(plan.stdout)["plan"]["confirmation"]["token"]
                w, rss, out = timed(lifeboat(config, "restore", bid, "--target-database", live, "--replace",
                                             "--confirm", token, "--json"), env)
                done = json.loads(out)["restore"]
                swaps.append(done["swap_millis"])
                subprocess.run([pg_bin("dropdb"), done["previous"]], env=env, check=True)
                return w, rss
            return run

        measure("restore --replace over a live database (verify+restore beside+swap, -j%s) vs createdb+pg_restore -j%s"
                % (cores, cores), replace_with(backup_id), bare_restore(cores), runs)
        results[-1]["swap_ms_max"] = max(swaps)
        measure("restore --replace of the zstd backup (-j%s) vs createdb+pg_restore -j%s of the gzip dump"
                % (cores, cores), replace_with(zstd_id), bare_restore(cores), runs)
        results[-1]["swap_ms_max"] = max(swaps)

        # the same replace by a server that is already running: what the JVM's start costs the CLI's
        with WarmServer(config, env) as server:
            warm_swaps = []

            def warm_replace():
                w, rss, done = server.replace(backup_id, live)
                warm_swaps.append(done["swap_millis"])
                subprocess.run([pg_bin("dropdb"), done["previous"]], env=env, check=True)
                return w, rss
            measure("restore --replace by a running MCP server (restore_over_existing confirmed, -j%s, no JVM "
                    "start) vs createdb+pg_restore -j%s" % (cores, cores), warm_replace, bare_restore(cores), runs)
            results[-1]["swap_ms_max"] = max(warm_swaps)
        subprocess.run([pg_bin("dropdb"), live], env=env, check=True)

        # what Lifeboat stores is pg_dump writing to a pipe: no data offsets in the table of contents, so
        # pg_restore -j finds each table's data by scanning; compare with the same dump written to a file
        piped = os.path.join(workdir, "piped.dump")
        with open(piped, "wb") as f:
            dump = subprocess.Popen([pg_bin("pg_dump"), "-Fc", dbname], env=env, stdout=subprocess.PIPE)
            cat = subprocess.Popen(["cat"], stdin=dump.stdout, stdout=f)
            dump.stdout.close()
            if cat.wait() != 0 or dump.wait() != 0:
                sys.exit("pg_dump -Fc | cat failed")

        def bare_restore_of(path):
            def run():
                counter[0] += 1
                target = "%s_r%d" % (dbname, counter[0])
                subprocess.run([pg_bin("createdb"), target], env=env, check=True)
                w, rss, _ = timed([pg_bin("pg_restore"), "--no-owner", "-j", cores, "-d", target, path], env)
                subprocess.run([pg_bin("dropdb"), target], env=env, check=True)
                return w, rss
            return run

        measure("pg_restore -j%s: pipe-written dump (as stored) vs file-written dump (both bare)" % cores,
                bare_restore_of(piped), bare_restore_of(bare), runs)

        # what a zstd backup decodes to is an uncompressed archive with one data chunk per row: without
        # offsets, each pg_restore -j worker steps through them one by one. Lifeboat writes the offsets into
        # its spool (ArchiveOffsets), which makes the spool the file-written dump of this row
        piped0, file0 = os.path.join(workdir, "piped0.dump"), os.path.join(workdir, "file0.dump")
        with open(piped0, "wb") as f:
            dump = subprocess.Popen([pg_bin("pg_dump"), "-Fc", "-Z0", dbname], env=env, stdout=subprocess.PIPE)
            cat = subprocess.Popen(["cat"], stdin=dump.stdout, stdout=f)
            dump.stdout.close()
            if cat.wait() != 0 or dump.wait() != 0:
                sys.exit("pg_dump -Fc -Z0 | cat failed")
        subprocess.run([pg_bin("pg_dump"), "-Fc", "-Z0", "-f", file0, dbname], env=env, check=True)
        measure("pg_restore -j%s: uncompressed pipe-written dump (a zstd backup decoded, no offsets) vs file-written"
                " (both bare)" % cores, bare_restore_of(piped0), bare_restore_of(file0), runs)
        os.remove(piped0)
        os.remove(file0)

    stored = os.path.join(workdir, "store", "bench", backup_id, "dump")
    if "verify" in rows:
        measure("verify --level checksum vs sha256sum",
                lambda: timed(lifeboat(config, "verify", backup_id, "--level", "checksum"), env)[:2],
                lambda: timed(["sha256sum", stored], env)[:2], runs)
    psql("postgres", "DROP DATABASE IF EXISTS %s" % dbname, env)
    return config


class WarmServer:
    """One stdio MCP server (bin/lifeboat-mcp) kept running; each create_backup is timed from request
    to answer, and its CPU is what the server and the pg_dump it reaped used meanwhile (/proc)."""

    def __init__(self, config, env):
        self.proc = subprocess.Popen([MCP, "--config", config], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.ids = 0
        self.call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                 "clientInfo": {"name": "bench", "version": "1"}})
        self.proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        self.proc.stdin.flush()

    def call(self, method, params):
        self.ids += 1
        self.proc.stdin.write((json.dumps({"jsonrpc": "2.0", "id": self.ids, "method": method,
                                           "params": params}) + "\n").encode())
        self.proc.stdin.flush()
        while True:  # skip notifications until the answer to this request
            answer = json.loads(self.proc.stdout.readline())
            if answer.get("id") == self.ids:
                if "error" in answer or answer.get("result", {}).get("isError"):
                    sys.exit("%s failed: %s" % (method, json.dumps(answer)[:2000]))
                return answer["result"]

    def cpu(self):
        """User + system seconds of the server and of the children it reaped."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def tool(self, name, arguments):
        """Calls a long-running tool (waiting up to 50 s a call, then for its operation): its wall time,
        the server's peak RSS and the tool's result; the CPU it took meanwhile goes to LAST_CPU."""
        before = self.cpu()
        start = time.monotonic()
        answer = self.call("tools/call", {"name": name, "arguments": dict(arguments, wait=50)})
        result = answer["structuredContent"]
        while result.get("status") == "running":  # longer than one call may wait: the operation's result
            got = self.call("tools/call", {"name": "get_operation", "arguments": {
                "operation_id": result["operation_id"], "wait": 50}})["structuredContent"]
            result = got.get("result") or {"status": "running", "operation_id": result["operation_id"]}
        wall = time.monotonic() - start
        LAST_CPU[0] = self.cpu() - before
        with open("/proc/%d/status" % self.proc.pid) as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        return wall, rss, result

    def create_backup(self):
        wall, rss, result = self.tool("create_backup", {"database": "bench"})
        return wall, rss, result["backup"]

    def restore(self, backup_id, target):
        """restore_backup into a new database (the default jobs: one per core)."""
        wall, rss, _ = self.tool("restore_backup", {"backup_id": backup_id, "target_dbname": target})
        return wall, rss

    def replace(self, backup_id, target):
        """restore_over_existing (mode replace, default jobs) over {target}: the plan (not timed), then the
        call with its token, as a client without forms makes it once the person approved, timed as tool()
        times it (so a replace longer than one call's wait follows its operation); wall, peak RSS and the
        result (its 'previous' is the kept copy)."""
        arguments = {"backup_id": backup_id, "target_dbname": target}
        plan = self.call("tools/call", {"name": "restore_over_existing", "arguments": arguments})
        token = plan["structuredContent"]["confirmation"]["token"]
        wall, rss, result = self.tool("restore_over_existing", dict(arguments, confirm_token=token))
        return wall, rss, result["result"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.stdin.close()
        self.proc.wait()


def list_and_startup(config, runs, workdir, results, env, rows=ROWS):
    if "list" in rows:
        list_rows(config, runs, workdir, results, env)
    if "startup" in rows:
        startup_rows(config, runs, results, env)


def list_rows(config, runs, workdir, results, env):
    # 10,000 manifests: copies of a real one under fresh ids (listing reads manifests only)
    store = os.path.join(workdir, "store", "bench")
    real = sorted(os.listdir(store))[0]
    with open(os.path.join(store, real, "manifest.json")) as f:
        manifest = json.load(f)
    for i in range(10000):
        bid = "bench-20250101T%02d%02d%02dZ-%04x" % (i // 3600 % 24, i // 60 % 60, i % 60, i)
        d = os.path.join(store, bid)
        if os.path.isdir(d):
            continue
        os.makedirs(d)
        manifest["id"] = bid
        with open(os.path.join(d, "manifest.json"), "w") as f:
            json.dump(manifest, f)
    cache = os.path.join(workdir, "state", "cache")

    def cold():
        shutil.rmtree(cache, ignore_errors=True)  # every manifest read from the store, the cache rebuilt
        return timed(lifeboat(config, "backup", "list", "--json"), env)

    for name, run in (("backup list --json over 10,000 manifests", lambda: timed(
            lifeboat(config, "backup", "list", "--json"), env)),
                      ("backup list over 10,000 manifests (table)", lambda: timed(
                          lifeboat(config, "backup", "list"), env)),
                      ("backup list --json over 10,000 manifests, cache cold", cold)):
        lists, cpus = [], []
        for _ in range(runs + 1):
            lists.append(run())
            cpus.append(LAST_CPU[0])
        lists, cpus = lists[1:], cpus[1:]
        results.append({"scale": None, "pair": name,
                        "lifeboat_s": round(statistics.median(x[0] for x in lists), 3), "bare_s": None,
                        "ratio": None, "lifeboat_peak_rss_mib": round(max(x[1] for x in lists) / 1024, 1),
                        "lifeboat_cpu_s": round(statistics.median(cpus), 3)})
    first, later = mcp_list_backups(config, runs, env)
    results.append({"scale": None, "pair": "MCP list_backups over 10,000 manifests, first call after start",
                    "lifeboat_s": round(first, 3), "bare_s": None, "ratio": None})
    results.append({"scale": None, "pair": "MCP list_backups over 10,000 manifests, later calls",
                    "lifeboat_s": round(statistics.median(later), 3), "bare_s": None, "ratio": None})


def mcp_list_backups(config, runs, env):
    """Seconds from request to answer of list_backups (limit 500, the most one page holds) in one running stdio server."""
    proc = subprocess.Popen([MCP, "--config", config], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)

    def call(request):
        start = time.monotonic()
        proc.stdin.write((json.dumps(request) + "\n").encode())
        proc.stdin.flush()
        while True:  # skip notifications (progress, logging) until the answer to this request
            answer = json.loads(proc.stdout.readline())
            if answer.get("id") == request["id"]:
                if "error" in answer or answer.get("result", {}).get("isError"):
                    sys.exit("list_backups failed: %s" % json.dumps(answer)[:2000])
                return time.monotonic() - start

    call({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}})
    proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    times = [call({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call",
                   "params": {"name": "list_backups", "arguments": {"limit": 500}}}) for i in range(runs + 1)]
    proc.stdin.close()
    proc.wait()
    return times[0], times[1:]


def startup_rows(config, runs, results, env):
    versions, cpus = [], []
    for _ in range(runs + 1):
        versions.append(timed([CLI, "--version"], env))
        cpus.append(LAST_CPU[0])
    versions, cpus = versions[1:], cpus[1:]
    results.append({"scale": None, "pair": "lifeboat --version (no-op start)",
                    "lifeboat_s": round(statistics.median(x[0] for x in versions), 3), "bare_s": None,
                    "ratio": None, "lifeboat_peak_rss_mib": round(max(x[1] for x in versions) / 1024, 1),
                    "lifeboat_cpu_s": round(statistics.median(cpus), 3)})
    init = (json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}})
            + "\n").encode()
    for name, command in (("stdio MCP server (bin/lifeboat-mcp): start to initialize answer", [MCP]),
                          ("stdio MCP server (bin/lifeboat mcp serve): start to initialize answer",
                           [CLI, "mcp", "serve"])):
        starts = []
        for _ in range(runs + 1):
            start = time.monotonic()
            proc = subprocess.Popen(command + ["--config", config], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            proc.stdin.write(init)
            proc.stdin.flush()
            proc.stdout.readline()
            starts.append(time.monotonic() - start)
            proc.stdin.close()
            proc.wait()
        results.append({"scale": None, "pair": name,
                        "lifeboat_s": round(statistics.median(starts[1:]), 3), "bare_s": None, "ratio": None})


def versions(env):
    pg = subprocess.run([pg_bin("psql"), "-qAt", "-d", "postgres", "-c", "SHOW server_version"], env=env,
                        capture_output=True, text=True).stdout.strip()
    # the JVM bin/lifeboat runs: JAVA_HOME's when set (Java 25 and later use an AOT cache), else PATH's
    home = os.environ.get("JAVA_HOME")
    exe = os.path.join(home, "bin", "java") if home and os.access(os.path.join(home, "bin", "java"), os.X_OK) else "java"
    java = subprocess.run([exe, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {"cores": os.cpu_count(), "postgresql": pg, "java": java, "machine": platform.machine()}


def markdown(info, results):
    lines = ["Machine: %(cores)s cores (%(machine)s), PostgreSQL %(postgresql)s, %(java)s" % info, "",
             "| scale | pair | lifeboat (s) | bare (s) | ratio | lifeboat CPU (s) | bare CPU (s) |"
             " lifeboat peak RSS (MiB) | bare peak RSS (MiB) | sizes (bytes) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        sizes = ""
        if "lifeboat_bytes" in r:
            sizes = "%s vs %s" % (r["lifeboat_bytes"], r["bare_bytes"])
        if "swap_ms_max" in r:
            sizes = "swap at most %s ms" % r["swap_ms_max"]
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["scale"] or "", r["pair"], r["lifeboat_s"] or "", r["bare_s"] or "", r["ratio"] or "",
            r.get("lifeboat_cpu_s", ""), r.get("bare_cpu_s") or "",
            r.get("lifeboat_peak_rss_mib", ""), r.get("bare_peak_rss_mib", ""), sizes))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="20 100", help="pgbench scales (default: '20 100')")
    ap.add_argument("--runs", type=int, default=5, help="counted runs per pair after one warm-up (default 5)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    ap.add_argument("--rows", default=",".join(ROWS),
                    help="which rows, comma-separated, of %s (default: all). Without backup, restore or"
                         " verify, one scale-1 database is built for a manifest to copy" % ",".join(ROWS))
    args = ap.parse_args()
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        ap.error("unknown rows %s; choose from %s" % (",".join(unknown), ",".join(ROWS)))
    scales = [int(s) for s in args.scales.split()]
    if not any(r in rows for r in ("backup", "restore", "verify")):
        scales = [1]
    env = dict(os.environ)
    env.setdefault("PGHOST", "127.0.0.1")
    env.setdefault("PGDATABASE", "postgres")
    if not (os.path.exists(CLI_JAR) and os.path.exists(MCP_JAR)):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    results = []
    config = None
    with tempfile.TemporaryDirectory(prefix="lifeboat-bench-") as workdir:
        # the launchers' start-up archives live here: made by the first (uncounted) run, as on first use
        env["XDG_CACHE_HOME"] = os.path.join(workdir, "cache")
        for scale in scales:
            config = pairs_for(scale, args.runs, env, workdir, results, rows)
        list_and_startup(config, args.runs, workdir, results, env, rows)
    info = versions(env)
    if args.json:
        print(json.dumps({"machine": info, "results": results}, indent=2))
    else:
        print(markdown(info, results))


if __name__ == "__main__":
    main()
