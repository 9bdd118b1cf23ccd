import type { KnowledgeFileText } from '../../src/knowledge/loader.js';

export type Json = Record<string, unknown>;
export type Files = Record<string, Json>;
/** A small valid knowledge store, one kind a file, as plain objects a test can break. */
export function validFiles(): Files {
  const cell = (summary: string) => ({ summary, points: [`${summary} in detail.`] });
  return {
    'k/sources.json': {
      sources: [
        {
          id: 'guide',
          title: 'A guide',
          sections: [
            { id: 'intro', title: 'Introduction' },
            { id: 'skills-section', title: 'Skills' },
          ],
        },
      ],
    },
    'k/roles.json': {
      roles: ['a', 'b'].map((letter) => ({
        id: `role-${letter}`,
        name: `Role ${letter.toUpperCase()}`,
        person: `Role ${letter.toUpperCase()} person`,
        shortName: letter.toUpperCase(),
        summary: `Does ${letter.toUpperCase()} things.`,
        skillsToBuild: ['Skill one.', 'Skill two.'],
        nextSteps: ['Step one.', 'Step two.'],
        sources: ['intro'],
      })),
    },
    'k/dimensions.json': {
      dimensions: [
        {
          id: 'skills',
          title: 'Skills',
          aliases: ['abilities'],
          description: 'What each role needs to be good at.',
          roles: { 'role-a': cell('A skills'), 'role-b': cell('B skills') },
          sources: ['skills-section'],
        },
        {
          id: 'teams',
          title: 'Teams',
          aliases: ['colleagues'],
          description: 'Who each role works with.',
          roles: { 'role-a': cell('A teams'), 'role-b': cell('B teams') },
          sources: ['intro'],
        },
      ],
    },
    'k/entries.json': {
      entries: [
        {
          id: 'entry-one',
          title: 'Entry one',
          questions: ['What is entry one?', 'Tell me about entry one'],
          body: 'The first entry.',
          roles: ['role-a'],
          dimension: 'skills',
          related: ['entry-two'],
          sources: ['intro'],
        },
        {
          id: 'entry-two',
          title: 'Entry two',
          questions: ['What is entry two?', 'Tell me about entry two'],
          body: 'The second entry.',
          sources: ['intro'],
        },
      ],
    },
    'k/factors.json': {
      factors: [
        {
          id: 'factor-one',
          question: 'Which do you prefer?',
          why: 'Because it matters.',
          options: [
            { id: 'option-a', label: 'A', weights: { 'role-a': 2, 'role-b': 0 } },
            { id: 'option-b', label: 'B', weights: { 'role-a': 0, 'role-b': 2 } },
          ],
          entries: ['entry-one'],
          sources: ['intro'],
        },
      ],
    },
    'k/synonyms.json': { synonyms: [{ id: 'syn-pay', terms: ['pay', 'salary'] }] },
  };
}

export function toTexts(files: Files): KnowledgeFileText[] {
  return Object.entries(files).map(([file, data]) => ({ file, text: JSON.stringify(data, null, 2) }));
}
