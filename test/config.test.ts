import { describe, expect, it } from 'vitest';
import { loadConfig, redactDatabaseUrl } from '../src/config/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: null,
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      adminToken: null,
      pollCron: '* * * * *',
      allowPrivateNetworks: false,
      logLevel: 'info',
      retentionDays: 180,
    });
    expect(c.dataDir).toBe(`${process.cwd()}/data`);
    expect(c.userAgent).toMatch(/^feedloom\/\d+\.\d+\.\d+ \(\+http:\/\/127\.0\.0\.1:8080\)$/);
  });

  it('reads the environment, and flags override it', () => {
    const env = { PORT: '9090', HOST: '0.0.0.0', PUBLIC_URL: 'https://news.example.org/loom/', ALLOW_PRIVATE_NETWORKS: 'TRUE', LOG_LEVEL: 'Debug' };
    const c = loadConfig(env, { PORT: '7070' });
    expect(c.port).toBe(7070);
    expect(c.publicUrl).toBe('https://news.example.org/loom');
    expect(c.allowPrivateNetworks).toBe(true);
    expect(c.logLevel).toBe('debug');
    expect(c.userAgent).toContain('(+https://news.example.org/loom)');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' })).toMatchObject({ databaseUrl: null, port: 8080 });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL: expected a URL like postgres:\/\//],
    [{ DATABASE_URL: 'postgres//nohost' }, /DATABASE_URL/],
    [{ PORT: '80a' }, /PORT: expected a port number/],
    [{ PORT: '70000' }, /PORT: expected 0-65535/],
    [{ POLL_CRON: 'every minute' }, /POLL_CRON: expected a cron expression/],
    [{ ALLOW_PRIVATE_NETWORKS: 'maybe' }, /ALLOW_PRIVATE_NETWORKS: expected true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL: expected an http\(s\) URL/],
    [{ RETENTION_DAYS: '0' }, /RETENTION_DAYS: expected at least 1 day/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a password in messages', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db.example:5432/feeds')).toBe('postgres://app:***@db.example:5432/feeds');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://app:s3cret@db' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});
