import { type Metadata, Server, ServerCredentials, type ServiceDefinition, status } from '@grpc/grpc-js';
import { getGRPCService } from '@zilliz/milvus2-sdk-node';

/**
 * A local server speaking the real Milvus gRPC protocol (the SDK's own service definition)
 * with authentication on, for what Milvus Lite cannot do: refuse a token. Like the Milvus
 * proxy's auth interceptor, a wrong or missing token gets gRPC UNAUTHENTICATED with
 * "auth check failure, please check api key is correct". With the right token it answers
 * GetVersion, Connect and ShowCollections (enough for "Test connection"); anything else
 * is UNIMPLEMENTED.
 */
export interface AuthMilvusServer {
  uri: string;
  /** Per call, the token it carried, decoded (the SDK sends base64 in `authorization`); '' for none. */
  tokensSeen: string[];
  stop(): Promise<void>;
}

const ok = { error_code: 'Success', code: 0, reason: '' };

export async function startAuthMilvusServer(
  token: string,
  version = 'v2.5.4',
  /** A careless server (or proxy) that repeats the token it refused in its error: for the secrets campaign. */
  echo = false,
): Promise<AuthMilvusServer> {
  const service = getGRPCService({ serviceName: 'milvus.proto.milvus.MilvusService' }, {}) as unknown as {
    service: ServiceDefinition;
  };
  const answers: Record<string, unknown> = {
    GetVersion: { status: ok, version },
    Connect: { status: ok, server_info: { build_tags: version }, identifier: 1 },
    ShowCollections: { status: ok, collection_names: [], collection_ids: [], created_timestamps: [] },
  };
  const tokensSeen: string[] = [];
  const authorised = (metadata: Metadata) => {
    const sent = metadata
      .get('authorization')
      .map((value) => Buffer.from(String(value), 'base64').toString());
    tokensSeen.push(sent[0] ?? '');
    return sent.includes(token);
  };
  const implementation: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service.service)) {
    if (method.requestStream || method.responseStream) continue;
    implementation[name] = (
      call: { metadata: Metadata },
      callback: (error: { code: number; details: string } | null, value?: unknown) => void,
    ) => {
      if (!authorised(call.metadata) || echo) {
        callback({
          code: status.UNAUTHENTICATED,
          details: `auth check failure, please check api key is correct${echo ? ` (got "${tokensSeen.at(-1)}")` : ''}`,
        });
      } else if (answers[name]) {
        callback(null, answers[name]);
      } else {
        callback({
          code: status.UNIMPLEMENTED,
          details: `method ${name} not implemented by the test server`,
        });
      }
    };
  }
  const server = new Server();
  server.addService(service.service, implementation as never);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    uri: `http://127.0.0.1:${port}`,
    tokensSeen,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
