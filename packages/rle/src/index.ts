export type { Bbox, CocoRle, Rle } from "./types.js";
