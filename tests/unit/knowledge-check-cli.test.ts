import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { type Files, validFiles } from '../helpers/knowledge-files.js';

const cli = path.join(projectRoot, 'dist', 'src', 'knowledge-check-cli.js');
let folder: string | undefined;

afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Writes the files (named k/…) into a fresh folder and returns it. */
async function writeFolder(files: Files): Promise<string> {
  folder = await mkdtemp(path.join(os.tmpdir(), 'knowledge-check-'));
  for (const [name, data] of Object.entries(files)) {
    await writeFile(path.join(folder, path.basename(name)), JSON.stringify(data, null, 2));
  }
  return folder;
}

function check(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

const entries = (files: Files) => (files['k/entries.json']?.entries ?? []) as Record<string, unknown>[];

describe('npm run knowledge:check', () => {
  it('passes the shipped knowledge', () => {
    const { code, output } = check([]);
    expect(output).toMatch(/Knowledge OK/);
    expect(code).toBe(0);
  });

  it('checks the folder given, and KNOWLEDGE_DIR when none is given', async () => {
    const files = validFiles();
    const dir = await writeFolder(files);
    expect(check([dir]).output).toMatch(/Knowledge OK: 6 files/);
    expect(check([], { KNOWLEDGE_DIR: dir }).output).toMatch(/Knowledge OK: 6 files/);
  });

  it('fails on an entry without a source, naming the file and JSON path', async () => {
    const files = validFiles();
    const [first] = entries(files);
    if (first) first.sources = [];
    const { code, output } = check([await writeFolder(files)]);
    expect(code).toBe(1);
    expect(output).toMatch(/entries\.json \$\.entries\[0\]\.sources: name at least one source section/);
  });

  it('fails on a dangling id, naming the file and JSON path', async () => {
    const files = validFiles();
    const [first] = entries(files);
    if (first) first.related = ['no-such-entry'];
    const { code, output } = check([await writeFolder(files)]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /entries\.json \$\.entries\[0\]\.related\[0\]: refers to unknown entry "no-such-entry"/,
    );
  });

  it('fails on a time-sensitive entry whose source is older than 18 months', async () => {
    const files = validFiles();
    const sources = (files['k/sources.json']?.sources ?? []) as Record<string, unknown>[];
    if (sources[0]) sources[0].as_of = '2020-01-01';
    const [, second] = entries(files);
    if (second) second.timeSensitive = true;
    const { code, output } = check([await writeFolder(files)]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /entries\.json \$\.entries\[1\]\.sources\[0\]: is time-sensitive.*as of 2020-01-01/,
    );
  });

  it('warns about entries no labelled question expects, without failing', async () => {
    const { code, output } = check([await writeFolder(validFiles())]);
    expect(code).toBe(0);
    expect(output).toMatch(/warning: no labelled question expects entry "entry-one"/);
  });
});
