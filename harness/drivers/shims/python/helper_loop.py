"""The helper's side of poolcheck's helper protocol (see ../README.md).

One JSON object per line on stdin (requests) and stdout (replies). Every request runs as its
own asyncio task, so a long query never holds up another session, and replies leave in the
order operations finish. When stdin closes (poolcheck ended or was killed) the helper closes
its connections and exits.
"""
import asyncio
import json
import os
import sys
import traceback


class OpError(Exception):
    """An operation failed in the driver (not in the database): ok: false."""

    def __init__(self, message, lost=False, state=None, code=None):
        super().__init__(message)
        self.lost = lost
        self.state = state
        self.code = code


def _write(obj):
    # Replies are written from the event loop thread only, a whole line at a time. A reply that
    # cannot be encoded still gets an answer: poolcheck would otherwise wait for it in vain.
    try:
        line = json.dumps(obj, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        traceback.print_exc(file=sys.stderr)
        line = json.dumps({"id": obj.get("id"), "ok": False, "error": {"message": f"the helper could not encode its reply: {e}", "lost": False}})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _run_one(handle, req):
    rid = req.get("id")
    try:
        if req.get("op") == "ping":
            reply = {"id": rid, "ok": True, "result": {}}
        else:
            result, state = await handle(req)
            reply = {"id": rid, "ok": True, "result": result}
            if state is not None:
                reply["state"] = state
    except asyncio.CancelledError:
        # The session was closed under this operation (its helper cancels what still runs first).
        reply = {"id": rid, "ok": False, "error": {"message": "the session was closed while this operation ran", "lost": True}}
    except OpError as e:
        reply = {"id": rid, "ok": False, "error": {"message": str(e), "lost": e.lost}}
        if e.code:
            reply["error"]["code"] = e.code
        if e.state is not None:
            reply["state"] = e.state
    except Exception as e:  # a fault in the helper: the traceback goes to stderr for the report
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        where = "; ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in traceback.extract_tb(e.__traceback__)[-4:])
        reply = {"id": rid, "ok": False, "error": {"message": f"{type(e).__name__}: {e} (at {where})", "lost": False}}
    _write(reply)


async def _serve(handle, shutdown):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    tasks = set()
    while True:
        line = await reader.readline()
        if not line:
            break
        try:
            req = json.loads(line)
        except ValueError:
            print(f"helper: not a JSON line: {line[:200]!r}", file=sys.stderr, flush=True)
            continue
        task = asyncio.create_task(_run_one(handle, req))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    try:
        await asyncio.wait_for(shutdown(), 2)
    except Exception:
        pass


def serve(handle, shutdown):
    """handle(req) -> (result, state); shutdown() closes what is open when stdin ends."""
    asyncio.run(_serve(handle, shutdown))
    sys.stdout.flush()
    # Worker threads (a cancel in flight) must not keep a helper alive after stdin closed.
    os._exit(0)


def session_dispatcher(name, hello, connect, session_ops, sessions, abandoned):
    """The request dispatch both Python helpers share: hello and connect, then an op on a
    known session. A close or destroy for a session that is not (yet) there is remembered in
    `abandoned`, so a connect that finishes after poolcheck gave up on it is dropped."""

    async def handle(req):
        op = req.get("op")
        if op == "hello":
            return hello(), None
        if op == "connect":
            return await connect(req)
        fn = session_ops.get(op)
        if fn is None:
            raise OpError(f"{name} helper has no op {op}")
        s = sessions.get(req.get("session"))
        if s is None and op in ("close", "destroy"):
            abandoned.add(req.get("session"))
            return {}, None
        if s is None:
            raise OpError(f"no session {req.get('session')}")
        if op in ("close", "destroy"):
            sessions.pop(req["session"], None)
        task = asyncio.current_task()
        s.tasks.add(task)
        try:
            return await fn(s, req)
        finally:
            s.tasks.discard(task)

    return handle


async def cancel_other_operations(session):
    """Cancels the session's operations other than the calling one and waits (up to 2 s) for
    them to unwind, so that closing never waits for a query that may not end."""
    me = asyncio.current_task()
    others = [t for t in session.tasks if t is not me]
    for t in others:
        t.cancel()
    if others:
        await asyncio.wait(others, timeout=2)
