import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../../../src/kernel/jobmanager/protocol/frame-decoder.js';
import { encodeFrame } from '../../../../src/kernel/jobmanager/protocol/frame-encoder.js';

/** A response as a test reads it. */
export type Reply = Record<string, unknown>;

/**
 * A bare TCP connection for attacking the server: sends raw bytes or frames, collects decoded replies,
 * notices when the server closes the connection.
 */
export class RawConnection {
  readonly replies: Reply[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (frame.ok) this.replies.push(frame.message as Reply);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  send(message: unknown): this {
    this.socket.write(encodeFrame(message));
    return this;
  }

  sendBytes(bytes: Uint8Array): this {
    this.socket.write(bytes);
    return this;
  }

  /** Waits until `count` replies arrived (or the connection closed), at most `ms`. */
  async replyCount(count: number, ms = 3000): Promise<Reply[]> {
    await this.until(() => this.replies.length >= count || this.closed, ms);
    return this.replies;
  }

  /** Sends one request and waits for the reply with its request_id. */
  async ask(message: Reply, ms = 3000): Promise<Reply> {
    this.send(message);
    const find = (): Reply | undefined => this.replies.find((r) => r.request_id === message.request_id);
    await this.until(() => find() !== undefined || this.closed, ms);
    const reply = find();
    if (reply === undefined) throw new Error(`no reply to ${JSON.stringify(message)}`);
    return reply;
  }

  /** Waits until the server closed the connection, at most `ms`. */
  async whenClosed(ms = 3000): Promise<boolean> {
    await this.until(() => this.closed, ms);
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private until(condition: () => boolean, ms: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (condition()) finish();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(check);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
