/**
 * Copies the parts of OpenAI's OpenAPI description that the Comic Studio tests check requests
 * against into tests/studio/openapi/openai-schemas.json: the request bodies of POST /responses,
 * /images/edits and /images/generations, what GET /models and /models/{id} answer, the error
 * envelope, and every schema they refer to. The fake OpenAI server (tests/studio/fake-openai)
 * validates each request Komorebi sends against it.
 *
 *   npx tsx scripts/openai-schemas/extract.ts [path/to/openapi.yaml]
 *
 * Without a path it looks for shared/reference/openai-openapi/openapi.yaml in the folders above
 * the repository (where the project's reference snapshot lives).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { applyNewerThanSnapshot, closeRequestObjects, resolveRecursiveRefs, toJsonSchema } from './patches';

type Schema = Record<string, unknown>;

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(repo, 'tests', 'studio', 'openapi');

/** The schemas the tests use, with the operation each one belongs to. */
export const ROOTS = {
  CreateResponse: 'POST /responses (application/json)',
  CreateImageEditRequest: 'POST /images/edits (multipart/form-data)',
  CreateImageRequest: 'POST /images/generations (application/json)',
  ListModelsResponse: 'GET /models (200)',
  Model: 'GET /models/{model} (200)',
  ImagesResponse: 'POST /images/edits and /images/generations (200)',
  ErrorResponse: 'any error (4xx, 5xx)',
} as const;

export function findSpec(): string | null {
  const arg = process.argv[2];
  if (arg) return resolve(arg);
  for (let dir = repo; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'reference', 'openai-openapi', 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Every `#/components/schemas/X` reachable from the roots, in a stable order. */
function reachable(all: Record<string, Schema>, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    if (!all[name]) throw new Error(`The description refers to a schema it does not define: ${name}`);
    seen.add(name);
    JSON.stringify(all[name], (key, value) => {
      if (key === '$ref' && typeof value === 'string') visit(value.replace('#/components/schemas/', ''));
      return value;
    });
  };
  roots.forEach(visit);
  return [...seen].sort();
}

/** The fixture as the committed JSON holds it, made from the description at `specPath`. */
export function buildFixture(specPath: string) {
  const spec = parse(readFileSync(specPath, 'utf8'), { maxAliasCount: -1 }) as {
    info: { version: string };
    components: { schemas: Record<string, Schema> };
  };
  const names = reachable(spec.components.schemas, Object.keys(ROOTS));
  const defs: Record<string, Schema> = {};
  for (const name of names) defs[name] = toJsonSchema(spec.components.schemas[name]) as Schema;
  resolveRecursiveRefs(defs);
  const changes = [
    'every oneOf is checked as anyOf (the unions overlap; the SDKs read them as unions)',
    'nullable: true (OpenAPI 3.0) became an explicit null alternative',
    '$recursiveAnchor / $recursiveRef (draft 2019-09) became a $ref to the schema itself',
    'description, example, deprecated and x-* keys were dropped (no constraint)',
    ...applyNewerThanSnapshot(defs),
    ...closeRequestObjects(defs),
  ];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment:
      "Extracted from OpenAI's OpenAPI description by scripts/openai-schemas/extract.ts; see README.md here. Do not edit by hand.",
    source: {
      repository: 'https://github.com/openai/openai-openapi',
      commit: 'f85dbe223d40e1a31cba812ab2d755c7e98a92a3',
      date: '2026-08-21',
      apiVersion: spec.info.version,
      license: 'MIT',
    },
    roots: ROOTS,
    changes,
    $defs: defs,
  };
}

export const FIXTURE = join(outDir, 'openai-schemas.json');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const specPath = findSpec();
  if (!specPath)
    throw new Error(
      'No openapi.yaml found: pass its path, e.g. ../shared/reference/openai-openapi/openapi.yaml',
    );
  const fixture = buildFixture(specPath);
  writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
  writeFileSync(join(outDir, 'LICENSE'), readFileSync(join(dirname(specPath), 'LICENSE')));
  console.log(
    `${Object.keys(fixture.$defs).length} schemas from ${specPath}; ${fixture.changes.length} changes listed.`,
  );
}
