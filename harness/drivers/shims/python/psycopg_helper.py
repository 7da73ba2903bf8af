"""poolcheck's psycopg 3 helper: many sessions, each one psycopg.AsyncConnection.

Run with Debian's interpreter (python3-psycopg belongs to it): /usr/bin/python3 -I psycopg_helper.py
Protocol: ../README.md. Settings a connect may carry: prepare_threshold (an int, or None for
never; psycopg's default is 5).
"""
import asyncio
import math
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psycopg  # noqa: E402
from psycopg import generators, postgres, pq  # noqa: E402
from psycopg.types.string import TextLoader  # noqa: E402

from helper_loop import OpError, cancel_other_operations, serve, session_dispatcher  # noqa: E402

SETTINGS = {"prepare_threshold"}


class Session:
    def __init__(self, conn, report_params):
        self.conn = conn
        self.report_params = report_params
        self.notifications = []
        self.notices = []
        self.tasks = set()
        self.last_state = {"pid": None, "params": {}}

    def state(self):
        # libpq answers PQbackendPID / PQparameterStatus from what the connection received.
        try:
            info = self.conn.info
            params = {}
            for name in self.report_params:
                value = info.parameter_status(name)
                if value is not None:
                    params[name] = value.decode() if isinstance(value, bytes) else value
            self.last_state = {"pid": info.backend_pid, "params": params}
        except psycopg.Error:
            pass  # closed: what it held last
        notices, self.notices = self.notices, []
        return {**self.last_state, "notices": notices}


sessions = {}
# Sessions poolcheck gave up on while their connect was still running: dropped on arrival.
abandoned = set()


class ServerTextLoader(TextLoader):
    """psycopg's str loader, except that a SQL_ASCII database's bytes (which psycopg hands over
    undecoded, having no encoding to decode them with) are read as UTF-8, escaping what is not."""

    def load(self, data):
        value = super().load(data)
        return value if isinstance(value, str) else bytes(value).decode("utf-8", "backslashreplace")


def server_text(conn):
    """Every column as the text the server sent: that loader for every known type.

    Types psycopg does not know already fall back to that loader (the loader of oid 0).
    """
    for t in postgres.types:
        for oid in (t.oid, t.array_oid, getattr(t, "range_oid", 0), getattr(t, "multirange_oid", 0)):
            if oid:
                conn.adapters.register_loader(oid, ServerTextLoader)
    conn.adapters.register_loader(0, ServerTextLoader)


def db_error(e):
    return {"code": e.sqlstate, "message": e.diag.message_primary or str(e), "severity": e.diag.severity_nonlocalized or e.diag.severity}


def failure(s, e):
    lost = s.conn.broken or s.conn.closed
    # A FATAL error from the server closes the connection: its SQLSTATE says why.
    return OpError(str(e).strip() or type(e).__name__, lost=lost, state=s.state(), code=getattr(e, "sqlstate", None))


async def op_connect(req):
    c = req["conn"]
    kwargs = dict(
        host=c["host"], port=c["port"], user=c["user"], password=c["password"], dbname=c["database"],
        connect_timeout=max(1, math.ceil(req["timeoutMs"] / 1000)),
        # Scenarios say BEGIN/COMMIT themselves; psycopg would otherwise open a transaction.
        autocommit=True,
    )
    if req.get("applicationName"):
        kwargs["application_name"] = req["applicationName"]
    # tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
    # drivers (libpq's own default, prefer, would encrypt whenever the server offers TLS).
    kwargs["sslmode"] = "require" if req.get("tls") else "disable"
    if req.get("startupParams"):
        raise OpError("psycopg (libpq) cannot send arbitrary StartupMessage parameters")
    for k, v in (req.get("settings") or {}).items():
        if k not in SETTINGS:
            raise OpError(f"unknown psycopg setting {k}; known: {', '.join(sorted(SETTINGS))}")
        kwargs[k] = v
    try:
        conn = await psycopg.AsyncConnection.connect(**kwargs)
    except psycopg.Error as e:
        abandoned.discard(req["session"])
        # libpq keeps no SQLSTATE for a failed connection attempt, so e.sqlstate is None even
        # when the server refused the login with one. Its words are all it says about a server
        # that closed the connection during the login (as opposed to refusing it).
        lost = e.sqlstate is None and "server closed the connection unexpectedly" in str(e)
        raise OpError(f"connect: {str(e).strip()}", lost=lost, code=e.sqlstate)
    if req["session"] in abandoned:
        abandoned.discard(req["session"])
        await conn.close()
        raise OpError("connected after poolcheck had given up on this session; closed")
    server_text(conn)
    s = Session(conn, req.get("reportParams") or [])
    conn.add_notify_handler(lambda n: s.notifications.append(n))
    conn.add_notice_handler(lambda diag: s.notices.append(diag.sqlstate))
    sessions[req["session"]] = s
    return {}, s.state()


async def op_query(s, req):
    cur = s.conn.cursor()
    try:
        params = req.get("params")
        if params is None:
            await cur.execute(req["sql"])
        else:
            await cur.execute(req["sql"], {f"p{i + 1}": v for i, v in enumerate(params)})
        # Several statements give several results; like the other drivers, the rows are the
        # last result that had columns.
        rows, columns, command = [], [], None
        while True:
            if cur.description is not None:
                columns = [d.name for d in cur.description]
                rows = [list(r) for r in await cur.fetchall()]
            command = cur.statusmessage
            if not cur.nextset():
                break
        return {"rows": rows, "columns": columns, "command": command}, s.state()
    except psycopg.Error as e:
        if e.sqlstate:
            return {"rows": [], "columns": [], "error": db_error(e)}, s.state()
        raise failure(s, e)
    finally:
        await cur.close()


async def op_cancel(s, req):
    # psycopg's cancel is libpq's PQcancel, made to be called from another thread.
    await asyncio.get_running_loop().run_in_executor(None, s.conn.cancel)
    return {}, s.state()


def take(s, channel):
    for i, n in enumerate(s.notifications):
        if n.channel == channel:
            del s.notifications[i]
            return {"channel": n.channel, "payload": n.payload, "pid": n.pid}
    return None


async def op_wait_notification(s, req):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + req["timeoutMs"] / 1000
    while True:
        n = take(s, req["channel"])
        if n is not None:
            return {"notification": n}, s.state()
        left = deadline - loop.time()
        if left <= 0:
            return {"notification": None}, s.state()
        # notifies() reads all pending notifications at once; a timeout can only strike while
        # it waits for the socket, before anything was read.
        try:
            async with s.conn.lock:
                got = await asyncio.wait_for(s.conn.wait(generators.notifies(s.conn.pgconn)), left)
        except asyncio.TimeoutError:
            continue
        except psycopg.Error as e:
            raise failure(s, e)
        for pgn in got:
            enc = s.conn.info.encoding
            s.notifications.append(psycopg.Notify(pgn.relname.decode(enc), pgn.extra.decode(enc), pgn.be_pid))


async def stop_others(s):
    """Cancels the session's other operations and lets them unwind before libpq closes the socket.

    psycopg waits on the socket through asyncio's add_reader/add_writer. If libpq closed the
    descriptor while such a wait was registered, the next connection given the same number
    would meet the stale registration (epoll_ctl fails with ENOENT, FileNotFoundError).
    """
    await cancel_other_operations(s)


async def op_close(s, req):
    await stop_others(s)
    await s.conn.close()
    return {}, None


async def op_destroy(s, req):
    # Shut the socket down under libpq (on a duplicate descriptor, so the number is never
    # reused under it): the server sees the connection drop without a Terminate message.
    try:
        dup = socket.socket(fileno=os.dup(s.conn.pgconn.socket))
        try:
            dup.shutdown(socket.SHUT_RDWR)
        finally:
            dup.close()
    except (OSError, psycopg.Error):
        pass
    await stop_others(s)
    await s.conn.close()
    return {}, None


SESSION_OPS = {
    "query": op_query,
    "cancel": op_cancel,
    "waitNotification": op_wait_notification,
    "close": op_close,
    "destroy": op_destroy,
}


def hello():
    v = pq.version()
    libpq = f"{v // 10000}.{v % 100}" if v >= 100000 else str(v)
    return {
        "library": f"psycopg (python3-psycopg on Python {sys.version.split()[0]}, {pq.__impl__} implementation over libpq {libpq})",
        "version": psycopg.__version__,
    }


handle = session_dispatcher("psycopg", hello, op_connect, SESSION_OPS, sessions, abandoned)


async def shutdown():
    for s in sessions.values():
        await stop_others(s)
    await asyncio.gather(*(s.conn.close() for s in sessions.values()), return_exceptions=True)


if __name__ == "__main__":
    serve(handle, shutdown)
