/**
 * Reads the markdown tables of BENCHMARKS.md into plain data the benchmark charts can draw.
 *
 * The file is written by hand, so the parser is lenient: any pipe table counts, the nearest
 * heading above it names it, and a cell's first number (thousands separators, units and a
 * trailing `x`/`×` allowed) is what gets charted.
 */

/** One table from BENCHMARKS.md, with the heading it sits under. */
export interface BenchmarkTable {
  /** Headings above the table, outermost first (e.g. `['@qdrant-kit/core', 'verify']`). */
  readonly headings: readonly string[];
  /** Column titles as written. */
  readonly columns: readonly string[];
  /** Rows of cells, as written (markdown emphasis and code ticks stripped). */
  readonly rows: readonly (readonly string[])[];
  /** Paragraph lines between the heading and the table (usually the command that produced it). */
  readonly notes: readonly string[];
}

const separatorCell = /^:?-{1,}:?$/;

function splitRow(line: string): string[] {
  let inner = line.trim();
  if (inner.startsWith('|')) inner = inner.slice(1);
  if (inner.endsWith('|') && !inner.endsWith('\\|')) inner = inner.slice(0, -1);
  // Escaped pipes belong to the cell, not to the table.
  return inner.split(/(?<!\\)\|/).map((cell) => cleanCell(cell.replaceAll('\\|', '|')));
}

function cleanCell(cell: string): string {
  return cell
    .trim()
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(?<![\w*])\*(?!\s)(.+?)\*(?![\w*])/g, '$1')
    .replace(/`([^`]*)`/g, '$1');
}

function isTableLine(line: string): boolean {
  return line.trim().startsWith('|');
}

function isSeparatorRow(line: string): boolean {
  const cells = splitRow(line);
  return cells.length > 0 && cells.every((cell) => separatorCell.test(cell.replace(/\s+/g, '')));
}

/** Parses every pipe table in a markdown document. Never throws; no tables gives `[]`. */
export function parseBenchmarkTables(markdown: string): BenchmarkTable[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const tables: BenchmarkTable[] = [];
  const headingStack: { level: number; text: string }[] = [];
  let notes: string[] = [];
  let inFence = false;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      if (!inFence) continue;
    }
    if (inFence) {
      if (!/^\s*(```|~~~)/.test(line)) notes.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      while (headingStack.length > 0 && (headingStack.at(-1)?.level ?? 0) >= level) {
        headingStack.pop();
      }
      headingStack.push({ level, text: cleanCell(heading[2] ?? '') });
      notes = [];
      continue;
    }
    const next = lines[index + 1];
    if (isTableLine(line) && next !== undefined && isTableLine(next) && isSeparatorRow(next)) {
      const columns = splitRow(line);
      const rows: string[][] = [];
      index += 2;
      while (index < lines.length && isTableLine(lines[index] ?? '')) {
        const cells = splitRow(lines[index] ?? '');
        // Short rows are padded so every row lines up with the header.
        while (cells.length < columns.length) cells.push('');
        rows.push(cells.slice(0, columns.length));
        index++;
      }
      index--;
      tables.push({
        headings: headingStack.map((entry) => entry.text).filter((text) => text.length > 0),
        columns,
        rows,
        notes: notes.map((note) => note.trim()).filter((note) => note.length > 0),
      });
      notes = [];
      continue;
    }
    if (line.trim().length > 0) notes.push(line);
  }
  return tables;
}

/**
 * The first number in a cell, or `undefined`: `"12,345 req/s"` → 12345, `"2.1×"` → 2.1,
 * `"1.2e3"` → 1200, `"n/a"` → undefined.
 */
export function cellNumber(cell: string): number | undefined {
  const match = /-?(?:\d{1,3}(?:[,_\u202f\u00a0]\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(cell);
  if (!match) return undefined;
  const value = Number(match[0].replace(/[,_\u202f\u00a0]/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** Index of the column whose title mentions "ratio" (or `×`/`vs`), or -1. */
export function ratioColumnIndex(columns: readonly string[]): number {
  const exact = columns.findIndex((column) => /ratio/i.test(column));
  if (exact >= 0) return exact;
  return columns.findIndex((column, index) => index > 0 && /(^|\s)(×|x|vs\.?)(\s|$)/i.test(column));
}

/** Columns (after the first, which names the measurement) that hold a number in most rows. */
export function numericColumnIndexes(table: BenchmarkTable): number[] {
  const indexes: number[] = [];
  for (let column = 1; column < table.columns.length; column++) {
    const numeric = table.rows.filter((row) => cellNumber(row[column] ?? '') !== undefined).length;
    if (table.rows.length > 0 && numeric * 2 >= table.rows.length) indexes.push(column);
  }
  return indexes;
}

/**
 * A logarithmic scale for ratios, so 0.5× and 2× sit at the same distance from parity and a
 * 40× figure does not flatten every other bar. Maps a ratio to an x position in `[start, end]`.
 */
export function ratioScale(
  ratios: readonly number[],
  start: number,
  end: number,
): { x(ratio: number): number; ticks: number[] } {
  const positive = ratios.filter((ratio) => ratio > 0);
  const low = Math.min(0.5, ...positive.map((ratio) => ratio / 1.25));
  const high = Math.max(2, ...positive.map((ratio) => ratio * 1.25));
  const span = Math.log(high) - Math.log(low);
  const x = (ratio: number) => {
    const clamped = Math.min(high, Math.max(low, ratio > 0 ? ratio : low));
    return start + ((Math.log(clamped) - Math.log(low)) / span) * (end - start);
  };
  const ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter(
    (tick) => tick >= low && tick <= high,
  );
  return { x, ticks };
}

/** Section titles for the tables: the nearest heading, made unique with the first column's name. */
export function tableTitles(tables: readonly BenchmarkTable[]): string[] {
  const titles = tables.map((table, index) => table.headings.at(-1) ?? `Table ${index + 1}`);
  return titles.map((title, index) => {
    const repeated = titles.filter((other) => other === title).length > 1;
    const first = tables[index]?.columns[0];
    return repeated && first ? `${title} · ${first}` : title;
  });
}
