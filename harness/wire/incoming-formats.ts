// Which values now arriving are binary. Nothing in a DataRow says so: the client chose, in the
// Bind of the portal being executed (result format codes), and RowDescription repeats the choice
// where one is sent (a Describe of the portal, every simple Query, a FETCH from a BINARY
// cursor). A FunctionCall names its result's format, and CopyOutResponse the format of a COPY's
// data. https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES
// The replies come in the order the requests were sent, so the requests that produce values are
// queued as they are sent and taken off as their replies end; after an error the server skips
// every extended-query message up to Sync (protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).
import type { Format } from './bytes.ts';
import type { Formats } from './backend-codec.ts';
import type { FrontendMessage, ServerMessage } from './messages.ts';

type Request =
  | { readonly kind: 'Execute'; readonly formats: readonly Format[] }
  | { readonly kind: 'FunctionCall'; readonly format: Format }
  /** A simple Query and Sync end with ReadyForQuery; a Query's rows always come with a RowDescription. */
  | { readonly kind: 'Query' | 'Sync' };

/** The format of column i, for result format codes as Bind writes them: none (text), one for all, or one each. */
const columnFormat = (codes: readonly Format[], i: number): Format => (codes.length === 1 ? codes[0] : (codes[i] ?? 'text'));

export class IncomingFormats implements Formats {
  /** The result formats each portal was bound with, by portal name. */
  private readonly portals = new Map<string, readonly Format[]>();
  private readonly requests: Request[] = [];
  /** The formats of the last RowDescription, for the rows of the command it describes. */
  private described: readonly Format[] | undefined;
  /**
   * A Describe of a statement answers ParameterDescription, then a RowDescription whose format
   * codes are all zero: the formats are not chosen before Bind. It says nothing of the rows.
   */
  private describingStatement = false;
  private copyOut: Format | undefined;

  sent(m: FrontendMessage): void {
    switch (m.type) {
      case 'Bind':
        this.portals.set(m.portal ?? '', m.resultFormats ?? []);
        break;
      case 'Close':
        if (m.kind === 'P') this.portals.delete(m.name ?? '');
        break;
      case 'Execute':
        this.requests.push({ kind: 'Execute', formats: this.portals.get(m.portal ?? '') ?? [] });
        break;
      case 'FunctionCall':
        this.requests.push({ kind: 'FunctionCall', format: m.resultFormat ?? 'text' });
        break;
      case 'Query':
      case 'Sync':
        this.requests.push({ kind: m.type });
        break;
      default:
        break;
    }
  }

  received(m: ServerMessage): void {
    switch (m.type) {
      case 'ParameterDescription':
        this.describingStatement = true;
        break;
      case 'RowDescription':
        if (!this.describingStatement) this.described = m.formats ?? [];
        this.describingStatement = false;
        break;
      case 'NoData':
        this.describingStatement = false;
        break;
      case 'CopyOutResponse':
      case 'CopyBothResponse':
        this.copyOut = m.binary ? 'binary' : 'text';
        break;
      case 'CopyDone':
        this.copyOut = undefined;
        break;
      case 'CommandComplete':
      case 'PortalSuspended':
      case 'EmptyQueryResponse':
        this.described = undefined;
        this.copyOut = undefined;
        if (this.requests[0]?.kind === 'Execute') this.requests.shift();
        break;
      case 'ErrorResponse':
        this.described = undefined;
        this.copyOut = undefined;
        // Skipped up to Sync: the Executes queued before it get no reply.
        if (this.requests[0]?.kind === 'Execute') this.dropUpToSync();
        break;
      case 'ReadyForQuery': {
        const end = this.requests.findIndex((r) => r.kind !== 'Execute');
        this.requests.splice(0, end < 0 ? this.requests.length : end + 1);
        this.described = undefined;
        break;
      }
      default:
        break;
    }
  }

  private dropUpToSync(): void {
    const sync = this.requests.findIndex((r) => r.kind === 'Sync');
    this.requests.splice(0, sync < 0 ? this.requests.length : sync);
  }

  column(i: number): Format {
    if (this.described) return this.described[i] ?? 'text';
    const head = this.requests[0];
    return head?.kind === 'Execute' ? columnFormat(head.formats, i) : 'text';
  }

  copyData(): Format {
    return this.copyOut ?? 'text';
  }

  functionResult(): Format {
    const head = this.requests[0];
    return head?.kind === 'FunctionCall' ? head.format : 'text';
  }
}
