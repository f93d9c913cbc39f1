import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/app';
import { defaultDataDir } from '../core/default-data-dir';
import { EventStream } from './event-stream';
import { judgeExposure } from './exposure';
import { FileSecretStore } from './file-secret-store';
import { startServer } from './server';

/**
 * `npm run serve -- [--data-dir DIR] [--port N] [--host H]`: the app without Electron, for a
 * home server, a machine without a display, or end-to-end tests in a real browser.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const defaultPort = 5297;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'renderer-dir': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run serve -- [--data-dir DIR] [--port N] [--host 127.0.0.1]\n' +
        '                        [--tls-cert FILE --tls-key FILE] [--insecure-http]\n' +
        'Another --host than loopback needs --tls-cert and --tls-key (HTTPS), or --insecure-http.\n' +
        'Environment: KOMOREBI_DATA_DIR, KOMOREBI_PORT, KOMOREBI_HOST, KOMOREBI_TOKEN, KOMOREBI_ALLOWED_HOSTS, OPENAI_API_KEY',
    );
    return;
  }
  const env = process.env;
  // An empty variable counts as unset (a shell's `KOMOREBI_HOST=` should not bind to nothing).
  const fromEnv = (name: string) => env[name]?.trim() || undefined;
  const rendererDir = resolve(values['renderer-dir'] ?? join(repoRoot, 'out', 'renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(
      `The window's files are not built yet (${join(rendererDir, 'index.html')} is missing). Run \`npm run build\` first, then \`npm run serve\` again.`,
    );
    process.exit(1);
  }
  const port = parsePort(values.port ?? fromEnv('KOMOREBI_PORT') ?? String(defaultPort));
  const host = values.host ?? fromEnv('KOMOREBI_HOST') ?? '127.0.0.1';
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(env));
  const token = fromEnv('KOMOREBI_TOKEN') || randomBytes(32).toString('hex');
  const tls = readTls(values['tls-cert'], values['tls-key']);
  const insecureHttp = values['insecure-http'] ?? false;
  const allowedHosts = (fromEnv('KOMOREBI_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);

  // Refused before the library is opened: nothing starts on an interface it must not use.
  const exposure = judgeExposure(host, { tls: !!tls, insecureHttp });
  if (exposure.refused) {
    console.error(exposure.refused);
    process.exit(1);
  }
  const events = new EventStream();
  const core = await createCore({
    dataDir,
    notifier: events,
    shell: 'browser',
    secrets: new FileSecretStore(dataDir),
    version: env.npm_package_version,
  });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      core,
      events,
      host,
      port,
      token,
      rendererDir,
      allowedHosts,
      tls,
      insecureHttp,
    });
  } catch (error) {
    await core.close();
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    try {
      await server.close();
      await core.close();
      process.exit(0);
    } catch (error) {
      console.error(`Komorebi could not shut down cleanly after ${signal}:`, error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (server.warning) console.error(server.warning);
  // Printed last, once a signal can already stop us cleanly: whoever reads this line may stop us at once.
  console.log(`Komorebi is running at ${server.url}`);
}

/** Both files or neither; read now, so a wrong path is said before anything starts. */
function readTls(certFile: string | undefined, keyFile: string | undefined) {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    console.error('HTTPS needs both --tls-cert (the certificate, PEM) and --tls-key (its private key, PEM).');
    process.exit(1);
  }
  try {
    return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (error) {
    console.error(
      `Komorebi cannot read the TLS files: ${(error as Error).message}. Check --tls-cert and --tls-key.`,
    );
    process.exit(1);
  }
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `"${text}" is not a port number: pass --port (or KOMOREBI_PORT) between 1 and 65535, or 0 for any free port.`,
    );
    process.exit(1);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
