import { expect } from 'chai';
import { main } from '../../samples/join-users-orders.js';

describe('sample: join-users-orders', () => {
  it('joins every order with its user and drops the order of an unknown user', async () => {
    expect(await main()).to.deep.equal([
      'Ada bought o-2 for 12',
      'Grace bought o-1 for 30',
      'Grace bought o-3 for 8',
    ]);
  });
});
