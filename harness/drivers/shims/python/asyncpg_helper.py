"""poolcheck's asyncpg helper: many sessions, each one asyncpg connection.

Run with Debian's interpreter (python3-asyncpg belongs to it): /usr/bin/python3 -I asyncpg_helper.py
Protocol: ../README.md. Settings a connect may carry: statement_cache_size (asyncpg's default
is 100; 0 disables named statements).

What this driver cannot offer poolcheck, and why:
- cancel: asyncpg cancels through asyncio (task cancellation, or a timeout= argument); it sends
  a CancelRequest but then raises CancelledError/TimeoutError itself and discards the server's
  57014, so the outcome of a cancelled query cannot be reported as the server gave it.
- notifications: asyncpg drops a NotificationResponse unless add_listener() registered the
  channel, and add_listener() sends its own LISTEN; a scenario's LISTEN is plain SQL.
- user-named statements: asyncpg names its statements itself (__asyncpg_stmt_N__, a counter
  shared by every connection of this process).
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import asyncpg  # noqa: E402
from asyncpg import protocol  # noqa: E402

from helper_loop import OpError, cancel_other_operations, serve, session_dispatcher  # noqa: E402
from pg_text import to_text  # noqa: E402

SETTINGS = {"statement_cache_size"}


def _same(v):
    return v


def server_text(conn):
    """Ask for every built-in scalar type in text format and keep the server's text.

    This is what Connection.set_type_codec(format='text') does, minus its introspection query
    per type: those queries would go through the driver's statement cache and add named
    statements to every connection, changing what asyncpg sends.
    """
    settings = conn._protocol.get_settings()
    seen = set()
    for name, oid in protocol.BUILTIN_TYPE_NAME_MAP.items():
        if oid in seen:
            continue
        seen.add(oid)
        try:
            settings.add_python_codec(oid, name, "pg_catalog", "scalar", _same, _same, "text")
        except Exception:
            pass  # a pseudo-type asyncpg will not take a codec for


class Session:
    def __init__(self, conn, report_params):
        self.conn = conn
        self.report_params = report_params
        self.notices = []
        self.tasks = set()
        self.last_state = {"pid": None, "params": {}}

    def state(self):
        # asyncpg keeps every ParameterStatus in the connection's settings.
        if not self.conn.is_closed():
            settings = self.conn.get_settings()
            params = {}
            for name in self.report_params:
                try:
                    params[name] = str(getattr(settings, name))
                except AttributeError:
                    pass
            self.last_state = {"pid": self.conn.get_server_pid(), "params": params}
        notices, self.notices = self.notices, []
        return {**self.last_state, "notices": notices}


sessions = {}
# Sessions poolcheck gave up on while their connect was still running: dropped on arrival.
abandoned = set()


async def op_connect(req):
    c = req["conn"]
    kwargs = dict(
        host=c["host"], port=c["port"], user=c["user"], password=c["password"], database=c["database"],
        timeout=req["timeoutMs"] / 1000,
    )
    # server_settings go into the StartupMessage as they are.
    server_settings = dict(req.get("startupParams") or {})
    if req.get("applicationName"):
        server_settings["application_name"] = req["applicationName"]
    if server_settings:
        kwargs["server_settings"] = server_settings
    # tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
    # drivers (asyncpg's own default, prefer, would encrypt whenever the server offers TLS).
    kwargs["ssl"] = "require" if req.get("tls") else "disable"
    for k, v in (req.get("settings") or {}).items():
        if k not in SETTINGS:
            raise OpError(f"unknown asyncpg setting {k}; known: {', '.join(sorted(SETTINGS))}")
        kwargs[k] = v
    try:
        conn = await asyncpg.connect(**kwargs)
    except asyncpg.PostgresError as e:
        abandoned.discard(req["session"])
        raise OpError(f"connect: {type(e).__name__}: {e}", code=e.sqlstate)
    except (asyncpg.InterfaceError, OSError, asyncio.TimeoutError) as e:
        abandoned.discard(req["session"])
        # The server closed the connection during the login (ConnectionRefusedError, a server
        # that is not there, is not that).
        lost = isinstance(e, (ConnectionResetError, asyncpg.ConnectionDoesNotExistError))
        raise OpError(f"connect: {type(e).__name__}: {e}", lost=lost)
    if req["session"] in abandoned:
        abandoned.discard(req["session"])
        await conn.close(timeout=2)
        raise OpError("connected after poolcheck had given up on this session; closed")
    server_text(conn)
    s = Session(conn, req.get("reportParams") or [])
    conn.add_log_listener(lambda _conn, message: s.notices.append(message.sqlstate))
    sessions[req["session"]] = s
    return {}, s.state()


async def op_query(s, req):
    params = req.get("params")
    try:
        if params is None and req.get("multi"):
            # asyncpg runs several statements only through execute() (simple protocol), which
            # returns the last command tag and no rows.
            status = await s.conn.execute(req["sql"])
            return {"rows": [], "columns": [], "command": status}, s.state()
        records = await s.conn.fetch(req["sql"], *(params or []))
        rows = [[to_text(v) for v in r.values()] for r in records]
        columns = list(records[0].keys()) if records else []
        return {"rows": rows, "columns": columns}, s.state()
    except asyncpg.ConnectionDoesNotExistError as e:
        # asyncpg's own answer (SQLSTATE 08003) for a connection that is gone: not the server's.
        raise OpError(f"{type(e).__name__}: {e}", lost=True, state=s.state())
    except asyncpg.PostgresError as e:
        # .message is the server's primary message; str(e) adds asyncpg's own hints.
        return {"rows": [], "columns": [], "error": {"code": e.sqlstate, "message": e.message or str(e), "severity": getattr(e, "severity_en", None) or getattr(e, "severity", None)}}, s.state()
    except (asyncpg.InterfaceError, OSError) as e:
        raise OpError(f"{type(e).__name__}: {e}", lost=s.conn.is_closed(), state=s.state())


async def stop_others(s):
    """Cancels the session's other operations (asyncpg sends a CancelRequest for a running
    query) so that closing does not wait for a query that may never end."""
    await cancel_other_operations(s)


async def op_close(s, req):
    await stop_others(s)
    await s.conn.close(timeout=5)
    return {}, None


async def op_destroy(s, req):
    # terminate() aborts the transport: the socket closes without a Terminate message.
    s.conn.terminate()
    return {}, None


SESSION_OPS = {"query": op_query, "close": op_close, "destroy": op_destroy}


def hello():
    return {
        "library": f"asyncpg (python3-asyncpg on Python {sys.version.split()[0]})",
        "version": asyncpg.__version__,
    }


handle = session_dispatcher("asyncpg", hello, op_connect, SESSION_OPS, sessions, abandoned)


async def shutdown():
    await asyncio.gather(*(s.conn.close(timeout=1) for s in sessions.values()), return_exceptions=True)


if __name__ == "__main__":
    serve(handle, shutdown)
