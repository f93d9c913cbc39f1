// Attack: make the window able to read any file by watching a folder that is not a photo
// folder (`folders:add` with `/`, a system folder, the data folder, or a link to one).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemFolderReason } from '../../src/main/core/ingest/folder-checks';
import { type BrowserCore, startBrowserCore } from './browser-core';

let app: BrowserCore;

beforeAll(async () => {
  app = await startBrowserCore({ autoStart: false });
  mkdirSync(join(app.root, 'links'));
  symlinkSync('/', join(app.root, 'links', 'photos-root'));
  symlinkSync('/etc', join(app.root, 'links', 'photos-etc'));
  symlinkSync(app.dataDir, join(app.root, 'links', 'photos-data'));
  writeFileSync(join(app.root, 'a-file.jpg'), 'x');
  execFileSync('mkfifo', [join(app.root, 'a-pipe')]);
}, 60_000);
afterAll(() => app?.close());

async function refused(path: string): Promise<string> {
  const reply = await app.call('folders:add', { path });
  expect(reply.status, `${path}: ${reply.text}`).toBe(422);
  const { error } = JSON.parse(reply.text) as { error: { name: string; message: string } };
  expect(error.name).toBe('LibraryRequestError');
  return error.message;
}

describe('folders:add refuses what is not a folder of photos', () => {
  it.each([
    ['/', /root of the file system/],
    ['/etc', /system folder \/etc/],
    ['/proc', /system folder \/proc/],
    ['/sys', /system folder \/sys/],
    ['/dev', /system folder \/dev/],
    ['/usr', /system folder \/usr/],
    ['/usr/share', /system folder \/usr/],
    ['/var/lib', /system folder \/var\/lib/],
  ])('%s', async (path, reason) => {
    expect(await refused(path)).toMatch(reason);
  });

  it('decides on the real path: links to /, /etc and the data folder are refused as those', async () => {
    expect(await refused(join(app.root, 'links', 'photos-root'))).toMatch(
      /which is \/\).*root of the file system/,
    );
    expect(await refused(join(app.root, 'links', 'photos-etc'))).toMatch(/system folder \/etc/);
    expect(await refused(join(app.root, 'links', 'photos-data'))).toMatch(/Komorebi's own data folder/);
  });

  it("refuses Komorebi's data folder, a folder inside it and a folder that contains it", async () => {
    expect(await refused(app.dataDir)).toMatch(/inside Komorebi's own data folder/);
    expect(await refused(join(app.dataDir, 'thumbs'))).toMatch(/inside Komorebi's own data folder/);
    expect(await refused(app.root)).toMatch(/contains Komorebi's own data folder.*KOMOREBI_DATA_DIR/);
  });

  it('refuses what is not an existing directory: a file, a pipe, a missing path', async () => {
    expect(await refused(join(app.root, 'a-file.jpg'))).toMatch(/is a file, not a folder/);
    expect(await refused(join(app.root, 'a-pipe'))).toMatch(/not a folder/);
    expect(await refused(join(app.root, 'missing'))).toMatch(/does not exist/);
  });

  it('watches nothing after all of that, and still takes a real photo folder', async () => {
    expect(JSON.parse((await app.call('folders:list', {})).text)).toEqual([]);
    mkdirSync(join(app.root, 'Pictures'));
    const reply = await app.call('folders:add', { path: join(app.root, 'Pictures') });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ path: join(app.root, 'Pictures') });
  });
});

describe('system folders on every platform', () => {
  it('Windows: drive roots and system folders, whatever the case', () => {
    expect(systemFolderReason('C:\\', 'win32')).toMatch(/root of a drive/);
    expect(systemFolderReason('D:\\', 'win32')).toMatch(/root of a drive/);
    expect(systemFolderReason('\\\\nas\\share\\', 'win32')).toMatch(/root of a drive/);
    expect(systemFolderReason('C:\\Windows', 'win32')).toMatch(/Windows system folder/);
    expect(systemFolderReason('c:\\WINDOWS\\System32', 'win32')).toMatch(/Windows system folder/);
    expect(systemFolderReason('C:\\Program Files (x86)\\App', 'win32')).toMatch(/Windows system folder/);
    expect(systemFolderReason('C:\\ProgramData', 'win32')).toMatch(/Windows system folder/);
    expect(systemFolderReason('C:\\Users\\ana\\Pictures', 'win32')).toBeNull();
    expect(systemFolderReason('D:\\Photos', 'win32')).toBeNull();
  });

  it('macOS: /System, /Library and the real /etc and /var behind /private', () => {
    for (const path of [
      '/',
      '/System',
      '/System/Library',
      '/Library',
      '/private/etc',
      '/private/var/db',
      '/usr',
    ]) {
      expect(systemFolderReason(path, 'darwin'), path).not.toBeNull();
    }
    expect(systemFolderReason('/Users/ana/Pictures', 'darwin')).toBeNull();
    expect(systemFolderReason('/Users/ana/Library-of-photos', 'darwin')).toBeNull();
    expect(systemFolderReason('/Volumes/Photos', 'darwin')).toBeNull();
  });

  it('Linux: a look-alike name is not a system folder', () => {
    expect(systemFolderReason('/etcetera')).toBeNull();
    expect(systemFolderReason('/home/ana/usr')).toBeNull();
    expect(systemFolderReason('/srv/photos')).toBeNull();
  });
});
