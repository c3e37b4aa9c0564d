// What an article says, as weighted terms for story clustering. Reports of one event share its
// names — people, places, organisations, numbers — far more reliably than its wording, so besides
// stemmed words (English and Russian Snowball stemmers, stop words removed) we extract
// entity-like terms: capitalised words and runs of them ("Theresa May", "Tham Luang"), acronyms
// (NATO, GRU) and numbers with units ($200bn, 4%). Headline terms count more than summary terms:
// a headline is the outlet's own summary of what happened.
import { createRequire } from 'node:module';

// Both are CommonJS: stopwords-iso a bare JSON module (which ESM imports only with an import
// attribute), snowball-stemmers a UMD bundle; require reads them the same under every loader.
const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(language: string): { stem(word: string): string } };
const stopwordLists = require('stopwords-iso') as { en: string[]; ru: string[] };

export interface ArticleText {
  title: string | null;
  /** Plain text (no markup). */
  summary: string | null;
  /** BCP 47 language tag when known; otherwise guessed from the script. */
  lang?: string | null;
}

export interface ArticleFeatures {
  /** Term → weight (term frequency, weighted by where the term occurs and what it is). */
  terms: Map<string, number>;
  /** The entity-like terms among them (prefixed "e:"), for explanations. */
  entities: Set<string>;
}

export interface FeatureWeights {
  /** How much more a headline term counts than a summary term. */
  title: number;
  /** How much more an entity-like term counts than a plain word. */
  entity: number;
}

export const DEFAULT_WEIGHTS: FeatureWeights = { title: 2, entity: 1 };

const english = snowball.newStemmer('english');
const russian = snowball.newStemmer('russian');

// stopwords-iso's English list also holds content words that matter for news ("world" in World
// Cup, "state", "house", "home"); those stay terms.
const KEEP = new Set(['world', 'home', 'state', 'states', 'house', 'million', 'billion', 'first', 'second', 'end', 'man', 'men', 'women', 'school', 'court', 'law', 'war', 'government', 'group', 'case', 'cases', 'area', 'part', 'problem']);
const STOP = new Set([...stopwordLists.en.filter((w) => !KEEP.has(w)), ...stopwordLists.ru, 'said', 'says', 'told', 'report', 'reports', 'reported', 'news', 'сообщил', 'заявил', 'сообщает']);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}%]|[\p{L}\p{N}]%?/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const CAPITALISED = /^\p{Lu}[\p{Ll}'’-]+$/u;
const ACRONYM = /^\p{Lu}[\p{Lu}\d&]{1,6}$/u;
const NUMBER_WITH_UNIT = /^(?:[$€£¥₽])?\d[\d.,]*(?:%|bn|m|k|tn|km|kg|°c)?$/iu;
const SENTENCE_END = /[.!?:;"“”«»]\s*$/;

// The Snowball port costs ~20 µs a word; news vocabulary repeats, so stems are remembered (the
// cache is dropped when it grows past a bound, which keeps memory flat in a long-running worker).
const stems = new Map<string, string>();
const STEM_CACHE_SIZE = 200_000;

function stem(word: string): string {
  const cached = stems.get(word);
  if (cached !== undefined) return cached;
  const lower = word.toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, '');
  const stemmed = /^\d/.test(lower) ? lower : CYRILLIC.test(lower) ? russian.stem(lower) : english.stem(lower);
  if (stems.size >= STEM_CACHE_SIZE) stems.clear();
  stems.set(word, stemmed);
  return stemmed;
}

function add(terms: Map<string, number>, term: string, weight: number): void {
  terms.set(term, (terms.get(term) ?? 0) + weight);
}

/** Adds one text's terms: stemmed words, and entity terms for names, acronyms and numbers. */
function addText(text: string, weight: number, entityWeight: number, terms: Map<string, number>, entities: Set<string>): void {
  let run: string[] = [];
  const endRun = () => {
    if (run.length > 1) {
      const entity = `e:${run.join(' ')}`;
      add(terms, entity, weight * entityWeight);
      entities.add(entity);
    }
    run = [];
  };
  let previousEnd = 0;
  let sentenceStart = true;
  // In a Title Case Headline capitals say nothing; only acronyms still mark names there.
  const words = text.match(WORD) ?? [];
  const content = words.filter((w) => !STOP.has(w.toLowerCase()) && /^\p{L}/u.test(w));
  const titleCase = content.length >= 4 && content.filter((w) => /^\p{Lu}/u.test(w)).length / content.length > 0.7;
  for (const match of text.matchAll(WORD)) {
    const word = match[0].replace(/[.-]+$/, '');
    const between = text.slice(previousEnd, match.index);
    previousEnd = match.index + match[0].length;
    if (SENTENCE_END.test(between) || /[,()\u2014]/.test(between)) endRun();
    if (SENTENCE_END.test(between)) sentenceStart = true;
    const lower = word.toLowerCase();
    const isStop = STOP.has(lower);
    const acronym = ACRONYM.test(word);
    const named = !isStop && (acronym || (CAPITALISED.test(word) && !sentenceStart && !titleCase));
    sentenceStart = false;
    if (NUMBER_WITH_UNIT.test(word) && /%|bn|m$|tn|[$€£¥₽]/iu.test(word)) {
      const entity = `e:${lower}`;
      add(terms, entity, weight * entityWeight);
      entities.add(entity);
      endRun();
      continue;
    }
    if (isStop || lower.length < 2 || /^\d{1,2}$/.test(lower)) {
      endRun();
      continue;
    }
    const stemmed = stem(word);
    if (named) {
      // A name is a term of its own (weighted up) besides its word, and runs of names one more.
      const entity = `e:${stemmed}`;
      add(terms, entity, weight * entityWeight);
      entities.add(entity);
      run.push(stemmed);
    } else {
      endRun();
    }
    add(terms, stemmed, weight);
  }
  endRun();
}

export function articleFeatures(article: ArticleText, weights: FeatureWeights = DEFAULT_WEIGHTS): ArticleFeatures {
  const terms = new Map<string, number>();
  const entities = new Set<string>();
  if (article.title) addText(article.title, weights.title, weights.entity, terms, entities);
  if (article.summary) addText(article.summary.slice(0, 3000), 1, weights.entity, terms, entities);
  return { terms, entities };
}
