// poolcheck's tokio-postgres helper: many sessions, each one tokio_postgres::Client whose
// Connection this helper drives itself (to see notices, notifications and ParameterStatus).
//
// Protocol: ../../README.md. Settings a connect may carry: simple_query (default false).
// - default: a query runs as a prepared Statement, prepared once per query text and connection
//   and kept (the statement cache of deadpool-postgres's prepare_cached, the pool most
//   tokio-postgres applications use); tokio-postgres names it s<N> from a counter of the process.
//   Parameters are bound as untyped text (ToSql::encode_format Text). Results come in binary,
//   printed as PostgreSQL's text by text.rs.
// - simple_query: every query through Client::simple_query (the simple protocol; poolcheck puts
//   the parameters into the SQL as literals), what tokio-postgres's maintainers name for
//   PgBouncer's transaction mode: https://github.com/sfackler/rust-postgres/issues/959
// Several statements without parameters go through simple_query in both.
mod text;

use futures_util::FutureExt;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::error::Error as StdError;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::task::JoinHandle;
use tokio_postgres::config::SslMode;
use tokio_postgres::types::{to_sql_checked, Format, FromSql, IsNull, ToSql, Type};
use tokio_postgres::{AsyncMessage, Client, Config, NoTls, SimpleQueryMessage, Statement};

/// A failure of the driver, not an answer of the database: ok: false.
struct OpError {
    message: String,
    lost: bool,
    code: Option<String>,
}

fn op_error(message: impl Into<String>) -> OpError {
    OpError { message: message.into(), lost: false, code: None }
}

/// A parameter as untyped text, for the server to infer its type (as libpq and psql do).
#[derive(Debug)]
struct TextParam(Option<String>);

impl ToSql for TextParam {
    fn to_sql(&self, _ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match &self.0 {
            Some(s) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }
    to_sql_checked!();
}

/// A column's bytes as received, whatever its type.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(_ty: &Type) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(None))
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// What the session's Connection received, written by the task that drives it.
#[derive(Default)]
struct Received {
    notices: Mutex<Vec<String>>,
    notifications: Mutex<Vec<(String, String, i32)>>,
    arrived: tokio::sync::Notify,
    params: Mutex<HashMap<String, String>>,
    closed: AtomicBool,
}

struct Session {
    client: Mutex<Option<Arc<Client>>>,
    connection: Mutex<Option<JoinHandle<()>>>,
    received: Arc<Received>,
    statements: Mutex<HashMap<String, Statement>>,
    simple: bool,
    busy: AtomicUsize,
}

#[derive(Default)]
struct Helper {
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    // Sessions poolcheck gave up on while their connect was still running: dropped on arrival.
    abandoned: Mutex<HashSet<String>>,
}

fn write(reply: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", reply);
    let _ = out.flush();
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    rt.block_on(serve());
    // Reading stdin may still hold a thread of the runtime: do not wait for it.
    std::process::exit(0);
}

async fn serve() {
    let helper = Arc::new(Helper::default());
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim().is_empty() {
            continue;
        }
        let req: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(_) => {
                eprintln!("helper: not a JSON line: {:.200}", line);
                continue;
            }
        };
        // A ping is answered by the reading loop itself: it proves requests are still read.
        if req["op"] == "ping" {
            write(&json!({"id": req["id"], "ok": true, "result": {}}));
            continue;
        }
        let h = helper.clone();
        tokio::spawn(async move {
            let id = req["id"].clone();
            let reply = match AssertUnwindSafe(handle(&h, &req)).catch_unwind().await {
                Ok(reply) => reply,
                Err(panic) => {
                    let why = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
                    eprintln!("helper: panic in {}: {}", req["op"], why);
                    json!({"id": id, "ok": false, "error": {"message": format!("the tokio-postgres helper failed: {}", why), "lost": false}})
                }
            };
            write(&reply);
        });
    }
    // stdin closed: poolcheck is done or gone. Close what is open, but do not wait long.
    let open: Vec<Arc<Session>> = helper.sessions.lock().unwrap().drain().map(|(_, s)| s).collect();
    let closing = futures_util::future::join_all(open.iter().map(|s| close(s)));
    let _ = tokio::time::timeout(Duration::from_secs(2), closing).await;
}

async fn handle(helper: &Helper, req: &Value) -> Value {
    let op = req["op"].as_str().unwrap_or("");
    let mut reply = Map::new();
    reply.insert("id".into(), req["id"].clone());
    let mut session = None;
    let outcome = match op {
        "hello" => Ok(json!({
            "library": format!("tokio-postgres (librust-tokio-postgres-dev, built with {})", env!("HELPER_RUSTC_VERSION")),
            "version": env!("TOKIO_POSTGRES_VERSION"),
        })),
        "connect" => match connect(helper, req).await {
            Ok(s) => {
                session = Some(s);
                Ok(json!({}))
            }
            Err(e) => Err(e),
        },
        _ => session_op(helper, req, op, &mut session).await,
    };
    match outcome {
        Ok(result) => {
            reply.insert("ok".into(), json!(true));
            reply.insert("result".into(), result);
        }
        Err(e) => {
            let mut err = json!({"message": e.message, "lost": e.lost});
            if let Some(code) = e.code {
                err["code"] = json!(code);
            }
            reply.insert("ok".into(), json!(false));
            reply.insert("error".into(), err);
        }
    }
    if let Some(s) = session {
        if op != "close" && op != "destroy" {
            reply.insert("state".into(), state(&s));
        }
    }
    Value::Object(reply)
}

async fn session_op(helper: &Helper, req: &Value, op: &str, session: &mut Option<Arc<Session>>) -> Result<Value, OpError> {
    let id = req["session"].as_str().unwrap_or("").to_string();
    let ending = op == "close" || op == "destroy";
    let found = {
        let mut sessions = helper.sessions.lock().unwrap();
        if ending {
            sessions.remove(&id)
        } else {
            sessions.get(&id).cloned()
        }
    };
    let s = match found {
        Some(s) => s,
        None if ending => {
            helper.abandoned.lock().unwrap().insert(id);
            return Ok(json!({}));
        }
        None => return Err(op_error(format!("no session {}", id))),
    };
    *session = Some(s.clone());
    match op {
        "query" => {
            s.busy.fetch_add(1, Ordering::SeqCst);
            let r = query(&s, req).await;
            s.busy.fetch_sub(1, Ordering::SeqCst);
            r
        }
        "cancel" => {
            let client = live_client(&s)?;
            let r = client.cancel_token().cancel_query(NoTls).await;
            r.map(|_| json!({})).map_err(|e| op_error(format!("cancel: {}", e)))
        }
        "waitNotification" => {
            s.busy.fetch_add(1, Ordering::SeqCst);
            let r = wait_notification(&s, req["channel"].as_str().unwrap_or(""), req["timeoutMs"].as_u64().unwrap_or(0)).await;
            s.busy.fetch_sub(1, Ordering::SeqCst);
            r
        }
        "close" => {
            close(&s).await;
            Ok(json!({}))
        }
        "destroy" => {
            drop_connection(&s);
            Ok(json!({}))
        }
        _ => Err(op_error(format!("tokio-postgres helper has no op {}", op))),
    }
}

fn lost(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return matches!(io.kind(), UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe);
        }
        source = s.source();
    }
    false
}

async fn connect(helper: &Helper, req: &Value) -> Result<Arc<Session>, OpError> {
    let c = &req["conn"];
    let id = req["session"].as_str().unwrap_or("").to_string();
    let mut cfg = Config::new();
    cfg.host(c["host"].as_str().unwrap_or(""))
        .port(c["port"].as_u64().unwrap_or(5432) as u16)
        .user(c["user"].as_str().unwrap_or(""))
        .password(c["password"].as_str().unwrap_or(""))
        .dbname(c["database"].as_str().unwrap_or(""))
        .connect_timeout(Duration::from_millis(req["timeoutMs"].as_u64().unwrap_or(5000)))
        .ssl_mode(SslMode::Disable);
    if let Some(app) = req["applicationName"].as_str() {
        cfg.application_name(app);
    }
    if req["tls"] == true {
        return Err(op_error("tokio-postgres needs a TLS connector crate (postgres-openssl, postgres-native-tls), which Debian does not package"));
    }
    if req["startupParams"].is_object() {
        return Err(op_error("tokio-postgres cannot send arbitrary StartupMessage parameters"));
    }
    let mut simple = false;
    if let Some(settings) = req["settings"].as_object() {
        for (k, v) in settings {
            match k.as_str() {
                "simple_query" => simple = v == true,
                _ => return Err(op_error(format!("unknown tokio-postgres setting {}; known: simple_query", k))),
            }
        }
    }
    let (client, mut connection) = match cfg.connect(NoTls).await {
        Ok(pair) => pair,
        Err(e) => {
            helper.abandoned.lock().unwrap().remove(&id);
            let code = e.as_db_error().map(|d| d.code().code().to_string());
            return Err(OpError { message: format!("connect: {}", e), lost: code.is_none() && lost(&e), code });
        }
    };
    let received = Arc::new(Received::default());
    let report: Vec<String> = req["reportParams"].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
    {
        // What the server reported at login, before the Connection is first polled.
        let mut params = received.params.lock().unwrap();
        for name in &report {
            if let Some(v) = connection.parameter(name) {
                params.insert(name.clone(), v.to_string());
            }
        }
    }
    let seen = received.clone();
    // The Connection keeps every ParameterStatus it reads; its values are copied after each poll,
    // before the replies it forwarded reach the operation waiting for them.
    let mut messages = futures_util::stream::poll_fn(move |cx| {
        let r = connection.poll_message(cx);
        let mut params = seen.params.lock().unwrap();
        for name in &report {
            if let Some(v) = connection.parameter(name) {
                params.insert(name.clone(), v.to_string());
            }
        }
        r
    });
    let sink = received.clone();
    let task = tokio::spawn(async move {
        use futures_util::StreamExt;
        while let Some(m) = messages.next().await {
            match m {
                Ok(AsyncMessage::Notice(n)) => sink.notices.lock().unwrap().push(n.code().code().to_string()),
                Ok(AsyncMessage::Notification(n)) => {
                    sink.notifications.lock().unwrap().push((n.channel().to_string(), n.payload().to_string(), n.process_id()));
                    sink.arrived.notify_waiters();
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        sink.closed.store(true, Ordering::SeqCst);
        sink.arrived.notify_waiters();
    });
    let s = Arc::new(Session {
        client: Mutex::new(Some(Arc::new(client))),
        connection: Mutex::new(Some(task)),
        received,
        statements: Mutex::new(HashMap::new()),
        simple,
        busy: AtomicUsize::new(0),
    });
    let given_up = helper.abandoned.lock().unwrap().remove(&id);
    if given_up {
        close(&s).await;
        return Err(op_error("connected after poolcheck had given up on this session; closed"));
    }
    helper.sessions.lock().unwrap().insert(id, s.clone());
    Ok(s)
}

/// The driver's view: no backend pid (tokio-postgres keeps BackendKeyData to itself), the
/// ParameterStatus values its Connection holds, the notices since the last reply.
fn state(s: &Session) -> Value {
    let params = s.received.params.lock().unwrap().clone();
    let notices: Vec<String> = s.received.notices.lock().unwrap().drain(..).collect();
    json!({"pid": null, "params": params, "notices": notices})
}

fn live_client(s: &Session) -> Result<Arc<Client>, OpError> {
    s.client.lock().unwrap().clone().ok_or_else(|| OpError { message: "the session is closed".into(), lost: true, code: None })
}

/// The server's error as a result; anything else is the driver's failure.
fn failure(client: &Client, e: tokio_postgres::Error) -> Result<Value, OpError> {
    match e.as_db_error() {
        Some(db) => {
            let severity = db.parsed_severity().map(|s| s.to_string()).unwrap_or_else(|| db.severity().to_string());
            Ok(json!({"rows": [], "columns": [], "error": {"code": db.code().code(), "message": db.message(), "severity": severity}}))
        }
        None => Err(OpError { message: e.to_string(), lost: client.is_closed() || lost(&e), code: None }),
    }
}

async fn query(s: &Session, req: &Value) -> Result<Value, OpError> {
    let client = live_client(s)?;
    let sql = req["sql"].as_str().unwrap_or("");
    let params: Option<Vec<TextParam>> = req["params"].as_array().map(|a| a.iter().map(|v| TextParam(v.as_str().map(String::from))).collect());
    if s.simple || (params.is_none() && req["multi"] == true) {
        return simple(&client, sql).await;
    }
    let cached = s.statements.lock().unwrap().get(sql).cloned();
    let statement = match cached {
        Some(st) => st,
        None => match client.prepare(sql).await {
            Ok(st) => {
                s.statements.lock().unwrap().insert(sql.to_string(), st.clone());
                st
            }
            Err(e) => return failure(&client, e),
        },
    };
    let values = params.unwrap_or_default();
    if statement.params().len() != values.len() {
        return Err(op_error(format!("the statement takes {} parameter(s), {} given", statement.params().len(), values.len())));
    }
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let rows = match client.query(&statement, &refs).await {
        Ok(rows) => rows,
        Err(e) => return failure(&client, e),
    };
    let columns: Vec<Value> = statement.columns().iter().map(|c| json!(c.name())).collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut values = Vec::with_capacity(row.len());
        for (i, column) in row.columns().iter().enumerate() {
            let raw: Raw = row.try_get(i).map_err(|e| op_error(e.to_string()))?;
            values.push(match raw.0 {
                None => Value::Null,
                Some(bytes) => json!(text::to_text(column.type_(), bytes).map_err(op_error)?),
            });
        }
        out.push(Value::Array(values));
    }
    Ok(json!({"rows": out, "columns": columns}))
}

/// Client::simple_query: text values; like the other drivers, the rows of the last statement
/// that returned rows (tokio-postgres 0.7.7 reports no columns for a statement without rows).
async fn simple(client: &Client, sql: &str) -> Result<Value, OpError> {
    let messages = match client.simple_query(sql).await {
        Ok(m) => m,
        Err(e) => return failure(client, e),
    };
    let (mut rows, mut columns) = (Vec::new(), Vec::new());
    let (mut current, mut current_columns): (Vec<Value>, Option<Vec<Value>>) = (Vec::new(), None);
    for m in messages {
        match m {
            SimpleQueryMessage::Row(r) => {
                if current_columns.is_none() {
                    current_columns = Some(r.columns().iter().map(|c| json!(c.name())).collect());
                }
                current.push(Value::Array((0..r.len()).map(|i| r.get(i).map_or(Value::Null, |v| json!(v))).collect()));
            }
            SimpleQueryMessage::CommandComplete(_) => {
                if let Some(c) = current_columns.take() {
                    columns = c;
                    rows = std::mem::take(&mut current);
                }
                current.clear();
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
    Ok(json!({"rows": rows, "columns": columns}))
}

fn take(s: &Session, channel: &str) -> Option<Value> {
    let mut list = s.received.notifications.lock().unwrap();
    let i = list.iter().position(|(c, _, _)| c == channel)?;
    let (c, payload, pid) = list.remove(i);
    Some(json!({"channel": c, "payload": payload, "pid": pid}))
}

async fn wait_notification(s: &Session, channel: &str, timeout_ms: u64) -> Result<Value, OpError> {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(timeout_ms);
    loop {
        let arrived = s.received.arrived.notified();
        if let Some(n) = take(s, channel) {
            return Ok(json!({"notification": n}));
        }
        if s.received.closed.load(Ordering::SeqCst) {
            return Err(OpError { message: "the connection is closed".into(), lost: true, code: None });
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Ok(json!({"notification": null}));
        }
        // Woken by a notification; the short cap covers one that came between the check and the wait.
        let _ = tokio::time::timeout((deadline - now).min(Duration::from_millis(50)), arrived).await;
    }
}

/// Dropping the last Client makes the Connection send Terminate and end. A session whose
/// operation still runs has its Connection dropped instead (the socket closes under it).
async fn close(s: &Session) {
    let client = s.client.lock().unwrap().take();
    let task = s.connection.lock().unwrap().take();
    if s.busy.load(Ordering::SeqCst) > 0 {
        if let Some(t) = task {
            t.abort();
        }
        return;
    }
    drop(client);
    if let Some(mut t) = task {
        if tokio::time::timeout(Duration::from_secs(5), &mut t).await.is_err() {
            t.abort();
        }
    }
}

/// The Connection dropped without Terminate, as a crashed client would.
fn drop_connection(s: &Session) {
    s.client.lock().unwrap().take();
    if let Some(t) = s.connection.lock().unwrap().take() {
        t.abort();
    }
}
