// pgjdbc (Debian's libpostgresql-jdbc-java) on Debian's JRE: https://jdbc.postgresql.org/documentation/
// A PreparedStatement executed prepareThreshold times (default 5) on a connection switches to
// a named server-side statement (S_1, S_2, ... per connection); prepareThreshold=0 never does,
// the setting pgbouncer's documentation names for transaction pooling:
// https://jdbc.postgresql.org/documentation/server-prepare/ and https://www.pgbouncer.org/faq.html
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import path from 'node:path';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import { javaBinary, requireFile, SHIMS_DIR } from './shim-path.ts';
import type { Capability } from './session.ts';

const JAR = '/usr/share/java/postgresql.jar';

const helper = new SharedHelper(
  () => ({
    name: 'pgjdbc helper (Debian JRE with libpostgresql-jdbc-java)',
    command: javaBinary(),
    // Java compiles the one source file in memory at start (about 2 s, once per run); the serial
    // collector suits a helper whose work is mostly waiting on sockets.
    args: [
      '-XX:+UseSerialGC',
      '-Xshare:auto',
      '-cp',
      requireFile(JAR, 'apt-get install libpostgresql-jdbc-java default-jre-headless'),
      path.join(SHIMS_DIR, 'java', 'PgjdbcHelper.java'),
    ],
  }),
  TIMEOUT_MS.javaHelperStart,
);

/** pgjdbc's default prepareThreshold. */
const PREPARE_THRESHOLD = 5;

// Not startupApplicationName: pgjdbc sends SET application_name after connecting unless told
// the server is 9.0 or newer (assumeMinServerVersion). Not anyClientEncoding: it closes the
// connection when client_encoding leaves UTF8.
const common: Capability[] = ['cancel', 'backendPid', 'parameterStatus', 'notifications', 'notificationPid', 'notices', 'tls', 'loginErrorCode'];
const notes =
  "Statement.execute without params, PreparedStatement with them (untyped, Types.OTHER); extended protocol always; binaryTransfer=false so getString is the server's text";

export const pgjdbcDriver = helperDriver({
  id: 'pgjdbc',
  loginMs: 30,
  helper,
  library: 'pgjdbc',
  debianPackage: 'libpostgresql-jdbc-java',
  placeholders: 'jdbc',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; prepareThreshold 5 (default): from the 5th execution of a PreparedStatement a named statement S_n`,
});

export const pgjdbcPoolerSafeDriver = helperDriver({
  id: 'pgjdbc:pooler-safe',
  loginMs: 30,
  helper,
  library: 'pgjdbc',
  debianPackage: 'libpostgresql-jdbc-java',
  placeholders: 'jdbc',
  settings: { prepareThreshold: 0 },
  capabilities: common,
  notes: `${notes}; prepareThreshold=0: the unnamed statement always`,
  sameWireAs: { base: 'pgjdbc', executions: PREPARE_THRESHOLD },
  poolerSafe: { setting: 'prepareThreshold=0', docs: 'https://jdbc.postgresql.org/documentation/server-prepare/' },
});
