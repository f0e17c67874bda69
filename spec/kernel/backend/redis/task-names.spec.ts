import { expect } from 'chai';
import { keySlot } from '../../../../src/redis/key-slot.js';
import { taskStream } from '../../../../src/kernel/backend/redis/task-names.js';

describe('taskStream', () => {
  it("puts the task's hash tag in place of {task}, so the stream shares the slot of the task's commit", () => {
    expect(taskStream('{task}:counts', 'job-1:3:0')).to.equal('{job-1:3:0}:counts');
    expect(keySlot(taskStream('{task}:counts', 'job-1:3:1'))).to.equal(keySlot('{job-1:3:1}:pos'));
  });

  it('leaves other names alone', () => {
    expect(taskStream('counts', 'job-1:3:0')).to.equal('counts');
    expect(taskStream('{orders}:out', 'job-1:3:0')).to.equal('{orders}:out');
  });
});
