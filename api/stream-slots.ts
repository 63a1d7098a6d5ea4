/**
 * How many alert streams each person has open in this process. A dashboard needs one; a few
 * tabs a handful. The cap keeps one token (or one runaway script) from holding thousands of
 * sockets. Counted per process, like the rate limits (api/rate-limit.ts).
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  /** Takes a slot for `user`; the function it returns gives it back (once). Null when full. */
  take(user: string): (() => void) | null {
    const n = this.open.get(user) ?? 0;
    if (n >= this.perUser) return null;
    this.open.set(user, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.open.get(user) ?? 1) - 1;
      if (left <= 0) this.open.delete(user);
      else this.open.set(user, left);
    };
  }
}
