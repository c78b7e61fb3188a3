// The baseline: PapaParse parsing the same export, streaming from disk, arrays (header: false,
// its fastest mode), doing nothing with the rows. Prints one JSON line. Usage: _papaparse-child.mjs <file>
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const [file] = process.argv.slice(2);
const c0 = process.cpuUsage();
const t0 = performance.now();
let rows = 0;
let errors = 0;
await new Promise((resolve, reject) => {
  Papa.parse(createReadStream(file, { highWaterMark: 1 << 20 }), {
    header: false,
    skipEmptyLines: true,
    step: (r) => {
      rows++;
      if (r.errors.length) errors++;
    },
    complete: resolve,
    error: reject,
  });
});
const wallS = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
console.log(JSON.stringify({ rows, errors, wallS, cpuS: (cu.user + cu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
