// Issue 10 in the window: on a first run the app says once that Find similar will be better with
// ResNet-50 and offers it in one click; "Not now" is remembered; Settings > Models offers the
// download and an import of .onnx or .safetensors. (The download itself: tests/embed/resnet50-parity.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type RunningApp, type RunningBrowser, startApp } from './harness';

let app: RunningApp;
let browser: RunningBrowser;

describe.skipIf(!chromiumAvailable())('getting ResNet-50 from the window', () => {
  beforeAll(async () => {
    app = await startApp({ env: { HF_HUB_CACHE: '/nonexistent-hub' } });
    browser = await openBrowser(app.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('suggests it once at the top of the window, with its size, while the offline model works', async () => {
    const { page } = browser;
    const suggestion = page.getByTestId('model-suggestion');
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toMatch(
      /Find similar will be better with ResNet-50 \(timm, ImageNet\) \(102 MB\).*The built-in model works meanwhile\./s,
    );
    expect(await page.getByTestId('model-suggestion-get').textContent()).toBe('Download (102 MB)');
    await page.getByTestId('model-suggestion-close').click();
    await suggestion.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('nav-settings').waitFor();
    const list = await app.api<{ suggestRecommended: boolean }>('models:list');
    expect(list.suggestRecommended).toBe(false);
    expect(await page.getByTestId('model-suggestion').count()).toBe(0);
  });

  it('offers the download and an import of .onnx or .safetensors in Settings > Models', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    const row = page.locator('[data-testid="model-row"][data-model-id="resnet50-a1-in1k"]');
    await row.waitFor();
    expect(await row.getByTestId('model-download-button').textContent()).toBe('Download (102 MB)');
    expect(await row.getByTestId('model-import').textContent()).toBe('Import .onnx or .safetensors…');
    await page.getByTestId('offline-model-notice').waitFor();
    expect(browser.errors).toEqual([]);
  });
});
