import { describe, expect, it } from 'vitest';
import { buildOpml, parseOpml } from '../src/opml/opml.js';

describe('OPML', () => {
  it('reads feeds from nested outlines with their folders', () => {
    const doc = parseOpml(`<?xml version="1.0"?>
      <opml version="1.0"><head><title>My &amp; feeds</title></head><body>
        <outline text="News"><outline text="World"><outline title="Wire &#8212; world" text="ignored" xmlUrl="https://wire.example/w.xml"/></outline></outline>
        <outline text="Top-level" xmlUrl="https://top.example/rss" htmlUrl="https://top.example/"/>
      </body></opml>`);
    expect(doc.title).toBe('My & feeds');
    expect(doc.feeds).toEqual([
      { url: 'https://wire.example/w.xml', title: 'Wire — world', siteUrl: null, categories: ['News', 'World'] },
      { url: 'https://top.example/rss', title: 'Top-level', siteUrl: 'https://top.example/', categories: [] },
    ]);
  });

  it('accepts an OPML with an empty body', () => {
    expect(parseOpml('<opml version="2.0"><head/><body/></opml>').feeds).toEqual([]);
  });

  it.each([
    ['  ', /the document is empty/],
    ['<html><body>hi</body></html>', /no <opml> root/],
    ['<opml><body><outline xmlUrl="a"></body>', /not well-formed XML/],
  ])('rejects %j', (xml, message) => {
    expect(() => parseOpml(xml)).toThrow(message);
  });

  it('writes dateCreated unless told there is none', () => {
    const feeds = [{ url: 'https://a.example/rss', title: 'A', siteUrl: 'https://a.example/' }];
    expect(buildOpml('Sources', feeds, new Date('2024-05-01T12:00:00Z'))).toContain('<dateCreated>Wed, 01 May 2024 12:00:00 GMT</dateCreated>');
    const undated = buildOpml('Topic feeds', feeds, null);
    expect(undated).not.toContain('dateCreated');
    expect(undated).toContain('<outline type="rss" text="A" title="A" xmlUrl="https://a.example/rss" htmlUrl="https://a.example/"/>');
  });

  it('escapes what it writes and reads it back', () => {
    const xml = buildOpml('Sources', [
      { url: 'https://a.example/rss?x=1&y=2', title: 'A <b> & "quotes"', siteUrl: 'https://a.example/' },
      { url: 'https://b.example/atom', title: null, siteUrl: null },
    ]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(xml).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"');
    expect(parseOpml(xml).feeds.map((f) => [f.url, f.title])).toEqual([
      ['https://a.example/rss?x=1&y=2', 'A <b> & "quotes"'],
      ['https://b.example/atom', null],
    ]);
  });
});
