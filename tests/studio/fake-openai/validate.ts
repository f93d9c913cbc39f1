/**
 * Checks requests against OpenAI's OpenAPI description (the fixture in ../openapi, extracted
 * by scripts/openai-schemas/extract.ts) with Ajv, a JSON Schema 2020-12 validator.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ReceivedFile } from './types';

type Schema = Record<string, unknown>;

const fixture = JSON.parse(
  readFileSync(new URL('../openapi/openai-schemas.json', import.meta.url), 'utf8'),
) as { $defs: Record<string, Schema>; roots: Record<string, string> };

export type Root = keyof typeof fixture.roots & string;

/** A file part stands for itself as a string "file:<name>", the `format: binary` of the description. */
const FILE = 'file:';

const ajv = new Ajv2020({
  strict: false, // the description carries OpenAPI keys (discriminator) Ajv need not know
  allErrors: true,
  formats: {
    binary: (s: string) => s.startsWith(FILE),
    date: /^\d{4}-\d{2}-\d{2}$/,
    unixtime: true,
    float: true,
    uri: true,
  },
});
ajv.addSchema({ $id: 'openai', $defs: fixture.$defs });

const compiled = new Map<string, ValidateFunction>();

function validator(root: string): ValidateFunction {
  let v = compiled.get(root);
  if (!v) {
    v = ajv.getSchema(`openai#/$defs/${root}`);
    if (!v) throw new Error(`The OpenAPI fixture has no schema ${root}`);
    compiled.set(root, v);
  }
  return v;
}

/** What is wrong with `data` as a `root`, one line per problem; empty when it conforms. */
export function schemaErrors(root: Root, data: unknown): string[] {
  const v = validator(root);
  if (v(data)) return [];
  return summarise(v.errors ?? []);
}

/**
 * A union (anyOf) that fails reports every branch's complaint; the useful ones are those that
 * reached deepest into the data, plus any unknown parameter.
 */
function summarise(errors: ErrorObject[]): string[] {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  // A branch whose `type` did not match says so; when another branch got further, that is noise.
  const parentOf = (e: ErrorObject) => e.instancePath.replace(/\/type$/, '');
  const wrongType = (e: ErrorObject) => e.keyword === 'enum' && e.instancePath.endsWith('/type');
  const informative = errors.filter(
    (e) => !wrongType(e) || !errors.some((o) => !wrongType(o) && o.instancePath.startsWith(parentOf(e))),
  );
  const picked = informative.filter(
    (e) => e.keyword === 'unevaluatedProperties' || depth(e) === Math.max(...informative.map(depth)),
  );
  const lines = picked.map((e) => {
    const where = e.instancePath || '(body)';
    const extra =
      e.keyword === 'unevaluatedProperties'
        ? ` "${String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty)}"`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
    return `${where} ${e.message}${extra}`;
  });
  return [...new Set(lines)].slice(0, 12);
}

/** The property schema of a multipart field, following $ref and anyOf one level down. */
function typesOf(root: Root, field: string): Set<string> {
  const types = new Set<string>();
  const visit = (s: Schema | undefined, depth: number) => {
    if (!s || depth > 4) return;
    if (typeof s.$ref === 'string') visit(fixture.$defs[s.$ref.replace('#/$defs/', '')], depth + 1);
    const t = s.type;
    for (const x of Array.isArray(t) ? t : t ? [t] : []) types.add(String(x));
    for (const b of (s.anyOf as Schema[] | undefined) ?? []) visit(b, depth + 1);
  };
  const props = fixture.$defs[root]?.properties as Record<string, Schema> | undefined;
  visit(props?.[field], 0);
  return types;
}

/**
 * multipart/form-data as the JSON object the description describes: repeated or `name[]`
 * fields become arrays, numbers and booleans are read as the schema types them (a form field
 * is always text), and files become "file:<name>".
 */
export function multipartAsObject(
  root: Root,
  fields: Record<string, string[]>,
  files: ReceivedFile[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (raw: string, value: unknown) => {
    const many = raw.endsWith('[]');
    const name = many ? raw.slice(0, -2) : raw;
    const prev = out[name];
    if (prev === undefined) out[name] = many ? [value] : value;
    else out[name] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  for (const [name, values] of Object.entries(fields)) {
    const types = typesOf(root, name.replace(/\[\]$/, ''));
    for (const v of values) put(name, coerce(v, types));
  }
  for (const f of files) put(f.field, `${FILE}${f.filename}`);
  return out;
}

function coerce(value: string, types: Set<string>): unknown {
  if ((types.has('integer') || types.has('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
