// Which models the Studio offers and picks, from OpenAI's list (or none), at a given day.
import { describe, expect, it } from 'vitest';
import { catalogDefault, studioModels } from '../../src/main/core/studio/models/choices';
import type { DirectoryState, ListedModel } from '../../src/main/core/studio/models/directory';
import type { StudioSettings } from '../../src/shared/model';
import { todaysModels } from './fake-openai/today';

const DEC_1 = Date.parse('2026-12-01T10:00:00Z');
const automatic: StudioSettings = {
  engine: 'openai-responses',
  responsesModel: '',
  responsesImageModel: '',
  imagesModel: '',
  baseUrl: '',
  referenceMaxSide: 1536,
};

/** Today's list as OpenAI's /v1/models gives it (the fake's world, written from the deprecations page). */
const today: ListedModel[] = [...todaysModels().values()].map((m) => ({
  id: m.id,
  shutdownDate: m.shutdown_date,
}));
const live = (models: ListedModel[]): DirectoryState => ({
  list: { baseURL: 'https://api.openai.com/v1', fetchedAt: DEC_1 - 60_000, models },
  fresh: true,
  problem: null,
});

describe('studioModels', () => {
  it('picks the newest live gpt-image family and a main model that can call the tool', () => {
    const m = studioModels(automatic, live(today), DEC_1, true);
    expect(m.source).toBe('live');
    expect(m.defaults).toEqual({
      responsesModel: 'gpt-6-luna',
      responsesImageModel: 'gpt-image-2.6-sunburst',
      imagesModel: 'gpt-image-2.6-sunburst',
    });
    expect(m.effective).toEqual(m.defaults);
    expect(m.notices).toEqual([]);
    // Models that cannot draw or call the tool are not offered.
    const offered = [...m.main, ...m.image].map((x) => x.id);
    for (const id of ['text-embedding-3-large', 'whisper-1', 'gpt-6.1-sol'])
      expect(offered).not.toContain(id);
    expect(m.image.map((x) => x.id).slice(0, 3)).toEqual([
      'gpt-image-2.6-sunburst',
      'gpt-image-2.6-flare',
      'gpt-image-2.5-sunburst',
    ]);
    expect(m.image.find((x) => x.id === 'gpt-image-2')).toMatchObject({
      shutdownDate: '2027-02-10',
      status: 'live',
      known: true,
    });
    expect(m.main.find((x) => x.id === 'gpt-5')).toMatchObject({
      shutdownDate: '2026-12-11',
      status: 'retiring',
      replacement: 'gpt-6-luna',
    });
    expect(m.image[0]!.price).toBe('text in $5.00 · image in $8.00 · image out $30.00 per 1M tokens');
  });

  it('moves with what is live: without the 2.6 family the 2.5 one, and never a retired model', () => {
    const older = today.filter((x) => !x.id.startsWith('gpt-image-2.6'));
    expect(studioModels(automatic, live(older), DEC_1, true).defaults.imagesModel).toBe(
      'gpt-image-2.5-sunburst',
    );
    const onlyOld = [
      { id: 'gpt-image-1.5', shutdownDate: '2026-12-01' },
      { id: 'gpt-image-2', shutdownDate: '2027-02-10' },
      { id: 'gpt-4o', shutdownDate: '2027-01-14' },
    ];
    const m = studioModels(automatic, live(onlyOld), DEC_1, true);
    expect(m.defaults.imagesModel).toBe('gpt-image-2');
    expect(m.defaults.responsesModel).toBe('gpt-4o');
    // A family Komorebi does not know is used when it is all there is.
    expect(
      studioModels(automatic, live([{ id: 'gpt-image-3', shutdownDate: null }]), DEC_1, true).defaults
        .imagesModel,
    ).toBe('gpt-image-3');
  });

  it('keeps an explicit choice, and warns 30 days before its shutdown with the date and a replacement', () => {
    const chosen = { ...automatic, responsesModel: 'gpt-5', responsesImageModel: 'gpt-image-2' };
    const m = studioModels(chosen, live(today), DEC_1, true);
    expect(m.effective).toMatchObject({ responsesModel: 'gpt-5', responsesImageModel: 'gpt-image-2' });
    expect(m.notices).toEqual([
      {
        setting: 'responsesModel',
        model: 'gpt-5',
        shutdownDate: '2026-12-11',
        replacement: 'gpt-6-luna',
        message: "gpt-5 shuts down on 2026-12-11 (in 10 days). OpenAI's replacement: gpt-6-luna.",
      },
    ]);
    // gpt-image-2 (2027-02-10) gets its notice once the date is within 30 days.
    const jan15 = Date.parse('2027-01-15T00:00:00Z');
    expect(
      studioModels(chosen, live(today), jan15, true).notices.map((n) => [n.model, n.replacement]),
    ).toContainEqual(['gpt-image-2', 'gpt-image-2.6-flare']);
  });

  it('says a chosen model is gone when OpenAI no longer lists it, and offers a live one', () => {
    const m = studioModels(
      { ...automatic, engine: 'openai-images', imagesModel: 'gpt-image-1' },
      live(today),
      DEC_1,
      true,
    );
    expect(m.image.find((x) => x.id === 'gpt-image-1')).toMatchObject({
      status: 'retired',
      replacement: 'gpt-image-2.5-sunburst',
    });
    expect(m.notices).toEqual([
      expect.objectContaining({
        setting: 'imagesModel',
        model: 'gpt-image-1',
        message: 'gpt-image-1 was shut down by OpenAI on 2026-10-23. Switch to gpt-image-2.5-sunburst.',
      }),
    ]);
  });

  it('uses the last list seen without a key or network, and says so', () => {
    const cached: DirectoryState = {
      ...live(today),
      fresh: false,
      problem: 'Could not reach the OpenAI API (ECONNREFUSED).',
    };
    const m = studioModels(automatic, cached, DEC_1, true);
    expect(m.source).toBe('cache');
    expect(m.summary).toBe(
      'Using the list of models seen 2026-12-01 09:59 UTC: OpenAI could not be asked now (Could not reach the OpenAI API (ECONNREFUSED).).',
    );
    expect(m.defaults.imagesModel).toBe('gpt-image-2.6-sunburst');
  });

  it("without any list, offers the table's families that have not shut down", () => {
    const none = studioModels(automatic, { list: null, fresh: false, problem: null }, DEC_1, false);
    expect(none.source).toBe('none');
    expect(none.summary).toMatch(/No list of models from OpenAI yet \(no API key yet\)/);
    expect(none.defaults).toEqual({
      responsesModel: 'gpt-6-luna',
      responsesImageModel: 'gpt-image-2.6-sunburst',
      imagesModel: 'gpt-image-2.6-sunburst',
    });
    expect(none.image.find((x) => x.id === 'gpt-image-1.5')?.status).toBe('retired');
    expect(catalogDefault('image', DEC_1)).toBe('gpt-image-2.6-sunburst');
    expect(catalogDefault('main', DEC_1)).toBe('gpt-6-luna');
  });
});
