/**
 * What the extraction changes in OpenAI's description, each change written into the fixture's
 * `changes` list so a reader sees where the tests follow something other than the snapshot.
 */
type Schema = Record<string, unknown>;

const DOC_KEYS = new Set(['description', 'example', 'examples', 'externalDocs', 'deprecated']);

/**
 * OpenAPI 3.1 is JSON Schema 2020-12 plus a few leftovers: refs point into components,
 * `nullable` (3.0) still appears, and `x-*` / docs keys carry no constraint. Refs are
 * rewritten to `#/$defs/X`, `nullable` becomes an explicit null alternative, docs are dropped,
 * and `oneOf` is read as `anyOf` (see below).
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (DOC_KEYS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', '#/$defs/');
      continue;
    }
    // A property named "description" or "example" is data, not documentation.
    const converted = key === 'properties' ? mapValues(value as Schema) : toJsonSchema(value);
    // The description's unions overlap (an EasyInputMessage is also an InputMessage), and the
    // SDKs generated from it treat oneOf as "one of these shapes": it is checked as anyOf.
    out[key === 'oneOf' ? 'anyOf' : key] = converted;
  }
  return withoutNullable(out);
}

/**
 * `$recursiveAnchor` / `$recursiveRef` are draft 2019-09; in 2020-12 a schema that refers to
 * itself just names itself, which is what the description means (a filter of filters).
 */
export function resolveRecursiveRefs(defs: Record<string, Schema>): void {
  for (const [name, def] of Object.entries(defs)) {
    if (!('$recursiveAnchor' in def)) continue;
    delete def.$recursiveAnchor;
    const text = JSON.stringify(def).replaceAll('{"$recursiveRef":"#"}', `{"$ref":"#/$defs/${name}"}`);
    defs[name] = JSON.parse(text) as Schema;
  }
}

function mapValues(props: Schema): Schema {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toJsonSchema(v)]));
}

function withoutNullable(s: Schema): Schema {
  if (s.nullable !== true) {
    delete s.nullable;
    return s;
  }
  delete s.nullable;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  if (Array.isArray(s.anyOf)) return { ...s, anyOf: [...s.anyOf, { type: 'null' }] };
  const { default: dflt, ...rest } = s;
  return { anyOf: [rest, { type: 'null' }], ...(dflt === undefined ? {} : { default: dflt }) };
}

function at(defs: Record<string, Schema>, path: string[]): Schema {
  let node: unknown = defs;
  for (const key of path) node = (node as Schema)[key];
  if (!node || typeof node !== 'object') throw new Error(`Not in the snapshot any more: ${path.join('.')}`);
  return node as Schema;
}

/** An enum somewhere under `schema` (itself, or in an anyOf branch), extended with `values`. */
function extendEnum(schema: Schema, values: string[]): void {
  const target = Array.isArray(schema.enum)
    ? schema
    : ((schema.anyOf as Schema[] | undefined)?.find((b) => Array.isArray(b.enum)) ?? null);
  if (!target) throw new Error('No enum to extend');
  const list = target.enum as unknown[];
  for (const v of values) if (!list.includes(v)) list.splice(list.includes(null) ? -1 : list.length, 0, v);
}

/**
 * The 2026-08-21 snapshot predates gpt-image-2.6 (released 2026-11-04). Its API reference
 * (developers.openai.com/api/reference, images and the image_generation tool) adds the quality
 * levels `xhigh` and `max` for that family; the tests follow the current reference there.
 */
export function applyNewerThanSnapshot(defs: Record<string, Schema>): string[] {
  const quality = [
    ['CreateImageEditRequest', 'properties', 'quality'],
    ['CreateImageRequest', 'properties', 'quality'],
    ['ImageGenTool', 'properties', 'quality'],
  ];
  for (const path of quality) extendEnum(at(defs, path), ['xhigh', 'max']);
  return quality.map(
    (p) =>
      `${p.join('.')}: added "xhigh" and "max" (gpt-image-2.6 family, current API reference; newer than the snapshot)`,
  );
}

/**
 * The service refuses a parameter it does not know (400 unknown_parameter), while the
 * description leaves its objects open. The request objects Komorebi builds are closed with
 * `unevaluatedProperties: false` (which sees through allOf), so a misspelt or invented
 * parameter fails the test as it would fail against OpenAI.
 */
export function closeRequestObjects(defs: Record<string, Schema>): string[] {
  const closed = ['CreateResponse', 'CreateImageEditRequest', 'CreateImageRequest', 'ImageGenTool'];
  for (const name of closed) at(defs, [name]).unevaluatedProperties = false;
  return closed.map((n) => `${n}: unevaluatedProperties false (the service refuses unknown parameters)`);
}
