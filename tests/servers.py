"""Real SPARQL 1.1 servers on loopback, for testing plangraph's remote store.

Two servers, started fresh for a test in a temporary folder and stopped afterwards:

* :func:`oxigraph_server` runs ``oxigraph serve`` (PyPI package ``oxigraph``, which puts an
  ``oxigraph`` command beside the virtualenv's Python);
* :func:`virtuoso_server` runs ``virtuoso-t`` (Debian package ``virtuoso-opensource``) with a
  ``virtuoso.ini`` written into the folder, so neither the system service nor
  ``/var/lib/virtuoso-opensource-7`` is touched.

Both listen on 127.0.0.1 only, on free ports, and keep every file they write inside the
folder given. Each context manager yields a :class:`Server` once the server answers a
query, and kills the server's whole process group on exit. Use in a test module::

    import pytest
    from tests.servers import oxigraph_server, skip_reason, virtuoso_server

    SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}

    @pytest.fixture(scope="module", params=sorted(SERVERS))
    def server(request, tmp_path_factory):
        reason = skip_reason()[request.param]
        if reason:
            pytest.skip(reason)
        with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as srv:
            yield srv

What each server needs from a client (measured with Oxigraph 0.5.13 and Virtuoso 7.2.5,
Debian 12):

* Oxigraph: no authentication; ``/query``, ``/update``, ``/store``. Started here with
  ``--union-default-graph`` so that, as in Virtuoso, a query without ``GRAPH`` or ``FROM``
  sees every named graph. Starts in well under a second.
* Virtuoso: reads are anonymous on ``/sparql``; updates and Graph Store writes go to
  ``/sparql-auth`` and ``/sparql-graph-crud-auth`` with HTTP *Digest* authentication
  (Virtuoso sends no Basic challenge there) as the database administrator ``dba``, whose
  password is ``dba`` in a new database. Starts in about 5 seconds (it creates its database).
  With ``anonymous_updates=True`` the fixture instead grants ``SPARQL_UPDATE`` to Virtuoso's
  anonymous ``SPARQL`` user (through ``isql-vt``), and the anonymous ``/sparql`` and
  ``/sparql-graph-crud`` endpoints accept writes without any authentication.

What a client must know about Virtuoso 7.2.5 (found with these servers):

* Digest clients that send the body before the 401 challenge (urllib's handler,
  ``requests.auth.HTTPDigestAuth``) get "connection reset" for bodies over about 1 MB:
  Virtuoso closes before reading them. Get the challenge first with an empty request (HEAD), then
  send the request once with its ``Authorization`` header.
* A DELETE without ``Content-Length: 0`` and a POST of ``application/sparql-query`` hang:
  send queries as a ``query=`` form and give DELETE an empty body.
* ``DROP GRAPH`` fails on graphs not made by ``CREATE GRAPH``; ``DROP SILENT GRAPH`` works.
  ``CLEAR ALL``/``DROP ALL`` answer 200 and do nothing. A single ``INSERT DATA`` of more than about
  4,990 triples fails; several in one request (joined by ``;``) pass.
* Boolean expressions come back as xsd:integer 1/0, and JSON results write stored
  booleans as "1"/"0". Ask for ``application/sparql-results+xml``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

__all__ = [
    "Server",
    "ServerError",
    "oxigraph_server",
    "virtuoso_server",
    "oxigraph_binary",
    "virtuoso_binary",
    "have_oxigraph",
    "have_virtuoso",
    "skip_reason",
]

#: How long a server may take to answer its first query. Virtuoso creates its database on
#: the first start (about 5 s on two cores); the margin covers a busy CI machine.
STARTUP_TIMEOUT = 60.0

#: How long a server may take to exit after SIGTERM before it is killed outright.
STOP_TIMEOUT = 15.0

#: The database administrator of a new Virtuoso database; only ever bound to 127.0.0.1.
VIRTUOSO_DBA = ("dba", "dba")

_VIRTUOSO_CANDIDATES = ("/usr/bin/virtuoso-t", "/usr/local/bin/virtuoso-t", "/opt/virtuoso-opensource/bin/virtuoso-t")
_ISQL_CANDIDATES = ("/usr/bin/isql-vt", "/usr/local/bin/isql", "/opt/virtuoso-opensource/bin/isql")


class ServerError(RuntimeError):
    """A server did not start, or did not answer in time; the message ends with its log."""


class _Exited(ServerError):
    """The server process ended while starting (most often: another process took its port)."""


@dataclass(frozen=True)
class Server:
    """Where a running SPARQL 1.1 server answers, and how to write to it.

    ``graph_store_url`` is the SPARQL 1.1 Graph Store HTTP Protocol endpoint, to be used with
    indirect identification: ``{graph_store_url}?graph={percent-encoded graph IRI}``.
    ``auth`` is None when updates and Graph Store writes need no credentials, else the
    (user, password) pair to send with ``auth_scheme`` ("digest" for Virtuoso); reads on
    ``query_url`` never need them.
    """

    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    auth: tuple[str, str] | None = None
    auth_scheme: Literal["digest", "basic"] | None = None
    #: the server's own log, for a failing test's message
    log: Path | None = None
    #: seconds from launch to the first answered query
    startup_seconds: float = 0.0


# --- finding the programs -------------------------------------------------------------


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command: the one installed beside this Python first, else on PATH.

    The virtualenv's ``bin`` is not on PATH when tests run as ``.venv/bin/python -m pytest``,
    hence the look beside :data:`sys.executable`.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """Virtuoso's server program: ``virtuoso-t`` on PATH or where the packages put it."""
    found = shutil.which("virtuoso-t")
    if found:
        return found
    return next((c for c in _VIRTUOSO_CANDIDATES if os.access(c, os.X_OK)), None)


def _isql_binary() -> str | None:
    """Virtuoso's SQL client (Debian names it ``isql-vt``: ``isql`` is unixODBC's)."""
    found = shutil.which("isql-vt")
    if found:
        return found
    return next((c for c in _ISQL_CANDIDATES if os.access(c, os.X_OK)), None)


def have_oxigraph() -> bool:
    """Whether :func:`oxigraph_server` can run here."""
    return oxigraph_binary() is not None


def have_virtuoso() -> bool:
    """Whether :func:`virtuoso_server` can run here."""
    return virtuoso_binary() is not None


def skip_reason() -> dict[str, str | None]:
    """For each server name, None when it can run here, else why a test should skip.

    >>> sorted(skip_reason())
    ['oxigraph', 'virtuoso']
    """
    return {
        "oxigraph": None if have_oxigraph() else "no oxigraph command: .venv/bin/pip install oxigraph",
        "virtuoso": None
        if have_virtuoso()
        else "no virtuoso-t: apt-get install virtuoso-opensource (Debian)",
    }


# --- running a process ----------------------------------------------------------------


def _free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports free on 127.0.0.1 right now.

    All sockets stay open until every port is chosen, so the ports differ; the server binds
    them a moment later (a race another process could win, which then shows as a start error).

    >>> a, b = _free_ports(2)
    >>> a != b and 1024 <= min(a, b)
    True
    """
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _tail(*paths: Path, lines: int = 40) -> str:
    """The last lines of each log that exists, headed by its name."""
    out = []
    for path in paths:
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            out.append(f"--- {path} (last {len(text)} lines)\n" + "\n".join(text))
    return "\n".join(out) or "(no log written)"


def _launch(argv: list[str], cwd: Path, output: Path) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a new session (its own process group), output to ``output``.

    A process group of its own lets :func:`_stop` end the server and anything it forked,
    and keeps a Ctrl-C meant for pytest from reaching the server half-way.
    """
    with open(output, "wb") as sink:
        return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it is still there in time."""
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # reap the group's leader in any case, so no zombie outlives the test
    try:
        proc.wait(timeout=1)
    except subprocess.TimeoutExpired:
        pass


def _wait_ready(url: str, proc: subprocess.Popen[bytes], logs: tuple[Path, ...], name: str) -> float:
    """Poll ``url`` (an ASK query) until it answers 200; the seconds that took.

    Raises :class:`ServerError` with the logs' tails if the process exits or the time runs out.
    """
    start = time.monotonic()
    last = "no answer yet"
    while time.monotonic() - start < STARTUP_TIMEOUT:
        if proc.poll() is not None:
            raise _Exited(f"{name} exited with code {proc.returncode} while starting\n{_tail(*logs)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return time.monotonic() - start
                last = f"HTTP {answer.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:  # refused while it is still starting
            last = str(exc)
        time.sleep(0.1)
    raise ServerError(f"{name} did not answer {url} within {STARTUP_TIMEOUT:.0f} s ({last})\n{_tail(*logs)}")


_ASK = "?" + urllib.parse.urlencode({"query": "ASK {}"})

#: Starts tried before giving up: a port chosen free can be taken before the server binds it.
START_ATTEMPTS = 3


# --- Oxigraph ---------------------------------------------------------------------------


@contextmanager
def oxigraph_server(tmp: Path, union_default_graph: bool = True) -> Iterator[Server]:
    """An Oxigraph server on 127.0.0.1 with its database in ``tmp/oxigraph-db``.

    ``union_default_graph`` starts it with ``--union-default-graph``: queries without
    ``GRAPH``/``FROM`` then see every named graph (as plangraph's stores promise and as
    Virtuoso does by default). Without it, the default graph is a graph of its own and a
    client asks for the union per query with the URL parameter ``union-default-graph``.
    """
    binary = oxigraph_binary()
    if binary is None:
        raise ServerError(skip_reason()["oxigraph"] or "no oxigraph")
    tmp = Path(tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    log = tmp / "oxigraph.log"
    for attempt in range(1, START_ATTEMPTS + 1):
        (port,) = _free_ports(1)
        argv = [binary, "serve", "--location", str(tmp / "oxigraph-db"), "--bind", f"127.0.0.1:{port}"]
        if union_default_graph:
            argv.append("--union-default-graph")
        base = f"http://127.0.0.1:{port}"
        proc = _launch(argv, tmp, log)
        try:
            seconds = _wait_ready(f"{base}/query{_ASK}", proc, (log,), "oxigraph")
            break
        except _Exited:
            _stop(proc)
            if attempt == START_ATTEMPTS:
                raise
        except BaseException:
            _stop(proc)
            raise
    try:
        yield Server(
            name="oxigraph",
            query_url=f"{base}/query",
            update_url=f"{base}/update",
            graph_store_url=f"{base}/store",
            auth=None,
            log=log,
            startup_seconds=seconds,
        )
    finally:
        _stop(proc)


# --- Virtuoso ---------------------------------------------------------------------------

# Only what a test server needs, every path inside the folder. Worth knowing:
# - ServerPort with an address binds that address only (127.0.0.1, never every interface);
# - ResultSetMaxRows: the Debian ini caps a SELECT's result at 10,000 rows, silently; here the
#   cap is far above anything a test loads;
# - MaxQueryExecutionTime: a runaway query fails after 60 s instead of hanging a test;
# - no [Plugins] section: the Debian hosting plugins are not needed and not loaded;
# - CheckpointInterval = 0 disables periodic checkpoints (a throwaway database).
_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {dir}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 500M

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
ServerThreads        = 10
EnabledDavVSP        = 0
Charset              = UTF-8

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000

[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 60
"""


#: What virtuoso-t writes beside its ini (besides its logs and vsp/).
_VIRTUOSO_FILES = ("virtuoso.db", "virtuoso.trx", "virtuoso.lck", "virtuoso.pxa", "virtuoso-temp.db", "virtuoso-temp.trx")


def _isql(isql: str, sql_port: int, statements: str, log: Path) -> None:
    """Run SQL statements as ``dba`` through Virtuoso's isql; raise on any error."""
    user, password = VIRTUOSO_DBA
    done = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", user, password, f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # isql exits 0 even when a statement fails: its errors start with "*** Error"
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise ServerError(f"isql failed on {statements!r}:\n{done.stdout}{done.stderr}\n{_tail(log)}")


@contextmanager
def virtuoso_server(tmp: Path, anonymous_updates: bool = False) -> Iterator[Server]:
    """A Virtuoso server on 127.0.0.1, database and ``virtuoso.ini`` in ``tmp``.

    By default updates go to ``/sparql-auth`` and Graph Store requests to
    ``/sparql-graph-crud-auth``, both with HTTP Digest authentication as ``dba``/``dba``
    (:attr:`Server.auth`, ``auth_scheme="digest"``): Virtuoso's stock setup, nothing granted.
    ``anonymous_updates=True`` grants ``SPARQL_UPDATE`` to the anonymous ``SPARQL`` user
    instead and yields the unauthenticated ``/sparql`` and ``/sparql-graph-crud`` endpoints.

    Queries without ``FROM`` see every graph of the store, Virtuoso's own system graphs
    included (``http://www.openlinksw.com/schemas/virtrdf#`` and a few more).
    """
    binary = virtuoso_binary()
    if binary is None:
        raise ServerError(skip_reason()["virtuoso"] or "no virtuoso-t")
    tmp = Path(tmp).resolve()
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "vsp").mkdir(exist_ok=True)
    ini = tmp / "virtuoso.ini"
    out, log = tmp / "virtuoso.out", tmp / "virtuoso.log"
    for attempt in range(1, START_ATTEMPTS + 1):
        for stale in _VIRTUOSO_FILES:  # a failed attempt's half-made database, inside tmp only
            (tmp / stale).unlink(missing_ok=True)
        sql_port, http_port = _free_ports(2)
        ini.write_text(_VIRTUOSO_INI.format(dir=tmp, sql_port=sql_port, http_port=http_port), encoding="utf-8")
        base = f"http://127.0.0.1:{http_port}"
        # +foreground: stay the child we started (no daemon fork), so the group kill reaches it
        proc = _launch([binary, "+configfile", str(ini), "+foreground"], tmp, out)
        try:
            seconds = _wait_ready(f"{base}/sparql{_ASK}", proc, (log, out), "virtuoso")
            break
        except _Exited:
            _stop(proc)
            if attempt == START_ATTEMPTS:
                raise
        except BaseException:
            _stop(proc)
            raise
    try:
        if anonymous_updates:
            isql = _isql_binary()
            if isql is None:
                raise ServerError("anonymous_updates needs Virtuoso's isql-vt, which is not installed")
            _isql(isql, sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";', log)
            server = Server("virtuoso", f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud", None, None, log, seconds)
        else:
            server = Server(
                name="virtuoso",
                query_url=f"{base}/sparql",
                update_url=f"{base}/sparql-auth",
                graph_store_url=f"{base}/sparql-graph-crud-auth",
                auth=VIRTUOSO_DBA,
                auth_scheme="digest",
                log=log,
                startup_seconds=seconds,
            )
        yield server
    finally:
        _stop(proc)
