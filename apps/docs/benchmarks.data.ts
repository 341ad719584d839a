import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineLoader } from 'vitepress';
import { type BenchmarkTable, parseBenchmarkTables } from './.vitepress/theme/lib/benchmarks.ts';

/** What the benchmarks page receives: the tables of BENCHMARKS.md, parsed at build time. */
export interface BenchmarksData {
  /** False when the repository has no BENCHMARKS.md yet. */
  readonly found: boolean;
  readonly tables: readonly BenchmarkTable[];
}

// QK_BENCHMARKS_FILE lets a preview render another file (e.g. a bench run's fresh output).
const benchmarksFile =
  process.env.QK_BENCHMARKS_FILE ?? fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

declare const data: BenchmarksData;
export { data };

export default defineLoader({
  watch: ['../../BENCHMARKS.md'],
  load(): BenchmarksData {
    if (!existsSync(benchmarksFile)) return { found: false, tables: [] };
    return { found: true, tables: parseBenchmarkTables(readFileSync(benchmarksFile, 'utf8')) };
  },
});
