// poolcheck's pgx helper: many sessions, each one *pgx.Conn (pgx v4, Debian's
// golang-github-jackc-pgx-v4-dev).
//
// Built once per source and toolchain (../../compiled-helper.ts) with GOPATH=/usr/share/gocode
// and GO111MODULE=off; the pgx version is the Debian package's, given at build time.
// Protocol: ../README.md. Settings a connect may carry: pgx's connection-string options
// prefer_simple_protocol, statement_cache_mode and statement_cache_capacity (pgx's defaults:
// false, "prepare", 512: every query becomes a named statement lrupsc_N_M, kept per connection).
//
// pgx is not safe for concurrent use, so each session serializes its driver calls; cancel
// (a CancelRequest on its own socket) and dropping the socket do not wait for them.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgconn"
	"github.com/jackc/pgx/v4"
)

// pgxVersion is set by the build (-ldflags -X main.pgxVersion=...).
var pgxVersion = "unknown"

var settingNames = map[string]bool{"prefer_simple_protocol": true, "statement_cache_mode": true, "statement_cache_capacity": true}

type connInfo struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	User     string `json:"user"`
	Password string `json:"password"`
	Database string `json:"database"`
}

type request struct {
	ID              int64                  `json:"id"`
	Op              string                 `json:"op"`
	Session         string                 `json:"session"`
	Conn            *connInfo              `json:"conn"`
	ApplicationName *string                `json:"applicationName"`
	TLS             bool                   `json:"tls"`
	StartupParams   map[string]string      `json:"startupParams"`
	TimeoutMs       int64                  `json:"timeoutMs"`
	Settings        map[string]interface{} `json:"settings"`
	ReportParams    []string               `json:"reportParams"`
	SQL             string                 `json:"sql"`
	Params          *[]*string             `json:"params"`
	Multi           bool                   `json:"multi"`
	Channel         string                 `json:"channel"`
}

// opError is a failure of the driver, not an answer of the database: ok: false.
type opError struct {
	message string
	lost    bool
	code    string
}

func (e *opError) Error() string { return e.message }

type session struct {
	// mu serializes the driver calls of the session.
	mu           sync.Mutex
	busy         int32
	conn         *pgx.Conn
	reportParams []string

	stateMu       sync.Mutex
	notices       []string
	notifications []*pgconn.Notification
	lastPid       interface{}
	lastParams    map[string]string
}

var (
	outMu    sync.Mutex
	out      = bufio.NewWriter(os.Stdout)
	sessMu   sync.Mutex
	sessions = map[string]*session{}
	// Sessions poolcheck gave up on while their connect was still running: dropped on arrival.
	abandoned = map[string]bool{}
)

func write(reply map[string]interface{}) {
	line, err := json.Marshal(reply)
	if err != nil {
		line, _ = json.Marshal(map[string]interface{}{"id": reply["id"], "ok": false, "error": map[string]interface{}{"message": "the helper could not encode its reply: " + err.Error(), "lost": false}})
	}
	outMu.Lock()
	defer outMu.Unlock()
	out.Write(line)
	out.WriteByte('\n')
	out.Flush()
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	var running sync.WaitGroup
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var req request
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				fmt.Fprintf(os.Stderr, "helper: not a JSON line: %.200q\n", line)
			} else if req.Op == "ping" {
				// Answered by the reading loop itself: it proves requests are still read.
				write(map[string]interface{}{"id": req.ID, "ok": true, "result": map[string]interface{}{}})
			} else {
				running.Add(1)
				go func() { defer running.Done(); handle(&req) }()
			}
		}
		if err != nil {
			break
		}
	}
	// stdin closed: poolcheck is done or gone. Close what is open, but do not wait long.
	done := make(chan struct{})
	go func() {
		sessMu.Lock()
		open := make([]*session, 0, len(sessions))
		for _, s := range sessions {
			open = append(open, s)
		}
		sessMu.Unlock()
		for _, s := range open {
			s.drop()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	os.Exit(0)
}

func handle(req *request) {
	var s *session
	result, err := func() (result map[string]interface{}, err error) {
		// A fault in the helper still answers the request; the stack goes to stderr for the report.
		defer func() {
			if p := recover(); p != nil {
				fmt.Fprintf(os.Stderr, "helper: panic in %s: %v\n%s\n", req.Op, p, debug.Stack())
				result, err = nil, &opError{message: fmt.Sprintf("the pgx helper failed: %v", p)}
			}
		}()
		switch req.Op {
		case "hello":
			return map[string]interface{}{"library": fmt.Sprintf("pgx v4 (golang-github-jackc-pgx-v4-dev, built with %s)", runtime.Version()), "version": pgxVersion}, nil
		case "connect":
			var err error
			s, err = connect(req)
			return map[string]interface{}{}, err
		}
		sessMu.Lock()
		s = sessions[req.Session]
		if s == nil && (req.Op == "close" || req.Op == "destroy") {
			abandoned[req.Session] = true
			sessMu.Unlock()
			return map[string]interface{}{}, nil
		}
		if req.Op == "close" || req.Op == "destroy" {
			delete(sessions, req.Session)
		}
		sessMu.Unlock()
		if s == nil {
			return nil, &opError{message: "no session " + req.Session}
		}
		switch req.Op {
		case "query":
			return s.query(req)
		case "cancel":
			return map[string]interface{}{}, s.conn.PgConn().CancelRequest(context.Background())
		case "waitNotification":
			return s.waitNotification(req.Channel, time.Duration(req.TimeoutMs)*time.Millisecond)
		case "close":
			s.close()
			return map[string]interface{}{}, nil
		case "destroy":
			s.drop()
			return map[string]interface{}{}, nil
		}
		return nil, &opError{message: "pgx helper has no op " + req.Op}
	}()
	reply := map[string]interface{}{"id": req.ID}
	if err == nil {
		reply["ok"] = true
		reply["result"] = result
	} else {
		var oe *opError
		if !errors.As(err, &oe) {
			lost := s != nil && s.conn.IsClosed()
			oe = &opError{message: err.Error(), lost: lost}
		}
		e := map[string]interface{}{"message": oe.message, "lost": oe.lost}
		if oe.code != "" {
			e["code"] = oe.code
		}
		reply["ok"] = false
		reply["error"] = e
	}
	if s != nil && req.Op != "close" && req.Op != "destroy" {
		reply["state"] = s.state()
	}
	write(reply)
}

// connString spells a connection for pgx.ParseConfig, every value quoted.
func connString(req *request) (string, error) {
	quote := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	kv := map[string]string{
		"host": req.Conn.Host, "port": fmt.Sprint(req.Conn.Port), "user": req.Conn.User, "password": req.Conn.Password, "dbname": req.Conn.Database,
		"connect_timeout": fmt.Sprint((req.TimeoutMs + 999) / 1000),
		// tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
		// drivers (pgx's own default, prefer, would encrypt whenever the server offers TLS).
		"sslmode": map[bool]string{true: "require", false: "disable"}[req.TLS],
	}
	if req.ApplicationName != nil {
		kv["application_name"] = *req.ApplicationName
	}
	for k, v := range req.Settings {
		if !settingNames[k] {
			return "", &opError{message: fmt.Sprintf("unknown pgx setting %s; known: prefer_simple_protocol, statement_cache_capacity, statement_cache_mode", k)}
		}
		kv[k] = fmt.Sprint(v)
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"='"+quote.Replace(kv[k])+"'")
	}
	return strings.Join(parts, " "), nil
}

func connect(req *request) (*session, error) {
	cs, err := connString(req)
	if err != nil {
		return nil, err
	}
	config, err := pgx.ParseConfig(cs)
	if err != nil {
		return nil, &opError{message: "connect: " + err.Error()}
	}
	// Anything else goes into the StartupMessage as it is.
	for k, v := range req.StartupParams {
		config.RuntimeParams[k] = v
	}
	s := &session{reportParams: req.ReportParams, lastParams: map[string]string{}}
	config.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		s.stateMu.Lock()
		s.notices = append(s.notices, n.Code)
		s.stateMu.Unlock()
	}
	config.OnNotification = func(_ *pgconn.PgConn, n *pgconn.Notification) {
		s.stateMu.Lock()
		s.notifications = append(s.notifications, n)
		s.stateMu.Unlock()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(req.TimeoutMs)*time.Millisecond)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, config)
	if err != nil {
		sessMu.Lock()
		delete(abandoned, req.Session)
		sessMu.Unlock()
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			return nil, &opError{message: "connect: " + err.Error(), code: pgErr.Code}
		}
		// The server closed the connection during the login (a refused TCP connection is not that).
		lost := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		return nil, &opError{message: "connect: " + err.Error(), lost: lost}
	}
	s.conn = conn
	sessMu.Lock()
	givenUp := abandoned[req.Session]
	delete(abandoned, req.Session)
	if !givenUp {
		sessions[req.Session] = s
	}
	sessMu.Unlock()
	if givenUp {
		conn.Close(context.Background())
		return nil, &opError{message: "connected after poolcheck had given up on this session; closed"}
	}
	return s, nil
}

// state is pgx's view: the pid from BackendKeyData and the ParameterStatus values it holds.
func (s *session) state() map[string]interface{} {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.conn != nil && !s.conn.IsClosed() && atomic.LoadInt32(&s.busy) == 0 {
		pc := s.conn.PgConn()
		s.lastPid = pc.PID()
		s.lastParams = parameterStatuses(pc, s.reportParams)
	}
	notices := s.notices
	if notices == nil {
		notices = []string{}
	}
	s.notices = nil
	return map[string]interface{}{"pid": s.lastPid, "params": s.lastParams, "notices": notices}
}

// parameterStatuses reads the ParameterStatus values pgconn holds. Its ParameterStatus(name)
// answers "" both for a parameter the server never reported and for one reported empty (an
// empty application_name), so the map itself is read, by reflection (the field is unexported).
func parameterStatuses(pc *pgconn.PgConn, names []string) map[string]string {
	held := reflect.ValueOf(pc).Elem().FieldByName("parameterStatuses")
	params := map[string]string{}
	for _, name := range names {
		if held.IsValid() && held.Kind() == reflect.Map {
			if v := held.MapIndex(reflect.ValueOf(name)); v.IsValid() {
				params[name] = v.String()
			}
		} else if v := pc.ParameterStatus(name); v != "" {
			params[name] = v
		}
	}
	return params
}

func text(v []byte) interface{} {
	if v == nil {
		return nil
	}
	return string(v)
}

func dbError(err error) (map[string]interface{}, bool) {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return nil, false
	}
	return map[string]interface{}{"rows": [][]interface{}{}, "columns": []string{}, "error": map[string]interface{}{"code": pgErr.Code, "message": pgErr.Message, "severity": pgErr.Severity}}, true
}

func (s *session) query(req *request) (map[string]interface{}, error) {
	s.mu.Lock()
	atomic.StoreInt32(&s.busy, 1)
	defer func() { atomic.StoreInt32(&s.busy, 0); s.mu.Unlock() }()
	ctx := context.Background()
	// Several statements, or none of pgx's parameters with the simple protocol: pgx's Exec
	// without arguments sends the SQL as it is (Query would run it through pgx's sanitizer,
	// which refuses a $1 it has no argument for, as in SQL PREPARE ... AS SELECT $1, and any
	// session whose client_encoding or standard_conforming_strings is not its default).
	if req.Params == nil && (req.Multi || s.conn.Config().PreferSimpleProtocol) {
		return s.script(ctx, req.SQL)
	}
	// Every column in text: the server's own text, whatever pgx would decode in binary. The
	// statement is prepared (and cached) exactly as without this option.
	args := []interface{}{pgx.QueryResultFormatsByOID{}}
	if req.Params != nil {
		for _, p := range *req.Params {
			if p == nil {
				args = append(args, nil)
			} else {
				args = append(args, *p)
			}
		}
	}
	rows, err := s.conn.Query(ctx, req.SQL, args...)
	if err != nil {
		rows.Close()
		return s.failure(err)
	}
	columns := []string{}
	for _, f := range rows.FieldDescriptions() {
		columns = append(columns, string(f.Name))
	}
	data := [][]interface{}{}
	for rows.Next() {
		row := []interface{}{}
		for _, v := range rows.RawValues() {
			row = append(row, text(v))
		}
		data = append(data, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.failure(err)
	}
	return map[string]interface{}{"rows": data, "columns": columns, "command": rows.CommandTag().String()}, nil
}

// failure is the server's error as a result, or the driver's failure.
func (s *session) failure(err error) (map[string]interface{}, error) {
	if r, ok := dbError(err); ok {
		return r, nil
	}
	return nil, &opError{message: err.Error(), lost: s.conn.IsClosed()}
}

// script runs several statements with the simple protocol (pgx's Exec without arguments does
// the same); the rows are those of the last result that had columns, as for the other drivers.
func (s *session) script(ctx context.Context, sql string) (map[string]interface{}, error) {
	results, err := s.conn.PgConn().Exec(ctx, sql).ReadAll()
	columns := []string{}
	data := [][]interface{}{}
	command := ""
	for _, r := range results {
		if r.Err != nil {
			err = r.Err
			break
		}
		if r.FieldDescriptions != nil {
			columns = []string{}
			for _, f := range r.FieldDescriptions {
				columns = append(columns, string(f.Name))
			}
			data = [][]interface{}{}
			for _, row := range r.Rows {
				out := []interface{}{}
				for _, v := range row {
					out = append(out, text(v))
				}
				data = append(data, out)
			}
		}
		command = r.CommandTag.String()
	}
	if err != nil {
		return s.failure(err)
	}
	return map[string]interface{}{"rows": data, "columns": columns, "command": command}, nil
}

func (s *session) take(channel string) map[string]interface{} {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	for i, n := range s.notifications {
		if n.Channel == channel {
			s.notifications = append(s.notifications[:i], s.notifications[i+1:]...)
			return map[string]interface{}{"channel": n.Channel, "payload": n.Payload, "pid": n.PID}
		}
	}
	return nil
}

func (s *session) waitNotification(channel string, timeout time.Duration) (map[string]interface{}, error) {
	deadline := time.Now().Add(timeout)
	for {
		if n := s.take(channel); n != nil {
			return map[string]interface{}{"notification": n}, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			return map[string]interface{}{"notification": nil}, nil
		}
		// pgconn reads until a notification arrives (OnNotification keeps every one); a
		// deadline that strikes while it waits leaves the connection usable.
		s.mu.Lock()
		ctx, cancel := context.WithTimeout(context.Background(), left)
		_, err := s.conn.WaitForNotification(ctx)
		cancel()
		s.mu.Unlock()
		if err != nil && ctx.Err() == nil {
			return nil, &opError{message: err.Error(), lost: s.conn.IsClosed()}
		}
	}
}

// close is pgx's normal close (Terminate), unless an operation still runs: then the socket is
// dropped under it, as Close would wait for a query that may never end.
func (s *session) close() {
	if !s.mu.TryLock() {
		s.drop()
		return
	}
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.conn.Close(ctx)
}

// drop closes the socket without a Terminate message, as a crashed client would.
func (s *session) drop() {
	s.conn.PgConn().Conn().Close()
}
