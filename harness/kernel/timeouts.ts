// Every deadline poolcheck sets for itself, by name, in milliseconds. A scenario step's own
// deadline is `step` (--step-timeout) unless the step names one.
export const TIMEOUT_MS = {
  /** PostgreSQL's log telling of a restart the observer saw (a container's log is streamed to its file). */
  crashLog: 3_000,
  /** A scenario step, and a session's connect (--step-timeout). */
  step: 5000,
  /**
   * A wait for something PostgreSQL makes happen at once (a notification arriving, a crashed
   * client's lock released). Generous, so a loaded machine is never taken for a diverging
   * pooler: only a pooler that diverges ever waits it out.
   */
  eventually: 2000,
  /** poolcheck's own connections (lane control, admin console, version probe): connect, and each query. */
  control: 5000,
  /** A scenario's session closed at the scenario's end, before it is dropped. */
  sessionClose: 2000,
  /** A driver's own orderly end (pg's end(), postgres.js's end()). */
  driverEnd: 5000,
  /** A pooler dropping the lane's server connections after their backends were ended. */
  poolerReset: 5000,
  /** PostgreSQL and the pooler serving again after a fault of the infrastructure (a restart, a pooler that stopped). */
  recovery: 60_000,
  /** The lane empty of the previous scenario's backends. */
  quiesce: 10_000,
  /** One connection attempt while a server starts. */
  readyProbe: 2000,
  /** A server started as a child process accepting its first client. */
  localReady: 30_000,
  /** A server in a container (the engine may be slow to start it). */
  containerReady: 60_000,
  /** A server poolcheck did not start (--provider external). */
  externalReady: 15_000,
  /** The one login poolcheck tries on each external URL before a run (a pooler may open a server first). */
  externalProbe: 5000,
  /** A server asked to stop, before it is killed. */
  processStop: 5000,
  /** Containers still being created when the run stops. */
  containerSettle: 15_000,
  /** The engine removing a run's containers. */
  containerRemove: 60_000,
  /** `<binary> --version`, `pg_config --version`. */
  versionProbe: 10_000,
  /** `docker run <image> --version`: the engine creates a container first. */
  imageProbe: 60_000,
  /** The 'exit' handler's last resort (`docker rm --force`), when nothing asynchronous runs any more. */
  exitCleanup: 10_000,
  /** initdb and other one-off server commands. */
  serverCommand: 120_000,
  /** A Python driver helper answering its first ping (imports). */
  pythonHelperStart: 20_000,
  /** The Java driver helper answering its first ping (a JVM compiles for seconds). */
  javaHelperStart: 60_000,
  /** A helper of another language answering its first ping (Ruby, PHP, or a built binary). */
  helperStart: 20_000,
  /** Building a compiled helper (Go, Rust) the first time: Rust compiles tokio and its crates, minutes on a busy machine. */
  helperBuild: 900_000,
  /** A helper answering a ping after a request missed its deadline. */
  helperPing: 3000,
  /** Extra time a helper gets beyond the driver's own wait (a notification wait, a close). */
  helperSlack: 2000,
  /** A helper closing after its stdin closed, before it is killed. */
  helperStop: 2000,
  /** A Debian package check (`python3 -c 'import psycopg'`). */
  packageCheck: 20_000,
  /**
   * A scenario module (a suite file, a case folder's .ts) to finish loading: tsx compiles it in
   * well under a second; one that takes this long waits on something that never comes.
   */
  moduleLoad: 30_000,
} as const;
