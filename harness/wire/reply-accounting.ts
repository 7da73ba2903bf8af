// Where PostgreSQL's reply to a message list ends. Each extended-query message earns one reply of
// its own, Sync and Query end with ReadyForQuery, and after an error in the extended protocol the
// server discards every message up to the next Sync, a Query among them, which then gets no
// ReadyForQuery of its own:
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// Counting one ReadyForQuery per Sync and Query would wait forever for that one.
import type { FrontendMessage, MessageName, ServerMessage } from './messages.ts';

/** Sent whenever the server likes; never a reply to a particular message. */
const ASYNCHRONOUS: ReadonlySet<string> = new Set(['NoticeResponse', 'ParameterStatus', 'NotificationResponse']);

/**
 * The message that ends the reply to each extended-query message. ParameterDescription comes
 * before a statement's RowDescription/NoData; an Execute of COPY FROM STDIN stops at
 * CopyInResponse until the client's CopyDone or CopyFail.
 */
const LAST_REPLY: Partial<Record<FrontendMessage['type'], readonly MessageName[]>> = {
  Parse: ['ParseComplete'],
  Bind: ['BindComplete'],
  Close: ['CloseComplete'],
  Describe: ['RowDescription', 'NoData'],
  Execute: ['CommandComplete', 'EmptyQueryResponse', 'PortalSuspended', 'CopyInResponse'],
};

/**
 * The index in `inbox` of the last message of the reply to `sent`, as PostgreSQL answers it, or
 * -1 while some of it has not arrived. Terminate is not accounted here (the reply then ends when
 * the server closes).
 */
export function replyEnd(sent: readonly FrontendMessage[], inbox: readonly ServerMessage[]): number {
  let i = 0;
  let discarding = false;
  let copyIn = false;
  /** Reads up to the first of `last`; an ErrorResponse ends it too when `errorEnds`. */
  const readUpTo = (last: readonly string[], errorEnds: boolean): 'done' | 'error' | 'pending' => {
    for (; i < inbox.length; i++) {
      const m = inbox[i];
      if (ASYNCHRONOUS.has(m.type)) continue;
      if (errorEnds && m.type === 'ErrorResponse') { i++; return 'error'; }
      if (last.includes(m.type)) { i++; return 'done'; }
    }
    return 'pending';
  };
  for (const m of sent) {
    const last = LAST_REPLY[m.type];
    if (last) {
      if (discarding) continue;
      const got = readUpTo(last, true);
      if (got === 'pending') return -1;
      if (got === 'error') discarding = true;
      copyIn = m.type === 'Execute' && got === 'done' && inbox[i - 1].type === 'CopyInResponse';
    } else if (m.type === 'Query') {
      if (discarding) continue;
      if (readUpTo(['ReadyForQuery'], false) === 'pending') return -1;
    } else if (m.type === 'Sync') {
      if (readUpTo(['ReadyForQuery'], false) === 'pending') return -1;
      discarding = false;
      copyIn = false;
    } else if ((m.type === 'CopyDone' || m.type === 'CopyFail') && copyIn && !discarding) {
      // A simple Query's COPY ends with its ReadyForQuery, read above; only the extended one is open here.
      const got = readUpTo(['CommandComplete'], true);
      if (got === 'pending') return -1;
      if (got === 'error') discarding = true;
      copyIn = false;
    }
  }
  return i - 1;
}
