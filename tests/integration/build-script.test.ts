import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';

// scripts/build.js on a tiny project of its own (the real tsc, the real script): `--if-changed` compiles exactly
// when an input changed, and a deleted source leaves no compiled file behind. Each test has a project of its own.

/** A few tsc runs each, on a busy machine. */
const TIMEOUT = 60_000;

let dir: string;
const at = (file: string) => path.join(dir, file);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(at(file)), { recursive: true });
  writeFileSync(at(file), text);
};

/**
 * Runs the script; `compiled` says whether tsc ran, seen from the stamp being written again. Asynchronously, so
 * this jest worker's event loop keeps running while tsc does (other test files share the worker).
 */
async function build(...args: string[]) {
  const stampTime = () =>
    existsSync(at('dist/.build-stamp')) ? statSync(at('dist/.build-stamp')).mtimeMs : undefined;
  const before = stampTime();
  const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [at('scripts/build.js'), ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({
        status: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: stdout + stderr,
      });
    });
  });
  const after = stampTime();
  return { ...run, compiled: after === undefined || after !== before };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'build-script-'));
  mkdirSync(at('scripts'));
  copyFileSync(path.join(projectRoot, 'scripts', 'build.js'), at('scripts/build.js'));
  symlinkSync(path.join(projectRoot, 'node_modules'), at('node_modules'), 'dir');
  write('package.json', JSON.stringify({ name: 'tiny', type: 'module', private: true }));
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', strict: true, types: [] },
      include: ['src', 'bench'],
    }),
  );
  write(
    'tsconfig.build.json',
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: '.', outDir: 'dist', sourceMap: true },
    }),
  );
  write('src/index.ts', "import { two } from './sub/two.js';\nexport const one = 1 + two;\n");
  write('src/sub/two.ts', 'export const two = 2;\n');
  write('src/gone.ts', 'export const gone = true;\n');
  write('bench/b.ts', 'export const b = 3;\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The tiny project, compiled once: where every test but the first starts from. */
async function built(): Promise<void> {
  expect((await build('--if-changed')).status).toBe(0);
}

describe('scripts/build.js --if-changed', () => {
  it(
    'compiles when there is no dist/ yet, and writes the stamp',
    async () => {
      expect(await build('--if-changed')).toMatchObject({ status: 0, compiled: true });
      for (const file of [
        'dist/src/index.js',
        'dist/src/index.js.map',
        'dist/src/sub/two.js',
        'dist/bench/b.js',
      ]) {
        expect(existsSync(at(file))).toBe(true);
      }
      expect(readFileSync(at('dist/.build-stamp'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    },
    TIMEOUT,
  );

  it(
    'does nothing, quietly, when nothing changed; a touch alone is no change',
    async () => {
      await built();
      expect(await build('--if-changed')).toEqual({ status: 0, output: '', compiled: false });
      for (const file of ['src/index.ts', 'tsconfig.json']) writeFileSync(at(file), readFileSync(at(file)));
      rmSync(at('bench/b.ts'));
      write('bench/b.ts', 'export const b = 3;\n');
      expect(await build('--if-changed')).toMatchObject({ status: 0, compiled: false });
    },
    TIMEOUT,
  );

  it(
    'compiles after a source edit, even one that keeps the old size and modification time',
    async () => {
      await built();
      const before = statSync(at('src/sub/two.ts'));
      write('src/sub/two.ts', 'export const two = 9;\n');
      utimesSync(at('src/sub/two.ts'), before.atime, before.mtime);
      expect(await build('--if-changed')).toMatchObject({ status: 0, compiled: true });
      expect(readFileSync(at('dist/src/sub/two.js'), 'utf8')).toContain('two = 9');
      expect((await build('--if-changed')).compiled).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'copies the SQL files of src/ beside the compiled code, again after an edit, and removes one whose source went',
    async () => {
      write('src/store/migrations/001_first.sql', 'CREATE TABLE a (id int);\n');
      write('src/store/migrations/002_second.sql', 'CREATE TABLE b (id int);\n');
      await built();
      expect(readFileSync(at('dist/src/store/migrations/001_first.sql'), 'utf8')).toBe(
        'CREATE TABLE a (id int);\n',
      );
      write('src/store/migrations/001_first.sql', 'CREATE TABLE c (id int);\n');
      rmSync(at('src/store/migrations/002_second.sql'));
      expect((await build('--if-changed')).compiled).toBe(true);
      expect(readFileSync(at('dist/src/store/migrations/001_first.sql'), 'utf8')).toBe(
        'CREATE TABLE c (id int);\n',
      );
      expect(existsSync(at('dist/src/store/migrations/002_second.sql'))).toBe(false);
      rmSync(at('dist/src/store/migrations/001_first.sql'));
      expect((await build('--if-changed')).compiled).toBe(true);
      expect(existsSync(at('dist/src/store/migrations/001_first.sql'))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'compiles after a new source file, a tsconfig change or a package.json change',
    async () => {
      await built();
      write('src/added.ts', 'export const added = 1;\n');
      expect((await build('--if-changed')).compiled).toBe(true);
      expect(existsSync(at('dist/src/added.js'))).toBe(true);
      write(
        'tsconfig.build.json',
        readFileSync(at('tsconfig.build.json'), 'utf8').replace(
          '"sourceMap":true',
          '"sourceMap":true,"removeComments":true',
        ),
      );
      expect((await build('--if-changed')).compiled).toBe(true);
      write(
        'package.json',
        JSON.stringify({ name: 'tiny', version: '2.0.0', type: 'module', private: true }),
      );
      expect((await build('--if-changed')).compiled).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'removes the compiled files of a deleted source, and the folder it leaves empty',
    async () => {
      await built();
      rmSync(at('src/gone.ts'));
      rmSync(at('src/sub/two.ts'));
      write('src/index.ts', 'export const one = 1;\n');
      expect(await build('--if-changed')).toMatchObject({ status: 0, compiled: true });
      expect(existsSync(at('dist/src/gone.js'))).toBe(false);
      expect(existsSync(at('dist/src/sub'))).toBe(false);
      expect(existsSync(at('dist/src/index.js'))).toBe(true);
      expect(existsSync(at('dist/bench/b.js'))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'compiles when a compiled file is missing though the stamp matches',
    async () => {
      await built();
      rmSync(at('dist/src/index.js'));
      expect((await build('--if-changed')).compiled).toBe(true);
      expect(existsSync(at('dist/src/index.js'))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'fails on a type error, writes no stamp, and so compiles again next time',
    async () => {
      await built();
      write('src/index.ts', 'export const one: number = "one";\n');
      const failed = await build('--if-changed');
      expect(failed.status).not.toBe(0);
      expect(failed.output).toContain('TS2322');
      expect(existsSync(at('dist/.build-stamp'))).toBe(false);
      expect((await build('--if-changed')).status).not.toBe(0);
      write('src/index.ts', 'export const one = 1;\n');
      expect(await build('--if-changed')).toMatchObject({ status: 0, compiled: true });
    },
    TIMEOUT,
  );

  it(
    'always compiles without --if-changed (npm run build)',
    async () => {
      await built();
      expect((await build('--if-changed')).compiled).toBe(false);
      expect(await build()).toMatchObject({ status: 0, compiled: true });
    },
    TIMEOUT,
  );
});
