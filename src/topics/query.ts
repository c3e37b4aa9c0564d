// The topic query language: a small boolean language over an article's text and its source.
//
//   query   := or
//   or      := and ("OR" and)*
//   and     := unary (["AND"] unary)*        two terms side by side mean AND
//   unary   := "NOT" unary | "-" unary | primary
//   primary := "(" or ")" | PHRASE | FIELD ":" value | WORD
//
// `nato AND (summit OR brussels)`, `"helsinki summit"`, `putin NOT football`, `source:rbc`. The
// operators are upper case (lower-case "and"/"or"/"not" are words to search for, as in most search
// boxes). A recursive-descent parser gives each mistake a message with its position.

export type TopicQuery =
  | { kind: 'word'; text: string }
  | { kind: 'phrase'; text: string }
  | { kind: 'source'; value: string }
  | { kind: 'and'; parts: TopicQuery[] }
  | { kind: 'or'; parts: TopicQuery[] }
  | { kind: 'not'; part: TopicQuery };

export class TopicQueryError extends Error {
  override readonly name = 'TopicQueryError';
  constructor(
    message: string,
    /** 1-based character position of the problem. */
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'phrase'; text: string; at: number }
  | { type: 'field'; field: string; value: string; at: number }
  | { type: 'and' | 'or' | 'not' | 'open' | 'close'; at: number };

const FIELDS = new Set(['source']);
const WORD_CHAR = /[^\s()"]/u;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'open' : 'close', at: i + 1 });
      i++;
    } else if (c === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw new TopicQueryError('unclosed quote', i + 1);
      const text = input.slice(i + 1, end).trim();
      if (!text) throw new TopicQueryError('empty phrase', i + 1);
      tokens.push({ type: 'phrase', text, at: i + 1 });
      i = end + 1;
    } else if (c === '-' && i + 1 < input.length && /[^\s)]/u.test(input[i + 1]!) && (i === 0 || /[\s(]/u.test(input[i - 1]!))) {
      tokens.push({ type: 'not', at: i + 1 });
      i++;
    } else {
      const start = i;
      while (i < input.length && WORD_CHAR.test(input[i]!)) i++;
      const word = input.slice(start, i);
      const colon = word.indexOf(':');
      if (colon > 0 && FIELDS.has(word.slice(0, colon).toLowerCase())) {
        let value = word.slice(colon + 1);
        if (value === '' && input[i] === '"') {
          const end = input.indexOf('"', i + 1);
          if (end < 0) throw new TopicQueryError('unclosed quote', i + 1);
          value = input.slice(i + 1, end).trim();
          i = end + 1;
        }
        if (!value) throw new TopicQueryError(`${word.slice(0, colon)}: needs a value`, start + 1);
        tokens.push({ type: 'field', field: word.slice(0, colon).toLowerCase(), value, at: start + 1 });
      } else if (word === 'AND' || word === 'OR' || word === 'NOT') {
        tokens.push({ type: word.toLowerCase() as 'and' | 'or' | 'not', at: start + 1 });
      } else {
        tokens.push({ type: 'word', text: word, at: start + 1 });
      }
    }
  }
  return tokens;
}

export function parseTopicQuery(input: string): TopicQuery {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const endPosition = input.length + 1;

  const parseOr = (): TopicQuery => {
    const parts = [parseAnd()];
    while (peek()?.type === 'or') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  };
  const parseAnd = (): TopicQuery => {
    const parts = [parseUnary()];
    for (;;) {
      const next = peek();
      if (!next || next.type === 'or' || next.type === 'close') break;
      if (next.type === 'and') pos++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };
  const parseUnary = (): TopicQuery => {
    const token = peek();
    if (token?.type === 'not') {
      pos++;
      return { kind: 'not', part: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): TopicQuery => {
    const token = peek();
    if (!token) throw new TopicQueryError('the query ends where a word, phrase or "(" was expected', endPosition);
    pos++;
    switch (token.type) {
      case 'word':
        return { kind: 'word', text: token.text };
      case 'phrase':
        return { kind: 'phrase', text: token.text };
      case 'field':
        return { kind: 'source', value: token.value };
      case 'open': {
        const inner = parseOr();
        const close = peek();
        if (close?.type !== 'close') throw new TopicQueryError('missing ")" for the "(" at position ' + token.at, close?.at ?? endPosition);
        pos++;
        return inner;
      }
      default:
        throw new TopicQueryError(`unexpected ${token.type === 'close' ? '")"' : token.type.toUpperCase()}`, token.at);
    }
  };

  if (tokens.length === 0) throw new TopicQueryError('the query is empty', 1);
  const query = parseOr();
  const rest = peek();
  if (rest) throw new TopicQueryError(rest.type === 'close' ? 'unmatched ")"' : `unexpected ${rest.type}`, rest.at);
  if (onlyNegative(query)) throw new TopicQueryError('a query needs at least one thing to match, not only NOT', 1);
  return query;
}

/** A query that matches by exclusion alone ("NOT football") would match nearly everything. */
function onlyNegative(query: TopicQuery): boolean {
  switch (query.kind) {
    case 'not':
      return true;
    case 'and':
      return query.parts.every(onlyNegative);
    case 'or':
      return query.parts.some(onlyNegative);
    default:
      return false;
  }
}

/** The query written back in canonical form (for storage and display). */
export function formatTopicQuery(query: TopicQuery): string {
  const wrap = (q: TopicQuery) => (q.kind === 'and' || q.kind === 'or' ? `(${formatTopicQuery(q)})` : formatTopicQuery(q));
  switch (query.kind) {
    case 'word':
      return query.text;
    case 'phrase':
      return `"${query.text}"`;
    case 'source':
      return /[\s()"]/u.test(query.value) ? `source:"${query.value}"` : `source:${query.value}`;
    case 'not':
      return `NOT ${wrap(query.part)}`;
    case 'and':
      return query.parts.map((p) => (p.kind === 'or' ? wrap(p) : formatTopicQuery(p))).join(' AND ');
    case 'or':
      return query.parts.map(formatTopicQuery).join(' OR ');
  }
}
