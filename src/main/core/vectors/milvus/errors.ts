import { VectorStoreError, type VectorStoreErrorKind } from '../port';

/** What a Milvus response carries; Lite puts errors in `code` while `error_code` reads Success. */
export interface MilvusStatus {
  error_code?: string | number;
  code?: number;
  reason?: string;
  detail?: string;
}

/** Finds the status in any SDK response shape (a bare status, or `{ status }`). */
export function statusOf(response: unknown): MilvusStatus | undefined {
  if (!response || typeof response !== 'object') return undefined;
  const r = response as { status?: MilvusStatus } & MilvusStatus;
  if (r.status && typeof r.status === 'object') return r.status;
  if ('error_code' in r || 'code' in r) return r;
  return undefined;
}

export function failed(status: MilvusStatus | undefined): boolean {
  if (!status) return false;
  const errorCode = status.error_code;
  const badErrorCode = errorCode !== undefined && errorCode !== 'Success' && errorCode !== 0;
  const badCode = status.code !== undefined && status.code !== 0;
  return badErrorCode || badCode;
}

/** Milvus 2.x status codes that mean something to a user. */
const AUTH_CODES = new Set([1800, 2]);
const INVALID_CODES = new Set([1100, 5, 1]);

function kindOfStatus(status: MilvusStatus): VectorStoreErrorKind {
  const text = `${status.reason ?? ''} ${status.detail ?? ''}`.toLowerCase();
  if (AUTH_CODES.has(Number(status.code)) || /auth|credential|permission|token|password/.test(text))
    return 'auth';
  if (/not support|unimplemented|unknown method/.test(text)) return 'version';
  if (INVALID_CODES.has(Number(status.code)) || /invalid|illegal|mismatch|exceed/.test(text))
    return 'invalid';
  return 'server';
}

/** gRPC status codes (from @grpc/grpc-js) the SDK rethrows. */
const GRPC = {
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

export function kindOfThrown(error: unknown): VectorStoreErrorKind {
  const e = error as { code?: unknown; message?: string };
  const text = (e?.message ?? String(error)).toLowerCase();
  if (e?.code === GRPC.UNAUTHENTICATED || e?.code === GRPC.PERMISSION_DENIED) return 'auth';
  if (/unauthenticated|auth|credential|permission denied|invalid token|api key/.test(text)) return 'auth';
  if (e?.code === GRPC.UNAVAILABLE || e?.code === GRPC.DEADLINE_EXCEEDED) return 'unreachable';
  if (
    /unavailable|econnrefused|enotfound|ehostunreach|econnreset|deadline|timed out|no connection|connect/.test(
      text,
    )
  ) {
    return 'unreachable';
  }
  if (e?.code === GRPC.UNIMPLEMENTED || /unimplemented/.test(text)) return 'version';
  return 'server';
}

const ADVICE: Record<VectorStoreErrorKind, string> = {
  unreachable:
    'Check the Milvus URI in Settings and that the server is running and reachable; vectors wait in the outbox meanwhile.',
  auth: 'Check the Milvus token (or user:password) in Settings.',
  version: 'This Milvus server is too old or lacks a feature Komorebi needs (Milvus 2.4 or newer).',
  invalid: 'The request was refused as invalid; rebuilding the vector index usually fixes this.',
  server: 'The Milvus server reported an error; see its logs, or rebuild the vector index.',
};

export function milvusError(
  kind: VectorStoreErrorKind,
  action: string,
  where: string,
  detail: string,
  cause?: unknown,
): VectorStoreError {
  return new VectorStoreError(kind, `Milvus at ${where} could not ${action}: ${detail}. ${ADVICE[kind]}`, {
    cause,
  });
}

export function fromThrown(error: unknown, action: string, where: string): VectorStoreError {
  if (error instanceof VectorStoreError) return error;
  const message = (error as Error)?.message ?? String(error);
  return milvusError(kindOfThrown(error), action, where, message.split('\n')[0]!.slice(0, 300), error);
}

/** Throws a typed error when a response says it failed (checking both code fields). */
export function ensureOk<T>(response: T, action: string, where: string): T {
  const status = statusOf(response);
  if (failed(status)) {
    const detail = status!.reason || status!.detail || `code ${status!.code ?? status!.error_code}`;
    throw milvusError(kindOfStatus(status!), action, where, detail);
  }
  return response;
}
