// Labelled deduplication fixtures: multi-source news from July 2018 (NATO summit in Brussels, the
// Trump–Putin meeting in Helsinki, the Thai cave rescue, the World Cup in Russia, the Brexit cabinet
// resignations, the northern European heatwave) plus local news from invented towns. Every text is
// written for this file; outlets, people in local stories and all domains (.example) are invented.
//
// How it is built: a compact set of hand-written base stories, then small functions that make the
// copies a real aggregator sees —
//   guid  the same item in two or three feeds with the same global guid (a blog and its category
//         feed, a planet aggregator republishing it, a newspaper's main and section feeds);
//   url   the same article linked by other feeds (press review, news aggregator, social bridge, blog
//         roll) with its own guid and a variant of the address (utm_*, fbclid, gclid, AMP, m. host,
//         http, www., trailing slash, fragment);
//   near  wire copy carried by several outlets, each under its own headline, guid and address, with
//         small edits (dateline, trimmed last sentence, a changed word, the outlet's own first line).
// Hard negatives (group null) look like duplicates and are not: the same headline from different
// outlets or days, different reports of the same event, equal local guids in two feeds, and
// addresses that differ only in an ?id= value. `hardNegativeSets` lists them.
// Everything is deterministic: no clock, no randomness.

export type DuplicateKind = 'url' | 'guid' | 'near';

export interface FixtureItem {
  /** Unique, e.g. 'nato-germany-gpw-wire'. */
  key: string;
  /** Feed slug; all items of one source come from one feed (see `fixtureSources`). */
  source: string;
  /** As the feed publishes it. */
  guid: string;
  /** The link as the feed gives it (may carry tracking parameters, AMP, a mobile host…). */
  url: string;
  title: string;
  /** Plain text, 200–700 characters. */
  summary: string;
  /** ISO 8601 UTC. */
  published: string;
  /** Gold: items with the same group are copies of one article. null = unique article. */
  group: string | null;
  /** Why the group's members are duplicates (one kind per group), null for unique articles. */
  kind: DuplicateKind | null;
}

/** One item whose title changed between two polls of the same feed (same source and guid). */
export interface TitleChange {
  source: string;
  guid: string;
  /** The first poll's version; not in `dedupFixtures`. */
  before: FixtureItem;
  /** The later version; this very object is in `dedupFixtures`. */
  after: FixtureItem;
}

/** Items that look alike but are all different articles. */
export interface HardNegativeSet {
  reason: 'same-title' | 'same-event' | 'local-guid-collision' | 'query-id';
  note: string;
  keys: string[];
}

export interface FixtureSource {
  slug: string;
  /** The outlet (one outlet may publish several feeds). */
  outlet: string;
  feedUrl: string;
  role: 'news' | 'wire' | 'blog' | 'aggregator';
}

// ---------------------------------------------------------------------------------------------
// Outlets and feeds

const SOURCES = {
  'northsea-courier': { outlet: 'Northsea Courier', feedUrl: 'https://www.northsea-courier.example/rss', role: 'news' },
  'northsea-courier-world': { outlet: 'Northsea Courier', feedUrl: 'https://www.northsea-courier.example/world/rss', role: 'news' },
  'baltic-ledger': { outlet: 'Baltic Ledger', feedUrl: 'https://baltic-ledger.example/feed.xml', role: 'news' },
  'harbour-times': { outlet: 'Harbour Times', feedUrl: 'http://www.harbour-times.example/rss.php', role: 'news' },
  'meridian-post': { outlet: 'Meridian Post', feedUrl: 'https://meridianpost.example/feed/', role: 'news' },
  'riverbend-daily': { outlet: 'Riverbend Daily', feedUrl: 'https://www.riverbend-daily.example/news/rss.xml', role: 'news' },
  'lakeside-gazette': { outlet: 'Lakeside Gazette', feedUrl: 'https://lakesidegazette.example/atom.xml', role: 'news' },
  'gpw-wire': { outlet: 'Global Press Wire', feedUrl: 'https://wire.gpw.example/en/feed', role: 'wire' },
  fjordwatch: { outlet: 'Fjordwatch', feedUrl: 'https://fjordwatch.example/feed/', role: 'blog' },
  'fjordwatch-energy': { outlet: 'Fjordwatch', feedUrl: 'https://fjordwatch.example/category/energy/feed/', role: 'blog' },
  'capital-notes': { outlet: 'Capital Notes', feedUrl: 'https://capitalnotes.example/feeds/posts/default', role: 'blog' },
  'capital-notes-brexit': { outlet: 'Capital Notes', feedUrl: 'https://capitalnotes.example/feeds/posts/default/-/Brexit', role: 'blog' },
  'heatmap-diary': { outlet: 'Heatmap Diary', feedUrl: 'https://heatmap-diary.example/rss/', role: 'blog' },
  'planet-newsroom': { outlet: 'Planet Newsroom', feedUrl: 'https://planet-newsroom.example/atom.xml', role: 'aggregator' },
  'euro-blogroll': { outlet: 'Euro Blogroll', feedUrl: 'https://euro-blogroll.example/feed.atom', role: 'aggregator' },
  'morning-digest': { outlet: 'Morning Digest', feedUrl: 'https://digest.example/press-review.rss', role: 'aggregator' },
  newsfold: { outlet: 'Newsfold', feedUrl: 'https://newsfold.example/rss/topstories', role: 'aggregator' },
  sharewall: { outlet: 'Sharewall', feedUrl: 'https://sharewall.example/u/newsdesk/feed.json', role: 'aggregator' },
} as const satisfies Record<string, Omit<FixtureSource, 'slug'>>;

type Src = keyof typeof SOURCES;
/** Feeds that publish articles of their own (the others only copy or link). */
type Publisher = 'northsea-courier' | 'baltic-ledger' | 'harbour-times' | 'meridian-post' | 'riverbend-daily' | 'lakeside-gazette' | 'gpw-wire' | 'fjordwatch' | 'capital-notes' | 'heatmap-diary';

export const fixtureSources: Record<string, FixtureSource> = Object.fromEntries(
  Object.entries(SOURCES).map(([slug, s]) => [slug, { slug, ...s }]),
);

// ---------------------------------------------------------------------------------------------
// Small deterministic helpers

/** '07-11 08:40' → '2018-07-11T08:40:00Z'. */
function t(monthDayTime: string): string {
  const m = /^(\d\d)-(\d\d) (\d\d):(\d\d)$/.exec(monthDayTime);
  if (!m) throw new Error(`bad time ${monthDayTime}`);
  return `2018-${m[1]}-${m[2]}T${m[3]}:${m[4]}:00Z`;
}

function later(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

const ymdPath = (iso: string) => iso.slice(0, 10).replaceAll('-', '/'); // 2018/07/11
const ymdCompact = (iso: string) => iso.slice(0, 10).replaceAll('-', ''); // 20180711

function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’‘"“”]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .split('-')
    .slice(0, 9)
    .join('-');
}

/** FNV-1a, for stable ids that look random. */
function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hex8 = (text: string, seed?: number) => hash32(text, seed).toString(16).padStart(8, '0');

function uuid(text: string): string {
  const h = hex8(text) + hex8(text, 0x01234567) + hex8(text, 0x89abcdef) + hex8(text, 0x0badf00d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Sentences of a plain text (the texts avoid abbreviations with full stops). */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?]["”’']?)\s+(?=["“‘']?[A-Z0-9])/);
}

const counters = new Map<string, number>();
function nextNumber(series: string, start: number): number {
  const n = counters.get(series) ?? start;
  counters.set(series, n + 1);
  return n;
}

// ---------------------------------------------------------------------------------------------
// How each publisher addresses its articles

interface Article {
  /** Short id; item keys are `${id}-${source}`. */
  id: string;
  source: Publisher;
  published: string;
  title: string;
  text: string;
  /** Northsea Courier and Riverbend Daily sections. */
  section?: 'world' | 'uk' | 'sport' | 'local';
  /** The outlet's numeric article id, when the test needs a particular one (guid collisions). */
  num?: number;
  /** A slug other than the one made from the title. */
  slug?: string;
}

interface Address {
  /** The article's own address on its site. */
  url: string;
  /** The link as the outlet's own feed gives it. */
  feedLink: string;
  guid: string;
}

function address(a: Article): Address {
  const slug = a.slug ?? slugify(a.title);
  switch (a.source) {
    case 'northsea-courier': {
      // The guid is the permalink (isPermaLink="true").
      const url = `https://www.northsea-courier.example/${a.section ?? 'world'}/${ymdPath(a.published)}/${slug}`;
      return { url, feedLink: url, guid: url };
    }
    case 'baltic-ledger': {
      const num = a.num ?? nextNumber('baltic-ledger', 20801);
      const url = `https://baltic-ledger.example/news/${slug}-${num}`;
      return { url, feedLink: url, guid: String(num) };
    }
    case 'harbour-times': {
      // A legacy CMS: its feed still links over plain http.
      const num = a.num ?? nextNumber('harbour-times', 20901);
      const url = `https://www.harbour-times.example/article.php?id=${num}`;
      return { url, feedLink: url.replace('https:', 'http:'), guid: String(num) };
    }
    case 'meridian-post': {
      // WordPress: ?p= guids, trailing slashes, and a plugin that tags feed links.
      const num = a.num ?? nextNumber('meridian-post', 9101);
      const url = `https://meridianpost.example/${ymdPath(a.published)}/${slug}/`;
      return { url, feedLink: `${url}?utm_source=rss&utm_medium=rss&utm_campaign=${slug}`, guid: `https://meridianpost.example/?p=${num}` };
    }
    case 'riverbend-daily': {
      const num = a.num ?? nextNumber('riverbend-daily', 118_240);
      const url = `https://www.riverbend-daily.example/news/${a.section ?? 'world'}/story/${a.published.slice(0, 10)}/${slug}`;
      return { url, feedLink: url, guid: `RBD-${num}` };
    }
    case 'lakeside-gazette': {
      const url = `https://lakesidegazette.example/stories/${ymdCompact(a.published)}-${slug}.html`;
      return { url, feedLink: url, guid: `urn:uuid:${uuid(`lakeside:${a.published.slice(0, 10)}:${slug}`)}` };
    }
    case 'gpw-wire': {
      const num = a.num ?? nextNumber('gpw-wire', 4410);
      const url = `https://wire.gpw.example/en/${ymdCompact(a.published)}/${slug}`;
      return { url, feedLink: url, guid: `GPW-${ymdCompact(a.published)}-${num}` };
    }
    case 'fjordwatch': {
      const num = a.num ?? nextNumber('fjordwatch', 2279);
      const url = `https://fjordwatch.example/${ymdPath(a.published)}/${slug}/`;
      return { url, feedLink: url, guid: `https://fjordwatch.example/?p=${num}` };
    }
    case 'capital-notes': {
      const num = a.num ?? nextNumber('capital-notes', 5_590_118_204_377);
      const url = `https://capitalnotes.example/${a.published.slice(0, 7).replace('-', '/')}/${slug}.html`;
      return { url, feedLink: url, guid: `tag:blogger.com,1999:blog-7719204481.post-${num}` };
    }
    case 'heatmap-diary': {
      const url = `https://heatmap-diary.example/${slug}/`;
      return { url, feedLink: url, guid: `urn:uuid:${uuid(`heatmap:${slug}`)}` };
    }
  }
}

const outletName = (source: Src) => SOURCES[source].outlet;

/** The article as its own outlet's feed carries it. */
function own(a: Article, addr: Address, group: string | null, kind: DuplicateKind | null): FixtureItem {
  return { key: `${a.id}-${a.source}`, source: a.source, guid: addr.guid, url: addr.feedLink, title: a.title, summary: a.text, published: a.published, group, kind };
}

// ---------------------------------------------------------------------------------------------
// URL variants (each takes and returns an absolute URL)

type UrlVariant = (url: string) => string;

function withParams(params: Record<string, string>): UrlVariant {
  return (url) => {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };
}
const utm = (source: string, medium = 'referral', campaign?: string) =>
  withParams({ utm_source: source, utm_medium: medium, ...(campaign ? { utm_campaign: campaign } : {}) });
const fbclid = (seed: string) => withParams({ fbclid: `IwAR${hex8(seed)}${hex8(seed, 7)}_${hex8(seed, 11).slice(0, 5)}` });
const gclid = (seed: string) => withParams({ gclid: `EAIaIQobChMI${hex8(seed)}${hex8(seed, 3)}` });
/** /path → /path/amp (WordPress and many CMSs). */
const ampSuffix: UrlVariant = (url) => { const u = new URL(url); u.pathname = `${u.pathname.replace(/\/$/, '')}/amp`; return u.toString(); };
/** /world/… → /amp/world/… */
const ampPrefix: UrlVariant = (url) => { const u = new URL(url); u.pathname = `/amp${u.pathname}`; return u.toString(); };
const ampQuery: UrlVariant = withParams({ amp: '1' });
const ampHost: UrlVariant = (url) => { const u = new URL(url); u.hostname = `amp.${u.hostname.replace(/^www\./, '')}`; return u.toString(); };
const mobileHost: UrlVariant = (url) => { const u = new URL(url); u.hostname = `m.${u.hostname.replace(/^www\./, '')}`; return u.toString(); };
const http: UrlVariant = (url) => url.replace(/^https:/, 'http:');
const noWww: UrlVariant = (url) => url.replace('://www.', '://');
const addWww: UrlVariant = (url) => url.replace('://', '://www.');
const slashToggle: UrlVariant = (url) => { const u = new URL(url); u.pathname = u.pathname.endsWith('/') ? u.pathname.slice(0, -1) : `${u.pathname}/`; return u.toString(); };
const fragment = (name: string): UrlVariant => (url) => `${url.split('#')[0]}#${name}`;

// ---------------------------------------------------------------------------------------------
// guid copies: one article in several feeds under one global guid

type GuidCopy = 'northsea-courier-world' | 'fjordwatch-energy' | 'capital-notes-brexit' | 'planet-newsroom';

function guidGroup(a: Article, copies: GuidCopy[], overrides: Partial<Record<GuidCopy, Partial<FixtureItem>>> = {}): FixtureItem[] {
  const addr = address(a);
  const group = `${a.id}`;
  const original = own(a, addr, group, 'guid');
  const items = [original];
  for (const copy of copies) {
    let item: FixtureItem;
    if (copy === 'planet-newsroom') {
      // A planet keeps the guid and date, prefixes the blog's name, shows an excerpt, and links the
      // original — except for Heatmap Diary, whose posts it hosts on pages of its own. So only the
      // guid (and for some the link) says these are copies: the excerpt alone is too short a match.
      const url = a.source === 'heatmap-diary' ? `https://planet-newsroom.example/entries/${hex8(addr.guid)}.html` : addr.feedLink;
      item = { ...original, key: `${a.id}-${copy}`, source: copy, url, title: `${outletName(a.source)}: ${a.title}`, summary: excerpt(a.text) };
    } else {
      // Section, category and label feeds of the same site: the very same entry.
      item = { ...original, key: `${a.id}-${copy}`, source: copy };
    }
    items.push({ ...item, ...overrides[copy] });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// url copies: other feeds link the article (own guid, own title style, a variant of the address)

type LinkingFeed = 'morning-digest' | 'newsfold' | 'sharewall' | 'euro-blogroll';

interface LinkCopy {
  source: LinkingFeed;
  /** Applied to the article's own address, in order. */
  link: UrlVariant[];
  /** Minutes after the original. */
  after: number;
}

/** The opening sentences up to at least 200 characters. */
function opening(text: string): string {
  let out = '';
  for (const s of sentences(text)) {
    out = out ? `${out} ${s}` : s;
    if (out.length >= 200) break;
  }
  return out;
}

/** A planet's excerpt: the first 200 characters or so, cut at a word. */
const excerpt = (text: string) => `${text.slice(0, text.indexOf(' ', 200)).replace(/[,;:]$/, '')} […]`;

/** The press review's blurb: the opening sentences up to at least 200 characters, and the credit. */
function digestBlurb(text: string, outlet: string): string {
  return `${opening(text)} (${outlet})`;
}

/** The aggregator's snippet: long texts cut at a word boundary near 260 characters. */
function snippet(text: string): string {
  if (text.length <= 320) return text;
  const cut = text.lastIndexOf(' ', 260);
  return `${text.slice(0, cut).replace(/[,;:]$/, '')} …`;
}

function urlGroup(a: Article, copies: LinkCopy[]): FixtureItem[] {
  const addr = address(a);
  const group = `${a.id}`;
  const items = [own(a, addr, group, 'url')];
  for (const c of copies) {
    const url = c.link.reduce((u, f) => f(u), addr.url);
    const published = later(a.published, c.after);
    const base = { key: `${a.id}-${c.source}`, source: c.source, url, published, group, kind: 'url' as const };
    const outlet = outletName(a.source);
    switch (c.source) {
      case 'morning-digest':
        items.push({ ...base, guid: `md-${ymdCompact(published)}-${String(nextNumber(`md-${ymdCompact(published)}`, 1)).padStart(2, '0')}`, title: a.title, summary: digestBlurb(a.text, outlet) });
        break;
      case 'newsfold':
        items.push({ ...base, guid: `nf-${hex8(url)}`, title: `${a.title} - ${outlet}`, summary: snippet(a.text) });
        break;
      case 'sharewall':
        items.push({ ...base, guid: `sw-${nextNumber('sharewall', 70_112)}`, title: a.title, summary: a.text });
        break;
      case 'euro-blogroll':
        items.push({ ...base, guid: `https://euro-blogroll.example/entry/${nextNumber('euro-blogroll', 3301)}`, title: a.title, summary: a.text });
        break;
    }
  }
  return items;
}

/** An article that appears once. */
function unique(a: Article): FixtureItem {
  return own(a, address(a), null, null);
}

// ---------------------------------------------------------------------------------------------
// near copies: wire stories carried by several outlets

interface WireStory {
  id: string;
  published: string;
  dateline: string;
  sentences: string[];
  copies: WireCopy[];
}

type Edit = (s: string[], story: WireStory) => string[];

interface WireCopy {
  source: Publisher;
  title: string;
  /** Minutes after the wire's own copy. */
  after: number;
  edits?: Edit[];
  section?: Article['section'];
}

/** "BRUSSELS (GPW) — " before the first sentence. */
const dateline: Edit = (s, story) => [`${story.dateline} (GPW) — ${s[0]}`, ...s.slice(1)];
/** The last sentence cut for space. */
const trimLast: Edit = (s) => s.slice(0, -1);
/** A word or two changed by the desk; the phrase must occur. */
const swap = (from: string, to: string): Edit => (s) => {
  const i = s.findIndex((x) => x.includes(from));
  if (i < 0) throw new Error(`swap: "${from}" not found`);
  return s.map((x, j) => (j === i ? x.replace(from, to) : x));
};
/** The outlet's own opening sentence before the wire text. */
const lede = (sentence: string): Edit => (s) => [sentence, ...s];
/** The outlet's own first sentence instead of the wire's. */
const ownFirst = (sentence: string): Edit => (s) => [sentence, ...s.slice(1)];

function nearGroup(story: WireStory): FixtureItem[] {
  return story.copies.map((c) => {
    const text = (c.edits ?? []).reduce((s, edit) => edit(s, story), story.sentences).join(' ');
    const a: Article = { id: story.id, source: c.source, published: later(story.published, c.after), title: c.title, text, section: c.section };
    return own(a, address(a), story.id, 'near');
  });
}

// ---------------------------------------------------------------------------------------------
// Wire stories (kind 'near'). The wire's own feed carries the plain text; outlets add a dateline,
// trim, change a word or open with a sentence of their own, each under its own headline.

const WIRE: WireStory[] = [
  {
    id: 'nato-germany',
    published: t('07-11 08:40'),
    dateline: 'BRUSSELS',
    sentences: [
      `President Donald Trump opened the NATO summit on Wednesday by saying Germany was held captive by Russia because of its reliance on Russian gas.`,
      `At a breakfast with the alliance's secretary general, Jens Stoltenberg, he said it was inappropriate for Berlin to pay Moscow billions of dollars for energy while relying on America for protection.`,
      `He singled out Nord Stream 2, a planned pipeline under the Baltic Sea.`,
      `Stoltenberg replied that allies had overcome differences before.`,
      `German officials did not immediately comment.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Trump says Germany is 'captive' to Russia as NATO summit opens`, after: 0 },
      { source: 'northsea-courier', title: `Trump opens Nato summit with attack on Germany over Russian gas`, after: 25, edits: [dateline, swap('inappropriate', 'wrong')] },
      { source: 'baltic-ledger', title: `Trump: Berlin 'held captive' by Moscow over gas pipeline`, after: 50, edits: [lede(`The row over Nord Stream 2, followed anxiously in the Baltic capitals, reached the top of the NATO agenda on Wednesday.`), trimLast] },
      { source: 'riverbend-daily', title: `Nato summit: Trump lashes out at Germany over breakfast`, after: 150, edits: [swap('billions of dollars', 'billions'), swap('replied', 'responded'), trimLast] },
    ],
  },
  {
    id: 'nato-spending',
    published: t('07-12 12:10'),
    dateline: 'BRUSSELS',
    sentences: [
      `President Donald Trump said on Thursday that NATO allies had agreed to raise defence spending faster after he told them America was unhappy with the burden it carried.`,
      `The claim followed an unscheduled closed-door session on the second day of the summit.`,
      `Trump told reporters the alliance was now very strong and that his commitment to it remained.`,
      `French President Emmanuel Macron later said there was no new pledge beyond the target of two percent of national output agreed in 2014.`,
      `Other leaders called the meeting frank but constructive.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Trump says NATO allies will spend more after emergency session`, after: 0 },
      { source: 'meridian-post', title: `Trump claims victory on Nato spending; Macron disagrees`, after: 40, edits: [dateline, swap('very strong', 'much stronger')] },
      { source: 'harbour-times', title: `Allies 'agreed to pay more', says Trump after summit showdown`, after: 95, edits: [trimLast] },
      { source: 'northsea-courier', title: `Nato summit ends in confusion over spending pledges`, after: 130, edits: [ownFirst(`The NATO summit ended in confusion on Thursday as leaders gave conflicting accounts of what they had agreed on spending.`)] },
    ],
  },
  {
    id: 'cave-found',
    published: t('07-02 17:30'),
    dateline: 'CHIANG RAI',
    sentences: [
      `Twelve boys and their football coach missing for more than a week in a flooded cave in northern Thailand have been found alive, officials said on Monday.`,
      `Two British divers found the group on a rocky ledge several kilometres inside the Tham Luang cave, where they had sheltered from rising water.`,
      `The provincial governor said rescuers would now focus on getting food, medicine and doctors to the boys.`,
      `Relatives who had waited at the cave entrance since 23 June cheered at the news.`,
      `Officials warned that bringing the group out could take a long time because some of the boys cannot swim.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Missing Thai boys and coach found alive in flooded cave`, after: 0 },
      { source: 'lakeside-gazette', title: `'They are alive': boys found after nine days in Thai cave`, after: 70, edits: [dateline, swap('cheered at', 'cheered and embraced at')] },
      { source: 'baltic-ledger', title: `Thai cave: British divers find football team on rock ledge`, after: 180, edits: [trimLast, swap('found alive', 'found safe')] },
    ],
  },
  {
    id: 'cave-diver-dies',
    published: t('07-06 06:20'),
    dateline: 'MAE SAI',
    sentences: [
      `A former Thai navy diver died early on Friday while taking air tanks into the flooded cave where twelve boys and their coach are trapped, officials said.`,
      `The volunteer lost consciousness on his way back from placing the tanks and could not be revived by his dive partner.`,
      `His death showed the dangers of bringing the group out through narrow, submerged passages with almost no visibility.`,
      `The head of the navy's special forces said the rescue would go on.`,
      `Oxygen levels inside the cave have been falling.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Former Thai navy diver dies in cave rescue effort`, after: 0 },
      { source: 'northsea-courier', title: `Volunteer diver dies taking air to trapped Thai boys`, after: 35, edits: [dateline] },
      { source: 'meridian-post', title: `Thai cave rescue: ex-navy diver dies as oxygen levels fall`, after: 80, edits: [swap('would go on', 'would continue')] },
      { source: 'riverbend-daily', title: `Death of rescuer shows perils of Thai cave operation`, after: 200, edits: [lede(`The risks facing the rescuers in northern Thailand became painfully clear on Friday.`), trimLast] },
    ],
  },
  {
    id: 'cave-rescue-begins',
    published: t('07-08 13:50'),
    dateline: 'MAE SAI',
    sentences: [
      `Four of the twelve boys trapped in a flooded cave in northern Thailand were brought out on Sunday, the first day of a risky operation to rescue the team and their coach.`,
      `Divers guided each boy through dark, flooded passages, some so narrow that they had to take off their air tanks to squeeze through.`,
      `Ambulances and a helicopter took the boys to hospital in Chiang Rai.`,
      `The head of the operation said divers needed at least ten hours to restock air supplies before the next attempt.`,
      `The other eight boys and their coach are still inside.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Four boys brought out of Thai cave on first day of rescue`, after: 0 },
      { source: 'northsea-courier', title: `Thai cave rescue: first four boys freed`, after: 20, edits: [dateline, swap('risky', 'perilous')] },
      { source: 'baltic-ledger', title: `Four boys out, eight to go: Thai cave rescue pauses for air`, after: 65, edits: [swap('restock', 'replace')] },
      { source: 'harbour-times', title: `First boys rescued from Thai cave as divers race the rain`, after: 140, edits: [ownFirst(`Four boys have been rescued from the flooded Tham Luang cave in Thailand as divers race against forecast monsoon rain.`)] },
    ],
  },
  {
    id: 'cave-rescue-complete',
    published: t('07-10 12:40'),
    dateline: 'MAE SAI',
    sentences: [
      `All twelve boys and their football coach have been brought out of the flooded cave in northern Thailand, ending an ordeal that lasted more than two weeks.`,
      `The last five were rescued on Tuesday by an international team of divers.`,
      `The Thai navy's special forces, who led the operation, said on social media they were not sure whether it was a miracle, science or something else.`,
      `Officials said the boys rescued earlier were in good health but would stay in hospital for observation.`,
      `Crowds in Chiang Rai cheered as the ambulances passed.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `All 12 boys and coach rescued from Thai cave`, after: 0 },
      { source: 'northsea-courier', title: `Thai cave rescue complete: all 13 out alive`, after: 15, edits: [dateline] },
      { source: 'meridian-post', title: `'Miracle, science or what?' Last of Thai football team freed`, after: 55, edits: [swap('ordeal', 'ordeal underground'), trimLast] },
      { source: 'lakeside-gazette', title: `Joy as final boys and coach are brought out of Thai cave`, after: 240, edits: [lede(`There was relief around the world on Tuesday as the long rescue in northern Thailand came to an end.`), trimLast] },
    ],
  },
  {
    id: 'davis-resigns',
    published: t('07-08 22:30'),
    dateline: 'LONDON',
    sentences: [
      `David Davis resigned as Britain's Brexit secretary late on Sunday, saying he could not support the plan for leaving the European Union agreed by the cabinet two days earlier.`,
      `In his letter to Prime Minister Theresa May, Davis said the proposals gave too much away.`,
      `The plan, agreed at the prime minister's country residence at Chequers on Friday, would keep Britain close to EU rules on goods.`,
      `His deputy, Steve Baker, also resigned.`,
      `May thanked Davis but said she did not agree with his view of the policy.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Brexit secretary David Davis resigns over May's plan`, after: 0 },
      { source: 'meridian-post', title: `David Davis quits as Brexit secretary`, after: 20, edits: [dateline] },
      { source: 'harbour-times', title: `Brexit blow for May as Davis walks out`, after: 60, edits: [swap('gave too much away', 'gave away too much'), trimLast] },
      { source: 'riverbend-daily', title: `Davis resignation throws May's Brexit plan into doubt`, after: 110, section: 'world', edits: [lede(`Theresa May's Brexit plan was thrown into doubt on Sunday night.`)] },
    ],
  },
  {
    id: 'johnson-resigns',
    published: t('07-09 14:20'),
    dateline: 'LONDON',
    sentences: [
      `Boris Johnson resigned as Britain's foreign secretary on Monday, the second senior minister to quit within a day in protest at Prime Minister Theresa May's Brexit strategy.`,
      `Downing Street announced his departure in a short statement and said a replacement would be named soon.`,
      `His exit came hours after David Davis quit as Brexit secretary and was replaced by the housing minister, Dominic Raab.`,
      `The resignations have deepened divisions in the Conservative Party over how close Britain should stay to the EU.`,
      `May was due to defend her plan in parliament later on Monday.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Boris Johnson resigns as UK foreign secretary`, after: 0 },
      { source: 'northsea-courier', title: `Johnson quits, deepening May's Brexit crisis`, after: 10, section: 'uk', edits: [dateline, swap('short statement', 'brief statement')] },
      { source: 'baltic-ledger', title: `Second UK minister resigns over Brexit plan`, after: 75, edits: [trimLast] },
      { source: 'lakeside-gazette', title: `Foreign secretary Boris Johnson steps down`, after: 160, edits: [ownFirst(`Boris Johnson has resigned as foreign secretary, the second cabinet minister to walk out over the prime minister's Brexit plan in less than a day.`)] },
    ],
  },
  {
    id: 'amesbury-death',
    published: t('07-08 21:10'),
    dateline: 'SALISBURY',
    sentences: [
      `A woman who was exposed to the nerve agent Novichok in the English town of Amesbury has died in hospital, police said on Sunday evening.`,
      `Counter-terrorism officers have opened a murder investigation.`,
      `The 44-year-old fell ill on 30 June along with her partner, who remains in a critical condition.`,
      `The pair were taken ill a few miles from Salisbury, where a former Russian spy and his daughter were poisoned with the same substance in March.`,
      `Police said they still did not know how the couple came into contact with it.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Woman exposed to Novichok in Amesbury dies`, after: 0 },
      { source: 'northsea-courier', title: `Amesbury Novichok victim dies as police open murder inquiry`, after: 30, section: 'uk', edits: [dateline] },
      { source: 'harbour-times', title: `Murder investigation after Novichok poisoning death`, after: 600, edits: [swap('taken ill', 'found ill'), trimLast] },
    ],
  },
  {
    id: 'helsinki-summit',
    published: t('07-16 16:40'),
    dateline: 'HELSINKI',
    sentences: [
      `President Donald Trump declined on Monday to side with American intelligence agencies over Russia's interference in the 2016 election, after two hours of private talks with President Vladimir Putin.`,
      `At a joint news conference, Trump said Putin had been extremely strong and powerful in his denial and that he saw no reason why Russia would have done it.`,
      `Putin said he had wanted Trump to win because he had talked of better relations with Moscow.`,
      `Both called the meeting useful.`,
      `Several Republican lawmakers criticised the president within hours.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Trump sides with Putin over election meddling at Helsinki summit`, after: 0 },
      { source: 'meridian-post', title: `Helsinki summit: Trump backs Putin denial over US agencies`, after: 30, edits: [dateline, swap('useful', 'a good start')] },
      { source: 'baltic-ledger', title: `In Helsinki, Trump and Putin pledge a new start`, after: 45, edits: [lede(`The meeting that Baltic governments had dreaded took place in Helsinki on Monday, and it went much as they had feared.`), trimLast] },
      { source: 'riverbend-daily', title: `Trump questions own intelligence agencies after Putin talks`, after: 190, edits: [trimLast] },
    ],
  },
  {
    id: 'helsinki-misspoke',
    published: t('07-17 20:30'),
    dateline: 'WASHINGTON',
    sentences: [
      `President Donald Trump said on Tuesday that he had misspoken at his news conference with Vladimir Putin and accepted his intelligence agencies' finding that Russia meddled in the 2016 election.`,
      `He said he had meant to say he saw no reason why it wouldn't be Russia, not why it would.`,
      `He added that other people could also have been involved.`,
      `The statement followed a day of criticism from lawmakers in both parties.`,
      `Democrats said the clarification came too late.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Trump says he misspoke on Russian meddling`, after: 0 },
      { source: 'northsea-courier', title: `'Would' or 'wouldn't': Trump walks back Helsinki remarks`, after: 50, edits: [dateline, trimLast] },
      { source: 'harbour-times', title: `Trump accepts intelligence findings after Putin summit outcry`, after: 620, edits: [swap('a day of criticism', 'a day of fierce criticism')] },
    ],
  },
  {
    id: 'world-cup-final',
    published: t('07-15 17:20'),
    dateline: 'MOSCOW',
    sentences: [
      `France won the World Cup for the second time on Sunday, beating Croatia 4-2 in an eventful final at the Luzhniki Stadium.`,
      `An own goal by Mario Mandzukic put France ahead, Ivan Perisic equalised, and Antoine Griezmann restored the lead with a penalty awarded after a video review.`,
      `Paul Pogba and Kylian Mbappe scored in the second half before Mandzukic pulled one back.`,
      `Didier Deschamps became the third man to win the trophy as a player and as a coach.`,
      `Croatia were playing their first final.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `France beat Croatia 4-2 to win World Cup`, after: 0 },
      { source: 'northsea-courier', title: `France are champions again after six-goal thriller`, after: 20, section: 'sport', edits: [dateline] },
      { source: 'baltic-ledger', title: `Les Bleus lift the trophy in Moscow`, after: 70, edits: [swap('eventful', 'dramatic'), trimLast] },
      { source: 'harbour-times', title: `Mbappe and Pogba on target as France beat brave Croatia`, after: 125, edits: [ownFirst(`France are world champions for the second time after a thrilling 4-2 win over Croatia in Moscow on Sunday.`)] },
    ],
  },
  {
    id: 'croatia-england',
    published: t('07-11 21:10'),
    dateline: 'MOSCOW',
    sentences: [
      `Croatia reached the World Cup final for the first time on Wednesday, beating England 2-1 after extra time.`,
      `Kieran Trippier put England ahead with a free kick in the fifth minute, but Ivan Perisic equalised midway through the second half.`,
      `Mario Mandzukic scored the winner in the 109th minute after a lapse in the England defence.`,
      `Croatia will meet France in the final on Sunday.`,
      `England, in their first semi-final since 1990, will play Belgium for third place.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Croatia beat England to reach first World Cup final`, after: 0 },
      { source: 'northsea-courier', title: `England's World Cup dream ends in extra-time defeat`, after: 10, section: 'sport', edits: [dateline, swap('lapse in', 'mistake in')] },
      { source: 'harbour-times', title: `Heartbreak for England as Croatia win semi-final`, after: 35, edits: [trimLast] },
      { source: 'riverbend-daily', title: `Mandzukic sends Croatia into the final`, after: 90, section: 'world', edits: [lede(`It was not to be for Gareth Southgate's young side.`), trimLast] },
    ],
  },
  {
    id: 'sweden-fires',
    published: t('07-18 10:15'),
    dateline: 'STOCKHOLM',
    sentences: [
      `Sweden is fighting dozens of wildfires, some inside the Arctic Circle, after weeks of unusually hot and dry weather, its emergency agency said on Wednesday.`,
      `The government has asked other European countries for help, and water-bombing planes from Italy and Norway have joined the effort.`,
      `Several villages in central Sweden have been evacuated.`,
      `Forecasters said there was little rain in sight.`,
      `Barbecues and open fires have been banned across much of the country.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Sweden battles dozens of wildfires as heatwave grips Scandinavia`, after: 0 },
      { source: 'baltic-ledger', title: `Sweden calls in foreign planes to fight forest fires`, after: 25, edits: [dateline] },
      { source: 'northsea-courier', title: `Wildfires rage inside the Arctic Circle`, after: 85, edits: [swap('dozens of wildfires', 'more than 40 wildfires'), trimLast] },
      { source: 'meridian-post', title: `Sweden evacuates villages as fires spread`, after: 170, edits: [lede(`Scandinavia's long hot summer has turned dangerous.`)] },
    ],
  },
  {
    id: 'japan-floods',
    published: t('07-09 05:30'),
    dateline: 'TOKYO',
    sentences: [
      `The death toll from floods and landslides in western Japan rose above 100 on Monday, making it the country's worst weather disaster in decades.`,
      `Dozens of people were still missing after days of torrential rain burst rivers and buried homes under mud.`,
      `Prime Minister Shinzo Abe said rescuers were working around the clock and cancelled a planned foreign trip.`,
      `Hiroshima and Okayama prefectures were among the worst hit.`,
      `Millions of residents had been told to leave their homes at the height of the rain.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `Japan flood death toll passes 100`, after: 0 },
      { source: 'meridian-post', title: `Japan floods: dozens missing as rescuers dig through mud`, after: 45, edits: [dateline, trimLast] },
      { source: 'northsea-courier', title: `Abe cancels foreign trip as floods kill more than 100`, after: 100, edits: [swap('torrential rain', 'torrential downpours')] },
    ],
  },
  {
    id: 'russian-officers-charged',
    published: t('07-13 16:50'),
    dateline: 'WASHINGTON',
    sentences: [
      `Twelve Russian military intelligence officers were charged on Friday with hacking Democratic Party computers and Hillary Clinton's campaign during the 2016 election.`,
      `The indictment, brought by special counsel Robert Mueller, was announced by Deputy Attorney General Rod Rosenstein.`,
      `Prosecutors say the officers stole emails and documents and released them online under invented names.`,
      `The charges came three days before President Donald Trump was due to meet Vladimir Putin in Helsinki.`,
      `Russia denies any interference.`,
    ],
    copies: [
      { source: 'gpw-wire', title: `US charges 12 Russian intelligence officers with election hacking`, after: 0 },
      { source: 'baltic-ledger', title: `Mueller indicts Russian officers days before Helsinki summit`, after: 60, edits: [dateline] },
      { source: 'meridian-post', title: `Russian agents charged over 2016 Democratic hacks`, after: 90, edits: [swap('stole emails', 'stole thousands of emails'), trimLast] },
      { source: 'riverbend-daily', title: `Twelve Russians charged in hacking inquiry`, after: 260, edits: [ownFirst(`A federal grand jury has charged twelve Russian intelligence officers over the hacking of Democratic Party computers in 2016.`)] },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Articles linked by other feeds (kind 'url'): the original in its outlet's feed, then the copies.

const URL_GROUPS: FixtureItem[][] = [
  urlGroup(
    {
      id: 'chequers-press-conference', source: 'northsea-courier', section: 'uk', published: t('07-13 15:30'),
      title: `Trump softens tone at Chequers after interview row`,
      text: `Donald Trump tried to repair relations with Theresa May on Friday, describing the bond between Britain and the United States as the highest level of special at a joint press conference at Chequers. Hours earlier a newspaper had published an interview in which the president criticised her Brexit plan and praised Boris Johnson. Trump called the report fake news, although the paper released a recording. May said the two had agreed to pursue an ambitious trade deal after Britain leaves the EU.`,
    },
    [
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'press-review')], after: 870 },
      { source: 'newsfold', link: [ampSuffix], after: 25 },
      { source: 'sharewall', link: [fbclid('chequers-press-conference')], after: 190 },
    ],
  ),
  urlGroup(
    {
      id: 'baby-balloon', source: 'northsea-courier', section: 'uk', published: t('07-13 10:05'),
      title: `Giant Trump balloon flies over Westminster as protesters gather`,
      text: `A six-metre inflatable showing Donald Trump as a baby in a nappy rose above Parliament Square on Friday morning as thousands of people prepared to march through central London against the president's visit. Organisers paid for the balloon through crowdfunding after City Hall agreed it could fly for two hours. Police said the protests were largely peaceful. The president was at Chequers, some forty miles away, and was not expected to see them.`,
    },
    [
      { source: 'sharewall', link: [fbclid('baby-balloon')], after: 45 },
      { source: 'newsfold', link: [http, noWww], after: 15 },
    ],
  ),
  urlGroup(
    {
      id: 'baltic-drought', source: 'baltic-ledger', published: t('07-16 06:00'),
      title: `Baltic farmers count losses as drought shrivels crops`,
      text: `Grain farmers in Latvia, Lithuania and Estonia are warning of one of the worst harvests in decades after a spring and early summer with barely any rain. In parts of Latvia, wheat and barley yields could be half those of a normal year, and some farmers have started cutting crops early for animal feed. Agriculture ministers are expected to ask Brussels for emergency support and for subsidies to be paid early. Cattle farmers face a separate problem: with pastures burnt brown, hay is selling at prices not seen for years.`,
    },
    [
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'press-review')], after: 1410 },
      { source: 'newsfold', link: [gclid('baltic-drought')], after: 40 },
    ],
  ),
  urlGroup(
    {
      id: 'nato-readiness', source: 'baltic-ledger', published: t('07-11 17:45'),
      title: `Baltic leaders welcome NATO readiness pledge despite summit tension`,
      text: `The presidents of Estonia, Latvia and Lithuania said on Wednesday that the decisions taken at the NATO summit would make the alliance's eastern flank safer, whatever the public quarrels over money. Leaders endorsed a plan to have 30 battalions, 30 air squadrons and 30 warships ready to deploy within 30 days. They also agreed on two new commands to move troops and equipment across Europe faster. Lithuania's president said the row over budgets should not hide what had been achieved.`,
    },
    [
      { source: 'sharewall', link: [fbclid('nato-readiness')], after: 120 },
      { source: 'newsfold', link: [ampHost], after: 30 },
    ],
  ),
  urlGroup(
    {
      id: 'ferry-extra-sailings', source: 'harbour-times', published: t('07-14 08:30'),
      title: `Ferry operator adds sailings as heatwave crowds head for the islands`,
      text: `Holidaymakers queued for more than two hours at the harbour on Saturday morning as the hot weather drew record numbers to the island ferries. The operator has added four extra return sailings a day until the end of the month and will put a second vessel on the busiest route. Harbour master Ellen Pryce asked drivers not to leave cars on the quay road, where parked vehicles blocked emergency access twice this week. Passengers are advised to bring water: the kiosk sold out by ten o'clock.`,
    },
    [
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'local')], after: 1290 },
      { source: 'newsfold', link: [mobileHost], after: 55 },
    ],
  ),
  urlGroup(
    {
      id: 'seafront-big-screen', source: 'harbour-times', published: t('07-11 22:40'),
      title: `Hundreds pack seafront for semi-final on big screen`,
      text: `More than 800 people watched England's World Cup semi-final against Croatia on a big screen on the seafront on Wednesday evening, many arriving hours before kick-off to claim a patch of grass. The council had doubled the number of stewards after last weekend's quarter-final, when the crowd spilled onto the promenade. The mood turned quiet after Croatia's winner in extra time, but police reported no arrests. Volunteers spent the night clearing litter from the beach.`,
    },
    [{ source: 'sharewall', link: [fbclid('seafront-big-screen')], after: 600 }],
  ),
  urlGroup(
    {
      id: 'white-paper-published', source: 'meridian-post', published: t('07-12 14:20'),
      title: `Government publishes long-awaited Brexit white paper`,
      text: `The government set out its plan for Britain's future relationship with the European Union on Thursday, proposing a free trade area for goods and a new customs arrangement. Britain would follow a common rulebook for goods and farm products, while services, most of the economy, could diverge. The new Brexit secretary, Dominic Raab, presented the paper to parliament, where the sitting was briefly suspended because members had not received copies. Pro-Brexit Conservatives said the plan kept the country too close to Brussels.`,
    },
    [
      { source: 'newsfold', link: [slashToggle], after: 20 },
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'press-review')], after: 940 },
    ],
  ),
  urlGroup(
    {
      id: 'kavanaugh-nominated', source: 'meridian-post', published: t('07-10 01:40'),
      title: `Trump picks Brett Kavanaugh for Supreme Court`,
      text: `President Donald Trump on Monday night nominated Brett Kavanaugh, a federal appeals judge in Washington, to the Supreme Court seat left by the retirement of Justice Anthony Kennedy. In a televised address from the White House, Trump called the 53-year-old a brilliant jurist with impeccable credentials. If the Senate confirms him, Kavanaugh would be expected to give conservatives a firmer majority on the nine-member court for years. Democrats vowed to fight the nomination.`,
    },
    [{ source: 'newsfold', link: [ampQuery], after: 35 }],
  ),
  urlGroup(
    {
      id: 'riverside-path', source: 'riverbend-daily', section: 'local', published: t('07-12 16:00'),
      title: `Council backs riverside path after decade of campaigning`,
      text: `Riverbend councillors have approved a two-mile walking and cycling path along the east bank of the river, linking the town centre with the country park at Millbrook. Campaigners have asked for the route since 2008, when part of the old towpath collapsed and was fenced off. The scheme will cost about 1.9 million pounds, mostly from a regional transport fund, and work should start in the spring. Residents of Wharf Lane objected to losing parking, and the plans were changed to keep twelve spaces.`,
    },
    [
      { source: 'newsfold', link: [mobileHost], after: 50 },
      { source: 'sharewall', link: [mobileHost, fbclid('riverside-path')], after: 210 },
    ],
  ),
  urlGroup(
    {
      id: 'hosepipe-ban', source: 'riverbend-daily', section: 'local', published: t('07-17 11:15'),
      title: `Hosepipe ban to start next week as reservoirs fall`,
      text: `Riverbend Water will bring in a hosepipe ban for about 400,000 customers from next Friday, after one of the driest early summers on record left its reservoirs at just over half their usual level. The company said the restriction would protect supplies for homes and hospitals if the dry weather lasts into August. Customers may not use hosepipes to water gardens or fill paddling pools, and anyone ignoring the ban could be fined up to 1,000 pounds. The company was criticised last year for losing a fifth of its water through leaks.`,
    },
    [
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'local')], after: 1125 },
      { source: 'newsfold', link: [http, slashToggle], after: 30 },
    ],
  ),
  urlGroup(
    {
      id: 'summer-fair-cancelled', source: 'lakeside-gazette', published: t('07-13 12:00'),
      title: `Lakeside summer fair called off over grass fire risk`,
      text: `The Lakeside summer fair, due to be held on the common next weekend, has been cancelled because of the risk of grass fires, organisers said on Friday. The fire service advised against the event after crews were called to three fires on the common in a fortnight, one of them metres from the children's play area. The fair committee said it was heartbroken but safety came first. Stallholders will be offered a refund or a pitch at the autumn market, and the dog show moves to the cricket club.`,
    },
    [
      { source: 'sharewall', link: [fbclid('summer-fair-cancelled'), fragment('comments')], after: 95 },
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'local')], after: 1080 },
    ],
  ),
  urlGroup(
    {
      id: 'lifeguards-warn', source: 'lakeside-gazette', published: t('07-20 09:30'),
      title: `Lifeguards warn swimmers after three rescues in a week`,
      text: `Volunteer lifeguards at Lakeside have helped three swimmers out of difficulty in the past week as the heatwave brought crowds to the lake. All three had swum beyond the marker buoys, where the water is far colder and deeper than it looks from the shore. The lifeguard club's chairman said cold water shock could overwhelm strong swimmers within minutes and urged people to stay in the supervised area. The club, which relies on donations, is also looking for volunteers for weekday afternoons.`,
    },
    [{ source: 'newsfold', link: [http, addWww], after: 65 }],
  ),
  urlGroup(
    {
      id: 'nord-stream-after-brussels', source: 'fjordwatch', published: t('07-12 07:15'),
      title: `Nord Stream 2 after Brussels: what the breakfast outburst changes`,
      text: `Short answer: less than the headlines suggest. The pipeline has its German permits, pipe-laying has begun in German waters, and the open question is whether Denmark will approve a route through its territorial sea. What the NATO breakfast did change is the political price for Berlin, which must now defend a commercial project as a matter of alliance loyalty. Expect more pressure on Copenhagen and more talk in Washington of sanctions on the companies laying the pipe. The gas will probably still flow, just later and with more lawyers.`,
    },
    [
      { source: 'euro-blogroll', link: [utm('euro-blogroll', 'rss', 'blogroll')], after: 45 },
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'press-review')], after: 1335 },
    ],
  ),
  urlGroup(
    {
      id: 'customs-chapter', source: 'capital-notes', published: t('07-13 08:00'),
      title: `The customs chapter of the white paper, in plain English`,
      text: `The most important idea in the new white paper is also the hardest to explain, so let me try. Under the facilitated customs arrangement, Britain would charge the EU's tariffs on goods heading for the EU and its own tariffs on goods staying here, with refunds where the two differ. Nobody has built a system like this, and the paper admits it would take years. Brussels has already turned down a similar idea once, which is why the chapter reads as if written for two audiences at once.`,
    },
    [{ source: 'euro-blogroll', link: [utm('euro-blogroll', 'rss', 'blogroll')], after: 75 }],
  ),
  urlGroup(
    {
      id: 'lapland-heat', source: 'heatmap-diary', published: t('07-19 06:45'),
      title: `How Lapland got hotter than Rome`,
      text: `Several readers have asked how northern Finland and Norway can be warmer this week than much of the Mediterranean. The answer is a stubborn ridge parked over Scandinavia since May, which keeps cloud away, lets the long Arctic days bake the ground, and steers rain-bearing systems around rather than through. Stations well inside the Arctic Circle have logged more than 30 degrees. None of this is unheard of on its own; the length of the spell is what stands out.`,
    },
    [
      { source: 'euro-blogroll', link: [utm('euro-blogroll', 'rss', 'blogroll')], after: 50 },
      { source: 'morning-digest', link: [slashToggle, utm('morningdigest', 'email', 'press-review')], after: 1395 },
    ],
  ),
  urlGroup(
    {
      id: 'final-report', source: 'northsea-courier', section: 'sport', published: t('07-15 18:10'),
      title: `France win a chaotic final to become world champions for the second time`,
      text: `It was the highest-scoring World Cup final since 1966, and for long spells Croatia looked the better side. Zlatko Dalic's team pressed France back from the start, and only an own goal and a penalty given after a video review put Didier Deschamps' side ahead at half-time. After the break, France's speed on the counter-attack decided it, and Kylian Mbappe, only 19, became the first teenager to score in a final since Pele. Not even a pitch invasion by protesters early in the second half unsettled them.`,
    },
    [
      { source: 'newsfold', link: [ampHost], after: 20 },
      { source: 'sharewall', link: [fragment('comments'), fbclid('final-report')], after: 300 },
    ],
  ),
  urlGroup(
    {
      id: 'helsinki-lockdown', source: 'baltic-ledger', published: t('07-15 09:20'),
      title: `Helsinki locks down city centre ahead of Trump-Putin meeting`,
      text: `Finnish police closed streets around the presidential palace and the harbour on Sunday as Helsinki prepared for the first formal summit between Donald Trump and Vladimir Putin. Around 2,000 officers are on duty, some brought in from across the country, and airspace over the capital is restricted. Finland has hosted superpower meetings before, in 1975 and 1990 among others, and officials say the city knows the routine. Several protests are planned for the afternoon, including a march for human rights and press freedom.`,
    },
    [
      { source: 'newsfold', link: [ampPrefix], after: 35 },
      { source: 'morning-digest', link: [utm('morningdigest', 'email', 'press-review')], after: 1240 },
    ],
  ),
  urlGroup(
    {
      id: 'pupils-letters', source: 'riverbend-daily', section: 'local', published: t('07-12 13:30'),
      title: `Riverbend pupils send letters to rescued Thai footballers`,
      text: `Children at St Anne's Primary School in Riverbend have written more than 200 letters and drawings for the young footballers rescued from a flooded cave in Thailand. The idea came from a Year 5 pupil who followed the rescue every evening with his grandfather. Teachers used the story in lessons on geography, teamwork and water safety, and the school's under-11 team recorded a video message. The letters will go to the Thai embassy in London, which has promised to pass them on.`,
    },
    [{ source: 'sharewall', link: [noWww, slashToggle], after: 140 }],
  ),
  urlGroup(
    {
      id: 'republicans-break-ranks', source: 'meridian-post', published: t('07-16 23:50'),
      title: `Republicans break ranks over Trump's Helsinki performance`,
      text: `Senior Republicans in Congress criticised President Donald Trump on Monday over his remarks alongside Vladimir Putin, one of the sharpest breaks with the White House since he took office. The Speaker of the House said there was no question Russia had interfered in the election, and the Senate majority leader said the Russians were not America's friends. One senator called the news conference among the most disgraceful performances by a president in memory. Some lawmakers urged new sanctions, but leaders promised no vote.`,
    },
    [{ source: 'newsfold', link: [slashToggle], after: 25 }],
  ),
];

// ---------------------------------------------------------------------------------------------
// One entry in several feeds under one global guid (kind 'guid').

const CHEQUERS_FIRST_THOUGHTS: Article = {
  id: 'chequers-first-thoughts', source: 'capital-notes', published: t('07-07 08:15'),
  title: `Chequers: first thoughts (updated with the full statement)`,
  text: `The cabinet emerged from Chequers last night with an agreed position, which is more than many expected. The three-page statement commits to a free trade area for goods with a common rulebook, a facilitated customs arrangement, and an end to free movement. Read closely, it is softer than anything the prime minister has said in public so far. The real tests come next: whether Brussels accepts a deal that separates goods from services, and whether the ministers who signed up on Friday are still in post next week.`,
  slug: 'chequers-first-thoughts',
};

const MERKEL_RESPONDS: Article = {
  id: 'merkel-responds', source: 'northsea-courier', section: 'world', published: t('07-11 12:30'),
  title: `Merkel: Germany makes its own decisions`,
  text: `Angela Merkel answered Donald Trump's attack on her country's energy policy by recalling that she grew up in the part of Germany controlled by the Soviet Union. Arriving at the NATO summit on Wednesday, the chancellor said she was glad that Germany was now united in freedom and could therefore make its own policies and decisions. She did not mention the president by name. The two leaders later held a short meeting, after which both described their relationship as very good.`,
  // The CMS keeps the slug of the first headline.
  slug: 'merkel-hits-back-at-trump-over-russia-jibe',
};

const GUID_GROUPS: FixtureItem[][] = [
  // Northsea Courier: the main feed and the world section feed share permalink guids.
  guidGroup(MERKEL_RESPONDS, ['northsea-courier-world'], {
    // The section feed was polled before the headline was changed.
    'northsea-courier-world': { title: `Merkel hits back at Trump over Russia jibe` },
  }),
  guidGroup({
    id: 'macedonia-invited', source: 'northsea-courier', section: 'world', published: t('07-11 16:00'),
    title: `Nato invites Macedonia to start membership talks`,
    text: `NATO leaders formally invited Macedonia on Wednesday to begin talks on joining the alliance, weeks after Skopje and Athens agreed to settle their long dispute over the country's name. Under that deal, the former Yugoslav republic is to become the Republic of North Macedonia, if both parliaments and a referendum in Macedonia approve. Greece had blocked its membership for a decade because of the name. The secretary general said the door remained open to any country that met the alliance's standards.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'boys-in-hospital', source: 'northsea-courier', section: 'world', published: t('07-11 14:10'),
    title: `First pictures show rescued Thai boys recovering in hospital`,
    text: `Health officials in Chiang Rai released video on Wednesday of the boys rescued from the Tham Luang cave sitting up in hospital beds, some in face masks, waving at the camera. Parents have seen them through a glass window and will be allowed to hug them once tests for infection come back clear, doctors said. Each boy lost about two kilograms underground, but all were in good spirits. They are expected to stay in hospital for around a week.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'moscow-eve-of-final', source: 'northsea-courier', section: 'world', published: t('07-14 15:40'),
    title: `Moscow fills up with fans on the eve of the World Cup final`,
    text: `The streets around Red Square were crowded on Saturday with supporters of France and Croatia, many of whom had travelled without tickets just to be in the city for the final. Croatian fans in their red and white checked shirts held impromptu concerts on Nikolskaya Street, while the French gathered near the Bolshoi Theatre. Russian organisers said the tournament had passed without serious trouble and that the fan zones would stay open late on Sunday. About 78,000 people are expected at the stadium.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'why-finland', source: 'northsea-courier', section: 'world', published: t('07-16 06:00'),
    title: `Why Finland keeps hosting the superpowers`,
    text: `When Donald Trump and Vladimir Putin sit down in Helsinki's presidential palace today, they follow Gerald Ford and Leonid Brezhnev in 1975, and George Bush and Mikhail Gorbachev in 1990. Finland's position between East and West, its careful neutrality during the Cold War and its experienced security services make it a natural venue. Finnish officials are quick to add that the country is now firmly part of the European Union and works closely with NATO, even though it has not joined.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'arctic-heat-records', source: 'northsea-courier', section: 'world', published: t('07-18 13:00'),
    title: `Heat records broken inside the Arctic Circle`,
    text: `Weather stations in northern Norway, Sweden and Finland recorded temperatures above 30C this week, far above the seasonal average, as the heatwave tightened its grip on northern Europe. Reindeer herders in Lapland reported animals crowding into the shade of bridges, and several Finnish towns opened cool rooms for elderly residents. Meteorologists blamed a persistent high that has blocked the usual flow of cooler Atlantic air. Further south, Latvia and Sweden are dealing with forest fires and failing crops.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'abe-flood-zone', source: 'northsea-courier', section: 'world', published: t('07-11 06:45'),
    title: `Japan's prime minister visits flood zone as death toll climbs`,
    text: `Shinzo Abe visited evacuation centres in Okayama prefecture on Wednesday, where thousands of people have spent nearly a week sleeping on gym floors since the floods. The prime minister promised faster aid and said reserve funds would pay to rebuild roads and homes. Officials say more than 170 people have died, and rescuers are still searching for dozens of missing. With temperatures now above 30C, health workers fear heatstroke among volunteers and evacuees.`,
  }, ['northsea-courier-world']),
  guidGroup({
    id: 'google-android-fine', source: 'northsea-courier', section: 'world', published: t('07-18 15:20'),
    title: `EU fines Google record €4.3bn over Android`,
    text: `The European Commission fined Google 4.34 billion euros on Wednesday, saying it had abused the dominance of its Android mobile operating system to entrench its search engine. The competition commissioner, Margrethe Vestager, said Google had required phone makers to pre-install its search app and browser as a condition of licensing its app store. The company has 90 days to change its practices or face further penalties. Google said it would appeal.`,
  }, ['northsea-courier-world']),

  // Fjordwatch (WordPress, ?p= guids): the main feed, the energy category feed, and a planet.
  guidGroup({
    id: 'captive-numbers', source: 'fjordwatch', published: t('07-11 19:30'),
    title: `'Captive' to Russia? The numbers behind Trump's gas claim`,
    text: `Is Germany really 70 percent dependent on Russian energy, as the president said this morning? Not on any measure I can find. Russia supplies somewhere between a third and a half of the gas Germany imports, depending on the year and how you count transit, and gas is about a quarter of German primary energy. Add Russian oil and coal and the share of total energy is still well below a third. The fair point buried in the claim is that Nord Stream 2 concentrates supply on one route. The unfair part is the arithmetic.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),
  guidGroup({
    id: 'boring-infrastructure', source: 'fjordwatch', published: t('07-13 18:00'),
    title: `Klaipeda, Swinoujscie and the case for boring infrastructure`,
    text: `Lithuania's floating gas terminal at Klaipeda arrived in 2014 to a chorus of complaints about its cost. Four years on it has done exactly what it was meant to do: give Vilnius a credible second supplier, which it used to win a lower price from Gazprom. Poland's terminal at Swinoujscie and the planned Baltic Pipe to Norway follow the same logic. None of these projects makes headlines, and that is the point. Energy security is mostly about having another option when someone turns a valve.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),
  guidGroup({
    id: 'nordic-power-prices', source: 'fjordwatch', published: t('07-17 07:00'),
    title: `A dry summer is pushing Nordic power prices up`,
    text: `Hydropower supplies about half of the electricity on the Nordic market, so a summer without rain shows up fast in prices. Reservoirs in Norway and Sweden are well below their seasonal average after a dry spring, and the spot price has been roughly double last year's for most of July. Generators are holding water back for winter, which keeps prices high now. Households on variable tariffs will notice in their autumn bills, and heavy industry is already asking about next year's contracts.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),
  guidGroup({
    id: 'fires-carbon-sums', source: 'fjordwatch', published: t('07-20 08:30'),
    title: `Forest fires and the carbon sums nobody likes to do`,
    text: `Swedish foresters like to say that a managed forest is a carbon sink, and over decades that is broadly true. A summer like this one is a reminder that the sink can burn. Some twenty thousand hectares have gone up in smoke across Sweden this month, releasing in days carbon stored over many years. Replanting will take it back eventually, but not on any timescale that matters for the 2030 targets. This is no argument against forestry, but it is one against counting every standing tree as a permanent store.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),
  guidGroup({
    id: 'renewables-target', source: 'fjordwatch', published: t('07-09 09:00'),
    title: `The EU's 32 percent renewables target, read closely`,
    text: `Last month's deal in Brussels sets a binding goal for renewables to cover 32 percent of the EU's final energy use by 2030, up from the 27 percent first proposed by the Commission. The headline matters less than the fine print: a review in 2023 that may raise the target but not lower it, new rights for households to produce and sell their own power, and a slow phase-out of palm oil in transport fuel. What the deal lacks is a binding target for each country, so enforcement is weaker than it looks.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),
  guidGroup({
    id: 'reactors-heatwave', source: 'fjordwatch', published: t('07-26 10:10'),
    title: `Why reactors slow down in a heatwave`,
    text: `Several reactors around the Baltic and in Germany have cut output this week, and one Swedish unit shut down for a few days. The reason is thermodynamics plus environmental law. Nuclear and coal plants cool themselves with sea or river water, and when that water is already warm they run less efficiently and may not discharge as much heat back into it. A warm July therefore means less power just as demand for cooling rises. New plants will have to assume that summers like this become common.`,
  }, ['fjordwatch-energy', 'planet-newsroom']),

  // Capital Notes (Blogger, tag: guids): the main feed, the Brexit label feed, and a planet.
  guidGroup(CHEQUERS_FIRST_THOUGHTS, ['capital-notes-brexit', 'planet-newsroom']),
  guidGroup({
    id: 'davis-goes', source: 'capital-notes', published: t('07-09 06:30'),
    title: `Davis goes, and the Chequers deal begins to wobble`,
    text: `David Davis's resignation letter is polite but pointed: he writes that the direction of policy makes it look less and less likely that Britain will really leave the customs union and single market. That is the argument many backbenchers will now make, with the authority of the man who was meant to negotiate the deal. His successor inherits a department sidelined by Downing Street for months. The question this morning is not whether there will be more resignations, but whose, and when.`,
  }, ['capital-notes-brexit', 'planet-newsroom']),
  guidGroup({
    id: 'foreign-secretaries-who-quit', source: 'capital-notes', published: t('07-10 07:00'),
    title: `A short history of foreign secretaries who quit`,
    text: `Boris Johnson is not the first foreign secretary to resign on a point of principle, though the list is shorter than you might think. Anthony Eden left in 1938 over Chamberlain's dealings with Mussolini. Lord Carrington went in 1982 after Argentina invaded the Falklands, taking the blame for a failure that was not his alone. Robin Cook quit the cabinet over Iraq in 2003, though by then he was Leader of the House. Johnson's letter, warning that Britain is headed for the status of a colony, belongs to another tradition.`,
  }, ['capital-notes-brexit', 'planet-newsroom']),
  guidGroup({
    id: 'white-paper-read-slowly', source: 'capital-notes', published: t('07-12 17:45'),
    title: `The white paper, read slowly`,
    text: `I have now been through the whole white paper on the future relationship, and three things stand out. First, financial services get a short and rather sad chapter that accepts a looser arrangement than the City wanted. Second, there is a genuinely new idea on mobility, a framework letting businesses move staff and students study abroad without recreating free movement. Third, the governance section gives the European Court of Justice a role in interpreting the common rulebook, which ministers will struggle to sell to their own benches.`,
  }, ['capital-notes-brexit', 'planet-newsroom']),
  guidGroup({
    id: 'chequers-annotated', source: 'capital-notes', published: t('07-13 20:10'),
    title: `Trump at Chequers: the press conference, annotated`,
    text: `A few notes on today's joint appearance, which was friendlier than the morning papers had led us to expect. The president's offer of a trade deal sounded generous, but his claim the night before that the white paper would kill any deal has been softened, not withdrawn. The prime minister was careful to say an agreement with Washington remains possible under her plan, the line officials have pushed all week. Watch the farm questions: chlorinated chicken will be back.`,
  }, ['planet-newsroom']),
  guidGroup({
    id: 'recess-bills', source: 'capital-notes', published: t('07-24 07:30'),
    title: `Summer recess and the Brexit bills left unfinished`,
    text: `Parliament rises today for the summer with more Brexit legislation waiting than passed. The customs and trade bills both survived narrow votes last week after the government accepted amendments from its own backbenchers, but the bills on agriculture, fisheries and immigration have barely started. Negotiators in Brussels will keep working through August. When MPs return in September they will have about six months before the leaving date, and a long list of statutory instruments to approve.`,
  }, ['planet-newsroom']),

  // Heatmap Diary (Ghost, urn:uuid guids): the planet hosts full copies on its own pages.
  guidGroup({
    id: 'blocking-high', source: 'heatmap-diary', published: t('07-16 05:30'),
    title: `A blocking high, explained with a traffic jam`,
    text: `Think of the jet stream as a motorway carrying weather systems from the Atlantic across Europe. In most summers the traffic flows, and a dry spell lasts a week before the next low brings rain. This year a large high has settled over Scandinavia like a broken-down lorry, and the lows must queue or detour far to the north and south. Beneath it the skies stay clear, the sun heats the ground day after day, and the soil dries out. Jams do clear eventually, but nobody can yet say when this one will.`,
  }, ['planet-newsroom']),
  guidGroup({
    id: 'what-counts-as-heatwave', source: 'heatmap-diary', published: t('07-20 05:45'),
    title: `What counts as a heatwave? It depends where you live`,
    text: `There is no single definition of a heatwave. Some national weather services use a fixed threshold, such as three days above 25 or 30 degrees. Others compare each day with the local average for the time of year, so a run of 27-degree days can count in Bergen but not in Seville. Health agencies often look at night-time temperatures too, because the body struggles to recover when nights stay warm. When reports compare heatwaves in different countries, they are often comparing different things.`,
  }, ['planet-newsroom']),
  guidGroup({
    id: 'dry-soil', source: 'heatmap-diary', published: t('07-12 05:50'),
    title: `Dry soil makes hot days hotter`,
    text: `One reason this summer's heat keeps building is the ground itself. When soil is moist, much of the sun's energy goes into evaporating water, which cools the surface. Once the soil dries out, that energy warms the ground and the air above it instead, so each sunny day starts from a higher baseline. Researchers call this a land-atmosphere feedback, and it helps explain why heatwaves after a dry spring tend to be worse. Brown lawns are not just a symptom of the heat; they are part of the mechanism.`,
  }, ['planet-newsroom']),
  guidGroup({
    id: 'japan-heat', source: 'heatmap-diary', published: t('07-24 06:10'),
    title: `Japan's heat emergency and who it hits`,
    text: `Japan recorded its highest temperature ever on Monday, 41.1 degrees in Kumagaya, north of Tokyo, and the consequences for health are already plain. Tens of thousands of people have been taken to hospital with heatstroke this month, many of them elderly and living alone without air conditioning. Schools have faced questions after a young pupil died following a class outing. Japan's population is the oldest in the world, which makes heat a public health issue as much as a weather story.`,
  }, ['planet-newsroom']),
  guidGroup({
    id: 'rapid-attribution', source: 'heatmap-diary', published: t('07-27 16:00'),
    title: `Can we blame climate change for this summer? What a rapid study says`,
    text: `A group of climate scientists this week published a quick analysis of the heat in northern Europe, based on weather stations in Ireland, the Netherlands, Denmark, Norway, Sweden and Finland. Their preliminary finding is that climate change made a summer like this at least twice as likely at most of the stations studied. Rapid studies are not yet peer reviewed and carry wide error bars. But the method has been tested on earlier events, and the direction of the result matches what physics leads you to expect.`,
  }, ['planet-newsroom']),
];

// ---------------------------------------------------------------------------------------------
// Hard negatives: the same headline on different articles (different outlets, different days).

function sameTitle(title: string, entries: Array<Omit<Article, 'title'>>): FixtureItem[] {
  return entries.map((e) => unique({ ...e, title }));
}

const LIVE_UPDATES = sameTitle('Live updates', [
  {
    id: 'live-nato-day1', source: 'northsea-courier', section: 'world', published: t('07-11 07:00'),
    text: `Follow the latest from the NATO summit in Brussels, where leaders gather today amid tension over defence spending. The president's motorcade has reached the alliance's new headquarters, and the first working session is due to start at 3pm local time. Our correspondents are at the venue and will bring you reaction from allied leaders throughout the day.`,
  },
  {
    id: 'live-helsinki', source: 'northsea-courier', section: 'world', published: t('07-16 09:00'),
    text: `We are following the meeting between Donald Trump and Vladimir Putin in Helsinki minute by minute. The Russian president's plane landed late, pushing back the start of the talks, which open with a one-to-one session attended only by interpreters. A joint news conference is expected in the afternoon. Reporters are posted outside the palace and at the press centre.`,
  },
  {
    id: 'live-nato-day2', source: 'baltic-ledger', published: t('07-12 07:30'),
    text: `Day two of the NATO summit begins with sessions on Afghanistan and on partner countries, and Baltic leaders are watching closely for any further remarks from Washington about the alliance's commitments. Our reporter in Brussels will post quotes and pictures through the morning. Refresh this page for the newest entries, and scroll down for yesterday's key moments.`,
  },
  {
    id: 'live-cave-final-day', source: 'riverbend-daily', published: t('07-10 06:30'),
    text: `Divers went back into the Tham Luang cave this morning for what officials hope is the final day of the rescue. Eight boys have been brought out so far; four more and their coach remain inside. Here is how the day unfolds, with updates from the cave site in northern Thailand and from the hospital in Chiang Rai where the first eight are being treated.`,
  },
  {
    id: 'live-final-seafront', source: 'harbour-times', published: t('07-15 13:30'),
    text: `Kick-off in Moscow is at 4pm our time, and we are following the World Cup final between France and Croatia right here, with the biggest crowd of the summer expected at the seafront screen. Send us your pictures from the fan zone and we will share the best. Team news, goals and reaction as they happen.`,
  },
  {
    id: 'live-resignations', source: 'meridian-post', published: t('07-09 11:00'),
    text: `The government is in turmoil after the Brexit secretary resigned overnight. We will bring you every development as the prime minister prepares to face parliament this afternoon, including reaction from Conservative backbenchers, the opposition benches and Brussels. All times are British Summer Time. Scroll down for the text of the resignation letter.`,
  },
]);

const MORNING_BRIEFINGS = sameTitle('Morning briefing', [
  {
    id: 'briefing-0709', source: 'northsea-courier', section: 'uk', published: t('07-09 05:30'),
    text: `Good morning. David Davis has resigned as Brexit secretary, saying he could not back the plan agreed at Chequers, and the prime minister faces a difficult week in parliament. Elsewhere, the death toll from floods in western Japan has risen sharply, and divers in Thailand have brought four of the trapped boys out of the cave. In sport, Wimbledon enters its second week.`,
  },
  {
    id: 'briefing-0710', source: 'northsea-courier', section: 'uk', published: t('07-10 05:30'),
    text: `Good morning. Boris Johnson's resignation has left Theresa May fighting to hold her government together, though no challenge to her leadership emerged last night. Eight of the Thai boys are now out of the cave, and divers go back in today for the rest. England prepare for Wednesday's semi-final against Croatia. And the weather: another hot, dry day almost everywhere.`,
  },
  {
    id: 'briefing-0712', source: 'northsea-courier', section: 'uk', published: t('07-12 05:30'),
    text: `Good morning. England's World Cup run is over after an extra-time defeat by Croatia in Moscow. NATO leaders meet for a second day in Brussels after a tense opening, and Donald Trump flies to Britain this afternoon for a four-day visit. The government publishes its Brexit white paper today. Temperatures could reach 30C in London.`,
  },
  {
    id: 'briefing-0713', source: 'meridian-post', published: t('07-13 06:00'),
    text: `Your start to Friday: the president is at Chequers today for talks with the prime minister, after a newspaper interview in which he attacked her Brexit approach. Tens of thousands of protesters are expected in London. In Washington, the Supreme Court nominee begins courtesy calls on senators. Plus the Wimbledon semi-finals, and a forecast that stays dry.`,
  },
  {
    id: 'briefing-0716', source: 'riverbend-daily', section: 'local', published: t('07-16 06:15'),
    text: `Here is what is happening in Riverbend and beyond this Monday. France are world champions after beating Croatia in Moscow, and Donald Trump meets Vladimir Putin in Helsinki today. Locally, the Wharf Lane roadworks enter their final week, the library extends its opening hours for the school holidays, and the council's consultation on bin collections closes on Friday.`,
  },
  {
    id: 'briefing-0717', source: 'baltic-ledger', published: t('07-17 05:45'),
    text: `The main stories this Tuesday: reactions across the Baltic states to the Helsinki summit, where the American president took the Russian leader's word over that of his own intelligence services. Estonia's foreign minister said European unity on sanctions must hold. Also today, farmers meet the agriculture minister in Riga, and temperatures around the Gulf of Riga should reach 29 degrees.`,
  },
]);

const WHAT_WE_KNOW = sameTitle('What we know so far', [
  {
    id: 'know-cave-riverbend', source: 'riverbend-daily', published: t('07-08 16:00'),
    text: `Four boys have been brought out of the Tham Luang cave today. Here is what we know: the operation began at 10am local time with thirteen foreign divers and five Thai navy divers, and each boy was accompanied by two divers. The route is about four kilometres long. Officials have not said which of the boys came out first, and their names have not been released.`,
  },
  {
    id: 'know-cave-courier', source: 'northsea-courier', section: 'world', published: t('07-08 17:20'),
    text: `The rescue of the Thai football team has begun, and some of the boys are out. What is clear so far is that the divers chose to move quickly because heavy rain was forecast, which could have flooded the cave again. The boys were taught to breathe through full-face masks. Families were not told in advance which children would come out first, and reporters were moved away from the entrance.`,
  },
  {
    id: 'know-amesbury', source: 'meridian-post', published: t('07-05 08:00'),
    text: `A man and a woman are critically ill in hospital in Salisbury after being exposed to the same nerve agent used against a former Russian spy in March. Police believe the couple, who are from Amesbury, did not come into contact with it at any of the places decontaminated after the first attack. Counter-terrorism officers are leading the inquiry, and health officials say the risk to the public remains low.`,
  },
  {
    id: 'know-sweden-fires', source: 'baltic-ledger', published: t('07-18 16:30'),
    text: `Sweden is facing its worst forest fire season in years. The facts so far: more than 40 fires were burning on Wednesday, from Dalarna in the centre of the country to Lapland in the north. Help has come from Norway, Italy, Poland and Germany. Some fires are on military training grounds, where unexploded shells force ground crews to keep their distance and leave the work to aircraft.`,
  },
  {
    id: 'know-net-store-fire', source: 'harbour-times', published: t('07-19 07:10'),
    text: `Firefighters spent the night at the old net store on the north quay after a blaze broke out shortly before midnight. What we know so far: nobody was inside the building, which has stood empty since the fishing cooperative moved out in 2011. Smoke could be seen across the bay. The quay road is closed, and the fire service says the cause is not yet known.`,
  },
  {
    id: 'know-burst-main', source: 'lakeside-gazette', published: t('07-21 15:00'),
    text: `Water has been restored to most homes in Lakeside after a burst main left about 900 properties dry for much of Saturday. What we know so far: the pipe, laid in the 1930s, split under the high street early in the morning. Bottled water was handed out at the village hall. The water company says a few homes on Mill Road may see discoloured water for a day or two.`,
  },
]);

const LETTERS = sameTitle('Letters to the editor', [
  {
    id: 'letters-0707', source: 'lakeside-gazette', published: t('07-07 07:00'),
    text: `Sir, I was disappointed to see the bins on the common overflowing again last weekend. With so many families out in the sunshine, the council should empty them daily in summer, not twice a week, and visitors should take their rubbish home. Margaret Hollis, Church Lane. Sir, thank you to the young man who handed my purse in at the post office on Tuesday. Honest people still exist. P Dunmore, Lakeside.`,
  },
  {
    id: 'letters-0714-lakeside', source: 'lakeside-gazette', published: t('07-14 07:00'),
    text: `Sir, closing the library on Saturday afternoons will hit working families hardest, since they cannot visit during the week. Surely a few volunteer hours could be found. Robert Ainsley, Fenwick Road. Sir, may I remind drivers who race along the lake road at night that deer cross there? I hit one last month and was lucky to walk away. Claire Otway, Lakeside.`,
  },
  {
    id: 'letters-0711-harbour', source: 'harbour-times', published: t('07-11 06:30'),
    text: `Sir, the new parking charges on the harbour front will drive visitors to other towns. Our shops depend on day-trippers, and two pounds an hour is more than most seaside resorts charge. J Penhallow, Fore Street. Sir, well done to the lifeboat crew for their swift response to the dinghy in trouble off the point on Sunday. They deserve every penny we put in the tins. Alan Brewer.`,
  },
  {
    id: 'letters-0713-riverbend', source: 'riverbend-daily', section: 'local', published: t('07-13 07:00'),
    text: `Sir, your report on the riverside path did not mention that disabled residents were never asked about the surface. Loose gravel is useless for wheelchair users. Linda Marsh, Station Road. Sir, the new lights at the Bridge Street junction change far too quickly for pedestrians. I have seen elderly people stranded in the middle of the road. Tom Varley, Riverbend.`,
  },
  {
    id: 'letters-0714-courier', source: 'northsea-courier', section: 'uk', published: t('07-14 06:00'),
    text: `Sir, the sight of an American president criticising the prime minister in a newspaper on the eve of his visit was extraordinary, and the government's muted response more extraordinary still. Helen Ware, Edinburgh. Sir, amid the gloom after the semi-final, let us thank the England squad for reminding a divided country what it feels like to want the same thing. Graham Knott, Leeds.`,
  },
  {
    id: 'letters-0721-ledger', source: 'baltic-ledger', published: t('07-21 08:00'),
    text: `To the editor: the drought has shown how little our municipalities have prepared for hot summers. Schools and care homes have no cooling, and the water towers in several villages ran dry. It is time for a national plan. Inese Kalnina, Jelgava. To the editor: as a farmer near Bauska I can confirm that the hay shortage is worse than your report suggested. Andris Ozols.`,
  },
]);

const WEATHER = sameTitle('Weather forecast', [
  {
    id: 'weather-0710-lakeside', source: 'lakeside-gazette', published: t('07-10 05:00'),
    text: `Another dry and sunny day for Lakeside and the surrounding villages, with highs of 27C this afternoon and a light easterly breeze over the lake. Pollen levels are high. Tonight will be clear and mild, with a low of 14C. The dry spell looks set to last the rest of the week, and the fire service asks people not to light barbecues on the common.`,
  },
  {
    id: 'weather-0711-lakeside', source: 'lakeside-gazette', published: t('07-11 05:00'),
    text: `Cloud will be slow to clear this morning, but sunshine breaks through by lunchtime and temperatures climb to 25C. A shower is possible over the hills to the north late in the day, though most places miss it. Patchy mist may form near the water overnight. Thursday looks brighter and a little warmer again.`,
  },
  {
    id: 'weather-0712-harbour', source: 'harbour-times', published: t('07-12 05:15'),
    text: `A fine day on the coast with long sunny spells and a maximum of 24C, although a sea breeze will keep the harbour front a few degrees cooler than inland. High water is at 11.42am and again just after midnight. The sea is around 17C. Winds light, turning south-westerly later. The UV index is very high, so take sunscreen to the beach.`,
  },
  {
    id: 'weather-0716-riverbend', source: 'riverbend-daily', section: 'local', published: t('07-16 05:20'),
    text: `Riverbend could see 29C today, one of the hottest days of the year so far. There is no rain in the forecast until at least the weekend, and the river at the weir is at its lowest level since 1995. Dog owners are advised to walk their pets early in the morning or late in the evening. Tonight stays warm and humid, with a low near 17C.`,
  },
  {
    id: 'weather-0717-ledger', source: 'baltic-ledger', published: t('07-17 04:30'),
    text: `Hot weather continues across the Baltic region, with daytime temperatures of 27 to 31 degrees and isolated thunderstorms possible in eastern Latvia and Lithuania in the evening. Coastal areas will be slightly cooler thanks to a breeze off the sea. Fire danger stays at its highest level in the forests of Estonia and northern Latvia.`,
  },
  {
    id: 'weather-0719-courier', source: 'northsea-courier', section: 'uk', published: t('07-19 05:00'),
    text: `A fresher day for Scotland and Northern Ireland with a few showers in the west, while England and Wales stay warm and sunny, peaking at 28C in the south-east. The weekend looks mostly dry, although thundery downpours could reach the south on Sunday. The heat is expected to return next week, with temperatures climbing into the low thirties.`,
  },
]);

// Equal local guids in two feeds (numeric CMS ids), and addresses that differ only in ?id=.
const GUID_COLLISIONS: FixtureItem[] = [
  unique({
    id: 'crab-boat-tow', source: 'harbour-times', num: 20931, published: t('07-12 18:40'),
    title: `Crab boat skipper tows stranded family to safety`,
    text: `The skipper of the crabber Morwenna has been praised by the coastguard after towing a broken-down motor cruiser and its four passengers back to harbour on Wednesday evening. The cruiser had drifted towards the rocks off Gull Point when its engine failed. Nobody was hurt. The coastguard said the family had done the right thing by calling for help early and wearing lifejackets.`,
  }),
  unique({
    id: 'daugavpils-summer-school', source: 'baltic-ledger', num: 20931, published: t('07-10 10:00'),
    title: `Daugavpils summer school draws record numbers`,
    text: `More than 300 students from 20 countries are attending a two-week summer school on regional history and languages at the university in Daugavpils, the largest intake since the programme began. Lectures fill the mornings, and afternoons are spent on trips to Latgale villages and the fortress. Organisers said interest from Asian universities had grown especially fast this year.`,
  }),
  unique({
    id: 'beach-hut-fees', source: 'harbour-times', num: 20958, published: t('07-18 09:00'),
    title: `Beach hut owners to have their say on higher fees`,
    text: `Beach hut owners will be able to comment on proposed new fees before the council decides in September. The plan would raise the annual charge for a hut on the west beach from 450 to 600 pounds, which the council says is needed to repair the sea wall behind them. The owners' association says many members are pensioners who have rented the same hut for decades.`,
  }),
  unique({
    id: 'jazz-festival-moves', source: 'baltic-ledger', num: 20958, published: t('07-19 12:00'),
    title: `Seaside jazz festival to move into the old town`,
    text: `Klaipeda's summer jazz festival will move from the seaside park to three squares in the old town next year, organisers said, after complaints about noise from nearby hotels. This year's event, which ended on Sunday, drew about 15,000 visitors over three days. Local businesses welcomed the change, saying it would bring customers to cafés that usually struggle on weekday evenings.`,
  }),
  unique({
    id: 'lifeboat-open-day', source: 'harbour-times', num: 20932, published: t('07-12 19:05'),
    title: `Lifeboat station open day raises more than 3,000 pounds`,
    text: `The lifeboat station's open day on Sunday raised more than 3,000 pounds, with visitors queuing to climb aboard the all-weather boat and watch a winching demonstration with the coastguard helicopter. Volunteers ran a cake stall, a tombola and a treasure hunt for children. The station's fundraising manager said the money would buy new drysuits for the crew.`,
  }),
];

// Different reports of the same event on the same day (compare with the wire copies and groups above).
const SAME_EVENT: FixtureItem[] = [
  unique({
    id: 'nato-declaration', source: 'meridian-post', published: t('07-11 18:30'),
    title: `Nato leaders sign declaration as spending row simmers`,
    text: `NATO leaders approved a long joint declaration on Wednesday evening that restates their commitment to collective defence and condemns Russia's annexation of Crimea, despite a day dominated by American complaints about money. The text welcomes the rise in European defence budgets since 2014 and sets out plans for a training mission in Iraq. Diplomats said drafting had been completed before the summit to avoid last-minute fights.`,
  }),
  unique({
    id: 'nato-garrison', source: 'riverbend-daily', section: 'local', published: t('07-11 15:45'),
    title: `What the Nato summit means for Riverbend's garrison`,
    text: `Soldiers from the Riverbend barracks could spend more time in Estonia under plans discussed at the NATO summit in Brussels today, according to a local MP. About 150 troops from the town's signals regiment already rotate through the Baltic each year. The MP said families had been told to expect no changes before next spring, and that the barracks itself was not affected by the Ministry of Defence's review.`,
  }),
  unique({
    id: 'how-divers-did-it', source: 'northsea-courier', section: 'world', published: t('07-10 19:30'),
    title: `Inside the rescue: how the divers brought the boys out`,
    text: `The plan that freed the Thai football team relied on a chain of rescuers stretched along four kilometres of cave. Lead divers swam with each boy, clipping him to their own harness and holding his air tank in front of him through the tightest squeezes. At dry sections, teams carried the boys on stretchers and hauled them over rocks with ropes. Doctors had given the boys medicine to keep them calm for the journey.`,
  }),
  unique({
    id: 'cave-rescue-meridian', source: 'meridian-post', published: t('07-10 14:15'),
    title: `Thailand celebrates as the last of the Wild Boars are freed`,
    text: `Car horns sounded in Mae Sai on Tuesday evening as word spread that the final four boys and their coach were out of the cave. The team, known as the Wild Boars, had entered the cave after practice on 23 June. Their rescue took three days and more than a hundred divers, volunteers and soldiers. Thailand's prime minister thanked the foreign teams and said the country would not forget their help.`,
  }),
  unique({
    id: 'croatia-dream-ends', source: 'baltic-ledger', published: t('07-15 19:00'),
    title: `Croatia's golden generation falls one step short`,
    text: `For a country of four million, reaching the final was already a triumph, and Croatia's players left the Luzhniki to applause from both sets of fans. Luka Modric was named the tournament's best player, small consolation on a day when his side had most of the ball but conceded twice from set pieces. Thousands of supporters are expected in Zagreb tomorrow to welcome the team home.`,
  }),
  unique({
    id: 'helsinki-day-courier', source: 'northsea-courier', section: 'world', published: t('07-16 18:45'),
    title: `A summit that left Washington reeling`,
    text: `In a single afternoon in Helsinki, the American president questioned his own intelligence services, blamed both countries for poor relations and declined to say anything critical of his host. Officials travelling with him looked uncomfortable as the news conference went on. In Washington the reaction was swift, and the director of national intelligence issued a statement defending his agencies' findings within hours.`,
  }),
];

// Ordinary single articles.
const ROAD_REOPENS: Article = {
  id: 'lorry-fire', source: 'lakeside-gazette', published: t('07-17 06:20'),
  title: `A-road reopens after overnight lorry fire`,
  text: `The main road between Lakeside and Fenwick reopened at 6am after being closed for most of the night when a lorry carrying straw caught fire near the quarry turning. The driver escaped unhurt. Firefighters from three stations spent five hours dampening the load, and the road surface was checked by highways engineers before traffic was allowed through. Drivers should still expect delays while the verge is cleared.`,
  slug: 'road-closed-after-lorry-fire',
};

const UNIQUES: FixtureItem[] = [
  unique(ROAD_REOPENS),
  unique({
    id: 'kerber-wimbledon', source: 'gpw-wire', published: t('07-14 15:40'),
    title: `Kerber beats Serena Williams to win Wimbledon`,
    text: `Angelique Kerber won her first Wimbledon title on Saturday, beating Serena Williams 6-3, 6-3 in the women's final. The German made few mistakes and kept Williams, playing only her fourth tournament since giving birth, on the move throughout. Kerber had lost to Williams in the final two years ago. It is her third Grand Slam title.`,
  }),
  unique({
    id: 'djokovic-wimbledon', source: 'northsea-courier', section: 'sport', published: t('07-15 16:10'),
    title: `Djokovic wins fourth Wimbledon title`,
    text: `Novak Djokovic won his fourth Wimbledon title on Sunday with a straight-sets victory over Kevin Anderson, completing a return to the top after two difficult years and an elbow operation. The South African, worn out after a semi-final that lasted more than six hours, rallied only in the third set. Djokovic said he had doubted he would ever play at this level again.`,
  }),
];

// ---------------------------------------------------------------------------------------------
// Assembly

function byKey(items: FixtureItem[], key: string): FixtureItem {
  const item = items.find((i) => i.key === key);
  if (!item) throw new Error(`no fixture item ${key}`);
  return item;
}

const ALL: FixtureItem[] = [
  ...WIRE.flatMap(nearGroup),
  ...URL_GROUPS.flat(),
  ...GUID_GROUPS.flat(),
  ...LIVE_UPDATES,
  ...MORNING_BRIEFINGS,
  ...WHAT_WE_KNOW,
  ...LETTERS,
  ...WEATHER,
  ...GUID_COLLISIONS,
  ...SAME_EVENT,
  ...UNIQUES,
];

/** Every item, in publication order (ties by key). */
export const dedupFixtures: FixtureItem[] = [...ALL].sort((a, b) => a.published.localeCompare(b.published) || a.key.localeCompare(b.key));

function retitled(after: FixtureItem, title: string, summary = after.summary): TitleChange {
  return { source: after.source, guid: after.guid, before: { ...after, key: `${after.key}-v1`, title, summary }, after };
}

/**
 * Items whose headline (and sometimes text) changed between two polls of the same feed. `after` is
 * in `dedupFixtures`; `before` is not, and has the same source, guid, url and published time. Poll
 * `before` first, then `after`: the stored item must be updated, not duplicated.
 */
export const titleChanges: TitleChange[] = [
  retitled(byKey(ALL, 'cave-rescue-begins-gpw-wire'), `Rescue operation begins at flooded Thai cave`),
  retitled(byKey(ALL, 'merkel-responds-northsea-courier'), `Merkel hits back at Trump over Russia jibe`),
  retitled(byKey(ALL, 'davis-resigns-meridian-post'), `Davis quits as Brexit secetary`),
  retitled(byKey(ALL, 'chequers-first-thoughts-capital-notes'), `Chequers: first thoughts`),
  retitled(byKey(ALL, 'baltic-drought-baltic-ledger'), `Farmers count losses as drought hits`),
  retitled(
    byKey(ALL, 'lorry-fire-lakeside-gazette'),
    `Road closed after lorry fire`,
    `The main road between Lakeside and Fenwick is closed in both directions after a lorry carrying straw caught fire near the quarry turning shortly before midnight. The driver escaped unhurt. Firefighters from three stations are at the scene and expect to be there for several hours. Drivers are advised to use the Fenwick bypass, and the road is unlikely to reopen before the morning.`,
  ),
];

const keysOf = (items: FixtureItem[]) => items.map((i) => i.key);

/** Look-alikes that must not be merged: no two items of one set are copies of each other. */
export const hardNegativeSets: HardNegativeSet[] = [
  { reason: 'same-title', note: `"Live updates" from four outlets on five days (two from one outlet, one slug, different dates)`, keys: keysOf(LIVE_UPDATES) },
  { reason: 'same-title', note: `"Morning briefing": three days of one outlet (same opening words) and three other outlets`, keys: keysOf(MORNING_BRIEFINGS) },
  { reason: 'same-title', note: `"What we know so far", including two outlets on the same cave rescue the same day`, keys: keysOf(WHAT_WE_KNOW) },
  { reason: 'same-title', note: `"Letters to the editor", including one outlet on two Saturdays`, keys: keysOf(LETTERS) },
  { reason: 'same-title', note: `"Weather forecast", including one outlet on consecutive days`, keys: keysOf(WEATHER) },
  { reason: 'local-guid-collision', note: `guid "20931" in Harbour Times and Baltic Ledger: numeric CMS ids, not global`, keys: ['crab-boat-tow-harbour-times', 'daugavpils-summer-school-baltic-ledger'] },
  { reason: 'local-guid-collision', note: `guid "20958" in Harbour Times and Baltic Ledger`, keys: ['beach-hut-fees-harbour-times', 'jazz-festival-moves-baltic-ledger'] },
  { reason: 'query-id', note: `article.php?id=20931 and ?id=20932, same outlet, same evening: the id parameter is the article`, keys: ['crab-boat-tow-harbour-times', 'lifeboat-open-day-harbour-times'] },
  {
    reason: 'same-event',
    note: `NATO summit, 11 July: wire copy, outlets' own reports, a blog post and a live page`,
    keys: ['nato-germany-gpw-wire', 'merkel-responds-northsea-courier', 'macedonia-invited-northsea-courier', 'nato-readiness-baltic-ledger', 'captive-numbers-fjordwatch', 'live-nato-day1-northsea-courier', 'nato-declaration-meridian-post', 'nato-garrison-riverbend-daily'],
  },
  {
    reason: 'same-event',
    note: `Thai cave rescue completed, 10 July (Northsea Courier carries both the wire copy and its own report)`,
    keys: ['cave-rescue-complete-northsea-courier', 'how-divers-did-it-northsea-courier', 'cave-rescue-meridian-meridian-post', 'live-cave-final-day-riverbend-daily'],
  },
  {
    reason: 'same-event',
    note: `Thai cave rescue begins, 8 July`,
    keys: ['cave-rescue-begins-gpw-wire', 'know-cave-riverbend-riverbend-daily', 'know-cave-courier-northsea-courier'],
  },
  {
    reason: 'same-event',
    note: `World Cup final, 15 July`,
    keys: ['world-cup-final-gpw-wire', 'final-report-northsea-courier', 'croatia-dream-ends-baltic-ledger', 'live-final-seafront-harbour-times'],
  },
  {
    reason: 'same-event',
    note: `Helsinki summit, 16 July (the Courier's live page, backgrounder and report, and the wire)`,
    keys: ['helsinki-summit-gpw-wire', 'helsinki-day-courier-northsea-courier', 'live-helsinki-northsea-courier', 'why-finland-northsea-courier', 'republicans-break-ranks-meridian-post'],
  },
  {
    reason: 'same-event',
    note: `Brexit resignations, 8-9 July: two wire stories a day apart, a blog, a live page and a briefing`,
    keys: ['davis-resigns-gpw-wire', 'johnson-resigns-gpw-wire', 'davis-goes-capital-notes', 'live-resignations-meridian-post', 'briefing-0709-northsea-courier'],
  },
  {
    reason: 'same-event',
    note: `Swedish forest fires, 18 July`,
    keys: ['sweden-fires-gpw-wire', 'know-sweden-fires-baltic-ledger', 'arctic-heat-records-northsea-courier'],
  },
];

/** Every duplicate pair of the gold (a group of n gives n(n-1)/2 pairs), keys in fixture order. */
export function goldPairs(items: readonly FixtureItem[] = dedupFixtures): Array<{ a: string; b: string; kind: DuplicateKind }> {
  const pairs: Array<{ a: string; b: string; kind: DuplicateKind }> = [];
  const groups = new Map<string, FixtureItem[]>();
  for (const item of items) if (item.group !== null) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  for (const members of groups.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) pairs.push({ a: members[i]!.key, b: members[j]!.key, kind: members[i]!.kind! });
    }
  }
  return pairs;
}
