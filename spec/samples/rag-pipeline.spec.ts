import { expect } from 'chai';
import { DOCUMENTS, main } from '../../samples/rag-pipeline.js';

describe('sample: rag-pipeline', () => {
  it('answers each question from its best document, and answers through the pipeline service too', async () => {
    const result = await main(
      ['How is a service registered?', 'What happens to a late reply after a timeout?'],
      ['How does keyBy route records?'],
    );
    const byId = new Map(DOCUMENTS.map((d) => [d.id, d.text]));
    expect(result.answers.map((a) => a.question)).to.deep.equal([
      'How is a service registered?',
      'What happens to a late reply after a timeout?',
    ]);
    expect(result.answers[0]!.answer).to.match(new RegExp(`^${byId.get('services')!}`));
    expect(result.answers[0]!.answer).to.match(/\[services/);
    expect(result.answers[1]!.answer).to.match(/^Every service call has a timeout/);
    expect(result.asked).to.have.length(1);
    expect(result.asked[0]).to.match(/^keyBy routes records/);
    const calls = Object.fromEntries(result.services.map((s) => [s.service, s.calls]));
    expect(calls).to.deep.equal({ retriever: 3, generator: 3, ask: 1 });
  });

  it('says it does not know when no document matches', async () => {
    const result = await main(['zebra xylophone'], []);
    expect(result.answers[0]!.answer).to.equal('I don\'t know how to answer "zebra xylophone".');
  });
});
