// Where code lives is checked, not only described: the dependency rules of the README's layout
// map, over the import statements of every module in src/, db/ and jobs/.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.parentPath.split(path.sep).includes('testdata'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** Every module's relative imports, as repository paths (src/x/y.ts). */
const graph = new Map<string, string[]>(
  ['src', 'db', 'jobs'].flatMap(modules).map((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const specs = [...text.matchAll(/^(?:import|export)[^'"]*from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm)].map((m) => m[1] ?? m[2]!);
    return [file, specs.map((spec) => path.relative(root, path.resolve(root, path.dirname(file), spec)).replace(/\.js$/, '.ts'))];
  }),
);

const importers = (filter: (from: string, to: string) => boolean) =>
  [...graph].flatMap(([from, tos]) => tos.filter((to) => filter(from, to)).map((to) => `${from} → ${to}`));

describe('layout', () => {
  it('reads the modules', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/ingest/store-items.ts')).toContain('src/stories/story-store.ts');
  });

  it('nothing in src/ imports jobs/ (the entry point hands the jobs over)', () => {
    expect(importers((from, to) => from.startsWith('src/') && to.startsWith('jobs/'))).toEqual([]);
  });

  it('db/ imports nothing from src/ but errors and config', () => {
    expect(importers((from, to) => from.startsWith('db/') && to.startsWith('src/') && to !== 'src/errors.ts' && !to.startsWith('src/config/'))).toEqual([]);
  });

  it('src/publish imports nothing from src/http, and stages never import the HTTP layer or the CLI', () => {
    expect(importers((from, to) => !from.startsWith('src/http/') && !from.startsWith('src/cli/') && !from.startsWith('src/service/') && (to.startsWith('src/http/') || to.startsWith('src/cli/')))).toEqual([]);
  });

  it('SQL lives in db/, but for topic queries made SQL (src/topics) and the NOTIFY channel (src/publish)', () => {
    const kysely = [...graph.keys()].filter((file) => /\bsql(?:<[^>]*>)?`/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(kysely.filter((file) => !file.startsWith('db/'))).toEqual(['src/publish/story-changes.ts', 'src/topics/query-sql.ts']);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
