/**
 * Per-client login throttling in memory: each failure from an address doubles the wait before
 * the next attempt is accepted (0.5 s, 1 s, 2 s … capped), so a brute force is slowed long
 * before the per-account lock-out (stored in the database) triggers.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; nextAllowedAt: number }>();

  constructor(
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the client must still wait, 0 when it may try now. */
  waitFor(client: string): number {
    const entry = this.failures.get(client);
    return entry ? Math.max(0, entry.nextAllowedAt - this.now()) : 0;
  }

  recordFailure(client: string): void {
    const count = (this.failures.get(client)?.count ?? 0) + 1;
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (count - 1));
    this.failures.set(client, { count, nextAllowedAt: this.now() + delay });
  }

  recordSuccess(client: string): void {
    this.failures.delete(client);
  }
}
