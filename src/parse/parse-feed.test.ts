import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from './parse-feed.js';

const testdata = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const parse = (name: string, url: string | null = null) => parseFeed({ bytes: testdata(name), url }).feed;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('RSS 2.0', () => {
  const feed = parse('rss2-baltic-ledger.xml', 'https://baltic-ledger.example/europe/rss.xml');
  const [first, second, third] = feed.items;

  it('reads the channel, resolving links against xml:base', () => {
    expect(feed).toMatchObject({
      format: 'rss2.0',
      title: 'Baltic Ledger – Europe',
      link: 'https://baltic-ledger.example/europe',
      feedUrl: 'https://baltic-ledger.example/europe/rss.xml',
      description: 'Reporting from Tallinn, Riga &amp; Vilnius',
      language: 'en-GB',
      updated: '2018-07-13T05:05:00.000Z',
      hub: 'https://hub.example/',
    });
  });

  it('reads items with relative links, dates, people, categories and every enclosure', () => {
    expect(first).toMatchObject({
      id: 'ledger-20180712-0041',
      link: 'https://baltic-ledger.example/news/2018/07/12/air-defence',
      title: 'Baltic leaders welcome summit pledge on air defence',
      published: '2018-07-12T15:20:00.000Z',
      updated: null,
      author: 'Kadri Tamm',
      categories: ['NATO', 'Defence'],
      enclosures: [
        { url: 'https://baltic-ledger.example/news/audio/briefing.mp3', type: 'audio/mpeg', length: 2048000 },
        { url: 'https://cdn.example/photo.jpg', type: 'image/jpeg', length: null },
      ],
    });
  });

  it('sanitizes HTML and makes its URLs absolute', () => {
    expect(first!.summary).toContain('href="https://baltic-ledger.example/tags/nato"');
    expect(first!.summary).not.toMatch(/script|track\(\)/);
    expect(first!.content).toContain('src="https://baltic-ledger.example/news/img/summit.jpg"');
    expect(first!.content).not.toMatch(/onerror|steal/);
  });

  it('uses a permalink guid as the link, and reads "email (name)" authors', () => {
    expect(second).toMatchObject({
      id: 'https://baltic-ledger.example/news/2018/07/13/riga-cafes',
      link: 'https://baltic-ledger.example/news/2018/07/13/riga-cafes',
      title: 'Café owners in Riga brace for tourist season & strike',
      author: 'Baltic Ledger desk',
    });
  });

  it('rejects an impossible date with a warning and derives an id for an item without guid or link', () => {
    expect(third!.published).toBeNull();
    expect(third!.id).toMatch(/^urn:feedloom:sha256:[0-9a-f]{32}$/);
    expect(feed.warnings.some((w) => w.includes('Someday soon'))).toBe(true);
    // Derived ids are stable.
    expect(parse('rss2-baltic-ledger.xml').items[2]!.id).toBe(third!.id);
  });

  it('passes the ttl up as a scheduling hint', () => {
    expect(parseFeed({ bytes: testdata('rss2-baltic-ledger.xml') }).hints).toEqual({ ttlMinutes: 30 });
  });
});

describe('Atom 1.0', () => {
  const feed = parse('atom10-helsinki-post.xml', 'https://hep.example/feeds/atom.xml');
  const [meeting, roads] = feed.items;

  it('reads xhtml and html text constructs', () => {
    expect(feed.title).toBe('Helsinki Evening Post');
    expect(feed.titleHtml).toBe('Helsinki <em>Evening</em> Post');
    expect(feed.description).toBe('City news &lt;and&gt; politics');
    expect(feed).toMatchObject({ format: 'atom1.0', link: 'https://hep.example/', feedUrl: 'https://hep.example/feeds/atom.xml', language: 'en', id: 'tag:hep.example,2018:feed' });
    expect(roads!.title).toBe('Road closures lifted after the visit');
    expect(roads!.titleHtml).toBe('Road closures <b>lifted</b> after the visit');
  });

  it('resolves nested xml:base, keeps published and updated apart, and joins authors', () => {
    expect(meeting).toMatchObject({
      id: 'tag:hep.example,2018:summit-meeting',
      link: 'https://hep.example/news/2018/07/16/summit-meeting',
      published: '2018-07-16T10:05:00.000Z',
      updated: '2018-07-16T17:40:00.000Z',
      author: 'Aino Virtanen, wire@hep.example',
      summary: 'The two leaders talked for two hours.',
      categories: ['Helsinki summit'],
      enclosures: [{ url: 'https://hep.example/media/summit.mp4', type: 'video/mp4', length: 12345 }],
    });
    expect(meeting!.content).toContain('<a href="https://hep.example/news/2018/07/16/timeline">past schedule</a>');
    expect(meeting!.content).not.toContain('iframe');
  });

  it('inherits the feed author (RFC 4287 4.2.1)', () => {
    expect(roads!.author).toBe('Helsinki Evening Post');
    expect(roads!.published).toBeNull();
    expect(roads!.updated).toBe('2018-07-17T06:00:00.000Z');
  });
});

describe('Atom 0.3', () => {
  const feed = parse('atom03-old-wire.xml', 'http://oldwire.example/atom.xml');

  it('reads escaped and base64 modes and the 0.3 element names', () => {
    expect(feed).toMatchObject({ format: 'atom0.3', title: 'Old & Wire', description: 'Archive of the 2004 wire', updated: '2004-07-12T10:00:00.000Z' });
    expect(feed.titleHtml).toBe('Old &amp; Wire');
    const [a, b] = feed.items;
    expect(a).toMatchObject({ published: '2004-07-12T07:00:00.000Z', updated: '2004-07-12T11:30:00.000Z' });
    expect(a!.content).toBe('<p>Encoded <a href="http://oldwire.example/rel">link</a></p>');
    expect(b!.summary).toBe('<b>Bold</b> claim');
  });
});

describe('RSS 1.0', () => {
  it('reads items beside the channel, rdf:about ids and Dublin Core', () => {
    const feed = parse('rss1-nordic-wire.rdf');
    expect(feed).toMatchObject({ format: 'rss1.0', title: 'Nordic Wire', language: 'sv' });
    expect(feed.items).toEqual([
      expect.objectContaining({
        id: 'https://nordic-wire.example/2018/07/16/1',
        title: 'Toppmötet i Helsingfors har inletts',
        // dc:date is the item's last modification (as feedparser reads it); storage falls back to it.
        published: null,
        updated: '2018-07-16T10:00:00.000Z',
        author: 'Nordic Wire',
        categories: ['Helsingfors'],
      }),
    ]);
  });
});

describe('JSON Feed', () => {
  it('reads 1.1 with relative URLs, attachments, tags and authors', () => {
    const feed = parse('json11-river-times.json', 'https://river-times.example/feed.json');
    expect(feed).toMatchObject({ format: 'json1.1', title: 'River Times', hub: 'https://hub.example/', language: 'en-US' });
    const [analysis, brief] = feed.items;
    expect(analysis).toMatchObject({
      id: '2018071601',
      link: 'https://river-times.example/2018/07/16/summit-analysis',
      published: '2018-07-16T22:00:00.000Z',
      updated: '2018-07-16T23:30:00.000Z',
      author: 'River Times staff',
      summary: 'Five questions after the summit',
      categories: ['Helsinki', 'Diplomacy'],
      enclosures: [{ url: 'https://river-times.example/audio/podcast-16.mp3', type: 'audio/mpeg', length: 31337 }],
    });
    expect(analysis!.content).toContain('href="https://river-times.example/about/analysts"');
    expect(analysis!.content).not.toMatch(/form|input/);
    expect(brief).toMatchObject({ id: 'brief-2', title: null, author: 'Sam Reed', content: 'A plain text brief &amp; nothing more.' });
  });

  it('reads a 1.0 feed and refuses JSON that is not a feed', () => {
    const feed = parseFeed({ bytes: bytes('{"version":"https://jsonfeed.org/version/1","title":"T","author":{"name":"Ed"},"items":[{"id":"1","title":"x"}]}') }).feed;
    expect(feed).toMatchObject({ format: 'json1.0', items: [{ id: '1', author: 'Ed' }] });
    expect(() => parseFeed({ bytes: bytes('{"hello":"world"}') })).toThrow(/not a JSON Feed/);
    expect(() => parseFeed({ bytes: bytes('{"version": ') })).toThrow(FeedParseError);
  });
});

describe('broken input', () => {
  it('reads past junk before the root, undeclared entities and bare ampersands, with warnings', () => {
    const text = `Warning: include(): failed in /srv/feed.php on line 3\n<?xml version="1.0"?>
      <rss version="2.0"><channel><title>Fish &amp; Chips & Peas&nbsp;Daily</title>
      <item><title>R&D spending &mdash; up</title><link>https://x.example/a?b=1&c=2</link></item></channel></rss>`;
    const feed = parseFeed({ bytes: bytes(text) }).feed;
    expect(feed.title).toBe('Fish & Chips & Peas Daily');
    expect(feed.items[0]).toMatchObject({ title: 'R&D spending — up', link: 'https://x.example/a?b=1&c=2' });
    expect(feed.warnings.join('\n')).toMatch(/junk before/);
    expect(feed.warnings.join('\n')).toMatch(/unescaped ampersand/);
  });

  it('prefers feedburner:origLink over the Feedburner redirector', () => {
    const text = `<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><title>T</title>
      <item><title>A</title><link>http://feedproxy.google.com/~r/Courier/~3/abc/story</link>
      <feedburner:origLink>https://courier.example/2018/07/12/story</feedburner:origLink></item></channel></rss>`;
    expect(parseFeed({ bytes: bytes(text) }).feed.items[0]!.link).toBe('https://courier.example/2018/07/12/story');
  });

  it('still reads the items of a truncated document', () => {
    const text = '<rss version="2.0"><channel><title>Cut</title><item><title>One</title></item><item><title>Tw';
    const feed = parseFeed({ bytes: bytes(text) }).feed;
    expect(feed.items.map((i) => i.title)).toEqual(['One', 'Tw']);
  });

  it.each([
    ['', 'empty'],
    ['   \n ', 'empty'],
    ['<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>', 'html'],
    ['<html><body>Not here</body></html>', 'html'],
    ['<?xml version="1.0"?><opml version="2.0"><body/></opml>', 'not_a_feed'],
    ['Just some text', 'not_a_feed'],
  ])('gives one clear error for %j', (text, kind) => {
    expect(() => parseFeed({ bytes: bytes(text) })).toThrow(expect.objectContaining({ kind }));
  });
});

describe('long CDATA sections', () => {
  // The parser sets long CDATA contents aside before tokenizing and puts them back afterwards; the
  // result must be what reading them in place gives, whatever the sections contain.
  const long = (words: string) => `${words} `.repeat(Math.ceil(300 / (words.length + 1)));
  const rss = (items: string) =>
    bytes(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://a.example/</link>${items}</channel></rss>`);

  it('keeps every section in its own item and in order, including look-alikes of the placeholder', () => {
    const bodies = [long('<p>Summit opens</p>'), long('\uE0001\uE000 <b>bold</b>'), long('Helsinki &amp; ]] > text')];
    const items = bodies.map((body, i) => `<item><guid>g${i}</guid><description><![CDATA[${body}]]></description></item>`).join('');
    const feed = parseFeed({ bytes: rss(items), url: 'https://a.example/rss' }).feed;
    expect(feed.items.map((item) => item.id)).toEqual(['g0', 'g1', 'g2']);
    expect(feed.items[0]!.summary).toContain('<p>Summit opens</p>');
    expect(feed.items[1]!.summary).toContain('\uE0001\uE000 <b>bold</b>');
    expect(feed.items[2]!.summary).toContain('Helsinki &amp; ]] &gt; text');
  });

  it('reads a section the tokenizer does not see as CDATA (inside an attribute) as if none were set aside', () => {
    const inAttribute = `<item><guid>g</guid><title type="<![CDATA[${long('x')}]]>">Title</title><description><![CDATA[${long('body')}]]></description></item>`;
    const feed = parseFeed({ bytes: rss(inAttribute) }).feed;
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ id: 'g', title: 'Title' });
    expect(feed.items[0]!.summary).toContain('body body');
  });
});

describe('long CDATA sections in other encodings and places', () => {
  const long = (words: string) => `${words} `.repeat(Math.ceil(300 / (words.length + 1)));
  const doc = (decl: string, items: string) =>
    `<?xml version="1.0"${decl}?><rss version="2.0"><channel><title>T</title><link>https://a.example/</link>${items}</channel></rss>`;

  it('reads the same items from UTF-8 and windows-1252 bytes', () => {
    const items = `<item><guid>g</guid><description><![CDATA[${long('<p>Café crème, “quoted”</p>')}]]></description></item>`;
    const utf8 = parseFeed({ bytes: Buffer.from(doc('', items), 'utf8') }).feed;
    const cp1252 = parseFeed({ bytes: Buffer.from(doc(' encoding="windows-1252"', items).replaceAll('“', '\x93').replaceAll('”', '\x94'), 'latin1') }).feed;
    expect(utf8.items[0]!.summary).toContain('Café crème, “quoted”');
    expect(cp1252.items).toEqual(utf8.items);
  });

  it('ignores a section inside a comment and still reads the real one', () => {
    const items = `<!-- <![CDATA[${long('commented out')}]]> --><item><guid>g</guid><description><![CDATA[${long('<b>body</b>')}]]></description></item>`;
    const feed = parseFeed({ bytes: Buffer.from(doc('', items)) }).feed;
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.summary).toContain('<b>body</b>');
    expect(feed.items[0]!.summary).not.toContain('commented');
  });
});
