/**
 * fast-check arbitraries generated from the contract's zod schemas. zod-fast-check (the library
 * for this) supports zod 3 and fast-check 3 only, so the schema goes through zod 4's own
 * `z.toJSONSchema` (input side: defaults optional), and this file turns that JSON Schema into
 * two arbitraries: values the schema describes, and values broken in one place (a wrong type,
 * an out-of-range number, an overlong string, a missing or unknown key, a prototype key). Which
 * is which is decided afterwards by the zod schema itself (`safeParse` after a JSON round trip),
 * never by this generator, so a mistake here cannot make the fuzzer expect the wrong answer.
 */
import fc from 'fast-check';
import { type ZodType, z } from 'zod';

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export function jsonSchemaOf(schema: ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
}

/** Arrays stay short so a run is fast; their limits are attacked by `broken`. */
const MAX_ITEMS = 6;
const MAX_STRING = 40;

const text = fc.oneof(
  fc.string({ maxLength: MAX_STRING }),
  fc.string({ maxLength: MAX_STRING, unit: 'binary' }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%2e%2e/', 'C:\\Windows', '\u202e', '<script>'),
);

function integerIn(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constant(min),
    fc.constant(max),
    fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number),
  );
}

/** Values the schema describes (by construction; zod still has the last word). */
export function valid(s: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const choices = s.anyOf ?? s.oneOf;
  if (choices) return fc.oneof(...choices.map(valid));
  switch (s.type) {
    case 'string': {
      const minLength = s.minLength ?? 0;
      const maxLength = s.maxLength ?? MAX_STRING;
      if (s.pattern) {
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((v) => v.length >= minLength && v.length <= maxLength);
      }
      if (s.format === 'uri') return fc.webUrl().filter((v) => v.length <= maxLength);
      return fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, MAX_STRING)) });
    }
    case 'integer': {
      const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1e9);
      const max = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : (s.maximum ?? 1e9);
      return integerIn(min, max);
    }
    case 'number':
      return fc.double({
        min: s.exclusiveMinimum ?? s.minimum ?? -1e9,
        max: s.exclusiveMaximum ?? s.maximum ?? 1e9,
        minExcluded: s.exclusiveMinimum !== undefined,
        maxExcluded: s.exclusiveMaximum !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(s.items ?? {}), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    case 'object': {
      if (!s.properties) {
        const values =
          typeof s.additionalProperties === 'object' ? valid(s.additionalProperties) : fc.anything();
        return fc.dictionary(fc.string({ maxLength: 8 }), values, { maxKeys: 3 });
      }
      const shape = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valid(v)]));
      return fc.record(shape, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Any JSON value, of any type: what a wrong type looks like. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', '0', [], {}, [[[[[]]]]], { __proto__: null }),
);

const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'then',
);

/** Values broken in one place, at any depth. */
export function broken(s: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [anyJson];
  if (s.type === 'string') {
    const max = s.maxLength ?? MAX_STRING;
    options.push(
      fc.constant('x'.repeat(max + 1)),
      fc.constant(' '.repeat(Math.max(1, s.minLength ?? 1))),
      text,
      fc.integer(),
    );
  }
  if (s.type === 'integer' || s.type === 'number') {
    const below = s.exclusiveMinimum ?? (s.minimum !== undefined ? s.minimum - 1 : -1);
    const above = s.exclusiveMaximum ?? (s.maximum !== undefined ? s.maximum + 1 : 1e300);
    options.push(
      fc.constantFrom(below, above, 0.5, -0.5, Number.MAX_SAFE_INTEGER + 2, -1e300, 1e300),
      fc.string({ maxLength: 6 }),
      fc.double({ noNaN: true }),
    );
  }
  if (s.type === 'array') {
    const items = s.items ?? {};
    options.push(
      fc.array(broken(items), { minLength: 1, maxLength: 3 }),
      fc.constant([]),
      fc.constant(Array.from({ length: (s.maxItems ?? MAX_ITEMS) + 1 }, (_, i) => i + 1)),
    );
  }
  if (s.type === 'object' && s.properties) {
    const props = s.properties;
    const whole = valid(s) as fc.Arbitrary<Record<string, unknown>>;
    const keys = Object.keys(props);
    options.push(
      // An unknown or hostile key beside valid ones.
      fc.tuple(whole, fc.oneof(hostileKeys, fc.string({ maxLength: 12 })), anyJson).map(([v, k, x]) => {
        const out = { ...v };
        Object.defineProperty(out, k, { value: x, enumerable: true, configurable: true, writable: true });
        return out;
      }),
    );
    if ((s.required ?? []).length > 0) {
      options.push(
        fc.tuple(whole, fc.constantFrom(...s.required!)).map(([v, k]) => {
          const out = { ...v };
          delete out[k];
          return out;
        }),
      );
    }
    if (keys.length > 0) {
      options.push(
        fc
          .constantFrom(...keys)
          .chain((k) => fc.tuple(whole, fc.constant(k), broken(props[k]!)))
          .map(([v, k, x]) => ({ ...v, [k]: x })),
      );
    }
  }
  const choices = s.anyOf ?? s.oneOf;
  if (choices) options.push(...choices.map(broken));
  if (s.enum || 'const' in s) options.push(text);
  return fc.oneof(...options);
}

/** What a payload becomes on the wire and back (undefined keys vanish, -0 becomes 0). */
export function overTheWire(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : JSON.parse(json);
}
