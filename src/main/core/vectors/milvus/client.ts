import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { VectorStoreError } from '../port';
import { DEFAULT_TIMEOUT_MS, displayUri, type MilvusConnection, uriProblem } from './config';
import { ensureOk, fromThrown, milvusError } from './errors';

/**
 * A MilvusClient wrapped so that every request has a deadline (no hang on a wrong URI or
 * a dead server) and every failure, thrown or returned, becomes a typed VectorStoreError.
 */
export class MilvusCaller {
  readonly client: MilvusClient;
  readonly where: string;
  private readonly deadlineMs: number;

  constructor(connection: MilvusConnection) {
    const timeout = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.where = displayUri(connection);
    const problem = uriProblem(connection.uri ?? '');
    if (problem) {
      throw new VectorStoreError(
        'invalid',
        `The Milvus URI "${this.where}" cannot be used: ${problem}. Enter it like http://localhost:19530 or https://<cluster>.zillizcloud.com in Settings.`,
      );
    }
    this.deadlineMs = timeout + 2_000;
    this.client = new MilvusClient({
      address: connection.uri.trim(),
      token: connection.token,
      ssl: connection.tls ?? connection.uri.startsWith('https://'),
      database: connection.database,
      timeout,
      maxRetries: 2,
      logLevel: 'error',
    });
    // The first request reports a failed connect; this only keeps it from being "unhandled".
    this.client.connectPromise?.catch(() => undefined);
  }

  async call<T>(action: string, run: (client: MilvusClient) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            milvusError('unreachable', action, this.where, `no answer within ${this.deadlineMs / 1000} s`),
          ),
        this.deadlineMs,
      );
    });
    try {
      const response = await Promise.race([run(this.client), deadline]);
      return ensureOk(response, action, this.where);
    } catch (error) {
      throw fromThrown(error, action, this.where);
    } finally {
      clearTimeout(timer);
    }
  }

  async serverVersion(): Promise<string> {
    const response = await this.call('report its version', (c) => c.getVersion());
    return (response as { version?: string }).version ?? 'unknown';
  }

  async close(): Promise<void> {
    await this.client.closeConnection().catch(() => undefined);
  }
}

/** Komorebi needs array fields, array_contains_any, upsert and COSINE: Milvus 2.4+. */
export function versionProblem(version: string): string | null {
  const match = /(\d+)\.(\d+)/.exec(version);
  if (!match) return null;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > 2 || (major === 2 && minor >= 4)) return null;
  return `the server is Milvus ${version}; Komorebi needs 2.4 or newer`;
}
