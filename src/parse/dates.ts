// Feed date parsing. Feeds carry dates in every shape RFC 822, ISO 8601 and their broken
// offspring allow; a wrong date is worse than none (it reorders stories and breaks dedup), so
// every field is validated and anything ambiguous or impossible gives null. Date.parse is never
// used: it accepts garbage and rolls Feb 30 over to March.

type Ymd = [year: number, month: number, day: number];
interface ClockTime {
  hour: number;
  minute: number;
  second: number;
}

const MIDNIGHT: ClockTime = { hour: 0, minute: 0, second: 0 };
// Long inputs are never dates; the cap also bounds regex work on hostile feeds.
const MAX_INPUT_LENGTH = 120;
const MINUTES_PER_HOUR = 60;
// Date.UTC maps years 0-99 to 1900-1999; computing 400 years later (an exact Gregorian cycle
// of 146097 days) and subtracting the cycle keeps those early years literal.
const GREGORIAN_CYCLE_YEARS = 400;
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;
// Real UTC offsets lie within -12:00..+14:00; bigger ones are corruption, not a zone.
const MAX_OFFSET_HOURS = 14;
// Korean blog platforms (feedparser's nate/onblog handlers) write Korean local time, no zone.
const KOREA_OFFSET_MINUTES = 9 * MINUTES_PER_HOUR;

// --- Names -------------------------------------------------------------------------------

// One line per month: English, Hungarian (feedparser's _parse_date_hungarian) and Greek
// (_parse_date_greek) spellings, folded by foldName (lower case, accents dropped).
const MONTH_NAMES_BY_MONTH = [
  'jan january januar ιαν',
  'feb february februar febr φεβ',
  'mar march marcius marc μαρ',
  'apr april aprilis απρ',
  'may majus maj μαι',
  'jun june junius ιουν ιον',
  'jul july julius ιουλ ιολ',
  'aug august augusztus αυγ',
  'sep sept september szeptember szept σεπ',
  'oct october oktober okt οκτ',
  'nov november νοε',
  'dec december δεκ',
];
const MONTH_BY_FOLDED_NAME = new Map(
  MONTH_NAMES_BY_MONTH.flatMap((names, index) => names.split(' ').map((name) => [name, index + 1] as const)),
);
const COMBINING_MARKS_RE = /\p{M}/gu;

function monthFromName(word: string): number | null {
  return MONTH_BY_FOLDED_NAME.get(word.normalize('NFD').replace(COMBINING_MARKS_RE, '').toLowerCase()) ?? null;
}

// Zone abbreviations with a single meaning. Left out on purpose because they name several
// zones: BST (British/Bangladesh), IST (India/Israel/Ireland), AST/ADT (Atlantic/Arabia), SST.
// EST, CST and MST keep their RFC 822 (US) meaning although other countries reuse them.
const FIXED_ZONE_HOURS: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, 'ETC/GMT': 0, 'ETC/UTC': 0,
  EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7,
  AKST: -9, AKDT: -8, HST: -10, NST: -3.5, NDT: -2.5,
  WET: 0, WEST: 1, CET: 1, CEST: 2, MET: 1, MEST: 2, MEZ: 1, MESZ: 2, EET: 2, EEST: 3, MSK: 3,
  JST: 9, KST: 9, HKT: 8, SGT: 8, AWST: 8, ACST: 9.5, ACDT: 10.5, AEST: 10, AEDT: 11, NZST: 12, NZDT: 13,
};
const ZONE_OFFSET_MINUTES = new Map(Object.entries(FIXED_ZONE_HOURS).map(([name, hours]) => [name, hours * MINUTES_PER_HOUR]));
// Military letters as RFC 822 defines them (A = -1 ... M = -12, N = +1 ... Y = +12, no J),
// the definition RSS 2.0 cites and feedparser follows. (RFC 2822 notes these signs are the
// reverse of military usage; feeds virtually only ever send Z.)
[...'ABCDEFGHIKLM'].forEach((letter, index) => ZONE_OFFSET_MINUTES.set(letter, -(index + 1) * MINUTES_PER_HOUR));
[...'NOPQRSTUVWXY'].forEach((letter, index) => ZONE_OFFSET_MINUTES.set(letter, (index + 1) * MINUTES_PER_HOUR));
// Generic North American names (feedparser accepts them) say nothing about daylight saving, so
// their offset is the standard one plus an hour while US/Canada DST is in effect locally.
const GENERIC_ZONE_STANDARD_HOURS: Record<string, number> = { AT: -4, ET: -5, CT: -6, MT: -7, PT: -8 };
// Names allowed in front of an offset ("GMT+2", "UTC-05:00"): the offset is then from UTC.
const UTC_NAMES = new Set(['GMT', 'UTC', 'UT']);

// --- Patterns ----------------------------------------------------------------------------

const WHITESPACE_RUN_RE = /\s+/g;
// RFC 2822 comments and JS Date.toString() append "(Central European Summer Time)".
const TRAILING_COMMENT_RE = / ?\([^()]*\)$/;
// A leading weekday is skipped unchecked: feeds misspell it and often get it wrong.
const WEEKDAY = String.raw`(?:\p{L}{2,}\.?(?:, ?| ))?`;
const ORDINAL_SUFFIX = '(?:st|nd|rd|th)?';
const MERIDIEM = String.raw`(?: ?(?<meridiem>[AaPp])\.?[Mm]\.?(?!\p{L}))?`;
const CLOCK = String.raw`(?<hour>\d{1,2}):(?<minute>\d\d)(?::(?<second>\d\d)(?:[.,]\d+)?)?${MERIDIEM}`;
// What follows the time is checked by zoneOffsetMinutes, so it may be anything here.
const ZONE_TAIL = '(?: ?(?<zone>.+))?';

// "Thu, 01 Jan 2004 19:48:21 GMT", "5 Apr 12 10:00", "Fri,24 Nov 2023", "13 Feb, 2012 6:28 UTC".
const DAY_MONTH_YEAR_RE = new RegExp(
  String.raw`^${WEEKDAY}(?<day>\d{1,2})${ORDINAL_SUFFIX}[ -](?<month>\p{L}{3,})\.?,?[ -](?<year>\d{2,4})(?!\d),?(?: (?:at )?${CLOCK}${ZONE_TAIL})?$`,
  'iu',
);
// "Thu Aug 30 2012 17:26:16 GMT+0200" (JS Date), "January 4, 2004 4:29 PM EST" (US style).
const MONTH_DAY_YEAR_RE = new RegExp(
  String.raw`^${WEEKDAY}(?<month>\p{L}{3,})\.?[ -](?<day>\d{1,2})${ORDINAL_SUFFIX},? (?<year>\d{4}),?(?: (?:at )?${CLOCK}${ZONE_TAIL})?$`,
  'iu',
);
// asctime "Sun Jan 4 16:29:06 2004", Twitter "Sun Jul 15 01:16:00 +0000 2012", date(1) "... UTC 2012".
const ASCTIME_RE = new RegExp(
  String.raw`^${WEEKDAY}(?<month>\p{L}{3,})\.? (?<day>\d{1,2}) ${CLOCK}(?: (?<zone>[+-]\d{4}|\p{L}{1,5}))? (?<year>\d{4})$`,
  'iu',
);
// ISO 8601 / W3C-DTF and year-first relatives ("2006/09/15 08:19:53 EDT", "2004-július-13T9:15").
// The date part is only delimited here (lazily, so it stops at the first "T<digit>" or space)
// and validated by parseIsoDate; the weekday prefix is for Perforce's "Fri, 2006/09/15 ...".
const ISO_RE = new RegExp(
  String.raw`^${WEEKDAY}(?<date>-?\d[\d\p{L}/.-]*?)(?:(?<separator>[Tt ])(?<time>\d[\d:.,]*)${MERIDIEM}${ZONE_TAIL})?$`,
  'u',
);
const ISO_TIME_EXTENDED_RE = /^(\d{1,2}):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?$/;
const ISO_TIME_BASIC_RE = /^(\d\d)(\d\d)(?:(\d\d)(?:[.,]\d+)?)?$/;
// Year-first calendar dates: 2003-12-31, 20031231, 2003/12/31, 2003-Dec-31, 2003-012-31 (a
// zero-padded month feedparser accepts). Year-last numeric dates (03/12/2004) are rejected:
// day-month and month-day order cannot be told apart.
const ISO_CALENDAR_RE = /^(\d{4})([-/.]?)(\d{1,2}|0\d\d|\p{L}{3,})\.?\2(\d{1,2})$/u;
const ISO_YEAR_MONTH_RE = /^(\d{4})(?:[-/](\d{1,2}))?$/;
const ISO_ORDINAL_RE = /^(\d{4}|\d\d)-?(\d{3})$/;
const ISO_WEEK_RE = /^(\d{4})-?W(\d\d)(?:-?([1-7]))?$/;
// ISO 8601:1988 two-digit-year forms that feedparser still reads: 031231, 03-12-31, -0312, -03-12.
const ISO_SHORT_YEAR_RE = /^(\d\d)(-?)(\d\d)\2(\d\d)$|^-(\d\d)-?(\d\d)$/;
// Korean: "2004-05-25 오후 11:23:17" (오전 = a.m., 오후 = p.m.) and "2004년 05월 28일 01:31:15".
const KOREAN_RE = /^(\d{4})(?:-|년 ?)(\d{1,2})(?:-|월 ?)(\d{1,2})일? (?:(오전|오후) ?)?(\d{1,2}):(\d\d)(?::(\d\d))?$/u;
// "GMT", "+0100", "-05:00", "+1", "GMT+2", "UTC-01:01", "Etc/GMT", "-0500 EST" (numbers win).
const ZONE_RE =
  /^(?:(?<name>[a-z]{1,5}|etc\/(?:gmt|utc)) ?)?(?:(?<sign>[+-])(?:(?<hours>\d\d):?(?<minutes>\d\d)|(?<shortHours>\d\d?)(?::(?<shortMinutes>\d\d))?))?(?: (?<label>[A-Z]{2,5}))?$/i;
const UPPERCASE_RE = /^[A-Z]+$/;
const LEADING_DIGIT_RE = /^\d/;

// --- Calendar arithmetic -----------------------------------------------------------------

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const SAKAMOTO_MONTH_SHIFT = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_BEFORE_MONTH[month]! - DAYS_BEFORE_MONTH[month - 1]!;
}

function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** 0 = Sunday. Plain arithmetic (Sakamoto), valid for any Gregorian year. */
function dayOfWeek(year: number, month: number, day: number): number {
  const y = month < 3 ? year - 1 : year;
  return (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + SAKAMOTO_MONTH_SHIFT[month - 1]! + day) % 7;
}

/** Years 1-9999: year 0 does not exist in feeds, and 5-digit years are typos. */
function isRealDay(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** RFC 2822 4.3: 2-digit years 00-49 are 20xx and 50-99 19xx; 3-digit years (Y2K-era bugs printing year - 1900) get 1900 added. */
function expandYear(digits: string): number {
  const value = Number(digits);
  if (digits.length === 2) return value < 50 ? 2000 + value : 1900 + value;
  return digits.length === 3 ? 1900 + value : value;
}

function fromOrdinal(year: number, dayOfYear: number): Ymd | null {
  if (dayOfYear < 1 || dayOfYear > daysInYear(year)) return null;
  const leapShift = isLeapYear(year) && dayOfYear > 59 ? 1 : 0;
  if (leapShift === 1 && dayOfYear === 60) return [year, 2, 29];
  let month = 1;
  while (DAYS_BEFORE_MONTH[month]! < dayOfYear - leapShift) month++;
  return [year, month, dayOfYear - leapShift - DAYS_BEFORE_MONTH[month - 1]!];
}

function isoWeeksInYear(year: number): number {
  const dec31Weekday = (y: number) => (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7;
  return dec31Weekday(year) === 4 || dec31Weekday(year - 1) === 3 ? 53 : 52;
}

function fromIsoWeek(year: number, week: number, weekday: number): Ymd | null {
  if (year < 2 || year > 9998 || week < 1 || week > isoWeeksInYear(year)) return null;
  const jan4IsoWeekday = dayOfWeek(year, 1, 4) || 7;
  let dayOfYear = week * 7 + weekday - (jan4IsoWeekday + 3);
  let actualYear = year;
  if (dayOfYear < 1) dayOfYear += daysInYear(--actualYear);
  else if (dayOfYear > daysInYear(year)) dayOfYear -= daysInYear(actualYear++);
  return fromOrdinal(actualYear, dayOfYear);
}

function nthSunday(year: number, month: number, nth: number): number {
  return 1 + ((7 - dayOfWeek(year, month, 1)) % 7) + 7 * (nth - 1);
}

function lastSunday(year: number, month: number): number {
  const lastDay = daysInMonth(year, month);
  return lastDay - dayOfWeek(year, month, lastDay);
}

/** US/Canada daylight saving at a local wall-clock time; it switches at 02:00 local. */
function isNorthAmericanDst(year: number, month: number, day: number, hour: number): boolean {
  const [startMonth, startDay, endMonth, endDay] =
    year >= 2007
      ? [3, nthSunday(year, 3, 2), 11, nthSunday(year, 11, 1)]
      : year >= 1987
        ? [4, nthSunday(year, 4, 1), 10, lastSunday(year, 10)]
        : [4, lastSunday(year, 4), 10, lastSunday(year, 10)];
  const local = (month * 100 + day) * 100 + hour;
  return local >= (startMonth * 100 + startDay) * 100 + 2 && local < (endMonth * 100 + endDay) * 100 + 2;
}

// --- Assembly ----------------------------------------------------------------------------

function clockTime(hourText: string | undefined, minuteText: string | undefined, secondText: string | undefined, meridiem: string | undefined): ClockTime | null {
  let hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  // 24:00 is ISO 8601's end of day (the next midnight); 60 seconds is a leap second.
  if (hour === 24 ? minute !== 0 || second !== 0 : hour > 23) return null;
  if (minute > 59 || second > 60) return null;
  // A Date cannot hold a leap second; its last whole second is the nearest instant.
  return { hour, minute, second: Math.min(second, 59) };
}

/** Minutes east of UTC, or null for anything not a known, sane zone (guessing UTC would give a wrong date). */
function zoneOffsetMinutes(zoneText: string, year: number, month: number, day: number, hour: number): number | null {
  const zone = ZONE_RE.exec(zoneText)?.groups;
  if (!zone) return null;
  const { name, sign, label } = zone;
  if (sign === undefined) {
    if (name === undefined || label !== undefined) return null;
    const upperName = name.toUpperCase();
    const genericHours = GENERIC_ZONE_STANDARD_HOURS[upperName];
    if (genericHours !== undefined) return (genericHours + (isNorthAmericanDst(year, month, day, hour) ? 1 : 0)) * MINUTES_PER_HOUR;
    return ZONE_OFFSET_MINUTES.get(upperName) ?? null;
  }
  if (name !== undefined && !UTC_NAMES.has(name.toUpperCase())) return null;
  // A trailing abbreviation after a numeric offset is informational; it must at least look like one.
  if (label !== undefined && !UPPERCASE_RE.test(label)) return null;
  const hours = Number(zone.hours ?? zone.shortHours);
  const minutes = Number(zone.minutes ?? zone.shortMinutes ?? 0);
  if (hours > MAX_OFFSET_HOURS || minutes > 59) return null;
  return (sign === '-' ? -1 : 1) * (hours * MINUTES_PER_HOUR + minutes);
}

function build([year, month, day]: Ymd, clock: ClockTime | null, zoneText: string | undefined, defaultOffsetMinutes = 0): Date | null {
  if (!isRealDay(year, month, day)) return null;
  const { hour, minute, second } = clock ?? MIDNIGHT;
  const offsetMinutes = zoneText === undefined ? defaultOffsetMinutes : zoneOffsetMinutes(zoneText, year, month, day, hour);
  if (offsetMinutes === null) return null;
  // Whole seconds on purpose: feeds never need more, and equal dates then compare equal
  // across sources (and match feedparser) whatever fraction one of them printed.
  const shiftedMs = Date.UTC(year + GREGORIAN_CYCLE_YEARS, month - 1, day, hour, minute - offsetMinutes, second);
  return new Date(shiftedMs - GREGORIAN_CYCLE_MS);
}

// --- Families ----------------------------------------------------------------------------
// Each returns undefined when the text is not in its family, null when it is but is invalid.

function parseIsoDate(text: string): Ymd | null {
  let match = ISO_ORDINAL_RE.exec(text);
  if (match) return fromOrdinal(expandYear(match[1]!), Number(match[2]));
  if ((match = ISO_WEEK_RE.exec(text))) return fromIsoWeek(Number(match[1]), Number(match[2]), Number(match[3] ?? 1));
  if ((match = ISO_YEAR_MONTH_RE.exec(text))) return [Number(match[1]), Number(match[2] ?? 1), 1];
  if ((match = ISO_SHORT_YEAR_RE.exec(text))) {
    return match[1] !== undefined
      ? [expandYear(match[1]), Number(match[3]), Number(match[4])]
      : [expandYear(match[5]!), Number(match[6]), 1];
  }
  if (!(match = ISO_CALENDAR_RE.exec(text))) return null;
  const [, yearText, separator, monthText = '', dayText = ''] = match;
  // Without separators only two-digit month and day are unambiguous (200401015: Oct 15 or Jan 15?).
  if (separator === '' && (monthText.length !== 2 || dayText.length !== 2)) return null;
  const month = LEADING_DIGIT_RE.test(monthText) ? Number(monthText) : monthFromName(monthText);
  return month === null ? null : [Number(yearText), month, Number(dayText)];
}

function parseIso(text: string): Date | null | undefined {
  const groups = ISO_RE.exec(text)?.groups;
  const ymd = groups && parseIsoDate(groups.date!);
  // An unrecognised date part means another family ("01-Jan-2004 10:00") may own the text.
  if (!groups || !ymd) return undefined;
  if (groups.time === undefined) return build(ymd, null, undefined);
  // Basic-format times (081500) only after a "T": "2004-01-05 0815" is more likely junk.
  const time = ISO_TIME_EXTENDED_RE.exec(groups.time) ?? (groups.separator === ' ' ? null : ISO_TIME_BASIC_RE.exec(groups.time));
  const clock = time && clockTime(time[1], time[2], time[3], groups.meridiem);
  return clock ? build(ymd, clock, groups.zone) : null;
}

function parseTextual(pattern: RegExp, text: string): Date | null | undefined {
  const groups = pattern.exec(text)?.groups;
  if (!groups) return undefined;
  const month = monthFromName(groups.month!);
  if (month === null) return null;
  let clock: ClockTime | null = null;
  if (groups.hour !== undefined) {
    clock = clockTime(groups.hour, groups.minute, groups.second, groups.meridiem);
    if (!clock) return null;
  }
  return build([expandYear(groups.year!), month, Number(groups.day)], clock, groups.zone);
}

function parseKorean(text: string): Date | null | undefined {
  const match = KOREAN_RE.exec(text);
  // Without 년 or 오전/오후 it is a plain ISO date, which is UTC, not Korean time.
  if (!match || (match[4] === undefined && !text.includes('년'))) return undefined;
  const meridiem = match[4] === undefined ? undefined : match[4] === '오후' ? 'p' : 'a';
  const clock = clockTime(match[5], match[6], match[7], meridiem);
  return clock && build([Number(match[1]), Number(match[2]), Number(match[3])], clock, undefined, KOREA_OFFSET_MINUTES);
}

// Korean first (its dates are otherwise ISO-shaped but not UTC), then by decreasing strictness.
const FAMILIES: Array<(text: string) => Date | null | undefined> = [
  parseKorean,
  parseIso,
  (text) => parseTextual(DAY_MONTH_YEAR_RE, text),
  (text) => parseTextual(MONTH_DAY_YEAR_RE, text),
  (text) => parseTextual(ASCTIME_RE, text),
];

/** Parses a date as found in RSS/Atom/JSON feeds. Returns null for anything that is not a real, unambiguous date (never a wrong date). */
export function parseFeedDate(input: string | null | undefined): Date | null {
  // Feeds decoded from JSON can put numbers or objects here despite the type.
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const text = input.replace(WHITESPACE_RUN_RE, ' ').trim().replace(TRAILING_COMMENT_RE, '');
  if (text === '') return null;
  for (const parseFamily of FAMILIES) {
    const result = parseFamily(text);
    // null means the family recognised the text and found it invalid: no other reading is tried.
    if (result !== undefined) return result;
  }
  return null;
}
