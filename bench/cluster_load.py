"""The several-process topology under people: start it (scripts/cluster.sh), give it accounts,
play users against it through nginx, break parts of it on cue, and sum up what users saw.

Shared by the load run (bench/bench_cluster.py, 200 users for 10 minutes) and its 60-second
smoke version in the tests (tests/cluster/test_cluster_smoke.py), so both play the same people.

A user is a thread with its own HTTP session, acting like a browser: it logs in with the form's
token, then every 5–10 s (random) does one thing its role does — office staff open and filter
the overview, the league and any unit's page and download tables; leadership keep the
meeting-room screen; unit accounts open their own unit's page and download their list. Every
request is recorded with its start, duration and status.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-tai-thu-1"


def periods_near(month_key: str) -> tuple[list[str], list[str]]:
    """The periods people choose around the month the pages open on (the data's newest):
    office staff that month, its quarter, the months and quarter before, the year; a unit
    account mostly its unit now, else this quarter or the month before."""
    from dashboard.domain.periods import parse_period, quarter

    month = parse_period(month_key)
    q = quarter(month.start.year, (month.start.month - 1) // 3 + 1)
    before = month.previous()
    office = [month.key, q.key, before.key, before.previous().key, q.previous().key,
              str(month.start.year)]  # fmt: skip
    return office, [month.key] * 3 + [q.key, before.key]


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie has closed its sockets: not alive)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


# ---------------------------------------------------------------------------- the topology
@dataclass
class Cluster:
    """A topology started by scripts/cluster.sh under `folder`, reached at `base`."""

    folder: Path
    port: int
    processes: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The settings every process of it shares (folder/env), on top of this one's."""
        out = dict(os.environ)
        for line in (self.folder / "env").read_text(encoding="utf-8").splitlines():
            if line.startswith("export "):
                key, _, value = line.removeprefix("export ").partition("=")
                out[key] = value
        return out

    def ports(self) -> dict[str, int]:
        text = (self.folder / "ports").read_text(encoding="utf-8")
        return {k: int(v) for k, v in (line.split("=") for line in text.split())}

    def app_pid(self, i: int) -> int:
        return int((self.folder / "run" / f"app-{i}.pid").read_text())

    def kill_app(self, i: int) -> None:
        """kill -9 app process i (1-based), as a crash would."""
        pid = self.app_pid(i)
        os.kill(pid, signal.SIGKILL)
        # SIGKILL returns at once; the kernel tears a big process down (its sockets closed)
        # some milliseconds later. The crash lasts until then: wait for it, on its state.
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.002)

    def restart_app(self, i: int) -> None:
        """Start app process i again on its port (what systemd's Restart=always does)."""
        port = (self.folder / "app-ports").read_text().split()[i - 1]
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/tthc"), "serve", "--production", "--host", "127.0.0.1",
             "--port", port, "--threads", "8"],
            env=self.env(),
            stdout=open(self.folder / "log" / f"app-{i}.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        (self.folder / "run" / f"app-{i}.pid").write_text(str(proc.pid))

    def restart_redis(self) -> None:
        """Shut Redis down (it writes its append-only file) and start it again, as cluster.sh
        does."""
        port = self.ports()["REDIS_PORT"]
        subprocess.run(["redis-cli", "-p", str(port), "shutdown"], capture_output=True)
        subprocess.run(
            ["redis-server", str(ROOT / "deploy/redis/tthc.conf"), "--port", str(port),
             "--dir", str(self.folder / "redis"), "--daemonize", "yes",
             "--pidfile", str(self.folder / "redis/redis.pid"),
             "--logfile", str(self.folder / "log/redis.log")],
            check=True,
        )  # fmt: skip

    def wait_warm(self, timeout: float = 900) -> float:
        """Wait until the shared cache's warm-up has ended (dashboard/web/warmup.py), as it
        has before a morning's crowd arrives; the seconds waited."""
        import redis

        r = redis.Redis(port=self.ports()["REDIS_PORT"])
        started = time.monotonic()
        while not any(r.scan_iter(match="tthc:warmed:*")):
            if time.monotonic() - started > timeout:
                raise TimeoutError("the cache's warm-up did not end")
            time.sleep(1)
        return time.monotonic() - started

    def _pg_ctl(self, which: str, *args: str) -> None:
        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        cmd = [str(pg_ctl), "-D", str(self.folder / "pg" / which), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def stop_replica(self) -> None:
        """Stop the streaming replica (fast shutdown: its connections are cut)."""
        self._pg_ctl("replica", "-m", "fast", "-w", "stop")


@contextlib.contextmanager
def cluster(
    folder: Path, port: int, processes: int, scale: float, extras: str = "postgres"
) -> Iterator[Cluster]:
    """scripts/cluster.sh --detach under `folder`; stopped (`stop`) on exit."""
    script = ROOT / "scripts" / "cluster.sh"
    args = ["bash", str(script), "--dir", str(folder), "--port", str(port),
            "--processes", str(processes), "--scale", str(scale), "--detach"]  # fmt: skip
    env = dict(os.environ, EXTRAS=extras)
    try:
        started = subprocess.run(args, env=env, capture_output=True, text=True, timeout=1800)
        if started.returncode != 0:
            out = f"{started.stdout[-2000:]}{started.stderr[-2000:]}"
            raise RuntimeError(f"{shlex.join(args)}: {out}")
        yield Cluster(folder, port, processes)
    finally:  # whatever started, even when the start failed half-way
        subprocess.run(["bash", str(script), "stop", "--dir", str(folder)], capture_output=True)


def ensure_accounts(env: dict[str, str], office: int, leaders: int, units: int) -> list[tuple]:
    """Accounts for the people played: (username, role); unit accounts one per commune or
    ward of the city (then a second for as many as needed). Created once per database."""
    from sqlalchemy import create_engine, select, text

    from data_access import accounts
    from data_access.models import User

    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        codes = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT u.code FROM units u JOIN units p ON p.id = u.parent_id "
                    "WHERE p.code = '31' AND u.valid_to IS NULL "
                    "AND u.kind IN ('commune', 'ward', 'special_zone') ORDER BY u.code"
                )
            )
        ]
        have = set(conn.execute(select(User.username)).scalars())
        people = [(f"vp{i}", "van_phong", None) for i in range(office)]
        people += [(f"ld{i}", "lanh_dao", None) for i in range(leaders)]
        people += [(f"dv{i}", "don_vi", codes[i % len(codes)]) for i in range(units)]
        for name, role, unit in people:
            if name not in have:
                accounts.add_user(conn, name, PASSWORD, role, unit=unit)
    engine.dispose()
    return [(name, role) for name, role, _ in people]


# ---------------------------------------------------------------------------- the people
@dataclass(frozen=True)
class Hit:
    """One request: when it started (s since the run's start), its action, its duration (ms),
    its HTTP status (0: no answer)."""

    at: float
    action: str
    ms: float
    status: int


@dataclass
class Recorder:
    """What every user saw, shared by their threads."""

    started: float = field(default_factory=time.monotonic)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)


def callback_body(
    deps: list[dict], first_output: str, values: dict, state: dict | None = None
) -> dict:
    """The JSON a browser posts for the callback whose outputs start with `first_output` and
    whose inputs are all in `values` (by component id), from the app's dependency list."""
    dep = next(
        d
        for d in deps
        if d["output"].lstrip(".").startswith(f"{first_output}.")
        and all(i["id"] in values for i in d["inputs"])
    )
    outputs = [
        {"id": p.split(".")[0], "property": p.split(".")[1].split("@")[0]}
        for p in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [dict(i, value=values.get(i["id"])) for i in dep["inputs"]],
        "state": [dict(s, value=(state or {}).get(s["id"])) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


class Person(threading.Thread):
    """One user of a role, acting every 5–10 s until `stop` is set."""

    def __init__(
        self,
        base: str,
        username: str,
        role: str,
        rec: Recorder,
        stop: threading.Event,
        seed: int,
        pause: tuple[float, float] = (5.0, 10.0),
        start_within: float = 20.0,
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.username, self.role, self.rec, self.stop = base, username, role, rec, stop
        self.rnd = random.Random(seed)
        self.pause, self.start_within = pause, start_within
        self.http = requests.Session()
        self.deps: list[dict] = []
        self.unit_ref: str | None = None
        self.unit_refs: list[str] = []
        self.kiosk_version: str | None = None
        self.periods: list[str] = []  # office staff's choices (periods_near), from the login
        self.unit_periods: list[str] = []

    # --- HTTP, recorded
    def _do(self, action: str, method: str, path: str, **kw) -> requests.Response | None:
        at = time.monotonic()
        try:
            res = self.http.request(method, self.base + path, timeout=60, **kw)
            status = res.status_code
        except requests.RequestException:
            res, status = None, 0
        self.rec.add(Hit(at - self.rec.started, action, (time.monotonic() - at) * 1000, status))
        return res

    def _callback(self, action: str, first_output: str, values: dict, state: dict | None = None):
        body = callback_body(self.deps, first_output, values, state)
        res = self._do(
            action,
            "POST",
            "/_dash-update-component",
            json=body,
            headers={"Origin": self.base},  # a browser's callback says where it comes from
        )
        if res is None or res.status_code != 200 or not res.content:
            return None
        return res.json().get("response")

    # --- what people do
    def login(self) -> bool:
        page = self._do("dang-nhap", "GET", "/dang-nhap")
        if page is None or page.status_code != 200:
            return False
        csrf = re.search(r"name='csrf' value='([^']+)'", page.text)
        if csrf is None:
            return False
        res = self._do(
            "dang-nhap",
            "POST",
            "/dang-nhap",
            data={"username": self.username, "password": PASSWORD, "csrf": csrf.group(1)},
            headers={"Origin": self.base},
            allow_redirects=False,
        )
        if res is None or res.status_code != 302:
            return False
        deps = self._do("trang", "GET", "/_dash-dependencies")
        if deps is None or deps.status_code != 200:
            return False
        self.deps = deps.json()
        # The first page, as opened without a period: it says which month is the newest.
        got = self._callback("trang", "un-period", {"un-period": "un-period"}, {"url": ""})
        if not got:
            return False
        self.periods, self.unit_periods = periods_near(got["un-period"]["value"])
        if self.role == "don_vi":
            self.unit_ref = got["un-unit"]["value"]
        return True

    def _page(self, path: str, period: str) -> None:
        """A page load as the browser makes it: the page, its layout, the period's choices."""
        self._do("trang", "GET", f"{path}?ky={period}")
        self._do("trang", "GET", "/_dash-layout")
        if path == "/don-vi":
            got = self._callback("trang", "un-period", {"un-period": "un-period"},
                                 {"url": f"?ky={period}"})  # fmt: skip
            if got:
                self.unit_refs = [o["value"] for o in got["un-unit"]["options"]]
                self.unit_ref = got["un-unit"]["value"]

    def act(self) -> None:
        r = self.rnd
        period = r.choice(self.periods)
        if self.role == "lanh_dao":
            period = r.choice(self.periods[:2])  # the wall shows this month or this quarter
            if self.kiosk_version is None or r.random() < 0.3:
                self._do("trinh-chieu", "GET", f"/trinh-chieu?ky={period}")
                config = {"period": period, "slide_ms": 20000, "refresh_ms": 300000,
                          "cycle_pages": 15}  # fmt: skip
                got = self._callback("trinh-chieu", "kiosk-slides",
                                     {"kiosk-refresh": 0, "kiosk-config": config},
                                     {"kiosk-version": None})  # fmt: skip
                if got:
                    self.kiosk_version = got.get("kiosk-version", {}).get("data")
            else:  # the screen's own check for new data: nothing new, only the heartbeat
                config = {"period": period, "slide_ms": 20000, "refresh_ms": 300000,
                          "cycle_pages": 15}  # fmt: skip
                self._callback("trinh-chieu-nhip", "kiosk-slides",
                               {"kiosk-refresh": 1, "kiosk-config": config},
                               {"kiosk-version": self.kiosk_version})  # fmt: skip
            return
        if self.role == "don_vi":
            period = r.choice(self.unit_periods)
            if self.unit_ref is None or r.random() < 0.25:
                self._page("/don-vi", period)
            if r.random() < 0.15 and self.unit_ref:
                self._do("tai-xuong", "GET", "/xuat/bang/ho-so.xlsx",
                         params={"ky": period, "ma": self.unit_ref})  # fmt: skip
            elif self.unit_ref:
                self._callback("don-vi", "un-content", {"un-period": period,
                                                        "un-unit": self.unit_ref})  # fmt: skip
            return
        # office staff
        choice = r.random()
        if choice < 0.15:
            self._page(r.choice(["/", "/xep-hang", "/don-vi"]), period)
        elif choice < 0.40:
            self._callback("tong-quan", "ov-content",
                           {"ov-period": period, "ov-units": [], "ov-fields": []})  # fmt: skip
        elif choice < 0.60:
            self._callback("xep-hang", "lg-content",
                           {"lg-period": period, "lg-by": r.choice(["", "on_time"]),
                            "lg-fields": [], "lg-group": "xa"})  # fmt: skip
        elif choice < 0.85:
            if not self.unit_refs:
                self._page("/don-vi", period)
            if self.unit_refs:
                values = {"un-period": period, "un-unit": r.choice(self.unit_refs)}
                self._callback("don-vi", "un-content", values)
        else:
            name = r.choice(["xep-hang.xlsx", "chi-so.csv", "xep-hang.csv"])
            self._do("tai-xuong", "GET", f"/xuat/bang/{name}?ky={period}")

    def run(self) -> None:
        # People arrive over the first seconds, not in one burst.
        if self.stop.wait(self.rnd.uniform(0, self.start_within)):
            return
        while not self.stop.is_set() and not self.login():
            if self.stop.wait(self.rnd.uniform(*self.pause)):
                return
        while not self.stop.wait(self.rnd.uniform(*self.pause)):
            self.act()


def play(
    base: str,
    people: list[tuple[str, str]],
    seconds: float,
    events: list[tuple[float, str, Callable[[], None]]] = (),  # type: ignore[assignment]
    pause: tuple[float, float] = (5.0, 10.0),
    start_within: float = 20.0,
) -> tuple[Recorder, list[tuple[float, float, str]]]:
    """Play `people` against `base` for `seconds`; at each event's time (s from the start)
    run its action. The hits, and each event as (start, end, label): it lasts from its
    start until its action has returned (a process killed and gone, Redis restarted)."""
    rec = Recorder()
    stop = threading.Event()
    crowd = [
        Person(base, name, role, rec, stop, seed=i, pause=pause, start_within=start_within)
        for i, (name, role) in enumerate(people)
    ]
    for p in crowd:
        p.start()
    happened: list[tuple[float, float, str]] = []
    for at, label, action in sorted(events, key=lambda e: e[0]):
        if stop.wait(max(0.0, at - (time.monotonic() - rec.started))):
            break
        start = time.monotonic() - rec.started
        action()
        happened.append((start, time.monotonic() - rec.started, label))
    stop.wait(max(0.0, seconds - (time.monotonic() - rec.started)))
    stop.set()
    for p in crowd:
        p.join(timeout=90)
    return rec, happened


# ---------------------------------------------------------------------------- the sums
def failed(hit: Hit) -> bool:
    """An error a person would see: no answer, or a server error (5xx)."""
    return hit.status == 0 or hit.status >= 500


# nginx keeps idle connections to each process; one to a process just killed is closed only
# when nginx next reads it, and a POST sent on it meanwhile fails unanswered (nginx never
# resends a POST: it may have written). The crash's reach lasts that long: up to a second.
AFTERMATH = 1.0


def in_flight(hit: Hit, events: list[tuple[float, float, str]]) -> bool:
    """Whether a request was under way while an event happened, or sent in its aftermath:
    sent before it ended (or within AFTERMATH s after), answered (or not) after it started."""
    return any(
        hit.at <= end + AFTERMATH and start <= hit.at + hit.ms / 1000 for start, end, _ in events
    )


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (statistics' exclusive method; the value itself for one)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100)[q - 1]


def by_action(hits: list[Hit]) -> dict[str, dict]:
    """Per action: count, p50/p95/p99 (ms) of answered requests, errors."""
    groups: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        groups[h.action].append(h)
    out = {}
    for action, group in sorted(groups.items()):
        ms = sorted(h.ms for h in group if h.status)
        out[action] = {
            "count": len(group),
            "p50": percentile(ms, 50) if ms else None,
            "p95": percentile(ms, 95) if ms else None,
            "p99": percentile(ms, 99) if ms else None,
            "errors": sum(1 for h in group if failed(h)),
            "refused_4xx": sum(1 for h in group if 400 <= h.status < 500),
        }
    return out


def timeline(hits: list[Hit], bucket: float = 10.0) -> list[dict]:
    """Per `bucket` seconds: requests, errors, p95 (ms)."""
    groups: dict[int, list[Hit]] = defaultdict(list)
    for h in hits:
        groups[int(h.at // bucket)].append(h)
    return [
        {
            "from": k * bucket,
            "requests": len(g),
            "errors": sum(1 for h in g if failed(h)),
            "p95": percentile(sorted(h.ms for h in g if h.status), 95)
            if any(h.status for h in g)
            else None,
        }
        for k, g in sorted(groups.items())
    ]
