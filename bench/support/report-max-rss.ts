/**
 * Preload for `node --require`: writes the process's peak resident set size
 * in kilobytes (`process.resourceUsage().maxRSS`) to the file named by
 * WCL_BENCH_MAX_RSS_FILE when the process exits.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.WCL_BENCH_MAX_RSS_FILE;
if (target !== undefined && target !== '') {
  process.once('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
