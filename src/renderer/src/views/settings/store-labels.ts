import type { VectorStoreStatus } from '../../../../shared/model';
import { formatCount } from '../../format';

/** A state in the user's words for the vector store status line. */
export function storeStateLabel(status: VectorStoreStatus): string {
  switch (status.state) {
    case 'ready':
      return 'Ready';
    case 'switching':
      return status.switchingTo ? `Switching to ${status.switchingTo}…` : 'Switching…';
    case 'error':
      return 'Not reachable';
    case 'closed':
      return 'Closed';
  }
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
