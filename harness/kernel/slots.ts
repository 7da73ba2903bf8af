// A fixed number of slots shared by many workers, handed out first come, first served: how many
// scenarios run at once over all targets, so that the lanes a finished target no longer uses
// go to the targets still running.

export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a slot count is a positive integer, not ${size}`);
    this.free = size;
  }

  /** Waits for a slot; the returned function gives it back (once). */
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
