// Published feeds are valid where the standards can be checked by machine: Atom against the RELAX NG
// schema of RFC 4287 (libxml2's xmllint, compiled to WebAssembly) plus the RFC's rules that the
// schema cannot express, JSON Feed against the JSON Feed 1.1 JSON Schema (ajv), and RSS 2.0 against
// the rules the W3C Feed Validator applies. The W3C validator itself is a web service and cannot run
// here; the RSS and Atom checks below are the ones it reports as errors for feeds shaped like ours.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { recount as refreshStoryCounts } from '../src/stories/story-store.js';
import { engines, resetDatabase } from './helpers/databases.js';
import { useStoryServer } from './helpers/story-server.js';
import { seedStories } from './helpers/story-fixtures.js';

const PUBLIC = 'https://news.feedloom.example/base';
const schema = (name: string) => readFileSync(new URL(`./fixtures/schemas/${name}`, import.meta.url), 'utf8');
const ATOM_RNG = schema('atom-rfc4287.rng');
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateJsonFeed = ajv.compile(JSON.parse(schema('jsonfeed-1.1.schema.json')) as object);

const RFC_822 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d(?::\d\d)? (?:GMT|UT|[+-]\d{4}|[A-Z]{3})$/;
const RFC_3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', cdataPropName: '#cdata' });

/** Schema errors of an Atom document, as xmllint reports them. */
async function atomSchemaErrors(body: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'feed.atom', contents: body }, schema: { fileName: 'atom.rng', contents: ATOM_RNG }, extension: 'relaxng' });
  return result.errors.map((e) => e.message);
}

/** RFC 4287 rules beyond the schema (its Schematron part and section 4), as the W3C validator checks them. */
function atomRuleErrors(body: string): string[] {
  const feed = xml.parse(body).feed;
  const errors: string[] = [];
  const entries = asList(feed.entry);
  if (asList(feed.author).length === 0 && entries.some((e: Record<string, unknown>) => asList(e.author).length === 0)) {
    errors.push('atom:feed without atom:author has an entry without one (RFC 4287 4.1.1)');
  }
  for (const node of [feed, ...entries]) {
    const links = asList<Record<string, string>>(node.link);
    const alternates = links.filter((l) => (l['@rel'] ?? 'alternate') === 'alternate');
    if (new Set(alternates.map((l) => `${l['@type'] ?? ''}|${l['@hreflang'] ?? ''}`)).size !== alternates.length) errors.push('two alternate links of one type and language');
    for (const link of links) if (!/^https?:\/\//.test(link['@href'] ?? '')) errors.push(`relative or empty link href ${link['@href']}`);
    for (const field of ['updated', 'published']) {
      if (node[field] !== undefined && !RFC_3339.test(String(node[field]))) errors.push(`${field} is not an RFC 3339 date: ${node[field]}`);
    }
  }
  for (const entry of entries) {
    if (!entry.content && asList(entry.link).every((l: Record<string, string>) => (l['@rel'] ?? 'alternate') !== 'alternate')) errors.push('entry with neither content nor an alternate link');
  }
  const self = asList<Record<string, string>>(feed.link).find((l) => l['@rel'] === 'self');
  if (!self) errors.push('no rel="self" link');
  return errors;
}

/** What the W3C Feed Validator reports as errors in RSS 2.0 documents shaped like ours. */
function rssRuleErrors(body: string, selfUrl: string): string[] {
  const errors: string[] = [];
  const doc = xml.parse(body);
  const rss = doc.rss;
  if (rss?.['@version'] !== '2.0') return ['not RSS 2.0'];
  const channel = rss.channel;
  for (const field of ['title', 'link', 'description']) if (!channel[field]) errors.push(`channel without ${field}`);
  if (!/^https?:\/\//.test(String(channel.link))) errors.push('channel link is not a full URL');
  for (const field of ['pubDate', 'lastBuildDate']) {
    if (channel[field] !== undefined && !RFC_822.test(String(channel[field]))) errors.push(`channel ${field} is not an RFC 822 date`);
  }
  const atomLinks = asList<Record<string, string>>(channel['atom:link']);
  const self = atomLinks.find((l) => l['@rel'] === 'self');
  if (!self || self['@href'] !== selfUrl || self['@type'] !== 'application/rss+xml') errors.push(`atom:link rel="self" should be ${selfUrl} with type application/rss+xml`);
  if (atomLinks.length > 0 && rss['@xmlns:atom'] !== 'http://www.w3.org/2005/Atom') errors.push('atom namespace not declared');
  for (const item of asList<Record<string, unknown>>(channel.item)) {
    if (!item.title && !item.description) errors.push('item without title or description');
    if (item.author !== undefined && !/[\w.+-]+@[\w-]+\.[\w.-]+/.test(JSON.stringify(item.author))) errors.push('author without an e-mail address');
    if (item.pubDate !== undefined && !RFC_822.test(String(item.pubDate))) errors.push(`item pubDate is not an RFC 822 date: ${item.pubDate}`);
    if (item.link !== undefined && !/^https?:\/\//.test(String(item.link))) errors.push('item link is not a full URL');
    const guid = item.guid as Record<string, string> | string | undefined;
    if (guid !== undefined) {
      const value = typeof guid === 'string' ? guid : guid['#text'];
      const permalink = typeof guid === 'string' || guid['@isPermaLink'] !== 'false';
      if (permalink && !/^https?:\/\//.test(value ?? '')) errors.push(`guid ${value} is not a URL but isPermaLink is not false`);
    }
    for (const category of asList(item.category)) if (String(typeof category === 'object' ? (category as Record<string, string>)['#text'] : category).trim() === '') errors.push('empty category');
  }
  return errors;
}

describe.each(engines)('feed validity on %s', (engine) => {
  // With WebSub on, as the feeds then carry the most links.
  const env = useStoryServer(engine, { publicUrl: PUBLIC, hub: 'https://hub.example/websub' });
  let storyIds: string[];

  beforeAll(async () => {
    await resetDatabase(env.db);
    await seedStories(env.db);
    // Markup, entities and non-Latin text in everything that reaches a feed.
    const story = (await env.db.selectFrom('clusters').select('id').where('status', '=', 'open').orderBy('id').executeTakeFirstOrThrow()).id;
    const source = await env.db.selectFrom('sources').select('id').executeTakeFirstOrThrow();
    await env.db.updateTable('clusters').set({ label: 'Summit <b>ends</b> & “talks” go on — Саммит', terms: JSON.stringify(['nato & co', '<script>', 'саммит']) }).where('id', '=', story).execute();
    await env.db
      .insertInto('items')
      .values({ source_id: source.id, guid: 'odd-1', title: 'Q&A: <what> happens "next"?', url: 'https://odd.example/q?a=1&b=2', summary: '<p>Leaders <em>met</em> &amp; talked</p><script>alert(1)</script>', published_at: new Date('2024-05-01T12:45:00Z'), cluster_id: story })
      .execute();
    await refreshStoryCounts(env.db, [story]);
    storyIds = (await env.app.inject('/api/clusters?limit=100')).json().clusters.map((c: { id: string }) => c.id);
  });

  const feeds = () => [
    ['/feeds/all', 'all stories'],
    [`/clusters/${storyIds[0]}`, 'one story'],
  ];

  it('writes Atom that passes the RFC 4287 RELAX NG schema and the RFC rules beyond it', async () => {
    for (const [path, name] of feeds()) {
      const res = await env.app.inject(`${path}.atom`);
      expect(res.statusCode, name).toBe(200);
      expect(XMLValidator.validate(res.body), name).toBe(true);
      expect(await atomSchemaErrors(res.body), name).toEqual([]);
      expect(atomRuleErrors(res.body), name).toEqual([]);
      expect(res.body).toContain(`<link rel="self" href="${PUBLIC}${path}.atom"`);
    }
  });

  it('writes RSS 2.0 without the errors the W3C Feed Validator reports', async () => {
    for (const [path, name] of feeds()) {
      const res = await env.app.inject(`${path}.rss`);
      expect(res.statusCode, name).toBe(200);
      expect(XMLValidator.validate(res.body), name).toBe(true);
      expect(rssRuleErrors(res.body, `${PUBLIC}${path}.rss`), name).toEqual([]);
    }
  });

  it('writes JSON Feed that passes the JSON Feed 1.1 schema', async () => {
    for (const [path, name] of feeds()) {
      const res = await env.app.inject(`${path}.json`);
      expect(res.statusCode, name).toBe(200);
      const ok = validateJsonFeed(res.json());
      expect(validateJsonFeed.errors ?? [], name).toEqual([]);
      expect(ok).toBe(true);
      expect(res.json().feed_url).toBe(`${PUBLIC}${path}.json`);
    }
  });

  it('keeps markup in labels and articles escaped or sanitized', async () => {
    const label = 'Summit <b>ends</b> & “talks” go on — Саммит';
    const text = (node: unknown) => String(typeof node === 'object' && node !== null ? ((node as Record<string, unknown>)['#cdata'] ?? (node as Record<string, unknown>)['#text']) : node);
    const atom = (await env.app.inject('/feeds/all.atom')).body;
    expect(atom).not.toContain('<script>');
    expect(atom).not.toMatch(/&lt;script&gt;alert/);
    // Atom titles are type="html": the label's tag-like text is escaped, not read as markup.
    const atomTitles = asList<Record<string, unknown>>(xml.parse(atom).feed.entry).map((e) => text(e.title));
    expect(atomTitles).toContain('Summit &lt;b&gt;ends&lt;/b&gt; &amp; “talks” go on — Саммит');
    const rss = (await env.app.inject('/feeds/all.rss')).body;
    expect(asList<Record<string, unknown>>(xml.parse(rss).rss.channel.item).map((i) => text(i.title))).toContain(label);
    expect((await env.app.inject('/feeds/all.json')).json().items.map((i: { title: string }) => i.title)).toContain(label);
  });

  it('the checks catch what they are for', async () => {
    const atom = (await env.app.inject('/feeds/all.atom')).body;
    expect(await atomSchemaErrors(atom.replace(/<id>[^<]*<\/id>/, ''))).not.toEqual([]);
    expect(atomRuleErrors(atom.replace(/<author>[\s\S]*?<\/author>/g, ''))).toContain('atom:feed without atom:author has an entry without one (RFC 4287 4.1.1)');
    const rss = (await env.app.inject('/feeds/all.rss')).body;
    expect(rssRuleErrors(rss.replaceAll('isPermaLink="false"', ''), `${PUBLIC}/feeds/all.rss`).join()).toMatch(/isPermaLink/);
    expect(rssRuleErrors(rss.replace('</item>', '<author>Desk</author></item>'), `${PUBLIC}/feeds/all.rss`)).toContain('author without an e-mail address');
    const json = (await env.app.inject('/feeds/all.json')).json();
    delete json.items[0].id;
    expect(validateJsonFeed(json)).toBe(false);
  });
});
