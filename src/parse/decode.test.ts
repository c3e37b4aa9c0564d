import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from './decode.js';

// Fixtures: testdata/charsets/<text>.utf-8.xml are the sources (short news items written for these
// tests); <text>.<charset>.xml are the same documents converted with iconv, their XML declaration
// naming <charset> (UTF-16/32 ones say "utf-16"/"utf-32").
const dir = new URL('./testdata/charsets/', import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, dir));
const source = (text: string): string => fixture(`${text}.utf-8.xml`).toString('utf8');
const withDecl = (xml: string, label: string | null) =>
  xml.replace(' encoding="utf-8"', label === null ? '' : ` encoding="${label}"`);
/** Rewrites ASCII markup of an ASCII-compatible document without touching the other bytes. */
const edit = (bytes: Buffer, from: string | RegExp, to: string) =>
  Buffer.from(bytes.toString('latin1').replace(from, to), 'latin1');
const stripDecl = (bytes: Buffer) => edit(bytes, / encoding="[^"]*"/, '');
const stripDeclText = (xml: string) => xml.replace(/ encoding="[^"]*"/, '');
/** Only the first item: about 400-600 bytes, cut at ASCII markup so any charset survives. */
const firstItemOnly = (bytes: Buffer) => edit(bytes, /<item>(?:(?!<item>)[\s\S])*?<\/item>\s*(?=<\/channel>)/, '');

function utf32(text: string, littleEndian: boolean): Buffer {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (littleEndian ? out.writeUInt32LE(cp, i * 4) : out.writeUInt32BE(cp, i * 4)));
  return out;
}
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

// [fixture text, charset label in the fixture, WHATWG name expected back]
const legacy: [string, string, string][] = [
  ['ru', 'windows-1251', 'windows-1251'],
  ['ru', 'koi8-r', 'koi8-r'],
  ['ru', 'iso-8859-5', 'iso-8859-5'],
  ['fr', 'windows-1252', 'windows-1252'],
  ['de', 'iso-8859-1', 'windows-1252'],
  ['fr-euro', 'iso-8859-15', 'iso-8859-15'],
  ['pl', 'iso-8859-2', 'iso-8859-2'],
  ['el', 'iso-8859-7', 'iso-8859-7'],
  ['ja', 'shift_jis', 'shift_jis'],
  ['ja', 'euc-jp', 'euc-jp'],
  ['zh', 'gb2312', 'gbk'],
  ['zh-gbk', 'gbk', 'gbk'],
  ['zh-gb18030', 'gb18030', 'gb18030'],
  ['zh-hant', 'big5', 'big5'],
  ['ko', 'euc-kr', 'euc-kr'],
];

describe('decodeFeedBytes: declared charsets', () => {
  it.each(legacy)('%s in %s, XML declaration', (text, label, charset) => {
    const result = decodeFeedBytes(fixture(`${text}.${label}.xml`));
    expect(result).toEqual({ text: withDecl(source(text), label), charset, warnings: [] });
  });

  it.each(legacy)('%s in %s, HTTP charset only', (text, label, charset) => {
    const result = decodeFeedBytes(stripDecl(fixture(`${text}.${label}.xml`)), `application/rss+xml; charset="${label.toUpperCase()}"`);
    expect(result).toEqual({ text: withDecl(source(text), null), charset, warnings: [] });
  });

  it('reads windows-1252 bytes 0x80-0x9F right (Node 20 TextDecoder does not)', () => {
    const bytes = Buffer.from([0x80, 0x82, 0x84, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9c, 0x9f]);
    const doc = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><t>'), bytes, Buffer.from('</t>')]);
    expect(decodeFeedBytes(doc).text).toContain('€‚„…‘’“”–—™œŸ');
  });

  it.each(['us-ascii', 'iso-8859-1', 'latin1', 'ISO_8859-1'])('reads %s with bytes 0x80-0x9F as windows-1252 (WHATWG)', (label) => {
    expect(new TextDecoder(label).encoding).toBe('windows-1252');
    const doc = Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${label}"?><t>`), Buffer.from([0x84, 0x48, 0x69, 0x93, 0x20, 0x80, 0x35]), Buffer.from('</t>')]);
    expect(decodeFeedBytes(doc)).toMatchObject({ text: expect.stringContaining('<t>„Hi“ €5</t>'), charset: 'windows-1252' });
  });
});

describe('decodeFeedBytes: Unicode', () => {
  const multi = source('multi');

  it('decodes UTF-8 without and with BOM, dropping the BOM', () => {
    expect(decodeFeedBytes(fixture('multi.utf-8.xml'))).toEqual({ text: multi, charset: 'utf-8', warnings: [] });
    expect(decodeFeedBytes(fixture('multi.utf-8-bom.xml'))).toEqual({ text: multi, charset: 'utf-8', warnings: [] });
  });

  it.each([
    ['multi.utf-16le-bom.xml', 'utf-16le', 'utf-16'],
    ['multi.utf-16be-bom.xml', 'utf-16be', 'utf-16'],
    ['multi.utf-16le.xml', 'utf-16le', 'utf-16'],
    ['multi.utf-16be.xml', 'utf-16be', 'utf-16'],
    ['multi.utf-32le-bom.xml', 'utf-32le', 'utf-32'],
    ['multi.utf-32be-bom.xml', 'utf-32be', 'utf-32'],
    ['multi.utf-32le.xml', 'utf-32le', 'utf-32'],
    ['multi.utf-32be.xml', 'utf-32be', 'utf-32'],
  ])('decodes %s', (file, charset, label) => {
    const result = decodeFeedBytes(fixture(file));
    expect(result).toEqual({ text: withDecl(multi, label), charset, warnings: [] });
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('detects UTF-16/32 without BOM or declaration from the NUL pattern', () => {
    const xml = withDecl(multi, null);
    expect(decodeFeedBytes(Buffer.from(xml, 'utf16le'))).toEqual({ text: xml, charset: 'utf-16le', warnings: [] });
    expect(decodeFeedBytes(utf16be(xml))).toEqual({ text: xml, charset: 'utf-16be', warnings: [] });
    expect(decodeFeedBytes(utf32(xml, true))).toEqual({ text: xml, charset: 'utf-32le', warnings: [] });
    expect(decodeFeedBytes(utf32(xml, false))).toEqual({ text: xml, charset: 'utf-32be', warnings: [] });
  });

  it('trusts the byte pattern over a declaration naming the other byte order or a legacy charset', () => {
    const xml = withDecl(multi, 'utf-16be');
    const result = decodeFeedBytes(Buffer.from(xml, 'utf16le'), 'text/xml; charset=iso-8859-1');
    expect(result.text).toBe(xml);
    expect(result.charset).toBe('utf-16le');
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings.join('\n')).toMatch(/HTTP charset "iso-8859-1".*utf-16le[\s\S]*XML declaration "utf-16be"/);
  });

  it('ignores a UTF-16 declaration on ASCII-compatible bytes', () => {
    const result = decodeFeedBytes(fixture('ru.utf-8.xml'), 'text/xml; charset=utf-16');
    expect(result).toMatchObject({ text: source('ru'), charset: 'utf-8' });
    expect(result.warnings).toEqual([expect.stringContaining('HTTP charset "utf-16" ignored')]);
  });

  it('detects JSON in UTF-8/16/32 per RFC 8259/4627', () => {
    const json = '{"version":"https://jsonfeed.org/version/1.1","title":"Новости 📈 東京"}';
    for (const [bytes, charset] of [
      [Buffer.from(json), 'utf-8'],
      [Buffer.from(json, 'utf16le'), 'utf-16le'],
      [utf16be(json), 'utf-16be'],
      [utf32(json, true), 'utf-32le'],
      [utf32(json, false), 'utf-32be'],
    ] as const) {
      expect(decodeFeedBytes(bytes, 'application/feed+json')).toEqual({ text: json, charset, warnings: [] });
    }
  });

  it('reads C1 controls in UTF-8 text as the windows-1252 characters they stand for', () => {
    const result = decodeFeedBytes(Buffer.from('<?xml version="1.0"?><t>don\u0092t \u0080</t>'));
    expect(result.text).toBe('<?xml version="1.0"?><t>don’t €</t>');
    expect(result.warnings).toEqual([expect.stringContaining('C1')]);
  });
});

describe('decodeFeedBytes: precedence', () => {
  it('prefers a byte order mark to the HTTP charset', () => {
    const result = decodeFeedBytes(fixture('multi.utf-16be-bom.xml'), 'text/xml; charset=iso-8859-1');
    expect(result).toMatchObject({ text: withDecl(source('multi'), 'utf-16'), charset: 'utf-16be' });
    expect(result.warnings).toEqual([expect.stringContaining('HTTP charset "iso-8859-1" disagrees')]);
  });

  it('prefers the HTTP charset to the XML declaration, with a warning', () => {
    const bytes = edit(fixture('ru.windows-1251.xml'), 'encoding="windows-1251"', 'encoding="koi8-r"');
    const result = decodeFeedBytes(bytes, 'text/xml; charset=windows-1251');
    expect(result).toMatchObject({ text: withDecl(source('ru'), 'koi8-r'), charset: 'windows-1251' });
    expect(result.warnings).toEqual(['XML declaration "koi8-r" disagrees with HTTP charset "windows-1251"; used windows-1251']);
  });

  it('falls back to the XML declaration when the HTTP charset cannot decode the bytes', () => {
    const result = decodeFeedBytes(fixture('ja.euc-jp.xml'), 'text/xml; charset=utf-8');
    expect(result).toMatchObject({ text: withDecl(source('ja'), 'euc-jp'), charset: 'euc-jp' });
    expect(result.warnings).toEqual([expect.stringContaining('HTTP charset "utf-8" does not fit the bytes')]);
  });

  it('believes an XML declaration of UTF-8 over a legacy HTTP default when the bytes are UTF-8', () => {
    const result = decodeFeedBytes(fixture('de.utf-8.xml'), 'text/xml; charset=ISO-8859-1');
    expect(result).toMatchObject({ text: source('de'), charset: 'utf-8' });
    expect(result.warnings).toEqual([expect.stringContaining('HTTP charset "ISO-8859-1" disagrees with the XML declaration "utf-8"')]);
  });

  it('follows the XML declaration for text/xml without charset, warning only for non-ASCII bytes', () => {
    const result = decodeFeedBytes(fixture('pl.iso-8859-2.xml'), 'text/xml');
    expect(result).toMatchObject({ text: withDecl(source('pl'), 'iso-8859-2'), charset: 'iso-8859-2' });
    expect(result.warnings).toEqual([expect.stringContaining('text/xml has no charset')]);
    expect(decodeFeedBytes(Buffer.from('<?xml version="1.0" encoding="koi8-r"?><rss/>'), 'text/xml').warnings).toEqual([]);
  });

  it('finds the XML declaration behind leading junk', () => {
    const bytes = Buffer.concat([Buffer.from('Warning: include(): failed in /srv/feed.php on line 3\n'), fixture('ru.koi8-r.xml')]);
    expect(decodeFeedBytes(bytes)).toMatchObject({ text: expect.stringContaining('Синоптики обещают'), charset: 'koi8-r', warnings: [] });
  });

  it('skips an unknown label with a warning and uses the next evidence', () => {
    const koi8 = fixture('ru.koi8-r.xml');
    const viaXml = decodeFeedBytes(koi8, 'text/xml; charset=bogus');
    expect(viaXml).toEqual({ text: withDecl(source('ru'), 'koi8-r'), charset: 'koi8-r', warnings: ['unknown HTTP charset "bogus" ignored'] });

    const viaDetection = decodeFeedBytes(edit(fixture('ru.windows-1251.xml'), 'encoding="windows-1251"', 'encoding="bogus"'));
    expect(viaDetection).toMatchObject({ text: withDecl(source('ru'), 'bogus'), charset: 'windows-1251' });
    expect(viaDetection.warnings).toEqual(['unknown XML declaration "bogus" ignored', 'no charset declared; detected windows-1251']);
  });
});

describe('decodeFeedBytes: invalid UTF-8 declared as UTF-8', () => {
  it.each([
    ['ru', 'windows-1251'],
    ['ru', 'koi8-r'],
    ['ja', 'shift_jis'],
    ['ko', 'euc-kr'],
  ])('detects %s text in %s behind a utf-8 label', (text, charset) => {
    const bytes = edit(fixture(`${text}.${charset}.xml`), `encoding="${charset}"`, 'encoding="utf-8"');
    const result = decodeFeedBytes(bytes, 'application/rss+xml; charset=utf-8');
    expect(result).toMatchObject({ text: source(text), charset });
    expect(result.warnings.join('\n')).toContain(`does not fit the bytes; detected ${charset}`);
  });

  it('keeps mostly valid UTF-8 and reads its stray bytes as windows-1252', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="utf-8"?><t>Grüße aus Köln, '),
      Buffer.from([0x93, 0x45, 0x73, 0x70, 0x61, 0xf1, 0x61, 0x94, 0xc3]), // “España” + a cut sequence
      Buffer.from('</t>'),
    ]);
    const result = decodeFeedBytes(bytes);
    expect(result).toMatchObject({ text: '<?xml version="1.0" encoding="utf-8"?><t>Grüße aus Köln, “España”Ã</t>', charset: 'utf-8' });
    expect(result.warnings).toEqual(['4 invalid byte(s) for utf-8 decoded as windows-1252']);
  });

  it('reads Western legacy text without any valid UTF-8 as windows-1252', () => {
    const bytes = Buffer.concat([Buffer.from('<t>don'), Buffer.from([0x92]), Buffer.from('t</t>')]);
    expect(decodeFeedBytes(bytes)).toMatchObject({ text: '<t>don’t</t>', charset: 'windows-1252' });
    expect(decodeFeedBytes(bytes).warnings).toEqual([expect.stringMatching(/^no charset declared; (detected|used) windows-1252$/)]);
  });

  it('reads us-ascii labelled UTF-8 as UTF-8', () => {
    const result = decodeFeedBytes(fixture('de.utf-8.xml'), 'text/xml; charset=us-ascii');
    expect(result).toMatchObject({ text: source('de'), charset: 'utf-8' });
  });
});

describe('decodeFeedBytes: detection without any declaration', () => {
  // Required to work on realistic feeds of a few hundred bytes.
  const required: [string, string, string][] = [
    ['ru', 'windows-1251', 'windows-1251'],
    ['ru', 'koi8-r', 'koi8-r'],
    ['ja', 'shift_jis', 'shift_jis'],
    ['zh-gbk', 'gbk', 'gb18030'], // gb18030 is a superset of GBK
    ['zh', 'gb2312', 'gb18030'],
    ['ko', 'euc-kr', 'euc-kr'],
  ];
  it.each(required)('%s in %s (whole fixture)', (text, label, charset) => {
    const result = decodeFeedBytes(stripDecl(fixture(`${text}.${label}.xml`)), 'application/xml');
    expect(result).toEqual({ text: stripDeclText(source(text)), charset, warnings: [`no charset declared; detected ${charset}`] });
  });

  it.each(required)('%s in %s (first item only)', (text, label, charset) => {
    const bytes = firstItemOnly(stripDecl(fixture(`${text}.${label}.xml`)));
    expect(bytes.length).toBeLessThan(650);
    const result = decodeFeedBytes(bytes);
    expect(result.charset).toBe(charset);
    expect(result.text).toBe(new TextDecoder(charset).decode(bytes));
  });

  // Not required, but detected today; a change here is worth a look.
  it.each([
    ['ru', 'iso-8859-5', 'iso-8859-5'],
    ['el', 'iso-8859-7', 'iso-8859-7'],
    ['pl', 'iso-8859-2', 'iso-8859-2'],
    ['fr', 'windows-1252', 'windows-1252'],
    ['ja', 'euc-jp', 'euc-jp'],
    ['zh-hant', 'big5', 'big5'],
    ['zh-gb18030', 'gb18030', 'gb18030'],
  ])('%s in %s', (text, label, charset) => {
    const result = decodeFeedBytes(stripDecl(fixture(`${text}.${label}.xml`)));
    expect(result).toMatchObject({ text: stripDeclText(source(text)), charset });
  });

  it('reads ASCII and valid UTF-8 as UTF-8 without warnings', () => {
    for (const text of ['ru', 'ja', 'el', 'zh-gb18030']) {
      expect(decodeFeedBytes(fixture(`${text}.utf-8.xml`))).toEqual({ text: source(text), charset: 'utf-8', warnings: [] });
    }
    expect(decodeFeedBytes(Buffer.from('<rss/>'))).toEqual({ text: '<rss/>', charset: 'utf-8', warnings: [] });
    expect(decodeFeedBytes(new Uint8Array(0))).toEqual({ text: '', charset: 'utf-8', warnings: [] });
  });

  it('decodes a multi-megabyte document with stray bytes throughout', () => {
    const item = source('ru').slice(source('ru').indexOf('<item>'), source('ru').indexOf('</item>') + 7);
    const good = Buffer.from(`<rss><channel>${item.repeat(4000)}</channel></rss>`);
    const bytes = Buffer.from(good);
    let stray = 0;
    for (let i = 100; i < bytes.length; i += 7919) if (bytes[i]! < 0x80) (bytes[i] = 0xa9), stray++;
    const result = decodeFeedBytes(bytes);
    expect(result.charset).toBe('utf-8');
    expect(result.text.length).toBe(good.toString('utf8').length);
    expect(result.text.split('©').length - 1).toBe(stray);
  });
});

describe('decodeFeedBytes: long stretches set aside while decoding', () => {
  // With setAside, a UTF-8 XML document comes back with placeholders for its long CDATA contents
  // (and plain text stretches); putting CDATA back must give exactly the plain decoding, warnings
  // included. Text stretches come back with their references decoded, as the tokenizer reads them.
  const restore = (text: string, cdata: readonly string[]) =>
    cdata.reduce((out, section, index) => out.replace(`\uE000${index}\uE000`, () => section), text);
  const body = (words: string) => `${words} `.repeat(Math.ceil(300 / (words.length + 1)));
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const utf8 = (text: string) => Buffer.from(text, 'utf8');

  it.each([
    ['plain sections', utf8(`<rss><item><description><![CDATA[${body('Саммит НАТО — <p>итоги</p>')}]]></description></item><item><description><![CDATA[short]]></description></item></rss>`)],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(`<rss><![CDATA[${body('Brüssel')}]]></rss>`)])],
    ['stray bytes inside and outside sections', Buffer.concat([utf8('<rss><title>Espa'), latin1('\xf1a</title><![CDATA['), utf8(body('ok')), latin1('\xa9 \xe2'), utf8(']]><![CDATA['), utf8(body('€ ok')), latin1('\xc3'), utf8(']]></rss>')])],
    ['C1 controls inside a section', utf8(`<rss><![CDATA[${body('don\u0092t')}]]></rss>`)],
    ['a section inside a comment (skipped), then a real one', utf8(`<rss><!-- <![CDATA[${body('hidden')}]]> --><![CDATA[${body('real')}]]></rss>`)],
    ['a processing instruction holding a look-alike', utf8(`<?xml version="1.0"?><?php echo "<![CDATA[${body('x')}]]>"; ?><rss><![CDATA[${body('real')}]]></rss>`)],
  ])('%s', (_name, bytes) => {
    const plain = decodeFeedBytes(bytes);
    const split = decodeFeedBytes(bytes, null, { setAside: true });
    expect(split.sections!.length).toBeGreaterThan(0);
    expect(split.text.length).toBeLessThan(plain.text.length);
    expect(restore(split.text, split.sections!)).toBe(plain.text);
    expect(split.warnings).toEqual(plain.warnings);
  });

  it('leaves JSON, documents that do not start with markup, and legacy charsets whole', () => {
    const json = utf8(`{"items":[{"content_html":"<![CDATA[${body('x')}]]>"}]}`);
    const junk = utf8(`PHP Warning: oops\n<rss><![CDATA[${body('x')}]]></rss>`);
    const cp1251 = Buffer.concat([utf8(`<?xml version="1.0" encoding="windows-1251"?><rss><![CDATA[`), Buffer.from([0xcd, 0xc0, 0xd2, 0xce]), utf8(`${body('x')}]]></rss>`)]);
    for (const bytes of [json, junk, cp1251]) {
      const split = decodeFeedBytes(bytes, null, { setAside: true });
      expect(split.sections).toBeUndefined();
      expect(split.text).toBe(decodeFeedBytes(bytes).text);
    }
  });

  it('sets aside text between tags with its references decoded, but not text the entity repair would change', () => {
    const plain = `Leaders &lt;b&gt;met&lt;/b&gt; &amp; talked — caf&#233;. ${body('more words')}`;
    const repaired = `AT&T ${body('needs repair')}`;
    const split = decodeFeedBytes(utf8(`<rss><a>${plain}</a><b>${repaired}</b><c>${body('   ')}</c></rss>`), null, { setAside: true });
    expect(split.sections).toEqual([plain.replace('&lt;b&gt;met&lt;/b&gt; &amp;', '<b>met</b> &').replace('&#233;', 'é')]);
    expect(split.text).toContain(`<b>${repaired}</b>`);
  });
});
