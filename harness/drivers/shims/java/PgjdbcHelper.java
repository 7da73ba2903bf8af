// poolcheck's pgjdbc helper: many sessions, each one java.sql.Connection from pgjdbc.
//
// Run with Debian's JRE and jar (no build step; Java compiles a single source file in memory):
//   java -cp /usr/share/java/postgresql.jar PgjdbcHelper.java
// Protocol: ../README.md. Settings a connect may carry: prepareThreshold (pgjdbc's default is 5;
// 0 never uses named statements).
//
// Two choices differ from a bare DriverManager.getConnection, both so that values and
// parameters mean what they mean for the other drivers:
// - binaryTransfer=false: pgjdbc asks for some types in binary once a statement is named, and
//   getString() then prints them its own way (a double as 100.0). In text, getString() is the
//   server's text. Statement naming does not depend on it.
// - parameters are bound with setObject(i, value, Types.OTHER), which sends them untyped (oid
//   0) for the server to infer, as psql's $n, node-postgres and libpq do; setString would type
//   them varchar.
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.util.DriverInfo;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public final class PgjdbcHelper {
  private static final Set<String> SETTINGS = Set.of("prepareThreshold");
  private static final Map<String, JdbcSession> sessions = new ConcurrentHashMap<>();
  /** Sessions poolcheck gave up on while their connect was still running: dropped on arrival. */
  private static final Set<String> abandoned = ConcurrentHashMap.newKeySet();
  private static final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "request");
    t.setDaemon(true);
    return t;
  });
  private static PrintStream protocolOut;

  public static void main(String[] args) throws Exception {
    // Only replies go to stdout; anything a library prints goes to stderr.
    protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      Map<String, Object> req;
      try {
        req = Json.object(Json.parse(line));
      } catch (RuntimeException e) {
        System.err.println("helper: not a JSON object line: " + e.getMessage());
        continue;
      }
      // A ping is answered by the reading thread itself: it proves requests are still read.
      if ("ping".equals(req.get("op"))) {
        write(reply(req.get("id"), new LinkedHashMap<>(), null));
        continue;
      }
      workers.execute(() -> handle(req));
    }
    // stdin closed: poolcheck is done or gone. Close what is open, but do not wait long.
    Thread closer = new Thread(() -> sessions.values().forEach(s -> {
      try { s.conn.close(); } catch (SQLException e) { /* exiting anyway */ }
    }));
    closer.setDaemon(true);
    closer.start();
    closer.join(2000);
    System.exit(0);
  }

  private static synchronized void write(Map<String, Object> msg) {
    protocolOut.print(Json.write(msg));
    protocolOut.print('\n');
    protocolOut.flush();
  }

  private static Map<String, Object> reply(Object id, Map<String, Object> result, Map<String, Object> state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("ok", true);
    m.put("result", result);
    if (state != null) m.put("state", state);
    return m;
  }

  /** An operation failed in the driver, not in the database: ok: false. */
  static final class OpError extends Exception {
    final boolean lost;
    final String code;

    OpError(String message, boolean lost) {
      this(message, lost, null);
    }

    OpError(String message, boolean lost, String code) {
      super(message);
      this.lost = lost;
      this.code = code;
    }
  }

  private static void handle(Map<String, Object> req) {
    Object id = req.get("id");
    String op = String.valueOf(req.get("op"));
    JdbcSession s = null;
    try {
      if (op.equals("hello")) {
        warmUp();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("library", "pgjdbc (libpostgresql-jdbc-java on Java " + System.getProperty("java.version") + ")");
        r.put("version", DriverInfo.DRIVER_VERSION);
        write(reply(id, r, null));
        return;
      }
      String sid = String.valueOf(req.get("session"));
      if (op.equals("connect")) {
        try {
          s = connect(req);
        } catch (OpError e) {
          abandoned.remove(sid);
          throw e;
        }
        boolean givenUp;
        synchronized (abandoned) {
          givenUp = abandoned.remove(sid);
          if (!givenUp) sessions.put(sid, s);
        }
        if (givenUp) {
          s.conn.close();
          throw new OpError("connected after poolcheck had given up on this session; closed", false);
        }
        write(reply(id, new LinkedHashMap<>(), s.state()));
        return;
      }
      if (op.equals("close") || op.equals("destroy")) {
        synchronized (abandoned) {
          s = sessions.get(sid);
          if (s == null) abandoned.add(sid);
        }
        if (s == null) {
          write(reply(id, new LinkedHashMap<>(), null));
          return;
        }
      }
      s = sessions.get(sid);
      if (s == null) throw new OpError("no session " + sid, false);
      Map<String, Object> result;
      switch (op) {
        case "query": result = s.query(String.valueOf(req.get("sql")), Json.list(req.get("params"))); break;
        case "cancel": result = s.cancel(); break;
        case "waitNotification": result = s.waitNotification(String.valueOf(req.get("channel")), ((Number) req.get("timeoutMs")).longValue()); break;
        case "close":
          sessions.remove(sid);
          // A query still running would hold close() until it ends: drop the socket instead.
          if (s.busy()) s.conn.abort(Runnable::run); else s.conn.close();
          result = new LinkedHashMap<>();
          break;
        // abort() closes the socket without sending Terminate, as a crashed client would.
        case "destroy": sessions.remove(sid); s.conn.abort(Runnable::run); result = new LinkedHashMap<>(); break;
        default: throw new OpError("pgjdbc helper has no op " + op, false);
      }
      write(reply(id, result, op.equals("close") || op.equals("destroy") ? null : s.state()));
    } catch (OpError e) {
      write(failure(id, e.getMessage(), e.lost, e.code, s));
    } catch (SQLException e) {
      write(failure(id, e.getMessage(), s != null && s.isLost(e), null, s));
    } catch (Throwable t) {
      t.printStackTrace();
      write(failure(id, t.getClass().getSimpleName() + ": " + t.getMessage(), false, null, s));
    }
  }

  /**
   * Loads the driver and the JDK's TLS and SCRAM (PBKDF2) machinery before the first session,
   * so their one-time cost (seconds on a busy machine) counts against the helper's start, not
   * against the first connect's deadline.
   */
  private static void warmUp() throws Exception {
    Class.forName("org.postgresql.Driver");
    javax.net.ssl.SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
    javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new javax.crypto.spec.PBEKeySpec("warm".toCharArray(), new byte[16], 4096, 256));
  }

  private static Map<String, Object> failure(Object id, String message, boolean lost, String code, JdbcSession s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("ok", false);
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("message", message == null ? "no message" : message);
    err.put("lost", lost);
    if (code != null) err.put("code", code);
    m.put("error", err);
    if (s != null) m.put("state", s.state());
    return m;
  }

  private static JdbcSession connect(Map<String, Object> req) throws SQLException, OpError {
    Map<String, Object> c = Json.object(req.get("conn"));
    Properties p = new Properties();
    p.setProperty("user", String.valueOf(c.get("user")));
    p.setProperty("password", String.valueOf(c.get("password")));
    long timeoutMs = ((Number) req.get("timeoutMs")).longValue();
    p.setProperty("connectTimeout", String.valueOf(Math.max(1, (timeoutMs + 999) / 1000)));
    p.setProperty("binaryTransfer", "false");
    Object app = req.get("applicationName");
    if (app != null) p.setProperty("ApplicationName", String.valueOf(app));
    // tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
    // drivers (pgjdbc's own default, prefer, would encrypt whenever the server offers TLS).
    p.setProperty("sslmode", Boolean.TRUE.equals(req.get("tls")) ? "require" : "disable");
    if (req.get("startupParams") != null) throw new OpError("pgjdbc cannot send arbitrary StartupMessage parameters", false);
    Map<String, Object> settings = req.get("settings") == null ? Map.of() : Json.object(req.get("settings"));
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      if (!SETTINGS.contains(e.getKey())) throw new OpError("unknown pgjdbc setting " + e.getKey() + "; known: " + SETTINGS, false);
      Object v = e.getValue();
      p.setProperty(e.getKey(), v instanceof Number ? String.valueOf(((Number) v).longValue()) : String.valueOf(v));
    }
    String host = String.valueOf(c.get("host"));
    // An IPv6 address goes in brackets in a JDBC URL (jdbc:postgresql://[::1]:5432/db).
    String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ((Number) c.get("port")).longValue() + "/" + java.net.URLEncoder.encode(String.valueOf(c.get("database")), StandardCharsets.UTF_8);
    Connection conn;
    try {
      conn = DriverManager.getConnection(url, p);
    } catch (SQLException e) {
      // A refused login carries the server's SQLSTATE (28P01, 3D000, ...); a server that closed
      // the connection during the login is 08006 with the I/O failure as its cause.
      boolean lost = !JdbcSession.fromServer(e) && "08006".equals(e.getSQLState()) && e.getCause() instanceof java.io.IOException;
      throw new OpError("connect: " + e.getMessage(), lost, JdbcSession.fromServer(e) ? e.getSQLState() : null);
    }
    return new JdbcSession(conn);
  }

  static final class JdbcSession {
    final Connection conn;
    final PGConnection pg;
    private final List<PGNotification> notifications = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private volatile Statement current;
    private Map<String, Object> lastState = new LinkedHashMap<>();

    JdbcSession(Connection conn) throws SQLException {
      this.conn = conn;
      this.pg = conn.unwrap(PGConnection.class);
    }

    /** pgjdbc's view: the pid from BackendKeyData and every ParameterStatus it received. */
    synchronized Map<String, Object> state() {
      try {
        if (!conn.isClosed()) {
          Map<String, Object> st = new LinkedHashMap<>();
          st.put("pid", pg.getBackendPID());
          st.put("params", new LinkedHashMap<String, Object>(pg.getParameterStatuses()));
          lastState = st;
        }
      } catch (SQLException | RuntimeException e) {
        // closed meanwhile, or a query thread updating the map while it is copied: what it held last
      }
      Map<String, Object> st = new LinkedHashMap<>(lastState);
      synchronized (notices) {
        st.put("notices", new ArrayList<Object>(notices));
        notices.clear();
      }
      return st;
    }

    boolean busy() {
      return current != null;
    }

    boolean isLost(SQLException e) {
      try {
        // pgjdbc reports a broken socket as an 08xxx state it made up itself.
        return conn.isClosed() || (e.getSQLState() != null && e.getSQLState().startsWith("08") && !fromServer(e));
      } catch (SQLException x) {
        return true;
      }
    }

    static boolean fromServer(SQLException e) {
      return e instanceof PSQLException && ((PSQLException) e).getServerErrorMessage() != null;
    }

    Map<String, Object> query(String sql, List<Object> params) throws SQLException {
      Statement st = null;
      try {
        boolean isResultSet;
        if (params == null) {
          // Statement.execute: pgjdbc still uses the extended protocol, with the unnamed
          // statement (a one-shot query never counts towards prepareThreshold).
          st = conn.createStatement();
          current = st;
          isResultSet = st.execute(sql);
        } else {
          PreparedStatement ps = conn.prepareStatement(sql);
          st = ps;
          for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v == null) ps.setNull(i + 1, Types.OTHER);
            else ps.setObject(i + 1, String.valueOf(v), Types.OTHER);
          }
          current = ps;
          isResultSet = ps.execute();
        }
        return collect(st, isResultSet);
      } catch (SQLException e) {
        if (!fromServer(e)) throw e;
        ServerErrorMessage m = ((PSQLException) e).getServerErrorMessage();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rows", List.of());
        r.put("columns", List.of());
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", e.getSQLState());
        if (m.getSeverity() != null) err.put("severity", m.getSeverity());
        err.put("message", m.getMessage());
        r.put("error", err);
        return r;
      } finally {
        current = null;
        // Notices arriving with no statement running are kept on the connection.
        try {
          if (st != null) takeWarnings(st.getWarnings());
          takeWarnings(conn.getWarnings());
          conn.clearWarnings();
        } catch (SQLException e) { /* closed */ }
        if (st != null) {
          try { st.close(); } catch (SQLException e) { /* the result is what matters */ }
        }
      }
    }

    /** pgjdbc hands NoticeResponses over as SQLWarnings, SQLSTATE included. */
    private void takeWarnings(java.sql.SQLWarning w) {
      synchronized (notices) {
        for (; w != null; w = w.getNextWarning()) notices.add(w.getSQLState());
      }
    }

    /** Like the other drivers: the rows of the last result that had columns. */
    private static Map<String, Object> collect(Statement st, boolean isResultSet) throws SQLException {
      List<Object> rows = new ArrayList<>();
      List<Object> columns = new ArrayList<>();
      for (;;) {
        if (isResultSet) {
          try (ResultSet rs = st.getResultSet()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            columns = new ArrayList<>();
            rows = new ArrayList<>();
            for (int i = 1; i <= n; i++) columns.add(md.getColumnLabel(i));
            while (rs.next()) {
              List<Object> row = new ArrayList<>();
              for (int i = 1; i <= n; i++) row.add(rs.getString(i));
              rows.add(row);
            }
          }
        } else if (st.getUpdateCount() == -1) {
          break;
        }
        isResultSet = st.getMoreResults();
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rows", rows);
      r.put("columns", columns);
      return r;
    }

    Map<String, Object> cancel() throws SQLException, OpError {
      Statement st = current;
      if (st == null) throw new OpError("no query in flight to cancel", false);
      // Statement.cancel sends a CancelRequest with the key from this connection's BackendKeyData.
      st.cancel();
      return new LinkedHashMap<>();
    }

    Map<String, Object> waitNotification(String channel, long timeoutMs) throws SQLException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      for (;;) {
        synchronized (notifications) {
          for (int i = 0; i < notifications.size(); i++) {
            PGNotification n = notifications.get(i);
            if (n.getName().equals(channel)) {
              notifications.remove(i);
              Map<String, Object> note = new LinkedHashMap<>();
              note.put("channel", n.getName());
              note.put("payload", n.getParameter());
              note.put("pid", n.getPID());
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("notification", note);
              return r;
            }
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("notification", null);
          return r;
        }
        // Waits on the socket up to `left` ms (0 would mean forever).
        PGNotification[] got = pg.getNotifications((int) Math.max(1, left));
        if (got != null) {
          synchronized (notifications) {
            notifications.addAll(List.of(got));
          }
        }
      }
    }
  }

  /** Just enough JSON for the protocol: objects, arrays, strings, numbers, booleans, null. */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Object parse(String text) {
      Json p = new Json(text);
      Object v = p.value();
      p.space();
      if (p.i != text.length()) throw new IllegalArgumentException("trailing characters at " + p.i);
      return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v) {
      if (!(v instanceof Map)) throw new IllegalArgumentException("expected an object");
      return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v) {
      if (v == null) return null;
      if (!(v instanceof List)) throw new IllegalArgumentException("expected an array");
      return (List<Object>) v;
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Object value() {
      space();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (s.charAt(i) == '}') { i++; return m; }
        for (;;) {
          space();
          String k = string();
          space();
          expect(':');
          m.put(k, value());
          space();
          if (s.charAt(i) == ',') { i++; continue; }
          expect('}');
          return m;
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        space();
        if (s.charAt(i) == ']') { i++; return l; }
        for (;;) {
          l.add(value());
          space();
          if (s.charAt(i) == ',') { i++; continue; }
          expect(']');
          return l;
        }
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String num = s.substring(start, i);
      if (num.isEmpty()) throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
      if (num.matches("-?\\d+")) return Long.parseLong(num);
      return Double.parseDouble(num);
    }

    private void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
      i++;
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (;;) {
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c != '\\') { b.append(c); continue; }
        char e = s.charAt(i++);
        switch (e) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
          default: b.append(e);
        }
      }
    }

    static String write(Object v) {
      StringBuilder b = new StringBuilder();
      write(b, v);
      return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
      if (v == null) { b.append("null"); return; }
      if (v instanceof Boolean || v instanceof Integer || v instanceof Long) { b.append(v); return; }
      if (v instanceof Number) { b.append(v); return; }
      if (v instanceof Map) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          if (!first) b.append(',');
          first = false;
          quote(b, String.valueOf(e.getKey()));
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
        return;
      }
      if (v instanceof List) {
        b.append('[');
        boolean first = true;
        for (Object x : (List<?>) v) {
          if (!first) b.append(',');
          first = false;
          write(b, x);
        }
        b.append(']');
        return;
      }
      quote(b, String.valueOf(v));
    }

    private static void quote(StringBuilder b, String s) {
      b.append('"');
      for (int k = 0; k < s.length(); k++) {
        char c = s.charAt(k);
        switch (c) {
          case '"': b.append("\\\""); break;
          case '\\': b.append("\\\\"); break;
          case '\n': b.append("\\n"); break;
          case '\r': b.append("\\r"); break;
          case '\t': b.append("\\t"); break;
          default:
            if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
      }
      b.append('"');
    }
  }
}
