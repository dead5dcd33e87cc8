#!/usr/bin/env python3
"""procman chaos soak. Run it through bench/chaos, which builds what it needs and kills what is left.

One procman master serves samples/HelloApi (Release). A load client of our own (asyncio, raw HTTP/1.1)
keeps keep-alive connections and connection-per-request clients busy on GET /whoami at the same time and
records every failed request with its cause and, when known, the pid of the worker it was talking to.
Meanwhile a seeded random driver SIGKILLs workers, sends SIGHUP to the master, SIGTTIN / SIGTTOU, feeds it
hostile input (a broken config file before a SIGHUP, the access log's directory removed before a SIGUSR1),
and the workers recycle through --max-requests. At the end procman gets SIGTERM; its
exit code, left-over processes and the master's fd and thread counts are checked.

The only acceptable failures are requests in flight on a worker the driver SIGKILLed: the connection was
served by the killed pid and failed at or after the kill, or (pid not known yet: connection-per-request,
or the first request of a keep-alive connection) it was in flight at the moment of a kill and failed
within KILL_WINDOW seconds of it.
"""
import argparse
import asyncio
import collections
import datetime
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROCMAN = os.path.join(ROOT, "artifacts/bin/Procman/release/procman")
APP = os.path.join(ROOT, "artifacts/bin/HelloApi/release/HelloApi.dll")
OUT = os.path.join(ROOT, "bench/results/chaos")
APP_ENV = {"Logging__LogLevel__Default": "Warning"}
READY_TIMEOUT = 60.0
SETTLE_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
CONNECT_TIMEOUT = 5.0
REQUEST_TIMEOUT = 10.0
KILL_WINDOW = 2.0  # a failure of a request with unknown pid counts as the kill's if it ends this soon after it
# Noise allowed between the master's counts right after start-up and at the end (see docs/benchmarks.md).
FD_NOISE = 2
THREAD_NOISE = 4

EV_STARTED, EV_READY, EV_EXITED, EV_CRASHED, EV_FAILED = 2, 3, 4, 5, 6
EV_RELOAD_DONE, EV_RELOAD_FAILED, EV_RELOAD_REFUSED, EV_LISTENING = 31, 32, 34, 50
GOOD_CONFIG = 'bind = "127.0.0.1:0"\n'
BROKEN_CONFIG = "workers = (\n"

# Failure causes.
REFUSED = "connection refused"
CONNECT_TIMEOUT_CAUSE = "connect timeout"
CONNECT_ERROR = "connect error"
RESET = "connection reset"
WRITE_ERROR = "write error"
NO_RESPONSE = "closed without response"
PARTIAL = "closed mid-response"
TIMEOUT = "timeout"
NON_2XX = "non-2xx"
BAD_RESPONSE = "malformed response"
KILLABLE = {RESET, WRITE_ERROR, NO_RESPONSE, PARTIAL}  # what a SIGKILLed peer looks like


class ChaosError(Exception):
    pass


def log(msg):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def register_group(pid):
    pidfile = os.environ.get("CHAOS_PIDFILE")
    if pidfile:
        with open(pidfile, "a") as f:
            f.write(f"{pid}\n")


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except OSError:
        return False


def children(pid):
    """Live children of pid (from every /proc/N/stat: /proc/PID/task/TID/children lists only one thread's)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found.append(int(name))
    return sorted(found)


def count_dir(path):
    try:
        return len(os.listdir(path))
    except OSError:
        return -1


# ---------------------------------------------------------------------------------------------- procman

class Procman:
    def __init__(self, args):
        self.workers = args.workers
        # A config file and an access log in a directory of their own: the hostile actions break the one and
        # remove the other.
        self.config = os.path.join(OUT, "procman.conf.py")
        self.logdir = os.path.join(OUT, "access")
        with open(self.config, "w") as f:
            f.write(GOOD_CONFIG)
        os.makedirs(self.logdir, exist_ok=True)
        self.cmd = [PROCMAN, "run", APP, "-w", str(args.workers), "-c", self.config, "--log-format", "json",
                    "--access-logfile", os.path.join(self.logdir, "access.log"),
                    "--max-requests", str(args.max_requests), "--max-requests-jitter", str(args.max_requests_jitter),
                    "--reuse-port", "true" if args.reuse_port else "false"]
        for k, v in APP_ENV.items():
            self.cmd += ["-e", f"{k}={v}"]
        self.events = []  # (arrival time, event)
        self.lines = collections.deque(maxlen=40)
        self.cond = threading.Condition()
        self.logpath = os.path.join(OUT, "procman.log")
        self.port = None
        self.proc = None
        self.seen_pids = set()

    @property
    def pid(self):
        return self.proc.pid

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, text=True, errors="replace")
        register_group(self.proc.pid)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        with open(self.logpath, "w") as logf:
            for line in self.proc.stdout:
                now = time.time()
                logf.write(line)
                logf.flush()
                ev = None
                if line.startswith("{"):
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        ev = None
                with self.cond:
                    self.lines.append(line.rstrip("\n"))
                    if isinstance(ev, dict) and isinstance(ev.get("EventId"), dict):
                        self.events.append((now, ev))
                        if ev["EventId"].get("Id") == EV_STARTED:
                            self.seen_pids.add(ev["Pid"])
                    self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def tail(self):
        with self.cond:
            return "\n".join(self.lines)

    def ids(self, *ids):
        with self.cond:
            return [e for _, e in self.events if e["EventId"]["Id"] in ids]

    def wait_for(self, probe, timeout, what):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                result = probe()
                if result:
                    return result
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise ChaosError(f"procman exited with code {self.proc.returncode} while waiting for {what}")
                left = deadline - time.time()
                if left <= 0:
                    raise ChaosError(f"no {what} within {timeout:.0f} s")
                self.cond.wait(min(left, 0.5))

    def ready_workers(self):
        """Pids the master reported ready and not (yet) exited."""
        with self.cond:
            ready, gone = [], set()
            for _, e in self.events:
                i = e["EventId"]["Id"]
                if i == EV_READY:
                    ready.append(e["Pid"])
                elif i in (EV_EXITED, EV_CRASHED, EV_FAILED):
                    gone.add(e["Pid"])
            return [p for p in dict.fromkeys(ready) if p not in gone]

    def wait_ready(self):
        ev = self.wait_for(lambda: next((e for _, e in self.events if e["EventId"]["Id"] == EV_LISTENING), None),
                           READY_TIMEOUT, "'Listening at' (event 50)")
        self.port = int(ev["Address"].rsplit(":", 1)[1])
        self.wait_for(lambda: len(self.ready_workers()) >= self.workers, READY_TIMEOUT,
                      f"ready event (3) for {self.workers} worker(s)")

    def signal(self, sig):
        os.kill(self.pid, sig)

    def kill_group(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        for pid in self.seen_pids:
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


# ---------------------------------------------------------------------------------------------- load

class Load:
    def __init__(self, port, keepalive, close):
        self.port = port
        self.keepalive = keepalive
        self.close = close
        self.ok = collections.Counter()  # mode -> requests answered 2xx
        self.by_pid = collections.Counter()
        self.failures = []
        self.connections = 0

    def fail(self, mode, cause, t0, pid, detail="", first=False):
        self.failures.append({"mode": mode, "cause": cause, "start": t0, "end": time.time(), "pid": pid,
                              "first_on_connection": first, "detail": detail})

    async def _connect(self, mode):
        t0 = time.time()
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), CONNECT_TIMEOUT)
            self.connections += 1
            return r, w, t0
        except ConnectionRefusedError:
            self.fail(mode, REFUSED, t0, None)
        except asyncio.TimeoutError:
            self.fail(mode, CONNECT_TIMEOUT_CAUSE, t0, None)
        except OSError as e:
            self.fail(mode, CONNECT_ERROR, t0, None, repr(e))
        await asyncio.sleep(0.05)
        return None

    async def _response(self, reader):
        """Reads one response; returns (status, close, body). Raises on a broken connection."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            raise _Failure(NO_RESPONSE if not e.partial else PARTIAL)
        except asyncio.LimitOverrunError:
            raise _Failure(BAD_RESPONSE, "header too long")
        lines = head.decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        if not m:
            raise _Failure(BAD_RESPONSE, lines[0][:80])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip().lower()
        try:
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                body = b""
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    chunk = await reader.readexactly(size + 2)
                    if size == 0:
                        break
                    body += chunk[:-2]
            else:
                body = b""
        except asyncio.IncompleteReadError:
            raise _Failure(PARTIAL)
        return int(m.group(1)), headers.get("connection") == "close", body

    async def _exchange(self, mode, reader, writer, request, pid, first, t0=None):
        """One request on an open connection. Returns (ok, close, pid). The first request of a connection is in
        flight from the start of the connect: a worker may accept the connection and die before we send."""
        t0 = t0 or time.time()
        try:
            writer.write(request)
            await writer.drain()
        except OSError as e:
            self.fail(mode, RESET if isinstance(e, ConnectionResetError) else WRITE_ERROR, t0, pid, repr(e), first)
            return False, True, pid
        try:
            status, close, body = await asyncio.wait_for(self._response(reader), REQUEST_TIMEOUT)
        except _Failure as f:
            self.fail(mode, f.cause, t0, pid, f.detail, first)
            return False, True, pid
        except asyncio.TimeoutError:
            self.fail(mode, TIMEOUT, t0, pid, "", first)
            return False, True, pid
        except ConnectionResetError as e:
            self.fail(mode, RESET, t0, pid, repr(e), first)
            return False, True, pid
        except OSError as e:
            self.fail(mode, RESET, t0, pid, repr(e), first)
            return False, True, pid
        m = re.search(rb'"pid":(\d+)', body)
        if m:
            pid = int(m.group(1))
        if not 200 <= status < 300:
            self.fail(mode, NON_2XX, t0, pid, str(status), first)
            return False, close, pid
        self.ok[mode] += 1
        self.by_pid[pid] += 1
        return True, close, pid

    async def _keepalive_client(self, stop):
        req = b"GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        while not stop.is_set():
            conn = await self._connect("keep-alive")
            if conn is None:
                continue
            reader, writer, t0 = conn
            pid, first = None, True
            try:
                while not stop.is_set():
                    ok, close, pid = await self._exchange("keep-alive", reader, writer, req, pid, first, t0 if first else None)
                    first = False
                    if close:
                        break
            finally:
                writer.close()

    async def _close_client(self, stop):
        req = b"GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        while not stop.is_set():
            conn = await self._connect("connection-per-request")
            if conn is None:
                continue
            reader, writer, t0 = conn
            try:
                await self._exchange("connection-per-request", reader, writer, req, None, True, t0)
            finally:
                writer.close()

    async def run(self, stop_event):
        stop = asyncio.Event()

        async def watch():
            while not stop_event.is_set():
                await asyncio.sleep(0.05)
            stop.set()

        tasks = [asyncio.create_task(self._keepalive_client(stop)) for _ in range(self.keepalive)]
        tasks += [asyncio.create_task(self._close_client(stop)) for _ in range(self.close)]
        await watch()
        # Every request in flight finishes or times out (bounded by the timeouts above).
        await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT + CONNECT_TIMEOUT + 5)
        for t in tasks:
            t.cancel()


def _load_process(port, keepalive, close, stop, conn):
    """One load process: its own event loop; sends its counts and failures back when stop is set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load = Load(port, keepalive, close)
    asyncio.run(load.run(stop))
    conn.send((dict(load.ok), dict(load.by_pid), load.failures, load.connections))
    conn.close()


def run_load(port, keepalive, close, processes, stop, timeout):
    """Runs the load in `processes` processes (one Python event loop is not enough for a few thousand req/s)."""
    total = Load(port, keepalive, close)
    procs = []
    t0 = time.time()
    for i in range(processes):
        ka = keepalive // processes + (1 if i < keepalive % processes else 0)
        cl = close // processes + (1 if i < close % processes else 0)
        parent, child = multiprocessing.Pipe(duplex=False)
        proc = multiprocessing.Process(target=_load_process, args=(port, ka, cl, stop, child), daemon=True)
        proc.start()
        child.close()
        procs.append((proc, parent))
    try:
        for proc, parent in procs:
            if not parent.poll(max(timeout - (time.time() - t0), 1)):
                raise ChaosError("a load process sent nothing")
            ok, by_pid, failures, connections = parent.recv()
            total.ok.update(ok)
            total.by_pid.update(by_pid)
            total.failures += failures
            total.connections += connections
            proc.join(timeout=10)
    except EOFError:
        raise ChaosError("a load process died without sending its results")
    finally:
        for proc, _ in procs:
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
    return total


class _Failure(Exception):
    def __init__(self, cause, detail=""):
        super().__init__(cause)
        self.cause = cause
        self.detail = detail


# ---------------------------------------------------------------------------------------------- driver

class Driver(threading.Thread):
    ACTIONS = (("kill", 3), ("hup", 2), ("ttin", 2), ("ttou", 2), ("badconfig", 1), ("logdir", 1))

    def __init__(self, procman, rng, stop, interval):
        super().__init__(daemon=True)
        self.procman = procman
        self.rng = rng
        self.stop = stop
        self.interval = interval
        self.target = procman.workers
        self.kills = []  # (time just before kill(2), time it returned, pid)
        self.actions = collections.Counter()
        self.error = None

    def run(self):
        try:
            while not self.stop.wait(self.rng.uniform(*self.interval)):
                self.act()
        except Exception as e:  # reported by the main thread
            self.error = e

    def act(self):
        names, weights = zip(*self.ACTIONS)
        action = self.rng.choices(names, weights)[0]
        if action == "kill":
            live = [p for p in self.procman.ready_workers() if alive(p)]
            if len(live) < 2:
                self.actions["kill skipped (fewer than 2 ready workers)"] += 1
                return
            victim = self.rng.choice(sorted(live))
            t = time.time()
            os.kill(victim, signal.SIGKILL)
            self.kills.append((t, time.time(), victim))
            log(f"SIGKILL worker {victim}")
        elif action == "hup":
            self.procman.signal(signal.SIGHUP)
            log("SIGHUP master")
        elif action == "ttin":
            if self.target >= self.procman.workers + 2:
                self.actions["ttin skipped (at workers + 2)"] += 1
                return
            self.target += 1
            self.procman.signal(signal.SIGTTIN)
            log(f"SIGTTIN master (target {self.target})")
        elif action == "ttou":
            if self.target <= 1:
                self.actions["ttou skipped (at 1 worker)"] += 1
                return
            self.target -= 1
            self.procman.signal(signal.SIGTTOU)
            log(f"SIGTTOU master (target {self.target})")
        elif action == "badconfig":
            # A broken config file before a SIGHUP: refused, and the workers serve on.
            refused = len(self.procman.ids(EV_RELOAD_REFUSED))
            with open(self.procman.config, "w") as f:
                f.write(BROKEN_CONFIG)
            self.procman.signal(signal.SIGHUP)
            self.procman.wait_for(lambda: len(self.procman.ids(EV_RELOAD_REFUSED)) > refused, READY_TIMEOUT, "the reload refusal (event 34)")
            with open(self.procman.config, "w") as f:
                f.write(GOOD_CONFIG)
            log("broken config + SIGHUP master: refused")
        elif action == "logdir":
            # The access log's directory removed before a SIGUSR1 (a cleanup job, a bad logrotate rule): the
            # workers warn and serve on; the directory comes back with the next such action.
            if os.path.isdir(self.procman.logdir):
                shutil.rmtree(self.procman.logdir)
                log("access log directory removed + SIGUSR1 master")
            else:
                os.makedirs(self.procman.logdir)
                log("access log directory back + SIGUSR1 master")
            self.procman.signal(signal.SIGUSR1)
        self.actions[action] += 1

    def restore(self):
        """Brings the worker count back to the start-up count: a reload sets it to the configured one, whatever
        SIGTTIN/SIGTTOU did (signals of one kind sent in a row merge, so they cannot undo each other reliably)."""
        done = len(self.procman.ids(EV_RELOAD_DONE))
        self.procman.signal(signal.SIGHUP)
        self.procman.wait_for(lambda: len(self.procman.ids(EV_RELOAD_DONE)) > done, READY_TIMEOUT, "the final reload (event 31)")
        self.target = self.procman.workers


# ---------------------------------------------------------------------------------------------- analysis

def classify(failures, kills):
    killed = {}
    for t, _, pid in kills:
        killed.setdefault(pid, t)
    for f in failures:
        f["acceptable"] = False
        f["why"] = ""
        if f["cause"] not in KILLABLE:
            continue
        if f["pid"] is not None:
            if f["pid"] in killed and f["end"] >= killed[f["pid"]]:
                f["acceptable"], f["why"] = True, "served by a killed worker"
        else:
            # In flight at the kill: started before kill(2) returned. The clock read before the call can be tens
            # of ms early on a loaded machine, and the victim accepts until the signal lands.
            for t, returned, pid in kills:
                if f["start"] <= returned and t <= f["end"] <= returned + KILL_WINDOW:
                    f["acceptable"], f["why"] = True, f"pid unknown; in flight at the kill of {pid}"
                    break
    return failures


def settle(procman, target):
    """Waits until the master has `target` ready workers, exactly those as children, and 2 s without events."""
    def quiet():
        ready = sorted(p for p in procman.ready_workers() if alive(p))
        last = procman.events[-1][0] if procman.events else 0
        return len(ready) == target and children(procman.pid) == ready and time.time() - last >= 2.0
    deadline = time.time() + SETTLE_TIMEOUT
    while not quiet():
        if procman.proc.poll() is not None:
            raise ChaosError(f"procman exited with code {procman.proc.returncode} before settling")
        if time.time() > deadline:
            raise ChaosError(f"procman did not settle at {target} ready worker(s) within {SETTLE_TIMEOUT:.0f} s "
                             f"(ready {procman.ready_workers()}, children {children(procman.pid)})")
        time.sleep(0.2)


def sample(pid, n=5, every=0.2):
    fds, threads = [], []
    for _ in range(n):
        fds.append(count_dir(f"/proc/{pid}/fd"))
        threads.append(count_dir(f"/proc/{pid}/task"))
        time.sleep(every)
    return fds, threads


def main():
    p = argparse.ArgumentParser(description="procman chaos soak")
    p.add_argument("--duration", type=float, default=300.0, help="seconds of load and faults (default 300)")
    p.add_argument("--quick", action="store_true", help="30 s")
    p.add_argument("--seed", type=int, default=None, help="seed of the random driver (default: from the clock)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--max-requests", type=int, default=20000)
    p.add_argument("--max-requests-jitter", type=int, default=5000)
    p.add_argument("--keepalive-connections", type=int, default=16)
    p.add_argument("--close-connections", type=int, default=8)
    p.add_argument("--reuse-port", action="store_true",
                   help="a socket per worker slot (set net.ipv4.tcp_migrate_req = 1 first, or SIGTTOU resets what is "
                        "queued on a removed slot's socket)")
    p.add_argument("--load-processes", type=int, default=2, help="processes generating the load (default 2)")
    p.add_argument("--interval", default="1.5,4", help="seconds between faults, min,max (default 1.5,4)")
    p.add_argument("--command", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.quick:
        args.duration = 30.0
    if args.workers < 1:
        p.error("--workers must be at least 1")
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1_000_000
    interval = tuple(float(x) for x in args.interval.split(","))
    os.makedirs(OUT, exist_ok=True)
    for path in (PROCMAN, APP):
        if not os.path.exists(path):
            raise ChaosError(f"{path} is missing: build with 'dotnet build -c Release' (bench/chaos does)")

    t_begin = time.time()
    log(f"seed {seed}; {args.duration:.0f} s, -w {args.workers}, {args.keepalive_connections} keep-alive + "
        f"{args.close_connections} connection-per-request clients")
    procman = Procman(args).start()
    try:
        procman.wait_ready()
        return soak(procman, args, seed, interval, t_begin)
    except ChaosError as e:
        raise ChaosError(f"{e}\n--- last lines of procman's log ({procman.logpath}):\n{procman.tail()}")
    finally:
        procman.kill_group()


def soak(procman, args, seed, interval, t_begin):
    log(f"procman pid {procman.pid} on port {procman.port}; workers {procman.ready_workers()}")
    time.sleep(1.0)
    fd0, th0 = sample(procman.pid)
    log(f"master after start-up: fds {fd0}, threads {th0}")

    rng = random.Random(seed)
    stop_load = multiprocessing.Event()
    stop_driver = threading.Event()
    driver = Driver(procman, rng, stop_driver, interval)

    def timeline():
        time.sleep(min(2.0, args.duration / 10))
        if not stop_load.is_set():
            driver.start()
        # The driver stops a little before the load, so the last fault's effects are seen under load.
        stop_driver.wait(max(args.duration - 2.0 - min(3.0, args.duration / 10), 0))
        stop_driver.set()
        stop_load.wait(max(args.duration - (time.time() - t_load), 0))
        stop_load.set()

    t_load = time.time()
    threading.Thread(target=timeline, daemon=True).start()
    load = run_load(procman.port, args.keepalive_connections, args.close_connections, args.load_processes, stop_load,
                    args.duration + REQUEST_TIMEOUT + CONNECT_TIMEOUT + 30)
    stop_driver.set()
    stop_load.set()
    if driver.is_alive():
        driver.join(timeout=5)
    elapsed_load = time.time() - t_load
    if driver.error:
        raise ChaosError(f"the driver failed: {driver.error!r}")

    if procman.proc.poll() is not None:
        raise ChaosError(f"procman exited with code {procman.proc.returncode} during the soak")
    driver.restore()
    settle(procman, args.workers)
    fd1, th1 = sample(procman.pid)
    kids = children(procman.pid)
    log(f"master at the end: fds {fd1}, threads {th1}; children {kids}")

    procman.signal(signal.SIGTERM)
    try:
        code = procman.proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        code = None
    procman.reader.join(timeout=5)
    time.sleep(0.5)
    left = sorted(p for p in procman.seen_pids | set(kids) if alive(p))

    failures = classify(load.failures, driver.kills)
    total = sum(load.ok.values()) + len(failures)
    unacceptable = [f for f in failures if not f["acceptable"]]
    refused = sum(1 for f in failures if f["cause"] == REFUSED)
    fd_leak = min(fd1) - max(fd0)
    thread_leak = min(th1) - max(th0)
    leaks = []
    if left:
        leaks.append(f"processes left after the master exited: {left}")
    if fd_leak > FD_NOISE:
        leaks.append(f"master fds grew by {fd_leak} (allowed {FD_NOISE})")
    if thread_leak > THREAD_NOISE:
        leaks.append(f"master threads grew by {thread_leak} (allowed {THREAD_NOISE})")

    ev = lambda i: len(procman.ids(i))
    with open(os.path.join(OUT, "failures.json"), "w") as f:
        json.dump({"seed": seed, "kills": driver.kills, "failures": failures}, f, indent=1)
    by_cause = collections.Counter((f["cause"], f["acceptable"]) for f in failures)
    out = []
    out.append(f"# procman chaos soak ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC)")
    out.append(f"- command: `{args.command or ' '.join(sys.argv)}`; seed **{seed}**")
    out.append(f"- procman: `{' '.join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in procman.cmd)}`")
    out.append(f"- load: {elapsed_load:.1f} s, {args.keepalive_connections} keep-alive + {args.close_connections} "
               f"connection-per-request clients on GET /whoami; {load.connections} connections opened")
    out.append(f"- faults: " + ", ".join(f"{k} {v}" for k, v in sorted(driver.actions.items())))
    out.append(f"- master events: workers started {ev(EV_STARTED)}, ready {ev(EV_READY)}, exited {ev(EV_EXITED)}, "
               f"crashed {ev(EV_CRASHED)}, failed {ev(EV_FAILED)}, reloads complete {ev(EV_RELOAD_DONE)}, "
               f"reloads failed {ev(EV_RELOAD_FAILED)}")
    out.append(f"- requests: **{total}** ({total / elapsed_load:.0f}/s): ok "
               + ", ".join(f"{m} {n}" for m, n in sorted(load.ok.items())) + f"; served by {len(load.by_pid)} worker pids")
    out.append(f"- failures: {len(failures)}: acceptable {len(failures) - len(unacceptable)}, "
               f"**unacceptable {len(unacceptable)}**; connections refused **{refused}**")
    for (cause, acc), n in sorted(by_cause.items()):
        out.append(f"  - {cause}: {n} ({'acceptable' if acc else 'UNACCEPTABLE'})")
    for f in unacceptable[:20]:
        out.append(f"  - unacceptable: {f['mode']} {f['cause']} {f['detail']} pid {f['pid']} at "
                   f"{f['start'] - t_load:.3f}-{f['end'] - t_load:.3f} s")
    out.append(f"- master fds after start-up {fd0} / at the end {fd1}; threads {th0} / {th1} "
               f"(allowed growth {FD_NOISE} fds, {THREAD_NOISE} threads)")
    out.append(f"- SIGTERM: exit code {code}; processes left: {left or 'none'}")
    out.append(f"- took {time.time() - t_begin:.0f} s; log {os.path.relpath(procman.logpath, ROOT)}, failures "
               f"{os.path.relpath(os.path.join(OUT, 'failures.json'), ROOT)}")
    problems = []
    if unacceptable:
        problems.append(f"{len(unacceptable)} unacceptable failure(s)")
    if refused:
        problems.append(f"{refused} connection(s) refused")
    if code != 0:
        problems.append(f"procman exit code {code} after SIGTERM (expected 0)")
    problems += leaks
    out.append(f"- **result: {'PASS' if not problems else 'FAIL: ' + '; '.join(problems)}**")
    text = "\n".join(out)
    print(text, flush=True)
    with open(os.path.join(OUT, "latest.md"), "w") as f:
        f.write(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    def _term(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _term)
    try:
        sys.exit(main())
    except ChaosError as e:
        print(f"chaos: error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("chaos: interrupted", file=sys.stderr)
        sys.exit(130)
