// The step `paperboy reindex` adds for #23: the spelling and suggestion tables written as lookup.bin, timed alone.
//
//   DATABASE_URL=/path/paperboy.db npx tsx bench/lookup-write.bench.ts
//
// Prints one JSON line: papers, seconds, CPU seconds, peak RSS (VmHWM) and the file's size.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { indexDir } from '../src/services/services.ts';
import { openSearchServices } from '../src/services/search-services.ts';

function peakMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

const config = loadConfig();
const dir = indexDir(config);
if (dir === null) throw new Error('DATABASE_URL must name a SQLite file (or set INDEX_DIR)');
const s = await openSearchServices(config);
try {
  const cpu0 = process.cpuUsage();
  const written = await s.search.saveLookupFile();
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      ...written,
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      peakRssMiB: peakMiB(),
      fileMiB: Number((statSync(join(dir, 'lookup.bin')).size / 2 ** 20).toFixed(1)),
    }),
  );
} finally {
  await s.close();
}
