/** Address the JobManager server listens on and the client connects to when none is given. */
export const DEFAULT_HOST = '127.0.0.1';

/** Port the JobManager server listens on and the client connects to when none is given. */
export const DEFAULT_PORT = 19001;

/** Largest JSON payload of one frame, in bytes (10 MiB); longer frames are refused. */
export const MAX_FRAME_BYTES = 10 * 1024 * 1024;

/** Version of the control protocol, reported by `get_server_info`. */
export const PROTOCOL_VERSION = 1;

/** Fewest characters a token may have when the server listens on anything but loopback. */
export const MIN_REMOTE_TOKEN_LENGTH = 16;

/**
 * Most bytes of a frame the server buffers for a connection that has not authenticated yet (64 KiB): the first
 * frame to a server with a token must fit in it.
 */
export const MAX_UNAUTHENTICATED_BYTES = 64 * 1024;
