// The pause between two polls of a condition (a backend gone, a pooler's servers dropped):
// short at first, since a closed session's backend exits in a few ms, then up to 20 ms, so a
// slow wait does not spend the machine on polling.
export const backoff = (poll: number): Promise<void> => new Promise((r) => setTimeout(r, Math.min(20, 2 << poll)));
