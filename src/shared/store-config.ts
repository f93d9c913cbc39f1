import { z } from 'zod';

/** Which vector store the user chose in Settings. The token is kept, never shown back. */
export const storeConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }).strict(),
  z
    .object({
      kind: z.literal('milvus'),
      uri: z
        .string()
        .trim()
        .min(1)
        .max(2048)
        // A password in the address would be saved, shown and logged as part of it.
        .refine((uri) => !hasCredentials(uri), {
          message: 'Put the user name and password in Token (user:password), not in the URI.',
        }),
      token: z.string().max(4096).optional(),
      tls: z.boolean().optional(),
    })
    .strict(),
  // No program path: Komorebi runs only the Milvus Lite binary it ships (decision 0023).
  z.object({ kind: z.literal('milvus-lite') }).strict(),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;

/**
 * The saved choice, read back from the settings table. Earlier versions saved a Milvus Lite
 * program path with it; that key is dropped (the shipped binary is used) rather than letting
 * the whole choice fall back to the embedded store.
 */
export function parseStoredStoreConfig(value: unknown): StoreConfig | null {
  if (value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'milvus-lite')
    return { kind: 'milvus-lite' };
  const parsed = storeConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

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

/** `user:password@` in an address; addresses without a scheme (`host:19530`) are read as http. */
function hasCredentials(uri: string): boolean {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `http://${uri}`);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}
