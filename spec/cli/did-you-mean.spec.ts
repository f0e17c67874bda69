import { expect } from 'chai';
import fc from 'fast-check';
import { closestMatch, didYouMean } from '../../src/cli/did-you-mean.js';

const COMMANDS = ['init', 'submit', 'list', 'status', 'pause', 'continue', 'stop', 'delete', 'watch'];

describe('closestMatch / didYouMean', () => {
  it('finds typos: a swapped, missing, extra or wrong letter', () => {
    expect(closestMatch('stauts', COMMANDS)).to.equal('status');
    expect(closestMatch('contnue', COMMANDS)).to.equal('continue');
    expect(closestMatch('submitt', COMMANDS)).to.equal('submit');
    expect(closestMatch('lsit', COMMANDS)).to.equal('list');
    expect(closestMatch('expotr', ['export', 'args', 'name', 'autostop'])).to.equal('export');
  });

  it('takes a prefix for a candidate', () => {
    expect(closestMatch('auto', ['export', 'autostop'])).to.equal('autostop');
  });

  it('suggests nothing for an unrelated word', () => {
    expect(closestMatch('frobnicate', COMMANDS)).to.equal(undefined);
    expect(didYouMean('zzz', COMMANDS)).to.equal('');
  });

  it('formats the hint with the prefix', () => {
    expect(didYouMean('forse', ['force'], '--')).to.equal(' Did you mean --force?');
  });

  it('always returns the word itself when it is a candidate, and only ever a candidate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1 }),
        fc.nat(),
        (words, i) => {
          const word = words[i % words.length] ?? '';
          expect(closestMatch(word, words)?.toLowerCase()).to.equal(word.toLowerCase());
          const other = closestMatch(`${word}x`, words);
          if (other !== undefined) expect(words).to.include(other);
        },
      ),
    );
  });
});
