import { describe, expect, it } from 'vitest';
import { formatTopicQuery, parseTopicQuery, TopicQueryError } from './query.js';

const parse = (q: string) => formatTopicQuery(parseTopicQuery(q));

describe('topic query language', () => {
  it.each([
    ['nato AND (summit OR brussels)', 'nato AND (summit OR brussels)'],
    ['"helsinki summit"', '"helsinki summit"'],
    ['putin NOT football', 'putin AND NOT football'],
    ['putin -football', 'putin AND NOT football'],
    ['source:rbc', 'source:rbc'],
    ['source:"Baltic Ledger" helsinki', 'source:"Baltic Ledger" AND helsinki'],
    ['a OR b c', 'a OR b AND c'],
    ['(a OR b) (c OR d)', '(a OR b) AND (c OR d)'],
    ['cave and rescue', 'cave AND and AND rescue'],
    ['Путин AND саммит', 'Путин AND саммит'],
    ['e-mail x-ray', 'e-mail AND x-ray'],
  ])('reads %j as %j', (input, canonical) => {
    expect(parse(input)).toBe(canonical);
  });

  it('gives the structure: AND binds tighter than OR, NOT tightest', () => {
    expect(parseTopicQuery('a OR b AND NOT c')).toEqual({
      kind: 'or',
      parts: [{ kind: 'word', text: 'a' }, { kind: 'and', parts: [{ kind: 'word', text: 'b' }, { kind: 'not', part: { kind: 'word', text: 'c' } }] }],
    });
  });

  it.each([
    ['', 'the query is empty at position 1'],
    ['nato AND', 'the query ends where a word, phrase or "(" was expected at position 9'],
    ['(nato OR summit', 'missing ")" for the "(" at position 1 at position 16'],
    ['nato)', 'unmatched ")" at position 5'],
    ['"helsinki summit', 'unclosed quote at position 1'],
    ['OR nato', 'unexpected OR at position 1'],
    ['source: nato', 'source: needs a value at position 1'],
    ['NOT football', 'a query needs at least one thing to match, not only NOT at position 1'],
    ['""', 'empty phrase at position 1'],
  ])('refuses %j: %s', (input, message) => {
    expect(() => parseTopicQuery(input)).toThrow(TopicQueryError);
    expect(() => parseTopicQuery(input)).toThrow(message);
  });
});
