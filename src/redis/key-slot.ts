/**
 * Number of hash slots of a Redis Cluster.
 *
 * @example
 * ```ts
 * keySlot('orders') < CLUSTER_SLOTS; // true
 * ```
 */
export const CLUSTER_SLOTS = 16384;

const TABLE = ((): Uint16Array => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/**
 * The part of `key` that Redis Cluster hashes: the text between the first `{` and the next `}` when it is not
 * empty (the key's hash tag), else the whole key.
 *
 * @example
 * ```ts
 * hashTag('{job-1:2:0}:state'); // 'job-1:2:0'
 * hashTag('counts'); // 'counts'
 * ```
 */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/**
 * The Redis Cluster hash slot of `key`, computed as the server does (`CLUSTER KEYSLOT`): CRC16 (XMODEM) of
 * its UTF-8 hash tag, modulo 16384.
 *
 * @example
 * ```ts
 * keySlot('foo'); // 12182
 * keySlot('{job-1:2:0}:pos') === keySlot('{job-1:2:0}:state'); // true
 * ```
 */
export function keySlot(key: string): number {
  let crc = 0;
  for (const byte of Buffer.from(hashTag(key), 'utf8')) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  }
  return crc % CLUSTER_SLOTS;
}
