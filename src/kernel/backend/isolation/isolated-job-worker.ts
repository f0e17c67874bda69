import { parentPort, workerData } from 'node:worker_threads';
import { asyncScheduler } from 'rxjs';
import { JobManager } from '../../jobmanager/job-manager.js';
import type { JobInfo } from '../../jobmanager/job-info.js';
import { importJobBuilder } from '../../jobmanager/server/import-job-builder.js';
import { startModuleJob } from '../../jobmanager/server/start-module-job.js';
import { toWireError } from '../wire-error.js';
import { toWireMetrics } from '../wire-metrics.js';
import type { FromJobWorker, IsolatedJobData, JobReport, ToJobWorker } from './isolation-protocol.js';

// The worker thread of one job the JobManager server isolates: it imports the job module, builds and starts the
// job on a JobManager of its own, obeys the server's control messages and reports the job's status.

const data = workerData as IsolatedJobData;
const port = parentPort;
if (port === null) throw new Error('isolated-job-worker runs in a worker thread');

function post(message: FromJobWorker): void {
  port?.postMessage(message);
}

function reportOf(info: JobInfo): JobReport {
  const status = info.toStatus();
  return {
    state: info.dispatcher.state,
    metrics: toWireMetrics(info.dispatcher.metrics()),
    queued: status.queued,
    restarts: status.restarts,
    services: status.services,
    checkpoints: status.checkpoints,
  };
}

const jobManager = new JobManager();
let info: JobInfo | undefined;
try {
  const builder = await importJobBuilder(data.file, data.export, data.module);
  post({ type: 'building' });
  const uuid = await startModuleJob(builder, jobManager, data);
  info = jobManager.getJob(uuid);
} catch (e) {
  post({ type: 'build-failed', error: toWireError(e) });
  port.close();
}

if (info !== undefined) {
  const job = info;
  port.on('message', (message: ToJobWorker) => {
    switch (message.type) {
      case 'pause':
        job.dispatcher.pause();
        break;
      case 'resume':
        job.dispatcher.resume();
        break;
      case 'stop':
        job.dispatcher.stop();
        break;
      case 'snapshot':
        job.dispatcher.snapshot().then(
          (snapshot) => {
            post({ type: 'snapshot', id: message.id, snapshot });
          },
          (e: unknown) => {
            post({ type: 'snapshot', id: message.id, error: toWireError(e) });
          },
        );
        break;
    }
  });
  const timer = asyncScheduler.schedule(function () {
    post({ type: 'report', report: reportOf(job) });
    this.schedule(undefined, data.reportIntervalMs);
  }, data.reportIntervalMs);
  post({ type: 'started', plan: job.toStatus().plan, report: reportOf(job) });
  void job.whenDone().then((outcome) => {
    timer.unsubscribe();
    post({
      type: 'ended',
      status: outcome.status,
      ...(outcome.status === 'failed' ? { error: toWireError(outcome.error) } : {}),
      report: reportOf(job),
    });
    port.close();
  });
}
