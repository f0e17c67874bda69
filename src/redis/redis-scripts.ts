/**
 * The fenced commit of one task's batch (see CommitTx). KEYS: lease, positions hash, state hash, done flag,
 * then one stream per output, then the set of state fields that hold timers (last). ARGV: token; n positions
 * then (field, prev, next) each; n state writes then (field, value) each; n deletions then fields; n outputs
 * then (n entries, entries…) each; done flag; n timer fields added then fields; n removed then fields.
 * Returns 1 (applied), -1 (fenced: not the lease holder) or -2 (a position moved: applied before). State is
 * written with one HSET (HDEL) per 500 (1000) fields, the timer index with one SADD (SREM) per 1000 fields:
 * O(changes), within Lua's stack limit for `unpack`.
 */
export const COMMIT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local i = 2
local np = tonumber(ARGV[i]); i = i + 1
for k = 0, np - 1 do
  local cur = redis.call('HGET', KEYS[2], ARGV[i + 3 * k]) or '0'
  if cur ~= ARGV[i + 3 * k + 1] then return -2 end
end
for k = 0, np - 1 do redis.call('HSET', KEYS[2], ARGV[i + 3 * k], ARGV[i + 3 * k + 2]) end
i = i + 3 * np
local ns = tonumber(ARGV[i]); i = i + 1
for k = 0, ns - 1, 500 do
  redis.call('HSET', KEYS[3], unpack(ARGV, i + 2 * k, i + 2 * math.min(k + 500, ns) - 1))
end
i = i + 2 * ns
local nd = tonumber(ARGV[i]); i = i + 1
for k = 0, nd - 1, 1000 do redis.call('HDEL', KEYS[3], unpack(ARGV, i + k, i + math.min(k + 1000, nd) - 1)) end
i = i + nd
local no = tonumber(ARGV[i]); i = i + 1
for o = 1, no do
  local ne = tonumber(ARGV[i]); i = i + 1
  for k = 0, ne - 1 do redis.call('XADD', KEYS[4 + o], '*', 'd', ARGV[i + k]) end
  i = i + ne
end
if ARGV[i] == '1' then redis.call('SET', KEYS[4], '1') end
i = i + 1
local ta = tonumber(ARGV[i]); i = i + 1
for k = 0, ta - 1, 1000 do redis.call('SADD', KEYS[#KEYS], unpack(ARGV, i + k, i + math.min(k + 1000, ta) - 1)) end
i = i + ta
local tr = tonumber(ARGV[i]); i = i + 1
for k = 0, tr - 1, 1000 do redis.call('SREM', KEYS[#KEYS], unpack(ARGV, i + k, i + math.min(k + 1000, tr) - 1)) end
return 1
`;

/** Compare-and-PEXPIRE: extends the lease (KEYS[1]) only while it holds the token ARGV[1]; 1 or 0. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Compare-and-DEL: gives the lease (KEYS[1]) back only while it holds the token ARGV[1]. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Membership heartbeat on the server's clock (TIME): scores worker ARGV[1] in the sorted set KEYS[1] with
 * now + ARGV[2] ms, drops the members whose time passed, and returns the live ones.
 */
export const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;
