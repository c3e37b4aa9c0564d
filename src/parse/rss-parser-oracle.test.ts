// A second, independent reader as a cross-check: on our own fixtures, rss-parser (the reader the
// project started from) must agree with ours on what both can read — the items, their titles, and
// the links it can see as absolute. We read more than it does (xml:base, xhtml, enclosures…), never less.
import { readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './parse-feed.js';
import { prepareXml } from './xml/prepare.js';

const parser = new Parser({ defaultRSS: 2 } as ConstructorParameters<typeof Parser>[0]);
const fixtures = ['rss2-baltic-ledger.xml', 'atom10-helsinki-post.xml', 'rss1-nordic-wire.rdf', 'atom03-old-wire.xml'];

describe('agreement with rss-parser', () => {
  it.each(fixtures)('%s', async (name) => {
    const bytes = readFileSync(new URL(`./testdata/${name}`, import.meta.url));
    // rss-parser (xml2js) stops at the first undeclared entity; it gets the document after our repairs.
    const theirs = await parser.parseString(prepareXml(bytes.toString('utf8')).xml);
    const ours = parseFeed({ bytes, url: 'https://feeds.example/doc.xml' }).feed;
    expect(ours.items).toHaveLength(theirs.items.length);
    theirs.items.forEach((item, i) => {
      const mine = ours.items[i]!;
      const title = typeof item.title === 'string' ? item.title.replace(/\s+/g, ' ').trim() : null;
      // rss-parser leaves markup in titles; compare where it has plain text.
      if (title && !/[<&]/.test(title)) expect(mine.title).toBe(title);
      if (item.link && /^https?:\/\//.test(item.link)) expect(mine.link).toBe(item.link);
      if (item.guid) expect(mine.id).toBe(item.guid);
    });
  });
});
