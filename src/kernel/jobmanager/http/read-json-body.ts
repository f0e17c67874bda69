import type { IncomingMessage } from 'node:http';
import { HttpRequestError } from '../../../errors/http-request-error.js';

/**
 * Reads a request body of at most `maxBytes` bytes and parses it as JSON. Throws `HttpRequestError` 413 as soon
 * as the body (or its declared Content-Length) passes the limit, and 400 when it is not UTF-8 JSON; an empty
 * body reads as `undefined`.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(request, 1024 * 1024);
 * ```
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise<unknown>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        fail(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (e) => {
      fail(new HttpRequestError(400, `The request body could not be read: ${e.message}`));
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      if (size === 0) {
        resolve(undefined);
        return;
      }
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
        resolve(JSON.parse(text));
      } catch (e) {
        reject(
          new HttpRequestError(
            400,
            `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
      }
    });
  });
}

function tooLarge(maxBytes: number): HttpRequestError {
  return new HttpRequestError(413, `The request body is larger than ${maxBytes} bytes: send a smaller one`);
}
