import { Redis } from "ioredis";
import { reasonOf, redactUrl } from "../connection-errors.js";

// BullMQ's connections retry forever (they must, to ride out a Redis restart), so a wrong URL
// at boot would only log a warning every few hundred milliseconds, for ever.
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Checks that Redis answers PING at `url` with one connection that does not retry, so a wrong
 * URL, a refused port or a bad password fails the boot with one message naming the URL
 * (without its password).
 */
export async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with only "Connection is closed."; the socket's own error says why.
  let cause: unknown;
  probe.on("error", (error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(`could not connect to Redis at ${redactUrl(url)}: ${reasonOf(cause ?? error)}`);
  } finally {
    probe.disconnect();
  }
}
