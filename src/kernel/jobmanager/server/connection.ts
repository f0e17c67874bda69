import type { Socket } from 'node:net';
import { timer, type Subscription } from 'rxjs';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import { encodeFrame } from '../protocol/frame-encoder.js';
import { errorResponse } from '../protocol/error-response.js';
import type { Response } from '../protocol/messages.js';

/** The answer to one decoded message, and whether the connection closes after sending it. */
export interface Answer {
  readonly response: Response;
  readonly close: boolean;
}

/** Limits and behaviour of one server-side connection. */
export interface ConnectionOptions {
  readonly maxFrameBytes: number;
  /** Close the connection after this long without traffic and with no request in progress. */
  readonly idleTimeoutMs: number;
  /** Close the connection when a started frame is not complete after this long. */
  readonly frameTimeoutMs: number;
  /** Requests of one connection handled at the same time; reading pauses beyond it. */
  readonly maxInFlight: number;
  /** Answers one decoded message; must not reject. */
  readonly answer: (message: unknown) => Promise<Answer>;
}

/** How long a connection that is being closed may take to flush its last response. */
const CLOSE_GRACE_MS = 1000;

/**
 * One client connection of the JobManager server: splits the byte stream into frames, hands every message to
 * `answer` (several may be in progress; responses go out as they are ready, each echoing its request_id),
 * and protects the server: a frame over the limit or held half-sent too long, or an idle connection, is
 * closed; reading pauses while `maxInFlight` requests run or while the client does not read its responses.
 *
 * @example
 * ```ts
 * net.createServer({ allowHalfOpen: true }, (socket) => {
 *   new Connection(socket, { maxFrameBytes, idleTimeoutMs, frameTimeoutMs, maxInFlight, answer }, () => {});
 * });
 * ```
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private inFlight = 0;
  private writeBlocked = false;
  private readEnded = false;
  private closing = false;
  private frameTimer: Subscription | undefined;
  private closeTimer: Subscription | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
    onClose: () => void,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameBytes);
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.inFlight === 0)
        this.closeWith(null, `Connection idle for ${options.idleTimeoutMs} ms: closed`);
    });
    socket.on('data', (chunk: Buffer) => {
      this.receive(chunk);
    });
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.updateFlow();
    });
    socket.on('end', () => {
      this.readEnded = true;
      this.endIfDone();
    });
    socket.on('error', () => {
      socket.destroy();
    });
    socket.on('close', () => {
      this.frameTimer?.unsubscribe();
      this.closeTimer?.unsubscribe();
      onClose();
    });
  }

  /** Closes the connection at once (server shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    const frames = this.decoder.push(chunk);
    for (const frame of frames) {
      if (frame.ok) {
        this.dispatch(frame.message);
      } else if (frame.error.fatal) {
        this.closeWith(null, frame.error.message, frame.error.name);
        return;
      } else {
        this.send(errorResponse(null, frame.error.message, frame.error.name));
      }
    }
    if (frames.length > 0 || this.decoder.pending === 0) {
      this.frameTimer?.unsubscribe();
      this.frameTimer = undefined;
    }
    if (this.decoder.pending > 0 && this.frameTimer === undefined) {
      const pending = this.decoder.pending;
      this.frameTimer = timer(this.options.frameTimeoutMs).subscribe(() => {
        this.closeWith(
          null,
          `Incomplete frame: only part of a frame arrived (${pending}+ bytes) within ${this.options.frameTimeoutMs} ms; the connection is closed`,
          'ProtocolError',
        );
      });
    }
    this.updateFlow();
  }

  private dispatch(message: unknown): void {
    this.inFlight++;
    this.options
      .answer(message)
      .catch((e: unknown): Answer => ({
        response: errorResponse(
          null,
          `Internal error: ${e instanceof Error ? e.message : String(e)}`,
          'Error',
        ),
        close: false,
      }))
      .then(
        ({ response, close }) => {
          this.inFlight--;
          if (close) {
            this.closeWith(response);
          } else {
            this.send(response);
            this.updateFlow();
            this.endIfDone();
          }
        },
        () => undefined,
      );
  }

  private send(response: Response): void {
    if (this.closing || this.socket.destroyed) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(response, this.options.maxFrameBytes);
    } catch (e) {
      frame = encodeFrame(
        errorResponse(
          response.request_id,
          `Cannot send the response: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    if (!this.socket.write(frame)) this.writeBlocked = true;
  }

  private closeWith(response: Response | null, message?: string, errorType?: string): void {
    if (this.closing || this.socket.destroyed) return;
    const last = response ?? errorResponse(null, message ?? 'Connection closed by the server', errorType);
    this.send(last);
    this.closing = true;
    this.frameTimer?.unsubscribe();
    this.socket.end();
    this.closeTimer = timer(CLOSE_GRACE_MS).subscribe(() => this.socket.destroy());
  }

  private endIfDone(): void {
    if (this.readEnded && this.inFlight === 0 && !this.closing) {
      this.closing = true;
      this.socket.end();
      this.closeTimer = timer(CLOSE_GRACE_MS).subscribe(() => this.socket.destroy());
    }
  }

  private updateFlow(): void {
    if (this.closing || this.socket.destroyed) return;
    const stop = this.writeBlocked || this.inFlight >= this.options.maxInFlight;
    if (stop && !this.socket.isPaused()) this.socket.pause();
    else if (!stop && this.socket.isPaused()) this.socket.resume();
  }
}
