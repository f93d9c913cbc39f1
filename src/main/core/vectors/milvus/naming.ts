import { createHash } from 'node:crypto';

/**
 * One collection per model. Milvus names allow letters, digits and underscores and must
 * not start with a digit; a short hash of the exact model id keeps "resnet-50" and
 * "resnet_50" apart after sanitising.
 */
export function collectionNameFor(model: string, prefix = 'komorebi'): string {
  const readable = model
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 120);
  const hash = createHash('sha256').update(model).digest('hex').slice(0, 8);
  const name = `${prefix}_${readable}_${hash}`;
  return /^[a-zA-Z_]/.test(name) ? name : `_${name}`;
}
