// A step in words as its scenario writes it ({{seq}}, {{$v}} and {{repeat:x:N}} left as they
// are), for a reader comparing the words with the case file.
import type { Step } from '../scenario/model.ts';
import { kindOf } from '../scenario/step-kinds.ts';
import { Templates } from '../scenario/templates.ts';

/** Templates that expand nothing. */
class AsWritten extends Templates {
  constructor() {
    super('', new Map());
  }
  override expand(text: string): string {
    return text;
  }
}

export const stepText = (st: Step): string => st.label ?? kindOf(st).describe(st, new AsWritten());
