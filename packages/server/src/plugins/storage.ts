import fp from "fastify-plugin";
import { openStorage } from "../storage/open-storage.js";
import type { Storage } from "../storage/storage.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Where uploads, results and attached images are kept (the data folder or S3). */
    storage: Storage;
  }
}

/** Opens the storage once for the API thread; its connections end when the server closes. */
export const storagePlugin = fp<{ storage?: string; dataDir: string }>(
  async (app, { storage, dataDir }) => {
    const opened = openStorage(storage, dataDir);
    app.decorate("storage", opened);
    app.addHook("onClose", async () => opened.close());
  },
  { name: "storage" },
);
