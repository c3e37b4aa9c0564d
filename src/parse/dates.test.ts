import { describe, expect, it } from 'vitest';
import { parseFeedDate } from './dates.js';

/** The parsed instant as an ISO string, or null: one comparable value per case. */
function parsed(input: string | null | undefined): string | null {
  return parseFeedDate(input)?.toISOString() ?? null;
}

describe('parseFeedDate: RFC 822 / 1123 / 2822', () => {
  it.each([
    ['Tue, 15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'],
    ['15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // no weekday
    ['Tuesday, 15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // long weekday
    ['Teu, 15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // misspelled weekday
    ['Sat, 15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // wrong weekday is ignored
    ['Tue 15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // no comma
    ['Tue,15 Mar 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // no space after comma
    ['Tue, 15 Mar 2011 08:05 GMT', '2011-03-15T08:05:00.000Z'], // no seconds
    ['Wed, 2 Mar 2011 8:05:09 GMT', '2011-03-02T08:05:09.000Z'], // single-digit day and hour
    ['Wed,  2 Mar 2011 08:05:09 GMT', '2011-03-02T08:05:09.000Z'], // space-padded day
    ['Tue, 15 MAR 2011 08:05:09 gmt', '2011-03-15T08:05:09.000Z'],
    ['Tue, 15 march 2011 08:05:09 UT', '2011-03-15T08:05:09.000Z'],
    ['Thu, 8 Sept 2011 10:00:00 UTC', '2011-09-08T10:00:00.000Z'],
    ['Thu, 8 Sep. 2011 10:00:00 Z', '2011-09-08T10:00:00.000Z'],
    ['Tue, 15 Mar 2011 08:05:09', '2011-03-15T08:05:09.000Z'], // no zone: UTC
    ['Tue, 15 Mar 2011', '2011-03-15T00:00:00.000Z'], // no time: midnight UTC
    ['Tue, 15 Mar, 2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'], // comma after the month
    ['15-Mar-2011 08:05:09 GMT', '2011-03-15T08:05:09.000Z'],
    ['Tue, 15 Mar 2011 08:05:09.250 GMT', '2011-03-15T08:05:09.000Z'], // fraction dropped
    ['Tue, 15 Mar 2011 08:05:09 +0000 (UTC)', '2011-03-15T08:05:09.000Z'], // trailing comment
  ])('%s', (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });

  it.each([
    ['Mon, 07 Jun 10 12:00:00 GMT', '2010-06-07T12:00:00.000Z'],
    ['Mon, 07 Jun 49 12:00:00 GMT', '2049-06-07T12:00:00.000Z'],
    ['Fri, 07 Jun 85 12:00:00 GMT', '1985-06-07T12:00:00.000Z'],
    ['Mon, 07 Jun 99 12:00:00 GMT', '1999-06-07T12:00:00.000Z'],
    // Y2K-era software printed year - 1900; RFC 2822 says to add 1900 to 3-digit years.
    ['Mon, 07 Jun 110 12:00:00 GMT', '2010-06-07T12:00:00.000Z'],
  ])('expands short year in %s', (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });

  it.each([
    ['+0100', '2011-03-15T07:05:09.000Z'],
    ['+01:00', '2011-03-15T07:05:09.000Z'],
    ['-0500', '2011-03-15T13:05:09.000Z'],
    ['-05:30', '2011-03-15T13:35:09.000Z'],
    ['+0545', '2011-03-15T02:20:09.000Z'],
    ['-0000', '2011-03-15T08:05:09.000Z'],
    ['+2', '2011-03-15T06:05:09.000Z'],
    ['GMT+2', '2011-03-15T06:05:09.000Z'],
    ['GMT-03:30', '2011-03-15T11:35:09.000Z'],
    ['UTC+0530', '2011-03-15T02:35:09.000Z'],
    ['-0500 EST', '2011-03-15T13:05:09.000Z'],
    ['+0100 CET', '2011-03-15T07:05:09.000Z'],
    ['EST', '2011-03-15T13:05:09.000Z'],
    ['EDT', '2011-03-15T12:05:09.000Z'],
    ['CST', '2011-03-15T14:05:09.000Z'],
    ['CDT', '2011-03-15T13:05:09.000Z'],
    ['MST', '2011-03-15T15:05:09.000Z'],
    ['MDT', '2011-03-15T14:05:09.000Z'],
    ['PST', '2011-03-15T16:05:09.000Z'],
    ['PDT', '2011-03-15T15:05:09.000Z'],
    ['CET', '2011-03-15T07:05:09.000Z'],
    ['CEST', '2011-03-15T06:05:09.000Z'],
    ['MET', '2011-03-15T07:05:09.000Z'],
    ['JST', '2011-03-14T23:05:09.000Z'],
    ['Etc/UTC', '2011-03-15T08:05:09.000Z'],
    ['Z', '2011-03-15T08:05:09.000Z'],
    ['A', '2011-03-15T09:05:09.000Z'], // RFC 822: A = -0100
    ['M', '2011-03-15T20:05:09.000Z'], // RFC 822: M = -1200
    ['N', '2011-03-15T07:05:09.000Z'], // RFC 822: N = +0100
    ['Y', '2011-03-14T20:05:09.000Z'], // RFC 822: Y = +1200
  ])('zone %s', (zone, expected) => {
    expect(parsed(`Tue, 15 Mar 2011 08:05:09 ${zone}`)).toBe(expected);
  });

  it('follows US daylight saving for generic zone names (ET, PT...)', () => {
    expect(parsed('Mon, 12 Jan 2015 09:00:00 ET')).toBe('2015-01-12T14:00:00.000Z');
    expect(parsed('Mon, 13 Jul 2015 09:00:00 ET')).toBe('2015-07-13T13:00:00.000Z');
    expect(parsed('Mon, 13 Jul 2015 09:00:00 PT')).toBe('2015-07-13T16:00:00.000Z');
    // 2015 switched on March 8 at 02:00 local; before 2007 the switch was in April.
    expect(parsed('Sun, 08 Mar 2015 01:30:00 CT')).toBe('2015-03-08T07:30:00.000Z');
    expect(parsed('Sun, 08 Mar 2015 03:30:00 CT')).toBe('2015-03-08T08:30:00.000Z');
    expect(parsed('Mon, 15 Mar 2004 12:00:00 MT')).toBe('2004-03-15T19:00:00.000Z');
  });

  it('reads Greek month names (feedparser _parse_date_greek)', () => {
    expect(parsed('Τρι, 08 Μάι 2007 17:20:00 GMT')).toBe('2007-05-08T17:20:00.000Z');
    expect(parsed('Παρ, 21 Δεκ 2007 06:00:00 +0200')).toBe('2007-12-21T04:00:00.000Z');
    expect(parsed('Δευ, 04 Ιούν 2007 09:00:00 GMT')).toBe('2007-06-04T09:00:00.000Z');
  });
});

describe('parseFeedDate: month-first forms', () => {
  it.each([
    ['Wed Mar  2 17:45:01 2011', '2011-03-02T17:45:01.000Z'], // asctime
    ['Wed Mar 02 17:45:01 +0100 2011', '2011-03-02T16:45:01.000Z'], // Twitter API
    ['Wed Mar 2 17:45:01 UTC 2011', '2011-03-02T17:45:01.000Z'], // date(1)
    ['Wed Mar 02 2011 17:45:01 GMT+0100 (Central European Standard Time)', '2011-03-02T16:45:01.000Z'], // JS Date
    ['Wed Mar 02 2011 17:45:01 -0300', '2011-03-02T20:45:01.000Z'],
    ['March 2, 2011', '2011-03-02T00:00:00.000Z'],
    ['Mar 2nd, 2011 5:45 PM EST', '2011-03-02T22:45:00.000Z'],
    ['March 2, 2011 12:10 am', '2011-03-02T00:10:00.000Z'],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });
});

describe('parseFeedDate: ISO 8601 / W3C-DTF', () => {
  it.each([
    ['2011-03-15T08:05:09Z', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15T08:05:09.987Z', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15T08:05:09,5+01:00', '2011-03-15T07:05:09.000Z'],
    ['2011-03-15T08:05:09-07:00', '2011-03-15T15:05:09.000Z'],
    ['2011-03-15T20:05:09-07:00', '2011-03-16T03:05:09.000Z'], // crosses midnight
    ['2011-03-15T08:05:09+0530', '2011-03-15T02:35:09.000Z'], // offset without colon
    ['2011-03-15T08:05:09+05', '2011-03-15T03:05:09.000Z'], // hours-only offset
    ['2011-03-15T08:05Z', '2011-03-15T08:05:00.000Z'],
    ['2011-03-15t08:05:09z', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15T08:05:09', '2011-03-15T08:05:09.000Z'], // no zone: UTC
    ['2011-03-15 08:05:09', '2011-03-15T08:05:09.000Z'], // space instead of T
    ['2011-03-15', '2011-03-15T00:00:00.000Z'],
    ['2011-03', '2011-03-01T00:00:00.000Z'],
    ['2011', '2011-01-01T00:00:00.000Z'],
    ['20110315T080509Z', '2011-03-15T08:05:09.000Z'], // basic format
    ['20110315T0805+0100', '2011-03-15T07:05:00.000Z'],
    ['20110315', '2011-03-15T00:00:00.000Z'],
    ['2011-074', '2011-03-15T00:00:00.000Z'], // ordinal
    ['2012-060', '2012-02-29T00:00:00.000Z'], // ordinal in a leap year
    ['2012366', '2012-12-31T00:00:00.000Z'],
    ['2011-W11-2', '2011-03-15T00:00:00.000Z'], // week date
    ['2011W112T08:05Z', '2011-03-15T08:05:00.000Z'],
    ['2010-W01-1', '2010-01-04T00:00:00.000Z'],
    ['2015-W01-1', '2014-12-29T00:00:00.000Z'], // week 1 starting in the previous year
    ['2015-W53-5', '2016-01-01T00:00:00.000Z'], // 2015 has 53 weeks
    ['2011-03-15T24:00:00Z', '2011-03-16T00:00:00.000Z'], // ISO end of day
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'], // leap second
    ['110315', '2011-03-15T00:00:00.000Z'], // ISO 8601:1988 two-digit-year forms
    ['11-03-15', '2011-03-15T00:00:00.000Z'],
    ['11074', '2011-03-15T00:00:00.000Z'],
    ['-1103', '2011-03-01T00:00:00.000Z'],
    ['-11-03', '2011-03-01T00:00:00.000Z'],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });

  it('reads year-first relatives: Perforce, MS SQL, Hungarian, Korean', () => {
    expect(parsed('Tue, 2011/03/15 08:05:09 EDT')).toBe('2011-03-15T12:05:09.000Z');
    expect(parsed('2011/03/15')).toBe('2011-03-15T00:00:00.000Z');
    expect(parsed('2011-3-5 8:05:09.000')).toBe('2011-03-05T08:05:09.000Z');
    expect(parsed('2011-március-15T8:05+01:00')).toBe('2011-03-15T07:05:00.000Z');
    expect(parsed('2011-Mar-15')).toBe('2011-03-15T00:00:00.000Z');
    // Korean blog platforms write Korean local time (UTC+9) without a zone.
    expect(parsed('2011-03-15 오전 8:05:09')).toBe('2011-03-14T23:05:09.000Z');
    expect(parsed('2011-03-15 오후 8:05:09')).toBe('2011-03-15T11:05:09.000Z');
    expect(parsed('2011-03-15 오후 12:05:09')).toBe('2011-03-15T03:05:09.000Z');
    expect(parsed('2011년 03월 15일 08:05:09')).toBe('2011-03-14T23:05:09.000Z');
  });

  it('keeps years before 100 literal instead of mapping them to 19xx', () => {
    expect(parsed('0050-06-01T00:00:00Z')).toBe('0050-06-01T00:00:00.000Z');
    expect(parsed('Mon, 01 Jan 0050 00:30:00 +0100')).toBe('0049-12-31T23:30:00.000Z');
  });
});

describe('parseFeedDate: broken forms seen in real feeds', () => {
  it.each([
    ['2011-03-15 08:05:09 -00:00', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15 08:05:09 +01:00', '2011-03-15T07:05:09.000Z'],
    ['2011-03-15 08:05:09 UTC', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15 08:05:09.0', '2011-03-15T08:05:09.000Z'],
    ['2011-03-15T08:05:09 PST', '2011-03-15T16:05:09.000Z'],
    ['2011-03-15 8:05:09 PM', '2011-03-15T20:05:09.000Z'],
    ['  Tue,\n\t15 Mar 2011   08:05:09 GMT  ', '2011-03-15T08:05:09.000Z'],
    ['Tue, 15 Mar 2011 08:05:09 GMT+01:00', '2011-03-15T07:05:09.000Z'],
    ['Tue, 15 Mar 2011 08:05:09 Etc/GMT', '2011-03-15T08:05:09.000Z'],
    ['15th March 2011 at 8:05 pm', '2011-03-15T20:05:00.000Z'],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toBe(expected);
  });
});

describe('parseFeedDate: rejection', () => {
  it.each([null, undefined, '', '   ', 'today', 'n/a', '0', '013', '1300000000', '2011-03-15T08:05:09+01:00garbage'])(
    'rejects non-dates: %s',
    (input) => {
      expect(parseFeedDate(input)).toBeNull();
    },
  );

  it('rejects non-string values that slip through untyped JSON', () => {
    expect(parseFeedDate(1300000000 as unknown as string)).toBeNull();
  });

  it.each([
    '2011-02-29', // not a leap year
    '2012-02-30',
    '2011-04-31',
    '2011-13-01',
    '2011-00-10',
    '2011-03-00',
    '0000-01-01',
    '2011-366', // ordinal past the end of a common year
    '2011-W53-1', // 2011 has 52 weeks
    '2011-W11-8',
    'Tue, 31 Jun 2011 08:05:09 GMT',
    'Tue, 32 Mar 2011 08:05:09 GMT',
    'Tue, 15 Mar 2011 24:05:09 GMT',
    'Tue, 15 Mar 2011 25:00:00 GMT',
    'Tue, 15 Mar 2011 08:60:00 GMT',
    'Tue, 15 Mar 2011 08:05:61 GMT',
    '2011-03-15T24:00:01Z',
    '2011-03-15T13:05:09 PM',
    'March 2, 2011 0:10 am',
  ])('rejects impossible date or time %s (no rollover)', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });

  it.each([
    'Tue, 15 Mar 2011 08:05:09 +15:00', // beyond any real offset
    'Tue, 15 Mar 2011 08:05:09 +01:75',
    'Tue, 15 Mar 2011 08:05:09 +1:5',
    'Tue, 15 Mar 2011 08:05:09 +ab:00',
    'Tue, 15 Mar 2011 08:05:09 +100',
    'Tue, 15 Mar 2011 08:05:09 IST', // India, Israel or Ireland
    'Tue, 15 Mar 2011 08:05:09 BST', // British or Bangladesh
    'Tue, 15 Mar 2011 08:05:09 Europe/Paris',
    'Tue, 15 Mar 2011 08:05:09 J', // the military letter left unassigned
    'Tue, 15 Mar 2011 08:05:09 EST+5', // only GMT/UTC may carry an offset
    'Tue, 15 Mar 2011 08:05:09 +0100 extra words',
    'Tue, 15 Mar 2011 08:05:09 PMT',
  ])('rejects unknown or malformed zone: %s', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });

  it.each([
    'Tue, 15 Mar 2011 8:5:9 GMT',
    'Tue, 15 Mar 2011 08:05:09:10 GMT',
    'Tue, 15 Foo 2011 08:05:09 GMT',
    'Tue, Mar y 2011 08:05:09 GMT',
    'Tue, 15 Mar yy 08:05:09 GMT',
    'Tue, 15 Mar 20111 08:05:09 GMT',
    'Tue, 15 Mar 2011 GMT', // a zone with no time to apply it to
    'Posted on 15 Mar 2011',
    '2011-03-15-08',
    '2011-ab-15',
    '2011-03-15T08:ab:09Z',
    '2011-03-15 0805', // basic-format time needs the T
    '03/15/2011', // numeric with the year last: day/month order unknown
    '15/03/2011',
    '15.03.2011',
  ])('rejects malformed text: %s', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });

  it('rejects overlong input without scanning it', () => {
    expect(parseFeedDate(`Tue, 15 Mar 2011 08:05:09 GMT ${'x'.repeat(200)}`)).toBeNull();
  });
});
