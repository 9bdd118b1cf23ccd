import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Block } from '@slack/types';
import nock from 'nock';
import { projectRoot } from '../../src/paths.js';
import { HOME_QUESTIONNAIRE_ACTION, RESULT_OPEN_ACTION } from '../../src/slack-ids.js';
import { type FakeMessage, FakeSlack, isQuestion, textOf } from '../helpers/fake-slack.js';
import { closeNetwork, type RunningApp, startApp, TEAM_ID } from '../helpers/slack.js';

const CURATOR = 'U0CURATOR01';
const KEY = `${TEAM_ID}:U0PERSON001`;

const homeText = (blocks: Block[]) => JSON.stringify(blocks);

describe('the Home tab', () => {
  let slack: RunningApp;
  let chat: FakeSlack;
  let clock = new Date('2026-11-27T10:00:00Z');

  beforeEach(async () => {
    closeNetwork();
    clock = new Date('2026-11-27T10:00:00Z');
    slack = await startApp({ now: () => clock, config: { curators: [CURATOR] } });
    chat = new FakeSlack(slack);
  });
  afterEach(async () => {
    await slack.stop();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  it("a new person's Home: start, compare, how to ask, forget me; no results and no curators' part", async () => {
    const home = homeText(await chat.openHome());
    for (const shown of ['Start the questionnaire', 'Compare the roles', 'Ask me a question', 'Forget me'])
      expect(home).toContain(shown);
    expect(home).not.toContain('Your latest result');
    expect(home).not.toContain('For curators');
    // The comparison at a glance is still there, below the person's part.
    expect(home).toContain(`"dimension-${slack.knowledge.dimensions[0]?.id}"`);

    const replies = await chat.clickHome('Start the questionnaire');
    expect(replies[0]?.channel).toBe(chat.dmChannel);
    expect(replies[0]?.text).toContain("Let's find your path");
    expect(isQuestion(replies[1] as FakeMessage)).toBe(true);
    expect(homeText(chat.home())).toContain(`You're on question 1 of ${slack.knowledge.factors.length}`);
  });

  it('mid-questionnaire: says which question, is published again after each answer, and Resume asks it again', async () => {
    await chat.dm('start');
    await chat.dm('1');
    await chat.dm('1');
    const total = slack.knowledge.factors.length;
    expect(homeText(await chat.openHome())).toContain(`You're on question 3 of ${total}`);
    expect(FakeSlack.buttons({ blocks: chat.home() }).map((button) => button.text.text)).toContain(
      'Resume the questionnaire',
    );

    const before = chat.homePublishes;
    const question = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    await chat.click(question, '1.');
    expect(chat.homePublishes).toBe(before + 1);
    expect(homeText(chat.home())).toContain(`You're on question 4 of ${total}`);

    const resumed = await chat.clickHome('Resume the questionnaire');
    expect(resumed.map((reply) => reply.text).join(' ')).toContain(
      "You're on question 4 of 8 — your 3 answers so far are kept",
    );
    expect(resumed.some(isQuestion)).toBe(true);
    const session = await slack.questionnaires.getSession(KEY);
    expect(session?.step).toBe(3);
    expect(Object.keys(session?.answers ?? {})).toHaveLength(3);
  });

  it('with results: the latest in plain words with its date, past ones listed, each opening in full in the DM', async () => {
    await chat.dm('start');
    await chat.answerAllWith(1);
    clock = new Date('2026-11-28T09:30:00Z');
    await chat.dm('start');
    const latest = await chat.answerAllWith(1);
    expect(textOf(latest)).toContain('answers point to IT PM, strongly');

    // Finishing published the Home tab already; opening it shows the same (block_ids aside: Slack makes those).
    const withoutIds = (blocks: Block[]) => blocks.map(({ block_id: _, ...block }) => block);
    const published = withoutIds(chat.home());
    const home = homeText(await chat.openHome());
    expect(withoutIds(chat.home())).toEqual(published);
    expect(home).toContain('Your latest result* (2026-11-28 09:30 UTC)');
    expect(home).toContain('7 of your 7 answers point to IT PM, strongly');
    expect(home).toContain('Past results');
    expect(home).toContain('2026-11-27 10:00 UTC');
    expect(home).toContain('Retake the questionnaire');
    expect(home).not.toMatch(/(IT PM|General PM) -?\d/);

    const [older, newer] = await slack.questionnaires.results(KEY);
    const opens = FakeSlack.buttons({ blocks: chat.home() }).filter(
      (button) => button.action_id === RESULT_OPEN_ACTION,
    );
    expect(opens.map((button) => button.value)).toEqual([newer?.id, older?.id]);

    const opened = await chat.clickHome('Open in full');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.channel).toBe(chat.dmChannel);
    expect(opened[0]?.text).toContain('Your result of 2026-11-28 09:30 UTC, in full');
    expect(textOf(opened[0] as FakeMessage)).toContain('What pushed it');

    // "my results" in the DM: each result with its own Open button.
    const history = (await chat.dm('my results'))[0] as FakeMessage;
    expect(FakeSlack.buttons(history).map((button) => button.value)).toEqual([newer?.id, older?.id]);
    const buttons = FakeSlack.buttons(history);
    const fromHistory = await chat.clickButton(history, buttons[1] as (typeof buttons)[number]);
    expect(fromHistory[0]?.text).toContain('Your result of 2026-11-27 10:00 UTC, in full');
    expect(textOf(fromHistory[0] as FakeMessage)).toContain('What would change it');
  });

  it('a result no longer stored says so instead of opening', async () => {
    await chat.dm('start');
    await chat.answerAllWith(1);
    const history = (await chat.dm('my results'))[0] as FakeMessage;
    await slack.questionnaires.forget(KEY);
    const replies = await chat.click(history, 'Open');
    expect(replies[0]?.text).toContain('I no longer have that result');
  });

  it('"Compare the roles" posts the overview comparison in the DM', async () => {
    await chat.openHome();
    const replies = await chat.clickHome('Compare the roles');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.channel).toBe(chat.dmChannel);
    expect(textOf(replies[0] as FakeMessage)).toContain(`"dimension-${slack.knowledge.dimensions[0]?.id}"`);
  });

  it('"Forget me" asks first, with the DM\'s confirmation; "Keep it" keeps, "Delete everything" deletes', async () => {
    await chat.dm('start');
    await chat.answerAllWith(1);
    await chat.openHome();
    await chat.clickHome('Forget me');
    const confirm = homeText(chat.home());
    expect(confirm).toContain('cannot be undone');
    await chat.clickHome('Keep it');
    expect(homeText(chat.home())).toContain('nothing was deleted');
    expect(await slack.questionnaires.results(KEY)).toHaveLength(1);

    await chat.clickHome('Forget me');
    await chat.clickHome('Delete everything');
    expect(await slack.questionnaires.results(KEY)).toEqual([]);
    const after = homeText(chat.home());
    expect(after).toContain('deleted everything');
    expect(after).toContain('Start the questionnaire');
    expect(after).not.toContain('Your latest result');
  });

  it("shows the curators' part to curators only: their workspace's unanswered questions", async () => {
    const elsewhere = { teamId: 'T0OTHER0001', channelId: 'C0OTHER0001', userId: 'U0OTHER0001' };
    const here = { teamId: TEAM_ID, channelId: 'C0CHANNEL01', userId: 'U0PERSON001' };
    for (const question of ['What is the wifi password?', 'what is the WiFi password', 'Who is <!channel>?'])
      await slack.qaLog.logUnanswered({ ...here, question, closestIds: [] });
    await slack.qaLog.logUnanswered({
      ...elsewhere,
      question: 'A secret of another workspace?',
      closestIds: [],
    });

    expect(homeText(await chat.openHome())).not.toContain('For curators');
    const curator = chat.person(CURATOR);
    const home = homeText(await curator.openHome());
    expect(home).toContain('For curators');
    expect(home).toContain('Unanswered questions: 3');
    expect(home).toContain('2× What is the wifi password?');
    expect(home).not.toContain('<!channel>');
    expect(home).not.toContain('another workspace');
  });

  it("a person's forget me leaves no question of theirs in a curator's Home, re-published from the kept summary", async () => {
    const curator = chat.person(CURATOR);
    const here = { teamId: TEAM_ID, channelId: 'C0CHANNEL01', userId: chat.userId };
    await slack.qaLog.logUnanswered({
      ...here,
      question: 'which PM certification should I buy first?',
      closestIds: [],
    });
    expect(homeText(await curator.openHome())).toContain('which PM certification should I buy first?');
    await chat.openHome();
    await chat.clickHome('Forget me');
    await chat.clickHome('Delete everything');
    // The curator's next re-publish (after a change of theirs) reuses the summary kept for 30 s: it was dropped.
    await curator.dm('start');
    expect(homeText(curator.home())).toContain('For curators');
    expect(homeText(curator.home())).not.toContain('which PM certification should I buy first?');
  });

  it("reads the curators' part afresh each time a curator opens the tab", async () => {
    const here = { teamId: TEAM_ID, channelId: 'C0CHANNEL01', userId: 'U0PERSON001' };
    const curator = chat.person(CURATOR);
    await slack.qaLog.logUnanswered({ ...here, question: 'Is a PMP worth it?', closestIds: [] });
    expect(homeText(await curator.openHome())).toContain('Unanswered questions: 1');
    await slack.qaLog.logUnanswered({ ...here, question: 'Should I learn SQL first?', closestIds: [] });
    expect(homeText(await curator.openHome())).toContain('Unanswered questions: 2');
  });

  it('a 👎 with "didn\'t answer my question" is recorded, and shown in the report and the curators\' Home tab', async () => {
    const answer = (await chat.dm('do IT PMs need to code?'))[0] as FakeMessage;
    const confirmation = (await chat.click(answer, '👎 Not helpful'))[0] as FakeMessage;
    expect(confirmation.visibleTo).toBe(chat.userId);
    await chat.click(confirmation, "Didn't answer my question");
    expect(chat.last().text).toContain('Thanks, that helps us fix it');
    const [stored] = Object.values(slack.qaLog.data.answers);
    expect(stored?.votes[chat.userId]).toMatchObject({ vote: 'not_helpful', reason: 'not-answered' });
    const entryId = stored?.entryIds[0] ?? '';
    const title = slack.knowledge.entriesById.get(entryId)?.title ?? '';

    const home = homeText(await chat.person(CURATOR).openHome());
    expect(home).toContain(title);
    expect(home).toContain("1 not helpful, 0 helpful, shown 1× — didn't answer my question 1");

    // `npm run report`, as curators run it, on the same data file.
    await slack.qaLog.flush();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(projectRoot, 'dist', 'src', 'report-cli.js')],
      {
        env: {
          ...process.env,
          DATA_FILE: slack.dataFile,
          KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge'),
        },
      },
    );
    expect(stdout).toContain(
      `${entryId} — ${title}: shown 1, helpful 0, not helpful 1 (didn't answer my question 1)`,
    );
  });

  it('a Home tab Slack refuses to publish is logged, and the questionnaire goes on', async () => {
    await chat.dm('start');
    const question = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    chat.api.failNext('views.publish', 'internal_error');
    const replies = await chat.click(question, '1.');
    expect(replies.some(isQuestion)).toBe(true);
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    const warnings = slack.logger.lines.filter((line) => String(line.args[0]).includes('Home tab'));
    expect(warnings).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect(JSON.stringify(warnings[0]?.args[1])).toContain('internal_error');
  });

  it('the Home buttons carry their action ids from slack-ids.ts', async () => {
    const ids = FakeSlack.buttons({ blocks: await chat.openHome() }).map((button) => button.action_id);
    expect(ids).toContain(HOME_QUESTIONNAIRE_ACTION);
  });
});
