import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { projectRoot } from '../../src/paths.js';

/**
 * The import rules between the layers of src/, checked on every .ts file's imports:
 *
 *   listeners/ → flows/ → advisor/, views/, store/ → knowledge/
 *
 * slack-ids.ts and slack-text.ts are neutral leaves; index.ts, app.ts, config.ts, deps.ts and the other
 * top-level modules, and local/, are the composition root and infrastructure (no rule of their own).
 *
 * `checkImportRules` is a pure function of a list of files and their text, so the same checker runs on the
 * real tree and on the small synthetic trees below, which prove that every rule fails when broken.
 */

/** The layer folders, whose folder-level import graph must be acyclic (rule 8). */
const LAYERS = ['listeners', 'flows', 'advisor', 'views', 'store', 'knowledge'] as const;

const RULES = {
  1: 'knowledge/ imports only knowledge/ (plus node: builtins and npm packages other than @slack/*)',
  2: 'advisor/ is Slack-free: it imports only advisor/ and knowledge/ from src/, and no @slack/* package',
  3: 'views/ imports only advisor/, knowledge/, views/, slack-ids.ts and slack-text.ts from src/, and of @slack/* only @slack/types (never listeners/, flows/ or store/)',
  4: 'store/ imports no listeners/, flows/ or views/, and of @slack/* only `import type { Logger }`',
  5: 'flows/ imports no listeners/',
  6: 'slack-ids.ts and slack-text.ts import nothing from src/',
  7: 'nothing in src/ imports from outside src/ (tests/, bench/, scripts/, …)',
  8: 'no import cycle between the layer folders (listeners, flows, advisor, views, store, knowledge)',
  9: 'every import names its module with a string literal, so these rules can read it',
} as const;

type RuleId = keyof typeof RULES;

interface SourceText {
  /** Relative to the project root, with forward slashes: `src/advisor/qa.ts`. */
  path: string;
  text: string;
}

interface ImportRef {
  file: string;
  line: number;
  /** As written: `'../config.js'`, `'@slack/bolt'`; undefined for a computed `import(expr)`. */
  specifier: string | undefined;
  /** A project path for a relative specifier (`src/config.ts`), else the package name (`@slack/bolt`). */
  target: string;
  /** `import type …`, `export type …`, all-`type` named bindings, or an `import('…').T` type. */
  typeOnly: boolean;
  /** Imported names as exported by the target (`default`, `*`), for the one exception rule 4 allows. */
  names: string[];
}

interface Violation {
  rule: RuleId;
  file: string;
  line: number;
  target: string;
  /** One readable line: where, what it imports, and the rule it breaks. */
  message: string;
}

/** Every import of one file: static imports and re-exports, `import x = require()`, `import()`, `require()`. */
function readImports(file: SourceText, knownPaths: ReadonlySet<string> = new Set()): ImportRef[] {
  const source = ts.createSourceFile(
    file.path,
    file.text,
    ts.ScriptTarget.Latest,
    true,
    file.path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string | undefined, typeOnly: boolean, names: string[]) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const target = specifier === undefined ? '<computed>' : resolveTarget(file.path, specifier, knownPaths);
    found.push({ file: file.path, line, specifier, target, typeOnly, names });
  };
  const literal = (node: ts.Node | undefined) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
      const names: string[] = [];
      if (clause?.name) names.push('default');
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.push('*');
      for (const element of named?.elements ?? []) names.push((element.propertyName ?? element.name).text);
      const allNamedTypes =
        !clause?.name &&
        named !== undefined &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(
        node,
        literal(node.moduleSpecifier),
        clause !== undefined && (clause.isTypeOnly || allNamedTypes),
        names,
      );
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const named = clause && ts.isNamedExports(clause) ? clause : undefined;
      const names = named ? named.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      const allNamedTypes =
        named !== undefined && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      add(node, literal(node.moduleSpecifier), node.isTypeOnly || allNamedTypes, names);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, literal(node.moduleReference.expression), node.isTypeOnly, ['*']);
    } else if (ts.isImportTypeNode(node)) {
      const argument = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
      add(node, literal(argument), true, [node.qualifier ? qualifierHead(node.qualifier) : '*']);
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) add(node, literal(node.arguments[0]), false, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function qualifierHead(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : qualifierHead(name.left);
}

/** `../config.js` from `src/knowledge/check-cli.ts` → `src/config.ts`; `@slack/bolt/dist/App.js` → `@slack/bolt`. */
function resolveTarget(from: string, specifier: string, knownPaths: ReadonlySet<string>): string {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  }
  const joined = specifier.startsWith('/')
    ? specifier
    : path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = joined.replace(/\.[mc]?[jt]sx?$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, joined, `${joined}/index.ts`];
  return (
    candidates.find((candidate) => knownPaths.has(candidate)) ?? (stem === joined ? joined : `${stem}.ts`)
  );
}

/** Where a project path sits: a src/ folder (`advisor`), a top-level src/ module (`slack-ids.ts`), or outside. */
function placeOf(projectPath: string): { folder?: string; topLevel?: string; outside?: string } {
  if (!projectPath.startsWith('src/')) return { outside: projectPath.split('/')[0] || projectPath };
  const rest = projectPath.slice('src/'.length).split('/');
  return rest.length === 1 ? { topLevel: rest[0] } : { folder: rest[0] };
}

const isRelative = (ref: ImportRef) => ref.specifier?.startsWith('.') || ref.specifier?.startsWith('/');
const isSlackPackage = (ref: ImportRef) => !isRelative(ref) && ref.target.startsWith('@slack/');

/** The rule (if any) one import breaks, from the importing file's place; rules 8 and 9 are checked apart. */
function brokenRule(ref: ImportRef): RuleId | undefined {
  const from = placeOf(ref.file);
  const to = isRelative(ref) ? placeOf(ref.target) : undefined;
  if (to?.outside) return 7;
  const inSrc = (...allowed: string[]) =>
    to === undefined || allowed.includes(to.folder ?? '') || allowed.includes(to.topLevel ?? '');
  const toFolder = (...folders: string[]) => to?.folder !== undefined && folders.includes(to.folder);

  if (from.topLevel === 'slack-ids.ts' || from.topLevel === 'slack-text.ts') return to ? 6 : undefined;
  switch (from.folder) {
    case 'knowledge':
      return inSrc('knowledge') && !isSlackPackage(ref) ? undefined : 1;
    case 'advisor':
      return inSrc('advisor', 'knowledge') && !isSlackPackage(ref) ? undefined : 2;
    case 'views': {
      const slackOk = !isSlackPackage(ref) || ref.target === '@slack/types';
      return inSrc('advisor', 'knowledge', 'views', 'slack-ids.ts', 'slack-text.ts') && slackOk
        ? undefined
        : 3;
    }
    case 'store': {
      const loggerType = ref.typeOnly && ref.names.length > 0 && ref.names.every((name) => name === 'Logger');
      const slackOk = !isSlackPackage(ref) || loggerType;
      return !toFolder('listeners', 'flows', 'views') && slackOk ? undefined : 4;
    }
    case 'flows':
      return toFolder('listeners') ? 5 : undefined;
    default:
      return undefined;
  }
}

/** Where an import is and what it reaches for: `src/a/b.ts:3 → src/c.ts ('../c.js')`. */
function describeImport(ref: ImportRef): string {
  const written = ref.specifier === undefined ? 'a computed specifier' : `'${ref.specifier}'`;
  const what = ref.target === ref.specifier ? written : `${ref.target} (${written})`;
  return `${ref.file}:${ref.line} → ${ref.typeOnly ? 'type ' : ''}${what}`;
}

/** The layer folders that import each other in a cycle, as a path `a → b → a`, one per strongly connected set. */
function layerCycles(edges: Map<string, Map<string, ImportRef>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of LAYERS) {
    if (done.has(start)) continue;
    // The shortest way back to `start`, breadth first over the layer graph.
    const cameFrom = new Map<string, string>();
    const queue: string[] = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const at = queue.shift() as string;
      for (const next of edges.get(at)?.keys() ?? []) {
        if (next === start) {
          closing = at;
          break;
        }
        if (!cameFrom.has(next) && !done.has(next)) {
          cameFrom.set(next, at);
          queue.push(next);
        }
      }
    }
    if (closing !== undefined) {
      const cycle: string[] = [start];
      for (let at: string | undefined = closing; at !== undefined && at !== start; at = cameFrom.get(at)) {
        cycle.splice(1, 0, at);
      }
      cycle.push(start);
      cycles.push(cycle);
      for (const layer of cycle) done.add(layer);
    }
    done.add(start);
  }
  return cycles;
}

/** Every import that breaks a rule, and every cycle between the layer folders, in file order. */
function checkImportRules(files: readonly SourceText[]): Violation[] {
  const knownPaths = new Set(files.map((file) => file.path));
  const violations: Violation[] = [];
  const edges = new Map<string, Map<string, ImportRef>>();
  for (const file of files) {
    for (const ref of readImports(file, knownPaths)) {
      const rule: RuleId | undefined = ref.specifier === undefined ? 9 : brokenRule(ref);
      if (rule !== undefined) {
        const message = `${describeImport(ref)}: rule ${rule}, ${RULES[rule]}`;
        violations.push({ rule, file: ref.file, line: ref.line, target: ref.target, message });
      }
      const from = placeOf(ref.file).folder;
      const to = isRelative(ref) ? placeOf(ref.target).folder : undefined;
      if (from && to && from !== to && isLayer(from) && isLayer(to)) {
        const out = edges.get(from) ?? new Map<string, ImportRef>();
        if (!out.has(to)) out.set(to, ref);
        edges.set(from, out);
      }
    }
  }
  for (const cycle of layerCycles(edges)) {
    const steps = cycle.slice(1).map((to, i) => edges.get(cycle[i])?.get(to) as ImportRef);
    const message = `${cycle.join(' → ')}: rule 8, ${RULES[8]}; ${steps.map(describeImport).join('; ')}`;
    violations.push({ rule: 8, file: steps[0].file, line: steps[0].line, target: steps[0].target, message });
  }
  return violations;
}

function isLayer(folder: string): boolean {
  return (LAYERS as readonly string[]).includes(folder);
}

/** The real tree: every .ts file under src/. */
function readSourceTree(): SourceText[] {
  const src = path.join(projectRoot, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[mc]?tsx?$/.test(name))
    .sort()
    .map((name) => ({
      path: path.posix.join('src', name.split(path.sep).join('/')),
      text: readFileSync(path.join(src, name), 'utf8'),
    }));
}

describe('the import rules, on src/', () => {
  const files = readSourceTree();
  const violations = checkImportRules(files);

  it('reads every file and its imports (so an empty result means no violations, not nothing read)', () => {
    expect(files.length).toBeGreaterThan(40);
    for (const layer of LAYERS)
      expect(files.some((file) => file.path.startsWith(`src/${layer}/`))).toBe(true);
    const withFrom = files.filter((file) => /^\s*(import|export)\b[^;]*?\bfrom\s*['"]/ms.test(file.text));
    const silent = withFrom.filter((file) => readImports(file).length === 0).map((file) => file.path);
    expect(silent).toEqual([]);
  });

  it.each(Object.entries(RULES))('rule %s: %s', (rule) => {
    const broken = violations.filter((violation) => String(violation.rule) === rule);
    expect(broken.map((violation) => violation.message)).toEqual([]);
  });
});

/** A synthetic tree: path → source text. */
const check = (tree: Record<string, string>) =>
  checkImportRules(Object.entries(tree).map(([file, text]) => ({ path: file, text })));
const rulesBroken = (tree: Record<string, string>) =>
  check(tree).map(({ rule, file, target }) => ({ rule, file, target }));

describe('readImports', () => {
  const read = (text: string, file = 'src/advisor/a.ts') =>
    readImports({ path: file, text }).map(({ specifier, target, typeOnly }) => ({
      specifier,
      target,
      typeOnly,
    }));

  it('reads static, multi-line, side-effect, re-export, dynamic, require and import-type forms', () => {
    const text = [
      "import x from '../config.js';",
      'import {',
      '  a,',
      '  b,',
      "} from '../store/user-store.js';",
      "import '../views/side-effect.js';",
      "export { c } from './c.js';",
      "export * from '../knowledge/knowledge.js';",
      "export type * from '../knowledge/schema.js';",
      "const m = await import('../flows/mention.js');",
      'const t = await import(`../listeners/index.js`);',
      "import e = require('../deps.js');",
      "type Y = import('../local/payloads.js').Payload;",
      "const r = require('@slack/bolt/dist/App.js');",
    ].join('\n');
    expect(read(text)).toEqual([
      { specifier: '../config.js', target: 'src/config.ts', typeOnly: false },
      { specifier: '../store/user-store.js', target: 'src/store/user-store.ts', typeOnly: false },
      { specifier: '../views/side-effect.js', target: 'src/views/side-effect.ts', typeOnly: false },
      { specifier: './c.js', target: 'src/advisor/c.ts', typeOnly: false },
      { specifier: '../knowledge/knowledge.js', target: 'src/knowledge/knowledge.ts', typeOnly: false },
      { specifier: '../knowledge/schema.js', target: 'src/knowledge/schema.ts', typeOnly: true },
      { specifier: '../flows/mention.js', target: 'src/flows/mention.ts', typeOnly: false },
      { specifier: '../listeners/index.js', target: 'src/listeners/index.ts', typeOnly: false },
      { specifier: '../deps.js', target: 'src/deps.ts', typeOnly: false },
      { specifier: '../local/payloads.js', target: 'src/local/payloads.ts', typeOnly: true },
      { specifier: '@slack/bolt/dist/App.js', target: '@slack/bolt', typeOnly: false },
    ]);
  });

  it('tells type-only imports from value imports', () => {
    expect(
      read(
        [
          "import type { Logger } from '@slack/bolt';",
          "import { type Logger as L } from '@slack/logger';",
          "import { type App, LogLevel } from '@slack/bolt';",
          "import Bolt, { type App as A } from '@slack/bolt';",
          "export type { Knowledge } from '../knowledge/knowledge.js';",
        ].join('\n'),
      ).map(({ typeOnly }) => typeOnly),
    ).toEqual([true, true, false, false, true]);
  });

  it('ignores import-like text in comments and strings', () => {
    const text = [
      "// import x from '../store/a.js';",
      "/* export * from '../views/b.js'; */",
      'const s = "import(\'../flows/c.js\')";',
      "const t = `from '../listeners/d.js'`;",
    ].join('\n');
    expect(read(text)).toEqual([]);
  });

  it('resolves a folder import to its index.ts and keeps the package name of a deep import', () => {
    const refs = readImports(
      {
        path: 'src/app.ts',
        text: "import './listeners';\nimport '@slack/types/dist/block-kit.js';\nimport 'zod/v4';",
      },
      new Set(['src/listeners/index.ts']),
    );
    expect(refs.map((ref) => ref.target)).toEqual(['src/listeners/index.ts', '@slack/types', 'zod']);
  });
});

describe('checkImportRules, on synthetic trees: each rule fails when broken', () => {
  it('passes a tree that follows every rule', () => {
    expect(
      check({
        'src/knowledge/knowledge.ts':
          "import { z } from 'zod';\nimport path from 'node:path';\nimport './schema.js';",
        'src/advisor/qa.ts':
          "import type { Knowledge } from '../knowledge/knowledge.js';\nimport { x } from './y.js';",
        'src/views/answer-view.ts': [
          "import type { KnownBlock } from '@slack/types';",
          "import { QA } from '../advisor/qa.js';",
          "import { IDS } from '../slack-ids.js';",
          "import { escape } from '../slack-text.js';",
          "import { section } from './block-kit.js';",
        ].join('\n'),
        'src/store/user-store.ts':
          "import type { Logger } from '@slack/bolt';\nimport { s } from '../advisor/qa.js';",
        'src/store/data-file.ts':
          "import { type Logger } from '@slack/logger';\nimport { Low } from 'lowdb';",
        'src/flows/qa-reply.ts':
          "import type { Deps } from '../deps.js';\nimport { v } from '../views/answer-view.js';\nimport type { AllMiddlewareArgs } from '@slack/bolt';",
        'src/listeners/index.ts':
          "import { f } from '../flows/qa-reply.js';\nimport { App } from '@slack/bolt';",
        'src/slack-ids.ts': "import { Buffer } from 'node:buffer';",
        'src/slack-text.ts': 'export const x = 1;',
        'src/app.ts':
          "import { registerListeners } from './listeners/index.js';\nimport { s } from './store/user-store.js';",
      }),
    ).toEqual([]);
  });

  it('rule 1: knowledge/ importing config.ts, advisor/ or a Slack package', () => {
    expect(
      rulesBroken({
        'src/knowledge/check-cli.ts': "import { loadPaths } from '../config.js';",
        'src/knowledge/loader.ts':
          "import { a } from '../advisor/qa.js';\nimport type { KnownBlock } from '@slack/types';",
      }),
    ).toEqual([
      { rule: 1, file: 'src/knowledge/check-cli.ts', target: 'src/config.ts' },
      { rule: 1, file: 'src/knowledge/loader.ts', target: 'src/advisor/qa.ts' },
      { rule: 1, file: 'src/knowledge/loader.ts', target: '@slack/types' },
    ]);
  });

  it('rule 2: advisor/ importing Slack, store/, views/, flows/, listeners/, local/ or a top-level module', () => {
    expect(
      rulesBroken({
        'src/advisor/a.ts': [
          "import type { Logger } from '@slack/bolt';",
          "import { s } from '../store/user-store.js';",
          "export { v } from '../views/answer-view.js';",
          "const f = await import('../flows/mention.js');",
          "import '../listeners/index.js';",
          "import { p } from '../local/payloads.js';",
          "import { ID } from '../slack-ids.js';",
          "import type { Deps } from '../deps.js';",
        ].join('\n'),
      }).map(({ rule, target }) => [rule, target]),
    ).toEqual([
      [2, '@slack/bolt'],
      [2, 'src/store/user-store.ts'],
      [2, 'src/views/answer-view.ts'],
      [2, 'src/flows/mention.ts'],
      [2, 'src/listeners/index.ts'],
      [2, 'src/local/payloads.ts'],
      [2, 'src/slack-ids.ts'],
      [2, 'src/deps.ts'],
    ]);
  });

  it('rule 3: views/ importing listeners/, flows/, store/, an app module or Bolt', () => {
    expect(
      rulesBroken({
        'src/views/v.ts': [
          "import { x } from '../listeners/actions/index.js';",
          "import { y } from '../flows/questionnaire.js';",
          "import type { UserStore } from '../store/user-store.js';",
          "import type { Deps } from '../deps.js';",
          "import type { App } from '@slack/bolt';",
        ].join('\n'),
      }).map(({ rule, target }) => [rule, target]),
    ).toEqual([
      [3, 'src/listeners/actions/index.ts'],
      [3, 'src/flows/questionnaire.ts'],
      [3, 'src/store/user-store.ts'],
      [3, 'src/deps.ts'],
      [3, '@slack/bolt'],
    ]);
  });

  it('rule 4: store/ importing listeners/, flows/, views/, or Bolt beyond the Logger type', () => {
    expect(
      rulesBroken({
        'src/store/s.ts': [
          "import { x } from '../listeners/index.js';",
          "import { y } from '../flows/failure.js';",
          "import { z } from '../views/block-kit.js';",
          "import { LogLevel } from '@slack/bolt';",
          "import type { App, Logger } from '@slack/bolt';",
          "import { Logger } from '@slack/bolt';",
          "import type { Logger } from '@slack/bolt';",
        ].join('\n'),
      }).map(({ rule, target }) => [rule, target]),
    ).toEqual([
      [4, 'src/listeners/index.ts'],
      [4, 'src/flows/failure.ts'],
      [4, 'src/views/block-kit.ts'],
      [4, '@slack/bolt'],
      [4, '@slack/bolt'],
      [4, '@slack/bolt'],
    ]);
  });

  it('rule 5: flows/ importing listeners/', () => {
    expect(
      rulesBroken({
        'src/flows/f.ts':
          "import { ackThen } from '../listeners/actions/ack-then.js';\nimport '../views/v.js';",
      }),
    ).toEqual([{ rule: 5, file: 'src/flows/f.ts', target: 'src/listeners/actions/ack-then.ts' }]);
  });

  it('rule 6: slack-ids.ts or slack-text.ts importing anything from src/', () => {
    expect(
      rulesBroken({
        'src/slack-ids.ts': "import { a } from './slack-text.js';\nimport { z } from 'zod';",
        'src/slack-text.ts': "import type { Knowledge } from './knowledge/knowledge.js';",
      }),
    ).toEqual([
      { rule: 6, file: 'src/slack-ids.ts', target: 'src/slack-text.ts' },
      { rule: 6, file: 'src/slack-text.ts', target: 'src/knowledge/knowledge.ts' },
    ]);
  });

  it('rule 7: src/ importing tests/ or bench/', () => {
    expect(
      rulesBroken({
        'src/app.ts': "import { fake } from '../tests/helpers/fake-slack.js';",
        'src/local/l.ts': "const b = await import('../../bench/qa-accuracy.js');",
      }),
    ).toEqual([
      { rule: 7, file: 'src/app.ts', target: 'tests/helpers/fake-slack.ts' },
      { rule: 7, file: 'src/local/l.ts', target: 'bench/qa-accuracy.ts' },
    ]);
  });

  it('rule 8: a cycle between layer folders, reported with one import per step', () => {
    const violations = check({
      'src/listeners/l.ts': "import { f } from '../flows/f.js';",
      'src/flows/f.ts': "import { s } from '../store/s.js';",
      'src/store/s.ts': "import { l } from '../listeners/l.js';",
    });
    const cycles = violations.filter((violation) => violation.rule === 8);
    expect(cycles).toHaveLength(1);
    expect(cycles[0].message).toBe(
      'listeners → flows → store → listeners: rule 8, no import cycle between the layer folders ' +
        '(listeners, flows, advisor, views, store, knowledge); src/listeners/l.ts:1 → src/flows/f.ts ' +
        "('../flows/f.js'); src/flows/f.ts:1 → src/store/s.ts ('../store/s.js'); " +
        "src/store/s.ts:1 → src/listeners/l.ts ('../listeners/l.js')",
    );
  });

  it('rule 8: imports within a folder, or through top-level modules, are no layer cycle', () => {
    const violations = check({
      'src/flows/a.ts': "import { b } from './b.js';",
      'src/flows/b.ts': "import { a } from './a.js';\nimport type { Deps } from '../deps.js';",
      'src/deps.ts': "import type { F } from './flows/a.js';",
    });
    expect(violations).toEqual([]);
  });

  it('rule 9: an import whose module is computed', () => {
    expect(rulesBroken({ 'src/app.ts': 'const m = await import(name);' })).toEqual([
      { rule: 9, file: 'src/app.ts', target: '<computed>' },
    ]);
  });

  it('says in one line where the import is, what it imports and which rule it breaks', () => {
    expect(check({ 'src/knowledge/check-cli.ts': "\n\nimport { loadPaths } from '../config.js';" })).toEqual([
      {
        rule: 1,
        file: 'src/knowledge/check-cli.ts',
        line: 3,
        target: 'src/config.ts',
        message:
          "src/knowledge/check-cli.ts:3 → src/config.ts ('../config.js'): rule 1, knowledge/ imports only " +
          'knowledge/ (plus node: builtins and npm packages other than @slack/*)',
      },
    ]);
  });
});
