import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { QuestionAnalyzer } from '../../src/advisor/question-analyzer.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectRoot } from '../../src/paths.js';
import {
  capSlackText,
  decodeEntities,
  escapeMrkdwn,
  SLACK_TEXT_LIMIT,
  slackToPlainText,
} from '../../src/slack-text.js';

let analyzer: QuestionAnalyzer;
const analyze = (text: string) => analyzer.analyze(text);

beforeAll(async () => {
  analyzer = new QuestionAnalyzer(await loadKnowledge(path.join(projectRoot, 'knowledge')));
});

describe('slackToPlainText', () => {
  it.each([
    ['<@U0123ABCD> what is a tpm', 'what is a tpm'],
    ['<!channel> pricing?', 'pricing?'],
    ['<!here|here> pricing?', 'pricing?'],
    ['<!subteam^S0123|@pms> pricing?', 'pricing?'],
    ['ask in <#C0123ABCD|general> please', 'ask in please'],
    ['see <https://x.y|the guide> now', 'see the guide now'],
    ['see <https://x.y> now', 'see now'],
    ['<mailto:a@b.c|mail me>', 'mail me'],
  ])('turns %j into %j', (text, expected) => {
    expect(slackToPlainText(text).replace(/\s+/g, ' ').trim()).toBe(expected);
  });

  it('leaves text without markup alone and decodes the entities Slack escapes <, > and & to', () => {
    expect(slackToPlainText('plain text, *bold* _it_')).toBe('plain text, *bold* _it_');
    expect(slackToPlainText('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
  });

  it('gives the analyzer no terms for mentions, broadcasts and channel names', () => {
    expect(analyze(slackToPlainText('<@U0123ABCD> <!channel> <#C0123ABCD|roadmaps>'))).toEqual([]);
    expect(analyze(slackToPlainText('<@U0123ABCD> salary?'))).toEqual(analyze('salary'));
    expect(analyze(slackToPlainText('<https://example.com/xyz|the roadmap>'))).toEqual(analyze('roadmap'));
    expect(analyze(slackToPlainText('<https://example.com/xyz>'))).toEqual([]);
  });
});

describe('the length cap', () => {
  const MILLION = 1_000_000;

  it("cuts a person's message to Slack's limit before it reads any markup: a million characters cost 40,000", () => {
    // Read whole first, the link would be stripped to one space; cut first, it is cut open and stays as typed.
    const link = `<${'x'.repeat(MILLION)}>`;
    expect(slackToPlainText(link)).toBe(`<${'x'.repeat(SLACK_TEXT_LIMIT - 1)}`);
    // Decoded whole first, 200,000 "&amp;" would be 200,000 "&" cut to 40,000; cut first, 8,000 remain.
    expect(slackToPlainText('&amp;'.repeat(MILLION / 5))).toBe('&'.repeat(SLACK_TEXT_LIMIT / 5));
    // A mention cut in half is not a mention any more.
    const mention = `${'a'.repeat(SLACK_TEXT_LIMIT - 4)}<@U0123ABCD> more`;
    expect(slackToPlainText(mention)).toBe(`${'a'.repeat(SLACK_TEXT_LIMIT - 4)}<@U0`);
  });

  it('changes nothing up to the limit', () => {
    const longest = `<@U0123ABCD> ${'what does an it pm do? '.repeat(2_000)}`.slice(0, SLACK_TEXT_LIMIT);
    expect(capSlackText(longest)).toBe(longest);
    expect(slackToPlainText(longest)).toBe(` ${longest.slice('<@U0123ABCD>'.length)}`);
  });
});

describe("Slack's escaped text, read as typed", () => {
  // Slack sends message text with &, < and > escaped as &amp;, &lt; and &gt;; undecoded, "P&amp;L" would become
  // the terms p, amp, l instead of the profit term "P&L" gives.
  it.each([
    ['P&amp;L', 'P&L'],
    ['R&amp;D pay', 'R&D pay'],
    ['is a tpm &gt; pm', 'is a tpm > pm'],
  ])('reads %j as %j', (escaped, typed) => {
    expect(slackToPlainText(escaped)).toBe(typed);
    expect(analyze(slackToPlainText(escaped))).toEqual(analyze(typed));
  });
});

describe('decodeEntities', () => {
  it('undoes escapeMrkdwn, so what a person typed survives a round trip', () => {
    for (const typed of ['<b>', 'a && b', '&lt;', 'x > y < z', ''])
      expect(decodeEntities(escapeMrkdwn(typed))).toBe(typed);
  });

  it('decodes once: a literal "&lt;b&gt;" a person typed (sent as &amp;lt;b&amp;gt;) stays text', () => {
    expect(slackToPlainText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
    expect(slackToPlainText('&lt;b&gt; tags')).toBe('<b> tags');
  });
});
