import { expect } from 'chai';
import { main, userSessions, type Click, type Session } from '../../samples/user-sessions.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

const MINUTE = 60_000;
const click = (user: string, page: string, minute: number): Click => ({ user, page, time: minute * MINUTE });

describe('sample: user-sessions', () => {
  it('reports a session once the watermark passed its end, the last one at the end of input (virtual time)', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const clicks = cold('ab 298ms c 200ms |', {
        a: click('ann', '/home', 0),
        b: click('ann', '/shop', 10),
        c: click('ann', '/home', 90), // the watermark at 400 (85 min) closes [0, 40 min)
      });
      expectObservable(userSessions(env.fromObservable(clicks)).toObservable()).toBe('400ms x 100ms (y|)', {
        x: { user: 'ann', start: 0, end: 40 * MINUTE, clicks: 2, pages: ['/home', '/shop'] },
        y: { user: 'ann', start: 90 * MINUTE, end: 120 * MINUTE, clicks: 1, pages: ['/home'] },
      });
    });
  });

  it('runs for real: a late click merges two sessions of bob', async () => {
    const sessions = await main();
    const byUserAndStart = (a: Session, b: Session): number =>
      a.user.localeCompare(b.user) || a.start - b.start;
    expect(sessions.sort(byUserAndStart)).to.deep.equal([
      { user: 'ann', start: 0, end: 40 * MINUTE, clicks: 2, pages: ['/home', '/shop'] },
      { user: 'ann', start: 90 * MINUTE, end: 120 * MINUTE, clicks: 1, pages: ['/home'] },
      { user: 'bob', start: 2 * MINUTE, end: 70 * MINUTE, clicks: 3, pages: ['/cart', '/home', '/shop'] },
    ]);
  });
});
