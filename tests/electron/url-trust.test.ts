import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AppOrigin,
  externalLink,
  isAllowedRequest,
  isAppPage,
  isAppResource,
  judgeNavigation,
  mediaPathFromUrl,
} from '../../src/main/url-trust';

const rendererDir = '/opt/Komorebi/resources/app.asar/out/renderer';
const built: AppOrigin = { kind: 'file', rendererDir };
const dev: AppOrigin = { kind: 'dev', url: 'http://localhost:5173/' };
const indexUrl = pathToFileURL(`${rendererDir}/index.html`).href;

describe('isAppPage', () => {
  it('accepts exactly the built index.html, with a query or hash', () => {
    expect(isAppPage(indexUrl, built)).toBe(true);
    expect(isAppPage(`${indexUrl}#/studio`, built)).toBe(true);
    expect(isAppPage(`${indexUrl}?view=gallery`, built)).toBe(true);
    expect(isAppPage('file://localhost/opt/Komorebi/resources/app.asar/out/renderer/index.html', built)).toBe(
      true,
    );
  });

  it('refuses other files, look-alike folders, traversal, network paths and other schemes', () => {
    for (const url of [
      'file:///etc/passwd',
      'file:///opt/Komorebi/resources/app.asar/out/renderer/evil.html',
      'file:///opt/Komorebi/resources/app.asar/out/renderer-evil/index.html',
      'file:///opt/Komorebi/resources/app.asar/out/renderer/../renderer-evil/index.html',
      'file:///opt/Komorebi/resources/app.asar/out/renderer/sub/../../renderer2/index.html',
      'file:///opt/Komorebi/resources/app.asar/out/renderer%2Findex.html',
      'file://evil-host/opt/Komorebi/resources/app.asar/out/renderer/index.html',
      'file:///tmp/opt/Komorebi/resources/app.asar/out/renderer/index.html',
      'http://localhost:5173/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isAppPage(url, built), url).toBe(false);
    }
  });

  it('in development accepts only the dev server origin, not look-alikes', () => {
    expect(isAppPage('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPage('http://localhost:5173/#/similar', dev)).toBe(true);
    for (const url of [
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://localhost.evil.example:5173/',
      'http://evil.example/?http://localhost:5173/',
      'http://localhost:5173@evil.example/',
      'http://user@localhost:5173/',
      'http://127.0.0.1:5173/',
      indexUrl,
    ]) {
      expect(isAppPage(url, dev), url).toBe(false);
    }
  });
});

describe('isAppResource', () => {
  it('accepts files inside the renderer folder only', () => {
    expect(isAppResource(pathToFileURL(`${rendererDir}/assets/index-abc.js`).href, built)).toBe(true);
    expect(isAppResource(pathToFileURL(rendererDir).href, built)).toBe(false);
    expect(isAppResource('file:///opt/Komorebi/resources/app.asar/out/main/index.js', built)).toBe(false);
    expect(
      isAppResource('file:///opt/Komorebi/resources/app.asar/out/renderer/../main/index.js', built),
    ).toBe(false);
    expect(isAppResource('file:///home/me/.ssh/id_rsa', built)).toBe(false);
  });
});

describe('mediaPathFromUrl', () => {
  it('returns the encoded media path for media://local/ only', () => {
    expect(mediaPathFromUrl('media://local/thumbs/ab/cd.webp')).toBe('thumbs/ab/cd.webp');
    expect(mediaPathFromUrl('media://local/folder/3/a%20b.jpg')).toBe('folder/3/a%20b.jpg');
    expect(mediaPathFromUrl('media://LOCAL/thumbs/x.webp')).toBe('thumbs/x.webp');
  });

  it('refuses look-alike hosts, credentials, ports, other schemes and empty paths', () => {
    for (const url of [
      'media://local.evil/thumbs/x.webp',
      'media://evil.local/thumbs/x.webp',
      'media://localhost/thumbs/x.webp',
      'media://user@local/thumbs/x.webp',
      'media://local:pass@evil/thumbs/x.webp',
      'media://local@evil/thumbs/x.webp',
      'media://local:8080/thumbs/x.webp',
      'media://local/',
      'media://local',
      'media:local/thumbs/x.webp',
      'file://local/thumbs/x.webp',
      'http://local/thumbs/x.webp',
      'javascript:alert(1)//media://local/x',
    ]) {
      expect(mediaPathFromUrl(url), url).toBeNull();
    }
  });
});

describe('externalLink', () => {
  it('allows http and https links with a host', () => {
    expect(externalLink('https://platform.openai.com/api-keys')).toBe('https://platform.openai.com/api-keys');
    expect(externalLink('HTTP://Example.COM/a b')).toBe('http://example.com/a%20b');
  });

  it('refuses every other scheme and credentials', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vbscript:msgbox',
      'media://local/thumbs/x.webp',
      'https://user:pass@example.com/',
      'https//example.com',
      'not a url',
    ]) {
      expect(externalLink(url), url).toBeNull();
    }
  });
});

describe('judgeNavigation', () => {
  it('allows the app page, sends web links to the browser, denies everything else', () => {
    expect(judgeNavigation(`${indexUrl}#/settings`, built)).toEqual({ action: 'allow' });
    expect(judgeNavigation('https://openai.com/', built)).toEqual({
      action: 'open-externally',
      url: 'https://openai.com/',
    });
    expect(judgeNavigation('file:///etc/passwd', built)).toEqual({ action: 'deny' });
    expect(judgeNavigation('javascript:alert(1)', built)).toEqual({ action: 'deny' });
    expect(judgeNavigation('data:text/html,x', built)).toEqual({ action: 'deny' });
    expect(judgeNavigation('media://local/thumbs/x.webp', built)).toEqual({ action: 'deny' });
  });

  it('in development keeps the dev server in the window', () => {
    expect(judgeNavigation('http://localhost:5173/#/x', dev)).toEqual({ action: 'allow' });
    expect(judgeNavigation('http://localhost.evil.example:5173/', dev).action).toBe('open-externally');
  });
});

describe('isAllowedRequest', () => {
  it('lets the page load its own files, media://local and inline data, nothing remote', () => {
    expect(isAllowedRequest(pathToFileURL(`${rendererDir}/assets/a.js`).href, built)).toBe(true);
    expect(isAllowedRequest('media://local/thumbs/a.webp', built)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AA', built)).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'media://local.evil/thumbs/a.webp',
      'https://evil.example/beacon',
      'http://localhost:5173/',
      'ws://localhost:5173/',
      'ftp://example.com/',
    ]) {
      expect(isAllowedRequest(url, built), url).toBe(false);
    }
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5999/', dev)).toBe(false);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
  });
});
