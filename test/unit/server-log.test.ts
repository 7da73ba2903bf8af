import { expect } from 'chai';
import { crashesIn } from '../../harness/targets/server-log.ts';

// PostgreSQL 18.6's log around a backend crash, with log_line_prefix '%m [%p] %q%u@%d ' and log_connections.
const LOG = `2026-12-06 20:43:11.768 UTC [82] [unknown]@[unknown] LOG:  connection received: host=127.0.0.1 port=43788
2026-12-06 20:43:11.797 UTC [82] poolcheck@poolcheck_2 LOG:  connection authorized: user=poolcheck database=poolcheck_2
2026-12-06 20:43:11.801 UTC [83] poolcheck@poolcheck_1 LOG:  connection authorized: user=poolcheck database=poolcheck_1
2026-12-06 20:43:11.833 UTC [1] LOG:  client backend (PID 82) was terminated by signal 11: Segmentation fault
2026-12-06 20:43:11.833 UTC [1] DETAIL:  Failed process was running: CLOSE c
2026-12-06 20:43:11.837 UTC [1] LOG:  terminating any other active server processes
2026-12-06 20:43:11.900 UTC [1] LOG:  all server processes terminated; reinitializing
`;

describe("PostgreSQL's log", () => {
  it('tells of a backend crash: its pid, signal, the database it served and the query it ran', () => {
    const [c] = crashesIn(LOG);
    expect(c).to.deep.include({ pid: 82, signal: 11, database: 'poolcheck_2', summary: 'signal 11: Segmentation fault, running: CLOSE c' });
    expect(c.lines).to.have.length(4);
    expect(c.lines[1]).to.match(/Failed process was running: CLOSE c$/);
  });

  it('reads the wording of releases before 14 too, and finds nothing in a log without a crash', () => {
    expect(crashesIn('2020-01-01 00:00:00 UTC [1] LOG:  server process (PID 7) was terminated by signal 6: Aborted')[0]).to.deep.include({
      pid: 7,
      signal: 6,
    });
    expect(crashesIn(LOG.split('\n').slice(0, 3).join('\n'))).to.deep.equal([]);
  });

  it('takes a backend killed from outside (SIGKILL, SIGTERM) for no crash: the traffic did not do it', () => {
    expect(crashesIn('2020-01-01 00:00:00 UTC [1] LOG:  client backend (PID 7) was terminated by signal 9: Killed')).to.deep.equal([]);
    expect(crashesIn('2020-01-01 00:00:00 UTC [1] LOG:  client backend (PID 7) was terminated by signal 15: Terminated')).to.deep.equal([]);
  });
});
