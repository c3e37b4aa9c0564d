// Admin routes: a bearer-token guard, and the announcement of successful writes. The comparison
// is constant-time so that response timing does not reveal how much of a guessed token was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminGuard(adminToken: string | null) {
  const expected = adminToken === null ? null : digest(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) {
      return sendError(reply, 403, 'admin_disabled', 'admin routes are disabled; set ADMIN_TOKEN to enable them');
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    // Hashing first gives equal-length inputs, as timingSafeEqual requires.
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      reply.header('www-authenticate', 'Bearer realm="feedloom admin"');
      return sendError(reply, 401, 'unauthorized', 'missing or wrong bearer token');
    }
  };
}

export interface AdminOptions {
  adminToken: string | null;
  /** Called after each successful write: it may change what published feeds show. */
  announceWrite(): Promise<void>;
}

/** Makes a plugin scope an admin scope: guarded, and its successful writes announced. */
export function adminScope(admin: FastifyInstance, options: AdminOptions): void {
  admin.addHook('onRequest', adminGuard(options.adminToken));
  admin.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) await options.announceWrite();
  });
}
