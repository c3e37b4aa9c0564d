// Setting stretches aside must never change what a feed reads as. A document that contains the
// placeholder mark anywhere is read without setting anything aside, so each generated feed is
// compared with itself plus a comment holding the mark: same items, same warnings.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../parse-feed.js';
import { placeholder, placeholderIndex, setAsideText } from './set-aside.js';

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces of character data in the forms feeds use, including the awkward ones.
const PIECES = [
  'Leaders met in Brussels on Wednesday. ',
  '&lt;p&gt;Allies argued over &lt;a href="/world/summit"&gt;spending&lt;/a&gt;.&lt;/p&gt; ',
  '&lt;img src="https://cdn.example/a.jpg" alt="a &amp;amp; b"&gt; ',
  'Caf&#233; cr&#xE8;me &eacute;t&eacute; &#8212; &#150; ',
  'AT&T and R&D & more ',
  'Саммит в Хельсинки — итоги. ',
  '“Quoted” text, 5 > 3. ',
  '\n   \t ',
  '&amp;lt;b&amp;gt;double-escaped&amp;lt;/b&amp;gt; ',
];

function characterData(next: () => number, minLength: number): string {
  let text = '';
  while (text.length < minLength) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

function feed(seed: number): string {
  const next = random(seed);
  const long = () => characterData(next, next() < 0.5 ? 300 : 40);
  const items: string[] = [];
  for (let i = 0; i < 6; i++) {
    const form = Math.floor(next() * 6);
    const description =
      form === 0 ? `<description><![CDATA[${long().replaceAll('&lt;', '<').replaceAll('&gt;', '>')}]]></description>`
      : form === 1 ? `<description>${long()}</description>`
      : form === 2 ? `<description>${long()}<![CDATA[ and <b>more</b> ]]>${long()}</description>`
      : form === 3 ? `<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">${long()}</content:encoded><description>${long()}</description>`
      : form === 4 ? `<description type="a &gt; b" title='x > y'>${long()}</description>`
      : `<description><p>${long()}</p></description>`;
    const between = next() < 0.3 ? ' '.repeat(300) : next() < 0.3 ? `<!-- a > b <![CDATA[${characterData(next, 300)}]]> -->` : next() < 0.2 ? '<?pi x > y ?>' : '';
    items.push(`<item><title>${characterData(next, 20)}</title><guid>g${seed}-${i}</guid>${description}</item>${between}`);
  }
  const doctype = next() < 0.2 ? '<!DOCTYPE rss [<!ENTITY house "Baltic &amp; Nordic">]>' : '';
  return `<?xml version="1.0" encoding="utf-8"?>${doctype}<rss version="2.0"><channel><title>T &amp; U</title><link>https://a.example/</link>${items.join('\n')}</channel></rss>`;
}

const read = (xml: string) => parseFeed({ bytes: Buffer.from(xml), url: 'https://a.example/rss' }).feed;

describe('set-aside stretches', () => {
  it.each(Array.from({ length: 60 }, (_, seed) => seed))('feed %i reads the same with and without them', (seed) => {
    const xml = feed(seed);
    const withoutSetAside = xml.replace('<rss', '<!-- \uE000 --><rss');
    expect(read(xml)).toEqual(read(withoutSetAside));
  });

  it('sets aside long text between tags and decodes its references', () => {
    const text = 'x &lt;b&gt; &amp; &#233; '.repeat(20);
    const sections: string[] = [];
    const out = setAsideText(`<a><b>${text}</b><c x="1 > 0">short</c></a>`, sections);
    expect(out).toBe(`<a><b>${placeholder(0)}</b><c x="1 > 0">short</c></a>`);
    expect(sections).toEqual(['x <b> & é '.repeat(20)]);
  });

  it('leaves the rest of a stretch alone after a declaration or a stray <', () => {
    const text = 'y '.repeat(200);
    for (const markup of [`<!DOCTYPE x><a>${text}</a>`, `<a>1 < 2 ${text}</a>`]) {
      const sections: string[] = [];
      expect(setAsideText(markup, sections)).toBe(markup);
      expect(sections).toEqual([]);
    }
  });

  it('recognises only exact placeholders', () => {
    expect(placeholderIndex(placeholder(12))).toBe(12);
    for (const text of ['\uE000\uE000', '\uE00012', '\uE00001\uE000', '\uE000x\uE000', ' \uE0001\uE000']) expect(placeholderIndex(text)).toBe(-1);
  });
});
