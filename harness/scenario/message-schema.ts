// The schema of a frontend message as a scenario writes it (wire/messages.ts), for the
// `messages` step kind: each message type's own fields, the one `type` names.
import type { FieldsOf, ObjectSchema, Schema } from '../kernel/schema.ts';
import type { FrontendMessage } from '../wire/messages.ts';
import { cell, format, formats, hex, int, oneOf, opt, req, text, textOrBytes } from './field-schemas.ts';

type MessageType = FrontendMessage['type'];
type MessageFields = { readonly [T in MessageType]: FieldsOf<Omit<Extract<FrontendMessage, { readonly type: T }>, 'type'>> };

/** Each frontend message's own fields (wire/messages.ts); `type` picks the message. */
const MESSAGE_FIELDS: MessageFields = {
  Query: { sql: req(text) },
  Parse: { name: opt(text), sql: req(text), types: opt({ kind: 'list', of: int(0) }) },
  Bind: { portal: opt(text), statement: opt(text), params: opt({ kind: 'list', of: cell }), paramFormats: opt(formats), resultFormats: opt(formats) },
  Describe: { kind: req(oneOf(['S', 'P'])), name: opt(text) },
  Execute: { portal: opt(text), maxRows: opt(int(0)) },
  Close: { kind: req(oneOf(['S', 'P'])), name: opt(text) },
  Flush: {},
  Sync: {},
  Terminate: {},
  CopyData: { data: req(textOrBytes) },
  CopyDone: {},
  CopyFail: { message: req(text) },
  FunctionCall: {
    function: req({ kind: 'either', of: [int(0, 0xffffffff), text], describe: "the function's oid, or its signature (lo_creat(integer))" }),
    args: opt({ kind: 'list', of: cell }),
    argFormats: opt(formats),
    resultFormat: opt(format),
  },
  RawMessage: {
    code: req({
      kind: 'string',
      check: (v) =>
        v.length === 1 && v.charCodeAt(0) < 256 ? undefined : `a message's type is one byte, one character (e.g. Q), not ${JSON.stringify(v)}`,
    }),
    payload: opt(textOrBytes),
    length: opt({ kind: 'number', integer: true, min: -0x80000000, max: 0x7fffffff }),
  },
  RawBytes: { hex: req(hex) },
};

export const FRONTEND_MESSAGE: Schema = {
  kind: 'variants',
  what: 'message',
  tag: 'type',
  variants: Object.fromEntries(
    Object.entries(MESSAGE_FIELDS).map(([type, fields]): [string, ObjectSchema] => [
      type,
      {
        kind: 'object',
        fields: { type: req({ kind: 'literal', value: type }), ...fields },
      },
    ]),
  ),
};
