import type { Events, Notifier } from '../../shared/events';

type ProblemEvent = Events['activity:problem'];

/**
 * Per-file problems come in floods: a folder of 10,000 broken files is 10,000 problems within
 * seconds, and one event each would flood the window (and, in browser mode, every open event
 * stream). Every problem is stored and listed by `library:problems`; the event only tells the
 * window to look. So the first problem goes out at once, then at most one event per window
 * carries the latest problem and how many more came since (`more`): summed over the events,
 * every problem is counted once, and the last one is always told.
 */
export class ProblemEvents {
  private timer: NodeJS.Timeout | null = null;
  private held: { latest: ProblemEvent; count: number } | null = null;

  constructor(
    private readonly out: Notifier,
    private readonly windowMs = 1000,
  ) {}

  emit(problem: ProblemEvent): void {
    if (this.timer) {
      this.held = { latest: problem, count: (this.held?.count ?? 0) + 1 };
      return;
    }
    this.out.emit('activity:problem', problem);
    this.startWindow();
  }

  /** Sends what is held (at quit, so the last problems are not left untold). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }

  private startWindow(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.flush()) this.startWindow();
    }, this.windowMs);
    this.timer.unref();
  }

  private flush(): boolean {
    if (!this.held) return false;
    const { latest, count } = this.held;
    this.held = null;
    this.out.emit('activity:problem', { ...latest, more: count - 1 });
    return true;
  }
}
