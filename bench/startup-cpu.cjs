// Preloaded (node --require) into each command bench/startup.mjs measures:
// at exit, write the process's CPU time (user + system, all threads, from
// process start) in milliseconds to the file named by ASSAY_BENCH_CPU_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.ASSAY_BENCH_CPU_FILE, String((user + system) / 1000));
});
