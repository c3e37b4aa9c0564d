// Sanitizer for the HTML that feeds put in titles, summaries and content. Feed HTML is written by
// strangers and shown inside our pages, so everything that can run script, load active content,
// submit data, or escape the item's box is removed, and every URL is made absolute (a relative
// link is meaningless once the item is shown away from its site).
//
// The element/attribute allow-lists follow Python feedparser's sanitizer (the de-facto reference
// for feed readers, and what our conformance corpus is measured against), minus form controls,
// plus a few harmless modern elements and an allow-list of video embeds. Parsing and
// serialization are sanitize-html's (htmlparser2), configured once below.
import sanitizeHtml from 'sanitize-html';
import { sanitizeSimpleHtml } from './sanitize-fast.js';

const words = (list: string): string[] => list.trim().split(/\s+/);

// feedparser's acceptable_elements, less the form controls (phishing forms have no place in a
// news item), plus: harmless elements newer than feedparser's list, and iframe, which is kept
// only for allow-listed video players (see embedSrc).
const FORM_CONTROLS = new Set(words('form input button select option optgroup textarea keygen datalist'));
const ALLOWED_TAGS = [
  ...words(`a abbr acronym address area article aside audio b big blockquote br button canvas
    caption center cite code col colgroup command datagrid datalist dd del details dfn dialog dir
    div dl dt em event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header
    hr i img input ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol
    optgroup option output p pre progress q rp rt ruby s samp section select small sound source
    spacer span strike strong sub sup table tbody td textarea tfoot th thead time tr tt u ul var
    video`).filter((tag) => !FORM_CONTROLS.has(tag)),
  ...words('bdi bdo data hgroup main mark picture rb rtc summary track wbr'),
  'iframe',
];

// feedparser's acceptable_attributes (no event handlers, no srcdoc/formaction), plus srcset/sizes
// for responsive images and kind/srclang for <track>. `style` is rewritten by sanitizeStyle and
// URL-valued ones by the URL pass before sanitize-html sees them.
const ALLOWED_ATTRIBUTES = words(`abbr accept accept-charset accesskey action align alt
  autocomplete autofocus axis background balance bgcolor bgproperties border bordercolor
  bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch challenge char charoff
  charset checked choff cite class clear color cols colspan compact contenteditable controls coords
  data datafld datapagesize datasrc datetime default delay dir disabled draggable dynsrc enctype
  end face for form frame galleryimg gutter headers height hidden hidefocus high href hreflang
  hspace icon id inputmode ismap keytype label lang leftspacing list longdesc loop loopcount
  loopend loopstart low lowsrc max maxlength media method min multiple name nohref noshade nowrap
  open optimum pattern ping point-size poster pqg preload prompt radiogroup readonly rel
  repeat-max repeat-min replace required rev rightspacing rows rowspan rules scope selected shape
  size span src start step style summary suppress tabindex target template title toppadding type
  unselectable urn usemap valign value variable volume vrml vspace width wrap xml:lang
  srcset sizes kind srclang`);

// An embed may carry nothing but its address and geometry: no `allow` (permission grants), no
// `sandbox` games, no `srcdoc`, no `name` (it would become a navigation target).
const IFRAME_ATTRIBUTES = new Set(words('src width height frameborder allowfullscreen title'));

// Video players we trust in an iframe, by host, with the path their embeddable player lives under.
const EMBED_PATHS = new Map<string, string>([
  ...words('www.youtube.com youtube.com www.youtube-nocookie.com youtube-nocookie.com').map((host) => [host, '/embed/'] as const),
  ['player.vimeo.com', '/video/'],
  ...words('www.dailymotion.com dailymotion.com').map((host) => [host, '/embed/video/'] as const),
  ['geo.dailymotion.com', '/player'],
]);

// Schemes a link in a feed may use. Anything else (javascript:, vbscript:, data:, file:,
// unknown app schemes) is unusable or dangerous; an allow-list cannot miss a new trick.
const SAFE_SCHEMES = new Set(words(`http https ftp ftps sftp mailto tel sms news nntp snews irc
  ircs xmpp magnet webcal geo rtsp mms sip sips callto skype facetime git ssh svn`));

// Inline raster images are common in feeds (tiny icons, tracking-free placeholders). SVG is left
// out because an SVG document can carry script when opened on its own.
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)[;,]/i;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// A path that the URL parser would leave exactly as written: it starts with one '/', has no dot
// segment (no '.' right after a '/'), no percent sign, and only characters that need no escaping in a path.
const PLAIN_PATH = /^\/(?![/\\.])(?:[A-Za-z0-9_~!$&'()*+,;=:@.-]|\/(?!\.))*$/;
const CONTROL = /[\x00-\x20]/;

// Every attribute whose value is a single URL, in HTML past and present. Most are dropped later by
// the attribute allow-list; checking them all costs nothing and keeps us safe if the list grows.
const URL_ATTRIBUTES = new Set(words(`href src cite action background poster longdesc usemap data
  dynsrc lowsrc datasrc codebase classid profile manifest icon formaction xlink:href`));

// ---------------------------------------------------------------------------------------------
// URLs

let cachedBaseText: string | null = null;
let cachedBase: URL | null = null;

/** A base is usable only if it is an absolute web URL; resolving against file: or data: would mint unsafe URLs. */
function parseBase(baseUrl: string): URL | null {
  if (baseUrl === cachedBaseText) return cachedBase;
  let base: URL | null = null;
  try {
    const parsed = new URL(baseUrl.trim());
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'ftp:') base = parsed;
  } catch {
    base = null;
  }
  [cachedBaseText, cachedBase] = [baseUrl, base];
  return base;
}

function resolveAgainst(url: string, base: URL | null): string | null {
  // Browsers ignore leading/trailing control characters and spaces, and tabs/newlines anywhere
  // ("java\tscript:" is javascript:), so the value is judged the way a browser would read it.
  const dirty = CONTROL.test(url);
  const cleaned = dirty ? url.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '') : url;
  // For the scheme check, drop every control character too: a URL that only looks harmless
  // because of one (e.g. "java\x01script:") is refused rather than guessed about.
  const scheme = SCHEME.exec(dirty ? cleaned.replace(/[\x00-\x20]/g, '') : url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'data') return DATA_IMAGE.test(cleaned) ? cleaned : null;
    // Absolute URLs are kept as written: they already work, and rewriting them only adds churn.
    return SAFE_SCHEMES.has(scheme) ? cleaned : null;
  }
  if (base === null) return cleaned;
  // Site-relative links ("/world/2018/07/11/story") are most of the relative ones in news HTML,
  // and for plain paths resolving is concatenation; URL parsing cost a fifth of sanitizing.
  if (PLAIN_PATH.test(cleaned) && (base.protocol === 'https:' || base.protocol === 'http:') && !base.username && !base.password) {
    return base.origin + cleaned;
  }
  try {
    return new URL(cleaned, base).href;
  } catch {
    return null;
  }
}

/** Resolves a possibly relative URL against a base; returns null for unusable/dangerous schemes (javascript:, vbscript:, data: except images, etc.). */
export function resolveUrl(url: string, baseUrl: string | null): string | null {
  // An empty link is no link (inside HTML, href="" is kept: it means "this page").
  if (url.trim() === '') return null;
  return resolveAgainst(url, baseUrl === null ? null : parseBase(baseUrl));
}

// The base of the document being sanitized. sanitize-html calls our transform synchronously
// inside sanitizeFeedHtml, so a module-level slot lets the options object be built once.
let currentBase: URL | null = null;

function safeUrl(value: string, allowDataImage: boolean): string {
  const url = resolveAgainst(value, currentBase);
  if (url === null || (!allowDataImage && /^data:/i.test(url))) return '';
  return url;
}

/**
 * srcset is a list of "URL [descriptor]" candidates, each resolved on its own. URLs may contain
 * commas (CDN resize parameters), so candidates are split the way browsers do: the URL runs to
 * the next whitespace, and its descriptor to the next comma.
 */
function safeSrcset(value: string): string {
  const out: string[] = [];
  let pos = 0;
  while (pos < value.length) {
    const start = value.slice(pos).search(/[^\s,]/);
    if (start < 0) break;
    const urlStart = pos + start;
    const urlEnd = value.slice(urlStart).search(/\s/);
    let url = urlEnd < 0 ? value.slice(urlStart) : value.slice(urlStart, urlStart + urlEnd);
    let descriptor = '';
    pos = urlStart + url.length;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', pos);
      const end = comma < 0 ? value.length : comma;
      descriptor = value.slice(pos, end).trim().replace(/\s+/g, ' ');
      pos = end + 1;
    }
    const safe = safeUrl(url, false);
    if (safe) out.push(descriptor ? `${safe} ${descriptor}` : safe);
  }
  return out.join(', ');
}

/** The canonical https address of an allow-listed video player, or null. */
function embedSrc(src: string): string | null {
  let url: URL;
  try {
    url = new URL(src.startsWith('//') ? `https:${src}` : src);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const path = EMBED_PATHS.get(url.hostname);
  if (path === undefined || !url.pathname.startsWith(path) || url.username || url.password || url.port) return null;
  url.protocol = 'https:';
  return url.href;
}

// ---------------------------------------------------------------------------------------------
// CSS
//
// Inline styles are kept only declaration by declaration, from a list of properties that style
// text and boxes but cannot position, hide, overlay or fetch anything (no position, z-index,
// opacity, visibility, transform, behavior, -moz-binding, url(), expression()). Like feedparser's,
// the output is normalized to "prop: value;" joined by spaces.

const CSS_PROPERTIES = new Set(words(`azimuth background-color border-bottom-color border-collapse
  border-color border-left-color border-right-color border-top-color clear color cursor direction
  display elevation float font font-family font-size font-style font-variant font-weight height
  letter-spacing line-height overflow pause pause-after pause-before pitch pitch-range richness
  speak speak-header speak-numeral speak-punctuation speech-rate stress text-align text-decoration
  text-indent unicode-bidi vertical-align voice-family volume white-space width`));

// background*, border*, margin*, padding* take only these words, colours and small lengths, so a
// box can be tinted and spaced but not pushed off-screen or over its neighbours.
const BOX_PROPERTY = /^(?:background|border|margin|padding)(?:-|$)/;
const BOX_KEYWORDS = new Set(words(`!important aqua auto black block blue bold both bottom brown
  center collapse dashed dotted double fuchsia gray green groove inset italic left lime maroon
  medium navy none normal nowrap olive outset pointer purple red ridge right silver solid teal
  thick thin top transparent underline white yellow`));
const HEX_COLOR = /^#[0-9a-f]{3,8}$/i;
const COLOR_FUNCTION = /^(?:rgba?|hsla?)\([\d\s.,%]*\)$/i;
const LENGTH = /^(\d{0,3}(?:\.\d+)?)(px|pt|mm|em|rem|ex|in|cm|pc|%)?$/i;

// A value may hold words, numbers, colours, commas, "!important", simple quoted font names and
// parenthesised number lists (rgb()). No slashes, backslashes (CSS escapes), colons or other
// punctuation, which is where comments, escapes and url()/expression() payloads hide.
const SAFE_VALUE = /^(?:[\w\s,.#%!-]|'[\w\s-]*'|"[\w\s-]*"|\([\d\s,.%]*\))*$/;
const FUNCTION_NAME = /([\w-]+)\s*\(/g;
const NEGATIVE = /(?:^|[\s,(])-[\d.]/;
const ZERO = /^[0.]*(?:px|pt|mm|em|rem|ex|in|cm|pc|%)?(?:\s+!important)?\s*$/i;

function isSmallLength(token: string): boolean {
  const match = LENGTH.exec(token);
  if (!match?.[1]) return false;
  const size = Number(match[1]);
  // Three-digit sizes only in absolute units: 500px is a layout, 500em is a way off the screen.
  const unit = (match[2] ?? 'px').toLowerCase();
  return size < (unit === 'px' || unit === 'pt' || unit === 'mm' ? 1000 : 100);
}

function isBoxValue(value: string): boolean {
  // rgb(0, 0, 0) contains spaces; fold colour functions into one token before splitting.
  const tokens = value.replace(/(?:rgba?|hsla?)\([^)]*\)/gi, (fn) => fn.replace(/\s+/g, '')).trim().split(/\s+/);
  return tokens.every((token) => {
    const t = token.replace(/,$/, '');
    return BOX_KEYWORDS.has(t.toLowerCase()) || HEX_COLOR.test(t) || COLOR_FUNCTION.test(t) || isSmallLength(t);
  });
}

function isSafeDeclaration(property: string, value: string): boolean {
  if (!SAFE_VALUE.test(value) || NEGATIVE.test(value)) return false;
  for (const [, fn] of value.matchAll(FUNCTION_NAME)) {
    if (!fn || !/^(?:rgba?|hsla?)$/i.test(fn)) return false;
  }
  const prop = property.toLowerCase();
  if (BOX_PROPERTY.test(prop)) return isBoxValue(value);
  if (!CSS_PROPERTIES.has(prop)) return false;
  if (prop === 'display') return !/\bnone\b/i.test(value);
  if (prop === 'font-size') return !ZERO.test(value);
  return true;
}

/** The harmless declarations of a style attribute, normalized; '' when none survive. */
function sanitizeStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim();
    // Leading space goes, trailing space stays (feedparser keeps it: "border: medium none ;").
    const value = declaration.slice(colon + 1).trimStart();
    if (!/^-?[a-zA-Z][a-zA-Z-]*$/.test(property) || value.trim() === '') continue;
    if (isSafeDeclaration(property, value)) kept.push(`${property}: ${value};`);
  }
  return kept.join(' ');
}

// ---------------------------------------------------------------------------------------------
// sanitize-html configuration

function transformTag(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  for (const [name, value] of Object.entries(attribs)) {
    if (URL_ATTRIBUTES.has(name)) {
      // A fragment-only usemap ("#map") names a <map> in this document; resolving it would break it.
      if (name === 'usemap' && value.trim().startsWith('#')) continue;
      // Like feedparser, a refused URL leaves an empty attribute (href="") rather than none.
      attribs[name] = safeUrl(value, tagName === 'img' && name === 'src');
    } else if (name === 'srcset') {
      const srcset = safeSrcset(value);
      if (srcset) attribs[name] = srcset;
      else delete attribs[name];
    } else if (name === 'ping') {
      attribs[name] = value.split(/\s+/).map((url) => (url ? safeUrl(url, false) : '')).filter(Boolean).join(' ');
    } else if (name === 'style') {
      const style = sanitizeStyle(value);
      if (style) attribs[name] = style;
      else delete attribs[name];
    }
  }
  if (tagName === 'iframe') {
    const iframe: sanitizeHtml.Attributes = {};
    for (const [name, value] of Object.entries(attribs)) {
      if (IFRAME_ATTRIBUTES.has(name)) iframe[name] = value;
    }
    // No src means "drop the iframe tag" (see exclusiveFilter).
    const src = iframe.src ? embedSrc(iframe.src) : null;
    if (src) iframe.src = src;
    else delete iframe.src;
    return { tagName, attribs: iframe };
  }
  // An open <dialog> is drawn above the page, outside the item's box.
  if (tagName === 'dialog') delete attribs.open;
  return { tagName, attribs };
}

const ALLOWED_SCHEMES = [...SAFE_SCHEMES];

// allowedEmptyAttributes is a real sanitize-html option that @types/sanitize-html does not list yet.
const OPTIONS: sanitizeHtml.IOptions & { allowedEmptyAttributes: string[] } = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { '*': ALLOWED_ATTRIBUTES, iframe: [...IFRAME_ATTRIBUTES] },
  // Drop disallowed tags but keep their text (<blink>safe</blink> → safe) ...
  disallowedTagsMode: 'discard',
  // ... except where the content is code, a non-HTML vocabulary, or markup the browser would never
  // show: scripts, styles, applets, form option lists, SVG and MathML (both can carry script and
  // parse differently from HTML, the classic mutation-XSS ground), templates, <title>.
  nonTextTags: words(`script style xmp textarea option select datalist applet svg math title
    template noembed noframes frameset`),
  // Matches feedparser's output: empty attributes are written as attr="", void elements as <br />.
  allowedEmptyAttributes: [...ALLOWED_ATTRIBUTES, ...IFRAME_ATTRIBUTES],
  nonBooleanAttributes: [],
  selfClosing: words('area br col command embed hr img input keygen source track wbr param'),
  // A second, independent scheme check behind our own URL pass.
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: { img: [...ALLOWED_SCHEMES, 'data'] },
  allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES, 'ping'],
  allowProtocolRelative: true,
  allowedIframeHostnames: [...EMBED_PATHS.keys()],
  allowIframeRelativeUrls: false,
  // Styles are filtered by sanitizeStyle in the transform; sanitize-html's own postcss pass would
  // only reformat them.
  parseStyleAttributes: false,
  transformTags: { '*': transformTag },
  // An iframe whose src was refused loses its tag but keeps its (sanitized) content, as any other
  // disallowed element does.
  exclusiveFilter: (frame) => (frame.tag === 'iframe' && !frame.attribs.src ? 'excludeTag' : false),
};

// ---------------------------------------------------------------------------------------------
// Input clean-up the parser would get wrong

/** Where the comment opened just before `from` ends, or -1 when it never does. */
function commentEnd(html: string, from: number): number {
  // "<!-->" and "<!--->" are complete, empty comments.
  if (html.startsWith('>', from)) return from + 1;
  if (html.startsWith('->', from)) return from + 2;
  const close = /--!?>/g;
  close.lastIndex = from;
  const proper = close.exec(html);
  if (proper) return proper.index + proper[0].length;
  // A malformed close ("-- junk >"): end there, as feedparser does, so that the text after it is
  // kept (it is still sanitized like everything else).
  const loose = /--[^>]*>/g;
  loose.lastIndex = from;
  const found = loose.exec(html);
  return found ? found.index + found[0].length : -1;
}

/**
 * Removes comments before parsing. htmlparser2 would make an unterminated or malformed comment
 * swallow the rest of the item; an unclosed one still drops everything after it (that text was
 * never meant to be seen).
 */
function stripComments(html: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const start = html.indexOf('<!--', pos);
    if (start < 0) return out + html.slice(pos);
    out += html.slice(pos, start);
    const end = commentEnd(html, start + 4);
    if (end < 0) return out;
    pos = end;
  }
}

// Line breaks as feedparser leaves them, and no NUL: browsers drop it and PostgreSQL text refuses it.
function normalizeText(text: string): string {
  const lines = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return lines.includes('\0') ? lines.replaceAll('\0', '') : lines;
}

function prepare(html: string): string {
  let source = normalizeText(html);
  if (source.includes('<!--')) source = stripComments(source);
  // htmlparser2 would read a CDATA section as a comment running to "]]>" and drop it; in HTML it
  // is not markup, so (like feedparser) it is shown as the text it is.
  if (source.includes('<![CDATA[')) source = source.replaceAll('<![CDATA[', '&lt;![CDATA[');
  // XML tools write an empty <br/> as "<br></br>", and HTML reads "</br>" as a second <br>.
  if (source.includes('</br')) source = source.replace(/(<br\b[^>]*>)\s*<\/br\s*>/gi, '$1');
  // A '<' with no '>' after it cannot start a tag; htmlparser2 would mangle such a tail
  // ("<!DOCTYPE ~" came out as "DOCTYPE ~"), so it becomes text.
  const lastClose = source.lastIndexOf('>');
  if (source.indexOf('<', lastClose + 1) >= 0) {
    source = source.slice(0, lastClose + 1) + source.slice(lastClose + 1).replace(/</g, '&lt;');
  }
  return source;
}

/** Sanitizes untrusted HTML from a feed and makes every URL in it absolute against baseUrl (when given). */
export function sanitizeFeedHtml(html: string, baseUrl: string | null): string {
  // Plain text (most titles) needs no parse, only escaping of the one character that could
  // still close something in our page.
  if (!html.includes('<') && !html.includes('&')) return normalizeText(html).replace(/>/g, '&gt;').trim();
  return sanitizeSimpleHtml(html, baseUrl, resolveUrl) ?? sanitizeFully(html, baseUrl);
}

/** The full sanitizer, without the fast path (exported for the test that keeps the two equal). */
export function sanitizeFully(html: string, baseUrl: string | null): string {
  currentBase = baseUrl === null ? null : parseBase(baseUrl);
  try {
    return sanitizeHtml(prepare(html), OPTIONS).trim();
  } finally {
    currentBase = null;
  }
}
