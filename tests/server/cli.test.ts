import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate, send } from './helpers';

// `npm run serve` for real: the CLI process with the real core on a temp data dir.
let dir: string;
let child: ChildProcess | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'komorebi-cli-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Komorebi</title>');
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await rm(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/server/cli.ts', ...args], {
    env: { ...process.env, KOMOREBI_TOKEN: '', KOMOREBI_PORT: '', KOMOREBI_HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  proc.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', () => {
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  firstLine.catch(() => {}); // awaited only by tests that expect a start
  return { proc, exited, firstLine, output: () => ({ stdout, stderr }) };
}

describe('npm run serve', () => {
  it('prints exactly one line with the URL and token, serves the app, and shuts down cleanly on SIGTERM', async () => {
    const run = serve([
      '--data-dir',
      join(dir, 'data'),
      '--port',
      '0',
      '--renderer-dir',
      join(dir, 'renderer'),
    ]);
    const line = await run.firstLine;
    const match = /^Komorebi is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})$/.exec(line);
    expect(match, line).not.toBeNull();
    const port = Number(match![1]);
    const token = match![2]!;
    expect((await send(port, '/api/app:info', { method: 'POST' })).status).toBe(401);
    const info = await send(port, '/api/app:info', {
      method: 'POST',
      headers: { 'x-komorebi-token': token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.text)).toMatchObject({ shell: 'browser', canPickFolders: false });
    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout.trim().split('\n')).toHaveLength(1);
  });

  it('uses KOMOREBI_TOKEN when set', async () => {
    const token = 'my-own-long-token-0123456789';
    const run = serve(['--port', '0', '--renderer-dir', join(dir, 'renderer')], {
      KOMOREBI_DATA_DIR: join(dir, 'data'),
      KOMOREBI_TOKEN: token,
    });
    expect(await run.firstLine).toMatch(new RegExp(`/\\?token=${token}$`));
    run.proc.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('says to run `npm run build` when the window is not built', async () => {
    const run = serve(['--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'missing')]);
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toContain('npm run build');
  });

  /** A fresh data dir on any free port, with the stand-in window. */
  const onTemp = (...more: string[]) => [
    ...['--port', '0', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')],
    ...more,
  ];

  it('refuses plain HTTP on another interface before opening the library, and says what to do', async () => {
    const run = serve(onTemp('--host', '0.0.0.0'));
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toMatch(
      /will not serve plain HTTP on every network interface.*--tls-cert and --tls-key/,
    );
    expect(run.output().stdout).toBe('');
    expect(existsSync(join(dir, 'data', 'library.db'))).toBe(false);
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const tls = selfSignedCertificate(dir);
    const run = serve(onTemp('--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')));
    const line = await run.firstLine;
    const match = /^Komorebi is running at https:\/\/127\.0\.0\.1:(\d+)\/\?token=[0-9a-f]{64}$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(tls.cert.length).toBeGreaterThan(0);
    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('one data directory, one process', () => {
  const args = () => [
    '--data-dir',
    join(dir, 'data'),
    '--port',
    '0',
    '--renderer-dir',
    join(dir, 'renderer'),
  ];
  const listing = async (d: string) => {
    const out: string[] = [];
    for (const e of await readdir(d, { recursive: true })) {
      const s = await stat(join(d, e));
      out.push(`${e} ${s.size} ${s.mtimeMs}`);
    }
    return out.sort();
  };
  /**
   * Another process holding the data directory the way the desktop app does, and doing nothing
   * else. It keeps the lock referenced: an unreferenced one is collected by an idle-time GC,
   * which closes its database and frees the lock (the refused serve then started and the test
   * waited for it to exit).
   */
  const holder = async () => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { lockDataDir } from './src/main/core/library/data-dir-lock.ts';
         globalThis.held = lockDataDir(${JSON.stringify(join(dir, 'data'))}, 'electron'); console.log('held'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      proc.stdout.once('data', () => resolve());
      proc.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
    });
    return proc;
  };

  it('a second serve on the same data directory refuses, naming the first by pid and shell', async () => {
    const first = serve(args());
    await first.firstLine;
    const firstProc = first.proc;
    try {
      const second = serve(args());
      expect(await second.exited).toBe(1);
      expect(second.output().stderr).toContain(
        `Another Komorebi is already using the library in ${join(dir, 'data')}: process ${firstProc.pid} (browser mode (npm run serve)`,
      );
    } finally {
      firstProc.kill('SIGKILL');
    }
    // Two tsx processes, as below: over a minute while other test files keep both cores busy.
  }, 180_000);

  it('refused, it writes nothing; once the holder is killed (SIGKILL), its lock is taken over', async () => {
    const desktop = await holder();
    try {
      const before = await listing(join(dir, 'data'));
      const refused = serve(args());
      expect(await refused.exited).toBe(1);
      expect(refused.output().stderr).toContain(`process ${desktop.pid} (the desktop app`);
      expect(await listing(join(dir, 'data'))).toEqual(before);
    } finally {
      desktop.kill('SIGKILL');
    }
    await new Promise((resolve) => desktop.once('exit', resolve));
    const next = serve(args());
    expect(await next.firstLine).toMatch(/^Komorebi is running at /);
    next.proc.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    // Three Node processes that each load the app through tsx, one after another: about 10 s on
    // a quiet machine, and over a minute while other test files keep both cores busy.
  }, 180_000);
});
