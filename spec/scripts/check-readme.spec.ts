import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { extractTsBlocks } from '../../scripts/check-readme.js';

describe('scripts/check-readme: extractTsBlocks', () => {
  it('finds ts and typescript blocks with the line their code starts on, and nothing else', () => {
    const markdown = [
      '# title', //                   1
      '```ts', //                     2
      "import x from 'y';", //        3
      'x();', //                      4
      '```', //                       5
      '```js', //                     6
      'not ts', //                    7
      '```', //                       8
      '````typescript', //            9
      '```ts', //                     10  (inside a longer fence: code, not a new block)
      '````', //                      11
    ].join('\n');
    expect(extractTsBlocks(markdown)).to.deep.equal([
      { line: 3, code: "import x from 'y';\nx();\n", fragment: false },
      { line: 10, code: '```ts\n', fragment: false },
    ]);
  });

  it('marks a block whose first line is // fragment', () => {
    const blocks = extractTsBlocks(
      '```ts\n// fragment: needs a server\nconnect();\n```\n```ts\nrun(); // fragment\n```\n',
    );
    expect(blocks.map((b) => b.fragment)).to.deep.equal([true, false]);
  });

  it('sees every ts block of README.md, and marks at most the ones that need a running server', () => {
    const blocks = extractTsBlocks(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    expect(blocks.length).to.be.greaterThan(4);
    for (const block of blocks.filter((b) => b.fragment)) {
      expect(block.code, `README.md:${block.line}`).to.match(/^\/\/ fragment: needs a running server/);
    }
  });
});
