// Settings > Models and Vector store: what the sections say and send (pure parts).
import { describe, expect, it } from 'vitest';
import {
  downloadLabel,
  downloadRunning,
  getModelLabel,
  modelCounts,
  modelStateLabel,
  OFFLINE_MODEL_ID,
  suggestionText,
} from '../../src/renderer/src/views/settings/model-labels';
import {
  configFromForm,
  emptyStoreForm,
  formFromStatus,
} from '../../src/renderer/src/views/settings/store-form';
import {
  outboxLabel,
  storeCountsLabel,
  storeStateHint,
  storeStateLabel,
} from '../../src/renderer/src/views/settings/store-labels';
import type { EmbeddingModel, ModelDownload, VectorStoreStatus } from '../../src/shared/model';
import { storeConfigSchema } from '../../src/shared/store-config';

const model = (over: Partial<EmbeddingModel>): EmbeddingModel => ({
  id: 'm',
  displayName: 'M',
  description: null,
  dimension: 2048,
  available: false,
  active: false,
  source: 'download',
  embedded: 0,
  recommended: false,
  downloadBytes: null,
  license: null,
  importTypes: ['.onnx'],
  localCopy: null,
  download: null,
  ...over,
});

const status = (over: Partial<VectorStoreStatus>): VectorStoreStatus => ({
  kind: 'embedded',
  location: 'Embedded (in the data folder)',
  model: OFFLINE_MODEL_ID,
  dimension: 1280,
  stored: 10,
  expected: 10,
  outbox: 0,
  unsaved: 0,
  state: 'ready',
  error: null,
  switchingTo: null,
  ...over,
});

describe('models', () => {
  it('counts the active model, available models and indexed photos', () => {
    const models = [
      model({ id: OFFLINE_MODEL_ID, available: true, active: true, source: 'built-in', embedded: 42 }),
      model({ id: 'resnet50', source: 'import', embedded: 3 }),
    ];
    const counts = modelCounts(models);
    expect(counts.active?.id).toBe(OFFLINE_MODEL_ID);
    expect(counts).toMatchObject({ available: 1, embedded: 42 });
    expect(modelStateLabel(models[0]!)).toBe('In use');
    expect(modelStateLabel(models[1]!)).toBe('Not imported');
    expect(modelStateLabel(model({}))).toBe('Not downloaded');
    expect(modelStateLabel(model({ available: true }))).toBe('Ready');
  });

  it('describes getting a model step by step, in bytes while downloading', () => {
    const d = (over: Partial<ModelDownload>): ModelDownload => ({
      step: 'downloading',
      received: 0,
      total: null,
      error: null,
      ...over,
    });
    expect(downloadLabel(d({ received: 12_400_000, total: 102_469_840 }))).toBe('12.4 MB of 102 MB');
    expect(downloadLabel(d({ received: 500 }))).toBe('500 B');
    expect(downloadLabel(d({ step: 'converting' }))).toMatch(/^Converting it for Komorebi on this computer/);
    expect(downloadLabel(d({ step: 'failed', error: 'checksum mismatch' }))).toBe(
      'Could not get it: checksum mismatch',
    );
    expect(downloadLabel(d({ step: 'ready' }))).toMatch(/^Ready and in use/);
    expect(downloadLabel(d({ step: 'cancelled' }))).toBe('Cancelled; nothing was kept.');
    expect([d({}), d({ step: 'converting' }), d({ step: 'ready' }), null].map(downloadRunning)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('offers the copy already on this computer before a download, and says so in the suggestion', () => {
    const resnet = model({ displayName: 'ResNet-50 (timm, ImageNet)', downloadBytes: 102_469_840 });
    expect(getModelLabel(resnet)).toBe('Download (102 MB)');
    expect(suggestionText(resnet)).toBe(
      'Find similar will be better with ResNet-50 (timm, ImageNet) (102 MB), the model the original photo ' +
        'workflow used. The built-in model works meanwhile.',
    );
    const cached = { ...resnet, localCopy: '/home/u/.cache/huggingface/hub/x/model.safetensors' };
    expect(getModelLabel(cached)).toBe('Use the copy in your Hugging Face cache');
    expect(suggestionText(cached)).toContain('found it in your Hugging Face cache: no download needed');
  });
});

describe('vector store', () => {
  it('builds configs the contract accepts, leaving empty optional fields out', () => {
    const milvus = configFromForm({
      ...emptyStoreForm,
      kind: 'milvus',
      uri: ' https://x.zillizcloud.com ',
      tls: true,
    });
    expect(milvus).toEqual({ config: { kind: 'milvus', uri: 'https://x.zillizcloud.com', tls: true } });
    const withToken = configFromForm({
      ...emptyStoreForm,
      kind: 'milvus',
      uri: 'http://h:19530',
      token: 'u:p',
    });
    expect(withToken).toEqual({ config: { kind: 'milvus', uri: 'http://h:19530', token: 'u:p' } });
    expect(configFromForm({ ...emptyStoreForm, kind: 'milvus-lite' })).toEqual({
      config: { kind: 'milvus-lite' },
    });
    expect(configFromForm(emptyStoreForm)).toEqual({ config: { kind: 'embedded' } });
    for (const built of [milvus, withToken]) {
      if ('config' in built) expect(storeConfigSchema.safeParse(built.config).success).toBe(true);
    }
  });

  it('says what is missing instead of sending a Milvus config without an address', () => {
    expect(configFromForm({ ...emptyStoreForm, kind: 'milvus', uri: '  ' })).toEqual({
      problem: expect.stringContaining('Milvus server address'),
    });
  });

  it('starts the form from the store in use, never with a token', () => {
    expect(formFromStatus(status({ kind: 'milvus', location: 'https://c.zilliz.com' }))).toEqual({
      ...emptyStoreForm,
      kind: 'milvus',
      uri: 'https://c.zilliz.com',
      tls: true,
    });
    expect(formFromStatus(status({ kind: 'milvus-lite', location: 'Milvus Lite at 127.0.0.1:1' })).uri).toBe(
      '',
    );
  });

  it('states counts, the outbox and the state in words', () => {
    expect(storeCountsLabel(status({}))).toBe('10 vectors stored');
    expect(storeCountsLabel(status({ stored: 4 }))).toBe('4 of 10 vectors stored');
    expect(storeCountsLabel(status({ stored: null }))).toContain('not known yet');
    expect(outboxLabel(0)).toBeNull();
    expect(outboxLabel(1)).toBe('1 vector waiting to be written');
    expect(outboxLabel(1200)).toBe('1,200 vectors waiting to be written');
    expect(storeStateLabel(status({ state: 'error' }))).toBe('Not reachable');
    expect(storeStateLabel(status({ state: 'switching', switchingTo: 'milvus' }))).toBe(
      'Switching to Milvus…',
    );
    expect(storeStateHint(status({ state: 'switching', switchingTo: 'milvus' }))).toBeNull();
  });

  it('a switch whose new store went down says it waits and goes on by itself, not "switching" forever', () => {
    const stuck = status({ state: 'error', switchingTo: 'milvus-lite', error: 'Milvus at … could not …' });
    expect(storeStateLabel(stuck)).toBe('Switching to Milvus Lite is waiting: not reachable');
    expect(storeStateHint(stuck)).toMatch(
      /^Searches use the current store meanwhile\. The switch goes on by itself once Milvus Lite answers again/,
    );
    expect(storeStateHint(status({ state: 'error' }))).toBeNull();
  });
});
