import { describe, expect, it } from 'vitest';
import {
  collectSupport, compareAuthor, compareDate, compareHtml, compareText, compareUrl, contentTypeOf, documentUrl,
  evaluateCase, headerValue, isTextEquivalent, normalizeHtml, splitPeople,
  type ConformanceCase, type Loose,
} from './conformance-compare.js';

function feedOf(overrides: Loose = {}, item: Loose = {}): Loose {
  return {
    format: 'rss2.0', title: 'Daily Widget', link: 'https://widgets.test/', feedUrl: null, description: null,
    language: 'de', updated: '2021-06-01T08:00:00.000Z', hub: null, warnings: [],
    items: [{
      id: 'w-1', link: 'https://widgets.test/1', title: 'Gears & levers', published: null, updated: null,
      author: 'Ada Lovelace, Charles Babbage', summary: null, content: '<p>Cogs</p>', enclosures: [], categories: ['mechanics'],
      ...item,
    }],
    ...overrides,
  };
}

function caseOf(field: string, expected: string, extra: Partial<ConformanceCase> = {}): ConformanceCase {
  return { file: 'x.xml', field, expected, entry_index: field.startsWith('entry.') ? 0 : null, sub_index: null, feature: 'core', ...extra };
}

const check = (c: ConformanceCase, feed: Loose, others: Loose[] = []) => evaluateCase(c, feed, collectSupport([feed, ...others]));

describe('request construction', () => {
  it('finds headers whatever their case', () => {
    expect(headerValue({ 'CONTENT-type': 'text/xml' }, 'Content-Type')).toBe('text/xml');
    expect(headerValue(undefined, 'content-type')).toBeUndefined();
    expect(contentTypeOf({ url: 'http://h.test/f', headers: { 'content-TYPE': 'application/atom+xml' } })).toBe('application/atom+xml');
  });

  it('passes no URL for a document that was not served over HTTP', () => {
    expect(documentUrl(null)).toBeUndefined();
    expect(documentUrl(undefined)).toBeUndefined();
  });

  it('uses Content-Location, resolved against the request URL, as the base', () => {
    expect(documentUrl({ url: 'http://h.test/a/feed.xml', headers: {} })).toBe('http://h.test/a/feed.xml');
    expect(documentUrl({ url: 'http://h.test/a/feed.xml', headers: { 'content-location': '../b/real.cgi' } })).toBe('http://h.test/b/real.cgi');
    expect(documentUrl({ url: 'http://h.test/a/feed.xml', headers: { 'Content-Location': 'https://mirror.test/' } })).toBe('https://mirror.test/');
  });

  it('ignores an unsafe or broken Content-Location', () => {
    expect(documentUrl({ url: 'http://h.test/f.xml', headers: { 'Content-Location': 'javascript:void(0)' } })).toBe('http://h.test/f.xml');
    expect(documentUrl({ url: 'http://h.test/f.xml', headers: { 'Content-Location': 'http://[bad' } })).toBe('http://h.test/f.xml');
  });
});

describe('normalizeHtml', () => {
  it('treats void-element and entity spellings alike', () => {
    expect(normalizeHtml('one<br/>two<br />three<br>')).toBe(normalizeHtml('one<br>two<br>three<br>'));
    expect(normalizeHtml('<i>&#60;&#x3c;&lt;&amp;&#38;</i>')).toBe('<i>&lt;&lt;&lt;&amp;&amp;</i>');
    expect(normalizeHtml('rock &#39;n&#39; roll')).toBe("rock 'n' roll");
  });

  it('sorts and requotes attributes, canonicalizes inline styles', () => {
    expect(normalizeHtml("<img src='p.png' alt=pic>")).toBe('<img alt="pic" src="p.png">');
    expect(normalizeHtml('<b style="COLOR:red;margin: 0 ;">x</b>')).toBe(normalizeHtml('<b style="color: red; margin: 0">x</b>'));
  });

  it('collapses whitespace runs and drops whitespace-only text between tags', () => {
    expect(normalizeHtml('<ul>\n  <li>a   b</li>\n  <li>c</li>\n</ul>')).toBe('<ul><li>a b</li><li>c</li></ul>');
  });

  it('keeps non-breaking spaces, closes implied end tags', () => {
    expect(normalizeHtml('a\u00a0b')).toBe('a\u00a0b');
    expect(normalizeHtml('<em>open')).toBe('<em>open</em>');
  });
});

describe('value comparison', () => {
  it('compares text exactly after trimming ASCII whitespace; null is empty', () => {
    expect(compareText('Widgets', '  Widgets\n')).toBe('exact');
    expect(compareText('', null)).toBe('exact');
    expect(compareText('Widgets', 'widgets')).toBeNull();
    expect(compareText('\u00a0x', 'x')).toBeNull();
  });

  it('separates exact from normalized HTML matches', () => {
    expect(compareHtml('<p>Hi</p>', '<p>Hi</p>')).toBe('exact');
    expect(compareHtml('<p>Hi &amp; bye<br /></p>', '<p>Hi &#38; bye<br></p>')).toBe('normalized');
    expect(compareHtml('<p>Hi</p>', '<p>Bye</p>')).toBeNull();
    expect(compareHtml('<p>Hi</p>', null)).toBeNull();
  });

  it('does not let markup that normalizes to nothing match an empty value', () => {
    expect(compareHtml('<!DOCTYPE', '')).toBeNull();
  });

  it('flags HTML that is only the escaped form of a text expectation', () => {
    expect(isTextEquivalent('1 < 2 & 3', '1 &lt; 2 &amp; 3')).toBe(true);
    expect(isTextEquivalent('<b>x</b>', '<b>x</b>')).toBe(false);
  });

  it('compares dates as instants to the second', () => {
    expect(compareDate('2020-02-29T12:00:00Z', '2020-02-29T12:00:00.000Z')).toBe('exact');
    expect(compareDate('2020-02-29T12:00:00Z', '2020-02-29T14:00:00+02:00')).toBe('exact');
    expect(compareDate('2020-02-29T12:00:00Z', '2020-02-29T12:00:00.750Z')).toBe('exact');
    expect(compareDate('2020-02-29T12:00:00Z', '2020-02-29T12:00:01Z')).toBeNull();
    expect(compareDate('2020-02-29T12:00:00Z', 'yesterday')).toBeNull();
    expect(compareDate('2020-02-29T12:00:00Z', null)).toBeNull();
  });

  it('accepts the name alone for a "Name (email)" author', () => {
    expect(compareAuthor('Grace Hopper (grace@navy.test)', 'Grace Hopper')).toBe('normalized');
    expect(compareAuthor('Grace Hopper (grace@navy.test)', 'Grace Hopper, Alan Turing')).toBe('normalized');
    expect(compareAuthor('Grace Hopper', 'Grace Hopper')).toBe('exact');
    expect(compareAuthor('Grace Hopper (grace@navy.test)', 'Alan Turing')).toBeNull();
    expect(splitPeople('A, B,  C')).toEqual(['A', 'B', 'C']);
  });

  it('compares URLs as IRIs at the normalized level', () => {
    expect(compareUrl('http://h.test/caf\u00e9', 'http://h.test/caf%C3%A9')).toBe('normalized');
    expect(compareUrl('http://h.test', 'http://h.test/')).toBe('normalized');
    expect(compareUrl('http://h.test/a', 'http://h.test/b')).toBeNull();
  });
});

describe('evaluateCase', () => {
  it('maps feed fields onto the model', () => {
    const feed = feedOf({ description: '<p>All the widgets</p>' });
    expect(check(caseOf('feed.title', 'Daily Widget'), feed)).toMatchObject({ status: 'pass', level: 'exact' });
    expect(check(caseOf('feed.subtitle', '<p>All the widgets</p>'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('feed.language', 'de'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('feed.updated', '2021-06-01T08:00:00Z'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('feed.link', 'https://widgets.test/other'), feed)).toMatchObject({ status: 'fail', got: 'https://widgets.test/' });
  });

  it('compares titles as text, or as titleHtml when the feed marked them up', () => {
    expect(check(caseOf('entry.title', 'Gears & levers'), feedOf())).toMatchObject({ status: 'pass', level: 'exact' });
    expect(check(caseOf('entry.title', 'Gears &amp; levers'), feedOf())).toMatchObject({ status: 'pass', level: 'normalized' });
    const marked = feedOf({}, { title: 'Big gears', titleHtml: '<em>Big</em> gears' });
    expect(check(caseOf('entry.title', '<em>Big</em> gears'), marked)).toMatchObject({ status: 'pass', level: 'exact' });
    expect(check(caseOf('entry.title', 'Big gears'), marked)).toMatchObject({ status: 'pass', level: 'exact' });
  });

  it('lets summary fall back to content, as feedparser does', () => {
    expect(check(caseOf('entry.summary', '<p>Cogs</p>'), feedOf())).toMatchObject({ status: 'pass' });
    const both = feedOf({}, { summary: 'Short' });
    expect(check(caseOf('entry.summary', '<p>Cogs</p>'), both)).toMatchObject({ status: 'fail', got: 'Short' });
  });

  it('has one content value per item', () => {
    expect(check(caseOf('entry.content', '<p>Cogs</p>', { sub_index: 0 }), feedOf())).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.content', '<p>Cogs</p>', { sub_index: 1 }), feedOf())).toMatchObject({ status: 'unsupported' });
  });

  it('picks authors, enclosures and categories by sub_index', () => {
    const feed = feedOf({}, { enclosures: [{ url: 'https://widgets.test/a.mp3', type: 'audio/mpeg', length: 1234 }, { url: 'https://widgets.test/b.ogg', type: 'audio/ogg', length: null }] });
    expect(check(caseOf('entry.author.name', 'Charles Babbage', { sub_index: 1 }), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.author.name', 'Ada Lovelace'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.enclosure.length', '1234', { sub_index: 0 }), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.enclosure.type', 'audio/ogg', { sub_index: 1 }), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.enclosure.url', 'https://widgets.test/c', { sub_index: 2 }), feed)).toMatchObject({ status: 'fail' });
    expect(check(caseOf('entry.category', 'mechanics', { sub_index: 3 }), feed)).toMatchObject({ status: 'pass' });
  });

  it('reports a missing item as a failure', () => {
    expect(check(caseOf('entry.title', 'x', { entry_index: 4 }), feedOf())).toMatchObject({ status: 'fail', note: 'no item #4 (1 items)' });
  });

  it('calls an extension field unsupported only when no result carries it', () => {
    const plain = feedOf();
    expect(check(caseOf('feed.rights', '(c) Widgets'), plain)).toMatchObject({ status: 'unsupported' });
    expect(check(caseOf('entry.comments', 'https://widgets.test/1#c'), plain)).toMatchObject({ status: 'unsupported' });
    expect(check(caseOf('entry.author.email', 'ada@widgets.test'), plain)).toMatchObject({ status: 'unsupported' });
    // Another document has the key: absent here means "none", a plain failure.
    const other = feedOf({ rights: '(c) Other' }, { comments: 'https://other.test/c', authorEmail: 'x@other.test' });
    expect(check(caseOf('feed.rights', '(c) Widgets'), plain, [other])).toMatchObject({ status: 'fail' });
    expect(check(caseOf('entry.comments', 'https://other.test/c'), other)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('entry.author.email', 'x@other.test'), other)).toMatchObject({ status: 'pass' });
  });

  it('reads structured extension values', () => {
    const feed = feedOf({ image: { url: 'https://widgets.test/logo.png' }, author: { name: 'Ed Itor', email: 'ed@widgets.test' }, categories: ['tools'] });
    expect(check(caseOf('feed.image.url', 'https://widgets.test/logo.png'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('feed.author.email', 'ed@widgets.test'), feed)).toMatchObject({ status: 'pass' });
    expect(check(caseOf('feed.author', 'Ed Itor (ed@widgets.test)'), feed)).toMatchObject({ status: 'pass', level: 'normalized' });
    expect(check(caseOf('feed.category', 'tools'), feed)).toMatchObject({ status: 'pass' });
  });
});
