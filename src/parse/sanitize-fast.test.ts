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
