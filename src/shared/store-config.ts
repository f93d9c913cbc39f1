import { z } from 'zod';

/** Which vector store the user chose in Settings. The token is kept, never shown back. */
export const storeConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }).strict(),
  z
    .object({
      kind: z.literal('milvus'),
      uri: z.string().trim().min(1).max(2048),
      token: z.string().max(4096).optional(),
      tls: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('milvus-lite'), binaryPath: z.string().max(4096).optional() }).strict(),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;

/** The outbox key of a store: a change of server is a new store to fill. */
export function storeKey(config: StoreConfig): string {
  switch (config.kind) {
    case 'embedded':
      return 'embedded';
    case 'milvus-lite':
      return 'milvus-lite';
    case 'milvus':
      return `milvus:${config.uri}`;
  }
}
