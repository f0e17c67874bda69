import { expect } from 'chai';
import { connectionFlags, CONNECTION_OPTIONS } from '../../src/cli/connection-flags.js';
import { parseCommandLine } from '../../src/cli/parse-command-line.js';
import { UsageError } from '../../src/errors/usage-error.js';

function flags(args: string[], env: Record<string, string> = {}): ReturnType<typeof connectionFlags> {
  return connectionFlags(parseCommandLine('sage job list', args, CONNECTION_OPTIONS), env);
}

describe('connectionFlags', () => {
  it('refuses an empty --host with a UsageError instead of connecting somewhere unsaid', () => {
    expect(() => flags(['--host', ''])).to.throw(UsageError, /--host must not be empty/);
  });

  it('reads an empty SAGE_HOST as not set, as it reads an empty SAGE_TOKEN', () => {
    expect(flags([], { SAGE_HOST: '', SAGE_TOKEN: '' })).to.deep.equal({ host: '127.0.0.1', port: 19001 });
    expect(flags([], { SAGE_HOST: 'jm.local' }).host).to.equal('jm.local');
    expect(flags(['--host', '::1'], { SAGE_HOST: 'jm.local' }).host).to.equal('::1');
  });
});
