import { describe, expect, it } from 'vitest';
import { canonicalUrl } from './canonical-url.js';

describe('canonicalUrl: input', () => {
  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['not a url'],
    ['/2024/05/relative-link'],
    ['mailto:desk@example.com'],
    ['javascript:alert(1)'],
    ['ftp://ftp.example.com/pub/story.txt'],
    ['feed://example.com/rss'],
    ['data:text/html,hi'],
  ])('%j is not an http(s) URL', (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });

  it('trims surrounding whitespace (feeds put links on their own line)', () => {
    expect(canonicalUrl('\n  https://www.bbc.com/news/world-68765432\n')).toBe('https://bbc.com/news/world-68765432');
  });

  it('accepts protocol-relative links', () => {
    expect(canonicalUrl('//www.theguardian.com/world/2024/may/01/story')).toBe(
      'https://theguardian.com/world/2024/may/01/story',
    );
  });

  it('is idempotent', () => {
    for (const link of [
      'http://www.example.com/News/Story/?utm_source=rss&b=2&a=1#comments',
      'https://amp.theguardian.com/world/2024/may/01/story',
      'https://www.google.com/amp/s/www.cnn.com/2024/05/01/politics/story/index.html',
      'https://example.com/caf%c3%a9/%7euser',
      'https://example.com/#!/story/123',
    ]) {
      const once = canonicalUrl(link);
      expect(canonicalUrl(once)).toBe(once);
    }
  });
});

/** Each row: links that must come out as the same canonical URL, and that URL. */
function expectSame(canonical: string, ...links: string[]): void {
  for (const link of links) expect(canonicalUrl(link), link).toBe(canonical);
}

/** Links that must all stay distinct. */
function expectDistinct(...links: string[]): void {
  const canonical = links.map((link) => canonicalUrl(link));
  expect(new Set(canonical).size, canonical.join('\n')).toBe(links.length);
}

describe('canonicalUrl: scheme, host, port, fragment', () => {
  it('treats http and https as the same article, output https', () => {
    expectSame(
      'https://arstechnica.com/science/2024/05/story-slug',
      'http://arstechnica.com/science/2024/05/story-slug',
      'https://arstechnica.com/science/2024/05/story-slug',
    );
  });

  it('lower-cases the host and drops a trailing dot', () => {
    expectSame('https://reuters.com/world/story-2024-05-01', 'https://WWW.Reuters.COM/world/story-2024-05-01', 'https://reuters.com./world/story-2024-05-01');
  });

  it('drops a leading www.', () => {
    expectSame('https://lemonde.fr/international/article/2024/05/01/titre_123_3210.html', 'https://www.lemonde.fr/international/article/2024/05/01/titre_123_3210.html');
  });

  it('drops default ports, of either scheme', () => {
    expectSame(
      'https://example.com/story',
      'http://example.com:80/story',
      'https://example.com:443/story',
      'http://example.com:443/story',
    );
    expect(canonicalUrl('https://example.com:8443/story')).toBe('https://example.com:8443/story');
  });

  it('drops the fragment', () => {
    expectSame(
      'https://lefigaro.fr/actualite-france/story-20240501',
      'https://www.lefigaro.fr/actualite-france/story-20240501#xtor=RSS-1',
      'https://www.lefigaro.fr/actualite-france/story-20240501#comments',
      'https://www.lefigaro.fr/actualite-france/story-20240501#',
    );
  });

  it('keeps hash-bang and hash-route fragments, which are the article on such sites', () => {
    expect(canonicalUrl('http://www.example.com/#!/story/123')).toBe('https://example.com/#!/story/123');
    expectDistinct('https://example.com/#!/story/123', 'https://example.com/#!/story/124', 'https://example.com/#/story/125', 'https://example.com/');
  });

  it('keeps user info, IP addresses and IDN hosts (in punycode)', () => {
    expect(canonicalUrl('http://reader@example.com/a')).toBe('https://reader@example.com/a');
    expect(canonicalUrl('http://192.168.1.10:8080/a/')).toBe('https://192.168.1.10:8080/a');
    expect(canonicalUrl('https://[::1]/a')).toBe('https://[::1]/a');
    expect(canonicalUrl('https://www.bücher.de/artikel')).toBe('https://xn--bcher-kva.de/artikel');
  });

  it('does not strip www. down to a public suffix or a TLD', () => {
    expect(canonicalUrl('https://www.co.uk/a')).toBe('https://www.co.uk/a');
    expect(canonicalUrl('https://www.com/a')).toBe('https://www.com/a');
    expect(canonicalUrl('https://www.abc.net.au/news/2024-05-01/story/123')).toBe('https://abc.net.au/news/2024-05-01/story/123');
  });
});

describe('canonicalUrl: path', () => {
  it('keeps the path case', () => {
    expectDistinct('https://example.com/News/Story', 'https://example.com/news/story');
  });

  it('removes one trailing slash', () => {
    expectSame('https://techcrunch.com/2024/05/01/startup-raises', 'https://techcrunch.com/2024/05/01/startup-raises/', 'https://techcrunch.com/2024/05/01/startup-raises');
    expect(canonicalUrl('https://example.com')).toBe('https://example.com/');
    expect(canonicalUrl('https://example.com/')).toBe('https://example.com/');
  });

  it('reduces a directory index file to its directory', () => {
    expectSame('https://example.com/news/2024/story', 'https://example.com/news/2024/story/index.html', 'https://example.com/news/2024/story/index.htm', 'https://example.com/news/2024/story/');
    expectSame('https://example.com/?p=123', 'https://example.com/index.php?p=123', 'https://example.com/?p=123', 'https://www.example.com/Index.PHP?p=123');
    expectSame('https://example.com/articles', 'https://example.com/articles/Default.aspx');
  });

  it('leaves index files that are not the last segment, and other file names, alone', () => {
    expect(canonicalUrl('https://example.com/index.php/2024/05/story')).toBe('https://example.com/index.php/2024/05/story');
    expectDistinct('https://example.com/news/index2.html', 'https://example.com/news/myindex.html', 'https://example.com/news/index.shtml', 'https://example.com/news');
  });

  it('normalizes equivalent percent-escapes', () => {
    expectSame('https://example.com/~user/caf%C3%A9', 'https://example.com/%7Euser/caf%c3%a9', 'https://example.com/%7euser/caf%C3%A9', 'https://example.com/~user/café');
    // Reserved characters stay escaped: %2F is not a path separator.
    expectDistinct('https://example.com/a%2Fb', 'https://example.com/a/b');
  });

  it('drops a Java session id from the path', () => {
    expectSame('https://example.com/news/story.html', 'https://example.com/news/story.html;jsessionid=0A1B2C3D4E');
  });
});

describe('canonicalUrl: tracking parameters', () => {
  it('removes utm_* and click ids', () => {
    expectSame(
      'https://theverge.com/2024/5/1/24146000/story',
      'https://www.theverge.com/2024/5/1/24146000/story?utm_source=rss&utm_medium=feed&utm_campaign=main&utm_content=x&utm_term=y',
      'https://www.theverge.com/2024/5/1/24146000/story?fbclid=IwAR0abc',
      'https://www.theverge.com/2024/5/1/24146000/story?gclid=Cj0KCQ&msclkid=abc&yclid=1&dclid=2&gclsrc=aw.ds',
      'https://www.theverge.com/2024/5/1/24146000/story?UTM_SOURCE=Twitter',
      'https://www.theverge.com/2024/5/1/24146000/story?',
      'https://www.theverge.com/2024/5/1/24146000/story?&&',
    );
  });

  it.each([
    'mc_cid=abc&mc_eid=def',
    'igshid=MzRlODBiNWFlZA==',
    '_hsenc=p2ANqtz&_hsmi=123&__hssc=1&__hstc=2&__hsfp=3&hsCtaTracking=x',
    'mkt_tok=eyJpIjoi',
    'oly_anon_id=1&oly_enc_id=2&rb_clickid=3&s_cid=4&vero_conv=5&vero_id=6&wickedid=7',
    'ncid=rss&cmpid=rss&CMP=share_btn_tw&ito=792&ICID=ref_fark&icid=x&ocid=msedgntp&sr_share=twitter&spm=a2c',
    'share=facebook',
    'at_medium=RSS&at_campaign=KARANGA',
    'xtor=RSS-3208',
    'ref_src=twsrc%5Etfw&ref_url=https%3A%2F%2Ft.co',
    'feature=share',
    'smid=tw-nytimes&smtyp=cur&partner=rss&emc=rss',
    'ns_mchannel=social&ns_source=twitter&ns_campaign=bbc_news',
    'pk_campaign=feed&mtm_source=rss',
    'guccounter=1&guce_referrer=aHR0c',
    'ref=rss',
    'ref=Feedly',
    'source=rss',
    'from=rss',
    'PHPSESSID=abc123',
  ])('removes %s', (query) => {
    expect(canonicalUrl(`https://www.example.com/2024/05/01/story?${query}`)).toBe('https://example.com/2024/05/01/story');
  });

  it('keeps ref, source and from with other values, and partner/feature that are not tracking', () => {
    expectDistinct(
      'https://gitlab.com/api/v4/projects/1/repository/files/README.md?ref=main',
      'https://gitlab.com/api/v4/projects/1/repository/files/README.md?ref=dev',
      'https://gitlab.com/api/v4/projects/1/repository/files/README.md',
    );
    expect(canonicalUrl('https://example.com/search?source=archive&from=2024-01-01')).toBe('https://example.com/search?from=2024-01-01&source=archive');
    expect(canonicalUrl('https://example.com/deals?partner=acme&feature=video')).toBe('https://example.com/deals?feature=video&partner=acme');
  });

  it('does not take a name that merely starts like a tracker', () => {
    expect(canonicalUrl('https://example.com/a?utm=1&fbclid2=x&pk_id=5&sid=42')).toBe('https://example.com/a?fbclid2=x&pk_id=5&sid=42&utm=1');
  });

  it('sorts the remaining parameters by name, keeping repeated names in order', () => {
    expectSame(
      'https://example.com/article.php?id=123&section=world',
      'https://example.com/article.php?section=world&id=123',
      'https://example.com/article.php?utm_source=rss&section=world&id=123',
    );
    expectDistinct('https://example.com/list?tag=a&tag=b', 'https://example.com/list?tag=b&tag=a');
    expect(canonicalUrl('https://example.com/list?tag=b&z=1&tag=a')).toBe('https://example.com/list?tag=b&tag=a&z=1');
  });

  it('keeps parameter values as written, escapes normalized', () => {
    expectSame('https://example.com/s?q=caf%C3%A9~', 'https://example.com/s?q=caf%c3%a9%7E');
    expectDistinct('https://example.com/s?q=a%26b', 'https://example.com/s?q=a&b');
    expect(canonicalUrl('https://example.com/a?flag')).toBe('https://example.com/a?flag');
  });
});

describe('canonicalUrl: AMP and mobile editions', () => {
  it('drops m., mobile. and amp. host prefixes', () => {
    expectSame('https://bbc.co.uk/news/uk-politics-68912345', 'https://m.bbc.co.uk/news/uk-politics-68912345', 'https://www.bbc.co.uk/news/uk-politics-68912345');
    expectSame('https://theguardian.com/world/2024/may/01/story', 'https://amp.theguardian.com/world/2024/may/01/story');
    expectSame('https://twitter.com/nasa/status/1785000000000000000', 'https://mobile.twitter.com/nasa/status/1785000000000000000', 'https://m.twitter.com/nasa/status/1785000000000000000');
    expectSame('https://economictimes.indiatimes.com/news/story/articleshow/109000000.cms', 'https://m.economictimes.indiatimes.com/news/story/articleshow/109000000.cms');
  });

  it('drops an /amp segment, a .amp suffix and AMP query switches', () => {
    expectSame(
      'https://example.com/2024/05/01/story',
      'https://example.com/2024/05/01/story/amp/',
      'https://example.com/2024/05/01/story/amp',
      'https://example.com/amp/2024/05/01/story',
      'https://example.com/2024/05/01/story?amp=1',
      'https://example.com/2024/05/01/story?amp',
      'https://example.com/2024/05/01/story?amp=true',
      'https://example.com/2024/05/01/story/?amp=1',
    );
    expectSame('https://bbc.co.uk/news/world-68765432', 'https://www.bbc.co.uk/news/world-68765432.amp', 'https://www.bbc.co.uk/news/amp/world-68765432');
    expectSame('https://cnn.com/2024/05/01/politics/story', 'https://amp.cnn.com/2024/05/01/politics/story/index.html', 'https://www.cnn.com/2024/05/01/politics/story/index.html');
    expectSame('https://edition.cnn.com/2024/05/01/politics/story.html', 'https://edition.cnn.com/2024/05/01/politics/story.amp.html');
    expectSame('https://washingtonpost.com/politics/2024/05/01/story', 'https://www.washingtonpost.com/politics/2024/05/01/story/?outputType=amp');
  });

  it('unwraps Google AMP cache and viewer links', () => {
    expectSame(
      'https://example.com/2024/05/01/story',
      'https://www-example-com.cdn.ampproject.org/c/s/www.example.com/2024/05/01/story/amp/',
      'https://www-example-com.cdn.ampproject.org/v/s/www.example.com/2024/05/01/story?amp_js_v=0.1&usqp=mq331AQ',
      'https://www.google.com/amp/s/www.example.com/2024/05/01/story/amp/',
      'https://www.google.co.uk/amp/s/example.com/2024/05/01/story',
      'http://www.google.com/amp/example.com/2024/05/01/story',
    );
    expectSame('https://example.com/article?id=7', 'https://example-com.cdn.ampproject.org/c/s/example.com/article?id=7&amp=1');
  });

  it('leaves hosts and paths that only look like AMP or mobile alone', () => {
    expectDistinct(
      'https://ampere.com/news/2024/launch',
      'https://mobileye.com/news/2024/launch',
      'https://mnews.example.com/2024/launch',
      'https://com/news/2024/launch',
    );
    expect(canonicalUrl('https://ampere.com/news/2024/launch')).toBe('https://ampere.com/news/2024/launch');
    expect(canonicalUrl('https://mobileye.com/blog/story')).toBe('https://mobileye.com/blog/story');
    expect(canonicalUrl('https://amp.dev/blog/story')).toBe('https://amp.dev/blog/story');
    expect(canonicalUrl('https://m.me/page')).toBe('https://m.me/page');
    expectDistinct('https://example.com/m/article-1', 'https://example.com/article-1');
    expectDistinct('https://example.com/guitar/amps/review', 'https://example.com/guitar/review');
    expectDistinct('https://example.com/examples/ampersand', 'https://example.com/examples');
    expectDistinct('https://example.com/story.ampx', 'https://example.com/story');
    expectDistinct('https://example.com/story?amp=0', 'https://example.com/story');
  });

  it('keeps mobile prefixes on multi-tenant platforms, where they are user names', () => {
    expect(canonicalUrl('https://m.github.io/posts/hello')).toBe('https://m.github.io/posts/hello');
    expect(canonicalUrl('https://amp.substack.com/p/hello')).toBe('https://amp.substack.com/p/hello');
    expectDistinct('https://m.github.io/post', 'https://mobile.github.io/post', 'https://amp.github.io/post', 'https://github.io/post');
  });
});

describe('canonicalUrl: redirectors', () => {
  it('follows Google News and Google redirect links to their destination', () => {
    const destination = 'https://www.reuters.com/world/europe/story-2024-05-01/?utm_source=google';
    expectSame(
      'https://reuters.com/world/europe/story-2024-05-01',
      `http://news.google.com/news/url?sa=t&fd=R&ct2=us&usg=AFQjCN&clid=c3a7&cid=52778&ei=x&url=${encodeURIComponent(destination)}`,
      `https://www.google.com/url?rct=j&sa=t&url=${encodeURIComponent(destination)}&ct=ga&cd=CAEY&usg=AOv`,
      `https://www.google.com/url?q=${encodeURIComponent(destination)}&sa=D&source=editors`,
      `https://www.google.de/url?q=${encodeURIComponent(destination)}`,
    );
  });

  it('follows the Facebook link shim', () => {
    expectSame(
      'https://nytimes.com/2024/05/01/us/politics/story.html',
      `https://l.facebook.com/l.php?u=${encodeURIComponent('https://www.nytimes.com/2024/05/01/us/politics/story.html?smid=fb-nytimes&fbclid=IwAR')}&h=AT0x`,
      `https://lm.facebook.com/l.php?u=${encodeURIComponent('http://nytimes.com/2024/05/01/us/politics/story.html')}`,
    );
  });

  it('follows nested redirectors, up to three', () => {
    const article = 'https://www.example.com/story';
    const fb = (u: string): string => `https://l.facebook.com/l.php?u=${encodeURIComponent(u)}`;
    const google = (u: string): string => `https://www.google.com/url?q=${encodeURIComponent(u)}`;
    expect(canonicalUrl(google(fb(article)))).toBe('https://example.com/story');
    expect(canonicalUrl(fb(google(fb(article))))).toBe('https://example.com/story');
    // A fourth hop is not followed: the third redirector is kept, canonicalized as an address.
    expect(canonicalUrl(google(fb(google(fb(article)))))).toBe('https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fstory');
  });

  it('keeps redirectors whose destination is missing or not http(s)', () => {
    expect(canonicalUrl('https://www.google.com/url?q=not%20a%20url&sa=D')).toBe('https://google.com/url?q=not%20a%20url&sa=D');
    expect(canonicalUrl('https://l.facebook.com/l.php?u=javascript%3Aalert(1)')).toBe('https://l.facebook.com/l.php?u=javascript%3Aalert(1)');
    expect(canonicalUrl('https://www.google.com/search?q=feedloom')).toBe('https://google.com/search?q=feedloom');
    expect(canonicalUrl('https://news.google.com/rss/articles/CBMiK2h0dHBzOi8vd3d3?oc=5')).toBe('https://news.google.com/rss/articles/CBMiK2h0dHBzOi8vd3d3?oc=5');
  });

  it('keeps Feedburner and shortener links, which do not carry their destination', () => {
    expect(canonicalUrl('http://feedproxy.google.com/~r/TechCrunch/~3/AbCdEf123/')).toBe('https://feedproxy.google.com/~r/TechCrunch/~3/AbCdEf123');
    expect(canonicalUrl('http://feeds.feedburner.com/~r/Example/~3/XyZ/story-slug?utm_source=feedburner')).toBe(
      'https://feeds.feedburner.com/~r/Example/~3/XyZ/story-slug',
    );
    expectDistinct('http://feedproxy.google.com/~r/TechCrunch/~3/AbCdEf123/', 'http://feedproxy.google.com/~r/TechCrunch/~3/AbCdEf124/');
    expect(canonicalUrl('https://t.co/AbC123xyz')).toBe('https://t.co/AbC123xyz');
  });

  it('does not treat look-alike hosts as redirectors', () => {
    const q = `?url=${encodeURIComponent('https://example.com/a')}`;
    expect(canonicalUrl(`https://news.google.com.evil.example/news/url${q}`)).toBe(`https://news.google.com.evil.example/news/url${q}`);
    expect(canonicalUrl(`https://notfacebook.com/l.php?u=https%3A%2F%2Fexample.com%2Fa`)).toBe('https://notfacebook.com/l.php?u=https%3A%2F%2Fexample.com%2Fa');
    expect(canonicalUrl('https://www.google.com/amp-news/example.com/a')).toBe('https://google.com/amp-news/example.com/a');
  });
});

describe('canonicalUrl: different articles stay different', () => {
  it('different paths', () => {
    expectDistinct(
      'https://www.bbc.com/news/world-68765432',
      'https://www.bbc.com/news/world-68765433',
      'https://www.bbc.com/news/world-68765432/live',
      'https://www.bbc.com/news',
    );
  });

  it('article ids and pages in the query', () => {
    expectDistinct(
      'https://example.com/article.php?id=123',
      'https://example.com/article.php?id=124',
      'https://example.com/article.php?id=123&page=2',
      'https://example.com/article.php',
      'https://example.com/?p=123',
      'https://example.com/?p=124',
      'https://news.ycombinator.com/item?id=40000000',
      'https://news.ycombinator.com/item?id=40000001',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      'https://www.youtube.com/watch?v=dQw4w9WgXcR',
    );
  });

  it('different subdomains', () => {
    expectDistinct(
      'https://news.example.com/2024/05/01/story',
      'https://sport.example.com/2024/05/01/story',
      'https://example.com/2024/05/01/story',
      'https://www2.example.com/2024/05/01/story',
      'https://en.wikipedia.org/wiki/Feed',
      'https://de.wikipedia.org/wiki/Feed',
    );
  });

  it('different ports and parameter names that differ only in case', () => {
    expectDistinct('https://example.com:8080/a', 'https://example.com:8081/a', 'https://example.com/a');
    expectDistinct('https://example.com/a?ID=1', 'https://example.com/a?id=1');
  });
});
