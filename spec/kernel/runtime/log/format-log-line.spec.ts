import { expect } from 'chai';
import { formatLogLine, formatLogMessage } from '../../../../src/kernel/runtime/log/format-log-line.js';

describe('formatLogLine', () => {
  const time = Date.parse('2026-11-30T04:05:06.789Z');

  it('stamps time, level, job name and short id, operator and instance', () => {
    const line = formatLogLine(
      {
        time,
        level: 'info',
        jobName: 'wordcount',
        jobId: '1a2b3c4d-0000-4000-8000-000000000000',
        component: 'map',
        instance: 0,
        args: [],
      },
      'hello',
    );
    expect(line).to.equal('2026-11-30T04:05:06.789Z INFO [job wordcount 1a2b3c4d] [map#0] hello');
  });

  it('leaves out the parts a line does not have', () => {
    expect(formatLogLine({ time, level: 'warn', args: [] }, 'x')).to.equal('2026-11-30T04:05:06.789Z WARN x');
    expect(formatLogLine({ time, level: 'error', component: 'jobmanager-server', args: [] }, 'y')).to.equal(
      '2026-11-30T04:05:06.789Z ERROR [jobmanager-server] y',
    );
    expect(formatLogLine({ time, level: 'debug', jobName: 'j', jobId: 'abc', args: [] }, 'z')).to.equal(
      '2026-11-30T04:05:06.789Z DEBUG [job j abc] z',
    );
  });
});

describe('formatLogMessage', () => {
  it('joins arguments as console.log does, an Error with its stack', () => {
    const error = new Error('boom');
    const message = formatLogMessage(['failed:', error, { a: 1 }, 42]);
    expect(message).to.match(/^failed: Error: boom\n\s+at /);
    expect(message).to.contain('{ a: 1 } 42');
  });
});
