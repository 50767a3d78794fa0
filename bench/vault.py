"""Vault benchmark (issue 3): what field encryption costs on the case list page and the case API.

Target: the encrypted path takes at most 1.15x the time of the same code path with a plaintext
field type, at 10,000 persons.

    .venv/bin/python bench/vault.py [--persons 10000] [--repeats 200] [--database sqlite|postgres]
    passage bench vault -- --persons 10000 --database postgres

What one run does
-----------------
1. Builds two fresh PASSAGE_HOMEs in a temporary directory, identical but for the cipher:
   "encrypted" (PASSAGE_VAULT_CIPHER=aes-256-gcm) and "plaintext" (PASSAGE_VAULT_CIPHER=identity,
   which runs the very same field descriptor, data-key lookup, base64 and per-request key cache but
   stores the plaintext). Both get PASSAGE_BENCHMARK_MODE=true, the identity cipher's precondition.
   With --database postgres each also gets a fresh database (passage_bench_aes, passage_bench_plain)
   on the server of --postgres-url, created and dropped by this script.
2. Loads both with `passage init` and `passage demo --no-serve --persons N --seed S` (the real
   services: one data key per person, aliases, custody records, blind indexes, audit rows). The two
   loads run side by side, one per core; only their progress is printed. On PostgreSQL both
   databases then get VACUUM (ANALYZE), so that both are planned from real statistics.
3. Starts one measuring process per configuration, so that each reads its settings fresh from its
   environment. Each process picks the demo supervisor who sees the most cases, and measures:
   (a) the case list page GET /cases/ (first page, 50 rows, four encrypted names per row) through a
       session that has passed the second factor (built like conftest.verified_client);
   (b) the case detail API GET /api/v1/cases/<reference>/ with `Authorization: Token ...`, cycling
       over a fixed sample of references (the same persons in both databases: the sample is taken
       at evenly spaced positions in creation order, and both loads used the same seed).
4. Alternates the two processes in rounds (encrypted then plaintext, then plaintext then encrypted,
   ...), after a warm-up, so that machine noise falls on both; only one process works at a time.
5. Prints median, p95 and requests/s for each, the ratio encrypted/plaintext of the medians (the
   figure held against the 1.15 target) and of the p95s, the data-key unwraps and SQL queries per
   request, and PASS or FAIL. The exit status is 0 whatever the verdict: this is a measurement.

Why Django's test Client in-process rather than `passage serve` and HTTP
------------------------------------------------------------------------
The question is what the vault adds to the work of a request. The test Client runs the complete
middleware stack, view, template or serializer and database queries, exactly as under waitress,
without sockets, a WSGI server's thread pool or the loopback network, whose jitter would be of the
same order as the difference measured. The latencies are therefore server-side processing times
(a lower bound on what a browser sees), and requests/s is for one client issuing requests one
after another, not the capacity of a server.

Other options: --profile prints cProfile's top functions of the list page in both configurations;
--workdir DIR keeps the loaded homes (and PostgreSQL databases) in DIR and reuses them on the next
run with the same --persons/--seed/--database (for profiling; recorded figures come from fresh runs).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# `python bench/vault.py` puts bench/ first on sys.path, where this file would shadow the `vault` app.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(REPO_ROOT))

TARGET = 1.15
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/"
LIST_URL = "/cases/"
ENDPOINTS = ("list", "detail")
ENDPOINT_TITLES = {
    "list": "(a) case list page  GET /cases/",
    "detail": "(b) case detail API GET /api/v1/cases/<ref>/",
}


@dataclass(frozen=True)
class Config:
    label: str  # "encrypted" / "plaintext"
    cipher: str  # PASSAGE_VAULT_CIPHER
    slug: str  # directory and database suffix


CONFIGS = (Config("encrypted", "aes-256-gcm", "aes"), Config("plaintext", "identity", "plain"))


# --------------------------------------------------------------------------------------------
# The measuring process (one per configuration; speaks JSON lines on stdin/stdout)
# --------------------------------------------------------------------------------------------


class Worker:
    """Holds a Django set up from this process's environment, a verified web session and a token."""

    def __init__(self, sample_size: int) -> None:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
        django.setup()

        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from accounts.models import Membership, Role, User
        from accounts.services import api_token_create
        from registry.selectors import cases_visible_to

        self.connection = connection
        logins = json.loads((settings.PASSAGE_HOME / "demo-logins.json").read_text(encoding="utf-8"))
        emails = [login["email"] for login in logins]
        supervisors = User.objects.filter(
            email__in=emails, memberships__role=Role.SUPERVISOR, is_active=True
        ).distinct()
        visible = {user: self._visible(user).count() for user in supervisors}
        if not visible:
            raise RuntimeError("the demo data holds no supervisor")
        self.user = max(visible, key=lambda user: (visible[user], user.email))
        self.visible_cases = visible[self.user]
        self.organisations = sorted(
            Membership.objects.filter(user=self.user).values_list("organisation__slug", flat=True)
        )

        self.web = Client(SERVER_NAME="127.0.0.1")
        self._verify_session(self.web)
        token = api_token_create(user=self.user, actor_label="bench")
        self.api = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")

        references = list(
            cases_visible_to(self.user)
            .filter(person__erased_at__isnull=True)
            .order_by("pk")
            .values_list("reference", flat=True)
        )
        step = max(1, len(references) // sample_size)
        self.sample = references[::step][:sample_size]
        self.next_detail = 0
        self.settings = settings

    @staticmethod
    def _visible(user: Any) -> Any:
        from registry.selectors import cases_visible_to

        return cases_visible_to(user).filter(person__erased_at__isnull=True)

    def _verify_session(self, client: Any) -> None:
        from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

        client.force_login(self.user)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time(), "email": self.user.email},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(self.user.pk)
        session.save()

    def request(self, endpoint: str) -> Any:
        if endpoint == "list":
            response = self.web.get(LIST_URL)
        else:
            reference = self.sample[self.next_detail % len(self.sample)]
            self.next_detail += 1
            response = self.api.get(f"/api/v1/cases/{reference}/")
        if response.status_code != 200:
            raise RuntimeError(
                f"{endpoint}: HTTP {response.status_code}: {response.content[:300].decode(errors='replace')}"
            )
        return response

    def run(self, endpoint: str, count: int) -> list[float]:
        times: list[float] = []
        for _ in range(count):
            started = time.perf_counter()
            self.request(endpoint)
            times.append(time.perf_counter() - started)
        return times

    def describe(self) -> dict[str, Any]:
        """Facts that show both configurations measure the same thing, and how the vault behaves."""
        from django.test.utils import CaptureQueriesContext

        from registry.models import Alias, Case, Custody, Person
        from vault import runtime

        per_request: dict[str, dict[str, int]] = {}
        for endpoint in ENDPOINTS:
            self.next_detail = 0
            unwraps_before = runtime.Counters.unwraps
            with CaptureQueriesContext(self.connection) as queries:
                response = self.request(endpoint)
            per_request[endpoint] = {
                "unwraps": runtime.Counters.unwraps - unwraps_before,
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
            }
        self.next_detail = 0

        # The decrypted content both configurations serve must be the same.
        page_cases = list(
            self._visible(self.user).select_related("person__data_key").order_by("-updated_at", "reference")[:50]
        )
        sample_cases = list(
            Case.objects.filter(reference__in=self.sample).select_related("person__data_key").order_by("pk")
        )
        digest = hashlib.sha256()
        for case in [*page_cases, *sample_cases]:
            person = case.person
            for name in Person.IDENTIFYING_FIELDS:
                digest.update(str(getattr(person, name)).encode() + b"\x1f")
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT family_name FROM {Person._meta.db_table} ORDER BY id LIMIT 1")  # noqa: S608
            stored = cursor.fetchone()[0]
        first_byte = base64.b64decode(stored)[:1]
        stored_as = {b"\x01": "AES-256-GCM ciphertext", b"\x00": "plaintext (identity)"}.get(
            first_byte, f"unknown format {first_byte!r}"
        )
        return {
            "cipher": self.settings.PASSAGE_VAULT_CIPHER,
            "database": self.connection.vendor,
            "user": self.user.email,
            "organisations": self.organisations,
            "visible_cases": self.visible_cases,
            "persons": Person.objects.count(),
            "aliases": Alias.objects.count(),
            "custody": Custody.objects.count(),
            "sample": len(self.sample),
            "content_digest": digest.hexdigest()[:16],
            "stored_as": stored_as,
            "per_request": per_request,
        }

    def profile(self, endpoint: str, count: int, top: int) -> str:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        self.run(endpoint, count)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(r"vault/|registry/|template|serializ", top)
        return out.getvalue()


def worker_main(sample_size: int) -> int:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    sys.stdout = sys.stderr  # anything Django prints must not corrupt the protocol
    try:
        worker = Worker(sample_size)
        protocol.write(json.dumps({"ok": True}) + "\n")
    except Exception as exc:
        protocol.write(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        raise
    for line in sys.stdin:
        message = json.loads(line)
        command = message["cmd"]
        reply: dict[str, Any]
        try:
            if command == "run":
                reply = {"times": worker.run(message["endpoint"], int(message["count"]))}
            elif command == "describe":
                reply = worker.describe()
            elif command == "profile":
                reply = {"text": worker.profile(message["endpoint"], int(message["count"]), message["top"])}
            elif command == "quit":
                break
            else:
                reply = {"error": f"unknown command {command!r}"}
        except Exception as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        protocol.write(json.dumps(reply) + "\n")
    return 0


# --------------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------------


@dataclass
class Setup:
    config: Config
    home: Path
    database_url: str = ""  # "" for SQLite in the home
    env: dict[str, str] = field(default_factory=dict)


def environment(setup: Setup) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PASSAGE_") and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "passage.settings",
            "PASSAGE_HOME": str(setup.home),
            "PASSAGE_VAULT_CIPHER": setup.config.cipher,
            "PASSAGE_BENCHMARK_MODE": "true",
            "PASSAGE_DEBUG": "false",
            "PASSAGE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
        }
    )
    if setup.database_url:
        env["DATABASE_URL"] = setup.database_url
    return env


def say(text: str = "") -> None:
    print(text, flush=True)


def passage_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "passage.cli", *args]


_PROGRESS = re.compile(r"(\d+)/(\d+)")


def _follow(label: str, stream: IO[str], log_path: Path, every: float) -> None:
    """Copy a loader's output to its log, printing its progress at most every `every` seconds."""
    with log_path.open("w", encoding="utf-8") as log:
        _copy_progress(label, stream, log, every)


def _copy_progress(label: str, stream: IO[str], log: IO[str], every: float) -> None:
    buffer = ""
    last = 0.0
    while True:
        chunk = stream.read(256)
        if not chunk:
            break
        log.write(chunk)
        buffer += chunk
        *parts, buffer = re.split(r"[\r\n]", buffer)
        for part in parts:
            if not part.startswith("persons:"):
                continue
            match = _PROGRESS.search(part)
            now = time.monotonic()
            if match and (now - last >= every or match.group(1) == match.group(2)):
                last = now
                rate = re.search(r"([\d.]+)person/s", part)
                speed = f", {float(rate.group(1)):.0f} persons/s" if rate else ""
                say(f"  [{label}] {match.group(1)}/{match.group(2)} persons{speed}")


def load(setups: list[Setup], persons: int, seed: int) -> None:
    """Run `passage init` and `passage demo` for every setup, side by side."""
    started = time.monotonic()
    for setup in setups:
        result = subprocess.run(  # noqa: S603
            passage_command("init"), env=setup.env, cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"passage init ({setup.config.label}) failed:\n{result.stdout}{result.stderr}")
    say(f"Loading {persons} persons into each configuration (seed {seed}); this takes a few minutes.")
    running: list[tuple[Setup, subprocess.Popen[str], threading.Thread, Path]] = []
    for setup in setups:
        log_path = setup.home.parent / f"load-{setup.config.slug}.log"
        process = subprocess.Popen(  # noqa: S603
            passage_command("demo", "--no-serve", "--persons", str(persons), "--seed", str(seed)),
            env=setup.env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        assert process.stdout is not None
        thread = threading.Thread(
            target=_follow, args=(setup.config.label, process.stdout, log_path, 20.0), daemon=True
        )
        thread.start()
        running.append((setup, process, thread, log_path))
    failed = []
    for setup, process, thread, log_path in running:
        process.wait()
        thread.join()
        if process.returncode != 0:
            failed.append(f"{setup.config.label} (see {log_path})")
            lines = re.split(r"[\r\n]+", log_path.read_text(encoding="utf-8", errors="replace").strip())
            say(f"  [{setup.config.label}] passage demo exited with status {process.returncode}; its last lines:")
            for line in lines[-15:]:
                say(f"    {line}")
    if failed:
        raise SystemExit(f"passage demo failed: {', '.join(failed)}")
    say(f"Loaded in {time.monotonic() - started:.0f} s.")


@contextmanager
def postgres_databases(server_url: str, names: list[str], keep: bool, fresh: bool) -> Iterator[None]:
    import psycopg
    from psycopg import sql

    admin_url = server_url.rstrip("/") + "/postgres"

    def execute(*statements: sql.Composed) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    if fresh:
        for name in names:
            execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)),
            )
    try:
        yield
    finally:
        if not keep:
            for name in names:
                execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def postgres_analyze(server_url: str, names: list[str]) -> None:
    """Give both databases fresh planner statistics, so that neither is measured with the plans of
    an empty database while autovacuum happens to have analysed the other one."""
    import psycopg

    for name in names:
        with psycopg.connect(f"{server_url.rstrip('/')}/{name}", autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
    say(f"VACUUM (ANALYZE) done on {', '.join(names)}.")


class WorkerProcess:
    def __init__(self, setup: Setup, sample: int, log_path: Path) -> None:
        self.setup = setup
        self.log = log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(Path(__file__).resolve()), "--worker", "--sample", str(sample)],
            env=setup.env,
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self.log_path = log_path
        ready = self._receive()
        if not ready.get("ok"):
            raise SystemExit(f"{setup.config.label} worker failed: {ready.get('error')} (see {log_path})")

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.setup.config.label} worker stopped (see {self.log_path})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def ask(self, **message: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        reply = self._receive()
        if "error" in reply:
            raise SystemExit(f"{self.setup.config.label} worker: {reply['error']} (see {self.log_path})")
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.process.stdin.close()
            except BrokenPipeError:
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass(frozen=True)
class Figures:
    median_ms: float
    p95_ms: float
    per_second: float
    count: int


def figures(times: list[float]) -> Figures:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return Figures(
        median_ms=statistics.median(ordered) * 1000,
        p95_ms=p95 * 1000,
        per_second=len(ordered) / sum(ordered),
        count=len(ordered),
    )


def measure(
    workers: dict[str, WorkerProcess], repeats: int, rounds: int, warmup: int
) -> dict[str, dict[str, list[float]]]:
    """Alternate the configurations in rounds; returns times[endpoint][label]."""
    labels = [config.label for config in CONFIGS]
    for endpoint in ENDPOINTS:
        for label in labels:
            workers[label].ask(cmd="run", endpoint=endpoint, count=warmup)
    times: dict[str, dict[str, list[float]]] = {endpoint: {label: [] for label in labels} for endpoint in ENDPOINTS}
    per_round = max(1, -(-repeats // rounds))
    started = time.monotonic()
    for number in range(rounds):
        order = labels if number % 2 == 0 else labels[::-1]
        for endpoint in ENDPOINTS:
            for label in order:
                remaining = repeats - len(times[endpoint][label])
                if remaining > 0:
                    batch = workers[label].ask(cmd="run", endpoint=endpoint, count=min(per_round, remaining))
                    times[endpoint][label].extend(batch["times"])
        say(f"  round {number + 1}/{rounds} done ({time.monotonic() - started:.0f} s)")
    return times


def print_report(
    times: dict[str, dict[str, list[float]]], descriptions: dict[str, dict[str, Any]], target: float
) -> bool:
    encrypted, plaintext = CONFIGS[0].label, CONFIGS[1].label
    header = f"{'':46} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'n':>5} {'unwraps':>8} {'queries':>8}"
    say(header)
    say("-" * len(header))
    verdicts = []
    for endpoint in ENDPOINTS:
        say(ENDPOINT_TITLES[endpoint])
        stats = {label: figures(times[endpoint][label]) for label in (encrypted, plaintext)}
        for label in (encrypted, plaintext):
            f = stats[label]
            facts = descriptions[label]["per_request"][endpoint]
            say(
                f"  {label:<44} {f.median_ms:>10.2f} {f.p95_ms:>8.2f} {f.per_second:>8.1f} {f.count:>5}"
                f" {facts['unwraps']:>8} {facts['queries']:>8}"
            )
        ratio = stats[encrypted].median_ms / stats[plaintext].median_ms
        ratio_p95 = stats[encrypted].p95_ms / stats[plaintext].p95_ms
        ratio_rate = stats[plaintext].per_second / stats[encrypted].per_second
        passed = ratio <= target
        verdicts.append(passed)
        say(
            f"  ratio encrypted/plaintext: median {ratio:.3f}x, p95 {ratio_p95:.3f}x, "
            f"mean time {ratio_rate:.3f}x  -> {'PASS' if passed else 'FAIL'} (target <= {target:.2f}x)"
        )
    return all(verdicts)


def benchmark(args: argparse.Namespace, setups: list[Setup], root: Path) -> None:
    """Start a measuring process per configuration, describe, measure, report (and profile)."""
    workers: dict[str, WorkerProcess] = {}
    try:
        for setup in setups:
            workers[setup.config.label] = WorkerProcess(setup, args.sample, root / f"worker-{setup.config.slug}.log")
        descriptions = {label: worker.ask(cmd="describe") for label, worker in workers.items()}
        say()
        for label, facts in descriptions.items():
            say(
                f"{label:>10}: cipher {facts['cipher']}, {facts['database']}, "
                f"stored as {facts['stored_as']}; {facts['persons']} persons, "
                f"{facts['aliases']} aliases, {facts['custody']} custody records"
            )
            say(
                f"{'':>10}  user {facts['user']} ({', '.join(facts['organisations'])}) sees "
                f"{facts['visible_cases']} cases; API sample {facts['sample']} references; "
                f"list page {facts['per_request']['list']['bytes']} bytes; "
                f"content digest {facts['content_digest']}"
            )
        same = len({facts["content_digest"] for facts in descriptions.values()}) == 1
        say(f"Same decrypted content in both: {'yes' if same else 'NO - the comparison is not fair'}")
        say()
        say(
            f"Measuring: {args.warmup} warm-up requests, then {args.repeats} per endpoint and "
            f"configuration in {args.rounds} alternating rounds."
        )
        times = measure(workers, args.repeats, args.rounds, args.warmup)
        say()
        passed = print_report(times, descriptions, args.target)
        say()
        say(
            f"VERDICT: {'PASS' if passed else 'FAIL'} - encrypted path "
            f"{'within' if passed else 'above'} {args.target:.2f}x the plaintext path "
            f"(median latency, {args.persons} persons, {args.database})."
        )
        say("Unwraps: data keys unwrapped per request (each person has their own key; 0 with identity).")
        if args.profile:
            for label, worker in workers.items():
                say()
                say(f"==== cProfile: list page, {label}, 50 requests ====")
                say(worker.ask(cmd="profile", endpoint="list", count=50, top=30)["text"])
    finally:
        for worker in workers.values():
            worker.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=10_000, help="persons per configuration (10000)")
    parser.add_argument("--seed", type=int, default=42, help="demo data seed, the same for both (42)")
    parser.add_argument(
        "--repeats", type=int, default=200, help="measured requests per endpoint and configuration (200)"
    )
    parser.add_argument("--rounds", type=int, default=10, help="alternations of the configurations (10)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (20)")
    parser.add_argument("--sample", type=int, default=50, help="references cycled by the API test (50)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server for --database postgres")
    parser.add_argument("--target", type=float, default=TARGET, help="the highest acceptable ratio (1.15)")
    parser.add_argument("--profile", action="store_true", help="also print cProfile of the list page")
    parser.add_argument("--workdir", type=Path, help="keep and reuse loaded homes here (not deleted)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return worker_main(args.sample)
    if args.persons < 1 or args.repeats < 1 or args.rounds < 1:
        parser.error("--persons, --repeats and --rounds must be positive")

    keep = args.workdir is not None
    root = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="passage-bench-vault-"))
    root.mkdir(parents=True, exist_ok=True)
    dataset = {"persons": args.persons, "seed": args.seed, "database": args.database}
    marker = root / "dataset.json"
    fresh = not marker.exists()
    if not fresh and json.loads(marker.read_text(encoding="utf-8")) != dataset:
        raise SystemExit(f"{root} holds another data set ({marker.read_text().strip()}); use another --workdir")

    setups = []
    for config in CONFIGS:
        database_url = ""
        if args.database == "postgres":
            database_url = f"{args.postgres_url.rstrip('/')}/passage_bench_{config.slug}"
        setup = Setup(config, root / config.slug, database_url)
        setup.env = environment(setup)
        setups.append(setup)

    say(f"Vault benchmark: {args.persons} persons, {args.database}, seed {args.seed}, in {root}")
    say(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    databases = [f"passage_bench_{config.slug}" for config in CONFIGS] if args.database == "postgres" else []
    finished = False
    try:
        with postgres_databases(args.postgres_url, databases, keep, fresh) if databases else nullcontext():
            if fresh:
                for setup in setups:
                    if setup.home.exists():
                        shutil.rmtree(setup.home)
                load(setups, args.persons, args.seed)
                marker.write_text(json.dumps(dataset) + "\n", encoding="utf-8")
            else:
                say("Reusing the homes loaded earlier in the work directory.")
            if databases:
                postgres_analyze(args.postgres_url, databases)
            benchmark(args, setups, root)
            finished = True
    finally:
        if keep:
            say(f"Kept {root} for reuse (--workdir).")
        elif finished:
            shutil.rmtree(root, ignore_errors=True)
        else:
            say(f"Kept {root} to look into the failure (its *.log files).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
