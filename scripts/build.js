// Compiles the TypeScript (`tsc -p tsconfig.build.json`: src/ and bench/ into dist/). Plain Node ESM, no
// dependencies. `npm run build` always compiles; `--if-changed` (npm start, npm test, knowledge:check, bench:*,
// report) compiles only when dist/ does not already hold the output of exactly the current inputs, so a start
// with nothing changed costs one short node process instead of a compiler run.
//
// "The current inputs" is a hash of the content of every source file tsc compiles, the tsconfig*.json files,
// package.json, package-lock.json, the TypeScript version and this script, written to dist/.build-stamp after a
// successful compile. Content, not mtimes: any edit, added or deleted file rebuilds, a touch alone does not.
// After a compile, outputs whose source is gone (dist/src/old.js after src/old.ts was deleted or renamed) are
// removed, so a stale module can never be run or imported.
//
// Files the code reads beside itself at run time (ASSET: the SQL migrations of src/store/postgres/migrations/)
// are copied to the same place under dist/, count among the inputs, and are removed from dist/ with their source.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsconfig = 'tsconfig.build.json';
/** tsconfig.build.json's outDir; its rootDir is the project root, so src/a.ts compiles to dist/src/a.js. */
const outDir = 'dist';
const stampFile = path.join(root, outDir, '.build-stamp');
const SOURCE = /\.[cm]?tsx?$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const ASSET = /\.sql$/;

/**
 * The folders tsconfig.build.json includes (its own `include`, or the one it extends), when they are plain folder
 * names; undefined otherwise (globs, a config that is not plain JSON), and then every run compiles.
 */
function sourceFolders(config = path.join(root, tsconfig)) {
  try {
    const { include, extends: base } = JSON.parse(readFileSync(config, 'utf8'));
    if (include === undefined && typeof base === 'string' && base.startsWith('.')) {
      return sourceFolders(path.resolve(path.dirname(config), base));
    }
    const plain = Array.isArray(include) && include.every((entry) => /^[\w.-]+$/.test(entry));
    return plain ? include : undefined;
  } catch {
    return undefined;
  }
}

/** Every file tsc compiles, relative to the root with forward slashes, sorted. */
function sourceFiles(folders) {
  const files = [];
  for (const folder of folders) {
    if (!existsSync(path.join(root, folder))) continue;
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !(SOURCE.test(entry.name) || ASSET.test(entry.name))) continue;
      files.push(path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return files.sort();
}

function fingerprint(sources) {
  const hash = createHash('sha256');
  const typescript = createRequire(import.meta.url)('typescript/package.json').version;
  hash.update(`typescript ${typescript}\0`);
  const configs = readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name));
  const others = [...configs.sort(), 'package.json', 'package-lock.json', 'scripts/build.js'];
  for (const file of [...others, ...sources]) {
    const full = path.join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(full) ? readFileSync(full) : '<missing>');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * dist/src/a.js for src/a.ts (.mts → .mjs, .cts → .cjs), dist/src/b.sql for the asset src/b.sql; undefined for a
 * declaration file, which emits nothing.
 */
function outputOf(source) {
  if (DECLARATION.test(source)) return undefined;
  if (ASSET.test(source)) return path.join(root, outDir, source);
  const js = source
    .replace(/\.tsx?$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
  return path.join(root, outDir, js);
}

function upToDate(stamp, sources) {
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8').trim() !== stamp) return false;
  return sources.every((source) => {
    const output = outputOf(source);
    return output === undefined || existsSync(output);
  });
}

/** Removes compiled files (and folders left empty) under dist/<folder>/ whose source no longer exists. */
function removeStaleOutputs(folders, sources) {
  const expected = new Set(sources.map(outputOf).filter((output) => output !== undefined));
  for (const folder of folders) {
    const out = path.join(root, outDir, folder);
    if (!existsSync(out)) continue;
    for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const compiled = file.replace(/\.map$/, '');
      if ((/\.[cm]?js$/.test(compiled) || ASSET.test(compiled)) && !expected.has(compiled)) rmSync(file);
    }
    const dirs = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort((a, b) => b.length - a.length);
    for (const dir of dirs) if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
}

const folders = sourceFolders();
const sources = folders ? sourceFiles(folders) : [];
// Taken before compiling: a file edited while tsc runs leaves a stamp that no longer matches, so the next run
// compiles again.
const stamp = folders ? fingerprint(sources) : undefined;
if (process.argv.includes('--if-changed') && stamp !== undefined && upToDate(stamp, sources)) process.exit(0);

rmSync(stampFile, { force: true });
if (process.stderr.isTTY) console.error(`Compiling TypeScript (${tsconfig})…`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', tsconfig], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (folders) removeStaleOutputs(folders, sources);
if (result.status !== 0) process.exit(result.status ?? 1);
for (const asset of sources.filter((source) => ASSET.test(source))) {
  const output = outputOf(asset);
  mkdirSync(path.dirname(output), { recursive: true });
  copyFileSync(path.join(root, asset), output);
}
if (stamp !== undefined) writeFileSync(stampFile, `${stamp}\n`);
