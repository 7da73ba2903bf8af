# frozen_string_literal: true

# poolcheck's ruby-pg helper: many sessions, each one PG::Connection (Debian's ruby-pg).
#
# Run with Debian's interpreter: /usr/bin/ruby --disable-gems ruby_pg_helper.rb
# Protocol: ../README.md. Settings a connect may carry: prepared_statements (default true).
#
# ruby-pg itself prepares nothing; what names statements is the application. The default is
# what Rails' PostgreSQL adapter does with prepared_statements: true (its default): a query
# with parameters is prepared once per connection under a name of the connection's own
# counter (a1, a2, ...) and run with exec_prepared from then on. prepared_statements: false
# runs it with exec_params (the unnamed statement), what Rails does with that setting.
# https://guides.rubyonrails.org/configuring.html#configuring-a-postgresql-database
#
# Each request runs in a thread of its own; ruby-pg waits for the server without holding
# Ruby's lock, and a session serializes its own driver calls.
require 'json'
require 'socket'
require 'pg'

SETTINGS = %w[prepared_statements].freeze

# An operation failed in the driver (not in the database): ok: false.
class OpError < StandardError
  attr_reader :lost, :code

  def initialize(message, lost: false, code: nil)
    super(message)
    @lost = lost
    @code = code
  end
end

OUT = Mutex.new

def write(reply)
  line = begin
    JSON.generate(reply)
  rescue JSON::GeneratorError, Encoding::UndefinedConversionError => e
    JSON.generate({ id: reply[:id], ok: false, error: { message: "the helper could not encode its reply: #{e.message}", lost: false } })
  end
  OUT.synchronize do
    $stdout.write("#{line}\n")
    $stdout.flush
  end
end

# The server's text as UTF-8 for the JSON line (a LATIN1 client_encoding hands over LATIN1 text).
def utf8(value)
  return nil if value.nil?
  return value.dup.force_encoding(Encoding::UTF_8).scrub if [Encoding::UTF_8, Encoding::ASCII_8BIT].include?(value.encoding)

  value.encode(Encoding::UTF_8, invalid: :replace, undef: :replace)
end

# One client connection and what its driver received.
class Session
  attr_reader :conn

  def initialize(conn, report_params, prepared_statements)
    @conn = conn
    @report_params = report_params
    @prepared_statements = prepared_statements
    @lock = Mutex.new
    @state_lock = Mutex.new
    @notices = []
    @notifications = []
    @statements = {}
    @last = { pid: nil, params: {} }
    conn.set_notice_receiver { |r| @state_lock.synchronize { @notices << r.error_field(PG::PG_DIAG_SQLSTATE) } }
  end

  # ruby-pg's view: the pid from BackendKeyData and the ParameterStatus values libpq holds.
  # Read only by the thread holding the session (libpq's state is not for two threads).
  def state(fresh: true)
    if fresh && @conn.status == PG::CONNECTION_OK
      params = {}
      @report_params.each do |name|
        v = @conn.parameter_status(name)
        params[name] = utf8(v) unless v.nil?
      end
      @last = { pid: @conn.backend_pid, params: params }
    end
    notices = @state_lock.synchronize { @notices.slice!(0..) }
    @last.merge(notices: notices)
  end

  def lost?
    @conn.finished? || @conn.status != PG::CONNECTION_OK
  end

  def query(sql, params)
    @lock.synchronize do
      if params.nil?
        # exec's wire (simple protocol), every result kept: several statements give several.
        @conn.send_query(sql)
      elsif @prepared_statements
        @conn.send_query_prepared(statement_name(sql), params)
      else
        @conn.send_query_params(sql, params)
      end
      [collect, state]
    rescue PG::Error => e
      raise failure(e) unless server_error?(e)

      [error_result(e.result), state]
    end
  end

  # The statement cache of Rails' adapter: a name per distinct SQL text, prepared on first use.
  def statement_name(sql)
    @statements[sql] ||= begin
      name = "a#{@statements.size + 1}"
      @conn.prepare(name, sql)
      name
    end
  end

  def server_error?(err)
    err.respond_to?(:result) && err.result && err.result.error_field(PG::PG_DIAG_SQLSTATE)
  end

  def failure(err)
    OpError.new("#{err.class}: #{err.message.strip}", lost: lost?)
  end

  def error_result(res)
    {
      rows: [], columns: [],
      error: {
        code: res.error_field(PG::PG_DIAG_SQLSTATE),
        message: utf8(res.error_field(PG::PG_DIAG_MESSAGE_PRIMARY)),
        severity: res.error_field(PG::PG_DIAG_SEVERITY_NONLOCALIZED) || res.error_field(PG::PG_DIAG_SEVERITY),
      },
    }
  end

  # Like the other drivers: the rows of the last result that had columns, or the first error.
  def collect
    rows = []
    columns = []
    command = nil
    error = nil
    while (res = @conn.get_result)
      if res.result_status == PG::PGRES_FATAL_ERROR
        error ||= error_result(res)
      elsif error.nil?
        if res.nfields.positive?
          columns = res.fields.map { |f| utf8(f) }
          rows = res.values.map { |row| row.map { |v| utf8(v) } }
        end
        command = res.cmd_status
      end
      res.clear
    end
    error || { rows: rows, columns: columns, command: command }
  end

  def cancel
    why = @conn.cancel
    raise OpError, "cancel: #{why}" if why

    {}
  end

  def take(channel)
    @state_lock.synchronize do
      i = @notifications.index { |n| n[:channel] == channel }
      i && @notifications.delete_at(i)
    end
  end

  def wait_notification(channel, timeout_s)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout_s
    loop do
      n = take(channel)
      return [{ notification: n }, @lock.synchronize { state }] if n

      left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
      return [{ notification: nil }, @lock.synchronize { state }] if left <= 0

      # wait_for_notify hands over one notification (any channel) and returns; the others wait
      # in libpq. It yields no payload (nil) for an empty one.
      @lock.synchronize do
        @conn.wait_for_notify(left) do |ch, pid, payload|
          @state_lock.synchronize { @notifications << { channel: utf8(ch), payload: utf8(payload.to_s), pid: pid } }
        end
      end
    rescue PG::Error => e
      raise failure(e)
    end
  end

  # finish sends Terminate. A session whose operation still runs has its socket shut down
  # first, so that the operation ends (lost) instead of holding the close.
  def close
    if @lock.try_lock
      begin
        @conn.finish
      ensure
        @lock.unlock
      end
    else
      drop
    end
  end

  # The socket shut down under libpq: the server sees the connection end without Terminate.
  def drop
    unless @conn.finished?
      sock = BasicSocket.for_fd(@conn.socket_io.fileno)
      sock.autoclose = false
      begin
        sock.shutdown(Socket::SHUT_RDWR)
      rescue SystemCallError
        nil
      end
    end
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 2
    sleep 0.01 until @lock.try_lock || Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
    @conn.finish unless @conn.finished?
  rescue PG::Error, IOError, SystemCallError
    nil
  end
end

SESSIONS = {}
# Sessions poolcheck gave up on while their connect was still running: dropped on arrival.
ABANDONED = {}
REGISTRY = Mutex.new

def connect(req)
  c = req['conn']
  opts = {
    host: c['host'], port: c['port'], user: c['user'], password: c['password'], dbname: c['database'],
    connect_timeout: [1, (req['timeoutMs'] / 1000.0).ceil].max,
    # tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
    # drivers (libpq's own default, prefer, would encrypt whenever the server offers TLS).
    sslmode: req['tls'] ? 'require' : 'disable',
  }
  opts[:application_name] = req['applicationName'] if req['applicationName']
  raise OpError, 'ruby-pg (libpq) cannot send arbitrary StartupMessage parameters' if req['startupParams']

  prepared = true
  (req['settings'] || {}).each do |k, v|
    raise OpError, "unknown ruby-pg setting #{k}; known: #{SETTINGS.join(', ')}" unless SETTINGS.include?(k)

    prepared = v
  end
  begin
    conn = PG.connect(opts)
  rescue PG::Error => e
    REGISTRY.synchronize { ABANDONED.delete(req['session']) }
    # libpq keeps no SQLSTATE for a failed connection attempt; its words are all it says about
    # a server that closed the connection during the login.
    raise OpError.new("connect: #{e.message.strip}", lost: e.message.include?('server closed the connection unexpectedly'))
  end
  s = Session.new(conn, req['reportParams'] || [], prepared)
  given_up = REGISTRY.synchronize do
    gone = ABANDONED.delete(req['session'])
    SESSIONS[req['session']] = s unless gone
    gone
  end
  if given_up
    conn.finish
    raise OpError, 'connected after poolcheck had given up on this session; closed'
  end
  [{}, s.state]
end

def session_op(req)
  op = req['op']
  s = REGISTRY.synchronize do
    found = SESSIONS[req['session']]
    ABANDONED[req['session']] = true if found.nil? && %w[close destroy].include?(op)
    SESSIONS.delete(req['session']) if %w[close destroy].include?(op)
    found
  end
  return [{}, nil] if s.nil? && %w[close destroy].include?(op)
  raise OpError, "no session #{req['session']}" if s.nil?

  case op
  when 'query' then s.query(req['sql'], req['params'])
  when 'cancel' then [s.cancel, s.state(fresh: false)]
  when 'waitNotification' then s.wait_notification(req['channel'], req['timeoutMs'] / 1000.0)
  when 'close' then s.close.then { [{}, nil] }
  when 'destroy' then s.drop.then { [{}, nil] }
  else raise OpError, "ruby-pg helper has no op #{op}"
  end
end

def hello
  v = PG.library_version
  {
    library: "ruby-pg (ruby-pg on Ruby #{RUBY_VERSION}, libpq #{v / 10_000}.#{v % 100})",
    version: PG::VERSION,
  }
end

def handle(req)
  id = req['id']
  result, state = case req['op']
                  when 'hello' then [hello, nil]
                  when 'connect' then connect(req)
                  else session_op(req)
                  end
  reply = { id: id, ok: true, result: result }
  reply[:state] = state if state
  write(reply)
rescue OpError => e
  write({ id: id, ok: false, error: { message: e.message, lost: e.lost }.merge(e.code ? { code: e.code } : {}) })
rescue StandardError => e
  # A fault in the helper: the backtrace goes to stderr for the report.
  warn "#{e.class}: #{e.message}\n#{e.backtrace.first(8).join("\n")}"
  write({ id: id, ok: false, error: { message: "#{e.class}: #{e.message} (at #{e.backtrace.first})", lost: false } })
end

Thread.report_on_exception = false
$stdin.set_encoding(Encoding::UTF_8)
$stdin.each_line do |line|
  next if line.strip.empty?

  begin
    req = JSON.parse(line)
  rescue JSON::ParserError
    warn "helper: not a JSON line: #{line[0, 200].inspect}"
    next
  end
  # A ping is answered by the reading loop itself: it proves requests are still read.
  if req['op'] == 'ping'
    write({ id: req['id'], ok: true, result: {} })
  else
    Thread.new(req) { |r| handle(r) }
  end
end

# stdin closed: poolcheck is done or gone. Close what is open, but do not wait long.
closer = Thread.new { REGISTRY.synchronize { SESSIONS.values }.each(&:close) }
closer.join(2)
exit!(0)
