// Preloaded into the processes the bench runs (`node --require`): prints the process's peak RSS
// (kB, worker threads included) on stderr as it exits, where the bench reads it.
const { writeSync } = require("node:fs");

process.on("exit", () => {
  writeSync(2, `cocokit-bench-max-rss ${process.resourceUsage().maxRSS}\n`);
});
