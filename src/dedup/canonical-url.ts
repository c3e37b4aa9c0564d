// Canonical article URLs for cross-feed duplicate detection.
//
// Two feeds often link the same article through different spellings of its address: http or
// https, with or without www., the mobile or AMP edition, a redirector, tracking parameters. The
// canonical form maps those spellings to one string so that items can be matched by equality
// (items.canonical_url is indexed).
//
// The one rule above all others: two *different* articles must never get the same canonical URL,
// because a false match merges two stories while a missed match only leaves a duplicate. So every
// rewrite here is one that the URL itself justifies (a known tracking parameter, an AMP marker, a
// redirector that names its destination); nothing is guessed from the site.
//
// The result is a comparison key, not necessarily a fetchable address (it is always https, and
// index files and trailing slashes are gone): show readers the item's own link.
//
// It runs for every polled item, so everything that can be built once is built here, at load time.

/** Tracking parameters, lower-cased: they say how the reader arrived, never which article it is. */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // Ad click ids (Google, Facebook, Microsoft, Yandex, Twitter/X, TikTok, LinkedIn).
  'fbclid', 'gclid', 'dclid', 'gclsrc', 'gbraid', 'wbraid', 'gad_source', 'msclkid', 'yclid', 'twclid',
  'ttclid', 'li_fat_id', 'srsltid', '_ga', '_gl',
  // Mail and marketing platforms (Mailchimp, HubSpot, Marketo, Vero, Olytics, Wicked Reports, Drip,
  // Klaviyo, ConvertKit, ActiveCampaign, Branch).
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', '__hssc', '__hstc', '__hsfp', 'hsctatracking', 'mkt_tok',
  'vero_conv', 'vero_id', 'oly_anon_id', 'oly_enc_id', 'wickedid', 'rb_clickid', '__s', '_kx',
  'ck_subscriber_id', 'vgo_ee', '_branch_match_id',
  // Social sharing (Instagram, Twitter, Guardian, NYT, Yahoo, YouTube-style "share").
  'igshid', 'igsh', 'ref_src', 'ref_url', 'sr_share', 'share', 'smid', 'smtyp', 'soc_src', 'soc_trk',
  // Publishers' campaign ids (Adobe, Guardian CMP, MSN ocid, Yahoo ncid, AT Internet, comScore).
  's_cid', 'sc_cid', 's_kwcid', 'ef_id', 'ncid', 'cmpid', 'cmp', 'ito', 'icid', 'ocid', 'spm', 'xtor',
  'at_medium', 'at_campaign', 'at_platform', 'at_creation', 'at_format', 'at_link', 'at_send_date',
  'ns_mchannel', 'ns_source', 'ns_campaign', 'ns_linkname', 'ns_fee', 'emc', 'tpcc',
  // Matomo / Piwik campaigns. Listed one by one: "pk_" alone could be a primary key.
  'pk_campaign', 'pk_kwd', 'pk_keyword', 'pk_source', 'pk_medium', 'pk_content', 'pk_cid',
  'mtm_campaign', 'mtm_kwd', 'mtm_keyword', 'mtm_source', 'mtm_medium', 'mtm_content', 'mtm_cid',
  'mtm_group', 'mtm_placement',
  // Yahoo consent redirects.
  'guccounter', 'guce_referrer', 'guce_referrer_sig',
  // Google AMP viewer state, left on links copied from the AMP cache.
  'amp_js_v', 'amp_gsa', 'amp_tf', 'usqp', 'ampshare', 'aoh',
  // Server session ids: per visitor, never per article. ("sid" is not here: Slashdot-style sites use
  // it for the story id.)
  'jsessionid', 'phpsessid',
]);

// Where a site tells its feed readers apart ("?ref=rss", "?source=feed", "?from=rss"). These names
// are removed only with these values: "ref" is a branch in a GitHub or GitLab URL, "source" and "from"
// select content elsewhere, so the name alone proves nothing.
const REFERRAL_VALUES: ReadonlySet<string> = new Set([
  'rss', 'rss2', 'rssfeed', 'rss_feed', 'feed', 'feeds', 'atom', 'feedburner', 'feedly', 'inoreader',
  'newsblur', 'miniflux', 'freshrss', 'newsletter', 'email', 'twitter', 'facebook', 'linkedin',
  'reddit', 'hn', 'hackernews', 'producthunt', 'share',
]);

/** Parameters that are tracking (or an AMP switch) only with particular values, lower-cased. */
const VALUE_GATED_PARAMS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['ref', REFERRAL_VALUES],
  ['source', REFERRAL_VALUES],
  ['from', REFERRAL_VALUES],
  // NYT adds partner=rss to its feed links.
  ['partner', new Set(['rss'])],
  // YouTube share links; elsewhere "feature" can select content.
  ['feature', new Set(['share', 'youtu.be'])],
  // The WordPress AMP plugin (?amp, ?amp=1) and Arc/Washington Post (?outputType=amp) serve the AMP
  // edition of the same article.
  ['amp', new Set(['', '1', 'true'])],
  ['outputtype', new Set(['amp'])],
]);

// Multi-tenant platforms: "m.github.io" is the site of a user called m, not the mobile edition of
// github.io, so the mobile/AMP host prefixes are kept there.
const PLATFORM_DOMAINS: ReadonlySet<string> = new Set([
  'github.io', 'gitlab.io', 'blogspot.com', 'wordpress.com', 'substack.com', 'tumblr.com', 'medium.com',
  'ghost.io', 'bearblog.dev', 'micro.blog', 'svbtle.com', 'typepad.com', 'livejournal.com',
  'wixsite.com', 'squarespace.com', 'neocities.org', 'netlify.app', 'vercel.app', 'pages.dev',
  'workers.dev', 'web.app', 'firebaseapp.com', 'appspot.com', 'herokuapp.com', 'azurewebsites.net',
  'cloudfront.net', 'fly.dev', 'onrender.com', 'deno.dev', 'hashnode.dev', 'mataroa.blog', 'write.as',
]);

// Second-level labels of country-code public suffixes (co.uk, com.au, ...): "www.co.uk" must not
// become "co.uk". Without a public-suffix list this is a heuristic, used only to refuse a rewrite.
const PUBLIC_SECOND_LEVEL: ReadonlySet<string> = new Set([
  'ac', 'co', 'com', 'edu', 'gob', 'gov', 'go', 'ltd', 'mil', 'ne', 'net', 'nic', 'nom', 'or', 'org',
  'plc', 'sch',
]);

/** Last path segments that every web server maps to its directory (compared lower-cased). */
const INDEX_FILES: ReadonlySet<string> = new Set(['index.html', 'index.htm', 'index.php', 'default.aspx']);

const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
const SESSION_PATH_PARAM = /;jsessionid=[^/]*$/i;
// AMP cache: https://www-example-com.cdn.ampproject.org/c/s/www.example.com/path ("s" = https;
// /c/ documents, /v/ viewer, /wp/ web packages).
const AMP_CACHE_PATH = /^\/(?:c|v|wp)\/(s\/)?([^/]+)(\/.*)?$/;
// Google's AMP viewer: https://www.google.com/amp/s/example.com/path.
const GOOGLE_AMP_PATH = /^\/amp\/(s\/)?([^/]+)(\/.*)?$/;
const GOOGLE_HOST = /^(?:www\.)?google\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;
const HTTP_URL = /^https?:\/\//i;

/** How many redirectors in a row are unwrapped (a redirector pointing at a redirector...). */
const MAX_REDIRECTS = 3;

/** The URL normalized so that two links to the same article compare equal; null if not an http(s) URL. */
export function canonicalUrl(url: string | null | undefined): string | null {
  const trimmed = url?.trim();
  return trimmed ? canonicalize(trimmed, MAX_REDIRECTS) : null;
}

function canonicalize(input: string, redirects: number): string | null {
  let url: URL;
  try {
    // Protocol-relative links ("//example.com/a") are http(s) whichever scheme they resolve to, and
    // both come out as https.
    url = new URL(input.startsWith('//') ? `https:${input}` : input);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;

  if (redirects > 0) {
    const target = redirectTarget(url);
    if (target !== null && HTTP_URL.test(target)) {
      const canonical = canonicalize(target, redirects - 1);
      if (canonical !== null) return canonical;
    }
    // A redirector without a usable destination is an address of its own.
  }

  // http and https serve the same article (sites redirect one to the other), so both compare as
  // https; 80 and 443 are then both the default port.
  const port = url.port === '' || url.port === '80' || url.port === '443' ? '' : `:${url.port}`;
  const userinfo = url.username === '' ? '' : url.password === '' ? `${url.username}@` : `${url.username}:${url.password}@`;
  const query = canonicalQuery(url.search);
  // Fragments are dropped (#comments, #xtor=RSS-1, #more-123 all point into the same page), except
  // routes of hash-routed sites ("#!/story/123", "#/story/123"): there the fragment is the article,
  // and dropping it would give every article of the site the same URL.
  const hash = url.hash;
  const fragment = hash.startsWith('#!') || hash.startsWith('#/') ? hash : '';
  return `https://${userinfo}${canonicalHost(url.hostname)}${port}${canonicalPath(url.pathname)}${query === '' ? '' : `?${query}`}${fragment}`;
}

/**
 * The destination a redirector link names, or null. Only redirectors that carry their destination
 * in the link itself: shorteners (t.co, bit.ly) and Feedburner's feedproxy.google.com/~r/NAME/~3/ID/SLUG
 * links do not, and stay as they are (the RSS parser already prefers feedburner:origLink over the
 * Feedburner redirector, so such links are rare here).
 */
function redirectTarget(url: URL): string | null {
  const host = url.hostname;
  if (host.endsWith('.cdn.ampproject.org')) {
    // The cache subdomain is a lossy encoding of the origin; the path names it exactly.
    const m = AMP_CACHE_PATH.exec(url.pathname);
    return m ? `${m[1] ? 'https' : 'http'}://${m[2]}${m[3] ?? ''}${url.search}` : null;
  }
  if (GOOGLE_HOST.test(host)) {
    if (url.pathname === '/url') return url.searchParams.get('url') ?? url.searchParams.get('q');
    const m = GOOGLE_AMP_PATH.exec(url.pathname);
    return m ? `${m[1] ? 'https' : 'http'}://${m[2]}${m[3] ?? ''}${url.search}` : null;
  }
  // Google News RSS (news.google.com/news/url?sa=t&url=...). Its newer /rss/articles/CBMi... links
  // encode the destination opaquely and stay as they are.
  if (host === 'news.google.com') return url.searchParams.get('url');
  // Facebook's link shim (l.facebook.com/l.php?u=..., also lm., m., www.).
  if ((host === 'facebook.com' || host.endsWith('.facebook.com')) && url.pathname === '/l.php') {
    return url.searchParams.get('u');
  }
  return null;
}

/**
 * Lower case (done by URL), no trailing dot, no "www.", and no mobile or AMP host prefix: m.bbc.co.uk,
 * mobile.twitter.com and amp.theguardian.com serve the same paths as the main host.
 */
function canonicalHost(hostname: string): string {
  let host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (host.startsWith('www.') && stripsToSite(host, 4)) host = host.slice(4);
  // Only whole labels: "ampere.com" and "mobileye.com" start with these letters but not with the label.
  const prefix = host.startsWith('m.') ? 2 : host.startsWith('amp.') ? 4 : host.startsWith('mobile.') ? 7 : 0;
  if (prefix !== 0 && stripsToSite(host, prefix) && !PLATFORM_DOMAINS.has(host.slice(prefix))) {
    host = host.slice(prefix);
    // m.www.example.com exists too.
    if (host.startsWith('www.') && stripsToSite(host, 4)) host = host.slice(4);
  }
  return host;
}

/** Whether host without its first `skip` characters is still a site (not a TLD or public suffix). */
function stripsToSite(host: string, skip: number): boolean {
  const dot = host.indexOf('.', skip);
  if (dot < 0) return false; // www.com, m.me
  // Two labels with a country code: refuse co.uk, com.au and the like.
  if (host.indexOf('.', dot + 1) >= 0 || host.length - dot - 1 !== 2) return true;
  return !PUBLIC_SECOND_LEVEL.has(host.slice(skip, dot));
}

/**
 * The path with its case kept (most servers are case-sensitive), equivalent escapes spelled one way,
 * and the spellings that CMSs serve interchangeably reduced to one: a trailing slash, an index file,
 * an AMP marker, a Java session id.
 */
function canonicalPath(pathname: string): string {
  let path = pathname.includes('%') ? normalizeEscapes(pathname) : pathname;
  if (path.includes(';')) path = path.replace(SESSION_PATH_PARAM, '');
  // "/a/" and "/a" are the same article on every CMS that serves both; one slash only, since
  // "/a//" is not a spelling anybody produces by accident.
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  // AMP editions: /story/amp (WordPress), /amp/story (BBC, The Verge), one segment only, and only
  // the exact lower-case segment, so /m/, /amps/ and /AMP-review/ are left alone.
  if (path.endsWith('/amp')) {
    path = path.length === 4 ? '/' : path.slice(0, -4);
  } else {
    const segment = path.indexOf('/amp/');
    if (segment >= 0) path = path.slice(0, segment) + path.slice(segment + 4);
  }
  // story.amp.html (CNN) and world-123.amp (BBC).
  if (path.endsWith('.amp.html')) path = `${path.slice(0, -9)}.html`;
  else if (path.endsWith('.amp')) path = path.slice(0, -4);
  // /news/index.html is /news/, which is /news.
  const slash = path.lastIndexOf('/');
  if (path.length - slash - 1 >= 9 && INDEX_FILES.has(path.slice(slash + 1).toLowerCase())) {
    path = slash === 0 ? '/' : path.slice(0, slash);
  }
  return path;
}

/**
 * The query without tracking parameters, the rest sorted by name so that order does not matter.
 * Parameters are kept as written (not re-encoded), so "+" and "%20" stay distinct: a server may
 * tell them apart, and a missed match is the cheaper mistake. The sort is stable, so repeated names
 * keep their order (?tag=a&tag=b is a list).
 */
function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const query = search.includes('%') ? normalizeEscapes(search.slice(1)) : search.slice(1);
  const kept: [name: string, pair: string][] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!isTracking(name.toLowerCase(), eq < 0 ? '' : pair.slice(eq + 1))) kept.push([name, pair]);
  }
  if (kept.length === 0) return '';
  if (kept.length === 1) return kept[0]![1];
  kept.sort(byName);
  let out = kept[0]![1];
  for (let i = 1; i < kept.length; i++) out += `&${kept[i]![1]}`;
  return out;
}

function isTracking(name: string, value: string): boolean {
  if (name.startsWith('utm_') || TRACKING_PARAMS.has(name)) return true;
  const values = VALUE_GATED_PARAMS.get(name);
  return values !== undefined && values.has(value.toLowerCase());
}

/** Code-unit order: the same in every locale. */
function byName(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * RFC 3986 §6.2.2: escapes compare case-insensitively and escaped unreserved characters equal the
 * characters themselves, so %7e, %7E and ~ become ~ and %c3%a9 becomes %C3%A9. (Escaped dots cannot
 * form "..": URL has already resolved %2e segments.)
 */
function normalizeEscapes(text: string): string {
  return text.replace(PERCENT_ESCAPE, unescapeUnreserved);
}

function unescapeUnreserved(_match: string, hex: string): string {
  const code = Number.parseInt(hex, 16);
  const unreserved =
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e; // - . _ ~
  return unreserved ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
}
