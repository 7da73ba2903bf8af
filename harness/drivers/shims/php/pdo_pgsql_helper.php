<?php
// poolcheck's PDO helper: many sessions, each one PDO object of Debian's php8.2-pgsql.
//
// Run with Debian's PHP CLI: php8.2 -d display_errors=stderr pdo_pgsql_helper.php
// Protocol: ../README.md. Settings a connect may carry: emulate_prepares (PDO's default for
// pgsql is false: server-side prepares).
//
// PDO blocks while a query runs and has no asynchronous API, so this process only reads the
// requests: each session is a child process of its own (pcntl_fork), which opens the PDO
// connection and serves that session's operations in order over a socket pair. Dropping a
// session whose query still runs, or destroying one, kills its child: the kernel closes the
// socket without a Terminate message.
//
// With server-side prepares, PDO::prepare() names the statement pdo_stmt_%08x (a counter of
// the connection) and prepares it at the first execute; the statement is kept per query text
// and executed again by name (prepare once, execute many: what PDO's prepare is for), and PDO
// DEALLOCATEs it when the statement object goes. emulate_prepares makes PDO interpolate the
// parameters itself and send the query with the simple protocol.
// https://www.php.net/manual/en/pdo.prepare.php and https://www.php.net/manual/en/pdo.setattribute.php

declare(strict_types=1);

const SETTINGS = ['emulate_prepares'];
const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE;

function line(array $msg): string
{
    return json_encode($msg, JSON_FLAGS) . "\n";
}

function failure($id, string $message, bool $lost = false, ?string $code = null): array
{
    $error = ['message' => $message, 'lost' => $lost];
    if ($code !== null) {
        $error['code'] = $code;
    }
    return ['id' => $id, 'ok' => false, 'error' => $error];
}

// ---------------------------------------------------------------------------------------------
// A session's child process.

/** An operation failed in the driver, not in the database: ok: false. */
final class OpError extends Exception
{
    public function __construct(string $message, public bool $lost = false, public ?string $sqlstate = null)
    {
        parent::__construct($message);
    }
}

final class PdoSession
{
    private PDO $pdo;
    /** @var array<string, PDOStatement> the connection's statements, by query text */
    private array $statements = [];
    private array $notifications = [];
    private bool $emulate = false;

    public function __construct(array $req)
    {
        $c = $req['conn'];
        foreach (($req['settings'] ?? []) as $k => $v) {
            if (!in_array($k, SETTINGS, true)) {
                throw new OpError("unknown PDO setting $k; known: " . implode(', ', SETTINGS));
            }
            $this->emulate = (bool) $v;
        }
        if (!empty($req['startupParams'])) {
            throw new OpError('PDO (libpq) cannot send arbitrary StartupMessage parameters');
        }
        // pdo_pgsql hands the DSN to libpq with ';' turned into spaces: values are quoted as
        // libpq's connection strings want. tls: encrypted, certificate not verified; otherwise
        // plain, as for poolcheck's other drivers (libpq's default, prefer, would encrypt).
        $kv = [
            'host' => $c['host'], 'port' => (string) $c['port'], 'dbname' => $c['database'],
            'connect_timeout' => (string) max(1, (int) ceil($req['timeoutMs'] / 1000)),
            'sslmode' => $req['tls'] ? 'require' : 'disable',
        ];
        if (isset($req['applicationName'])) {
            $kv['application_name'] = $req['applicationName'];
        }
        $dsn = 'pgsql:' . implode(';', array_map(fn ($k, $v) => "$k='" . addcslashes((string) $v, "'\\") . "'", array_keys($kv), $kv));
        try {
            $this->pdo = new PDO($dsn, $c['user'], $c['password'], [
                PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                PDO::ATTR_EMULATE_PREPARES => $this->emulate,
            ]);
        } catch (PDOException $e) {
            // libpq keeps no SQLSTATE for a failed connection attempt (PDO says 08006 for all).
            throw new OpError('connect: ' . $e->getMessage(), str_contains($e->getMessage(), 'server closed the connection unexpectedly'));
        }
    }

    /** PDO's view: the backend pid libpq holds; PDO exposes no ParameterStatus and no notices. */
    public function state(): array
    {
        return ['pid' => $this->pdo->pgsqlGetPid(), 'params' => new stdClass(), 'notices' => []];
    }

    private function lost(): bool
    {
        return str_starts_with((string) $this->pdo->getAttribute(PDO::ATTR_CONNECTION_STATUS), 'Bad');
    }

    /** libpq's message: "ERROR:  text" and perhaps more lines (LINE, DETAIL). */
    private function errorResult(PDOException $e): array
    {
        $text = (string) ($e->errorInfo[2] ?? $e->getMessage());
        $severity = null;
        if (preg_match('/^(ERROR|FATAL|PANIC):  /', $text, $m)) {
            $severity = $m[1];
            $text = substr($text, strlen($m[0]));
        }
        $error = ['code' => $e->errorInfo[0] ?? (string) $e->getCode(), 'message' => explode("\n", $text)[0]];
        if ($severity !== null) {
            $error['severity'] = $severity;
        }
        return ['rows' => [], 'columns' => [], 'error' => $error];
    }

    public function query(string $sql, ?array $params, bool $multi): array
    {
        try {
            if ($params === null && $multi) {
                // Several statements go only through PQexec, which PDO uses for an emulated prepare.
                $st = $this->pdo->prepare($sql, [PDO::ATTR_EMULATE_PREPARES => true]);
            } elseif ($this->emulate) {
                $st = $this->pdo->prepare($sql);
            } else {
                $st = $this->statements[$sql] ??= $this->pdo->prepare($sql);
            }
            $bound = [];
            foreach ($params ?? [] as $i => $v) {
                // Only the names the query holds: PDO refuses a parameter it has no place for.
                $name = 'p' . ($i + 1);
                if (preg_match('/:' . $name . '(?![A-Za-z0-9_])/', $sql)) {
                    $bound[$name] = $v;
                }
            }
            try {
                $st->execute($bound ?: null);
                return $this->collect($st);
            } finally {
                $st->closeCursor();
            }
        } catch (PDOException $e) {
            if ($this->lost() && ($e->errorInfo[0] ?? '') === 'HY000') {
                throw new OpError($e->getMessage(), true);
            }
            if (!isset($e->errorInfo[0]) || !preg_match('/^[0-9A-Z]{5}$/', (string) $e->errorInfo[0]) || $e->errorInfo[0] === 'HY000' || $e->errorInfo[0] === 'HY093') {
                throw new OpError($e->getMessage(), $this->lost());
            }
            return $this->errorResult($e);
        }
    }

    /** Every value as the server's text: pdo_pgsql turns booleans, integers and bytea into PHP values. */
    private function collect(PDOStatement $st): array
    {
        $n = $st->columnCount();
        $columns = [];
        for ($i = 0; $i < $n; $i++) {
            $columns[] = $st->getColumnMeta($i)['name'];
        }
        $rows = [];
        foreach ($st->fetchAll(PDO::FETCH_NUM) as $row) {
            $rows[] = array_map(function ($v) {
                if (is_bool($v)) {
                    return $v ? 't' : 'f';
                }
                if (is_resource($v)) {
                    // bytea as a stream of its bytes; PostgreSQL's text (bytea_output hex).
                    return '\\x' . bin2hex((string) stream_get_contents($v));
                }
                return $v === null ? null : (string) $v;
            }, $row);
        }
        return ['rows' => $rows, 'columns' => $columns];
    }

    public function waitNotification(string $channel, int $timeoutMs): array
    {
        $deadline = hrtime(true) + $timeoutMs * 1_000_000;
        for (;;) {
            foreach ($this->notifications as $i => $n) {
                if ($n['channel'] === $channel) {
                    array_splice($this->notifications, $i, 1);
                    return ['notification' => $n];
                }
            }
            $left = intdiv($deadline - hrtime(true), 1_000_000);
            if ($left <= 0) {
                return ['notification' => null];
            }
            // One notification (any channel) or false at the timeout.
            $got = $this->pdo->pgsqlGetNotify(PDO::FETCH_ASSOC, $left);
            if ($got !== false) {
                $this->notifications[] = ['channel' => $got['message'], 'payload' => $got['payload'] ?? '', 'pid' => $got['pid']];
            } elseif ($this->lost()) {
                throw new OpError('no connection to the server', true);
            }
        }
    }

    /** The statements go first (PDO DEALLOCATEs each), then the connection (PQfinish: Terminate). */
    public function close(): void
    {
        $this->statements = [];
        unset($this->pdo);
    }
}

function worker($sock, array $connect): void
{
    set_error_handler(function (int $no, string $message): bool {
        throw new ErrorException($message, 0, $no);
    });
    $session = null;
    $req = $connect;
    do {
        $id = $req['id'] ?? null;
        try {
            switch ($req['op']) {
                case 'connect':
                    $session = new PdoSession($req);
                    $reply = ['id' => $id, 'ok' => true, 'result' => new stdClass(), 'state' => $session->state()];
                    break;
                case 'query':
                    $result = $session->query((string) $req['sql'], $req['params'] ?? null, (bool) ($req['multi'] ?? false));
                    $reply = ['id' => $id, 'ok' => true, 'result' => $result, 'state' => $session->state()];
                    break;
                case 'waitNotification':
                    $result = $session->waitNotification((string) $req['channel'], (int) $req['timeoutMs']);
                    $reply = ['id' => $id, 'ok' => true, 'result' => $result, 'state' => $session->state()];
                    break;
                case 'close':
                    $session->close();
                    fwrite($sock, line(['id' => $id, 'ok' => true, 'result' => new stdClass()]));
                    leave();
                default:
                    $reply = failure($id, "PDO helper has no op {$req['op']}");
            }
        } catch (OpError $e) {
            $reply = failure($id, $e->getMessage(), $e->lost, $e->sqlstate);
            if ($session !== null && !$e->lost) {
                $reply['state'] = $session->state();
            }
        } catch (Throwable $e) {
            fwrite(STDERR, $e . "\n");
            $reply = failure($id, get_class($e) . ': ' . $e->getMessage() . ' (at line ' . $e->getLine() . ')');
        }
        fwrite($sock, line($reply));
        if ($session === null) {
            leave(); // the connect failed
        }
        $next = fgets($sock);
        $req = $next === false ? null : json_decode($next, true);
    } while ($req !== null);
    // The parent is gone or done with this session: the connection ends with Terminate.
    try {
        $session?->close();
    } finally {
        leave();
    }
}

/**
 * A child's end once its connection is closed. PHP's own shutdown in a forked child cost 45 ms
 * of CPU per session here (fork, then exit(0); 26 ms of it in the kernel), against 7 ms for fork
 * and SIGKILL. Nothing is left to flush: the replies went out with fwrite on an unbuffered socket.
 */
function leave(): never
{
    posix_kill(posix_getpid(), SIGKILL);
    exit(0); // not reached
}

// ---------------------------------------------------------------------------------------------
// The process poolcheck talks to: it reads requests, answers hello and ping, and relays the
// rest to the session's child.

final class Child
{
    public string $buffer = '';
    /** @var array<int, true> ids of requests the child has not answered */
    public array $pending = [];
    public bool $closing = false;

    public function __construct(public int $pid, public $sock)
    {
    }
}

/** @var array<string, Child> */
$children = [];

function out(array $msg): void
{
    fwrite(STDOUT, line($msg));
}

/** The child is gone: what it still owed fails as a lost connection. */
function forget(string $sid, string $why): void
{
    global $children;
    $child = $children[$sid] ?? null;
    if ($child === null) {
        return;
    }
    unset($children[$sid]);
    @fclose($child->sock);
    foreach (array_keys($child->pending) as $id) {
        out(failure($id, $why, true));
    }
}

function kill(string $sid, string $why): void
{
    global $children;
    if (isset($children[$sid])) {
        posix_kill($children[$sid]->pid, SIGKILL);
        forget($sid, $why);
    }
}

function start(array $req): void
{
    global $children;
    $pair = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    $pid = pcntl_fork();
    if ($pid === -1) {
        out(failure($req['id'], 'the PDO helper could not fork'));
        return;
    }
    if ($pid === 0) {
        // The child keeps only its own socket: another session's socket held open here would
        // hide that session's end from the parent.
        fclose($pair[0]);
        foreach ($children as $other) {
            fclose($other->sock);
        }
        $children = [];
        fclose(STDIN);
        worker($pair[1], $req);
        leave();
    }
    fclose($pair[1]);
    $child = new Child($pid, $pair[0]);
    $child->pending[$req['id']] = true;
    $children[$req['session']] = $child;
    stream_set_blocking($pair[0], false);
}

/** `$text` is the request's line as it came, relayed as it is (a 16 MB query is not encoded again). */
function dispatch(array $req, string $text): void
{
    global $children;
    $id = $req['id'] ?? null;
    $op = $req['op'] ?? '';
    if ($op === 'ping') {
        out(['id' => $id, 'ok' => true, 'result' => new stdClass()]);
        return;
    }
    if ($op === 'hello') {
        out(['id' => $id, 'ok' => true, 'result' => [
            'library' => 'PDO pgsql (php8.2-pgsql on PHP ' . PHP_VERSION . ', one process per session)',
            'version' => phpversion('pdo_pgsql'),
        ]]);
        return;
    }
    if ($op === 'connect') {
        start($req);
        return;
    }
    $sid = (string) ($req['session'] ?? '');
    $child = $children[$sid] ?? null;
    if ($child === null || $child->closing) {
        out(in_array($op, ['close', 'destroy'], true) ? ['id' => $id, 'ok' => true, 'result' => new stdClass()] : failure($id, "no session $sid"));
        return;
    }
    if ($op === 'destroy' || ($op === 'close' && $child->pending)) {
        kill($sid, 'the session was closed while this operation ran');
        out(['id' => $id, 'ok' => true, 'result' => new stdClass()]);
        return;
    }
    if ($op === 'cancel') {
        out(failure($id, 'PDO has no way to cancel a running query'));
        return;
    }
    $child->closing = $op === 'close';
    $child->pending[$id] = true;
    // The socket is read without blocking; a request (16 MB of SQL) is written whole.
    stream_set_blocking($child->sock, true);
    fwrite($child->sock, $text . "\n");
    stream_set_blocking($child->sock, false);
}

function relay(string $sid): void
{
    global $children;
    $child = $children[$sid];
    $chunk = fread($child->sock, 1 << 20);
    if ($chunk === false || ($chunk === '' && feof($child->sock))) {
        forget($sid, "the session's PDO process ended");
        return;
    }
    $child->buffer .= $chunk;
    while (($nl = strpos($child->buffer, "\n")) !== false) {
        $text = substr($child->buffer, 0, $nl + 1);
        $child->buffer = substr($child->buffer, $nl + 1);
        $reply = json_decode($text, true);
        unset($child->pending[$reply['id'] ?? -1]);
        fwrite(STDOUT, $text);
    }
}

function serve(): void
{
    global $children;
    stream_set_blocking(STDIN, false);
    $input = '';
    for (;;) {
        $read = [STDIN];
        foreach ($children as $child) {
            $read[] = $child->sock;
        }
        $write = $except = null;
        if (@stream_select($read, $write, $except, 1) === false) {
            continue;
        }
        while (($pid = pcntl_waitpid(-1, $status, WNOHANG)) > 0) {
            // reaped; its socket's end tells the rest
        }
        foreach ($read as $r) {
            if ($r === STDIN) {
                $chunk = fread(STDIN, 1 << 20);
                if (($chunk === '' || $chunk === false) && feof(STDIN)) {
                    return;
                }
                $input .= $chunk;
                while (($nl = strpos($input, "\n")) !== false) {
                    $text = trim(substr($input, 0, $nl));
                    $input = substr($input, $nl + 1);
                    $req = $text === '' ? null : json_decode($text, true);
                    if (is_array($req)) {
                        dispatch($req, $text);
                    } elseif ($text !== '') {
                        fwrite(STDERR, 'helper: not a JSON line: ' . substr($text, 0, 200) . "\n");
                    }
                }
                continue;
            }
            foreach ($children as $sid => $child) {
                if ($child->sock === $r) {
                    relay((string) $sid);
                    break;
                }
            }
        }
    }
}

serve();
// stdin closed: poolcheck is done or gone. Each child closes its connection when its socket
// ends; those that do not within 2 s are killed.
foreach ($children as $child) {
    @fclose($child->sock);
}
$deadline = microtime(true) + 2;
while ($children && microtime(true) < $deadline) {
    foreach ($children as $sid => $child) {
        if (pcntl_waitpid($child->pid, $status, WNOHANG) !== 0) {
            unset($children[$sid]);
        }
    }
    usleep(20_000);
}
foreach ($children as $child) {
    posix_kill($child->pid, SIGKILL);
}
exit(0);
