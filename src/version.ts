import { readFileSync } from 'node:fs';

// Read once from package.json so the User-Agent and /healthz never disagree with the release.
// The path works from src/ (tsx, vitest) and from dist/src/ (compiled).
function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'feedloom' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export const packageVersion = readVersion();
