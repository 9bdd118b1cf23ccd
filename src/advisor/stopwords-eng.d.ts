/**
 * The English list of the `stopword` package by itself: its main module builds the lists of all 62 languages,
 * about 60 ms of the first question's wait, for the one this app uses (the same list, checked in the tests).
 */
declare module 'stopword/src/stopwords_eng.js' {
  export const eng: string[];
}
