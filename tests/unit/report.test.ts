import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { FeedbackReason, Vote } from '../../src/advisor/feedback.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectRoot } from '../../src/paths.js';
import { buildCuratorReport } from '../../src/report.js';
import {
  emptyData,
  type StoredAnswer,
  type StoredData,
  type UnansweredQuestion,
} from '../../src/store/qa-log.js';

let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

const asker = { teamId: 'T0TEAM0001', channelId: 'C0CHANNEL01', userId: 'U0ASKER001' };

function unanswered(question: string, at: string): UnansweredQuestion {
  return { ...asker, question, closestIds: [], at };
}

function vote(kind: Vote, reason?: FeedbackReason) {
  return { vote: kind, at: '2025-03-01T10:00:00.000Z', ...(reason ? { reason } : {}) };
}

function answer(entryIds: string[], votes: StoredAnswer['votes'] = {}): StoredAnswer {
  return { ...asker, question: 'a question', entryIds, at: '2025-03-01T09:00:00.000Z', votes };
}

/** Four unanswered questions (three the same but for case and punctuation) and three answers with votes. */
function sampleData(): StoredData {
  return {
    ...emptyData(),
    unanswered: [
      unanswered('What is the wifi password?', '2025-03-01T09:00:00.000Z'),
      unanswered('what is the WiFi password', '2025-03-01T09:05:00.000Z'),
      unanswered('Where is lunch?', '2025-03-01T09:10:00.000Z'),
      unanswered('what is the wifi-password!!', '2025-03-02T14:20:59.999Z'),
    ],
    answers: {
      a1: answer(['pricing-strategy'], {
        U0VOTER0001: vote('helpful'),
        U0VOTER0002: vote('not_helpful', 'outdated'),
        U0VOTER0003: vote('not_helpful', 'wrong'),
      }),
      a2: answer(['pricing-strategy', 'salary-expectations'], {
        U0VOTER0001: vote('not_helpful', 'outdated'),
      }),
      a3: answer(['an-entry-since-removed']),
    },
  };
}

const linesBetween = (report: string, start: string, end?: string) => {
  const lines = report.split('\n');
  const from = lines.indexOf(start);
  if (from < 0) throw new Error(`no line "${start}" in:\n${report}`);
  const to = end === undefined ? lines.length : lines.indexOf(end, from);
  return lines.slice(from + 1, to < 0 ? lines.length : to).filter((line) => line.trim() !== '');
};

describe('buildCuratorReport', () => {
  it('reports unanswered questions and feedback per entry', () => {
    const pricing = knowledge.entriesById.get('pricing-strategy')?.title;
    const salary = knowledge.entriesById.get('salary-expectations')?.title;
    expect(pricing).toBeDefined();
    expect(salary).toBeDefined();
    expect(buildCuratorReport(sampleData(), knowledge)).toBe(
      [
        'Unanswered questions: 4',
        '',
        'Most recent:',
        '  2025-03-02 14:20  what is the wifi-password!!',
        '  2025-03-01 09:10  Where is lunch?',
        '  2025-03-01 09:05  what is the WiFi password',
        '  2025-03-01 09:00  What is the wifi password?',
        '',
        'Most frequent:',
        '     3×  What is the wifi password?',
        '     1×  Where is lunch?',
        '',
        'Feedback per entry (3 answers given):',
        `  pricing-strategy — ${pricing}: shown 2, helpful 1, not helpful 3 (out of date 2, wrong 1)`,
        `  salary-expectations — ${salary}: shown 1, helpful 0, not helpful 1 (out of date 1)`,
        '  an-entry-since-removed — (no longer in the knowledge): shown 1, helpful 0, not helpful 0',
      ].join('\n'),
    );
  });

  it('lists the most recent unanswered questions newest first, at most `limit`', () => {
    const data = emptyData();
    for (let index = 0; index < 30; index++) {
      data.unanswered.push(
        unanswered(`question ${index}`, `2025-03-01T09:${String(index).padStart(2, '0')}:00Z`),
      );
    }
    const recent = linesBetween(buildCuratorReport(data, knowledge, 5), 'Most recent:', 'Most frequent:');
    expect(recent).toEqual([
      '  2025-03-01 09:29  question 29',
      '  2025-03-01 09:28  question 28',
      '  2025-03-01 09:27  question 27',
      '  2025-03-01 09:26  question 26',
      '  2025-03-01 09:25  question 25',
    ]);
  });

  it('groups frequent questions ignoring case, punctuation and spacing, most frequent first', () => {
    const data = emptyData();
    const asked = [
      'Where is lunch?',
      'How do I reset my laptop',
      'how do i reset my laptop?',
      '  HOW do I reset -- my laptop!!! ',
      'where is LUNCH',
      'Who is on call',
    ];
    asked.forEach((question, index) => {
      data.unanswered.push(unanswered(question, `2025-03-01T10:0${index}:00Z`));
    });
    const frequent = linesBetween(
      buildCuratorReport(data, knowledge),
      'Most frequent:',
      'Feedback per entry (0 answers given):',
    );
    expect(frequent).toEqual([
      '     3×  How do I reset my laptop',
      '     2×  Where is lunch?',
      '     1×  Who is on call',
    ]);
  });

  it('keeps at most `limit` groups of frequent questions', () => {
    const data = emptyData();
    for (let index = 0; index < 20; index++)
      data.unanswered.push(unanswered(`topic ${index}`, '2025-03-01T10:00:00Z'));
    data.unanswered.push(unanswered('topic 7', '2025-03-01T11:00:00Z'));
    const frequent = linesBetween(buildCuratorReport(data, knowledge, 3), 'Most frequent:', '');
    expect(frequent[0]).toBe('     2×  topic 7');
    expect(frequent.filter((line) => line.includes('×'))).toHaveLength(3);
  });

  // Regression: buildCuratorReport (src/report.ts) groups questions by a key that keeps only [a-z0-9], so
  // questions written without Latin letters or digits all get the empty key and are counted as one
  // ("3× 給料は？"). Expected: each distinct question counted on its own.
  it('does not lump together different questions written without Latin letters', () => {
    const data = emptyData();
    for (const question of ['給料は？', 'チームは？', 'Зарплата?']) {
      data.unanswered.push(unanswered(question, '2025-03-01T10:00:00Z'));
    }
    const frequent = linesBetween(buildCuratorReport(data, knowledge), 'Most frequent:', '');
    expect(frequent.filter((line) => line.includes('×'))).toEqual([
      '     1×  給料は？',
      '     1×  チームは？',
      '     1×  Зарплата?',
    ]);
  });

  it('counts every vote on an answer for each entry it showed, with the reasons', () => {
    const data = emptyData();
    data.answers.a1 = answer(['what-is-it-pm', 'what-is-general-pm'], {
      U0VOTER0001: vote('helpful'),
      U0VOTER0002: vote('helpful'),
      U0VOTER0003: vote('not_helpful', 'off-topic'),
      U0VOTER0004: vote('not_helpful'),
    });
    const feedback = linesBetween(
      buildCuratorReport(data, knowledge),
      'Feedback per entry (1 answers given):',
    );
    expect(feedback).toHaveLength(2);
    for (const line of feedback) expect(line).toMatch(/: shown 1, helpful 2, not helpful 2 \(off topic 1\)$/);
  });

  it('shows each reason as people read it, "didn\'t answer my question" included, most given first', () => {
    const data = emptyData();
    data.answers.a1 = answer(['pricing-strategy'], {
      U0VOTER0001: vote('not_helpful', 'not-answered'),
      U0VOTER0002: vote('not_helpful', 'outdated'),
      U0VOTER0003: vote('not_helpful', 'not-answered'),
    });
    const [line] = linesBetween(buildCuratorReport(data, knowledge), 'Feedback per entry (1 answers given):');
    expect(line).toMatch(/not helpful 3 \(didn't answer my question 2, out of date 1\)$/);
  });

  it('puts the entries with the most "not helpful" votes first, then the most shown', () => {
    const data = emptyData();
    data.answers.a1 = answer(['it-pm-kpis']);
    data.answers.a2 = answer(['it-pm-kpis']);
    data.answers.a3 = answer(['pm-kpis']);
    data.answers.a4 = answer(['go-to-market'], { U0VOTER0001: vote('not_helpful') });
    const order = linesBetween(
      buildCuratorReport(data, knowledge),
      'Feedback per entry (4 answers given):',
    ).map((line) => line.trim().split(' ')[0]);
    expect(order).toEqual(['go-to-market', 'it-pm-kpis', 'pm-kpis']);
  });

  it('marks entries that are no longer in the knowledge', () => {
    const data = emptyData();
    data.answers.a1 = answer(['pricing-strategy', 'retired-entry'], { U0VOTER0001: vote('helpful') });
    const feedback = linesBetween(
      buildCuratorReport(data, knowledge),
      'Feedback per entry (1 answers given):',
    );
    expect(feedback).toContain(
      '  retired-entry — (no longer in the knowledge): shown 1, helpful 1, not helpful 0',
    );
    expect(feedback.find((line) => line.startsWith('  pricing-strategy'))).not.toContain('no longer');
  });

  it('reports an empty data set plainly', () => {
    expect(buildCuratorReport(emptyData(), knowledge)).toBe(
      ['Unanswered questions: 0', '', 'Feedback per entry (0 answers given):', '  (no answers yet)'].join(
        '\n',
      ),
    );
    expect(buildCuratorReport(emptyData(), undefined)).toBe(buildCuratorReport(emptyData(), knowledge));
  });

  it('does not change the data it reports on', () => {
    const data = sampleData();
    const before = JSON.stringify(data);
    buildCuratorReport(data, knowledge);
    expect(JSON.stringify(data)).toBe(before);
  });
});
