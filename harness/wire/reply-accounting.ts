// Where PostgreSQL's reply to a message list ends. Each extended-query message earns one reply of
// its own, Sync, Query and FunctionCall end with ReadyForQuery, and after an error in the
// extended protocol the server discards every message up to the next Sync, a Query among them,
// which then gets no ReadyForQuery of its own:
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// Counting one ReadyForQuery per Sync and Query would wait forever for that one.
//
// COPY FROM STDIN puts the server in copy-in mode from its CopyInResponse until the client's
// CopyDone or CopyFail; in that mode it ignores Flush and Sync (libpq and pgx send them without
// knowing the command was a COPY), and outside it, CopyData, CopyDone and CopyFail:
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
// A client may send its data before the CopyInResponse arrives (pgx does): the messages are
// taken in the order sent, so data sent after the COPY's Query is the COPY's data all the same.
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

/** Ignored by the server in copy-in mode: they belong to the COPY. */
const IN_COPY: ReadonlySet<string> = new Set(['CopyData', 'Flush', 'Sync']);

/**
 * The index in `inbox` of the last message of the reply to `sent`, as PostgreSQL answers it, or
 * -1 while some of it has not arrived. Terminate is not accounted here (the reply then ends when
 * the server closes), nor are raw messages, whose meaning the sender chose.
 */
export function replyEnd(sent: readonly FrontendMessage[], inbox: readonly ServerMessage[]): number {
  let i = 0;
  let discarding = false;
  /** In copy-in mode: started by a simple Query (its reply goes on to ReadyForQuery) or by an Execute. */
  let copyIn: 'query' | 'execute' | undefined;
  /** Reads up to the first of `last`, returning which came ('error' when an ErrorResponse ended it, as `errorEnds` lets it). */
  const readUpTo = (last: readonly MessageName[], errorEnds: boolean): MessageName | 'error' | 'pending' => {
    for (; i < inbox.length; i++) {
      const m = inbox[i];
      if (ASYNCHRONOUS.has(m.type)) continue;
      if (errorEnds && m.type === 'ErrorResponse') {
        i++;
        return 'error';
      }
      if (last.includes(m.type)) {
        i++;
        return m.type;
      }
    }
    return 'pending';
  };
  /** A simple Query's reply (or FunctionCall's): up to ReadyForQuery, or a CopyInResponse on the way. */
  const readQuery = (): boolean => {
    const got = readUpTo(['ReadyForQuery', 'CopyInResponse'], false);
    copyIn = got === 'CopyInResponse' ? 'query' : undefined;
    return got !== 'pending';
  };
  for (const m of sent) {
    if (copyIn) {
      if (IN_COPY.has(m.type)) continue;
      if (m.type === 'CopyDone' || m.type === 'CopyFail') {
        if (copyIn === 'query') {
          // The rest of the Query's reply: a CopyFail's error, then ReadyForQuery (or the next COPY of the string).
          if (!readQuery()) return -1;
        } else {
          const got = readUpTo(['CommandComplete'], true);
          if (got === 'pending') return -1;
          if (got === 'error') discarding = true;
          copyIn = undefined;
        }
        continue;
      }
    }
    const last = LAST_REPLY[m.type];
    if (last) {
      if (discarding) continue;
      const got = readUpTo(last, true);
      if (got === 'pending') return -1;
      if (got === 'error') discarding = true;
      if (m.type === 'Execute' && got === 'CopyInResponse') copyIn = 'execute';
    } else if (m.type === 'Query' || m.type === 'FunctionCall') {
      if (discarding) continue;
      if (!readQuery()) return -1;
    } else if (m.type === 'Sync') {
      if (readUpTo(['ReadyForQuery'], false) === 'pending') return -1;
      discarding = false;
    }
  }
  return i - 1;
}
