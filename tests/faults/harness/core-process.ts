/**
 * The app's core as its own process, for fault tests that kill it: the real createCore on a
 * data directory, watching one photo folder (added on first start). Prints JSON lines:
 * `{"event":"ready"}`, then `{"event":"status",...}` every 250 ms; with `--settle` it waits
 * until everything is indexed, prints `{"event":"settled"}`, closes cleanly and exits 0.
 *
 *   node --import tsx tests/faults/harness/core-process.ts <dataDir> <photosDir> [--settle] [--retry]
 *
 * `--retry` presses Activity's Retry for work set aside at start, as a user would.
 */
import { createCore } from '../../../src/main/core/app';
import { FileSecretStore } from '../../../src/main/server/file-secret-store';
import { waitUntilSettled } from '../../helpers/settle';

const [dataDir, photosDir, ...flags] = process.argv.slice(2);
if (!dataDir || !photosDir) throw new Error('usage: core-process.ts <dataDir> <photosDir> [--settle]');
const say = (event: string, more: object = {}) => console.log(JSON.stringify({ event, ...more }));

const core = await createCore({
  dataDir,
  shell: 'test',
  notifier: { emit() {} },
  secrets: new FileSecretStore(dataDir, {}),
});
const folders = await core.handlers['folders:list']({});
if (!folders.some((f) => f.path === photosDir)) await core.handlers['folders:add']({ path: photosDir });
// What the app set aside (work it stopped under 3 times) is what Activity lists with Retry.
const setAside = (await core.handlers['jobs:failed']({ limit: 1000 })).items;
say('ready', { pid: process.pid, setAside: setAside.length });
if (flags.includes('--retry') && setAside.length > 0) await core.handlers['jobs:retry']({});

const report = async () => {
  const s = await core.handlers['library:status']({});
  const v = await core.handlers['vectors:status']({});
  say('status', { photos: s.photos, jobs: s.jobs, stored: v.stored, outbox: v.outbox });
};
const timer = setInterval(() => void report().catch(() => {}), 250);

if (flags.includes('--settle')) {
  await waitUntilSettled(core, { timeoutMs: 1_200_000 });
  clearInterval(timer);
  await report();
  // Peak resident memory of the whole process (main thread and workers), in MB.
  say('settled', { maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
  await core.close();
  process.exit(0);
}
