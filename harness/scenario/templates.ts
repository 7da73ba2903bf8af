/**
 * Expands {{name}} to an object name unique to one run of one scenario, and {{$v}} to a saved
 * value. Object names are lower-case identifiers that need no quoting.
 */
export class Templates {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    private readonly saved: ReadonlyMap<string, string>,
  ) {}

  expand(text: string): string {
    return text
      .replace(/\{\{repeat:([^:}]*):(\d+)\}\}/g, (_, chunk: string, n: string) => chunk.repeat(Number(n)))
      .replace(/\{\{(\$?)([a-zA-Z_]\w*)\}\}/g, (_, dollar: string, name: string) => {
        if (dollar) {
          const v = this.saved.get(name);
          if (v === undefined) throw new Error(`{{$${name}}} was never saved`);
          return v;
        }
        if (!this.names.has(name)) this.names.set(name, `${this.prefix}_${name.toLowerCase()}`);
        return this.names.get(name)!;
      });
  }

  /** Expands strings anywhere inside plain data (message lists, params). */
  expandDeep<T>(value: T): T {
    if (typeof value === 'string') return this.expand(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.expandDeep(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.expandDeep(v)])) as T;
    return value;
  }

  /** Maps each expanded name back to its template, for transcripts that diff across runs. */
  replacements(): Array<[string, string]> {
    return [...this.names].map(([name, real]) => [real, `{{${name}}}`]);
  }
}
