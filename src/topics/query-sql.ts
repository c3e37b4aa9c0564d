// A topic query (src/topics/query.ts) as an SQL condition on one item row (`items`, with its
// source as `sources`). Words and phrases are full-text matches under each language configuration
// the search vector is built with; `source:` matches the source's host, title or address.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { TopicQuery } from './query.js';

function textMatch(fn: 'plainto_tsquery' | 'phraseto_tsquery', text: string): RawBuilder<SqlBool> {
  const f = sql.raw(fn);
  return sql<SqlBool>`(items.search @@ ${f}('simple', ${text}) or items.search @@ ${f}('english', ${text}) or items.search @@ ${f}('russian', ${text}))`;
}

const likePattern = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function itemMatchesTopic(query: TopicQuery): RawBuilder<SqlBool> {
  switch (query.kind) {
    case 'word':
      return textMatch('plainto_tsquery', query.text);
    case 'phrase':
      return textMatch('phraseto_tsquery', query.text);
    case 'source': {
      const pattern = likePattern(query.value);
      return sql<SqlBool>`exists (select 1 from sources s where s.id = items.source_id
        and (s.host ilike ${pattern} or s.title ilike ${pattern} or s.url ilike ${pattern}))`;
    }
    case 'not':
      return sql<SqlBool>`not ${itemMatchesTopic(query.part)}`;
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(query.parts.map(itemMatchesTopic), sql.raw(query.kind === 'and' ? ' and ' : ' or '))})`;
  }
}
