// Parse + normalize throughput: one 1,000-item RSS 2.0 feed with ~5 KB of HTML per item, the
// shape of a busy news feed with full-text content. Goal (issue 3): ≥ 5,000 items/s. The HTML is
// measured in both forms feeds ship it in: a CDATA section, and escaped as &lt;p&gt;….
import { parseFeed } from '../src/parse/parse-feed.js';
import { rssFeed } from '../test/helpers/feed-xml.js';

const PARAGRAPH =
  '<p>Leaders of the alliance met in Brussels on Wednesday for a summit dominated by arguments over ' +
  'defence spending. <a href="/world/2018/07/11/summit-live">Follow the live coverage</a> and read ' +
  '<em>our analysis</em> of the <strong>final communiqué</strong>. Officials said the talks ran late into the night, ' +
  'with several delegations pressing for <a href="https://example.org/ref?id=1&amp;src=rss">clearer targets</a>.</p>\n';

export function buildFeed(items: number, itemBytes: number, form: 'cdata' | 'escaped' = 'cdata'): string {
  const html = PARAGRAPH.repeat(Math.ceil(itemBytes / PARAGRAPH.length));
  return rssFeed({
    title: 'News Example — World',
    link: 'https://news.example/world',
    description: 'Bench feed',
    items: Array.from({ length: items }, (_, i) => ({
      title: `Summit day ${i}: allies argue over spending & targets`,
      link: `https://news.example/world/2018/07/${(i % 28) + 1}/story-${i}`,
      guid: `news-example-${i}`,
      guidIsPermaLink: false,
      published: `Wed, 11 Jul 2018 ${String(i % 24).padStart(2, '0')}:15:00 +0200`,
      author: `Desk ${i % 7}`,
      categories: ['World'],
      ...(form === 'cdata' ? { html } : { description: html }),
    })),
  });
}

function itemsPerSecond(xml: Buffer): { median: number; best: number; worst: number } {
  const url = 'https://news.example/world/rss.xml';
  // A long-running poller parses with warm JIT code; the first few runs are compilation.
  for (let i = 0; i < 5; i++) parseFeed({ bytes: xml, url });
  // Runs on a shared 2-core VM vary by ±30%, so the median of ten is the figure, the best one beside it.
  const perSecond: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const items = parseFeed({ bytes: xml, url }).feed.items.length;
    perSecond.push(items / ((performance.now() - started) / 1000));
  }
  perSecond.sort((a, b) => a - b);
  return {
    median: Math.round((perSecond[4]! + perSecond[5]!) / 2),
    best: Math.round(perSecond.at(-1)!),
    worst: Math.round(perSecond[0]!),
  };
}

export function benchParse(): Record<string, number> {
  const xml = Buffer.from(buildFeed(1000, 5 * 1024));
  const cdata = itemsPerSecond(xml);
  const escapedXml = Buffer.from(buildFeed(1000, 5 * 1024, 'escaped'));
  const escaped = itemsPerSecond(escapedXml);
  return {
    feedBytes: xml.length,
    runs: 10,
    itemsPerSecondMedian: cdata.median,
    itemsPerSecondBest: cdata.best,
    itemsPerSecondWorst: cdata.worst,
    escapedFeedBytes: escapedXml.length,
    escapedItemsPerSecondMedian: escaped.median,
    escapedItemsPerSecondBest: escaped.best,
  };
}
