import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { analyse } from 'scslre';
import ts from 'typescript';
import { eventNamesPattern } from '../../src/listeners/event-router.js';
import { MENTION, MENTIONS } from '../../src/local/terminal-receiver.js';
import { SPANS } from '../../src/local/terminal-text.js';
import { projectRoot } from '../../src/paths.js';
import * as slackIds from '../../src/slack-ids.js';

/**
 * Every regular expression in src/ runs in linear time, whatever a person types: each regex literal, each
 * `new RegExp('…')` with a literal pattern, and each RegExp built at run time (taken from the module that builds
 * it) goes through scslre, the analysis behind eslint-plugin-regexp's no-super-linear-backtracking and
 * no-super-linear-move. It reports a pattern for which some string of one repeated character (40,000 spaces, an
 * unclosed "<<<<…") costs more than linear time: backtracking between quantifiers (Trade, Self) or a failing
 * match retried at every position (Move). No timing: a pattern passes or fails by its structure, not by luck.
 *
 * `checkSources` is a pure function of files and their text, so the self-check below runs the same checker on
 * small synthetic files and proves it fails on a known-quadratic pattern.
 */

interface SourceText {
  /** Relative to the project root, with forward slashes. */
  path: string;
  text: string;
}

interface Found {
  file: string;
  line: number;
  source: string;
  flags: string;
}

interface Problem {
  file: string;
  line: number;
  /** One readable line: where, which pattern, and why. */
  message: string;
}

/**
 * Regexes built at run time, by file: how many `new RegExp(…)` with a computed pattern the file has, and the
 * instances it builds, imported from it. A new computed RegExp (or one fewer) fails the check until this is updated.
 */
const RUNTIME_REGEXES: Record<string, { sites: number; instances: () => RegExp[] }> = {
  // PrefixedId's routing pattern: `^` and the escaped prefix, for every prefixed id the app uses.
  'src/slack-ids.ts': {
    sites: 1,
    instances: () =>
      Object.values(slackIds)
        .filter((value): value is slackIds.PrefixedId => value instanceof slackIds.PrefixedId)
        .map((id) => id.pattern),
  },
  // The EventRouter's one listener: the app's event names as an anchored alternation.
  'src/listeners/event-router.ts': {
    sites: 1,
    instances: () => [eventNamesPattern(['app_home_opened', 'app_mention', 'message'])],
  },
  'src/local/terminal-receiver.ts': { sites: 2, instances: () => [MENTION, MENTIONS] },
  'src/local/terminal-text.ts': { sites: 1, instances: () => SPANS.map((span) => span.pattern) },
};

/**
 * Super-linear patterns kept for now, each reported, with its fix, to the module's owner. The check fails when
 * one of them is no longer super-linear, so the list cannot go stale.
 */
const KNOWN_SUPER_LINEAR: { file: string; source: string; why: string }[] = [];

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** A string literal's text, or undefined for anything computed. */
function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** Every regex a file writes out (literals, `new RegExp('…')`), and where it builds one from computed text. */
function findRegexes(file: SourceText): { literals: Found[]; computed: number[] } {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const literals: Found[] = [];
  const computed: number[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const end = text.lastIndexOf('/');
      literals.push({
        file: file.path,
        line: lineOf(source, node),
        source: text.slice(1, end),
        flags: text.slice(end + 1),
      });
    }
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const [pattern, flags] = node.arguments ?? [];
      const patternText = literalText(pattern);
      const flagsText = flags === undefined ? '' : literalText(flags);
      if (patternText !== undefined && flagsText !== undefined)
        literals.push({ file: file.path, line: lineOf(source, node), source: patternText, flags: flagsText });
      else computed.push(lineOf(source, node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, computed };
}

/** Why a pattern is super-linear, one line per cause scslre finds; empty when it is linear. */
function superLinearCauses(regex: { source: string; flags: string }): string[] {
  return analyse(regex).reports.map((report) => {
    const attack = JSON.stringify(report.character.pick);
    const kind = report.exponential ? 'exponential' : 'polynomial';
    return `${report.type} (${kind}, a long run of ${attack})`;
  });
}

const describeRegex = (regex: { source: string; flags: string }) =>
  `/${regex.source.length > 80 ? `${regex.source.slice(0, 77)}…` : regex.source}/${regex.flags}`;

/** Every super-linear regex in the files, every computed RegExp that `runtime` does not account for. */
function checkSources(
  files: SourceText[],
  runtime: typeof RUNTIME_REGEXES,
  known: typeof KNOWN_SUPER_LINEAR,
): { checked: number; problems: Problem[] } {
  const problems: Problem[] = [];
  let checked = 0;
  const knownLeft = new Set(known);
  const check = (regex: Found) => {
    checked++;
    const causes = superLinearCauses(regex);
    const exception = known.find((entry) => entry.file === regex.file && entry.source === regex.source);
    if (exception) {
      knownLeft.delete(exception);
      if (causes.length === 0)
        problems.push({
          file: regex.file,
          line: regex.line,
          message: `${regex.file}:${regex.line} ${describeRegex(regex)} is linear now: remove it from KNOWN_SUPER_LINEAR`,
        });
      return;
    }
    for (const cause of causes)
      problems.push({
        file: regex.file,
        line: regex.line,
        message: `${regex.file}:${regex.line} ${describeRegex(regex)} is super-linear: ${cause}`,
      });
  };
  for (const file of files) {
    const { literals, computed } = findRegexes(file);
    for (const regex of literals) check(regex);
    const entry = runtime[file.path];
    if (computed.length !== (entry?.sites ?? 0)) {
      problems.push({
        file: file.path,
        line: computed[0] ?? 0,
        message:
          `${file.path} builds ${computed.length} RegExp(s) from computed text (lines ${computed.join(', ') || '–'}), ` +
          `RUNTIME_REGEXES expects ${entry?.sites ?? 0}: list the instances it builds there, so they are checked`,
      });
      continue;
    }
    for (const regex of entry?.instances() ?? [])
      check({ file: file.path, line: computed[0] ?? 0, source: regex.source, flags: regex.flags });
  }
  for (const entry of knownLeft)
    problems.push({
      file: entry.file,
      line: 0,
      message: `KNOWN_SUPER_LINEAR lists a pattern no longer in ${entry.file}: remove it`,
    });
  return { checked, problems };
}

function sourceFiles(): SourceText[] {
  const root = path.join(projectRoot, 'src');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({
      path: path.relative(projectRoot, file).split(path.sep).join('/'),
      text: readFileSync(file, 'utf8'),
    }));
}

describe('regular expressions run in linear time', () => {
  it('in src/: every regex literal, new RegExp() and RegExp built at run time', () => {
    const { checked, problems } = checkSources(sourceFiles(), RUNTIME_REGEXES, KNOWN_SUPER_LINEAR);
    expect(problems.map((problem) => problem.message)).toEqual([]);
    // The slack-text, knowledge/text, question-frame … patterns: far more than a broken parse would find.
    expect(checked).toBeGreaterThan(70);
  });

  describe('self-check: the same checker on synthetic files', () => {
    const check = (text: string, runtime: typeof RUNTIME_REGEXES = {}) =>
      checkSources([{ path: 'src/fake.ts', text }], runtime, []).problems.map((problem) => problem.message);

    it('fails on known-quadratic and exponential patterns, literal or passed to new RegExp', () => {
      const problems = check(
        [
          "export const trimEnd = (text: string) => text.replace(/\\s+$/, '');",
          "const TAGS = new RegExp('<([a-z]+\\\\s*)*>', 'g');",
          'const PLUS = /^a+a+b/;',
        ].join('\n'),
      );
      expect(problems).toEqual([
        expect.stringMatching(/^src\/fake\.ts:1 \/\\s\+\$\/ is super-linear: Move \(polynomial/),
        expect.stringMatching(/^src\/fake\.ts:2 .* is super-linear: .*exponential/),
        expect.stringMatching(/^src\/fake\.ts:3 \/\^a\+a\+b\/ is super-linear: Trade \(polynomial/),
      ]);
    });

    it('passes linear patterns, the fixed forms of the ones it fails among them', () => {
      expect(
        check(
          [
            "const a = (text: string) => text.replace(/(?<!\\s)\\s+$/, '');",
            'const b = /<([^<>|]*)(?:\\|([^<>]*))?>/g;',
            "const c = new RegExp('^\\\\d+$');",
          ].join('\n'),
        ),
      ).toEqual([]);
    });

    it('fails on a RegExp built from computed text until its instances are listed, and then checks them', () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the synthetic file's own template literal
      const text = 'export const built = (word: string) => new RegExp(`\\\\s*${word}\\\\s*$`);';
      expect(check(text)).toEqual([
        expect.stringContaining('builds 1 RegExp(s) from computed text (lines 1)'),
      ]);
      expect(check(text, { 'src/fake.ts': { sites: 1, instances: () => [/^or$/] } })).toEqual([]);
      expect(check(text, { 'src/fake.ts': { sites: 1, instances: () => [/\s*or\s*$/] } })).toEqual([
        expect.stringMatching(/super-linear: Move/),
      ]);
    });

    it('keeps the list of known exceptions honest: a listed pattern that is linear, or gone, fails', () => {
      const known = [{ file: 'src/fake.ts', source: '^\\d+$', why: 'listed by mistake' }];
      expect(
        checkSources([{ path: 'src/fake.ts', text: 'const n = /^\\d+$/;' }], {}, known).problems,
      ).toEqual([expect.objectContaining({ message: expect.stringContaining('is linear now') })]);
      expect(checkSources([{ path: 'src/fake.ts', text: '' }], {}, known).problems).toEqual([
        expect.objectContaining({ message: expect.stringContaining('no longer in src/fake.ts') }),
      ]);
    });
  });
});
