import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionsBlock, Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { defaultPair } from '../../../src/advisor/compare-request.js';
import { summarizeForCurators } from '../../../src/advisor/curation.js';
import type { QaOutcome } from '../../../src/advisor/qa.js';
import { type QuestionnaireSession, startSession } from '../../../src/advisor/questionnaire.js';
import { scoreAnswers } from '../../../src/advisor/scoring.js';
import type { Entry, Knowledge } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_SHARE_ACTION,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
  QUESTIONNAIRE_ANSWER_ACTION,
  QUESTIONNAIRE_CONTROL_ACTION,
  QUESTIONNAIRE_SHARE_ACTION,
  QUESTIONNAIRE_SHARE_BLOCK,
  QUESTIONNAIRE_START_ACTION,
  RESULT_OPEN_ACTION,
} from '../../../src/slack-ids.js';
import { escapeMrkdwn } from '../../../src/slack-text.js';
import {
  buildAnswerView,
  buildCapabilitiesView,
  buildEntryView,
  buildOutOfScopeView,
  buildPartialAnswerView,
  buildUnknownAnswerView,
  buildVoteConfirmationView,
} from '../../../src/views/answer-view.js';
import {
  BLOCK_KIT_LIMITS,
  findBlockKitProblems,
  type SlackMessage,
  truncate,
} from '../../../src/views/block-kit.js';
import {
  buildCompareHelpView,
  buildCompareOverviewView,
  buildCompareView,
  buildDimensionView,
  buildNotUnderstoodView,
} from '../../../src/views/compare-view.js';
import { buildDmHelpView } from '../../../src/views/dm-help-view.js';
import { buildHomeView, HOME_LIMITS, HOME_TAB_BLOCK_LIMIT } from '../../../src/views/home-view.js';
import {
  buildDropConfirmView,
  buildDroppedView,
  buildKeptView,
  buildQuestionPointerView,
  buildStaleDropView,
  buildStoppedView,
} from '../../../src/views/questionnaire-steer-view.js';
import {
  buildAnsweredQuestionView,
  buildForgetConfirmView,
  buildHistoryView,
  buildQuestionnaireIntroView,
  buildQuestionView,
  buildResultView,
  buildSharedResultView,
} from '../../../src/views/questionnaire-view.js';
import { MIDDLE_OF_THE_ROAD } from '../../helpers/answers.js';
import { expectSafeEcho, HOSTILE_TEXT } from '../../helpers/hostile.js';

const SHARED_BY = 'U0PERSON001';
const NOTICE = 'Done: I deleted everything I stored about you.';

/** Past results as stored, `count` of them an hour apart, leaning each way and balanced in turn. */
function manyResults(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    id: `qr${String(index).padStart(13, '0')}`,
    at: new Date(Date.UTC(2026, 10, 1) + index * 3_600_000).toISOString(),
    ...(index % 3 === 2 ? {} : { leanRoleId: index % 3 === 0 ? 'it-pm' : 'general-pm' }),
    strength: index % 3 === 2 ? 'balanced' : 'clear',
    totals: { 'it-pm': index, 'general-pm': 20 - index },
    answers: {},
  }));
}

/** Every button of some blocks: in actions blocks and beside sections. */
const allButtons = (blocks: readonly unknown[]): Button[] =>
  (blocks as KnownBlock[]).flatMap((block) =>
    block.type === 'actions'
      ? block.elements.filter((element): element is Button => element.type === 'button')
      : block.type === 'section' && block.accessory?.type === 'button'
        ? [block.accessory]
        : [],
  );

/** Exactly `length` characters of filler prose, with characters mrkdwn escapes, never ending in a space. */
function prose(length: number, seed: string): string {
  const base = `${seed} R&D <scope> lorem ipsum dolor sit amet, consectetur adipiscing elit `;
  let text = '';
  while (text.length < length) text += base;
  return `${text.slice(0, length - 1)}.`;
}

const pad = (label: string, length: number) => `${label} ${prose(length - label.length - 1, 'x')}`;
const two = (index: number) => String(index).padStart(3, '0');

/**
 * A knowledge store as large as the schema allows on every axis the views render: long names and texts,
 * 8 points a cell, 6 shared points, many aliases and source sections. Built through buildKnowledge, so it is
 * valid by construction.
 */
function syntheticKnowledge(options: { roles: number; dimensions: number }): Knowledge {
  const roleIds = Array.from({ length: options.roles }, (_, r) => `role-${r}-synthetic-identifier`);
  const dimensionIds = Array.from(
    { length: options.dimensions },
    (_, d) => `dimension-${two(d)}-with-a-rather-long-stable-identifier`,
  );
  const sectionId = (d: number, s: number) => `section-${two(d)}-${s}`;
  const sources = [
    {
      id: 'synthetic-source',
      title: pad('Synthetic & source', 150),
      sections: dimensionIds.flatMap((_, d) =>
        Array.from({ length: 5 }, (_, s) => ({
          id: sectionId(d, s),
          title: pad(`Section ${d}.${s} &`, 150),
        })),
      ),
    },
  ];
  const roles = roleIds.map((id, r) => ({
    id,
    name: pad(`Role ${r} name`, 60),
    person: pad(`Role ${r} person`, 60),
    shortName: pad(`Role ${r}`, 24),
    aliases: Array.from({ length: 10 }, (_, a) => pad(`role ${r} alias ${a}`, 60)),
    summary: prose(400, `role ${r} summary`),
    skillsToBuild: Array.from({ length: 8 }, (_, s) => prose(200, `skill ${s}`)),
    nextSteps: Array.from({ length: 8 }, (_, s) => prose(200, `step ${s}`)),
    sources: [sectionId(0, 0)],
  }));
  const dimensions = dimensionIds.map((id, d) => ({
    id,
    title: pad(`Dimension ${two(d)}`, 40),
    aliases: Array.from({ length: 12 }, (_, a) => pad(`alias ${two(d)} ${a}`, 60)),
    description: prose(150, `dimension ${d} description`),
    roles: Object.fromEntries(
      roleIds.map((roleId, r) => [
        roleId,
        {
          summary: prose(400, `dimension ${d} role ${r} summary`),
          points: Array.from({ length: 8 }, (_, p) => prose(300, `point ${p}`)),
        },
      ]),
    ),
    shared: Array.from({ length: 6 }, (_, s) => prose(300, `shared ${s}`)),
    sources: Array.from({ length: 5 }, (_, s) => sectionId(d, s)),
  }));
  const entries = [
    {
      id: 'synthetic-entry',
      title: prose(80, 'entry'),
      questions: Array.from({ length: 16 }, (_, q) => prose(200, `question ${q}`)),
      body: prose(1200, 'entry body'),
      verdict: 'It depends',
      roles: roleIds,
      dimension: dimensionIds[0],
      sources: [sectionId(0, 0)],
    },
  ];
  const factors = [
    {
      id: 'synthetic-factor',
      question: prose(200, 'question'),
      why: prose(300, 'why'),
      options: Array.from({ length: 5 }, (_, o) => ({
        id: `synthetic-option-${o}`,
        label: prose(60, `option ${o}`),
        weights: Object.fromEntries(roleIds.map((roleId) => [roleId, 3])),
      })),
      sources: [sectionId(0, 0)],
    },
  ];
  return buildKnowledge([
    {
      file: 'synthetic/knowledge.json',
      text: JSON.stringify({ sources, roles, dimensions, entries, factors }),
    },
  ]);
}

/** A Home tab allows 100 blocks, not 50; every other limit is the same as a message's. */
function findHomeViewProblems(view: HomeView): string[] {
  const blocks = view.blocks as KnownBlock[];
  const messageBlockCount = `${blocks.length} blocks > ${BLOCK_KIT_LIMITS.blocksPerMessage}`;
  const problems = findBlockKitProblems({ text: 'x', blocks }).filter(
    (problem) => problem !== messageBlockCount,
  );
  if (blocks.length > HOME_TAB_BLOCK_LIMIT)
    problems.push(`${blocks.length} blocks > ${HOME_TAB_BLOCK_LIMIT}`);
  return problems;
}

/** Every message the app can send for a knowledge store, labelled for failure messages. */
function everyMessage(knowledge: Knowledge): [string, SlackMessage][] {
  const first = knowledge.dimensions[0];
  if (!first) throw new Error('knowledge without dimensions');
  return [
    ['overview', buildCompareOverviewView(knowledge)],
    ['overview shared', buildCompareOverviewView(knowledge, { sharedBy: SHARED_BY })],
    ...knowledge.dimensions.flatMap((dimension): [string, SlackMessage][] => [
      [`dimension ${dimension.id}`, buildDimensionView(knowledge, dimension)],
      [`dimension ${dimension.id} shared`, buildDimensionView(knowledge, dimension, { sharedBy: SHARED_BY })],
    ]),
    ['help', buildCompareHelpView(knowledge)],
    ['not understood', buildNotUnderstoodView(knowledge, 'banana')],
    ['not understood with suggestion', buildNotUnderstoodView(knowledge, 'skils', first)],
    ['not understood, hostile', buildNotUnderstoodView(knowledge, HOSTILE_TEXT)],
    ['not understood, hostile with suggestion', buildNotUnderstoodView(knowledge, HOSTILE_TEXT, first)],
    [
      'compare view: overview',
      buildCompareView(knowledge, { kind: 'overview', roles: defaultPair(knowledge) }),
    ],
    ['compare view: help', buildCompareView(knowledge, { kind: 'help' })],
    [
      'compare view: dimension',
      buildCompareView(knowledge, { kind: 'dimension', dimension: first, roles: defaultPair(knowledge) }),
    ],
    [
      'compare view: which role',
      buildCompareView(knowledge, {
        kind: 'ambiguous',
        term: HOSTILE_TEXT,
        choices: knowledge.roles.map((role) => ({ roles: [role, role] as const, dimension: first })),
      }),
    ],
    ['compare view: unknown', buildCompareView(knowledge, { kind: 'unknown', input: HOSTILE_TEXT })],
  ];
}

function problemsOfEveryMessage(
  knowledge: Knowledge,
  include: (label: string) => boolean = () => true,
): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const [label, message] of everyMessage(knowledge)) {
    if (!include(label)) continue;
    const found = findBlockKitProblems(message);
    if (found.length > 0) problems[label] = found;
  }
  return problems;
}

const sectionsWithBlockId = (message: SlackMessage, prefix: string) =>
  message.blocks.filter(
    (block): block is SectionBlock => block.type === 'section' && (block.block_id ?? '').startsWith(prefix),
  );

const buttonsOf = (blocks: readonly KnownBlock[]) =>
  blocks
    .filter((block): block is ActionsBlock => block.type === 'actions')
    .flatMap((block) => block.elements);

/** Each message's Block Kit problems, by label; empty when every message is safe to send. */
function problemsOf(messages: [string, SlackMessage][]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const [label, message] of messages) {
    const found = findBlockKitProblems(message);
    if (found.length > 0) problems[label] = found;
  }
  return problems;
}

/** The stores every view is rendered with: the project's knowledge, and synthetic ones at the schema maximums. */
let real: Knowledge;
let large: Knowledge;
let huge: Knowledge;

beforeAll(async () => {
  real = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  large = syntheticKnowledge({ roles: 4, dimensions: 40 });
  huge = syntheticKnowledge({ roles: 4, dimensions: 120 });
});

describe('every view stays within Block Kit limits', () => {
  it('builds a synthetic knowledge store at the schema maximums', () => {
    expect(large.roles).toHaveLength(4);
    expect(large.dimensions).toHaveLength(40);
    expect(large.dimensions[0]?.title).toHaveLength(40);
    expect(large.dimensions[0]?.roles[large.roles[0]?.id ?? '']?.points).toHaveLength(8);
    expect(large.roles[0]?.name).toHaveLength(60);
    expect(huge.dimensions).toHaveLength(120);
  });

  it('on the project knowledge', () => {
    expect(everyMessage(real).length).toBe(real.dimensions.length * 2 + 12);
    expect(problemsOfEveryMessage(real)).toEqual({});
  });

  it('on a large synthetic knowledge store (4 roles, 40 dimensions)', () => {
    expect(problemsOfEveryMessage(large)).toEqual({});
  });

  /** The help and not-understood messages list every dimension id in their fallback text. */
  const listsEveryId = (label: string) => /help|not understood|unknown/.test(label);

  it('on a huge synthetic knowledge store (4 roles, 120 dimensions)', () => {
    expect(problemsOfEveryMessage(huge, (label) => !listsEveryId(label))).toEqual({});
  });

  // Regression: buildCompareHelpView and buildNotUnderstoodView (src/views/compare-view.ts) do not
  // truncate their fallback `text`, which lists every dimension id; with 120 dimensions it passes 4000
  // characters, while the overview and dimension views truncate theirs.
  it('on a huge synthetic knowledge store: help and not-understood fallback text', () => {
    expect(problemsOfEveryMessage(huge, listsEveryId)).toEqual({});
  });

  it('shows every dimension of the project knowledge in the overview, one column a role', () => {
    const rows = sectionsWithBlockId(buildCompareOverviewView(real), 'dimension-');
    expect(rows.map((row) => row.block_id)).toEqual(real.dimensions.map((d) => `dimension-${d.id}`));
    for (const row of rows) expect(row.fields).toHaveLength(2);
  });

  it('shows every dimension of the large store in the overview, or says how many more there are', () => {
    for (const knowledge of [large, huge]) {
      for (const options of [{}, { sharedBy: SHARED_BY }]) {
        const message = buildCompareOverviewView(knowledge, options);
        const shown = sectionsWithBlockId(message, 'dimension-').length;
        const hidden = knowledge.dimensions.length - shown;
        expect(shown).toBeGreaterThan(0);
        const more = JSON.stringify(message.blocks).includes(`…and ${hidden} more topics`);
        expect(more).toBe(hidden > 0);
      }
    }
    expect(sectionsWithBlockId(buildCompareOverviewView(large), 'dimension-')).toHaveLength(40);
  });

  it('offers a button for every dimension in the overview', () => {
    for (const knowledge of [real, large, huge]) {
      const ids = buttonsOf(buildCompareOverviewView(knowledge).blocks).map((button) => button.action_id);
      for (const dimension of knowledge.dimensions)
        expect(ids).toContain(COMPARE_DIMENSION_ACTION.with(dimension.id));
    }
  });

  it('shows every role in a dimension view of the large store', () => {
    const dimension = large.dimensions[39];
    if (!dimension) throw new Error('missing dimension');
    const roleSections = sectionsWithBlockId(buildDimensionView(large, dimension), 'role-');
    expect(roleSections.map((block) => block.block_id)).toEqual(
      large.paths.slice(0, 2).map((role) => `role-${role.id}`),
    );
  });

  it('lists every dimension id in the help view of the large store', () => {
    const text = JSON.stringify(buildCompareHelpView(large).blocks);
    for (const dimension of large.dimensions) expect(text).toContain(`\`${dimension.id}\``);
  });

  it('offers Share only before sharing, and names who shared a shared view', () => {
    const dimension = real.dimensions[0];
    if (!dimension) throw new Error('missing dimension');
    const views = [
      [buildCompareOverviewView(real), buildCompareOverviewView(real, { sharedBy: SHARED_BY })],
      [buildDimensionView(real, dimension), buildDimensionView(real, dimension, { sharedBy: SHARED_BY })],
    ];
    for (const [personal, shared] of views) {
      if (!personal || !shared) throw new Error('missing view');
      expect(buttonsOf(personal.blocks).map((button) => button.action_id)).toContain(COMPARE_SHARE_ACTION);
      expect(buttonsOf(shared.blocks).map((button) => button.action_id)).not.toContain(COMPARE_SHARE_ACTION);
      expect(JSON.stringify(personal.blocks)).not.toContain('Shared by');
      expect(JSON.stringify(shared.blocks.at(-1))).toContain(`Shared by <@${SHARED_BY}>`);
    }
  });

  it('never lets hostile input ping, link or run long in the not-understood view', () => {
    for (const suggestion of [undefined, real.dimensions[0]]) {
      const message = buildNotUnderstoodView(real, HOSTILE_TEXT, suggestion);
      expectSafeEcho(message, 1500);
      expect(message.text).not.toContain('\n');
    }
  });

  describe('the Home tab', () => {
    it('stays within the Home tab limits on every knowledge store', () => {
      for (const knowledge of [real, large, huge]) {
        const view = buildHomeView(knowledge);
        expect(view.type).toBe('home');
        expect(view.blocks.length).toBeLessThanOrEqual(HOME_TAB_BLOCK_LIMIT);
        expect(findHomeViewProblems(view)).toEqual([]);
      }
    });

    it('stays within 100 blocks with many results, unanswered questions and disliked entries, the lists cut short', () => {
      for (const knowledge of [real, large, huge]) {
        const log = {
          answers: Object.fromEntries(
            knowledge.entries.map((entry, index) => [
              `a${index}`,
              {
                teamId: 'T0TEAM0001',
                entryIds: [entry.id, 'an-entry-since-removed'],
                votes: {
                  U0VOTER0001: { vote: 'not_helpful', reason: 'not-answered' },
                  U0VOTER0002: { vote: 'not_helpful', reason: 'outdated' },
                },
              },
            ]),
          ),
          unanswered: Array.from({ length: 2_000 }, (_, index) => ({
            teamId: 'T0TEAM0001',
            question: `${HOSTILE_TEXT} ${index}`,
            at: '2026-11-27T10:00:00.000Z',
          })),
        };
        for (const state of [
          { results: manyResults(50), curator: summarizeForCurators(log), notice: NOTICE },
          {
            results: manyResults(50),
            questionnaire: { step: 3, questions: 8 },
            curator: summarizeForCurators(log),
            confirmForget: true,
          },
        ]) {
          const view = buildHomeView(knowledge, state);
          expect(view.blocks.length).toBeLessThanOrEqual(HOME_TAB_BLOCK_LIMIT);
          expect(findHomeViewProblems(view)).toEqual([]);
          const text = JSON.stringify(view.blocks);
          expect(text).toContain('For curators');
          expect(text).toContain('Unanswered questions: 2000');
          expect(text).not.toContain('<!channel>');
          const opens = allButtons(view.blocks).filter((button) => button.action_id === RESULT_OPEN_ACTION);
          expect(opens).toHaveLength(1 + HOME_LIMITS.pastResults);
          const unansweredLines = (text.match(/\\n• /g) ?? []).length;
          expect(unansweredLines).toBeLessThanOrEqual(
            HOME_LIMITS.pastResults + HOME_LIMITS.unansweredQuestions + HOME_LIMITS.entries,
          );
        }
      }
    });

    it('uses the room a Home tab has: more than 50 blocks for 120 dimensions', () => {
      const blocks = buildHomeView(huge).blocks;
      expect(blocks.length).toBeGreaterThan(BLOCK_KIT_LIMITS.blocksPerMessage);
      expect(blocks.length).toBe(HOME_TAB_BLOCK_LIMIT);
    });

    it('shows every dimension of the project knowledge', () => {
      const text = JSON.stringify(buildHomeView(real).blocks);
      for (const dimension of real.dimensions) expect(text).toContain(`"dimension-${dimension.id}"`);
    });

    // The check above is only as good as findHomeViewProblems: prove it ignores nothing but the 50-block rule.
    describe('findHomeViewProblems', () => {
      const filler = (count: number): KnownBlock[] =>
        Array.from({ length: count }, (_, index) => ({
          type: 'section',
          text: { type: 'mrkdwn', text: `block ${index}` },
        }));

      it('accepts 100 valid blocks', () => {
        expect(findHomeViewProblems({ type: 'home', blocks: filler(100) })).toEqual([]);
      });

      it('flags 101 blocks', () => {
        expect(findHomeViewProblems({ type: 'home', blocks: filler(101) })).toEqual(['101 blocks > 100']);
      });

      it('still flags a broken block past the 50th', () => {
        const blocks = filler(80);
        blocks[70] = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
        expect(findHomeViewProblems({ type: 'home', blocks })).toEqual([
          'blocks[70] (header) header text length 151',
        ]);
      });

      it('still flags a block_id repeated across the 50th block', () => {
        const blocks = filler(60);
        blocks[10] = { type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: 'a' } };
        blocks[59] = { type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: 'b' } };
        expect(findHomeViewProblems({ type: 'home', blocks })).toEqual([
          'blocks[59] (section) repeats block_id same',
        ]);
      });
    });
  });
});

describe('findBlockKitProblems', () => {
  const button = (label: string, actionId: string, value = 'v'): Button => ({
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
  });

  /** A message using every block type the app sends, each within its limits. */
  const valid = (): SlackMessage => ({
    text: 'Fallback text',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'A header' } },
      {
        type: 'section',
        block_id: 'section-1',
        text: { type: 'mrkdwn', text: '*Title*' },
        fields: [
          { type: 'mrkdwn', text: 'left' },
          { type: 'mrkdwn', text: 'right' },
        ],
      },
      { type: 'divider' },
      { type: 'actions', block_id: 'actions-1', elements: [button('One', 'one'), button('Two', 'two')] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Source: somewhere' }] },
    ],
  });

  /** The valid message with one block replaced. */
  const withBlock = (index: number, block: KnownBlock): SlackMessage => {
    const message = valid();
    message.blocks[index] = block;
    return message;
  };

  const fields = (count: number, length = 5) =>
    Array.from({ length: count }, () => ({ type: 'mrkdwn' as const, text: 'f'.repeat(length) }));
  const buttons = (count: number) =>
    Array.from({ length: count }, (_, index) => button(`B${index}`, `b${index}`));

  it('finds nothing wrong with a valid message', () => {
    expect(findBlockKitProblems(valid())).toEqual([]);
  });

  it('accepts every limit exactly', () => {
    const message: SlackMessage = {
      text: 't'.repeat(4000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
        { type: 'section', block_id: 'b'.repeat(255), text: { type: 'mrkdwn', text: 's'.repeat(3000) } },
        { type: 'section', fields: fields(10, 2000) },
        { type: 'actions', elements: buttons(25) },
        { type: 'actions', elements: [button('l'.repeat(75), 'a'.repeat(255), 'v'.repeat(2000))] },
        { type: 'context', elements: fields(10, 3000) },
      ],
    };
    while (message.blocks.length < 50) message.blocks.push({ type: 'divider' });
    expect(findBlockKitProblems(message)).toEqual([]);
  });

  it('flags a header over 150 characters', () => {
    expect(
      findBlockKitProblems(
        withBlock(0, { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }),
      ),
    ).toEqual(['blocks[0] (header) header text length 151']);
  });

  it('flags an empty header', () => {
    expect(
      findBlockKitProblems(withBlock(0, { type: 'header', text: { type: 'plain_text', text: '' } })),
    ).toEqual(['blocks[0] (header) header text length 0']);
  });

  it('flags a section with 11 fields', () => {
    expect(findBlockKitProblems(withBlock(1, { type: 'section', fields: fields(11) }))).toEqual([
      'blocks[1] (section) has 11 fields',
    ]);
  });

  it('flags a 2001-character field', () => {
    expect(
      findBlockKitProblems(withBlock(1, { type: 'section', fields: [...fields(1), ...fields(1, 2001)] })),
    ).toEqual(['blocks[1] (section) field length 2001']);
  });

  it('flags a section text over 3000 characters, and a section with neither text nor fields', () => {
    expect(
      findBlockKitProblems(
        withBlock(1, { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }),
      ),
    ).toEqual(['blocks[1] (section) text length 3001']);
    expect(findBlockKitProblems(withBlock(1, { type: 'section', fields: [] }))).toEqual([
      'blocks[1] (section) has neither text nor fields',
    ]);
  });

  it('flags 26 buttons in one actions block', () => {
    expect(findBlockKitProblems(withBlock(3, { type: 'actions', elements: buttons(26) }))).toEqual([
      'blocks[3] (actions) has 26 elements',
    ]);
  });

  it('flags an empty actions block', () => {
    expect(findBlockKitProblems(withBlock(3, { type: 'actions', elements: [] }))).toEqual([
      'blocks[3] (actions) has 0 elements',
    ]);
  });

  it('flags a 76-character button label', () => {
    const label = 'l'.repeat(76);
    expect(findBlockKitProblems(withBlock(3, { type: 'actions', elements: [button(label, 'one')] }))).toEqual(
      [`blocks[3] (actions) button "${label}" text length 76`],
    );
  });

  it('flags a button value over 2000 characters and a missing or long action_id', () => {
    expect(
      findBlockKitProblems(
        withBlock(3, { type: 'actions', elements: [button('One', 'one', 'v'.repeat(2001))] }),
      ),
    ).toEqual(['blocks[3] (actions) button "One" value too long']);
    expect(
      findBlockKitProblems(withBlock(3, { type: 'actions', elements: [button('One', 'a'.repeat(256))] })),
    ).toEqual(['blocks[3] (actions) button "One" action_id length']);
    expect(
      findBlockKitProblems(
        withBlock(3, {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'One' } }],
        }),
      ),
    ).toEqual(['blocks[3] (actions) button "One" action_id length']);
  });

  it('flags a repeated action_id within a block, but not across blocks', () => {
    expect(
      findBlockKitProblems(
        withBlock(3, { type: 'actions', elements: [button('One', 'same'), button('Two', 'same')] }),
      ),
    ).toEqual(['blocks[3] (actions) repeats action_id same']);
    const message = valid();
    message.blocks.push({ type: 'actions', elements: [button('One', 'one')] });
    expect(findBlockKitProblems(message)).toEqual([]);
  });

  it('flags a repeated or too long block_id', () => {
    expect(
      findBlockKitProblems(
        withBlock(4, { type: 'section', block_id: 'section-1', text: { type: 'mrkdwn', text: 'x' } }),
      ),
    ).toEqual(['blocks[4] (section) repeats block_id section-1']);
    expect(findBlockKitProblems(withBlock(2, { type: 'divider', block_id: 'd'.repeat(256) }))).toEqual([
      'blocks[2] (divider) block_id too long',
    ]);
  });

  it('flags a context block with 11 elements or a text over 3000 characters', () => {
    expect(findBlockKitProblems(withBlock(4, { type: 'context', elements: fields(11) }))).toEqual([
      'blocks[4] (context) has 11 elements',
    ]);
    expect(findBlockKitProblems(withBlock(4, { type: 'context', elements: fields(1, 3001) }))).toEqual([
      'blocks[4] (context) element text length',
    ]);
  });

  it('flags 51 blocks', () => {
    const message = valid();
    while (message.blocks.length < 51) message.blocks.push({ type: 'divider' });
    expect(findBlockKitProblems(message)).toEqual(['51 blocks > 50']);
  });

  it.each(['', '   ', '\n'])('flags the empty fallback text %j', (text) => {
    expect(findBlockKitProblems({ ...valid(), text })).toEqual(['fallback text is empty']);
  });

  it('flags fallback text over 4000 characters', () => {
    expect(findBlockKitProblems({ ...valid(), text: 't'.repeat(4001) })).toEqual([
      'fallback text is 4001 > 4000 chars',
    ]);
  });

  it('reports several problems at once', () => {
    const message = valid();
    message.text = '';
    message.blocks[0] = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(200) } };
    message.blocks[3] = { type: 'actions', elements: buttons(30) };
    expect(findBlockKitProblems(message)).toEqual([
      'fallback text is empty',
      'blocks[0] (header) header text length 200',
      'blocks[3] (actions) has 30 elements',
    ]);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes &, < and > so user text can never ping or link', () => {
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;');
    expect(escapeMrkdwn('<@U0PERSON001> & <https://x.example|x>')).toBe(
      '&lt;@U0PERSON001&gt; &amp; &lt;https://x.example|x&gt;',
    );
  });

  it('escapes an ampersand once, even in text that looks escaped', () => {
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
    expect(escapeMrkdwn('a && b')).toBe('a &amp;&amp; b');
  });

  it('leaves other text alone', () => {
    expect(escapeMrkdwn('Skills, *bold* _it_ `code` "quotes" é 🎉')).toBe(
      'Skills, *bold* _it_ `code` "quotes" é 🎉',
    );
    expect(escapeMrkdwn('')).toBe('');
  });
});

describe('truncate', () => {
  it('keeps text that fits, including text exactly at the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts longer text to the limit, ending in an ellipsis', () => {
    const cut = truncate('abcdefghijklmnop', 10);
    expect(cut).toBe('abcdefghi…');
    expect(cut).toHaveLength(10);
  });

  it('does not leave a space before the ellipsis', () => {
    expect(truncate('hello world again', 7)).toBe('hello…');
  });

  it('never exceeds the limit for long text', () => {
    for (const max of [1, 2, 75, 150, 3000]) {
      const cut = truncate('x'.repeat(5000), max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.endsWith('…')).toBe(true);
    }
  });
});

describe('every answer view stays within Block Kit limits', () => {
  const ANSWER_ID = 'am7q2x9k1abc123';
  const buttonsIn = (blocks: readonly KnownBlock[]) =>
    buttonsOf(blocks).filter((element): element is Button => element.type === 'button');

  /** Up to `count` entries of the knowledge other than `except`, the entry's own related ones first. */
  function othersThan(knowledge: Knowledge, except: readonly Entry[], count: number): Entry[] {
    const shown = new Set(except.map((entry) => entry.id));
    const candidates = [
      ...except.flatMap((entry) => entry.related.flatMap((id) => knowledge.entriesById.get(id) ?? [])),
      ...knowledge.entries,
    ];
    const picked: Entry[] = [];
    for (const entry of candidates) {
      if (shown.has(entry.id)) continue;
      shown.add(entry.id);
      picked.push(entry);
      if (picked.length === count) break;
    }
    return picked;
  }

  function answerOutcome(
    knowledge: Knowledge,
    entries: Entry[],
    relatedCount: number,
    uncovered: string[] = [],
  ): Extract<QaOutcome, { kind: 'answer' }> {
    const dimensionId = entries.find((entry) => entry.dimension)?.dimension;
    return {
      kind: 'answer',
      question: 'what does an IT PM do?',
      parts: [
        ...entries.map((entry) => ({
          kind: 'answered' as const,
          part: { text: `about ${entry.title}?`, kind: 'yes-no' as const },
          entry,
          ...(entry.verdict ? { verdict: entry.verdict } : {}),
        })),
        ...uncovered.map((text) => ({ kind: 'uncovered' as const, part: { text, kind: 'what' as const } })),
      ],
      entries,
      related: othersThan(knowledge, entries, relatedCount),
      dimension: dimensionId ? knowledge.dimensionsById.get(dimensionId) : undefined,
      offerQuestionnaire: relatedCount > 0,
    };
  }

  function unknownOutcome(knowledge: Knowledge, closest: Entry[]): Extract<QaOutcome, { kind: 'unknown' }> {
    return {
      kind: 'unknown',
      question: HOSTILE_TEXT,
      closest,
      titles: knowledge.scope.titles.slice(0, closest.length > 0 ? 2 : 0),
      offerQuestionnaire: closest.length > 0,
    };
  }

  /** Every answer-side message the app can send for a knowledge store, labelled for failure messages. */
  function everyAnswerMessage(knowledge: Knowledge): [string, SlackMessage][] {
    const messages: [string, SlackMessage][] = [];
    knowledge.entries.forEach((entry, index) => {
      messages.push([`entry ${entry.id}`, buildEntryView(knowledge, entry)]);
      for (const relatedCount of [0, 3]) {
        const one = answerOutcome(knowledge, [entry], relatedCount);
        messages.push([`answer ${entry.id} +${relatedCount}`, buildAnswerView(knowledge, one, ANSWER_ID)]);
        const next = knowledge.entries[(index + 1) % knowledge.entries.length];
        if (next && next !== entry) {
          const two = answerOutcome(knowledge, [entry, next], relatedCount, [HOSTILE_TEXT, HOSTILE_TEXT]);
          messages.push([
            `answer ${entry.id} & ${next.id} +${relatedCount}`,
            buildAnswerView(knowledge, two, ANSWER_ID),
          ]);
        }
        const partial = {
          kind: 'partial' as const,
          question: HOSTILE_TEXT,
          entry,
          related: othersThan(knowledge, [entry], relatedCount),
          offerQuestionnaire: relatedCount > 0,
        };
        messages.push([
          `partial ${entry.id} +${relatedCount}`,
          buildPartialAnswerView(knowledge, partial, ANSWER_ID),
        ]);
      }
    });
    for (const closest of [[], knowledge.entries.slice(0, 3)]) {
      messages.push([
        `unknown, ${closest.length} closest`,
        buildUnknownAnswerView(knowledge, unknownOutcome(knowledge, closest)),
      ]);
    }
    for (const reason of ['about-the-bot', 'forecast', 'other-subject'] as const) {
      messages.push([`out of scope ${reason}`, buildOutOfScopeView(knowledge, reason)]);
    }
    messages.push(['capabilities', buildCapabilitiesView(knowledge)]);
    for (const vote of ['helpful', 'not_helpful'] as const) {
      for (const previous of [undefined, 'helpful', 'not_helpful'] as const) {
        messages.push([
          `vote ${vote} after ${previous ?? 'nothing'}`,
          buildVoteConfirmationView(vote, previous, ANSWER_ID),
        ]);
      }
    }
    return messages;
  }

  it('on the project knowledge, for every entry', () => {
    const messages = everyAnswerMessage(real);
    // entry view + 1-entry and 2-entry answers and partials with 0 and 3 related, per entry; 2 unknown; 3 out of
    // scope; capabilities; 6 votes.
    expect(messages).toHaveLength(real.entries.length * 7 + 12);
    expect(problemsOf(messages)).toEqual({});
  });

  it('on a synthetic knowledge store at the schema maximums', () => {
    expect(large.entries[0]?.body).toHaveLength(1200);
    expect(problemsOf(everyAnswerMessage(large))).toEqual({});
  });

  it('shows one section per answered part, related topics as buttons, and the feedback buttons with the answer id', () => {
    const [first, second] = real.entries;
    if (!first || !second) throw new Error('need two entries');
    const outcome = answerOutcome(real, [first, second], 3);
    expect(outcome.related).toHaveLength(3);
    const message = buildAnswerView(real, outcome, ANSWER_ID);
    expect(sectionsWithBlockId(message, 'entry-').map((block) => block.block_id)).toEqual([
      `entry-${first.id}`,
      `entry-${second.id}`,
    ]);
    expect(buttonsIn(message.blocks).map((button) => [button.action_id, button.value])).toEqual([
      [QUESTIONNAIRE_START_ACTION, 'start'],
      ...outcome.related.map((entry) => [QA_RELATED_ACTION.with(entry.id), entry.id]),
      [QA_HELPFUL_ACTION, ANSWER_ID],
      [QA_NOT_HELPFUL_ACTION, ANSWER_ID],
    ]);
  });

  it('leads a yes/no answer with its verdict and names the source once, without internal ids', () => {
    const entry = real.entries.find((candidate) => candidate.verdict);
    if (!entry?.verdict) throw new Error('need an entry with a verdict');
    const message = buildAnswerView(real, answerOutcome(real, [entry], 0), ANSWER_ID);
    const [answer] = sectionsWithBlockId(message, 'entry-');
    expect(answer?.text?.text.startsWith(`*${entry.verdict}.* `)).toBe(true);
    expect(message.text.startsWith(`${entry.verdict}.`)).toBe(true);
    const context = JSON.stringify(message.blocks.filter((block) => block.type === 'context'));
    const source = real.sectionsById.get(entry.sources[0] ?? '')?.source;
    expect(context.split(source?.title ?? '?').length - 1).toBe(1);
    expect(context).not.toContain(entry.id);
    if (source?.url) expect(context).toContain(source.url);
  });

  it('keeps every answer body within about 120 words, and the "I don\'t know" reply within 50', () => {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    for (const entry of real.entries) expect([entry.id, words(entry.body) <= 120]).toEqual([entry.id, true]);
    const unknown = buildUnknownAnswerView(real, unknownOutcome(real, real.entries.slice(0, 3)));
    const first = unknown.blocks[0] as SectionBlock;
    expect(words(first.text?.text ?? '')).toBeLessThanOrEqual(50);
  });

  it('points to /pm-compare only when the answer has a dimension', () => {
    const [entry] = real.entries;
    if (!entry) throw new Error('need an entry');
    const withDimension = answerOutcome(real, [entry], 0);
    expect(withDimension.dimension).toBeDefined();
    const pointer = `/pm-compare ${withDimension.dimension?.id}`;
    expect(JSON.stringify(buildAnswerView(real, withDimension, ANSWER_ID).blocks)).toContain(pointer);
    const without = buildAnswerView(real, { ...withDimension, dimension: undefined }, ANSWER_ID);
    expect(JSON.stringify(without.blocks)).not.toContain('/pm-compare ');
  });

  it('names a part it cannot answer escaped and cut at a word, never raw', () => {
    const [entry] = real.entries;
    if (!entry) throw new Error('need an entry');
    const message = buildAnswerView(real, answerOutcome(real, [entry], 0, [HOSTILE_TEXT]), ANSWER_ID);
    const everything = JSON.stringify(message);
    for (const raw of ['<!channel>', '<@U1>', '<https://evil']) expect(everything).not.toContain(raw);
    const named = message.blocks.find(
      (block): block is SectionBlock =>
        block.type === 'section' && Boolean(block.text?.text.includes("can't answer")),
    );
    expect(named?.text?.text).toMatch(/&lt;!channel&gt;[^“”]*…”/);
    expect((named?.text?.text ?? '').length).toBeLessThan(200);
  });

  it('echoes nothing of the question in the "I don\'t know" reply, and names the uncovered titles', () => {
    const message = buildUnknownAnswerView(real, unknownOutcome(real, real.entries.slice(0, 3)));
    expect(JSON.stringify(message)).not.toContain('channel');
    const [first, second] = real.scope.titles;
    expect(message.text).toContain(first?.name);
    expect(message.text).toContain(second?.name);
  });

  it('offers the closest topics as buttons only when there are some', () => {
    const closest = real.entries.slice(0, 3);
    const withClosest = buttonsOf(buildUnknownAnswerView(real, unknownOutcome(real, closest)).blocks);
    expect(withClosest.map((button) => button.action_id)).toEqual([
      ...closest.map((entry) => QA_RELATED_ACTION.with(entry.id)),
      QUESTIONNAIRE_START_ACTION,
    ]);
    expect(buttonsOf(buildUnknownAnswerView(real, unknownOutcome(real, [])).blocks)).toEqual([]);
  });

  it('answers out of scope with what the advisor covers and example questions, and no questionnaire invite', () => {
    const message = buildOutOfScopeView(real, 'other-subject');
    expect(buttonsOf(message.blocks)).toEqual([]);
    for (const example of real.scope.examples.slice(0, 3)) expect(JSON.stringify(message)).toContain(example);
  });

  it('says all three things the app does when asked what it can do', () => {
    const text = JSON.stringify(buildCapabilitiesView(real));
    for (const thing of ['/pm-compare', 'help me choose', 'mention me']) expect(text).toContain(thing);
  });

  it('offers the reasons only after a "Not helpful" vote, and says when a vote changed', () => {
    const helpful = buildVoteConfirmationView('helpful', undefined, ANSWER_ID);
    expect(buttonsOf(helpful.blocks)).toEqual([]);
    const notHelpful = buildVoteConfirmationView('not_helpful', undefined, ANSWER_ID);
    expect(buttonsIn(notHelpful.blocks).map((button) => [button.action_id, button.value])).toEqual([
      [QA_REASON_ACTION.with('not-answered'), ANSWER_ID],
      [QA_REASON_ACTION.with('outdated'), ANSWER_ID],
      [QA_REASON_ACTION.with('wrong'), ANSWER_ID],
    ]);
    expect(buttonsIn(notHelpful.blocks).map((button) => button.text.text)).toEqual([
      "Didn't answer my question",
      'Out of date',
      'Wrong',
    ]);
    expect(buildVoteConfirmationView('helpful', 'not_helpful', ANSWER_ID).text).toContain('changed');
    expect(buildVoteConfirmationView('not_helpful', 'helpful', ANSWER_ID).text).toContain('changed');
    expect(buildVoteConfirmationView('helpful', 'helpful', ANSWER_ID).text).not.toContain('changed');
    expect(notHelpful.text).not.toContain('changed');
  });

  it('escapes entry titles from the knowledge', () => {
    const message = buildEntryView(large, large.entries[0] as Entry);
    const section = sectionsWithBlockId(message, 'entry-')[0];
    expect(section?.text?.text.startsWith(`*${escapeMrkdwn(large.entries[0]?.title ?? '')}*`)).toBe(true);
    expect(section?.text?.text).toContain('R&amp;D &lt;scope&gt;');
  });
});

describe('every questionnaire view stays within Block Kit limits', () => {
  const RESULT_ID = 'qr7q2x9k1abc123';
  const T0 = new Date('2025-03-01T09:00:00.000Z');

  /** A questionnaire waiting on the factor at `step`, every earlier factor answered with its first option. */
  function sessionAt(knowledge: Knowledge, step: number): QuestionnaireSession {
    const session = startSession(
      knowledge,
      { teamId: 'T0TEAM0001', userId: SHARED_BY, channelId: 'D0DM000001' },
      T0,
      'qs7q2x9k1abc123',
    );
    for (const factorId of session.factorIds.slice(0, step)) {
      const option = knowledge.factorsById.get(factorId)?.options[0];
      if (option) session.answers[factorId] = option.id;
    }
    session.step = step;
    return session;
  }

  /** The answers picking, for every factor, the option that gives `roleId` the largest lead over the rest. */
  function answersToward(knowledge: Knowledge, roleId: string): Record<string, string> {
    return Object.fromEntries(
      knowledge.factors.map((factor) => {
        const lead = (option: (typeof factor.options)[number]) =>
          (option.weights[roleId] ?? 0) -
          Math.max(...knowledge.paths.filter((r) => r.id !== roleId).map((r) => option.weights[r.id] ?? 0));
        const best = [...factor.options].sort((a, b) => lead(b) - lead(a))[0];
        return [factor.id, best?.id ?? ''];
      }),
    );
  }

  function storedResults(count: number) {
    return Array.from({ length: count }, (_, index) => ({
      id: `qr${String(index).padStart(13, '0')}`,
      at: new Date(T0.getTime() + index * 3_600_000).toISOString(),
      ...(index % 3 === 2 ? {} : { leanRoleId: index % 3 === 0 ? 'it-pm' : 'general-pm' }),
      strength: index % 3 === 2 ? 'balanced' : 'clear',
      totals: { 'it-pm': index, 'general-pm': 20 - index },
      answers: {},
    }));
  }

  /** Every questionnaire message for a knowledge store, labelled for failure messages. */
  function everyQuestionnaireMessage(knowledge: Knowledge): [string, SlackMessage][] {
    const messages: [string, SlackMessage][] = [
      ['intro', buildQuestionnaireIntroView(knowledge, knowledge.factors.length)],
    ];
    const last = knowledge.factors.length - 1;
    knowledge.factors.forEach((factor, index) => {
      for (const step of [...new Set([0, index, last])]) {
        const session = sessionAt(knowledge, step);
        messages.push([`question ${factor.id} at step ${step}`, buildQuestionView(session, factor)]);
        messages.push([
          `pointer ${factor.id} at step ${step}`,
          buildQuestionPointerView(session, HOSTILE_TEXT),
        ]);
      }
      for (const option of factor.options) {
        messages.push([
          `answered ${option.id}`,
          buildAnsweredQuestionView(factor, option, `Question ${index + 1} of ${knowledge.factors.length}`),
        ]);
      }
    });
    for (const step of [0, last, last + 1]) {
      const session = sessionAt(knowledge, step);
      for (const control of ['cancel', 'restart'] as const) {
        messages.push([`confirm ${control} at step ${step}`, buildDropConfirmView(session, control)]);
        messages.push([`dropped ${control} at step ${step}`, buildDroppedView(step, control)]);
      }
      messages.push([`kept at step ${step}`, buildKeptView(session, false)]);
    }
    const answerSets: [string, Record<string, string>][] = [
      ...knowledge.paths.map((role): [string, Record<string, string>] => [
        `toward ${role.id}`,
        answersToward(knowledge, role.id),
      ]),
      ['first options', Object.fromEntries(knowledge.factors.map((f) => [f.id, f.options[0]?.id ?? '']))],
    ];
    if (knowledge === real) answerSets.push(['middle of the road', MIDDLE_OF_THE_ROAD]);
    for (const [label, answers] of answerSets) {
      const result = scoreAnswers(knowledge, answers);
      messages.push([`result ${label}`, buildResultView(knowledge, result, RESULT_ID)]);
      messages.push([`shared result ${label}`, buildSharedResultView(knowledge, result, SHARED_BY)]);
    }
    for (const count of [0, 1, 60]) {
      messages.push([`history of ${count}`, buildHistoryView(knowledge, storedResults(count))]);
    }
    messages.push(['forget confirm', buildForgetConfirmView()]);
    messages.push(['stopped', buildStoppedView()]);
    for (const outcome of ['moved-on', 'ended'] as const)
      messages.push([`stale drop ${outcome}`, buildStaleDropView(outcome)]);
    messages.push(['dm help', buildDmHelpView(knowledge)]);
    return messages;
  }

  /** Every interactive element's action_id, per actions block: buttons and the channel picker alike. */
  const actionIdsPerBlock = (message: SlackMessage) =>
    message.blocks
      .filter((block): block is ActionsBlock => block.type === 'actions')
      .map((block) =>
        block.elements.map((element) => ('action_id' in element ? element.action_id : undefined)),
      );

  function repeatedActionIds(messages: [string, SlackMessage][]): Record<string, string[]> {
    const repeated: Record<string, string[]> = {};
    for (const [label, message] of messages) {
      const found: string[] = [];
      for (const ids of actionIdsPerBlock(message)) {
        const seen = new Set<string>();
        for (const id of ids) {
          if (id === undefined || seen.has(id)) found.push(String(id));
          else seen.add(id);
        }
      }
      if (found.length > 0) repeated[label] = found;
    }
    return repeated;
  }

  // The uniqueness checks are only as good as repeatedActionIds: prove it sees the channel picker too.
  it('repeatedActionIds flags a repeated or missing action_id, including a select, within a block only', () => {
    const select = { type: 'conversations_select' as const, action_id: 'same' };
    const button = {
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: 'B' },
      action_id: 'same',
    };
    const message: SlackMessage = {
      text: 'x',
      blocks: [
        { type: 'actions', elements: [button, select] },
        { type: 'actions', elements: [{ ...button, action_id: 'other' }] },
        { type: 'actions', elements: [{ ...button, action_id: 'other' }, { type: 'conversations_select' }] },
      ],
    };
    expect(repeatedActionIds([['m', message]])).toEqual({ m: ['same', 'undefined'] });
    expect(findBlockKitProblems(message)).toEqual([]);
  });

  it('builds the three kinds of result on the project knowledge', () => {
    expect(scoreAnswers(real, answersToward(real, 'it-pm')).leanRoleId).toBe('it-pm');
    expect(scoreAnswers(real, answersToward(real, 'general-pm')).leanRoleId).toBe('general-pm');
    const balanced = scoreAnswers(real, MIDDLE_OF_THE_ROAD);
    expect(balanced.leanRoleId).toBeUndefined();
    expect(balanced.strength).toBe('balanced');
  });

  it('on the project knowledge, for every factor, option and result', () => {
    const messages = everyQuestionnaireMessage(real);
    const options = real.factors.reduce((sum, factor) => sum + factor.options.length, 0);
    // intro; question + pointer at step 0, its own step and the last (2 for the first and last factor,
    // 3 for the others); answered per option; at 3 steps, drop confirmations and their outcomes for cancel and
    // restart, and "kept" (5 each); 4 result pairs; 3 histories; forget; stopped; 2 stale drops; help.
    const questionSteps = real.factors.length * 3 - 2;
    expect(messages).toHaveLength(1 + questionSteps * 2 + options + 3 * 5 + 4 * 2 + 3 + 1 + 1 + 2 + 1);
    expect(problemsOf(messages)).toEqual({});
    expect(repeatedActionIds(messages)).toEqual({});
  });

  it('on synthetic knowledge stores at the schema maximums (4 roles, 40 and 120 dimensions)', () => {
    for (const knowledge of [large, huge]) {
      const messages = everyQuestionnaireMessage(knowledge);
      expect(problemsOf(messages)).toEqual({});
      expect(repeatedActionIds(messages)).toEqual({});
    }
  });

  it('offers a button per option, numbered, with the session and factor in the value', () => {
    for (const [index, factor] of real.factors.entries()) {
      const session = sessionAt(real, index);
      const message = buildQuestionView(session, factor);
      const answers = message.blocks.find((block) => block.block_id === `answers-${factor.id}`);
      expect(answers?.type).toBe('actions');
      const buttons = (answers as ActionsBlock).elements as Button[];
      expect(buttons.map((button) => [button.text.text, button.action_id, button.value])).toEqual(
        factor.options.map((option, position) => [
          `${position + 1}. ${option.label}`,
          QUESTIONNAIRE_ANSWER_ACTION.with(option.id),
          `${session.id}|${factor.id}`,
        ]),
      );
    }
  });

  it('offers Back only after the first question', () => {
    const [first, second] = real.factors;
    if (!first || !second) throw new Error('need two factors');
    const controls = (message: SlackMessage) => buttonsOf(message.blocks).map((button) => button.action_id);
    expect(controls(buildQuestionView(sessionAt(real, 0), first))).not.toContain(
      QUESTIONNAIRE_CONTROL_ACTION.with('back'),
    );
    expect(controls(buildQuestionView(sessionAt(real, 1), second))).toContain(
      QUESTIONNAIRE_CONTROL_ACTION.with('back'),
    );
    for (const id of ['restart', 'cancel'].map((control) => QUESTIONNAIRE_CONTROL_ACTION.with(control)))
      expect(controls(buildQuestionView(sessionAt(real, 0), first))).toContain(id);
  });

  it('never lets a hostile reply ping, mention, link or run long in the pointer to the waiting question', () => {
    const message = buildQuestionPointerView(sessionAt(real, 1), HOSTILE_TEXT);
    const text = expectSafeEcho(message, 1000);
    expect(text).not.toContain('\n');
    // One short note: the question itself is not posted again.
    expect(message.blocks).toHaveLength(1);
    expect(text).toContain('Your question 2 is still waiting above');
  });

  it('ends a result with the channel picker for sharing, named by the result id', () => {
    const message = buildResultView(real, scoreAnswers(real, MIDDLE_OF_THE_ROAD), RESULT_ID);
    const share = message.blocks.at(-1);
    expect(share).toMatchObject({
      type: 'actions',
      block_id: QUESTIONNAIRE_SHARE_BLOCK.with(RESULT_ID),
      elements: [{ type: 'conversations_select', action_id: QUESTIONNAIRE_SHARE_ACTION }],
    });
    const ids = buttonsOf(message.blocks).flatMap((element) => element.action_id ?? []);
    expect(ids).toContain(QUESTIONNAIRE_START_ACTION);
    for (const dimension of real.dimensions)
      expect(ids).toContain(COMPARE_DIMENSION_ACTION.with(dimension.id));
  });

  it('names the lean in the result header, and says balanced when there is none', () => {
    const header = (answers: Record<string, string>) =>
      JSON.stringify(buildResultView(real, scoreAnswers(real, answers), RESULT_ID).blocks[0]);
    const itName = real.rolesById.get('it-pm')?.name ?? 'missing';
    const generalName = real.rolesById.get('general-pm')?.name ?? 'missing';
    expect(header(answersToward(real, 'it-pm'))).toContain(`leaning ${itName}`);
    expect(header(answersToward(real, 'general-pm'))).toContain(`leaning ${generalName}`);
    expect(header(MIDDLE_OF_THE_ROAD)).toContain('Your result: balanced');
  });

  it('lists at most 20 past results, newest first, each openable, and counts them all', () => {
    const results = storedResults(60);
    const message = buildHistoryView(real, results);
    expect(message.text).toContain('60');
    const listed = message.blocks.filter(
      (block): block is SectionBlock => block.type === 'section' && block.accessory?.type === 'button',
    );
    expect(listed).toHaveLength(20);
    expect(listed[0]?.text?.text).toContain(results[59]?.at.slice(0, 16).replace('T', ' '));
    expect(listed.map((block) => (block.accessory as Button).value)).toEqual(
      results
        .slice(-20)
        .reverse()
        .map((result) => result.id),
    );
    expect(JSON.stringify(message.blocks.at(-1))).toContain('40 older result(s) not shown');
    expect(buildHistoryView(real, []).text).toContain('no saved results');
  });
});
