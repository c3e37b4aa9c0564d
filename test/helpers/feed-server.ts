// A real HTTP server on 127.0.0.1 that serves fixture responses, for fetch and CLI tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type FixtureHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface FeedServer {
  url(path: string): string;
  /** Serves `response` (or runs `handler`) at `path`. */
  route(path: string, response: FixtureResponse | FixtureHandler): void;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FixtureResponse | FixtureHandler>();
  const requests: FeedServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') return route(req, res);
    res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, response) => void routes.set(path, response),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
