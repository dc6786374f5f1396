// The Web Worker: parsing, validation, image reads and export run here, off the page's thread.
import { createHandler } from "./handler.js";
import type { WorkerReply, WorkerRequest } from "./protocol.js";

const scope = self as unknown as {
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
};
const handle = createHandler((reply, transfer = []) => scope.postMessage(reply, transfer));
scope.onmessage = (event) => void handle(event.data);
