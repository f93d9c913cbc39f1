/** Items per second over a sliding window: what "12 photos/s, 3 min left" is made of. */
export class RateMeter {
  private samples: { at: number; n: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(n: number, at = Date.now()): void {
    this.samples.push({ at, n });
    this.trim(at);
  }

  perSecond(at = Date.now()): number {
    this.trim(at);
    const first = this.samples[0];
    if (!first) return 0;
    const total = this.samples.reduce((s, x) => s + x.n, 0);
    const span = Math.max(1000, at - first.at);
    return Math.round((total / span) * 1000 * 10) / 10;
  }

  reset(): void {
    this.samples = [];
  }

  private trim(at: number): void {
    while (this.samples.length > 0 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }
}
