import { expect, it } from '@jest/globals';
import { parseConfirmationReply } from '../../../src/advisor/typed-answer.js';

it('reads a typed yes or no to "drop my answers?", and nothing else as either', () => {
  for (const yes of ['yes', 'Yes!', 'y', 'yep, drop them', 'ok do it', 'yes please', 'Sure, go ahead'])
    expect([yes, parseConfirmationReply(yes)]).toEqual([yes, 'yes']);
  for (const no of ['no', 'Nope, keep going', "don't", 'no thanks', 'keep them', 'nevermind', 'continue'])
    expect([no, parseConfirmationReply(no)]).toEqual([no, 'no']);
  // Both at once, a question, an answer to the questionnaire, a long message: neither (nothing is dropped).
  for (const neither of [
    'yes keep going',
    'no wait, what is a TPM?',
    '1',
    'software and IT',
    '',
    'yes '.repeat(7),
  ])
    expect([neither, parseConfirmationReply(neither)]).toEqual([neither, undefined]);
});
