import { expect } from 'chai';
import fc from 'fast-check';
import { HttpRequestError } from '../../../../src/errors/http-request-error.js';
import { HTTP_ROUTES, matchRoute } from '../../../../src/kernel/jobmanager/http/http-routes.js';

function failure(f: () => unknown): HttpRequestError {
  try {
    f();
  } catch (e) {
    if (e instanceof HttpRequestError) return e;
    throw e;
  }
  throw new Error('expected an HttpRequestError');
}

describe('matchRoute', () => {
  it('finds each route by method and path, with its parameters', () => {
    for (const route of HTTP_ROUTES) {
      const path = route.path.replace('{id}', 'j-1').replace('{file}', 'x.js');
      const matched = matchRoute(route.method, path);
      expect(matched.route).to.equal(route);
      if (route.path.includes('{id}')) expect(matched.params.id).to.equal('j-1');
    }
    expect(matchRoute('HEAD', '/health').route.operation).to.equal('health');
  });

  it('answers 404 to an unknown path, 405 with the allowed methods to a known one, 400 to bad encoding', () => {
    expect(failure(() => matchRoute('GET', '/nope')).statusCode).to.equal(404);
    expect(failure(() => matchRoute('GET', '/jobs/')).statusCode).to.equal(404);
    expect(failure(() => matchRoute('GET', '/jobs/a/b/c')).statusCode).to.equal(404);
    const wrong = failure(() => matchRoute('PATCH', '/jobs/x'));
    expect(wrong.statusCode).to.equal(405);
    expect(wrong.message).to.contain('GET or DELETE');
    expect(failure(() => matchRoute('GET', '/jobs/%ZZ')).statusCode).to.equal(400);
    expect(failure(() => matchRoute('GET', `/jobs/${'x'.repeat(257)}`)).statusCode).to.equal(400);
  });

  it('decodes any job id that was percent-encoded into one path segment (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 256 }), (id) => {
        const matched = matchRoute('POST', `/jobs/${encodeURIComponent(id)}/pause`);
        expect(matched.route.operation).to.equal('pauseJob');
        expect(matched.params.id).to.equal(id);
      }),
    );
  });
});
