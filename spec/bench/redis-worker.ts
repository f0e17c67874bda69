/**
 * A worker process of the Redis bench: `sage worker` with the bench's batch size (records per stream entry).
 * Usage: tsx spec/bench/redis-worker.ts URL JOB_ROOT BATCH
 */
import { LogWorker } from '../../src/kernel/backend/redis/log-worker.js';
import { RedisLog } from '../../src/redis/redis-log.js';

const [url = '', jobRoot = '.', batch = '100'] = process.argv.slice(2);
const log = await RedisLog.connect(url);
const worker = new LogWorker(log, {
  jobRoot,
  task: {
    recordsPerEntry: Number(batch),
    maxBuffered: 20 * Number(batch),
    intervalMs: 5,
    entriesPerRead: 20,
  },
  onEvent: (line) => process.stdout.write(`${String(Date.now())} ${line}\n`),
});
worker.start();
process.stdout.write(`${String(Date.now())} ready ${worker.id}\n`);
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => log.close())
    .then(() => process.exit(0));
});
