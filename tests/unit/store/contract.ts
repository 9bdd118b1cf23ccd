import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type Person, personKey } from '../../../src/advisor/person.js';
import type { QuestionnaireSession } from '../../../src/advisor/questionnaire.js';
import type { SavedResult } from '../../../src/advisor/scoring.js';
import { HANDLED_EVENT_LIMITS, type HandledEvents } from '../../../src/store/handled-events.js';
import type { InstallationStore, StoredInstallation } from '../../../src/store/installation-store.js';
import { type NewAnswer, QA_LOG_LIMITS, type QaLog, type StoredData } from '../../../src/store/qa-log.js';
import {
  QUESTIONNAIRE_STORE_LIMITS,
  type QuestionnaireStore,
} from '../../../src/store/questionnaire-store.js';
import { manualClock, T0 } from '../../helpers/clock.js';
import { storedResult, storedSession } from '../../helpers/questionnaire-fixtures.js';

/** One backend's stores as the contract sees them, plus what it reads back to check them. */
export interface ContractStores {
  qaLog: QaLog;
  handledEvents: HandledEvents;
  questionnaires: QuestionnaireStore;
  installations: InstallationStore;
  /** The Q&A log as stored (after what is pending is written). */
  qaData(): Promise<StoredData>;
  /** Handled event id → when claimed (ms). */
  claimedEvents(): Promise<Record<string, number>>;
}

export interface ContractBackend {
  /** Empty stores, reading the given clock. */
  open(now: () => Date): Promise<ContractStores>;
  /** The same data opened again, as after a restart (the earlier stores are flushed and closed first). */
  reopen(now: () => Date): Promise<ContractStores>;
  close(): Promise<void>;
}

const ALICE: Person = { teamId: 'T0TEAM0001', userId: 'U0ALICE0001' };
const BOB: Person = { teamId: 'T0TEAM0001', userId: 'U0BOB000001' };
const ALICE_ELSEWHERE: Person = { teamId: 'T0TEAM0002', userId: 'U0ALICE0001' };
const iso = (offsetMs = 0) => new Date(T0 + offsetMs).toISOString();

function answerBy(person: Person, question = 'What does an IT product manager do?'): NewAnswer {
  return { ...person, channelId: 'C0CHAN00001', question, entryIds: ['it-pm-role'] };
}

function unansweredBy(person: Person, question: string, closestIds: string[] = []) {
  return { ...person, channelId: 'C0CHAN00001', question, closestIds };
}

function session(person: Person, overrides: Partial<QuestionnaireSession> = {}): QuestionnaireSession {
  return storedSession({ ...person, ...overrides });
}

function result(id: string, overrides: Partial<SavedResult> = {}): SavedResult {
  return storedResult(id, { sessionId: 'qs0000000001', ...overrides });
}

/**
 * What every backend of the three store interfaces does (the files and PostgreSQL alike): every method, the
 * limits (QA_LOG_LIMITS, HANDLED_EVENT_LIMITS, QUESTIONNAIRE_STORE_LIMITS), forgetting a person, and a restart.
 */
export function storeContract(name: string, backend: () => ContractBackend): void {
  describe(`${name}: the store contract`, () => {
    let current: ContractBackend;
    let stores: ContractStores;
    const clock = manualClock();
    beforeEach(async () => {
      clock.set(T0);
      current = backend();
      stores = await current.open(clock.now);
    });
    afterEach(async () => {
      await current.close();
    });

    describe('QaLog', () => {
      it('records answers with distinct ids, the question cut to its limit, no votes yet', async () => {
        const long = 'x'.repeat(QA_LOG_LIMITS.questionLength + 100);
        const first = await stores.qaLog.logAnswer(answerBy(ALICE));
        const second = await stores.qaLog.logAnswer(answerBy(BOB, long));
        expect(first).not.toBe(second);
        const { answers } = await stores.qaData();
        expect(answers[first]).toEqual({ ...answerBy(ALICE), at: iso(), votes: {} });
        expect(answers[second]?.question).toBe('x'.repeat(QA_LOG_LIMITS.questionLength));
      });

      it('takes one vote per person per answer, returning the vote it replaced', async () => {
        const id = await stores.qaLog.logAnswer(answerBy(ALICE));
        expect(await stores.qaLog.vote(id, BOB.userId, 'helpful')).toEqual({});
        clock.advance(1000);
        expect(await stores.qaLog.vote(id, BOB.userId, 'not_helpful')).toEqual({ previous: 'helpful' });
        expect(await stores.qaLog.vote(id, ALICE.userId, 'helpful')).toEqual({});
        expect(await stores.qaLog.vote('a-no-such-answer', BOB.userId, 'helpful')).toBe('unknown-answer');
        const { answers } = await stores.qaData();
        expect(answers[id]?.votes).toEqual({
          [BOB.userId]: { vote: 'not_helpful', at: iso(1000) },
          [ALICE.userId]: { vote: 'helpful', at: iso(1000) },
        });
      });

      it("takes a reason only on the voter's own not-helpful vote; voting again drops it", async () => {
        const id = await stores.qaLog.logAnswer(answerBy(ALICE));
        await stores.qaLog.vote(id, BOB.userId, 'not_helpful');
        await stores.qaLog.vote(id, ALICE.userId, 'helpful');
        expect(await stores.qaLog.setReason(id, BOB.userId, 'outdated')).toBe(true);
        expect(await stores.qaLog.setReason(id, ALICE.userId, 'wrong')).toBe(false);
        expect(await stores.qaLog.setReason(id, 'U0NOVOTE001', 'wrong')).toBe(false);
        expect(await stores.qaLog.setReason('a-no-such-answer', BOB.userId, 'wrong')).toBe(false);
        expect((await stores.qaData()).answers[id]?.votes[BOB.userId]?.reason).toBe('outdated');
        await stores.qaLog.vote(id, BOB.userId, 'not_helpful');
        expect((await stores.qaData()).answers[id]?.votes[BOB.userId]).toEqual({
          vote: 'not_helpful',
          at: iso(),
        });
      });

      it('records unanswered questions in order, cut to the length limit', async () => {
        await stores.qaLog.logUnanswered(unansweredBy(ALICE, 'first?', ['a', 'b']));
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'y'.repeat(600)));
        const { unanswered } = await stores.qaData();
        expect(unanswered).toEqual([
          { ...ALICE, channelId: 'C0CHAN00001', question: 'first?', closestIds: ['a', 'b'], at: iso() },
          { ...BOB, channelId: 'C0CHAN00001', question: 'y'.repeat(500), closestIds: [], at: iso() },
        ]);
      });

      it('keeps the newest answers and unanswered questions within their limits', async () => {
        const ids: string[] = [];
        for (let index = 0; index <= QA_LOG_LIMITS.answers; index++)
          ids.push(await stores.qaLog.logAnswer(answerBy(ALICE, `question ${index}`)));
        for (let index = 0; index <= QA_LOG_LIMITS.unanswered; index++)
          await stores.qaLog.logUnanswered(unansweredBy(BOB, `unanswered ${index}`, []));
        await stores.qaLog.flush();
        expect(await stores.qaLog.vote(ids[0] as string, BOB.userId, 'helpful')).toBe('unknown-answer');
        expect(await stores.qaLog.vote(ids[1] as string, BOB.userId, 'helpful')).toEqual({});
        expect(await stores.qaLog.vote(ids.at(-1) as string, BOB.userId, 'helpful')).toEqual({});
        const data = await stores.qaData();
        expect(Object.keys(data.answers)).toHaveLength(QA_LOG_LIMITS.answers);
        expect(data.unanswered).toHaveLength(QA_LOG_LIMITS.unanswered);
        expect(data.unanswered[0]?.question).toBe('unanswered 1');
        expect(data.unanswered.at(-1)?.question).toBe(`unanswered ${QA_LOG_LIMITS.unanswered}`);
      });

      it('forgets what a person asked and their votes, in their workspace only', async () => {
        const alices = await stores.qaLog.logAnswer(answerBy(ALICE));
        const bobs = await stores.qaLog.logAnswer(answerBy(BOB));
        const elsewhere = await stores.qaLog.logAnswer(answerBy(ALICE_ELSEWHERE));
        await stores.qaLog.logUnanswered(unansweredBy(ALICE, 'hers?', []));
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'his?', []));
        await stores.qaLog.vote(bobs, ALICE.userId, 'helpful');
        await stores.qaLog.vote(bobs, BOB.userId, 'helpful');
        await stores.qaLog.vote(elsewhere, ALICE.userId, 'helpful');

        await stores.qaLog.forget(ALICE);
        const data = await stores.qaData();
        expect(Object.keys(data.answers).sort()).toEqual([bobs, elsewhere].sort());
        expect(data.answers[bobs]?.votes).toEqual({ [BOB.userId]: { vote: 'helpful', at: iso() } });
        expect(Object.keys(data.answers[elsewhere]?.votes ?? {})).toEqual([ALICE.userId]);
        expect(data.unanswered.map((question) => question.question)).toEqual(['his?']);
        expect(await stores.qaLog.vote(alices, BOB.userId, 'helpful')).toBe('unknown-answer');
      });

      it("forgets the workspaces' answers, votes and unanswered questions, and nothing of another", async () => {
        const here = await stores.qaLog.logAnswer(answerBy(ALICE));
        const there = await stores.qaLog.logAnswer(answerBy(ALICE_ELSEWHERE));
        await stores.qaLog.vote(here, BOB.userId, 'helpful');
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'what is the wifi password'));
        await stores.qaLog.logUnanswered(unansweredBy(ALICE_ELSEWHERE, 'and the coffee machine?'));
        await stores.qaLog.forgetWorkspaces([ALICE.teamId]);
        const data = await stores.qaData();
        expect(Object.keys(data.answers)).toEqual([there]);
        expect(data.unanswered.map((question) => question.teamId)).toEqual([ALICE_ELSEWHERE.teamId]);
      });

      it('deletes the questions asked before a time, with their votes, and says how many', async () => {
        const old = await stores.qaLog.logAnswer(answerBy(ALICE));
        await stores.qaLog.vote(old, BOB.userId, 'helpful');
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'an old one'));
        clock.advance(60_000);
        const recent = await stores.qaLog.logAnswer(answerBy(BOB));
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'a recent one'));
        expect(await stores.qaLog.deleteOlderThan(new Date(T0 + 30_000))).toBe(2);
        const data = await stores.qaData();
        expect(Object.keys(data.answers)).toEqual([recent]);
        expect(data.unanswered.map((question) => question.question)).toEqual(['a recent one']);
        expect(await stores.qaLog.deleteOlderThan(new Date(T0 + 30_000))).toBe(0);
      });

      it('read() gives the curators the whole log, with what is still being recorded, reasons kept across a restart', async () => {
        const first = await stores.qaLog.logAnswer(answerBy(ALICE));
        const second = await stores.qaLog.logAnswer(answerBy(ALICE_ELSEWHERE, 'Is PM-T the same as TPM?'));
        await stores.qaLog.logUnanswered(unansweredBy(BOB, 'what is the wifi password?'));
        // Not waited for: read() includes it all the same.
        await stores.qaLog.logUnanswered(unansweredBy(ALICE_ELSEWHERE, 'and the coffee machine?', ['x']));
        await stores.qaLog.vote(first, BOB.userId, 'not_helpful');
        await stores.qaLog.setReason(first, BOB.userId, 'not-answered');
        await stores.qaLog.vote(first, ALICE.userId, 'not_helpful');
        // A reason stored before "didn't answer my question" existed still loads.
        await stores.qaLog.setReason(first, ALICE.userId, 'off-topic');
        await stores.qaLog.vote(second, BOB.userId, 'helpful');
        const expected: StoredData = {
          version: 1,
          answers: {
            [first]: {
              ...answerBy(ALICE),
              at: iso(),
              votes: {
                [BOB.userId]: { vote: 'not_helpful', reason: 'not-answered', at: iso() },
                [ALICE.userId]: { vote: 'not_helpful', reason: 'off-topic', at: iso() },
              },
            },
            [second]: {
              ...answerBy(ALICE_ELSEWHERE, 'Is PM-T the same as TPM?'),
              at: iso(),
              votes: { [BOB.userId]: { vote: 'helpful', at: iso() } },
            },
          },
          unanswered: [
            { ...unansweredBy(BOB, 'what is the wifi password?'), at: iso() },
            { ...unansweredBy(ALICE_ELSEWHERE, 'and the coffee machine?', ['x']), at: iso() },
          ],
          threads: {},
        };
        expect(await stores.qaLog.read()).toEqual(expected);
        stores = await current.reopen(clock.now);
        expect(await stores.qaLog.read()).toEqual(expected);
        // One workspace's part (a curator's Home tab): its answers with their votes, its questions, no threads.
        await stores.qaLog.rememberThread({
          ...ALICE,
          channelId: 'C0CHANNEL01',
          threadTs: '5.1',
          question: 'a thread',
        });
        expect(await stores.qaLog.read({ teamId: ALICE.teamId })).toEqual({
          version: 1,
          answers: { [first]: expected.answers[first] },
          unanswered: [expected.unanswered[0]],
          threads: {},
        });
      });

      it('keeps answers and votes across a restart; flush resolves and there is no write problem', async () => {
        const id = await stores.qaLog.logAnswer(answerBy(ALICE));
        await stores.qaLog.vote(id, BOB.userId, 'helpful');
        await stores.qaLog.flush();
        expect(stores.qaLog.writeProblem()).toBeUndefined();
        stores = await current.reopen(clock.now);
        expect(await stores.qaLog.vote(id, BOB.userId, 'not_helpful')).toEqual({ previous: 'helpful' });
      });
    });

    describe('QaLog: answered threads', () => {
      const THREAD = { teamId: ALICE.teamId, channelId: 'C0CHAN00001', threadTs: '1700000100.000100' };
      const asked = (person: Person, question: string, threadTs = THREAD.threadTs) => ({
        ...THREAD,
        teamId: person.teamId,
        threadTs,
        userId: person.userId,
        question,
      });

      it('remembers a thread the app answered in with its question; the latest question replaces it', async () => {
        expect(await stores.qaLog.answeredThread(THREAD)).toBeUndefined();
        await stores.qaLog.rememberThread(asked(ALICE, 'what does an IT PM earn?'));
        expect(await stores.qaLog.answeredThread(THREAD)).toEqual({
          ...THREAD,
          userId: ALICE.userId,
          question: 'what does an IT PM earn?',
          at: iso(),
        });
        clock.advance(1_000);
        await stores.qaLog.rememberThread(asked(BOB, 'what does a general PM earn?'));
        expect(await stores.qaLog.answeredThread(THREAD)).toMatchObject({
          userId: BOB.userId,
          question: 'what does a general PM earn?',
          at: iso(1_000),
        });
        // Another thread, channel or workspace is not that thread.
        expect(
          await stores.qaLog.answeredThread({ ...THREAD, threadTs: '1700000100.000200' }),
        ).toBeUndefined();
        expect(await stores.qaLog.answeredThread({ ...THREAD, channelId: 'C0OTHER0001' })).toBeUndefined();
        expect(
          await stores.qaLog.answeredThread({ ...THREAD, teamId: ALICE_ELSEWHERE.teamId }),
        ).toBeUndefined();
      });

      it('cuts the question to its limit and keeps the newest threads within theirs', async () => {
        await stores.qaLog.rememberThread(asked(ALICE, 'q'.repeat(QA_LOG_LIMITS.questionLength + 10), '1.0'));
        for (let index = 1; index <= QA_LOG_LIMITS.threads; index++) {
          clock.advance(1);
          await stores.qaLog.rememberThread(asked(ALICE, `question ${index}`, `1.${index}`));
        }
        await stores.qaLog.flush();
        expect(await stores.qaLog.answeredThread({ ...THREAD, threadTs: '1.0' })).toBeUndefined();
        expect((await stores.qaLog.answeredThread({ ...THREAD, threadTs: '1.1' }))?.question).toBe(
          'question 1',
        );
        const data = await stores.qaData();
        expect(Object.keys(data.threads)).toHaveLength(QA_LOG_LIMITS.threads);
        // A thread answered again moves to the newest and pushes nothing out; after forgetting some, new ones fill
        // the room they left before the oldest go (the count follows every deletion).
        await stores.qaLog.rememberThread(asked(ALICE, 'again', '1.1'));
        expect((await stores.qaLog.answeredThread({ ...THREAD, threadTs: '1.2' }))?.question).toBe(
          'question 2',
        );
        await stores.qaLog.rememberThread(asked(BOB, 'his', '9.1'));
        await stores.qaLog.forget(BOB);
        await stores.qaLog.rememberThread(asked(BOB, 'his again', '9.2'));
        await stores.qaLog.flush();
        expect((await stores.qaLog.answeredThread({ ...THREAD, threadTs: '1.3' }))?.question).toBe(
          'question 3',
        );
        expect(Object.keys((await stores.qaData()).threads)).toHaveLength(QA_LOG_LIMITS.threads);
      });

      it("forgets a person's threads, a workspace's, and those older than a time, and keeps them across a restart", async () => {
        await stores.qaLog.rememberThread(asked(ALICE, 'hers?', '2.1'));
        await stores.qaLog.rememberThread(asked(BOB, 'his?', '2.2'));
        await stores.qaLog.rememberThread(asked(ALICE_ELSEWHERE, 'elsewhere?', '2.3'));
        clock.advance(60_000);
        await stores.qaLog.rememberThread(asked(BOB, 'his, later?', '2.4'));
        await stores.qaLog.flush();
        stores = await current.reopen(clock.now);
        const found = async (threadTs: string, teamId = ALICE.teamId) =>
          (await stores.qaLog.answeredThread({ ...THREAD, teamId, threadTs }))?.question;
        expect(await found('2.2')).toBe('his?');

        await stores.qaLog.forget(ALICE);
        expect([await found('2.1'), await found('2.2')]).toEqual([undefined, 'his?']);
        await stores.qaLog.deleteOlderThan(new Date(T0 + 30_000));
        expect([await found('2.2'), await found('2.4')]).toEqual([undefined, 'his, later?']);
        expect(await found('2.3', ALICE_ELSEWHERE.teamId)).toBeUndefined();
        await stores.qaLog.rememberThread(asked(ALICE_ELSEWHERE, 'elsewhere, again?', '2.5'));
        await stores.qaLog.forgetWorkspaces([ALICE.teamId]);
        expect(await found('2.4')).toBeUndefined();
        expect(await found('2.5', ALICE_ELSEWHERE.teamId)).toBe('elsewhere, again?');
      });
    });

    describe('HandledEvents', () => {
      it('claims an event id once; a retry or duplicate is refused', async () => {
        expect(await stores.handledEvents.claim('Ev0000000001')).toBe(true);
        expect(await stores.handledEvents.claim('Ev0000000001')).toBe(false);
        expect(await stores.handledEvents.claim('Ev0000000002')).toBe(true);
        expect(await stores.claimedEvents()).toEqual({ Ev0000000001: T0, Ev0000000002: T0 });
      });

      it('takes a released claim again; releasing an unknown id does nothing', async () => {
        await stores.handledEvents.claim('Ev0000000001');
        await stores.handledEvents.release('Ev0000000001');
        await stores.handledEvents.release('Ev-never-claimed');
        await stores.handledEvents.flush();
        expect(await stores.handledEvents.claim('Ev0000000001')).toBe(true);
      });

      it('remembers claims across a restart', async () => {
        await stores.handledEvents.claim('Ev0000000001');
        await stores.handledEvents.flush();
        expect(stores.handledEvents.writeProblem()).toBeUndefined();
        stores = await current.reopen(clock.now);
        expect(await stores.handledEvents.claim('Ev0000000001')).toBe(false);
      });

      it('forgets claims older than the time-to-live as claims arrive, keeping younger ones', async () => {
        const ttl = HANDLED_EVENT_LIMITS.ttlMs;
        await stores.handledEvents.claim('EvOLD');
        clock.set(T0 + 1);
        await stores.handledEvents.claim('EvAT-LIMIT');
        clock.set(T0 + ttl + 1);
        for (let index = 0; index < 100; index++) await stores.handledEvents.claim(`EvNEW${index}`);
        const remaining = Object.keys(await stores.claimedEvents());
        expect(remaining).not.toContain('EvOLD');
        expect(remaining).toContain('EvAT-LIMIT');
        expect(remaining).toHaveLength(101);
        expect(await stores.handledEvents.claim('EvOLD')).toBe(true);
        expect(await stores.handledEvents.claim('EvAT-LIMIT')).toBe(false);
      });
    });

    describe('QuestionnaireStore', () => {
      const alice = personKey(ALICE);
      const bob = personKey(BOB);
      const aliceElsewhere = personKey(ALICE_ELSEWHERE);

      it('saves, replaces and deletes a questionnaire, person by person', async () => {
        const q = stores.questionnaires;
        expect(await q.getSession(alice)).toBeUndefined();
        await q.saveSession(alice, session(ALICE));
        await q.saveSession(aliceElsewhere, session(ALICE_ELSEWHERE, { id: 'qs-elsewhere' }));
        expect(await q.getSession(alice)).toEqual(session(ALICE));
        await q.saveSession(alice, session(ALICE, { step: 2, updatedAt: iso(5000) }));
        expect(await q.getSession(alice)).toEqual(session(ALICE, { step: 2, updatedAt: iso(5000) }));
        expect(await q.getSession(bob)).toBeUndefined();
        await q.deleteSession(alice);
        await q.deleteSession(bob);
        expect(await q.getSession(alice)).toBeUndefined();
        expect((await q.getSession(aliceElsewhere))?.id).toBe('qs-elsewhere');
      });

      it('reads a questionnaire saved before revision, askedAt and messagesBelow existed, and keeps them once set', async () => {
        const q = stores.questionnaires;
        // The fixture is the previous version's shape: none of the three fields.
        const old = session(ALICE);
        for (const field of ['revision', 'askedAt', 'messagesBelow']) expect(old).not.toHaveProperty(field);
        await q.saveSession(alice, old);
        stores = await current.reopen(clock.now);
        const read = await stores.questionnaires.getSession(alice);
        expect(read).toEqual(old);
        expect(read && Object.keys(read).sort()).toEqual(Object.keys(old).sort());
        const tracked = session(ALICE, { revision: 3, askedAt: iso(2000), messagesBelow: 5 });
        await stores.questionnaires.saveSession(alice, tracked);
        stores = await current.reopen(clock.now);
        expect(await stores.questionnaires.getSession(alice)).toEqual(tracked);
      });

      it('finishes: the questionnaire ends and its result is kept, oldest first, findable by id', async () => {
        const q = stores.questionnaires;
        await q.finish(alice, result('r1'));
        await q.saveSession(alice, session(ALICE, { id: 'qs2' }));
        await q.finish(
          alice,
          result('r2', { sessionId: 'qs2', leanRoleId: undefined, strength: 'balanced' }),
        );
        expect(await q.getSession(alice)).toBeUndefined();
        expect((await q.results(alice)).map((saved) => saved.id)).toEqual(['r1', 'r2']);
        expect(await q.findResult(alice, 'r2')).toEqual(
          result('r2', { sessionId: 'qs2', leanRoleId: undefined, strength: 'balanced' }),
        );
        expect(await q.findResult(alice, 'r-none')).toBeUndefined();
        expect(await q.findResult(bob, 'r1')).toBeUndefined();
        expect(await q.results(bob)).toEqual([]);
      });

      it('keeps the newest results within the per-person limit', async () => {
        const limit = QUESTIONNAIRE_STORE_LIMITS.resultsPerUser;
        for (let index = 0; index <= limit; index++)
          await stores.questionnaires.finish(alice, result(`r${index}`, { at: iso(index) }));
        const ids = (await stores.questionnaires.results(alice)).map((saved) => saved.id);
        expect(ids).toHaveLength(limit);
        expect(ids[0]).toBe('r1');
        expect(ids.at(-1)).toBe(`r${limit}`);
      });

      it("forgets a person's questionnaire and results, and no one else's", async () => {
        const q = stores.questionnaires;
        await q.finish(alice, result('r1'));
        await q.saveSession(alice, session(ALICE, { id: 'qs2' }));
        await q.finish(bob, result('rb'));
        await q.saveSession(aliceElsewhere, session(ALICE_ELSEWHERE));
        await q.forget(alice);
        expect(await q.getSession(alice)).toBeUndefined();
        expect(await q.results(alice)).toEqual([]);
        expect((await q.results(bob)).map((saved) => saved.id)).toEqual(['rb']);
        expect(await q.getSession(aliceElsewhere)).toBeDefined();
      });

      it('prunes the questionnaires the predicate calls expired and says how many', async () => {
        const q = stores.questionnaires;
        await q.saveSession(alice, session(ALICE, { updatedAt: iso(0) }));
        await q.saveSession(bob, session(BOB, { updatedAt: iso(10_000) }));
        await q.saveSession(aliceElsewhere, session(ALICE_ELSEWHERE, { updatedAt: iso(1) }));
        expect(await q.pruneSessions((saved) => saved.updatedAt < iso(5_000))).toBe(2);
        expect(await q.getSession(alice)).toBeUndefined();
        expect(await q.getSession(aliceElsewhere)).toBeUndefined();
        expect(await q.getSession(bob)).toBeDefined();
        expect(await q.pruneSessions(() => false)).toBe(0);
      });

      it("forgets every questionnaire and result of the workspaces' people, and says how many people", async () => {
        const q = stores.questionnaires;
        await q.finish(alice, result('r1'));
        await q.saveSession(bob, session(BOB));
        await q.saveSession(aliceElsewhere, session(ALICE_ELSEWHERE));
        expect(await q.forgetWorkspaces([ALICE.teamId])).toBe(2);
        expect(await q.results(alice)).toEqual([]);
        expect(await q.getSession(bob)).toBeUndefined();
        expect(await q.getSession(aliceElsewhere)).toBeDefined();
        expect(await q.forgetWorkspaces([])).toBe(0);
      });

      it('keeps questionnaires and results across a restart', async () => {
        await stores.questionnaires.saveSession(alice, session(ALICE));
        await stores.questionnaires.finish(bob, result('rb'));
        await stores.questionnaires.flush();
        expect(stores.questionnaires.writeProblem()).toBeUndefined();
        stores = await current.reopen(clock.now);
        expect(await stores.questionnaires.getSession(alice)).toEqual(session(ALICE));
        expect(await stores.questionnaires.findResult(bob, 'rb')).toEqual(result('rb'));
      });
    });

    describe('InstallationStore', () => {
      const workspaceInstall = (overrides: Partial<StoredInstallation> = {}): StoredInstallation => ({
        teamId: 'T0TEAM0001',
        isEnterpriseInstall: false,
        botToken: 'xoxb-team-one',
        botId: 'B0BOT00001',
        botUserId: 'U0BOT00001',
        scopes: ['chat:write', 'commands'],
        installerUserId: 'U0ALICE0001',
        installedAt: iso(),
        ...overrides,
      });
      const orgInstall = (): StoredInstallation => ({
        enterpriseId: 'E0ORG00001',
        isEnterpriseInstall: true,
        botToken: 'xoxb-org',
        botId: 'B0BOT00002',
        botUserId: 'U0BOT00002',
        scopes: ['chat:write'],
        installedAt: iso(),
      });

      it('stores an install by workspace, finds it, replaces it, deletes it', async () => {
        const store = stores.installations;
        await store.save(workspaceInstall());
        expect(await store.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false })).toEqual(
          workspaceInstall(),
        );
        expect(await store.find({ teamId: 'T0TEAM0002', isEnterpriseInstall: false })).toBeUndefined();
        await store.save(workspaceInstall({ botToken: 'xoxb-again', installedAt: iso(5_000) }));
        expect((await store.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false }))?.botToken).toBe(
          'xoxb-again',
        );
        await store.delete({ teamId: 'T0TEAM0001', isEnterpriseInstall: false });
        expect(await store.find({ teamId: 'T0TEAM0001', isEnterpriseInstall: false })).toBeUndefined();
        await store.delete({ teamId: 'T0TEAM0001', isEnterpriseInstall: false });
      });

      it('keys an org-wide install by its organisation and notes the workspaces it serves, across a restart', async () => {
        const store = stores.installations;
        await store.save(orgInstall());
        await store.noteWorkspace('E0ORG00001', 'T0TEAM0003');
        await store.noteWorkspace('E0ORG00001', 'T0TEAM0003');
        await store.noteWorkspace('E0ORG00001', 'T0TEAM0004');
        await store.flush();
        stores = await current.reopen(clock.now);
        const found = await stores.installations.find({
          enterpriseId: 'E0ORG00001',
          teamId: 'T0TEAM0003',
          isEnterpriseInstall: true,
        });
        expect(found).toEqual({ ...orgInstall(), workspaces: ['T0TEAM0003', 'T0TEAM0004'] });
        expect(stores.installations.writeProblem()).toBeUndefined();
      });

      it('claims an OAuth state once, concurrently too, and still after a restart, until it expires', async () => {
        const inTenMinutes = new Date(Date.now() + 600_000);
        const claims = await Promise.all(
          [1, 2, 3].map(() => stores.installations.claimState('state-a', inTenMinutes)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await stores.installations.claimState('state-b', inTenMinutes)).toBe(true);
        await stores.installations.flush();
        stores = await current.reopen(clock.now);
        expect(await stores.installations.claimState('state-a', inTenMinutes)).toBe(false);
        expect(await stores.installations.claimState('state-b', inTenMinutes)).toBe(false);
        // A claim that has expired holds nothing back (the signed state itself is refused as expired by then).
        expect(await stores.installations.claimState('state-c', new Date(Date.now() - 1_000))).toBe(true);
        expect(await stores.installations.claimState('state-c', inTenMinutes)).toBe(true);
      });
    });
  });
}
