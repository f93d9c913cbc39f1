import { CLOSED_WHILE_DRAWING } from './generation';
import type { SessionStore } from './session-store';
import type { StudioFiles } from './studio-files';

/**
 * At start, before anything draws: versions left 'generating' by a crash or a quit. A page that
 * was drawn, paid for and saved (its receipt beside it) is recovered as done with what it cost;
 * the others are failed, saying why. Previews and receipts of all of them are removed.
 * Returns how many were failed.
 */
export async function recoverInterrupted(store: SessionStore, files: StudioFiles): Promise<number> {
  const interrupted = store.interrupted();
  for (const r of interrupted) {
    const drawn = await files.drawnPage(r.session_id, r.id);
    if (drawn) store.finish(r.id, { ...drawn, state: 'done' });
  }
  const failed = store.failInterrupted(CLOSED_WHILE_DRAWING);
  const bySession = new Map<number, number[]>();
  for (const r of interrupted) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r.id]);
  for (const [sessionId, ids] of bySession) {
    await files.removePartials(sessionId, ids);
    await files.removeReceipts(sessionId, ids);
  }
  return failed.length;
}
