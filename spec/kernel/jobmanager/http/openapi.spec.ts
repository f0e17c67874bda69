import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { JobManagerHttpServer } from '../../../../src/kernel/jobmanager/http/job-manager-http-server.js';
import { HTTP_ROUTES } from '../../../../src/kernel/jobmanager/http/http-routes.js';
import { call } from './http-client.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
}

const doc = JSON.parse(
  readFileSync(new URL('../../../../src/kernel/jobmanager/http/openapi.json', import.meta.url), 'utf8'),
) as OpenApi;

const documented = Object.entries(doc.paths)
  .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
  .sort();

describe('openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).to.match(/^3\.1\./);
  });

  it('documents exactly the routes the server serves', () => {
    const served = HTTP_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented).to.deep.equal(served);
  });

  it('marks as public exactly the routes that need no token', () => {
    for (const route of HTTP_ROUTES) {
      const security = doc.paths[route.path]?.[route.method.toLowerCase()]?.security;
      expect(security !== undefined && security.length === 0, `${route.method} ${route.path}`).to.equal(
        route.public,
      );
    }
  });

  it('every documented route is answered by a running server (none is "no route" or "wrong method")', async () => {
    const server = new JobManagerHttpServer({ port: 0 });
    const { url } = await server.start();
    try {
      for (const entry of documented) {
        const [method = 'GET', path = '/'] = entry.split(' ');
        const concrete = path.replace('{id}', 'unknown-job').replace('{file}', 'dashboard.css');
        const answer = await call(url, concrete, { method });
        expect(answer.status, entry).to.not.equal(405);
        if (answer.status === 404) expect(answer.body.message, entry).to.not.match(/^No route/);
      }
    } finally {
      await server.stop();
    }
  });

  it('is served at GET /openapi.json', async () => {
    const server = new JobManagerHttpServer({ port: 0 });
    const { url } = await server.start();
    try {
      const answer = await call(url, '/openapi.json');
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.equal(doc);
    } finally {
      await server.stop();
    }
  });
});
