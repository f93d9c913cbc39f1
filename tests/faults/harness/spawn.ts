import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..', '..');
const script = join(import.meta.dirname, 'core-process.ts');

export interface CoreProcess {
  proc: ChildProcess;
  /** Resolves once the core is open and watching (its first line). */
  ready: Promise<void>;
  /** Resolves when the core has indexed everything and closed (with --settle). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its last status line, parsed. */
  last(): Record<string, unknown> | null;
  /** Its 'ready' line (with setAside: how many jobs it set aside), once printed. */
  readyLine(): Record<string, unknown> | null;
  /** Its 'settled' line (with maxRssMb), once printed. */
  settled(): Record<string, unknown> | null;
  output(): { stdout: string; stderr: string };
}

/**
 * Starts tests/faults/harness/core-process.ts in a child process. `wrap` runs it under
 * another command (`unshare ...` for a namespace), which must exec `$0 --import tsx $1 ...`.
 */
export function startCore(
  dataDir: string,
  photosDir: string,
  opts: { settle?: boolean; retry?: boolean; wrap?: string[]; env?: NodeJS.ProcessEnv } = {},
): CoreProcess {
  const args = [
    ...['--import', 'tsx', script, dataDir, photosDir],
    ...(opts.settle ? ['--settle'] : []),
    ...(opts.retry ? ['--retry'] : []),
  ];
  const proc = opts.wrap
    ? spawn(opts.wrap[0]!, [...opts.wrap.slice(1), process.execPath, ...args], { cwd: repo, env: opts.env })
    : spawn(process.execPath, args, { cwd: repo, env: opts.env ?? process.env });
  let stdout = '';
  let stderr = '';
  let last: Record<string, unknown> | null = null;
  let settled: Record<string, unknown> | null = null;
  let readyLine: Record<string, unknown> | null = null;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    proc.once('exit', (code, signal) =>
      reject(new Error(`the core exited (${code ?? signal}) before it was ready: ${stderr.slice(-2000)}`)),
    );
  });
  ready.catch(() => {});
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line) as { event: string };
      if (msg.event === 'ready') {
        readyLine = msg;
        onReady();
      }
      if (msg.event === 'status') last = msg;
      if (msg.event === 'settled') settled = msg;
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    ready,
    exited,
    last: () => last,
    settled: () => settled,
    readyLine: () => readyLine,
    output: () => ({ stdout, stderr }),
  };
}

/** SIGKILLs the process and waits until it is gone. */
export async function kill(core: CoreProcess): Promise<void> {
  if (core.proc.exitCode === null && core.proc.signalCode === null) core.proc.kill('SIGKILL');
  await core.exited;
}
