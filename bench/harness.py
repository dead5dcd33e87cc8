#!/usr/bin/env python3
"""procman benchmark harness. Run it through bench/run, which builds and installs what it needs.

Every configuration runs on a free loopback port; procman and the bare app are measured side by side in the
same run, alternating A/B/A/B, and the medians of the repetitions are compared. Everything this script
starts runs in its own session (process group); the groups are written to $BENCH_PIDFILE so that bench/run
can kill them even if this script dies, and this script kills them itself on any exit.
"""
import argparse
import datetime
import itertools
import json
import math
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PROCMAN = os.path.join(ROOT, "artifacts/bin/Procman/release/procman")
APP = os.path.join(ROOT, "artifacts/bin/HelloApi/release/HelloApi.dll")
LUA = os.path.join(BENCH, "whoami.lua")
RESULTS = os.path.join(BENCH, "results")
LOGS = os.path.join(RESULTS, "logs")
APP_ENV = {"Logging__LogLevel__Default": "Warning"}
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 40.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    pass


class NoResponse(ConnectionError):
    """The server closed the connection without sending a status line."""


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- processes

_groups = []  # (pgid, Popen) of everything started


def _register(proc):
    _groups.append((proc.pid, proc))
    pidfile = os.environ.get("BENCH_PIDFILE")
    if pidfile:
        with open(pidfile, "a") as f:
            f.write(f"{proc.pid}\n")


def kill_all():
    for pgid, proc in _groups:
        if proc.poll() is None:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def master_event(line):
    """The event of one line of the master's --log-format json output, or None for any other line."""
    if not line.startswith("{"):
        return None
    try:
        ev = json.loads(line)
    except ValueError:
        return None
    return ev if isinstance(ev, dict) and isinstance(ev.get("EventId"), dict) else None


def parse_ts(value):
    """'2026-11-24T22:31:30.5534343Z' (Serilog, 7 fraction digits) -> epoch seconds."""
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$", value)
    if not m:
        raise BenchError(f"unexpected timestamp {value!r} in procman's log")
    base = datetime.datetime.fromisoformat(m.group(1) + (m.group(3) or "Z").replace("Z", "+00:00"))
    frac = float("0." + m.group(2)) if m.group(2) else 0.0
    return base.timestamp() + frac


def http_get(port, path="/healthz", timeout=5.0):
    """One request on a fresh connection. Returns the status code; raises OSError on failure."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    if not m:
        raise NoResponse("closed without a response")
    return int(m.group(1))


def wait_first_200(port, deadline, proc, what):
    """Polls GET /healthz until it returns 200; returns the time it did."""
    while True:
        if proc.poll() is not None:
            raise BenchError(f"{what} exited with code {proc.returncode} before answering on port {port}")
        left = deadline - time.time()
        if left <= 0:
            raise BenchError(f"{what}: port {port} never answered GET /healthz with 200 within {READY_TIMEOUT:.0f} s")
        try:
            if http_get(port, timeout=min(left, 5.0)) == 200:
                return time.time()
        except OSError:
            pass
        time.sleep(0.01)


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14 and 15)


def per_thread(pid, name):
    """tid -> the text of /proc/PID/task/TID/NAME, for each thread still there."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/{name}") as f:
                out[tid] = f.read()
        except OSError:
            pass
    return out


def thread_cpu_ns(pid):
    """tid -> nanoseconds on the CPU (/proc/PID/task/TID/schedstat), exact where /proc/PID/stat counts 10 ms ticks."""
    return {tid: int(text.split()[0]) for tid, text in per_thread(pid, "schedstat").items() if text.split()}


def cpu_ms_between(before, after):
    """CPU ms of the threads alive at the end since the first sample (a thread started meanwhile counts from 0);
       a thread that exited meanwhile is left out, which for an idle pool thread retiring loses nothing."""
    return sum(ns - before.get(tid, 0) for tid, ns in after.items()) / 1e6


def machine_cpu_ticks():
    """(busy, stolen, all) ticks of all CPUs from the first line of /proc/stat: busy is user, nice, system, irq and
       softirq; stolen is what the hypervisor gave to other guests while this one wanted the CPU."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + steal + idle + iowait


def proc_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def proc_memory_mb(pid):
    """(RSS, PSS, USS) in MB from /proc/PID/smaps_rollup. RSS counts every shared page (the framework's code) in
       full in each process; PSS gives each process its fair part of a shared page; USS counts only the pages no
       other process maps, what ending the process would free."""
    kb = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                kb[key] = int(rest.split()[0])
    return kb["Rss"] / 1024, kb["Pss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024


def memory_sum_mb(pids):
    """(RSS, PSS, USS) summed over pids; a process gone meanwhile counts 0."""
    total = [0.0, 0.0, 0.0]
    for pid in pids:
        try:
            for i, v in enumerate(proc_memory_mb(pid)):
                total[i] += v
        except (OSError, KeyError):
            pass
    return tuple(total)


# How often the memory samplers read /proc/PID/smaps_rollup while load runs. The kernel walks a process's page tables
# under its mmap lock for each read, a few ms for a worker: every 100 ms it cost a -w 2 master under keep-alive load
# about a quarter of its req/s (39.3k unsampled, 30.2k sampled, medians of 8 alternating 10 s runs), which made the
# sampled steady runs of scenario 3 slow and its reload ratios read above 1. Once a second costs nothing measurable
# (42.7k in the same runs), and a reload's peak (old and new workers at once) lasts seconds.
MEMORY_SAMPLE_S = 1.0


class PssSampler(threading.Thread):
    """Samples the summed PSS of a master and all its children every MEMORY_SAMPLE_S (old and new workers during a
       reload); keeps the peak."""

    def __init__(self, pm):
        super().__init__(daemon=True)
        self.pm = pm
        self.peak = self.sample()
        self.stop_flag = threading.Event()

    def sample(self):
        return memory_sum_mb([self.pm.master_pid] + self.pm.worker_pids())[1]

    def run(self):
        while not self.stop_flag.wait(MEMORY_SAMPLE_S):
            self.peak = max(self.peak, self.sample())

    def finish(self):
        self.stop_flag.set()
        self.join(5)
        return self.peak


def proc_threads(pid):
    """(number of threads, number of '.NET Server GC' threads): the second is 0 under workstation GC."""
    n = gc = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            n += 1
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    gc += f.read().strip() == ".NET Server GC"
            except OSError:
                pass
    except OSError:
        return float("nan"), float("nan")
    return n, gc


class MemorySampler(threading.Thread):
    """Samples the summed RSS and PSS of some pids every MEMORY_SAMPLE_S while load runs; keeps the peaks."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = list(pids)
        self.peak_rss, self.peak_pss, _ = memory_sum_mb(self.pids)
        self.stop_flag = threading.Event()

    def sample(self):
        rss, pss, _ = memory_sum_mb(self.pids)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def run(self):
        while not self.stop_flag.wait(MEMORY_SAMPLE_S):
            self.sample()

    def finish(self):
        self.stop_flag.set()
        self.join(5)
        self.sample()
        return self.peak_rss, self.peak_pss


class Server:
    label = "?"

    def __init__(self, name):
        self.name = name
        self.proc = None
        self.port = None
        self.t_start = None
        os.makedirs(LOGS, exist_ok=True)
        self.logpath = os.path.join(LOGS, f"{name}.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def tail(self, n=15):
        try:
            with open(self.logpath, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def cpu_pids(self):
        """The processes whose CPU time is the server's."""
        return [self.proc.pid]

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log(f"{self.name} did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM; killing its process group")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


class Bare(Server):
    """The sample app run directly by dotnet, no procman."""

    def start(self):
        self.port = free_port()
        env = dict(os.environ, **APP_ENV)
        self._logf = open(self.logpath, "w")
        cmd = ["dotnet", APP, "--urls", f"http://127.0.0.1:{self.port}"]
        self.t_start = time.time()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        _register(self.proc)
        return self

    def wait_ready(self):
        try:
            t = wait_first_200(self.port, self.t_start + READY_TIMEOUT, self.proc, f"bare app ({self.name})")
        except BenchError as e:
            raise BenchError(f"{e}\n--- last lines of {self.logpath}:\n{self.tail()}")
        self.startup = t - self.t_start
        return self


class Procman(Server):
    """procman run HelloApi.dll -w N on 127.0.0.1:0; the port is read from its JSON log (event 50)."""

    def __init__(self, name, workers, env=None, args=None):
        super().__init__(name)
        self.workers = workers
        self.env = dict(env or {})  # extra variables for the workers, passed with -e
        self.args = list(args or [])  # extra procman options, e.g. ["--balance", "false"]
        self.events = []  # (arrival time, event dict)
        self.cond = threading.Condition()

    @property
    def master_pid(self):
        return self.proc.pid

    def start(self):
        cmd = [PROCMAN, "run", APP, "-w", str(self.workers), "-b", "127.0.0.1:0", "--log-format", "json"]
        for k, v in dict(APP_ENV, **self.env).items():
            cmd += ["-e", f"{k}={v}"]
        cmd += self.args
        self.cmd = cmd
        self.t_start = time.time()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, text=True, errors="replace")
        _register(self.proc)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self):
        with open(self.logpath, "w") as logf:
            for line in self.proc.stdout:
                now = time.time()
                logf.write(line)
                logf.flush()
                if (ev := master_event(line)) is not None:
                    with self.cond:
                        self.events.append((now, ev))
                        self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_event(self, pred, timeout, since=0, what="an event"):
        """Waits for the first event at index >= since that satisfies pred; returns (index, event)."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for i in range(since, len(self.events)):
                    if pred(self.events[i][1]):
                        return i, self.events[i][1]
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise BenchError(f"procman ({self.name}) exited with code {self.proc.returncode} while waiting for "
                                     f"{what}\n--- last lines of {self.logpath}:\n{self.tail()}")
                left = deadline - time.time()
                if left <= 0:
                    raise BenchError(f"procman ({self.name}): no {what} within {timeout:.0f} s\n"
                                     f"--- last lines of {self.logpath}:\n{self.tail()}")
                self.cond.wait(min(left, 0.5))

    def wait_ready(self):
        _, ev = self.wait_event(lambda e: e["EventId"]["Id"] == 50, READY_TIMEOUT, what="'Listening at' (event 50)")
        self.port = int(ev["Address"].rsplit(":", 1)[1])
        self.startup_listening = parse_ts(ev["@t"]) - self.t_start
        ready = {}
        since = 0
        while len(ready) < self.workers:
            left = self.t_start + READY_TIMEOUT - time.time()
            since, ev = self.wait_event(lambda e: e["EventId"]["Id"] == 3, max(left, 0.1), since,
                                        what=f"ready event (id 3) for all {self.workers} worker(s)")
            ready[ev["Slot"]] = ev
            since += 1
        self.startup_all_ready = max(parse_ts(e["@t"]) for e in ready.values()) - self.t_start
        return self

    def current_workers(self):
        """slot -> pid of the latest ready worker per slot."""
        with self.cond:
            slots = {}
            for _, ev in self.events:
                if ev["EventId"]["Id"] == 3:
                    slots[ev["Slot"]] = ev["Pid"]
            return slots

    def event_count(self):
        with self.cond:
            return len(self.events)

    def cpu_pids(self):
        return [self.master_pid] + self.worker_pids()

    def worker_pids(self):
        """The master's children: /proc lists a child under the thread that started it, so every thread is read."""
        return sorted({int(p) for text in per_thread(self.master_pid, "children").values() for p in text.split()})


# ---------------------------------------------------------------------------------------------- wrk

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def wrk_cmd(url, duration, close=False, lua=None, threads=2, conns=50):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if close:
        cmd += ["-H", "Connection: close"]
    if lua:
        cmd += ["-s", lua]
    return cmd + [url]


def parse_wrk(out):
    r = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "max": float("nan"), "requests": 0,
         "errors": 0, "non2xx": 0, "pids": {}}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise BenchError(f"cannot read wrk's output:\n{out}")
    r["rps"] = float(m.group(1))
    m = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)
    if m:
        r["max"] = _ms(m.group(3))
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        if m:
            r[key] = _ms(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        r["errors"] = sum(int(x) for x in m.groups())
        r["error_detail"] = m.group(0)
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    for pid, n in re.findall(r"^total pid (\S+) (\d+)$", out, re.M):
        r["pids"][pid] = int(n)
    return r


def wrk(url, duration, **kw):
    cmd = wrk_cmd(url, duration, **kw)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {duration + 30} s: {shlex.join(cmd)}")
    if p.returncode != 0:
        raise BenchError(f"wrk failed ({p.returncode}): {shlex.join(cmd)}\n{p.stdout}{p.stderr}")
    return parse_wrk(p.stdout)


# ---------------------------------------------------------------------------------------------- helpers

def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def fmt(v, digits=0):
    if v is None or v != v:
        return "–"
    return f"{v:,.{digits}f}"


def ratio(b, a, digits=2):
    if not a or a != a or b != b:
        return "–"
    return f"{b / a:.{digits}f}"


def share(counts):
    total = sum(counts.values())
    if not total:
        return "–"
    return " / ".join(f"{100.0 * n / total:.0f}%" for n in sorted(counts.values(), reverse=True))


class Table:
    def __init__(self):
        self.rows = []
        self.sections = []  # (title, markdown) of scenarios with their own layout (7)

    def add(self, scenario, metric, bare, pm, r=""):
        self.rows.append((scenario, metric, bare, pm, r))

    def markdown(self):
        out = ["| # | configuration | metric | bare app | procman | procman / bare |",
               "| --- | --- | --- | ---: | ---: | ---: |"]
        for s, m, b, p, r in sorted(self.rows, key=lambda row: int(row[0].split(" ", 1)[0])):
            num = s.split(" ", 1)[0]
            rest = s.split(" ", 1)[1] if " " in s else ""
            out.append(f"| {num} | {rest} | {m} | {b} | {p} | {r} |")
        text = "\n".join(out) if self.rows else ""
        for title, body in self.sections:
            text += ("\n\n" if text else "") + f"### {title}\n\n{body}"
        return text


def start_all(servers):
    for s in servers:
        s.start()
    for s in servers:
        s.wait_ready()


def stop_all(servers):
    for s in servers:
        try:
            s.stop()
        except Exception as e:  # keep stopping the others; kill_all() is the backstop
            log(f"stopping {s.name}: {e}")


def warm(servers, seconds, path="/", lua=None, close_too=False):
    for s in servers:
        wrk(s.url + path, seconds, lua=lua)
        if close_too:
            wrk(s.url + path, seconds, lua=lua, close=True)


# ---------------------------------------------------------------------------------------------- scenarios

def median_interval(values, confidence=0.95):
    """The median and a distribution-free confidence interval of it: the order statistics k and n+1-k, for the
    largest k whose binomial tail keeps the coverage at least `confidence`."""
    xs = sorted(values)
    n = len(xs)
    k = 0
    while k + 1 <= n // 2 and sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n * 2 <= 1 - confidence:
        k += 1
    if k == 0:
        return statistics.median(xs), xs[0], xs[-1]
    return statistics.median(xs), xs[k - 1], xs[n - k]


def wrk_with_cpu(server, path, duration):
    """A wrk run that also reads the CPU time it took: the server's (every thread of the bare app, or of procman's
       master and its workers, from schedstat) and the machine's (/proc/stat: how busy the cores were, and how much
       the hypervisor stole)."""
    pids = server.cpu_pids()
    before = {pid: thread_cpu_ns(pid) for pid in pids}
    machine0 = machine_cpu_ticks()
    r = wrk(server.url + path, duration)
    machine1 = machine_cpu_ticks()
    r["server_cpu"] = sum(cpu_ms_between(before[pid], thread_cpu_ns(pid)) for pid in pids) / 1e3
    busy, stolen, total = (b - a for a, b in zip(machine0, machine1))
    r["busy"], r["stolen"] = busy / max(total, 1), stolen / max(total, 1)
    return r


def per_request_us(r, key):
    return 1e6 * r[key] / r["requests"] if r["requests"] else float("nan")


def scenario_overhead(cfg, table):
    """1. procman -w 1 vs bare app, keep-alive, GET /, with a second bare app as the control."""
    sets, rounds, d = cfg.overhead_sets, cfg.overhead_rounds, cfg.overhead_duration
    log(f"scenario 1: procman -w 1 vs bare app, keep-alive GET /, {sets} fresh sets of servers, {rounds} rounds of "
        f"{d} s each")
    keys = ("bare", "control", "procman")
    res = {k: [] for k in keys}
    set_ratios = []
    for n in range(sets):
        bare, control, pm = Bare(f"s1-bare-{n}"), Bare(f"s1-bare-control-{n}"), Procman(f"s1-procman-w1-{n}", 1)
        servers = dict(zip(keys, (bare, control, pm)))
        try:
            start_all(servers.values())
            warm(servers.values(), cfg.warm)
            first = len(res["bare"])
            orders = list(itertools.permutations(keys))
            for rnd in range(rounds):
                # Short runs, adjacent in time, in every order in turn: a drift of the machine (another process, the
                # CPU's clock) falls on all three alike, and no server is always first or last after another's load.
                for k in orders[rnd % len(orders)]:
                    res[k].append(wrk_with_cpu(servers[k], "/", d))
            set_ratios.append(statistics.geometric_mean(
                [x["rps"] / y["rps"] for x, y in zip(res["procman"][first:], res["bare"][first:])]))
        finally:
            stop_all(servers.values())
    b = {k: med([r[k] for r in res["bare"]]) for k in ("rps", "p50", "p99")}
    p = {k: med([r[k] for r in res["procman"]]) for k in ("rps", "p50", "p99")}
    # The ratio within each round, against the same bare app; the control says how far two identical bare apps
    # measured the same way land apart: the resolution of this run. A process's speed also depends on its start
    # (where its code and heap landed, what its tiered JIT compiled), so the rounds come from fresh sets of servers.
    pairs = [x["rps"] / y["rps"] for x, y in zip(res["procman"], res["bare"])]
    controls = [x["rps"] / y["rps"] for x, y in zip(res["control"], res["bare"])]
    rr, lo, hi = median_interval(pairs)
    cr, clo, chi = median_interval(controls)
    sc = "1 -w 1, keep-alive, GET /"
    table.add(sc, "req/s", fmt(b["rps"]), fmt(p["rps"]), f"**{rr:.3f}** ({verdict(lo, hi, 0.97)})")
    table.add(sc, f"req/s ratio, median of {len(pairs)} rounds ({sets} sets of servers) and its 95% confidence interval",
              "", "", f"{rr:.3f} [{lo:.3f}, {hi:.3f}]")
    table.add(sc, "control: a second bare app against the first, the same way (ideally 1)",
              fmt(med([r["rps"] for r in res["control"]])), "", f"{cr:.3f} [{clo:.3f}, {chi:.3f}]")
    table.add(sc, "req/s ratio of each set of servers (geometric mean of its rounds)", "", "",
              ", ".join(f"{x:.3f}" for x in set_ratios))
    table.add(sc, "p50 latency (ms)", fmt(b["p50"], 2), fmt(p["p50"], 2), ratio(p["p50"], b["p50"]))
    table.add(sc, "p99 latency (ms)", fmt(b["p99"], 2), fmt(p["p99"], 2), ratio(p["p99"], b["p99"]))
    cpu = [per_request_us(x, "server_cpu") / per_request_us(y, "server_cpu")
           for x, y in zip(res["procman"], res["bare"])]
    table.add(sc, "server CPU per request (µs; procman: master + worker), ratio: median of the rounds and its 95% "
                  "confidence interval", fmt(med([per_request_us(r, "server_cpu") for r in res["bare"]]), 2),
              fmt(med([per_request_us(r, "server_cpu") for r in res["procman"]]), 2), interval_text(cpu, digits=3))
    runs = [r for k in keys for r in res[k]]
    table.add(sc, "machine during the runs: cores busy, CPU stolen by the host (median of all runs)", "", "",
              f"{100 * med([r['busy'] for r in runs]):.0f}% busy, {100 * med([r['stolen'] for r in runs]):.1f}% "
              f"stolen (max {100 * max(r['stolen'] for r in runs):.1f}%)")
    if sum(r["errors"] + r["non2xx"] for r in runs):
        table.add(sc, "socket errors + non-2xx (all runs)",
                  str(sum(r["errors"] + r["non2xx"] for r in res["bare"] + res["control"])),
                  str(sum(r["errors"] + r["non2xx"] for r in res["procman"])))


def scenario_health(cfg, table):
    """9. what health checking costs: procman -w 1 with the liveness check on (timeout 30) and off (timeout 0),
    vs the bare app. The worker's probe, request tracking and heartbeat run either way (they are the
    measurement); the check on adds the master's rule and its debug heartbeat log, which is read here for the
    probe delays the load caused."""
    log("scenario 9: health checking cost, procman -w 1 --timeout 30 vs --timeout 0 vs bare app")
    bare = Bare("s9-bare")
    on = Procman("s9-procman-timeout30", 1, args=["--timeout", "30", "--log-level", "debug"])
    off = Procman("s9-procman-timeout0", 1, args=["--timeout", "0"])
    servers = [bare, on, off]
    try:
        start_all(servers)
        warm(servers, cfg.warm)
        first_beat = len(on.events)
        res = {s: [] for s in servers}
        for rep in range(cfg.reps):
            # The order turns every repetition (A/B/C, B/C/A, C/A/B): no configuration always follows the same one.
            for s in servers[rep % 3:] + servers[:rep % 3]:
                res[s].append(wrk(s.url + "/", cfg.duration))
        rps = {s: med([r["rps"] for r in res[s]]) for s in servers}
        p99 = {s: med([r["p99"] for r in res[s]]) for s in servers}
        sc = "9 health checking, -w 1, keep-alive, GET /"
        table.add(sc, "req/s, check on (timeout 30)", fmt(rps[bare]), fmt(rps[on]), f"**{rps[on] / rps[bare]:.3f}**")
        table.add(sc, "req/s, check off (timeout 0)", fmt(rps[bare]), fmt(rps[off]), f"{rps[off] / rps[bare]:.3f}")
        table.add(sc, "p99 latency (ms), check on / off", fmt(p99[bare], 2), f"{fmt(p99[on], 2)} / {fmt(p99[off], 2)}", "")
        delays = []
        with on.cond:
            beats = [e for _, e in on.events[first_beat:] if e.get("EventId", {}).get("Id") == 86]
        for e in beats:
            m = re.search(r"last probe waited (\d+) ms", str(e.get("Health", "")))
            if m:
                delays.append(int(m.group(1)))
        if delays:
            delays.sort()
            table.add(sc, "probe delay under the load (ms): median / max", "", f"{delays[len(delays) // 2]} / {delays[-1]}",
                      f"{len(delays)} heartbeats")
    finally:
        stop_all(servers)


def scenario_workers(cfg, table):
    """2. procman -w 1/2/4 vs bare app, keep-alive and Connection: close, GET /whoami, balance per pid.
       5. master footprint: idle window and during the load runs of 2."""
    log("scenario 2+5: procman -w 1, 2, 4 vs bare app (keep-alive and connection-per-request), master footprint")
    bare = Bare("s2-bare")
    pms = [Procman(f"s2-procman-w{n}", n) for n in (1, 2, 4)]
    servers = [bare] + pms
    try:
        start_all(servers)
        warm(servers, cfg.warm, "/whoami", LUA, close_too=True)

        # 5, idle: everything started and warmed, then a rest, then the window, nothing running.
        time.sleep(cfg.idle_rest)
        idle0 = {pm: thread_cpu_ns(pm.master_pid) for pm in pms}
        t0 = time.time()
        time.sleep(cfg.idle)
        idle_dt = time.time() - t0
        idle_cpu = {pm: cpu_ms_between(idle0[pm], thread_cpu_ns(pm.master_pid)) / 1000 / idle_dt for pm in pms}
        idle_rss = {pm: proc_rss_mb(pm.master_pid) for pm in pms}
        worker_rss = {pm: sum(proc_rss_mb(w) for w in pm.worker_pids()) for pm in pms}
        bare_rss = proc_rss_mb(bare.proc.pid)

        modes = (("keep-alive", False), ("Connection: close", True))
        res = {(s, m): [] for s in servers for m, _ in modes}
        load_cpu = {(pm, m): 0.0 for pm in pms for m, _ in modes}
        load_wall = {(pm, m): 0.0 for pm in pms for m, _ in modes}
        max_rss = {pm: idle_rss[pm] for pm in pms}
        for rep in range(cfg.reps):
            for mode, close in modes:
                for s in servers:  # bare, w1, w2, w4, bare, w1, ... : each procman run next to a bare run
                    if isinstance(s, Procman):
                        c0, w0 = proc_cpu_seconds(s.master_pid), time.time()
                    r = wrk(s.url + "/whoami", cfg.duration, close=close, lua=LUA)
                    res[(s, mode)].append(r)
                    if isinstance(s, Procman):
                        load_cpu[(s, mode)] += proc_cpu_seconds(s.master_pid) - c0
                        load_wall[(s, mode)] += time.time() - w0
                        max_rss[s] = max(max_rss[s], proc_rss_mb(s.master_pid))

        # PSS and USS once all load is over: (workers, master) per procman, the process itself for the bare app.
        after_load = {pm: (memory_sum_mb(pm.worker_pids()), memory_sum_mb([pm.master_pid])) for pm in pms}
        after_load[bare] = memory_sum_mb([bare.proc.pid])

        for mode, _ in modes:
            b = med([r["rps"] for r in res[(bare, mode)]])
            bp99 = med([r["p99"] for r in res[(bare, mode)]])
            for pm in pms:
                rs = res[(pm, mode)]
                p = med([r["rps"] for r in rs])
                sc = f"2 -w {pm.workers}, {mode}, GET /whoami"
                table.add(sc, "req/s", fmt(b), fmt(p), ratio(p, b))
                table.add(sc, "p99 latency (ms)", fmt(bp99, 2), fmt(med([r['p99'] for r in rs]), 2),
                          ratio(med([r['p99'] for r in rs]), bp99))
                if pm.workers > 1:
                    counts = {}
                    for r in rs:
                        for pid, n in r["pids"].items():
                            counts[pid] = counts.get(pid, 0) + n
                    table.add(sc, f"requests per worker ({len(counts)} pids seen, all runs)", "–", share(counts))
                errs_b = sum(r["errors"] + r["non2xx"] for r in res[(bare, mode)])
                errs_p = sum(r["errors"] + r["non2xx"] for r in rs)
                if errs_b or errs_p:
                    table.add(sc, "socket errors + non-2xx (all runs)", str(errs_b), str(errs_p))

        for pm in pms:
            sc = f"5 master of -w {pm.workers}"
            table.add(sc, "RSS idle / max under load (MB)", "–", f"{idle_rss[pm]:.1f} / {max_rss[pm]:.1f}")
            table.add(sc, f"CPU idle (ms per s, {cfg.idle} s after {cfg.idle_rest} s of rest; goal ≤ 1)", "–", fmt(1000 * idle_cpu[pm], 2))
            for mode, _ in modes:
                table.add(sc, f"CPU under load, {mode} (ms per s)", "–",
                          fmt(1000 * load_cpu[(pm, mode)] / max(load_wall[(pm, mode)], 1e-9), 1))
            table.add(sc, "RSS of app processes, idle after load (MB)", fmt(bare_rss, 1),
                      f"{worker_rss[pm]:.1f} ({pm.workers} worker(s)) + {idle_rss[pm]:.1f} master",
                      ratio(worker_rss[pm] + idle_rss[pm], bare_rss))
            for i, name in ((1, "PSS"), (2, "USS")):
                workers_mem, master_mem = after_load[pm][0][i], after_load[pm][1][i]
                table.add(sc, f"{name} of app processes, idle after load (MB)", fmt(after_load[bare][i], 1),
                          f"{workers_mem:.1f} ({pm.workers} worker(s)) + {master_mem:.1f} master",
                          ratio(workers_mem + master_mem, after_load[bare][i]))
    finally:
        stop_all(servers)


def sampled(pm, run):
    """run() while the summed PSS of the master and all its children is sampled: (run's result, peak PSS in MB)."""
    sampler = PssSampler(pm)
    sampler.start()
    try:
        result = run()
    finally:
        peak = sampler.finish()
    return result, peak


def beside(runs, steady, key):
    """Run i against the mean of steady runs i and i + 1, the ones just before and just after it: a drift of the
       machine over the three runs cancels to first order."""
    return [r[key] / ((a[key] + b[key]) / 2) for r, a, b in zip(runs, steady, steady[1:])]


def adjacent(steady, key="rps"):
    """Each steady run against the one before it: how far two runs of one unchanged server land apart, the
       resolution against which a ratio from beside() is read."""
    return [b[key] / a[key] for a, b in zip(steady, steady[1:])]


def verdict(lo, hi, goal, at_least=True):
    """Whether a 95% interval [lo, hi] meets a goal, misses it, or straddles it."""
    if (lo >= goal) if at_least else (hi <= goal):
        return f"meets {'≥' if at_least else '≤'} {goal:g}"
    if (hi < goal) if at_least else (lo > goal):
        return f"{'below' if at_least else 'above'} {goal:g}"
    return f"{goal:g} is inside the interval: this run cannot tell"


def interval_text(values, goal=None, at_least=True, digits=2):
    """The median and its 95% interval with the verdict against a goal; under 6 values no interval reaches 95%,
       so the text gives the range and no verdict."""
    m, lo, hi = median_interval(values)
    if len(values) < 6:
        return f"**{m:.{digits}f}** (range {lo:.{digits}f}–{hi:.{digits}f}: too few rounds for an interval)"
    text = f"**{m:.{digits}f}** [{lo:.{digits}f}, {hi:.{digits}f}]"
    return text if goal is None else f"{text} ({verdict(lo, hi, goal, at_least)})"


class ReloadSeries:
    """One master's chain of keep-alive runs on /whoami: a steady run, then per round a run with SIGHUP a third of the
       run length in and on until two thirds of it after the reload (reload_under_load(), or the run `change` makes),
       an unmeasured run that lets the new workers' code tier up, and a steady run again. Each reload run is read
       against the steady runs on either side of it (beside()), the steady runs against each other (adjacent())."""

    def __init__(self, pm, duration, settle, change=None):
        self.pm, self.d, self.settle = pm, duration, settle
        self.change = change or (lambda pm, d: reload_under_load(pm, d, conns=50))
        self.steady, self.reload, self.steady_pss, self.reload_pss = [], [], [], []

    def measure_steady(self):
        r, peak = sampled(self.pm, lambda: wrk(self.pm.url + "/whoami", self.d, lua=LUA))
        self.steady.append(r)
        self.steady_pss.append(peak)

    def measure_reload(self):
        if not self.steady:
            self.measure_steady()
        r, peak = sampled(self.pm, lambda: self.change(self.pm, self.d))
        self.reload.append(r)
        self.reload_pss.append(peak)
        if r["errors"] or r["non2xx"]:
            log(f"  {self.pm.name}: {r.get('error_detail', '')}, non-2xx {r['non2xx']} in a reload run "
                f"(master log {self.pm.logpath})")
        wrk(self.pm.url + "/whoami", self.settle, lua=LUA)
        self.measure_steady()
        return r


def recycling_run(pm, duration):
    """A keep-alive run of `duration` s on a max_requests master; if a worker's recycle (event 40) began within it, the
       run goes on until that worker has exited (its replacement ready, after any warm-up) and two thirds of
       `duration` more: a recycle is measured whole, and its warm-up never runs into the other master's run.
       Returns (wrk's result, the recycles that began in the run)."""
    since = pm.event_count()

    def meanwhile():
        time.sleep(duration)
        with pm.cond:
            recycled = [e["Pid"] for _, e in pm.events[since:] if e["EventId"]["Id"] == 40]
        if recycled:
            wait_exits(pm, recycled, since, "the exit (event 4) of every recycled worker")
            time.sleep(duration * 2 / 3.0)
        return len(recycled)

    return wrk_until(pm.url + "/whoami", meanwhile, lua=LUA)


def recycle_series(cfg, rounds, name, env=None, args=()):
    """A max_requests master against a steady one, both -w 2 with the extra procman options args: S M S M ... S, each
       recycling run against the steady runs on either side of it. max_requests is set from the steady master's first
       run so that each worker is recycled about once per run (jitter 0, so that both workers do not recycle together
       by chance)."""
    d = cfg.reload_duration
    steady = Procman(f"{name}-steady", 2, args=list(args))
    servers = [steady]
    try:
        start_all(servers)
        warm(servers, cfg.warm, "/whoami", LUA)
        steady_runs = [wrk(steady.url + "/whoami", d, lua=LUA)]
        per_worker = max(1000, int(steady_runs[0]["rps"] * d / 2 / 1.5))
        recycling = Procman(f"{name}-max-requests", 2, env,
                            args=list(args) + ["--max-requests", str(per_worker), "--max-requests-jitter", "0"])
        servers.append(recycling)
        start_all([recycling])
        warm([recycling], cfg.warm, "/whoami", LUA)
        runs, recycles = [], []
        for _ in range(rounds):
            r, n = recycling_run(recycling, d)
            runs.append(r)
            recycles.append(n)
            steady_runs.append(wrk(steady.url + "/whoami", d, lua=LUA))
    finally:
        stop_all(servers)
    return {"max_requests": per_worker, "steady": steady_runs, "runs": runs, "recycles": recycles}


def scenario_reload(cfg, table):
    """3. SIGHUP to the master under keep-alive load, each reload run between two steady runs of the same master,
       with a bare-app run every third round; then a max_requests recycle against a steady master, the same way."""
    d, rounds = cfg.reload_duration, cfg.reload_rounds
    log(f"scenario 3: reload (SIGHUP) under keep-alive load, procman -w 2, {rounds} rounds, each reload run between "
        f"steady runs of {d} s")
    bare, pm = Bare("s3-bare"), Procman("s3-procman-w2", 2)
    servers = [bare, pm]
    try:
        start_all(servers)
        warm(servers, cfg.warm, "/whoami", LUA)
        series = ReloadSeries(pm, d, cfg.warm)
        bare_res = []
        for rnd in range(rounds):
            if rnd % 3 == 0:
                bare_res.append(wrk(bare.url + "/whoami", d, lua=LUA))
            r = series.measure_reload()
            log(f"  reload {rnd + 1}: errors {r['errors']} non-2xx {r['non2xx']}, new workers ready after "
                f"{r['t_ready']:.2f} s, old ones gone after {r['t_retired']:.2f} s")
    finally:
        stop_all(servers)
    pm_res, steady_res = series.reload, series.steady
    sc = f"3 -w 2, keep-alive, SIGHUP {d / 3:.1f} s in, on until {d * 2 / 3:.1f} s after the reload"
    eb = sum(r["errors"] + r["non2xx"] for r in bare_res)
    ep = sum(r["errors"] + r["non2xx"] for r in pm_res)
    table.add(sc, f"socket errors + non-2xx (sum of {rounds} runs; goal 0)", f"{eb} (no reload)", f"**{ep}**")
    b, p = med([r["rps"] for r in bare_res]), med([r["rps"] for r in pm_res])
    table.add(sc, "req/s over the whole run", fmt(b), fmt(p), ratio(p, b))
    bp99, pp99 = med([r["p99"] for r in bare_res]), med([r["p99"] for r in pm_res])
    table.add(sc, "p99 latency (ms)", fmt(bp99, 2), fmt(pp99, 2), ratio(pp99, bp99))
    # Here the "bare app" column is the same master's steady runs.
    table.add(sc, f"req/s, reload run against the steady runs before and after it: median of {rounds} rounds, "
                  "95% confidence interval (goal ≥ 0.9)", fmt(med([r["rps"] for r in steady_res])), fmt(p),
              interval_text(beside(pm_res, steady_res, "rps"), 0.9))
    table.add(sc, "control: each steady run against the one before it (ideally 1)", "", "",
              interval_text(adjacent(steady_res)))
    table.add(sc, "p99 latency (ms), reload run against the steady runs beside it (goal ≤ 2×)",
              fmt(med([r["p99"] for r in steady_res]), 2), fmt(pp99, 2),
              interval_text(beside(pm_res, steady_res, "p99"), 2, at_least=False))
    table.add(sc, "PSS of master + workers (MB): steady peak vs peak during the reload", fmt(med(series.steady_pss), 1),
              fmt(med(series.reload_pss), 1), ratio(med(series.reload_pss), med(series.steady_pss)))
    t_ready, t_retired = [r["t_ready"] for r in pm_res], [r["t_retired"] for r in pm_res]
    table.add(sc, "SIGHUP → all new workers ready (event 31), s", "–", f"{med(t_ready):.2f} (max {max(t_ready):.2f})")
    table.add(sc, "SIGHUP → last old worker exited (event 4), s", "–", f"{med(t_retired):.2f} (max {max(t_retired):.2f})")
    table.add(sc, "requests served by the new workers within the run", "–",
              f"{fmt(med([r['new_served'] for r in pm_res]))} (median)")

    log(f"scenario 3: one worker recycled (procman recycle, as max_requests does) under keep-alive load, {rounds} "
        f"rounds, each recycling run between steady runs of the same master")
    sock = os.path.join(RESULTS, "s3-recycle.ctl")
    pm = Procman("s3-recycle-w2", 2, args=["--control-socket", sock])
    turns = iter(range(rounds))
    series = ReloadSeries(pm, d, cfg.warm, change=lambda pm, d: recycle_under_load(pm, d, sock, 1 + next(turns) % 2))
    try:
        start_all([pm])
        warm([pm], cfg.warm, "/whoami", LUA)
        for rnd in range(rounds):
            r = series.measure_reload()
            log(f"  recycle {rnd + 1}: errors {r['errors']} non-2xx {r['non2xx']}, replacement ready after "
                f"{r['t_ready']:.2f} s, old worker gone after {r['t_retired']:.2f} s")
    finally:
        stop_all([pm])
    rec, steady_res = series.reload, series.steady
    sc = (f"3 -w 2, keep-alive, one worker recycled (procman recycle, the path of a max_requests recycle) {d / 3:.1f} s "
          f"in, on until {d * 2 / 3:.1f} s after it, Kestrel's own warm-up (the default)")
    table.add(sc, f"socket errors + non-2xx (sum of {rounds} runs; goal 0)",
              str(sum(r["errors"] + r["non2xx"] for r in steady_res)), f"**{sum(r['errors'] + r['non2xx'] for r in rec)}**")
    table.add(sc, f"req/s, recycling run against the same master's steady runs before and after it: median of {rounds} "
                  "rounds, 95% confidence interval (goal ≥ 0.9)", fmt(med([r["rps"] for r in steady_res])),
              fmt(med([r["rps"] for r in rec])), interval_text(beside(rec, steady_res, "rps"), 0.9))
    table.add(sc, "control: each steady run against the one before it (ideally 1)", "", "",
              interval_text(adjacent(steady_res)))
    table.add(sc, "p99 latency (ms), recycling run against the steady runs beside it (goal ≤ 2×)",
              fmt(med([r["p99"] for r in steady_res]), 2), fmt(med([r["p99"] for r in rec]), 2),
              interval_text(beside(rec, steady_res, "p99"), 2, at_least=False))
    t_ready, t_retired = [r["t_ready"] for r in rec], [r["t_retired"] for r in rec]
    table.add(sc, "recycle asked → replacement ready (event 3) → old worker exited (event 4), s (median)", "–",
              f"{med(t_ready):.2f} → {med(t_retired):.2f} (max {max(t_retired):.2f})")

    for name, label, args in (("s3", " (Kestrel's own warm-up, the default)", []),
                              ("s3-nowarm", ", no warm-up (warmup_tier_up_timeout 0)", NO_WARMUP),
                              ("s3-warm", ", warm-up: GET /whoami until the JIT is quiet", ["--warmup-path", "/whoami"])):
        log(f"scenario 3: max_requests recycle{label} under keep-alive load, {rounds} rounds against a steady master")
        rec = recycle_series(cfg, rounds, name, args=args)
        sc = f"3 -w 2, keep-alive, max_requests {rec['max_requests']}, jitter 0{label}"
        table.add(sc, f"socket errors + non-2xx (sum of {rounds} runs; goal 0)",
                  str(sum(r["errors"] + r["non2xx"] for r in rec["steady"])),
                  f"**{sum(r['errors'] + r['non2xx'] for r in rec['runs'])}**")
        table.add(sc, "recycles per run (event 40)", "–", ", ".join(str(n) for n in rec["recycles"]))
        table.add(sc, f"req/s, recycling master against the steady master's runs before and after: median of {rounds} "
                      "rounds, 95% confidence interval (goal ≥ 0.9)", fmt(med([r["rps"] for r in rec["steady"]])),
                  fmt(med([r["rps"] for r in rec["runs"]])), interval_text(beside(rec["runs"], rec["steady"], "rps"), 0.9))
        table.add(sc, "control: each steady run against the one before it (ideally 1)", "", "",
                  interval_text(adjacent(rec["steady"])))
        table.add(sc, "p99 latency (ms), against the steady runs beside it (goal ≤ 2×)",
                  fmt(med([r["p99"] for r in rec["steady"]]), 2), fmt(med([r["p99"] for r in rec["runs"]]), 2),
                  interval_text(beside(rec["runs"], rec["steady"], "p99"), 2, at_least=False))


class ConnectLoop(threading.Thread):
    """A tight loop of one-request connections (GET /healthz, Connection: close)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.stop_flag = threading.Event()
        self.ok = self.refused = self.failed = 0
        self.kinds = {}
        self.max_latency = 0.0

    def run(self):
        while not self.stop_flag.is_set():
            t = time.time()
            try:
                status = http_get(self.port, timeout=10.0)
                if status == 200:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.kinds[f"HTTP {status}"] = self.kinds.get(f"HTTP {status}", 0) + 1
            except ConnectionRefusedError:
                self.refused += 1
            except OSError as e:
                self.failed += 1
                kind = "closed without response" if isinstance(e, NoResponse) else type(e).__name__
                self.kinds[kind] = self.kinds.get(kind, 0) + 1
            self.max_latency = max(self.max_latency, time.time() - t)


def scenario_crash(cfg, table):
    """4. SIGKILL one worker, time to its replacement's ready event, refused connections meanwhile."""
    log("scenario 4: crash recovery (SIGKILL one worker), procman -w 1 and -w 2")
    for n in (1, 2):
        recov, refused, failed, ok, maxlat, kinds = [], 0, 0, 0, [], {}
        for rep in range(cfg.reps_crash):
            pm = Procman(f"s4-procman-w{n}-{rep + 1}", n)  # a fresh master: the first crash of a slot is replaced at once
            try:
                pm.start().wait_ready()
                time.sleep(0.5)
                victim = pm.current_workers()[1]
                since = pm.event_count()
                loop = ConnectLoop(pm.port)
                loop.start()
                time.sleep(0.5)
                t_kill = time.time()
                os.kill(victim, signal.SIGKILL)
                _, ev = pm.wait_event(lambda e: e["EventId"]["Id"] == 3 and e["Slot"] == 1 and e["Pid"] != victim,
                                      30, since, what="a replacement for worker 1 (event 3, new pid)")
                recov.append(parse_ts(ev["@t"]) - t_kill)
                time.sleep(0.5)
                loop.stop_flag.set()
                loop.join(15)
                refused += loop.refused
                failed += loop.failed
                ok += loop.ok
                for k, v in loop.kinds.items():
                    kinds[k] = kinds.get(k, 0) + v
                maxlat.append(loop.max_latency)
                log(f"  -w {n} kill {rep + 1}: replaced after {recov[-1]:.3f} s; loop ok {loop.ok}, "
                    f"refused {loop.refused}, failed {loop.failed}, slowest {loop.max_latency * 1000:.0f} ms")
            finally:
                stop_all([pm])
        sc = f"4 -w {n}, SIGKILL worker 1, connect loop"
        table.add(sc, "kill → replacement ready (event 3), s", "–", f"{med(recov):.2f} (max {max(recov):.2f})")
        table.add(sc, f"connections refused (sum of {cfg.reps_crash}; must be 0)", "–", f"**{refused}**")
        detail = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
        table.add(sc, "requests failed / ok (all kills)", "–", f"{failed} / {ok:,}" + (f" ({detail})" if detail else ""))
        table.add(sc, "slowest request in the loop (ms, median of kills)", "–", fmt(1000 * med(maxlat)))


def scenario_startup(cfg, table):
    """6. start-up: procman run → all N workers ready; bare app → first 200."""
    log("scenario 6: start-up time")
    bare_t, all_ready, listening = [], {n: [] for n in (1, 2, 4)}, {n: [] for n in (1, 2, 4)}
    first200 = {n: [] for n in (1, 2, 4)}
    for rep in range(cfg.reps_startup):
        b = Bare(f"s6-bare-{rep + 1}")
        try:
            b.start().wait_ready()
            bare_t.append(b.startup)
        finally:
            stop_all([b])
        for n in (1, 2, 4):
            pm = Procman(f"s6-procman-w{n}-{rep + 1}", n)
            try:
                pm.start()
                # first 200 is polled in parallel with the log; the master binds before any worker starts.
                t200 = []
                poller = threading.Thread(
                    target=lambda: t200.append(wait_first_200_proc(pm)), daemon=True)
                poller.start()
                pm.wait_ready()
                poller.join(READY_TIMEOUT)
                all_ready[n].append(pm.startup_all_ready)
                listening[n].append(pm.startup_listening)
                if t200 and t200[0] is not None:
                    first200[n].append(t200[0] - pm.t_start)
            finally:
                stop_all([pm])
    bb = med(bare_t)
    for n in (1, 2, 4):
        sc = f"6 -w {n}, start-up"
        a = med(all_ready[n])
        table.add(sc, "bare: start → first 200; procman: start → all workers ready (s)", f"{bb:.2f}", f"{a:.2f}",
                  ratio(a, bb))
        table.add(sc, "procman: start → master listening (event 50), s", "–", f"{med(listening[n]):.2f}")
        f = med(first200[n])
        table.add(sc, "start → first 200 (s)", f"{bb:.2f}", f"{f:.2f}", ratio(f, bb))


def wait_first_200_proc(pm):
    deadline = pm.t_start + READY_TIMEOUT
    while pm.port is None:
        if time.time() > deadline or pm.proc.poll() is not None:
            return None
        time.sleep(0.005)
    try:
        return wait_first_200(pm.port, deadline, pm.proc, pm.name)
    except BenchError:
        return None


def tuning_configs(cores, workers):
    """Scenario 7's configurations: (label, extra environment for the workers). k = ceil(cores / workers)."""
    k = max(1, -(-cores // workers))
    return k, [
        ("no tuning (runtime defaults)", {}),
        (f"DOTNET_PROCESSOR_COUNT={k}", {"DOTNET_PROCESSOR_COUNT": str(k)}),
        # GC settings given in the environment are read as hexadecimal.
        (f"DOTNET_GCHeapCount={k} (Server GC)", {"DOTNET_GCHeapCount": f"{k:x}"}),
        ("DOTNET_gcServer=0 (workstation GC)", {"DOTNET_gcServer": "0"}),
        ("DOTNET_GCDynamicAdaptationMode=1 (DATAS)", {"DOTNET_GCDynamicAdaptationMode": "1"}),
        (f"DOTNET_PROCESSOR_COUNT={k} + DOTNET_gcServer=0",
         {"DOTNET_PROCESSOR_COUNT": str(k), "DOTNET_gcServer": "0"}),
        # The GC sizes gen0 from the L3 cache the machine reports, which some VMs report as hundreds of MB.
        ("DOTNET_GCgen0MaxBudget=16 MB", {"DOTNET_GCgen0MaxBudget": f"{16 << 20:x}"}),
    ]


def scenario_tuning(cfg, table):
    """7. per-worker runtime tuning: procman -w 1, -w 2 and -w 4 with environment variables that size each worker's
       runtime for its share of the cores, against untuned procman and the bare app, alternating."""
    cores = len(os.sched_getaffinity(0))
    log(f"scenario 7: per-worker runtime tuning, procman -w 1, -w 2 and -w 4 ({cores} cores), "
        f"{cfg.duration} s x {cfg.reps} repetitions per configuration and mode")
    modes = (("keep-alive", False), ("Connection: close", True))
    perf_rows, mem_rows = [], []
    for workers in (1, 2, 4):
        k, configs = tuning_configs(cores, workers)
        bare = Bare(f"s7-w{workers}-bare")
        pms = [Procman(f"s7-w{workers}-c{i}", workers, env) for i, (_, env) in enumerate(configs)]
        label = {pm: configs[i][0] for i, pm in enumerate(pms)}
        servers = [bare] + pms
        try:
            start_all(servers)
            pids = {bare: [bare.proc.pid]}
            for pm in pms:
                pids[pm] = sorted(pm.current_workers().values())
            warm(servers, cfg.warm, "/whoami", LUA, close_too=True)
            res = {(s, m): [] for s in servers for m, _ in modes}
            peak = {s: (0.0, 0.0) for s in servers}
            for rep in range(cfg.reps):
                # bare first, then the procman configurations in an order rotated each repetition
                order = [bare] + pms[rep % len(pms):] + pms[:rep % len(pms)]
                for mode, close in modes:
                    for s in order:
                        sampler = MemorySampler(pids[s])
                        sampler.start()
                        try:
                            res[(s, mode)].append(wrk(s.url + "/whoami", cfg.duration, close=close, lua=LUA))
                        finally:
                            rss, pss = sampler.finish()
                            peak[s] = (max(peak[s][0], rss), max(peak[s][1], pss))
                log(f"  -w {workers}: repetition {rep + 1} of {cfg.reps} done")
            time.sleep(cfg.idle_tuning)  # everything idle
            idle = {s: memory_sum_mb(pids[s])[:2] for s in servers}
            threads = {s: [proc_threads(p) for p in pids[s]] for s in servers}
            for pm in pms:
                now = sorted(pm.current_workers().values())
                if now != pids[pm]:
                    raise BenchError(f"procman ({pm.name}): workers changed during the run ({pids[pm]} -> {now}); "
                                     f"see {pm.logpath}")
        finally:
            stop_all(servers)

        base = pms[0]
        for mode, _ in modes:
            b_rps = med([r["rps"] for r in res[(bare, mode)]])
            b_p99 = med([r["p99"] for r in res[(bare, mode)]])
            u_rps = med([r["rps"] for r in res[(base, mode)]])
            u_p99 = med([r["p99"] for r in res[(base, mode)]])
            bs = [r["rps"] for r in res[(bare, mode)]]
            perf_rows.append(f"| -w {workers} | {mode} | bare app | {fmt(b_rps)} | {fmt(min(bs))}–{fmt(max(bs))} | – | – "
                             f"| {fmt(b_p99, 2)} | – | – | |")
            for pm in pms:
                rs = res[(pm, mode)]
                rps, p99 = med([r["rps"] for r in rs]), med([r["p99"] for r in rs])
                errs = sum(r["errors"] + r["non2xx"] for r in rs)
                perf_rows.append(
                    f"| -w {workers} | {mode} | {label[pm]} | {fmt(rps)} | {fmt(min(r['rps'] for r in rs))}–"
                    f"{fmt(max(r['rps'] for r in rs))} | {ratio(rps, u_rps)} | {ratio(rps, b_rps)} "
                    f"| {fmt(p99, 2)} | {ratio(p99, u_p99)} | {ratio(p99, b_p99)} | {errs} |")
        for s in servers:
            name = "bare app (1 process)" if s is bare else label[s]
            nthreads = med([t[0] for t in threads[s]])
            ngc = med([t[1] for t in threads[s]])
            vs_u = [ratio(idle[s][1], idle[base][1]), ratio(peak[s][1], peak[base][1])] if s is not bare else ["–", "–"]
            vs_b = [ratio(idle[s][1], idle[bare][1]), ratio(peak[s][1], peak[bare][1])] if s is not bare else ["–", "–"]
            mem_rows.append(
                f"| -w {workers} | {name} | {fmt(idle[s][0], 1)} | {fmt(idle[s][1], 1)} | {vs_u[0]} | {vs_b[0]} "
                f"| {fmt(peak[s][0], 1)} | {fmt(peak[s][1], 1)} | {vs_u[1]} | {vs_b[1]} | {fmt(nthreads)} / {fmt(ngc)} |")

    perf = "\n".join([
        "| workers | mode | configuration | req/s | req/s min–max | vs untuned | vs bare | p99 (ms) | vs untuned | vs bare "
        "| errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + perf_rows)
    mem = "\n".join([
        "| workers | configuration | RSS idle after load (MB) | PSS idle (MB) | PSS vs untuned | PSS vs bare "
        "| RSS peak under load (MB) | PSS peak (MB) | PSS peak vs untuned | PSS peak vs bare "
        "| threads / Server GC threads per worker (median, idle) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + mem_rows)
    note = (f"{cores} cores, so the tuned value k = max(1, ceil(cores / workers)) is "
            f"{', '.join(f'{tuning_configs(cores, w)[0]} for -w {w}' for w in (1, 2, 4))}. "
            f"GET /whoami, `wrk -t2 -c50`, {cfg.duration} s per measurement, {cfg.reps} repetitions, bare app first "
            f"and then every procman configuration in an order rotated each repetition; medians. "
            f"req/s min–max: over the repetitions. errors: socket errors + non-2xx over all runs. RSS and PSS: sums over the workers (the "
            f"master not included; the bare app is one process; PSS shares the framework's pages fairly between the workers, so "
            f"it is what they cost together, RSS counts those pages once per worker), idle = {cfg.idle_tuning} s after the last "
            f"run, peak = highest sum sampled every {MEMORY_SAMPLE_S:g} s during that configuration's runs; the ratios compare PSS.")
    table.sections.append(("7 per-worker runtime tuning: throughput and latency", note + "\n\n" + perf))
    table.sections.append(("7 per-worker runtime tuning: memory of the workers", mem))


def shares_of(counts, pids):
    """Per-worker shares (fractions, high to low) of one run; workers that served nothing count as 0."""
    c = {str(p): 0 for p in pids}
    for pid, n in counts.items():
        if pid in c:
            c[pid] += n
    total = sum(c.values())
    if not total:
        return []
    return sorted((n / total for n in c.values()), reverse=True)


def pct_list(fracs):
    return " / ".join(f"{100 * f:.0f}%" for f in fracs) if fracs else "–"


def wrk_during(url, duration, at, action, **kw):
    """wrk in the background for `duration` s; `action()` runs `at` s in. Returns (parsed result, when the action began)."""
    cmd = wrk_cmd(url, duration, **kw)
    w = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    _register(w)
    time.sleep(at)
    t_action = time.time()
    action()
    try:
        out, _ = w.communicate(timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish: {shlex.join(cmd)}")
    return parse_wrk(out), t_action


def wait_exits(pm, pids, since, what):
    """Waits for the exit events (4, 5 or 10) of all of `pids` logged at index >= since: {pid: when it exited}."""
    exits, idx = {}, since
    while len(exits) < len(set(pids)):
        idx, ev = pm.wait_event(lambda e: e["EventId"]["Id"] in (4, 5, 10) and e.get("Pid") in pids, 60, idx, what=what)
        exits[ev["Pid"]] = parse_ts(ev["@t"])
        idx += 1
    return exits


def wrk_until(url, meanwhile, bound=150, **kw):
    """wrk in the background while meanwhile() runs, then stopped with SIGINT (wrk reports as at the end of a run,
       its req/s over the time it ran), at most `bound` s. Returns (wrk's result, what meanwhile() returned)."""
    cmd = wrk_cmd(url, bound, **kw)
    w = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    _register(w)
    try:
        value = meanwhile()
    except BaseException:
        w.kill()
        raise
    w.send_signal(signal.SIGINT)
    try:
        out, _ = w.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not stop on SIGINT: {shlex.join(cmd)}")
    return parse_wrk(out), value


def recycle_under_load(pm, duration, sock, slot):
    """Keep-alive wrk on /whoami with `procman recycle SLOT` a third of `duration` in: the recycle a max_requests
       recycle is (a replacement started, warmed while the others serve, then the old worker drained), asked at a
       chosen time so that the master's runs without one are its steady runs. The run goes on until two thirds of
       `duration` after the old worker exited. Returns a dict as reload_under_load() does."""
    old = pm.current_workers()[slot]
    since = pm.event_count()

    def meanwhile():
        time.sleep(duration / 3.0)
        t_ask = time.time()
        done = subprocess.run([PROCMAN, "recycle", str(slot), "--control-socket", sock], capture_output=True, text=True,
                              timeout=30)
        if done.returncode != 0:
            raise BenchError(f"procman recycle {slot} exited {done.returncode}: {done.stderr.strip()}")
        _, ready = pm.wait_event(lambda e: e["EventId"]["Id"] == 3 and e["Slot"] == slot and e["Pid"] != old, 60, since,
                                 what=f"the ready event (id 3) of slot {slot}'s replacement")
        exits = wait_exits(pm, [old], since, f"the exit (event 4) of the recycled worker {old}")
        time.sleep(max(0.0, exits[old] + duration * 2 / 3.0 - time.time()))
        return t_ask, ready, exits

    r, (t_ask, ready, exits) = wrk_until(pm.url + "/whoami", meanwhile, lua=LUA)
    r["t_ready"] = parse_ts(ready["@t"]) - t_ask
    r["t_retired"] = exits[old] - t_ask
    return r


def reload_under_load(pm, duration, conns):
    """Keep-alive wrk on /whoami with SIGHUP to the master a third of `duration` in; the run goes on until two thirds
       of `duration` after the last old worker exited, so that it holds the whole reload, however long a warm-up makes
       it, with the same margins before and after. Returns a dict."""
    old = set(pm.current_workers().values())
    since = pm.event_count()

    def meanwhile():
        time.sleep(duration / 3.0)
        t_hup = time.time()
        os.kill(pm.master_pid, signal.SIGHUP)
        _, ev31 = pm.wait_event(lambda e: e["EventId"]["Id"] == 31, 60, since, what="'Reload ... ready, retiring' (event 31)")
        exits = wait_exits(pm, old, since, "exit events (id 4) of all old workers")
        time.sleep(max(0.0, max(exits.values()) + duration * 2 / 3.0 - time.time()))
        return t_hup, ev31, exits

    r, (t_hup, ev31, exits) = wrk_until(pm.url + "/whoami", meanwhile, lua=LUA, conns=conns)
    new = set(pm.current_workers().values()) - old
    new_counts = {pid: n for pid, n in r["pids"].items() if pid.isdigit() and int(pid) in new}
    r["t_ready"] = parse_ts(ev31["@t"]) - t_hup
    r["t_retired"] = max(exits.values()) - t_hup
    r["new_served"] = sum(new_counts.values())
    r["new_shares"] = shares_of(new_counts, new)
    return r


# The accept-queue configurations scenario 8 compares: label -> procman options.
QUEUES = {
    "shared queue": ["--reuse-port", "false", "--balance", "false"],
    "shared queue + balance": ["--reuse-port", "false", "--balance", "true"],
    "reuse_port": ["--reuse-port", "true", "--balance", "false"],
    "reuse_port + balance": ["--reuse-port", "true", "--balance", "true"],
}


def scenario_balance(cfg, table):
    """8. even load across workers: procman -w 2 and -w 4 in every accept-queue configuration, 64 keep-alive
       connections (a short run and a longer one) and connection-per-request, against the bare app; then SIGHUP
       under that keep-alive load; then one worker stopped for a while under connection-per-request load."""
    conns = 64
    short, long_ = cfg.balance_short, cfg.balance_long
    log(f"scenario 8: even load across workers, procman -w 2 / -w 4 in {len(QUEUES)} accept-queue configurations vs "
        f"bare app, wrk -t2 -c{conns}: keep-alive {short} s and {long_} s, Connection: close {cfg.duration} s, "
        f"{cfg.reps} repetitions; then SIGHUP under keep-alive load; then a stopped worker")
    bare = Bare("s8-bare")
    slug = {q: q.replace(" + ", "-").replace(" ", "-").replace("_", "-") for q in QUEUES}
    pms = {(n, q): Procman(f"s8-procman-w{n}-{slug[q]}", n, args=args) for n in (2, 4) for q, args in QUEUES.items()}
    servers = [bare] + list(pms.values())
    runs = ((f"keep-alive, {short} s run", False, short),
            (f"keep-alive, {long_} s run", False, long_),
            (f"Connection: close, {cfg.duration} s run", True, cfg.duration))
    rows = []
    try:
        start_all(servers)
        pids = {pm: sorted(pm.current_workers().values()) for pm in pms.values()}
        warm(servers, cfg.warm, "/whoami", LUA, close_too=True)
        res = {(s, run[0]): [] for s in servers for run in runs}
        for rep in range(cfg.reps):
            # bare, then the procman configurations, in a rotated order per repetition
            order = [bare]
            for n in (2, 4):
                group = [pms[(n, q)] for q in QUEUES]
                order += group[rep % len(group):] + group[:rep % len(group)]
            for label, close, d in runs:
                for s in order:
                    res[(s, label)].append(wrk(s.url + "/whoami", d, close=close, lua=LUA, conns=conns))
            log(f"  repetition {rep + 1} of {cfg.reps} done")
        for pm in pms.values():
            now = sorted(pm.current_workers().values())
            if now != pids[pm]:
                raise BenchError(f"procman ({pm.name}): workers changed during the run ({pids[pm]} -> {now}); "
                                 f"see {pm.logpath}")

        first = next(iter(QUEUES))
        for label, _, _ in runs:
            b_rs = res[(bare, label)]
            b_rps, b_p99 = med([r["rps"] for r in b_rs]), med([r["p99"] for r in b_rs])
            rows.append(f"| – | {label} | bare app | {fmt(b_rps)} | – | – | {fmt(b_p99, 2)} | – | – | – | – | – "
                        f"| {sum(r['errors'] + r['non2xx'] for r in b_rs)} |")
            for n in (2, 4):
                base_rs = res[(pms[(n, first)], label)]
                base_rps, base_p99 = med([r["rps"] for r in base_rs]), med([r["p99"] for r in base_rs])
                for q in QUEUES:
                    pm = pms[(n, q)]
                    rs = res[(pm, label)]
                    rps, p99 = med([r["rps"] for r in rs]), med([r["p99"] for r in rs])
                    per_run = [shares_of(r["pids"], pids[pm]) for r in rs]
                    mins = [s[-1] for s in per_run if s]
                    total = {}
                    for r in rs:
                        for pid, c in r["pids"].items():
                            total[pid] = total.get(pid, 0) + c
                    errs = sum(r["errors"] + r["non2xx"] for r in rs)
                    rows.append(
                        f"| -w {n} | {label} | {q} | {fmt(rps)} | {ratio(rps, b_rps)} "
                        f"| {ratio(rps, base_rps) if q != first else '–'} | {fmt(p99, 2)} | {ratio(p99, b_p99)} "
                        f"| {ratio(p99, base_p99) if q != first else '–'} | {pct_list(shares_of(total, pids[pm]))} "
                        f"| {fmt(100 * med(mins))}% | {fmt(100 * min(mins))}% | {errs} |")
    finally:
        stop_all(servers)

    reload_section = balance_reloads(cfg, conns)
    stall_section = balance_stall(cfg, conns)

    note = (f"GET /whoami, `wrk -t2 -c{conns} --latency`; keep-alive runs of {short} s (the first seconds, balancing "
            f"converges in about 1-2 s) and {long_} s, connection-per-request (`-H 'Connection: close'`) runs of "
            f"{cfg.duration} s; {cfg.reps} repetitions, each: bare app, then per worker count the {len(QUEUES)} "
            f"configurations (`--reuse-port`, `--balance`) in an order rotated per repetition; medians. Every run "
            f"starts with {conns} fresh connections. Shares: per worker pid from `bench/whoami.lua` (a worker that "
            f"served nothing counts as 0%), 'all runs' = summed over the repetitions; min share = the smallest "
            f"worker's share in a run, median and worst over the repetitions (fair: 50% with -w 2, 25% with -w 4; "
            f"target with -w 4 keep-alive: ≥ 15%). errors = socket errors + non-2xx over all runs.")
    perf = "\n".join([
        "| workers | load | configuration | req/s | vs bare | vs shared queue | p99 (ms) | vs bare | vs shared queue "
        "| requests per worker (all runs) | min share (median) | min share (worst run) | errors |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + rows)
    table.sections.append(("8 even load across workers", note + "\n\n" + perf))
    table.sections.append(reload_section)
    table.sections.append(stall_section)


# The configurations that balance well enough to be a default: measured again under a reload and a stall.
CANDIDATES = ("shared queue + balance", "reuse_port + balance")


def balance_reloads(cfg, conns):
    """Reload under the scenario's keep-alive load, fresh servers; the bare app runs the same length, no reload."""
    d = cfg.reload_duration
    log(f"scenario 8: SIGHUP at {d / 3:.1f} s of a {d} s keep-alive run (-c{conns}), procman -w 2 / -w 4, "
        f"{' and '.join(CANDIDATES)}")
    bare = Bare("s8-reload-bare")
    rpms = {(n, q): Procman(f"s8-reload-procman-w{n}-{q.replace(' + ', '-').replace(' ', '-').replace('_', '-')}", n,
                            args=QUEUES[q]) for n in (2, 4) for q in CANDIDATES}
    servers = [bare] + list(rpms.values())
    rrows = []
    try:
        start_all(servers)
        warm(servers, cfg.warm, "/whoami", LUA)
        bare_res, rres = [], {key: [] for key in rpms}
        for rep in range(cfg.reps_reload):
            bare_res.append(wrk(bare.url + "/whoami", d, lua=LUA, conns=conns))
            for (n, q), pm in rpms.items():
                r = reload_under_load(pm, d, conns)
                rres[(n, q)].append(r)
                log(f"  -w {n} {q} reload {rep + 1}: errors {r['errors']} non-2xx {r['non2xx']}, new workers ready "
                    f"after {r['t_ready']:.2f} s, old ones gone after {r['t_retired']:.2f} s, "
                    f"new workers' shares {pct_list(r['new_shares'])}")
        b_rps, b_p99 = med([r["rps"] for r in bare_res]), med([r["p99"] for r in bare_res])
        eb = sum(r["errors"] + r["non2xx"] for r in bare_res)
        rrows.append(f"| – | bare app (no reload) | {eb} | – | {fmt(b_rps)} | – | {fmt(b_p99, 2)} | – | – | – | – |")
        for (n, q), rs in rres.items():
            e = sum(r["errors"] + r["non2xx"] for r in rs)
            detail = "; ".join(r["error_detail"] for r in rs if r.get("error_detail"))
            rps, p99 = med([r["rps"] for r in rs]), med([r["p99"] for r in rs])
            rrows.append(
                f"| -w {n} | {q}, SIGHUP | **{e}**{f' ({detail})' if e and detail else ''} "
                f"| {sum(r['requests'] for r in rs):,} | {fmt(rps)} | {ratio(rps, b_rps)} | {fmt(p99, 2)} "
                f"| {ratio(p99, b_p99)} | {med([r['t_retired'] for r in rs]):.2f} | {fmt(med([r['new_served'] for r in rs]))} "
                f"| {' ; '.join(pct_list(r['new_shares']) for r in rs)} |")
    finally:
        stop_all(servers)
    rnote = (f"The same keep-alive load (`wrk -t2 -c{conns}`, {d} s), `SIGHUP` to the master at {d / 3:.1f} s, "
             f"{cfg.reps_reload} run(s) per configuration with fresh servers, next to a bare-app run of the same length "
             f"without a reload. errors = socket errors + non-2xx summed over the runs (goal 0); new workers' shares: "
             f"each new worker's share of the requests the new workers served, per run.")
    rel = "\n".join([
        "| workers | configuration | errors (goal 0) | requests (all runs) | req/s | vs bare | p99 (ms) | vs bare "
        "| SIGHUP → last old worker exited (s, median) | requests served by the new workers (median) "
        "| new workers' shares per run |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + rrows)
    return ("8 reload under keep-alive load", rnote + "\n\n" + rel)


def balance_stall(cfg, conns):
    """One of four workers stopped (SIGSTOP) for a while under connection-per-request load: on a shared queue the
       others take its new connections; on its own reuse_port socket they wait for it."""
    d, stop_at, stall = 9, 3, 3
    reps = max(1, cfg.reps_reload - 1)
    log(f"scenario 8: SIGSTOP one of 4 workers for {stall} s at {stop_at} s of a {d} s Connection: close run "
        f"(-c{conns}), {' and '.join(CANDIDATES)}, {reps} run(s) each")
    spms = {q: Procman(f"s8-stall-procman-w4-{q.replace(' + ', '-').replace(' ', '-').replace('_', '-')}", 4,
                       args=QUEUES[q]) for q in CANDIDATES}
    rows = []
    try:
        start_all(list(spms.values()))
        warm(list(spms.values()), cfg.warm, "/whoami", LUA, close_too=True)
        res = {(q, stalled): [] for q in CANDIDATES for stalled in (False, True)}
        for rep in range(reps):
            for q, pm in spms.items():
                res[(q, False)].append(wrk(pm.url + "/whoami", d, close=True, lua=LUA, conns=conns))
                victim = sorted(pm.current_workers().values())[rep % 4]

                def stall_victim():
                    os.kill(victim, signal.SIGSTOP)
                    try:
                        time.sleep(stall)
                    finally:
                        os.kill(victim, signal.SIGCONT)

                r, _ = wrk_during(pm.url + "/whoami", d, stop_at, stall_victim, close=True, lua=LUA, conns=conns)
                res[(q, True)].append(r)
                log(f"  {q}, worker {victim} stopped: {r['requests']} requests, p99 {fmt(r['p99'], 1)} ms, "
                    f"max {fmt(r['max'], 0)} ms, errors {r['errors'] + r['non2xx']}")
    finally:
        stop_all(list(spms.values()))
    for q in CANDIDATES:
        for stalled in (False, True):
            rs = res[(q, stalled)]
            rows.append(f"| {q} | {'one worker stopped for ' + str(stall) + ' s' if stalled else 'no stall'} "
                        f"| {fmt(med([r['rps'] for r in rs]))} | {fmt(med([r['p99'] for r in rs]), 1)} "
                        f"| {fmt(max(r['max'] for r in rs), 0)} | {sum(r['errors'] + r['non2xx'] for r in rs)} |")
    note = (f"`procman -w 4`, GET /whoami with `wrk -t2 -c{conns} -H 'Connection: close' --timeout 5s`, {d} s runs; "
            f"in the stalled runs one worker gets SIGSTOP at {stop_at} s and SIGCONT {stall} s later (a worker in a "
            f"long GC pause, or hung until `timeout` replaces it, looks the same to clients). {reps} run(s) per row; "
            f"req/s and p99 medians, max latency the highest of the runs; errors summed.")
    perf = "\n".join([
        "| configuration | run | req/s | p99 (ms) | max latency (ms) | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: |"] + rows)
    return ("8 one worker stalls under connection-per-request load", note + "\n\n" + perf)


def proc_memory_kb(pid):
    """(RSS, PSS, anonymous RSS) in kB from /proc/PID/smaps_rollup and status, plus the fd and thread counts."""
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                values[parts[0].rstrip(":")] = int(parts[1])
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("RssAnon:", "Threads:")):
                values[line.split(":")[0]] = int(line.split()[1])
    values["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return values


def slope(points):
    """Least-squares slope of (x, y) points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else float("nan")


def reload_and_settle(pm, workers, timeout=60.0):
    """One SIGHUP; returns once the new workers are ready (event 31) and every old one has exited (event 4)."""
    since = pm.event_count()
    os.kill(pm.master_pid, signal.SIGHUP)
    i, _ = pm.wait_event(lambda e: e["EventId"]["Id"] == 31, timeout, since, "reload complete (event 31)")
    for _ in range(workers):
        i, _ = pm.wait_event(lambda e: e["EventId"]["Id"] == 4, timeout, i, "an old worker's exit (event 4)")
        i += 1


def scenario_reload_memory(cfg, table):
    """11. The master's memory over many reloads: RSS and PSS per reload after a warm-up, as a slope."""
    n, every = cfg.memory_reloads, 10
    log(f"scenario 11: the master's RSS and PSS over {n} SIGHUP reloads, procman -w 2 (one at a time, each settled)")
    pm = Procman("s11-procman-w2", 2)
    try:
        start_all([pm])
        samples = [(0, proc_memory_kb(pm.master_pid))]
        for i in range(1, n + 1):
            reload_and_settle(pm, pm.workers)
            if i % every == 0:
                samples.append((i, proc_memory_kb(pm.master_pid)))
                m = samples[-1][1]
                log(f"  reload {i}: RSS {m['Rss'] / 1024:.1f} MB, PSS {m['Pss'] / 1024:.1f} MB, anonymous {m['RssAnon'] / 1024:.1f} MB, "
                    f"{m['Threads']} threads, {m['fds']} fds")
        # The first reloads grow the master while the JIT and the runtime warm up; the second half shows whether it
        # levels off (a plateau) or keeps growing (a slope).
        half = [(i, m) for i, m in samples if i >= n // 2]
        sc = f"11 -w 2, {n} reloads one after another"
        first, mid, last = samples[0][1], half[0][1], samples[-1][1]
        table.add(sc, f"master RSS at start / after {half[0][0]} / after {n} reloads (MB)", "–",
                  f"{first['Rss'] / 1024:.1f} / {mid['Rss'] / 1024:.1f} / {last['Rss'] / 1024:.1f}")
        table.add(sc, f"master PSS at start / after {half[0][0]} / after {n} reloads (MB)", "–",
                  f"{first['Pss'] / 1024:.1f} / {mid['Pss'] / 1024:.1f} / {last['Pss'] / 1024:.1f}")
        for key, name in (("Rss", "RSS"), ("Pss", "PSS"), ("RssAnon", "anonymous RSS")):
            table.add(sc, f"master {name} growth per reload, reloads {half[0][0]}-{n} (KB, least squares; goal ≤ 20)", "–",
                      f"**{slope([(i, m[key]) for i, m in half]):.1f}**")
        table.add(sc, "master threads, fds at start / at the end", "–",
                  f"{first['Threads']}, {first['fds']} / {last['Threads']}, {last['fds']}")
    finally:
        stop_all([pm])


# ---------------------------------------------------------------------------------------------- main

def scenario_observed(cfg, table):
    """10. The cost of being watched: wrk alone vs wrk while /metrics is scraped every second and
       `procman status` runs every second (as `watch -n 1 procman status` does), procman -w 1, alternating.
       One worker: with two, how a run's 50 fresh connections fall between the workers moves its req/s by more than
       being watched does (a control of 0.73-1.51 at -w 2), and hides what is measured.
       The master's own CPU is measured in both, apart from the status clients' (each a process of its own)."""
    log("scenario 10: procman -w 1 under keep-alive load, alone vs scraped and polled by procman status every second")
    sock = os.path.join(RESULTS, "s10.ctl")
    admin_port = free_port()
    pm = Procman("s10-procman-w1", 1, args=["--admin-bind", f"127.0.0.1:{admin_port}", "--control-socket", sock])
    try:
        start_all([pm])
        warm([pm], cfg.warm)
        alone, watched, scrapes, polls = [], [], [0], [0]
        master_cpu = {"alone": [], "watched": []}
        client_cpu = []

        def measured(kind):
            before = thread_cpu_ns(pm.master_pid)
            result = wrk(pm.url + "/", cfg.duration)
            master_cpu[kind].append(cpu_ms_between(before, thread_cpu_ns(pm.master_pid)) / cfg.duration)
            return result

        controls = []
        for rep in range(cfg.observed_rounds):
            # Alone, watched, alone: the watched run against the mean of the two beside it, so that a drift of the
            # machine cancels; the second alone run against the first is the control, the resolution of the run.
            alone.append(measured("alone"))
            stop = threading.Event()

            def scrape():
                while not stop.is_set():
                    http_get(admin_port, "/metrics")
                    scrapes[0] += 1
                    stop.wait(1.0)

            def poll():
                while not stop.is_set():
                    before = os.times()
                    subprocess.run([PROCMAN, "status", "--control-socket", sock], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=30, check=True)
                    after = os.times()
                    client_cpu.append((after.children_user - before.children_user + after.children_system - before.children_system) * 1000)
                    polls[0] += 1
                    stop.wait(1.0)

            watchers = [threading.Thread(target=scrape, daemon=True), threading.Thread(target=poll, daemon=True)]
            for t in watchers:
                t.start()
            watched.append(measured("watched"))
            stop.set()
            for t in watchers:
                t.join(timeout=35)
            after = measured("alone")
            controls.append(after["rps"] / alone[-1]["rps"])
            alone.append(after)
        a = {k: med([r[k] for r in alone]) for k in ("rps", "p99")}
        w = {k: med([r[k] for r in watched]) for k in ("rps", "p99")}
        sc = "10 -w 1 watched: /metrics and procman status, each every second"
        ratios = [watched[i]["rps"] * 2 / (alone[2 * i]["rps"] + alone[2 * i + 1]["rps"]) for i in range(len(watched))]
        wr, wlo, whi = median_interval(ratios)
        cr, clo, chi = median_interval(controls)
        # Here the "bare app" column is procman unwatched, the "procman" column procman watched.
        table.add(sc, f"req/s (unwatched, watched): median of {len(ratios)} rounds and its 95% confidence interval",
                  fmt(a["rps"]), fmt(w["rps"]), f"**{wr:.3f}** [{wlo:.3f}, {whi:.3f}]")
        table.add(sc, "control: the unwatched run after against the one before (ideally 1)", "", "",
                  f"{cr:.3f} [{clo:.3f}, {chi:.3f}]")
        table.add(sc, "p99 latency (ms)", fmt(a["p99"], 2), fmt(w["p99"], 2), ratio(w["p99"], a["p99"]))
        table.add(sc, "master CPU under the load (ms per s)", fmt(med(master_cpu["alone"]), 1), fmt(med(master_cpu["watched"]), 1))
        table.add(sc, "CPU of one procman status client process (ms, median)", "", fmt(med(client_cpu)))
        table.add(sc, "scrapes, status runs (all watched runs)", str(scrapes[0]), str(polls[0]))
        # What being watched takes from the machine, as CPU: the status clients' and the master's extra, against every
        # core's second. The req/s ratio cannot resolve a cost this small; this account bounds the direct part of it.
        watched_seconds = cfg.observed_rounds * cfg.duration
        taken = sum(client_cpu) / watched_seconds + med(master_cpu["watched"]) - med(master_cpu["alone"])
        table.add(sc, "CPU taken by watching: status clients + the master's extra (ms per s; share of all cores)", "",
                  fmt(taken, 1), f"{taken / (len(os.sched_getaffinity(0)) * 10):.1f}%")
    finally:
        stop_all([pm])


# The levers scenario 12 compares: (label, procman options, extra environment for the workers).
WARMUP = ["--warmup-path", "/whoami", "--warmup-requests", "20"]
FAST_TIER_UP = {"DOTNET_TieredPGO": "0", "DOTNET_TC_CallCountingDelayMs": "0"}
# Turns off the warm-up a worker does by default when it boots while another serves (Kestrel's own).
NO_WARMUP = ["--warmup-tier-up-timeout", "0"]
RELOAD_LEVERS = [
    ("defaults (reload_batch 1: one new worker at a time; Kestrel's own warm-up)", [], {}),
    ("no warm-up (warmup_tier_up_timeout 0)", NO_WARMUP, {}),
    ("reload_batch 0: all new workers at once", ["--reload-batch", "0"], {}),
    ("warm-up: 20 × GET /whoami, no tier-up", WARMUP + ["--warmup-tier-up-timeout", "0"], {}),
    ("warm-up: 20 × GET /whoami, then until the JIT is quiet", WARMUP, {}),
    ("reload_batch 0 + warm-up until the JIT is quiet", ["--reload-batch", "0"] + WARMUP, {}),
    ("workers: DOTNET_TieredPGO=0 + DOTNET_TC_CallCountingDelayMs=0, no warm-up", NO_WARMUP, FAST_TIER_UP),
]

# Scenario 12's max_requests recycles: (label, extra environment, extra procman options).
RECYCLE_LEVERS = [
    (" (Kestrel's own warm-up)", {}, []),
    (" (no warm-up)", {}, NO_WARMUP),
    (" (workers: DOTNET_TieredPGO=0 + DOTNET_TC_CallCountingDelayMs=0, no warm-up)", FAST_TIER_UP, NO_WARMUP),
    (" (warm-up: 20 × GET /whoami, then until the JIT is quiet)", {}, WARMUP),
]


def scenario_levers(cfg, table):
    """12. The levers of a reload clients cannot feel: procman -w 2 under keep-alive load, each lever its own master,
       all masters started together. Each master's chain of runs is ReloadSeries's (every reload run between two
       steady runs of the same master); per round the masters take their turns in an order rotated each round.
       Then the max_requests recycles of RECYCLE_LEVERS, each against a steady master as in scenario 3."""
    d, rounds = cfg.reload_duration, cfg.reps_reload
    log(f"scenario 12: reload levers, procman -w 2, {len(RELOAD_LEVERS)} configurations, {rounds} rounds of a reload "
        f"run and a steady run of {d} s each")
    pms = [Procman(f"s12-lever{i}", 2, env, args) for i, (_, args, env) in enumerate(RELOAD_LEVERS)]
    label = {pm: RELOAD_LEVERS[i][0] for i, pm in enumerate(pms)}
    try:
        start_all(pms)
        warm(pms, cfg.warm, "/whoami", LUA)
        series = {pm: ReloadSeries(pm, d, cfg.warm) for pm in pms}
        for rnd in range(rounds):
            for pm in pms[rnd % len(pms):] + pms[:rnd % len(pms)]:
                series[pm].measure_reload()
            log(f"  round {rnd + 1} of {rounds} done")
    finally:
        stop_all(pms)
    rows = []
    for pm in pms:
        s = series[pm]
        errors = sum(x["errors"] + x["non2xx"] for x in s.reload)
        rows.append(f"| {label[pm]} | {fmt(med([x['rps'] for x in s.steady]))} | {med(beside(s.reload, s.steady, 'rps')):.2f} "
                    f"| {fmt(med([x['p99'] for x in s.steady]), 2)} | {fmt(med([x['p99'] for x in s.reload]), 2)} "
                    f"| {med(beside(s.reload, s.steady, 'p99')):.2f} "
                    f"| {med([x['t_ready'] for x in s.reload]):.2f} | {med([x['t_retired'] for x in s.reload]):.2f} "
                    f"| {fmt(med(s.steady_pss), 1)} | {fmt(med(s.reload_pss), 1)} | {errors} |")
    for i, (recycled, env, args) in enumerate(RECYCLE_LEVERS):
        rec = recycle_series(cfg, rounds, f"s12-recycle{i}", env, args)
        rows.append(f"| max_requests {rec['max_requests']}{recycled} (recycles per run: "
                    f"{', '.join(str(n) for n in rec['recycles'])}), against a steady master "
                    f"| {fmt(med([x['rps'] for x in rec['steady']]))} | {med(beside(rec['runs'], rec['steady'], 'rps')):.2f} "
                    f"| {fmt(med([x['p99'] for x in rec['steady']]), 2)} | {fmt(med([x['p99'] for x in rec['runs']]), 2)} "
                    f"| {med(beside(rec['runs'], rec['steady'], 'p99')):.2f} | – | – | – | – "
                    f"| {sum(x['errors'] + x['non2xx'] for x in rec['runs'])} |")

    body = "\n".join([
        f"GET /whoami, `wrk -t2 -c50` keep-alive, {d} s runs, SIGHUP at {d / 3:.1f} s, {rounds} rounds, medians; each "
        "reload run is read against the same master's steady runs just before and after it (goals: req/s ≥ 0.9, "
        "p99 ≤ 2×, 0 errors). Ready: SIGHUP → all new workers ready (event 31); retired: SIGHUP → last old worker "
        f"exited. PSS: master and all its workers, sampled every {MEMORY_SAMPLE_S:g} s.",
        "",
        "| lever | steady req/s | reload / steady req/s | steady p99 (ms) | reload p99 (ms) | p99 ratio | ready (s) "
        "| retired (s) | steady PSS peak (MB) | reload PSS peak (MB) | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"] + rows)
    table.sections.append(("12 reload levers", body))


# Scenario 13's worker settings: (label, extra environment, extra procman options). DOTNET_ numbers are hexadecimal.
COLD_CONFIGS = [
    ("no warm-up (warmup_tier_up_timeout 0)", {}, NO_WARMUP),
    ("the server's own warm-up until the JIT is quiet (no warmup_path: the default)", {}, []),
    ("DOTNET_TieredPGO=0", {"DOTNET_TieredPGO": "0"}, NO_WARMUP),
    ("DOTNET_TC_CallCountingDelayMs=0", {"DOTNET_TC_CallCountingDelayMs": "0"}, NO_WARMUP),
    ("DOTNET_TieredPGO=0 + DOTNET_TC_CallCountingDelayMs=0", FAST_TIER_UP, NO_WARMUP),
    ("DOTNET_TieredCompilation=0", {"DOTNET_TieredCompilation": "0"}, NO_WARMUP),
    ("warm-up: 10 × GET /whoami, no tier-up (warmup_tier_up_timeout 0)", {},
     ["--warmup-path", "/whoami", "--warmup-tier-up-timeout", "0"]),
    ("warm-up: 10 × GET /whoami, then until the JIT is quiet (warmup_tier_up_timeout 10, the default)", {},
     ["--warmup-path", "/whoami"]),
]


def scenario_cold(cfg, table):
    """13. A new worker's first seconds under load, per worker setting: a fresh procman -w 1 per run, reloaded once
       (SIGHUP) and loaded from the moment the reload's worker is ready, with back-to-back 1 s keep-alive runs on
       /whoami, then an unmeasured settle and three more 1 s runs: the worker's steady rate. The first seconds fall
       short of that rate while the JIT tiers the hot code up, and their shortfall summed is what the new worker costs
       (on a slow host the tier-up under load outlasts the measured seconds, so the steady rate comes after a settle
       rather than from their last ones): seconds of full throughput lost, the part of a reload
       or a max_requests recycle that the clients feel once the worker is ready. A warm-up moves part of that into
       the boot, before the worker is ready, so the time from SIGHUP to the new worker ready is reported beside it."""
    seconds, settle, reps = cfg.cold_seconds, cfg.cold_settle, cfg.reps
    log(f"scenario 13: a new worker's first {seconds} s under load, {len(COLD_CONFIGS)} settings, {reps} repetitions")
    runs = {label: [] for label, _, _ in COLD_CONFIGS}
    boots = {label: [] for label, _, _ in COLD_CONFIGS}
    for rep in range(reps):
        order = COLD_CONFIGS[rep % len(COLD_CONFIGS):] + COLD_CONFIGS[:rep % len(COLD_CONFIGS)]
        for label, env, args in order:
            pm = Procman(f"s13-setting{[c[0] for c in COLD_CONFIGS].index(label)}-run{rep + 1}", 1, env, args)
            try:
                start_all([pm])
                # The worker measured is a reload's: a warm-up goes on until the JIT is quiet only while another serves.
                t_hup = time.time()
                reload_and_settle(pm, 1)
                boots[label].append(time.time() - t_hup)
                first = [wrk(pm.url + "/whoami", 1, lua=LUA)["rps"] for _ in range(seconds)]
                wrk(pm.url + "/whoami", settle, lua=LUA)
                runs[label].append(first + [wrk(pm.url + "/whoami", 1, lua=LUA)["rps"] for _ in range(3)])
            finally:
                stop_all([pm])
    base = med([med(r[-3:]) for r in runs[COLD_CONFIGS[0][0]]])
    rows = []
    for label, _, _ in COLD_CONFIGS:
        steady = [med(r[-3:]) for r in runs[label]]
        lost = [sum(max(0.0, 1 - x / s) for x in r[:-3]) for r, s in zip(runs[label], steady)]
        firsts = " / ".join(f"{med([r[i] / s for r, s in zip(runs[label], steady)]) * 100:.0f}%" for i in range(seconds))
        rows.append(f"| {label} | {med(boots[label]):.2f} | {firsts} | **{med(lost):.2f}** ({min(lost):.2f}–{max(lost):.2f}) "
                    f"| {fmt(med(steady))} | {med(steady) / base:.2f} |")
    body = "\n".join([
        f"A fresh `procman -w 1` per run (the worker given the setting with `-e` or the option), reloaded once with "
        f"`SIGHUP` and loaded from the moment the new worker is ready (the old one gone) with {seconds} back-to-back "
        f"1 s runs of `wrk -t2 -c50` keep-alive on GET /whoami, then {settle} s unmeasured and 3 runs more; {reps} runs "
        "per setting, in an order rotated each repetition, medians. Ready: `SIGHUP` to the new worker ready, with no "
        "load meanwhile. Steady: the median of the last 3 runs. Lost: the shortfall of the first "
        f"{seconds} against the run's steady rate, summed, in seconds of full throughput (min–max over the runs).",
        "",
        "| worker setting | SIGHUP → ready (s) | req/s in each of the first seconds, of steady | lost (s) | steady req/s "
        "| steady / defaults |",
        "| --- | ---: | --- | ---: | ---: | ---: |"] + rows)
    table.sections.append(("13 a new worker's first seconds", body))


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    wrkv = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    wrkv = (wrkv.stdout + wrkv.stderr).strip().splitlines()[0] if (wrkv.stdout + wrkv.stderr).strip() else "?"
    kernel = os.uname().release
    return (f"{os.cpu_count()} CPU(s) (nproc {len(os.sched_getaffinity(0))}), {model}, {mem} RAM, "
            f"Linux {kernel}, .NET SDK {dotnet}, {wrkv.split(' Copyright')[0]}")


def main():
    ap = argparse.ArgumentParser(description="procman benchmark harness (use bench/run)")
    ap.add_argument("--quick", action="store_true", help="short run, about 8 minutes")
    ap.add_argument("--only", default="1,2,3,4,5,6,9,10",
                    help="comma-separated scenarios to run (5 runs with 2; 9 is health checking's cost); 7 (per-worker runtime tuning, "
                         "several minutes), 8 (even load across workers: shared queue or reuse_port, balance or not; ~15 minutes) "
                         "11 (the master's memory over 250 reloads, ~5 minutes, --quick too), 12 (the levers of a reload, ~13 minutes) "
                         "and 13 (a new worker's first seconds under load per runtime setting, ~15 minutes) run only when named; "
                         "10 (the cost of /metrics scrapes and procman status runs, each every second, ~1 minute) is in the default set")
    ap.add_argument("--command", default=None, help=argparse.SUPPRESS)
    cfg = ap.parse_args()
    if cfg.quick:
        cfg.duration, cfg.warm, cfg.reps, cfg.idle, cfg.idle_rest = 2, 1, 2, 5, 5
        cfg.overhead_sets, cfg.overhead_rounds, cfg.overhead_duration = 2, 6, 1
        cfg.observed_rounds = 6
        cfg.reload_duration, cfg.reps_reload, cfg.reps_crash, cfg.reps_startup = 6, 1, 2, 2
        cfg.reload_rounds, cfg.cold_seconds, cfg.cold_settle = 3, 6, 4
        cfg.idle_tuning = 3
        cfg.balance_short, cfg.balance_long = 3, 6
    else:
        cfg.duration, cfg.warm, cfg.reps, cfg.idle, cfg.idle_rest = 5, 3, 4, 30, 20
        cfg.overhead_sets, cfg.overhead_rounds, cfg.overhead_duration = 6, 24, 1
        cfg.observed_rounds = 12
        cfg.reload_duration, cfg.reps_reload, cfg.reps_crash, cfg.reps_startup = 10, 3, 3, 5
        cfg.reload_rounds, cfg.cold_seconds, cfg.cold_settle = 15, 8, 12
        cfg.idle_tuning = 5
        cfg.balance_short, cfg.balance_long = 3, 10
    # Not shortened by --quick: the master's warm-up (the JIT's tier-up) still steps its RSS past the 100th reload.
    cfg.memory_reloads = 250
    only = set(cfg.only.replace(" ", "").split(","))
    for f in (PROCMAN, APP):
        if not os.path.exists(f):
            raise BenchError(f"{f} is missing: run 'dotnet build -c Release' in {ROOT} (bench/run does)")
    os.makedirs(RESULTS, exist_ok=True)

    started = datetime.datetime.now().astimezone()
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])
    t0 = time.time()
    table = Table()
    if "1" in only:
        scenario_overhead(cfg, table)
    if only & {"2", "5"}:
        scenario_workers(cfg, table)
    if "3" in only:
        scenario_reload(cfg, table)
    if "4" in only:
        scenario_crash(cfg, table)
    if "6" in only:
        scenario_startup(cfg, table)
    if "9" in only:
        scenario_health(cfg, table)
    if "7" in only:
        scenario_tuning(cfg, table)
    if "8" in only:
        scenario_balance(cfg, table)
    if "10" in only:
        scenario_observed(cfg, table)
    if "11" in only:
        scenario_reload_memory(cfg, table)
    if "12" in only:
        scenario_levers(cfg, table)
    if "13" in only:
        scenario_cold(cfg, table)

    kind = "quick" if cfg.quick else "full"
    command = cfg.command or shlex.join(["bench/run"] + sys.argv[1:])
    header = [
        f"# procman benchmark ({kind} run)",
        "",
        f"- date: {started.strftime('%Y-%m-%d %H:%M %Z')}, took {time.time() - t0:.0f} s",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- load average when the run started: {loadavg} (other processes on the machine add noise)",
        f"- load: `wrk -t2 -c50 --latency` on loopback, {cfg.duration} s per measurement, {cfg.reps} alternating "
        f"repetitions (scenarios 2 and 7; scenario 1: {cfg.overhead_sets} sets of servers × {cfg.overhead_rounds} rounds of {cfg.overhead_duration} s), "
        f"medians; app `samples/HelloApi` in Release with "
        f"`Logging__LogLevel__Default=Warning`; wrk runs on the same machine as the servers",
        "",
    ]
    text = "\n".join(header) + "\n" + table.markdown() + "\n"
    print(text)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write(text)
    log(f"written to {os.path.relpath(os.path.join(RESULTS, 'latest.md'), ROOT)}; server logs in "
        f"{os.path.relpath(LOGS, ROOT)}/")


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    code = 0
    try:
        main()
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        code = 130
    finally:
        kill_all()
    sys.exit(code)
