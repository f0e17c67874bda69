import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError } from '../../../../src/errors/protocol-error.js';
import { parseRequest, requestIdOf } from '../../../../src/kernel/jobmanager/protocol/parse-request.js';

describe('parseRequest', () => {
  it('fills in the defaults of submit_job', () => {
    expect(parseRequest({ action: 'submit_job', request_id: 'r1', module: 'a.mjs' })).to.deep.equal({
      action: 'submit_job',
      request_id: 'r1',
      module: 'a.mjs',
      export: 'default',
      autostop: false,
      allow_non_restored_state: false,
    });
  });

  it('keeps args, name, export, autostop and token', () => {
    const request = parseRequest({
      action: 'submit_job',
      request_id: 3,
      module: 'a.mjs',
      export: 'build',
      args: { n: [1, 2] },
      autostop: true,
      name: 'etl',
      token: 't',
    });
    expect(request).to.deep.equal({
      action: 'submit_job',
      request_id: 3,
      token: 't',
      module: 'a.mjs',
      export: 'build',
      args: { n: [1, 2] },
      autostop: true,
      name: 'etl',
      allow_non_restored_state: false,
    });
  });

  it('keeps a restore of submit_job and its allow_non_restored_state', () => {
    const restore = { job: 'j', takenAt: 't', operators: { count: [{ fields: { n: 1 } }] } };
    expect(
      parseRequest({
        action: 'submit_job',
        request_id: 4,
        module: 'a.mjs',
        restore,
        allow_non_restored_state: true,
      }),
    ).to.deep.include({ restore, allow_non_restored_state: true });
    expect(() =>
      parseRequest({ action: 'submit_job', request_id: 5, module: 'a.mjs', restore: { operators: null } }),
    ).to.throw(ProtocolError, /field "restore" must be a savepoint.*"operators" must be an object/);
  });

  it('reads trigger_savepoint with stop defaulting to false', () => {
    expect(parseRequest({ action: 'trigger_savepoint', request_id: 'x', job_uuid: 'u' })).to.deep.equal({
      action: 'trigger_savepoint',
      request_id: 'x',
      job_uuid: 'u',
      stop: false,
    });
    expect(
      parseRequest({ action: 'trigger_savepoint', request_id: 'x', job_uuid: 'u', stop: true }),
    ).to.deep.include({ stop: true });
    expect(() => parseRequest({ action: 'trigger_savepoint', request_id: 'x' })).to.throw(
      ProtocolError,
      /trigger_savepoint: field "job_uuid"/,
    );
  });

  it('defaults force to false for delete_job', () => {
    expect(parseRequest({ action: 'delete_job', request_id: 'x', job_uuid: 'u' })).to.deep.equal({
      action: 'delete_job',
      request_id: 'x',
      job_uuid: 'u',
      force: false,
    });
  });

  it('names an unknown action', () => {
    expect(() => parseRequest({ action: 'format_disk', request_id: 1 })).to.throw(
      ProtocolError,
      'Unknown action: format_disk',
    );
  });

  it('says which field is missing or mistyped', () => {
    expect(() => parseRequest({ action: 'pause_job', request_id: 1 })).to.throw(
      ProtocolError,
      /pause_job: field "job_uuid"/,
    );
    expect(() => parseRequest({ action: 'submit_job', request_id: 1, module: 7 })).to.throw(
      /field "module".*number 7/,
    );
    expect(() => parseRequest({ action: 'delete_job', request_id: 1, job_uuid: 'u', force: 'yes' })).to.throw(
      /field "force"/,
    );
    expect(() => parseRequest({ action: 'health_check' })).to.throw(/request_id/);
    expect(() => parseRequest({ request_id: 1 })).to.throw(/Field "action"/);
    expect(() => parseRequest({ action: 'list_jobs', request_id: 1, token: 5 })).to.throw(/Field "token"/);
    expect(() => parseRequest([1, 2])).to.throw(/must be a JSON object, got an array/);
  });

  it('never echoes a long string into its message', () => {
    const long = 'z'.repeat(100_000);
    for (const message of [
      long,
      { action: long, request_id: 1 },
      { action: 'pause_job', request_id: 1, job_uuid: long },
    ]) {
      try {
        parseRequest(message);
        expect.fail('should have thrown');
      } catch (e) {
        expect(e).to.be.instanceOf(ProtocolError);
        expect((e as Error).message.length).to.be.below(300);
      }
    }
  });

  it('either returns a request or throws a ProtocolError, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const request = parseRequest(value);
          expect(request.request_id).to.equal(requestIdOf(value));
        } catch (e) {
          expect(e).to.be.instanceOf(ProtocolError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('requestIdOf', () => {
  it('returns usable ids and null otherwise', () => {
    expect(requestIdOf({ request_id: 'a' })).to.equal('a');
    expect(requestIdOf({ request_id: 0 })).to.equal(0);
    expect(requestIdOf({ request_id: null })).to.equal(null);
    expect(requestIdOf({ request_id: 'x'.repeat(257) })).to.equal(null);
    expect(requestIdOf('x')).to.equal(null);
  });

  it('refuses args and a restore nested deeper than MAX_JSON_DEPTH with a ProtocolError, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const submit = { action: 'submit_job', request_id: 1, module: 'a.mjs' };
    expect(() => parseRequest({ ...submit, args: deep })).to.throw(
      ProtocolError,
      /"args" nests deeper than 1000/,
    );
    expect(() => parseRequest({ ...submit, restore: { operators: { a: [{ fields: deep }] } } })).to.throw(
      ProtocolError,
      /"restore" .* nests deeper than 1000/,
    );
  });
});
