import { expect, it } from '@jest/globals';
import { eng as fromMain } from 'stopword';
import { eng } from 'stopword/src/stopwords_eng.js';

it('the English stop words imported alone are the list the package exports', () => {
  expect(eng.length).toBeGreaterThan(100);
  expect(eng).toEqual(fromMain);
});
