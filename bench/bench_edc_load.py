"""Loopback load test of the data capture application: 20 concurrent clients, SQLite and PostgreSQL.

For each database the benchmark builds the demo study (``inodli demo --no-serve``), starts a real
server process (``inodli serve``: Django's multi-threaded WSGI server), and runs a bounded number
of clients (default 20) for a bounded number of rounds and seconds. Every client logs in as the
demo nurse, then repeats: open the dashboard, open a subject's page, open the height-and-weight
form, save it (a new measurement, through the same service layer as the browser; the save's
time includes the redirect to the subject page). Between clicks a client pauses like a person
reading the page (``--think``, mean 1 s; ``--think 0`` is a back-to-back saturation test). Latencies are
measured by the clients; the p50/p95/max per request kind and overall are printed. The issue's
target is p95 < 150 ms on both databases. Timings are never asserted by tests.

Run: ``python bench/bench_edc_load.py`` (``--clients 20 --rounds 10 --seconds 90 --think 1``;
``--skip-postgres`` when no server is at 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

INODLI = str(Path(sys.executable).parent / "inodli")
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_DB = "inodli_bench"


@dataclass
class Samples:
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Client:
    """One browser-like session: cookies, CSRF token, timed requests."""

    def __init__(self, base: str, samples: Samples) -> None:
        self.base = base
        self.samples = samples
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, kind: str, path: str, data: dict[str, str] | None = None) -> str:
        body = (
            None
            if data is None
            else urllib.parse.urlencode(data | {"csrfmiddlewaretoken": self._csrf()}).encode()
        )
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            if error.code >= 500 or (error.code >= 400 and kind != "save"):
                self.samples.error(f"{kind} {path}: HTTP {error.code}")
        self.samples.add(kind, time.perf_counter() - start)
        return text

    def log_in(self, username: str, password: str) -> None:
        self.request("login-page", "/login/")
        self.request("login", "/login/", {"username": username, "password": password, "next": "/"})


def _run_clients(
    base: str, subject_ids: list[int], clients: int, rounds: int, seconds: float, think: float
) -> tuple[Samples, float]:
    samples = Samples()
    deadline = time.monotonic() + seconds
    today = dt.date.today().isoformat()

    def work(index: int) -> None:
        rng = random.Random(index)
        client = Client(base, samples)

        def pause() -> None:  # a person reads the page before the next click
            if think > 0:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

        try:
            client.log_in("nurse", "demo-nurse")
            for _ in range(rounds):
                if time.monotonic() > deadline:
                    return
                subject = rng.choice(subject_ids)
                client.request("dashboard", "/visits/")
                pause()
                client.request("subject", f"/subjects/{subject}/")
                pause()
                form = client.request("form", f"/subjects/{subject}/forms/BODY/new/")
                pause()
                if "id_height_cm" not in form:
                    samples.error(f"form page of subject {subject} has no height field")
                client.request(
                    "save",
                    f"/subjects/{subject}/forms/BODY/new/",
                    {
                        "measured_on": today,
                        "height_cm": f"{rng.uniform(150, 185):.1f}",
                        "weight_kg": f"{rng.uniform(45, 90):.1f}",
                    },
                )
        except Exception as error:  # a failed client is reported, never hidden
            samples.error(f"client {index}: {error!r}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return samples, time.perf_counter() - start


def _wait_for_server(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server process exited early")
        try:
            urllib.request.urlopen(base + "/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def _subject_ids(env: dict[str, str]) -> list[int]:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'inodli.edc.settings'); django.setup();"
        "from inodli.edc.subjects.models import Enrolment;"
        "print(list(Enrolment.objects.values_list('subject_id', flat=True)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return [int(x) for x in re.findall(r"\d+", output)]


def bench_database(
    label: str, database_url: str, workdir: Path, args: argparse.Namespace
) -> dict[str, object]:
    env = os.environ | {"DATABASE_URL": database_url}
    built = subprocess.run(
        [INODLI, "demo", "--no-serve", "--json"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        raise RuntimeError(f"inodli demo failed: {built.stderr[-2000:]}")
    summary = json.loads(built.stdout)
    subjects = _subject_ids(env)
    port = _free_port()
    log_path = workdir / f"server-{label}.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [INODLI, "serve", "--port", str(port), "--no-migrate", "--quiet"],
        env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(base, server)
        samples, wall = _run_clients(
            base, subjects, args.clients, args.rounds, args.seconds, args.think
        )
    finally:
        server.terminate()
        server.wait(10)
        log.close()
    rows = {}
    every: list[float] = []
    for kind in ("dashboard", "subject", "form", "save"):
        values = samples.by_kind.get(kind, [])
        every += values
        if values:
            rows[kind] = (
                len(values),
                statistics.median(values),
                _percentile(values, 95),
                max(values),
            )
    print(
        f"\n{label}: {summary.get('subjects', '?')} patients, {args.clients} clients, wall {wall:.1f} s"
    )
    print(f"{'request':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, (n, p50, p95, worst) in rows.items():
        print(f"{kind:<10} {n:>5} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {worst * 1000:>8.1f}")
    p95_all = _percentile(every, 95) if every else float("nan")
    print(
        f"{'all':<10} {len(every):>5} {statistics.median(every) * 1000:>8.1f} {p95_all * 1000:>8.1f} {max(every) * 1000:>8.1f}"
    )
    print(
        f"p95 over all requests: {p95_all * 1000:.1f} ms (target < 150 ms); errors: {len(samples.errors)}"
    )
    for message in samples.errors[:5]:
        print("  error:", message)
    if samples.errors:
        lines = log_path.read_text(errors="replace").splitlines()
        problems = [line for line in lines if "Error" in line or "Exception" in line]
        print("  server log:", *problems[-5:], sep="\n    ")
    return {"p95_ms": p95_all * 1000, "errors": len(samples.errors), "requests": len(every)}


def _reset_postgres_database() -> str:
    import psycopg

    with psycopg.connect(
        POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {POSTGRES_BENCH_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{POSTGRES_BENCH_DB}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=10, help="dashboard+subject+form+save rounds per client"
    )
    parser.add_argument(
        "--seconds", type=float, default=90, help="stop starting new rounds after this"
    )
    parser.add_argument(
        "--think", type=float, default=1.0,
        help="mean pause in seconds between a client's requests (0: back-to-back saturation test)",
    )  # fmt: skip
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.clients <= 100 or not 1 <= args.rounds <= 1000:
        parser.error("clients must be 1-100 and rounds 1-1000")
    with tempfile.TemporaryDirectory(prefix="inodli-bench-") as tmp:
        workdir = Path(tmp)
        bench_database(
            "SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir, args
        )  # absolute: sqlite:////tmp/...
        if not args.skip_postgres:
            try:
                url = _reset_postgres_database()
            except Exception as error:
                print(f"\nPostgreSQL skipped: {error}")
            else:
                bench_database("PostgreSQL", url, workdir, args)


if __name__ == "__main__":
    main()
