"""The Lua scripts of the Redis store.  Each runs atomically inside Redis: one round trip per call.

Keys (``P`` is the configured prefix, ``godmode:`` by default; ``M`` is ``<platform>:<room_id>``,
unambiguous because room ids cannot contain ``:``):

============== ======== =========================================================================
key            type     content
============== ======== =========================================================================
``P epoch``    string   the id of the current log; re-created (so changed) when Redis lost it
``P seq``      string   the last ``seq`` given (INCR)
``P log``      stream   one entry per event, id ``<seq>-0``, trimmed to the log size
``P latest:M`` hash     ``body`` (the sample as posted), ``ts``, ``tk``, ``ti``, ``vw``; TTL 1 h
``P rooms``    zset     every ``M`` with a latest value, scored by its expiry time (ms)
``P history:M`` list    the room's recent sample bodies, oldest first; TTL ``history_ttl``
============== ======== =========================================================================

Counters travel as the decimal strings Python wrote and are compared as strings or with
``tonumber`` (exact below 2**53, the protocol's limit); Lua never formats a counter, because
``tostring`` would round values above 10**14.  Deltas are computed by each node from the previous
counters stored in the stream entry.

Stream entry fields, in this order: ``e`` epoch, ``r`` room, ``p`` platform, ``tk``/``ti``/``vw``
counters, ``ts`` sample time, ``ptk``/``pti``/``pvw`` previous counters (empty for a room's
first sample), ``at`` processed_at, ``ms`` Redis's clock when the sample was accepted
(milliseconds; the start of the delivery lag in the metrics).
"""

from __future__ import annotations

_COMMON = """
local function ensure_epoch(key, candidate)
  local epoch = redis.call('GET', key)
  if not epoch then
    redis.call('SET', key, candidate)
    epoch = candidate
  end
  return epoch
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function current_seq(key)
  return tonumber(redis.call('GET', key) or '0')
end
"""

#: KEYS: epoch, seq.  ARGV: epoch candidate.  Returns {epoch, seq}.
ENSURE_EPOCH = (
    _COMMON
    + """
return {ensure_epoch(KEYS[1], ARGV[1]), current_seq(KEYS[2])}
"""
)

#: KEYS: latest, rooms, seq, epoch, log, history.
#: ARGV: body, ts, tk, ti, vw, ttl_ms, log_size, epoch candidate, processed_at, room, platform,
#:       member, history_size, history_ttl_ms.
#: Returns {1, seq, epoch} when applied, {0, reason, epoch} otherwise.
INGEST = (
    _COMMON
    + """
local epoch = ensure_epoch(KEYS[4], ARGV[8])
local now = now_ms()
local expiry = now + tonumber(ARGV[6])
local prev = redis.call('HMGET', KEYS[1], 'ts', 'tk', 'ti', 'vw')
local ptk, pti, pvw = '', '', ''
if prev[1] then
  if tonumber(ARGV[2]) < tonumber(prev[1]) then
    return {0, 'stale', epoch}
  end
  if prev[2] == ARGV[3] and prev[3] == ARGV[4] and prev[4] == ARGV[5] then
    -- Nothing to tell dashboards, but the room is alive: keep the newer reading.
    redis.call('HSET', KEYS[1], 'body', ARGV[1], 'ts', ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ARGV[6])
    redis.call('ZADD', KEYS[2], expiry, ARGV[12])
    return {0, 'duplicate', epoch}
  end
  ptk, pti, pvw = prev[2], prev[3], prev[4]
end
local seq = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[5], 'MAXLEN', ARGV[7], seq .. '-0',
  'e', epoch, 'r', ARGV[10], 'p', ARGV[11], 'tk', ARGV[3], 'ti', ARGV[4], 'vw', ARGV[5],
  'ts', ARGV[2], 'ptk', ptk, 'pti', pti, 'pvw', pvw, 'at', ARGV[9], 'ms', now)
redis.call('HSET', KEYS[1], 'body', ARGV[1], 'ts', ARGV[2], 'tk', ARGV[3], 'ti', ARGV[4],
  'vw', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], expiry, ARGV[12])
redis.call('RPUSH', KEYS[6], ARGV[1])
redis.call('LTRIM', KEYS[6], -tonumber(ARGV[13]), -1)
redis.call('PEXPIRE', KEYS[6], ARGV[14])
return {1, seq, epoch}
"""
)

#: KEYS: rooms, seq, epoch.  ARGV: latest key prefix, epoch candidate.
#: Returns {epoch, seq, body...}: every live room, consistent with seq.
SNAPSHOT = (
    _COMMON
    + """
local epoch = ensure_epoch(KEYS[3], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms())
local out = {epoch, current_seq(KEYS[2])}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local body = redis.call('HGET', ARGV[1] .. member, 'body')
  if body then out[#out + 1] = body end
end
return out
"""
)

#: KEYS: log, seq, epoch.  ARGV: since, the client's epoch, epoch candidate, mode, latest prefix.
#: Returns {epoch, seq, 0} when the log cannot answer (other epoch, trimmed, or ahead); otherwise
#: {epoch, seq, 1, entries} in mode "events", or {epoch, seq, 1, body...} of the changed rooms
#: in mode "changes".
SINCE = (
    _COMMON
    + """
local epoch = ensure_epoch(KEYS[3], ARGV[3])
local seq = current_seq(KEYS[2])
local since = tonumber(ARGV[1])
if epoch ~= ARGV[2] or since > seq then
  return {epoch, seq, 0}
end
local entries = {}
if since < seq then
  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
  if #first == 0 or since < tonumber(string.match(first[1][1], '^(%d+)')) - 1 then
    return {epoch, seq, 0}
  end
  entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1] .. '-0', '+')
end
if ARGV[4] == 'events' then
  return {epoch, seq, 1, entries}
end
local out, seen = {epoch, seq, 1}, {}
for _, entry in ipairs(entries) do
  local fields = entry[2]
  local member = fields[6] .. ':' .. fields[4]
  if not seen[member] then
    seen[member] = true
    local body = redis.call('HGET', ARGV[5] .. member, 'body')
    if body then out[#out + 1] = body end
  end
end
return out
"""
)
