import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder cannot run here (it needs the Electron binary); this checks the config's
// shape against electron-builder's own JSON schema and the things the app depends on.
const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(resolve(root, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const Ajv = require('ajv') as new (
  options: object,
) => {
  validate(schema: unknown, data: unknown): boolean;
  errors?: unknown[];
};
const schema = require('app-builder-lib/scheme.json') as unknown;

type BuilderConfig = {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string };
  win: { target: string[] };
};
const config = yaml.load(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema (and the schema does catch a misspelt key)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(ajv.validate(schema, config), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(schema, { ...config, asarUnpak: [] })).toBe(false);
  });

  it('targets AppImage + deb, a hardened-runtime dmg and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(readFileSync(resolve(root, config.mac.entitlements), 'utf8')).toContain(
      'com.apple.security.cs.allow-jit',
    );
    expect(config.win.target).toEqual(['nsis']);
  });

  it('ships the build output and unpacks every native module and the models', () => {
    expect(config.files).toContain('out/**');
    expect(config.files).toContain('resources/**');
    for (const native of ['better-sqlite3', 'sharp', '@img', 'onnxruntime-node', 'usearch']) {
      expect(config.asarUnpack).toContain(`node_modules/${native}/**`);
    }
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: 'resources/models', to: 'models' }),
    );
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('./out/main/index.js');
  });
});
