import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events, Notifier } from '../../src/shared/events';

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'komorebi-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Notifier that remembers every event, for assertions. */
export class RecordingNotifier implements Notifier {
  readonly events: { event: EventName; payload: unknown }[] = [];
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    this.events.push({ event, payload });
  }
  of<E extends EventName>(event: E): Events[E][] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as Events[E]);
  }
}
