// The committed schema fixture is what the script makes from OpenAI's description, and the
// validator built on it refuses what the description refuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildFixture, FIXTURE, findSpec } from '../../scripts/openai-schemas/extract';
import { multipartAsObject, schemaErrors } from './fake-openai/validate';

const spec = findSpec();

describe('the OpenAPI fixture', () => {
  // The snapshot lives outside the repository (shared/reference); a clean clone without it
  // still validates against the committed fixture, it just cannot re-derive it.
  it.skipIf(!spec)('equals what scripts/openai-schemas/extract.ts makes from the snapshot', () => {
    const committed = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildFixture(spec!))));
  });

  it('says where it differs from the snapshot', () => {
    const { changes, source } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      changes: string[];
      source: { commit: string };
    };
    expect(source.commit).toBe('f85dbe223d40e1a31cba812ab2d755c7e98a92a3');
    expect(changes.filter((c) => c.includes('gpt-image-2.6'))).toHaveLength(3);
  });

  it('accepts what Komorebi sends and refuses wrong types, values and unknown parameters', () => {
    const body = {
      model: 'gpt-6-luna',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'hi' },
            { type: 'input_image', detail: 'high', image_url: 'data:image/png;base64,AA==' },
          ],
        },
      ],
      tools: [
        {
          type: 'image_generation',
          model: 'gpt-image-2.6-sunburst',
          size: '1024x1024',
          quality: 'xhigh',
          partial_images: 2,
          output_format: 'png',
          input_image_mask: { image_url: 'data:image/png;base64,AA==' },
          action: 'edit',
        },
      ],
      tool_choice: { type: 'image_generation' },
      store: true,
      stream: true,
    };
    expect(schemaErrors('CreateResponse', body)).toEqual([]);
    expect(schemaErrors('CreateResponse', { ...body, tempreature: 1 })).toEqual([
      '(body) must NOT have unevaluated properties "tempreature"',
    ]);
    expect(
      schemaErrors('CreateResponse', { ...body, tools: [{ ...body.tools[0], partial_images: 4 }] }),
    ).toContain('/tools/0/partial_images must be <= 3');
    const form = multipartAsObject(
      'CreateImageEditRequest',
      { model: ['gpt-image-2'], prompt: ['p'], n: ['2'], stream: ['true'] },
      [
        { field: 'image[]', filename: 'a.png', contentType: 'image/png', data: Buffer.alloc(0) },
        { field: 'mask', filename: 'mask.png', contentType: 'image/png', data: Buffer.alloc(0) },
      ],
    );
    expect(form).toEqual({
      model: 'gpt-image-2',
      prompt: 'p',
      n: 2,
      stream: true,
      image: ['file:a.png'],
      mask: 'file:mask.png',
    });
    expect(schemaErrors('CreateImageEditRequest', form)).toEqual([]);
    expect(
      schemaErrors('CreateImageEditRequest', { ...form, image: Array(17).fill('file:a.png') }),
    ).toContain('/image must NOT have more than 16 items');
    expect(schemaErrors('CreateImageEditRequest', { ...form, mask: 'not a file' })).toContain(
      '/mask must match format "binary"',
    );
    expect(
      schemaErrors('Model', {
        id: 'gpt-5',
        object: 'model',
        created: 1,
        owned_by: 'system',
        shutdown_date: '2026-12-11',
      }),
    ).toEqual([]);
  });
});
