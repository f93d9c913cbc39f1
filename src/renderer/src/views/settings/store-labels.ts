import type { VectorStoreStatus } from '../../../../shared/model';
import { formatCount } from '../../format';

const storeNames: Record<string, string> = {
  embedded: 'the embedded store',
  milvus: 'Milvus',
  'milvus-lite': 'Milvus Lite',
};

/** A state in the user's words for the vector store status line. */
export function storeStateLabel(status: VectorStoreStatus): string {
  const to = status.switchingTo ? (storeNames[status.switchingTo] ?? status.switchingTo) : null;
  switch (status.state) {
    case 'ready':
      return 'Ready';
    case 'switching':
      return to ? `Switching to ${to}…` : 'Switching…';
    case 'error':
      return to ? `Switching to ${to} is waiting: not reachable` : 'Not reachable';
    case 'closed':
      return 'Closed';
  }
}

/**
 * What a switch that cannot go on means for the user (a Milvus server down mid-switch), or
 * null: nothing is lost, searches go on, and nobody has to press anything.
 */
export function storeStateHint(status: VectorStoreStatus): string | null {
  if (status.state !== 'error' || !status.switchingTo) return null;
  return `Searches use the current store meanwhile. The switch goes on by itself once ${storeNames[status.switchingTo] ?? status.switchingTo} answers again; nothing needs to be done here.`;
}

/** "1,200 of 1,250 vectors stored", or "1,250 vectors" when the store holds them all. */
export function storeCountsLabel(status: VectorStoreStatus): string {
  if (status.stored === null) return `${formatCount(status.expected)} vectors expected (count not known yet)`;
  if (status.stored === status.expected) return `${formatCount(status.stored)} vectors stored`;
  return `${formatCount(status.stored)} of ${formatCount(status.expected)} vectors stored`;
}

/** "3 vectors waiting to be written", or null when nothing waits. */
export function outboxLabel(outbox: number): string | null {
  if (outbox <= 0) return null;
  return `${formatCount(outbox)} ${outbox === 1 ? 'vector' : 'vectors'} waiting to be written`;
}
