import type { VectorStoreErrorKind } from '../port';
import { MilvusCaller, versionProblem } from './client';
import type { MilvusConnection } from './config';
import { fromThrown, milvusError } from './errors';

export interface ConnectionTestResult {
  ok: boolean;
  serverVersion?: string;
  error?: { kind: VectorStoreErrorKind; message: string };
}

/**
 * What Settings' "Test connection" button runs: reach the server, read its version, and
 * list collections (which needs valid credentials where authentication is on).
 */
export async function testConnection(connection: MilvusConnection): Promise<ConnectionTestResult> {
  let caller: MilvusCaller;
  try {
    caller = new MilvusCaller({ ...connection, timeoutMs: connection.timeoutMs ?? 5_000 });
  } catch (error) {
    const typed = fromThrown(error, 'be reached', connection.uri);
    return { ok: false, error: { kind: typed.kind, message: typed.message } };
  }
  try {
    const serverVersion = await caller.serverVersion();
    const problem = versionProblem(serverVersion);
    if (problem) throw milvusError('version', 'be used', caller.where, problem);
    await caller.call('list collections (to check the token)', (c) => c.showCollections());
    return { ok: true, serverVersion };
  } catch (error) {
    const typed = fromThrown(error, 'be reached', caller.where);
    return { ok: false, error: { kind: typed.kind, message: typed.message } };
  } finally {
    await caller.close();
  }
}
