// Near-duplicate fingerprints for syndicated copy. The same wire story reaches us from many outlets
// with a new headline, a dateline added, a sentence trimmed or a word changed. Word 3-shingles of
// the story's text barely change under such edits, so the Jaccard similarity of two copies' shingle
// sets stays high, while two different stories about the same event share few three-word runs.
// MinHash estimates that similarity from a 60-number signature, and LSH banding (20 bands of 3)
// turns "who is similar to this item?" into 20 equality lookups in an index (band-index.ts): the
// cost per new item does not grow with the size of the store.

export const SIGNATURE_SIZE = 60;
export const BANDS = 20;
export const ROWS_PER_BAND = SIGNATURE_SIZE / BANDS;
const SHINGLE = 3;

// Fixed seeds: signatures must stay comparable across processes and releases.
const SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

function mix32(x: number): number {
  // murmur3 finalizer: cheap, well-distributed 32-bit mixing.
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function hashString(s: string): number {
  // FNV-1a over UTF-16 code units.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words of the text, punctuation and markup-free (the caller passes plain text). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Hashes of the word 3-shingles (single words for texts shorter than a shingle). */
export function shingles(tokens: string[]): Set<number> {
  const out = new Set<number>();
  if (tokens.length < SHINGLE) {
    for (const t of tokens) out.add(hashString(t));
    return out;
  }
  for (let i = 0; i + SHINGLE <= tokens.length; i++) out.add(hashString(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`));
  return out;
}

/** The MinHash signature of a shingle set, or null for an empty one (nothing to compare). */
export function signature(set: Set<number>): number[] | null {
  if (set.size === 0) return null;
  const sig = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const h of set) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const v = mix32(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  // Stored as PostgreSQL int4: shift into the signed range.
  return sig.map((v) => v | 0);
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let equal = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) equal += 1;
  return equal / SIGNATURE_SIZE;
}

/**
 * One key per band, by band: a 30-bit hash of the band's rows. Two items share band b when their
 * keys at position b are equal (or, rarely, the hashes collide; candidates are always confirmed by
 * their full signatures). 30 bits keep the keys small integers, which V8 hashes and compares
 * without allocating: as band × 2^32 + hash, the band index's lookups cost 30 times as much.
 */
export function bandKeys(sig: readonly number[]): number[] {
  const keys: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let h = band + 1;
    for (let r = 0; r < ROWS_PER_BAND; r++) h = mix32(h ^ sig[band * ROWS_PER_BAND + r]! ^ Math.imul(r + 1, 0x27d4eb2d));
    keys.push(h & 0x3fffffff);
  }
  return keys;
}

/** The text a story is compared on: its body, with the headline only when the body is too short. */
export function fingerprintText(title: string | null, bodyText: string | null): string {
  const body = (bodyText ?? '').slice(0, 4000);
  return words(body).length >= 15 ? body : `${title ?? ''} ${body}`;
}

/** The signature of a story's text (see fingerprintText), or null when it has no words. */
export function textSignature(title: string | null, bodyText: string | null): number[] | null {
  return signature(shingles(words(fingerprintText(title, bodyText))));
}
