// The fast path must never change what the sanitizer outputs: on everything it accepts, its
// result is byte-for-byte the full sanitizer's. These snippets are typical news markup.
import { describe, expect, it } from 'vitest';
import { sanitizeSimpleHtml } from './sanitize-fast.js';
import { resolveUrl, sanitizeFully } from './sanitize.js';

const base = 'https://courier.example/world/2018/';
const accepted = [
  '<p>Leaders met in <a href="/tags/brussels">Brussels</a> on <time datetime="2018-07-11">Wednesday</time>.</p>',
  '<p>Fish &amp; chips &lt;3 — “quoted” &#8212; caf&eacute; &nbsp;</p>',
  '<figure><img src="img/summit.jpg" alt="Leaders &quot;pose&quot;" width="640" height="360"><figcaption>Photo: A. B.</figcaption></figure>',
  '<ul><li><strong>One</strong></li><li><em>Two</em></li></ul><br><hr>',
  '<blockquote cite="https://example.org/q"><p>“We agreed,” she said.</p></blockquote>',
  '<h2 class="sub">Background</h2><p>Text<br/>more</p>',
  '<div><p>one</p><p>two</p></div>',
  '<p>x</p>   <p>y</p>\n',
  '<A HREF="https://Example.org/Path?q=1&amp;r=2">Link</A>',
  '<img src="https://cdn.example/a.jpg" alt="cat<br />dog > mouse">',
];
const refused = [
  '<p>Unclosed <b>bold and <i>italic</p><p>next',
  '<p>one<div>block inside a paragraph</div></p>',
  "<a href='https://single.example/'>single quotes</a>",
  '<p>AT&T without a semicolon</p>',
  '<p onclick="x()">a</p>',
  '<script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>',
  '<p style="color: red">x</p>',
  '<iframe src="https://www.youtube.com/embed/x"></iframe>',
  '<!-- comment --><p>x</p>',
  '<img src="data:image/png;base64,AAAA">',
  '<a href="mailto:desk@courier.example">mail</a>',
  '<table><tr><td>cell</td></tr></table><p>a\r\nb</p>',
  '<span class="">empty attribute</span>',
];

describe('sanitizer fast path', () => {
  it.each(accepted)('gives the full sanitizer’s output for %j', (html) => {
    const fast = sanitizeSimpleHtml(html, base, resolveUrl);
    expect(fast).not.toBeNull();
    expect(sanitizeFully(html, base)).toBe(fast);
  });

  it.each(refused)('leaves %j to the full sanitizer', (html) => {
    expect(sanitizeSimpleHtml(html, base, resolveUrl)).toBeNull();
  });

  it('never lets a relative URL through without a base', () => {
    expect(sanitizeSimpleHtml('<a href="/x">x</a>', null, resolveUrl)).toBeNull();
  });
});

// A seeded generator of news-like markup: mostly what the fast path accepts, with the things it
// must refuse mixed in (unknown tags, bad nesting, odd spacing and case, entities, relative and
// hostile URLs). Wherever the fast path answers, the full sanitizer must give the same bytes.
describe('sanitizer fast path against the full sanitizer on generated markup', () => {
  const seeded = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const texts = ['Talks ran late', ' in Brussels ', 'fish &amp; chips', 'café &eacute; &#233;', 'a > b', '“quoted”', '\n', 'AT&amp;T', '&nbsp;', '&lt;tag&gt;'];
  const hrefs = ['/world/2018/07/11/live', 'https://example.org/ref?id=1&amp;src=rss', 'img/a.jpg', '../up', '/./dot', '//cdn.example/x', 'javascript:alert(1)', 'HTTPS://Example.org/A', ''];
  const tags = ['p', 'a', 'em', 'strong', 'b', 'i', 'span', 'div', 'ul', 'li', 'h2', 'blockquote', 'P', 'EM', 'figure', 'font', 'table'];
  const attributes = ['class="lead"', 'title="A &amp; B"', 'lang="en"', 'style="color:red"', 'onclick="x()"', 'CLASS="x"', 'width="640"'];

  function generate(random: () => number, depth: number): string {
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    let html = '';
    const parts = 1 + Math.floor(random() * 4);
    for (let n = 0; n < parts; n++) {
      const roll = random();
      if (roll < 0.35 || depth > 3) {
        html += pick(texts);
      } else if (roll < 0.45) {
        html += pick(['<br>', '<br/>', '<br />', '<hr>', `<img src="${pick(hrefs)}" alt="x">`]);
      } else {
        const tag = pick(tags);
        const isLink = tag.toLowerCase() === 'a';
        let attrs = isLink ? ` href="${pick(hrefs)}"` : '';
        if (random() < 0.3) attrs += ` ${pick(attributes)}`;
        if (random() < 0.1) attrs += '  ';
        const inner = generate(random, depth + 1);
        // Now and then the closing tag is missing or wrong, as in real feeds.
        const close = random() < 0.05 ? '' : random() < 0.03 ? '</span>' : `</${random() < 0.1 ? tag.toUpperCase() : tag}>`;
        html += `<${tag}${attrs}>${inner}${close}`;
      }
    }
    return html;
  }

  it('agrees on 3,000 generated documents, and answers for most of them', () => {
    const random = seeded(20180711);
    let answered = 0;
    for (let n = 0; n < 3000; n++) {
      const html = generate(random, 0);
      const fast = sanitizeSimpleHtml(html, base, resolveUrl);
      if (fast === null) continue;
      answered++;
      expect({ html, out: fast }).toEqual({ html, out: sanitizeFully(html, base) });
    }
    // The generator is built so that the fast path has work to do, not only refusals.
    expect(answered).toBeGreaterThan(300);
  });
});
