/**
 * @cocokit/server: COCO datasets and async import/export/validate jobs over HTTP.
 * @module
 */
export type { BuildAppOptions } from "./app.js";
export { buildApp } from "./app.js";
export type { Config, ConfigInput } from "./config.js";
export { ConfigSchema, configFromEnv, parseConfig, parseSize } from "./config.js";
export type { ErrorCode, Problem } from "./errors.js";
export { ERRORS } from "./errors.js";
export { VERSION } from "./version.js";
