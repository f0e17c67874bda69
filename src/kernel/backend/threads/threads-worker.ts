import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { asyncScheduler } from 'rxjs';
import { LocalEnvironment } from '../../../core/api/local-environment.js';
import { ExecutionGraph } from '../../jobmanager/compiler/execution-graph.js';
import { JobLoggers } from '../../jobmanager/job-logger.js';
import { JobManager } from '../../jobmanager/job-manager.js';
import { planFingerprint } from '../../jobmanager/plan-fingerprint.js';
import { checkErrorPolicy } from '../../runtime/error-policy.js';
import { ServiceRegistry } from '../../runtime/service/service-registry.js';
import { toWireError } from '../wire-error.js';
import { toWireMetrics } from '../wire-metrics.js';
import { portLink, type PeerLink } from './peer-link.js';
import { ShardRunner } from './shard-runner.js';
import type {
  FromThreadsWorker,
  ShardReport,
  ShardStats,
  ThreadsJobMessage,
  ThreadsWorkerData,
  ToThreadsWorker,
} from './threads-protocol.js';

// A worker thread of threads jobs. Started once (the engine loaded), it runs one job after another: each job
// comes as a `job` message with its own control port. For each, it imports the job module, builds the same plan
// as every other worker, reports its fingerprint, and runs its share of the instances when the coordinator says
// so. When the coordinator closes the control port, whatever is left of the job is stopped and let go, and the
// thread waits for the next job.

const host = parentPort;
if (host === null) throw new Error('threads-worker runs in a worker thread');
host.on('message', (m: ThreadsJobMessage) => {
  void runJob(m.data, m.control);
});
host.postMessage('loaded');

async function runJob(data: ThreadsWorkerData, control: MessagePort): Promise<void> {
  const post = (message: FromThreadsWorker): void => {
    control.postMessage(message);
  };
  const ports: MessagePort[] = [];
  const shardRef: { current: ShardRunner | undefined } = { current: undefined };
  control.once('close', () => {
    shardRef.current?.stop();
    for (const p of ports) p.close();
  });

  let env: LocalEnvironment | undefined;
  let graph: ExecutionGraph | undefined;
  try {
    env = await LocalEnvironment.fromModule(data.origin.module, {
      export: data.origin.exportName,
      ...(data.origin.args !== undefined ? { args: data.origin.args } : {}),
      config: { jobManager: new JobManager() },
    });
    const config = env.config;
    graph = ExecutionGraph.compile(env.pipeline, {
      fusion: config.fusion !== false,
      ...(typeof config.maxParallelism === 'number' ? { maxParallelism: config.maxParallelism } : {}),
    });
    post({ type: 'ready', fingerprint: planFingerprint(graph, env.origin?.moduleHash ?? '') });
  } catch (e) {
    post({ type: 'load-failed', error: toWireError(e) });
  }

  if (env !== undefined && graph !== undefined) {
    const config = env.config;
    const loggers = new JobLoggers({
      envName: env.name,
      jobId: data.jobId,
      level: config.logLevel,
      sink: config.logSink,
    });
    const highWaterMark = config.highWaterMark;
    const loggerFor = (operator: string, instance?: number): ReturnType<typeof loggers.for> =>
      loggers.for(operator, instance);
    // Each worker builds its own instances of the job's services: a call never leaves its thread.
    const services = new ServiceRegistry(env.services, {
      jobId: data.jobId,
      envName: env.name,
      scheduler: asyncScheduler,
      loggerFor,
      hookTimeoutMs: config.serviceHookTimeoutMs,
    });
    const options = {
      jobId: data.jobId,
      envName: env.name,
      config: { ...config },
      scheduler: asyncScheduler,
      errorPolicy: checkErrorPolicy(config.errorPolicy, `environment ${env.name}`) ?? 'skip',
      ...(typeof highWaterMark === 'number' && highWaterMark > 0 ? { highWaterMark } : {}),
      ...(typeof config.maxParallelism === 'number' ? { maxParallelism: config.maxParallelism } : {}),
      loggerFor,
      services,
      restore: data.restore,
      firstCheckpointId: data.firstCheckpointId,
    };
    const plan = graph;
    let links: readonly (PeerLink | undefined)[] = [];
    let shard: ShardRunner | undefined;
    const report = (): ShardReport => {
      const metrics = shard?.metrics() ?? [];
      return {
        metrics: toWireMetrics(metrics),
        queued: shard?.queued() ?? 0,
        tasks: [...new Set(metrics.map((m) => `${m.operator}#${String(m.instance)}`))],
        stats: stats(),
      };
    };
    // Where this thread's time goes once its sources start: CPU, event-loop busy and idle time, GC pauses.
    let started: EventLoopUtilization | undefined;
    let cpuAtStart: number | undefined;
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    const stats = (): ShardStats => {
      const elu = started === undefined ? { active: 0, idle: 0 } : performance.eventLoopUtilization(started);
      const cpu = threadCpuMs();
      return {
        ...(cpu !== undefined && cpuAtStart !== undefined ? { cpuMs: cpu - cpuAtStart } : {}),
        activeMs: elu.active,
        idleMs: elu.idle,
        gcMs,
        peers: (shard?.peerStats() ?? []).map((p) => p ?? null),
      };
    };
    let timer: { unsubscribe(): void } | undefined;
    const build = (): ShardRunner => {
      const built = new ShardRunner(plan, options, {
        worker: data.worker,
        workers: data.workers,
        links,
        batchSize: data.batchSize,
        credits: data.credits,
      });
      built.onEnd((outcome) => {
        timer?.unsubscribe();
        gc.disconnect();
        post({
          type: 'done',
          status: outcome.status,
          ...(outcome.status === 'failed' ? { error: toWireError(outcome.error) } : {}),
          report: report(),
          state: built.state(),
        });
        void services.stop();
      });
      built.onCut((cut) => {
        post({ type: 'cut', cut });
      });
      built.build();
      return built;
    };
    control.on('message', (message: ToThreadsWorker) => {
      switch (message.type) {
        case 'peers':
          links = message.ports.map((p: MessagePort | undefined) => {
            if (p === undefined) return undefined;
            ports.push(p);
            return portLink(p);
          });
          break;
        case 'build':
          try {
            services.start();
            shard = build();
            shardRef.current = shard;
            post({ type: 'built' });
          } catch (e) {
            void services.stop();
            post({ type: 'load-failed', error: toWireError(e) });
          }
          break;
        case 'start':
          started = performance.eventLoopUtilization();
          cpuAtStart = threadCpuMs();
          gc.observe({ entryTypes: ['gc'] });
          timer = asyncScheduler.schedule(function () {
            post({ type: 'report', report: report() });
            this.schedule(undefined, data.reportIntervalMs);
          }, data.reportIntervalMs);
          shard?.start();
          break;
        case 'pause':
          shard?.pause();
          post({ type: 'report', report: report() });
          break;
        case 'resume':
          shard?.resume();
          break;
        case 'stop':
          shard?.stop();
          break;
        case 'checkpoint':
          shard?.checkpoint(message.id);
          break;
        case 'checkpoint-complete':
          shard?.checkpointComplete(message.id);
          break;
      }
    });
  }
}

/**
 * This thread's CPU time in ms (user + system, from `/proc/thread-self/stat`, in clock ticks of 10 ms), or
 * undefined where there is no such file (not Linux).
 */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
