/** Things user code can throw that break naive error handling (`instanceof`, `String(e)`, `e.message`). */
export const hostileThrowables: Readonly<Record<string, () => unknown>> = {
  'a Proxy whose every trap throws': () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('trap get');
        },
        has() {
          throw new Error('trap has');
        },
        ownKeys() {
          throw new Error('trap ownKeys');
        },
        getPrototypeOf() {
          throw new Error('trap getPrototypeOf');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap getOwnPropertyDescriptor');
        },
      },
    ),
  'a revoked Proxy': () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
  'an object without a prototype': () => Object.create(null) as unknown,
  'an Error whose message and stack getters throw': () => {
    class Hostile extends Error {
      override get message(): string {
        throw new Error('message getter');
      }
      override get stack(): string {
        throw new Error('stack getter');
      }
    }
    return new Hostile();
  },
  'an object whose toString throws': () => ({
    toString(): string {
      throw new Error('toString');
    },
  }),
};
