import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { QUESTION_OUT_OF_SIGHT } from '../../src/advisor/questionnaire.js';
import {
  QUESTIONNAIRE_SHARE_ACTION,
  QUESTIONNAIRE_SHARE_BLOCK,
  QUESTIONNAIRE_START_ACTION,
} from '../../src/slack-ids.js';
import { SLACK_TEXT_LIMIT } from '../../src/slack-text.js';
import { QuestionnaireFiles } from '../../src/store/questionnaire-store.js';
import { type FakeMessage, FakeSlack, isQuestion, textOf } from '../helpers/fake-slack.js';
import { storedSession } from '../helpers/questionnaire-fixtures.js';
import { closeNetwork, type RunningApp, startApp, TEAM_ID, TEST_WORKSPACE } from '../helpers/slack.js';

const KEY = `${TEAM_ID}:U0PERSON001`;

/** Every file the app keeps (names and contents): the data file's folder, walked. */
async function allDataFiles(dataFile: string): Promise<string> {
  const folder = path.dirname(dataFile);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  const texts = await Promise.all(files.map(async (file) => `${file}\n${await readFile(file, 'utf8')}`));
  return texts.join('\n');
}

describe('questionnaire in DMs', () => {
  let slack: RunningApp;
  let chat: FakeSlack;
  let clock = new Date('2026-11-27T10:00:00Z');

  beforeEach(async () => {
    closeNetwork();
    clock = new Date('2026-11-27T10:00:00Z');
    slack = await startApp({ now: () => clock });
    chat = new FakeSlack(slack);
  });
  afterEach(async () => {
    await slack.stop();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  /** The newest question message (only one copy of the waiting question is kept). */
  function latestQuestion(): FakeMessage {
    const question = [...chat.messages].reverse().find(isQuestion);
    if (!question) throw new Error('no question shown');
    return question;
  }

  it('"help me choose" starts it, each answer is shown in place, and IT-leaning answers lean IT PM', async () => {
    const replies = await chat.dm('help me choose');
    expect(replies[0]?.text).toContain("Let's find your path");
    expect(isQuestion(replies[1] as FakeMessage)).toBe(true);
    const result = await chat.answerAllWith(1);
    expect(result.text).toContain('leaning IT Product Management');
    const text = textOf(result);
    expect(text).toContain('What pushed it');
    expect(text).toContain('What would change it');
    expect(text).toContain('Skills to build for IT PM');
    expect(text).toContain('What both paths share');
    expect(text).toMatch(/Sources?:/);
    expect(text).toContain(QUESTIONNAIRE_SHARE_ACTION);

    const questions = chat.messages.filter((message) => message.blocks.length > 0 && message.updates > 0);
    expect(questions).toHaveLength(slack.knowledge.factors.length);
    for (const question of questions) {
      expect(textOf(question)).toContain('You answered');
      expect(FakeSlack.buttons(question)).toEqual([]);
    }
    expect(await slack.questionnaires.results(KEY)).toHaveLength(1);
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
  });

  it('typed numbers and words work too, and business-leaning answers lean Product Management', async () => {
    await chat.dm('start');
    for (const reply of [
      '3',
      'consumer goods',
      'marketing and sales',
      '2',
      'I would rather focus on markets',
      'a broad business path',
      '2',
      'finance',
    ]) {
      await chat.dm(reply);
    }
    expect(chat.last().text).toContain('leaning Product Management');
    expect(textOf(chat.last())).not.toContain('leaning IT');
  });

  it('re-asks politely on a reply that matches nothing, without advancing, and escapes the echo', async () => {
    await chat.dm('quiz');
    const replies = await chat.dm('<!channel> bananas & pyjamas');
    expect(replies).toHaveLength(1);
    const text = textOf(replies[0] as FakeMessage);
    expect(text).toContain("couldn't match");
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&amp; pyjamas');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
  });

  it('a question asked mid-questionnaire is answered with one pointer to the waiting question, not the question again', async () => {
    await chat.dm('start');
    await chat.dm('1');
    const waiting = latestQuestion();
    const replies = await chat.dm('do IT PMs need to code?');
    expect(replies).toHaveLength(2);
    expect(textOf(replies[0] as FakeMessage)).toMatch(/Sources?:/);
    expect(replies[1]?.text).toBe(
      'Your question 2 is still waiting above — tap an option or type its number.',
    );
    expect(replies.some(isQuestion)).toBe(false);
    // The question above is untouched, its buttons live: answering it there works.
    expect(waiting.updates).toBe(0);
    await chat.click(waiting, '1.');
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toEqual([
      'tech-inclination',
      'industries',
    ]);
  });

  it('an answer that contains a start phrase does not restart the questionnaire', async () => {
    await chat.dm('start');
    const id = (await slack.questionnaires.getSession(KEY))?.id;
    await chat.dm('1');
    await chat.dm('software feels right for me');
    expect((await slack.questionnaires.getSession(KEY))?.id).toBe(id);
    expect((await slack.questionnaires.getSession(KEY))?.answers.industries).toBe('industries-software-it');
  });

  it("a million-character DM is read up to Slack's limit only: a start phrase past it is never seen", async () => {
    const filler = 'roadmaps '.repeat(Math.ceil(SLACK_TEXT_LIMIT / 9));
    const past = await chat.dm(`${filler}help me choose ${'x'.repeat(1_000_000 - filler.length)}`);
    expect(past[0]?.text).not.toContain("Let's find your path");
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
    // The same phrase within the limit starts the questionnaire: the long message itself is no obstacle.
    const within = await chat.dm(`help me choose ${filler}${'x'.repeat(1_000_000 - filler.length)}`);
    expect(within[0]?.text).toContain("Let's find your path");
  });

  it('a control word with no questionnaire running says so instead of becoming an unanswered question', async () => {
    const before = slack.qaLog.data.unanswered.length;
    for (const word of ['back', 'cancel', 'status']) {
      const replies = await chat.dm(word);
      expect(replies[0]?.text).toContain('no questionnaire in progress');
    }
    expect(slack.qaLog.data.unanswered.length).toBe(before);
  });

  it('"restart" with no questionnaire running starts one, typed as clicked', async () => {
    const replies = await chat.dm('restart');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
    expect(replies.some(isQuestion)).toBe(true);
  });

  it('"restart" right after starting gets a reply: the first question again, the earlier copy gone', async () => {
    await chat.dm('start');
    const id = (await slack.questionnaires.getSession(KEY))?.id;
    const first = latestQuestion();
    const replies = await chat.dm('restart');
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0] as FakeMessage)).toContain('start already');
    expect(isQuestion(replies[0] as FakeMessage)).toBe(true);
    expect(chat.has(first)).toBe(false);
    expect(await slack.questionnaires.getSession(KEY)).toMatchObject({ id, step: 0 });
  });

  it('a reply that matches no option gets one short pointer: the question is not posted again', async () => {
    await chat.dm('start');
    const first = latestQuestion();
    const shown = structuredClone(first);
    const replies = await chat.dm('bananas');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toBe(
      "Sorry, I couldn't match “bananas” to one of the answers. Your question 1 is still waiting above — tap an option or type its number.",
    );
    expect(replies.some(isQuestion)).toBe(false);
    expect(textOf(replies[0] as FakeMessage)).not.toContain('Asked again below');
    // The question above stays as it was, buttons and all.
    expect(chat.has(first)).toBe(true);
    expect(first).toEqual(shown);
  });

  it('the waiting question is posted again in full only once it has scrolled far up, by messages or by time', async () => {
    await chat.dm('start');
    const first = latestQuestion();
    // Each reply that matches nothing puts two messages below the question: the reply and the pointer.
    const pointers = Math.floor(QUESTION_OUT_OF_SIGHT.messages / 2);
    for (let index = 0; index < pointers; index++) {
      const replies = await chat.dm('bananas');
      expect(replies.map((reply) => isQuestion(reply))).toEqual([false]);
    }
    expect(chat.has(first)).toBe(true);
    const far = await chat.dm('bananas');
    expect(far).toHaveLength(1);
    expect(isQuestion(far[0] as FakeMessage)).toBe(true);
    expect(far[0]?.text).toContain('Here is question 1 again');
    // One copy of the question is kept, the newest: no stub of the earlier one.
    expect(chat.has(first)).toBe(false);
    expect(chat.messages.filter(isQuestion)).toHaveLength(1);
    // Counted afresh from there: the next side question gets a pointer again.
    expect((await chat.dm('do IT PMs need to code?')).some(isQuestion)).toBe(false);
    // Long after it was posted, even a first side question brings the question back down.
    clock = new Date(clock.getTime() + QUESTION_OUT_OF_SIGHT.ms + 60_000);
    const later = await chat.dm('do IT PMs need to code?');
    expect(later).toHaveLength(2);
    expect(isQuestion(later[1] as FakeMessage)).toBe(true);
    expect(chat.messages.filter(isQuestion)).toHaveLength(1);
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
  });

  it('"help me choose", "start", Find my path and /pm-compare quiz resume one in progress: answers kept, no restart', async () => {
    await chat.dm('help me choose');
    await chat.dm('1');
    await chat.dm('1');
    const before = await slack.questionnaires.getSession(KEY);
    const questions = slack.knowledge.factors.length;
    for (const text of ['help me choose', 'start']) {
      const replies = await chat.dm(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toContain(`You're on question 3 of ${questions}`);
      expect(replies[0]?.text).not.toContain("Let's find your path");
      expect(isQuestion(replies[0] as FakeMessage)).toBe(true);
      expect(FakeSlack.buttons(replies[0] as FakeMessage).map((button) => button.text.text)).toContain(
        'Start over',
      );
    }
    const comparison: FakeMessage = {
      channel: TEST_WORKSPACE.channelId,
      ts: '1700000000.000200',
      user: TEST_WORKSPACE.botUserId,
      text: 'comparison',
      blocks: [],
      visibleTo: chat.userId,
      updates: 0,
    };
    await slack.action(
      chat.clickPayload(comparison, { action_id: QUESTIONNAIRE_START_ACTION, value: 'start' }),
    );
    await slack.idle();
    expect(chat.last().text).toContain('waiting in our direct messages');
    await slack.command('quiz');
    await slack.idle();
    expect(latestQuestion().text).toContain(`You're on question 3 of ${questions}`);
    // Only the newest copy of the question stays, and the questionnaire is the same one, answers and all.
    expect(chat.messages.filter(isQuestion)).toHaveLength(1);
    expect(chat.messages.filter((message) => message.text.startsWith("Let's find your path"))).toHaveLength(
      1,
    );
    expect(await slack.questionnaires.getSession(KEY)).toMatchObject({
      id: before?.id,
      step: 2,
      answers: before?.answers,
    });
    // "Start over" asks before dropping anything.
    const confirm = (await chat.click(latestQuestion(), 'Start over'))[0] as FakeMessage;
    expect(FakeSlack.buttons(confirm).map((button) => button.text.text)).toEqual([
      'Yes, drop my 2 answers',
      'Keep going',
    ]);
    expect((await slack.questionnaires.getSession(KEY))?.answers).toEqual(before?.answers);
  });

  it('cancel asks first: "Keep going" keeps every answer, "Yes, drop" drops them', async () => {
    await chat.dm('start');
    await chat.dm('1');
    await chat.dm('1');
    const before = await slack.questionnaires.getSession(KEY);
    const replies = await chat.dm('cancel');
    expect(replies).toHaveLength(1);
    const confirm = replies[0] as FakeMessage;
    expect(confirm.text).toContain('Stop the questionnaire?');
    expect(FakeSlack.buttons(confirm).map((button) => button.text.text)).toEqual([
      'Yes, drop my 2 answers',
      'Keep going',
    ]);
    // Nothing changed but the drop waiting for its answer (a typed yes or no answers it too).
    expect(await slack.questionnaires.getSession(KEY)).toEqual({
      ...before,
      pendingDrop: { control: 'cancel', revision: before?.revision ?? 0 },
    });

    // Keep going: the confirmation says so in place and points at the question; nothing posted, nothing dropped.
    expect(await chat.click(confirm, 'Keep going')).toEqual([]);
    expect(confirm.text).toBe(
      'OK, I kept your 2 answers. Your question 3 is still waiting above — tap an option or type its number.',
    );
    expect(FakeSlack.buttons(confirm)).toEqual([]);
    expect((await slack.questionnaires.getSession(KEY))?.answers).toEqual(before?.answers);

    // Asked again and confirmed (the Cancel button asks the same): dropped, said in place of the confirmation.
    const again = (await chat.click(latestQuestion(), 'Cancel'))[0] as FakeMessage;
    expect(again.text).toContain('Stop the questionnaire?');
    expect(await chat.click(again, 'Yes, drop my 2 answers')).toEqual([]);
    expect(again.text).toContain('Stopped: I dropped your 2 answers');
    expect(FakeSlack.buttons(again)).toEqual([]);
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
    expect(await slack.questionnaires.results(KEY)).toEqual([]);
  });

  it('a typed "no" or "yes" answers the confirmation like its buttons; after another answer "yes" drops nothing', async () => {
    await chat.dm('start');
    await chat.dm('1');
    const first = await slack.questionnaires.getSession(KEY);
    expect((await chat.dm('restart'))[0]?.text).toContain('Start over from question 1?');
    const kept = await chat.dm('nope, keep going');
    expect(kept.map((message) => message.text)).toEqual([
      'OK, I kept your 1 answer. Your question 2 is still waiting above — tap an option or type its number.',
    ]);
    expect((await slack.questionnaires.getSession(KEY))?.answers).toEqual(first?.answers);
    expect((await slack.questionnaires.getSession(KEY))?.pendingDrop).toBeUndefined();

    // Asked again, then answered with a typed yes: a new questionnaire from question 1.
    await chat.dm('restart');
    const dropped = await chat.dm('yes, drop them');
    expect(dropped[0]?.text).toContain('Starting over: I dropped your 1 answer');
    const started = await slack.questionnaires.getSession(KEY);
    expect(started?.id).not.toBe(first?.id);
    expect(started).toMatchObject({ step: 0, answers: {} });

    // A "yes" after the person answered on: the confirmation is stale, nothing is dropped.
    await chat.dm('1');
    await chat.dm('cancel');
    await chat.dm('1');
    const late = await chat.dm('yes');
    expect(late.map((message) => message.text).join(' ')).not.toContain('dropped');
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toHaveLength(2);
  });

  it('a typed yes answers the confirmation only as the very next message, and never when it also answers the question', async () => {
    await chat.dm('start');
    await chat.dm('1');
    await chat.dm('1');
    await chat.dm('restart');
    // A side question in between: the "yes" after it is no answer to the confirmation above.
    await chat.dm('do I need to code to be an IT PM?');
    await chat.dm('yes');
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toHaveLength(2);
    expect((await slack.questionnaires.getSession(KEY))?.pendingDrop).toBeUndefined();

    // Straight after the confirmation, a word that is also one of the question's answers drops nothing: "ok"
    // is a yes, and on one question also "fine with it".
    const withOk = slack.knowledge.factors.findIndex((factor) =>
      factor.options.some((option) => option.aliases?.includes('ok')),
    );
    expect(withOk).toBeGreaterThan(1);
    for (let step = 2; step < withOk; step++) await chat.dm('1');
    await chat.dm('restart');
    const reply = await chat.dm('ok');
    expect(reply.map((message) => message.text)).toEqual([
      expect.stringContaining('I dropped nothing: that could answer the question'),
    ]);
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toHaveLength(withOk);
  });

  it('"my results" or "help" mid-questionnaire answers, then points back at the waiting question', async () => {
    await chat.dm('start');
    await chat.dm('1');
    const results = await chat.dm('my results');
    expect(results).toHaveLength(2);
    expect(results[1]?.text).toBe(
      'Your question 2 is still waiting above — tap an option or type its number.',
    );
    const help = await chat.dm('help');
    expect(help.at(-1)?.text).toBe(
      'Your question 2 is still waiting above — tap an option or type its number.',
    );
    expect((await slack.questionnaires.getSession(KEY))?.messagesBelow).toBe(4);
  });

  it('a stale confirmation drops nothing: after more answers, clicked twice at once, or once its questionnaire ended', async () => {
    await chat.dm('start');
    await chat.dm('1');
    const asked = structuredClone((await chat.dm('cancel'))[0] as FakeMessage);
    await chat.dm('1');
    const movedOn = await chat.click(asked, 'Yes, drop');
    expect(movedOn).toHaveLength(1);
    expect(movedOn[0]?.visibleTo).toBe(chat.userId);
    expect(movedOn[0]?.text).toContain('Your answers changed since I asked, so I dropped nothing');
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toHaveLength(2);

    // A double click on "Yes, drop" for a restart, delivered twice at once: one new questionnaire, one note.
    const first = await slack.questionnaires.getSession(KEY);
    const restart = (await chat.dm('restart'))[0] as FakeMessage;
    const drop = FakeSlack.buttons(restart)[0];
    if (!drop) throw new Error('no button');
    expect(drop.text.text).toBe('Yes, drop my 2 answers');
    const payload = chat.clickPayload(restart, drop);
    const before = chat.messages.length;
    await Promise.all([slack.action(payload), slack.action(payload)]);
    await slack.idle();
    const started = await slack.questionnaires.getSession(KEY);
    expect(started?.id).not.toBe(first?.id);
    expect(started).toMatchObject({ step: 0, answers: {} });
    const posted = chat.messages.slice(before);
    expect(posted.filter(isQuestion)).toHaveLength(1);
    expect(posted.filter((message) => message.visibleTo === chat.userId).map((m) => m.text)).toEqual([
      'That questionnaire has already ended, so nothing changed.',
    ]);

    // The first confirmation, clicked again now that its questionnaire is gone: the new one is untouched.
    const ended = await chat.click(asked, 'Yes, drop');
    expect(ended.map((reply) => reply.text)).toEqual([
      'That questionnaire has already ended, so nothing changed.',
    ]);
    expect(await slack.questionnaires.getSession(KEY)).toEqual(started);
    const keep = await chat.click(asked, 'Keep going');
    expect(keep.map((reply) => reply.text)).toEqual([
      'That questionnaire has already ended, so nothing changed.',
    ]);
  });

  it('"status" after a restart of the app shows the current question with its buttons, from the store', async () => {
    await chat.dm('start');
    await chat.dm('1');
    slack = await slack.restart();
    chat.use(slack);
    const replies = await chat.dm('status');
    expect(replies).toHaveLength(1);
    const status = replies[0] as FakeMessage;
    expect(status.text).toContain(`You're on question 2 of ${slack.knowledge.factors.length} (1 answered)`);
    expect(isQuestion(status)).toBe(true);
    await chat.click(status, '1.');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(2);
  });

  it('a questionnaire saved by the previous version (none of the new fields) loads, resumes and confirms drops', async () => {
    await slack.stop();
    const { askedAt, messagesBelow, revision, ...old } = storedSession({
      teamId: TEAM_ID,
      userId: 'U0PERSON001',
      channelId: chat.dmChannel,
      factorIds: slack.knowledge.factors.map((factor) => factor.id),
      startedAt: clock.toISOString(),
      updatedAt: clock.toISOString(),
    });
    expect([askedAt, messagesBelow, revision]).toEqual([undefined, undefined, undefined]);
    const file = QuestionnaireFiles.personFileFor(slack.dataFile, 'sessions', KEY);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(old));
    slack = await startApp({ config: { dataFile: slack.dataFile }, now: () => clock });
    chat.use(slack);
    const status = (await chat.dm('status'))[0] as FakeMessage;
    expect(status.text).toContain("You're on question 2 of");
    expect(isQuestion(status)).toBe(true);
    expect((await chat.dm('bananas'))[0]?.text).toContain('Your question 2 is still waiting above');
    const confirm = (await chat.dm('cancel'))[0] as FakeMessage;
    await chat.click(confirm, 'Yes, drop my 1 answer');
    expect(confirm.text).toContain('Stopped: I dropped your 1 answer.');
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
  });

  it('"Find my path" in a channel opens the DM with the bot, once even when the click arrives twice', async () => {
    const comparison: FakeMessage = {
      channel: TEST_WORKSPACE.channelId,
      ts: '1700000000.000100',
      user: TEST_WORKSPACE.botUserId,
      text: 'comparison',
      blocks: [],
      visibleTo: chat.userId,
      updates: 0,
    };
    const payload = chat.clickPayload(comparison, { action_id: QUESTIONNAIRE_START_ACTION, value: 'start' });
    await Promise.all([slack.action(payload), slack.action(payload)]);
    await slack.idle();
    expect(chat.calls.filter((call) => call.method === 'conversations.open').length).toBeGreaterThanOrEqual(
      1,
    );
    const intros = chat.messages.filter((message) => message.text.startsWith("Let's find your path"));
    expect(intros).toHaveLength(1);
    expect(intros[0]?.channel).toBe(chat.dmChannel);
    expect((await slack.questionnaires.getSession(KEY))?.channelId).toBe(chat.dmChannel);
  });

  it('back, restart, status and cancel work typed and as buttons', async () => {
    await chat.dm('start');
    await chat.dm('1');
    await chat.dm('1');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(2);
    await chat.dm('back');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    const status = (await chat.dm('status'))[0] as FakeMessage;
    expect(textOf(status)).toContain('question 2 of');
    expect(isQuestion(status)).toBe(true);
    await chat.click(status, '← Back');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
    await chat.dm('1');
    const id = (await slack.questionnaires.getSession(KEY))?.id;
    const restart = (await chat.dm('restart'))[0] as FakeMessage;
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    await chat.click(restart, 'Yes, drop my 1 answer');
    expect(await slack.questionnaires.getSession(KEY)).toMatchObject({ step: 0, answers: {} });
    expect((await slack.questionnaires.getSession(KEY))?.id).not.toBe(id);
    await chat.dm('1');
    const cancel = (await chat.click(latestQuestion(), 'Cancel'))[0] as FakeMessage;
    await chat.click(cancel, 'Yes, drop my 1 answer');
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
    expect(cancel.text).toContain('Stopped');
    // With nothing answered yet there is nothing to drop, so nothing to confirm.
    await chat.dm('start');
    expect((await chat.click(latestQuestion(), 'Cancel'))[0]?.text).toContain(
      'Stopped: nothing was answered',
    );
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
  });

  it('an old or already answered button does no harm: a private note, state unchanged', async () => {
    await chat.dm('start');
    const first = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    const original = { ...first, blocks: [...first.blocks] };
    await chat.click(first, '1.');
    const stepAfterFirst = (await slack.questionnaires.getSession(KEY))?.step;
    const replies = await chat.click(original, '2.');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.visibleTo).toBe(chat.userId);
    expect(replies[0]?.text).toContain('no longer open');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(stepAfterFirst);
    expect((await slack.questionnaires.getSession(KEY))?.answers['tech-inclination']).toBe(
      'tech-inclination-high',
    );
  });

  it('a double click delivered twice at once changes the state exactly once', async () => {
    await chat.dm('start');
    const question = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    const button = FakeSlack.buttons(question)[0];
    if (!button) throw new Error('no button');
    const payload = chat.clickPayload(question, button);
    const before = chat.messages.length;
    await Promise.all([slack.action(payload), slack.action(payload)]);
    await slack.idle();
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    const posted = chat.messages.slice(before);
    expect(posted.filter(isQuestion)).toHaveLength(1);
    expect(posted.filter((message) => message.visibleTo === chat.userId)).toHaveLength(1);
  });

  it('a restart of the app between two answers resumes from the same file', async () => {
    await chat.dm('start');
    await chat.dm('1');
    const question = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    slack = await slack.restart();
    chat.use(slack);
    await chat.click(question, '1.');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(2);
    expect(Object.keys((await slack.questionnaires.getSession(KEY))?.answers ?? {})).toHaveLength(2);
  });

  it('an abandoned questionnaire expires: its buttons get a note, typed text goes to Q&A, and it is pruned', async () => {
    await chat.dm('start');
    const question = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
    const replies = await chat.click(question, '1.');
    expect(replies[0]?.text).toContain('no longer open');
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
    const answer = await chat.dm('do IT product managers need to code?');
    expect(textOf(answer[0] as FakeMessage)).toMatch(/Sources?:/);

    // One nobody touches again is pruned from the file when the app starts (and every few minutes).
    await chat.dm('start');
    expect(await slack.questionnaires.getSession(KEY)).toBeDefined();
    // A day passes on the app's clock, and for the file too (pruning reads only files not written since).
    const lastWritten = clock;
    clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
    await utimes(QuestionnaireFiles.personFileFor(slack.dataFile, 'sessions', KEY), lastWritten, lastWritten);
    slack = await slack.restart();
    chat.use(slack);
    // In the background: the start does not wait for it.
    const deadline = Date.now() + 5_000;
    while ((await slack.questionnaires.countPeople()) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await slack.questionnaires.countPeople()).toBe(0);
  });

  it('"my results" lists past results with dates', async () => {
    expect(textOf((await chat.dm('my results'))[0] as FakeMessage)).toContain('no saved results');
    await chat.dm('start');
    await chat.answerAllWith(1);
    const history = textOf((await chat.dm('history'))[0] as FakeMessage);
    expect(history).toContain('2026-11-27 10:00 UTC');
    expect(history).toContain('IT Product Management');
  });

  it('shares a result to a channel only when asked, and explains when the bot is not in it', async () => {
    await chat.dm('start');
    const result = await chat.answerAllWith(1);
    expect(result.blocks.some((block) => block.block_id?.startsWith(QUESTIONNAIRE_SHARE_BLOCK.prefix))).toBe(
      true,
    );
    expect(chat.messages.some((message) => message.channel === 'C0TEAM00001')).toBe(false);
    await chat.pick(result, QUESTIONNAIRE_SHARE_ACTION, 'C0TEAM00001');
    const shared = chat.messages.find((message) => message.channel === 'C0TEAM00001');
    expect(shared?.text).toContain('<@U0PERSON001>');
    expect(chat.last().text).toContain('Shared in <#C0TEAM00001>');

    await chat.pick(result, QUESTIONNAIRE_SHARE_ACTION, 'C0TEAM00001');
    expect(chat.last().text).toContain('Already shared in <#C0TEAM00001>');
    expect(chat.messages.filter((message) => message.channel === 'C0TEAM00001')).toHaveLength(1);

    chat.api.failNext('chat.postMessage', 'not_in_channel');
    await chat.pick(result, QUESTIONNAIRE_SHARE_ACTION, 'C0PRIVATE01');
    expect(chat.last().text).toContain('invite me');
    // Once the bot is invited, picking the channel again shares it (the failed try is not a share).
    await chat.pick(result, QUESTIONNAIRE_SHARE_ACTION, 'C0PRIVATE01');
    expect(chat.last().text).toContain('Shared in <#C0PRIVATE01>');
  });

  it('a question whose post failed is shown on the next click or typed answer, never skipped', async () => {
    await chat.dm('start');
    const first = [...chat.messages].reverse().find(isQuestion) as FakeMessage;
    // The question as it was shown, buttons and all, before it was marked answered.
    const asShown = structuredClone(first);
    chat.api.failNext('chat.postMessage', 'internal_error');
    await chat.click(first, '1.');
    // The answer was taken, but question 2 never reached Slack: the person still sees question 1.
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    expect(chat.messages.filter((message) => isQuestion(message) && message.updates === 0)).toHaveLength(0);
    clock = new Date(clock.getTime() + 60_000);
    const typed = await chat.dm('2');
    expect(typed.map((reply) => reply.text).join(' ')).toContain("I couldn't show you this question before");
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(1);
    chat.api.failNext('chat.postMessage', 'internal_error');
    clock = new Date(clock.getTime() + 60_000);
    await chat.dm('2');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(2);
    clock = new Date(clock.getTime() + 60_000);
    const reasked = await chat.click(asShown, '2.');
    expect(reasked.map((reply) => reply.text).join(' ')).toContain(
      "I couldn't show you this question before",
    );
  });

  it('when the disk refuses a write the person is told, /healthz says why, and it recovers by itself', async () => {
    const folder = QuestionnaireFiles.folderFor(slack.dataFile);
    // A file where the per-person folder should be: every write to it fails, as on a full or read-only disk.
    await writeFile(folder, 'not a folder');
    const replies = await chat.dm('start');
    expect(replies.map((reply) => reply.text).join(' ')).toContain("I couldn't save that");
    const degraded = await fetch(`${slack.baseUrl}/healthz`);
    expect(degraded.status).toBe(503);
    expect(((await degraded.json()) as { problem?: string }).problem).toContain('sessions');
    await rm(folder);
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${slack.baseUrl}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the store did not recover');
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The refused start was not kept (the person was told); starting again works.
    expect(await slack.questionnaires.getSession(KEY)).toBeUndefined();
    await chat.dm('start');
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
  }, 15_000);

  it('a button whose work fails tells the clicker privately, with no error text', async () => {
    await chat.dm('start');
    const result = await chat.answerAllWith(1);
    chat.api.failNext('chat.postMessage', 'internal_error');
    await chat.pick(result, QUESTIONNAIRE_SHARE_ACTION, 'C0TEAM00001');
    expect(chat.last().text).toContain('Sorry, something went wrong on my side');
    expect(chat.last().visibleTo).toBe(chat.userId);
  });

  it('"forget me" deletes everything about the person after confirmation, and says so', async () => {
    await chat.dm('start');
    await chat.answerAllWith(1);
    await chat.dm('start');
    await chat.dm('1');
    await chat.dm('what is voice of the customer?');
    const confirm = (await chat.dm('forget me'))[0] as FakeMessage;
    expect(confirm.text).toContain('cannot be undone');
    expect(await slack.questionnaires.results(KEY)).toHaveLength(1);
    await chat.click(confirm, 'Delete everything');
    expect(chat.last().text).toContain('deleted everything');
    await Promise.all([slack.qaLog.flush(), slack.handledEvents.flush()]);
    await slack.questionnaires.flush();
    expect(await allDataFiles(slack.dataFile)).not.toContain('U0PERSON001');
  });

  it('/pm-compare quiz opens a DM and asks the first question there', async () => {
    const response = await slack.command('quiz');
    expect(response.json<{ text: string }>().text).toContain('direct message');
    await slack.idle();
    expect(chat.calls.some((call) => call.method === 'conversations.open')).toBe(true);
    expect(chat.messages.filter((message) => message.channel === chat.dmChannel).some(isQuestion)).toBe(true);
  });

  it('keeps a corrupted data file aside, untouched, and starts afresh', async () => {
    await chat.dm('start');
    await slack.stop();
    await writeFile(slack.dataFile, '{"version": 1, "processedEvents": {', 'utf8');
    slack = await startApp({ config: { dataFile: slack.dataFile }, now: () => clock });
    chat.use(slack);
    expect(slack.qaLog.recoveredFrom).toBeDefined();
    expect(await readFile(slack.qaLog.recoveredFrom as string, 'utf8')).toBe(
      '{"version": 1, "processedEvents": {',
    );
    expect(
      slack.logger.lines.some(
        (line) => line.level === 'error' && String(line.args[0]).includes('kept untouched'),
      ),
    ).toBe(true);
    // The questionnaire lives in its shard, which was not damaged: it continues.
    expect((await slack.questionnaires.getSession(KEY))?.step).toBe(0);
  });

  it('200 questionnaires advancing concurrently against one file all keep every answer', async () => {
    // Waiting for 200 people at once takes longer than the default idle bound of the test app.
    await slack.stop();
    slack = await startApp({
      config: { dataFile: slack.dataFile, shutdownTimeoutMs: 60_000 },
      now: () => clock,
    });
    const people = Array.from({ length: 200 }, (_, index) => `U0CONC${String(index).padStart(4, '0')}`);
    chat.use(slack);
    const chats = people.map((userId) => chat.person(userId));
    await Promise.all(chats.map((person) => person.dm('start')));
    for (let round = 0; round < 3; round++) await Promise.all(chats.map((person) => person.dm('1')));
    await slack.stop();
    const reopened = await QuestionnaireFiles.open(slack.dataFile, slack.logger);
    for (const userId of people) {
      expect(Object.keys((await reopened.getSession(`${TEAM_ID}:${userId}`))?.answers ?? {})).toHaveLength(3);
    }
    slack = await startApp({ config: { dataFile: slack.dataFile }, now: () => clock });
    // 800 signed requests and 1,600 Slack calls: a bound for a shared, busy machine, not a timing.
  }, 90_000);
});
