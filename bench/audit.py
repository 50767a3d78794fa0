"""Audit benchmark (issue 4): case create and case read throughput with the audit log on versus
off, with 8 concurrent clients on PostgreSQL, in one run. Target: on >= 0.9 x off.

    .venv/bin/python bench/audit.py [--persons 1000] [--seconds 8] [--rounds 3] [--clients 8]
    passage bench audit -- --seconds 5

What one run does
-----------------
1. Creates a fresh PostgreSQL database (passage_bench_audit on --postgres-url) and a fresh
   PASSAGE_HOME, then `passage init` and `passage demo --no-serve --persons N --seed 42`.
2. Starts two `passage serve` processes (waitress, 8 threads each) on that same database and home:
   "audit on" (the default), and "audit off" (PASSAGE_AUDIT_ENABLED=false, which the settings
   allow only with PASSAGE_BENCHMARK_MODE=true). Everything else is identical; both keep database
   connections open between requests (PASSAGE_DB_CONN_MAX_AGE=60).
3. For each workload — (a) read: GET /api/v1/cases/<reference>/ over a fixed sample of cases;
   (b) create: POST /api/v1/cases/ with a generated person — runs rounds of --seconds with
   --clients client threads (keep-alive HTTP connections, token authentication), alternating which
   server goes first, one server at a time, so machine noise falls on both.
4. Prints requests/s per round, the median per server, the ratio on/off and PASS or FAIL; then
   checks that the audit-on server's entries form intact chains (`passage audit verify`).

The load is generated over real HTTP on the loopback interface, because the question is about
concurrency: many writers appending to the log at once. The two cores are shared between the
server under test and the client threads; both configurations pay the same client cost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# `python bench/audit.py` puts bench/ first on sys.path, where this file would shadow the `audit` app.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(REPO_ROOT))

TARGET = 0.9
PASSAGE = str(Path(sys.executable).parent / "passage")
DATABASE = "passage_bench_audit"
SYLLABLES = ("chol", "su", "yong", "min", "hyok", "kwang", "il", "nam", "myong", "jun", "song", "hui")
SURNAMES = ("Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Jo", "Yun", "Jang", "Rim", "Han", "O")


@dataclass
class Server:
    label: str
    port: int
    process: subprocess.Popen[bytes]


@dataclass
class Round:
    server: str
    workload: str
    requests: int
    errors: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@dataclass
class Results:
    rounds: list[Round] = field(default_factory=list)

    def median(self, server: str, workload: str) -> float:
        return statistics.median(r.rate for r in self.rounds if r.server == server and r.workload == workload)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url + "postgres", autocommit=True) as conn:
        conn.execute(statement)


def wait_for(port: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"the server on port {port} did not start")


def person_body(rng: random.Random) -> str:
    given = f"{rng.choice(SYLLABLES).capitalize()} {rng.choice(SYLLABLES)}"
    return json.dumps(
        {
            "organisation": "pow-bureau",
            "family_name": rng.choice(SURNAMES),
            "given_name": given,
            "date_of_birth": str(rng.randint(1985, 2005)),
            "unit": f"Unit {rng.randint(10000, 99999)}",
            "aliases": [{"name": f"{rng.choice(SURNAMES)} {given}"}],
        }
    )


def load(port: int, workload: str, token: str, references: list[str], clients: int, seconds: float) -> Round:
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def client(index: int) -> None:
        rng = random.Random(index)  # noqa: S311 — made-up test names
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        position = index
        while time.monotonic() < stop:
            if workload == "read":
                connection.request("GET", f"/api/v1/cases/{references[position % len(references)]}/", headers=headers)
                position += clients
            else:
                connection.request("POST", "/api/v1/cases/", body=person_body(rng), headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status in (200, 201):
                counts[index] += 1
            else:
                errors[index] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round("", workload, sum(counts), sum(errors), time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="passage-bench-audit-"))
    home = workdir / "home"
    url = args.postgres_url
    env = {key: value for key, value in os.environ.items() if not key.startswith("PASSAGE_")}
    env.update(
        PASSAGE_HOME=str(home),
        DATABASE_URL=url + DATABASE,
        PASSAGE_DB_CONN_MAX_AGE="60",
        PASSAGE_AUDIT_CHECKPOINT_INTERVAL_S="0",
    )
    servers: list[Server] = []
    try:
        postgres(url, f"DROP DATABASE IF EXISTS {DATABASE}")
        postgres(url, f"CREATE DATABASE {DATABASE}")
        print(f"Loading {args.persons} persons into {DATABASE} …", flush=True)
        run([PASSAGE, "init"], env)
        run([PASSAGE, "demo", "--no-serve", "--persons", str(args.persons), "--seed", "42"], env)
        token = run([PASSAGE, "token", "create", "--user", "supervisor@passage.example"], env).strip()
        sample = run(
            [
                sys.executable,
                "-c",
                "import django,os,json;os.environ['DJANGO_SETTINGS_MODULE']='passage.settings';django.setup();"
                "from registry.models import Case;"
                "print(json.dumps(list(Case.objects.filter(organisation__slug='pow-bureau')"
                ".order_by('pk').values_list('reference',flat=True)[:200])))",
            ],
            env,
        )
        references = json.loads(sample)
        for label, extra in (("audit on", {}), ("audit off", {"PASSAGE_AUDIT_ENABLED": "false"})):
            port = free_port()
            server_env = {**env, "PASSAGE_BENCHMARK_MODE": "true", **extra}
            process = subprocess.Popen(  # noqa: S603
                [PASSAGE, "serve", "--port", str(port), "--threads", "8"],
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append(Server(label, port, process))
            wait_for(port)

        results = Results()
        for workload in ("read", "create"):
            for server in servers:  # warm-up: connections, caches, first requests
                load(server.port, workload, token, references, args.clients, 1.0)
            for index in range(args.rounds):
                order = servers if index % 2 == 0 else list(reversed(servers))
                for server in order:
                    measured = load(server.port, workload, token, references, args.clients, args.seconds)
                    measured.server = server.label
                    results.rounds.append(measured)
                    print(
                        f"  {workload:6} round {index + 1}  {server.label:9}  {measured.rate:8.1f} req/s"
                        f"  ({measured.requests} ok, {measured.errors} errors)",
                        flush=True,
                    )
        print()
        print(f"PostgreSQL, {args.clients} concurrent clients, {args.rounds} rounds of {args.seconds:.0f} s each")
        print(f"{'workload':10} {'audit on':>12} {'audit off':>12} {'on/off':>8}  target >= {TARGET}")
        verdicts = []
        for workload in ("read", "create"):
            on, off = results.median("audit on", workload), results.median("audit off", workload)
            ratio = on / off
            verdicts.append(ratio >= TARGET)
            print(f"{workload:10} {on:10.1f}/s {off:10.1f}/s {ratio:8.3f}  {'PASS' if ratio >= TARGET else 'FAIL'}")
        errors = sum(r.errors for r in results.rounds)
        print(f"errors: {errors}")
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=20)
        servers.clear()
        print(run([PASSAGE, "audit", "verify"], env).strip())
        print("VERDICT:", "PASS" if all(verdicts) and not errors else "FAIL")
        return 0
    finally:
        for server in servers:
            server.process.terminate()
        try:
            postgres(url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
