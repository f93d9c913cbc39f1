import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { VectorStoreError } from './port';

/**
 * Launches the Milvus Lite server binary (from @lyyyuna/milvus-lite-linux-x64, Linux x64
 * only) on a loopback port, for users who pick "local Milvus" without installing one, and
 * for the Milvus tests. The process is stopped by `stop()` and, failing that, when Node exits.
 */
export interface MilvusLiteOptions {
  /** Directory of the data file (created if needed). */
  dataDir: string;
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  /** How long to wait for the port to open before giving up. */
  startTimeoutMs?: number;
}

export interface MilvusLiteServer {
  /** What MilvusStore takes: `http://127.0.0.1:<port>`. */
  uri: string;
  port: number;
  pid: number;
  dataFile: string;
  /** Settles when the process ends, however it ends (its exit code, -1 for a signal). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export const MILVUS_LITE_DATA_FILE = 'milvus-lite.db';

/**
 * The one program this module ever runs: the binary inside the Milvus Lite package Komorebi
 * ships, resolved from this file's own location. Never a path from a caller, a setting or the
 * working directory: whoever can reach the Api must not be able to choose what is executed.
 */
export function findMilvusLiteBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const path = join(
      dirname(require.resolve('@lyyyuna/milvus-lite-linux-x64/package.json')),
      'lib',
      'milvus',
    );
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export async function startMilvusLite(options: MilvusLiteOptions): Promise<MilvusLiteServer> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new VectorStoreError(
      'unreachable',
      `The built-in Milvus Lite server runs on Linux x64 only (this is ${process.platform} ${process.arch}). Use the embedded store, or point Settings at a Milvus server URI.`,
    );
  }
  const binary = findMilvusLiteBinary();
  if (!binary) {
    throw new VectorStoreError(
      'unreachable',
      'The Milvus Lite server that comes with Komorebi was not found. Reinstall Komorebi, or use the embedded store.',
    );
  }
  mkdirSync(options.dataDir, { recursive: true });
  const dataFile = join(options.dataDir, MILVUS_LITE_DATA_FILE);
  const port = options.port ?? (await freeLoopbackPort());
  const libDir = dirname(binary);
  const child = spawn(binary, [dataFile, `127.0.0.1:${port}`, 'ERROR'], {
    env: { ...process.env, LD_LIBRARY_PATH: [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code, signal) => done(code ?? (signal ? -1 : null)));
    child.once('error', () => done(-1));
  });
  // Never leave an orphan server behind if the app exits without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  // A server that died (and is started again by its keeper) leaves no listener behind.
  void exited.then(() => process.removeListener('exit', killOnExit));

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  while (!(await portOpen(port))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      process.removeListener('exit', killOnExit);
      child.kill('SIGKILL');
      throw new VectorStoreError(
        'unreachable',
        `Milvus Lite did not start on 127.0.0.1:${port} with data ${dataFile}${exitCode !== undefined ? ` (exit code ${exitCode})` : ''}: ${stderr.trim().slice(-500) || 'no output'}. Check that the data folder is writable and the port is free.`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    uri: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dataFile,
    exited,
    stop: () => stopChild(child, exited, killOnExit),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | null>,
  killOnExit: () => void,
): Promise<void> {
  process.removeListener('exit', killOnExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
