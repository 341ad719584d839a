import type { MarkdownRenderer } from 'vitepress';
import { type BenchmarkTable, tableChartsHtml } from './theme/lib/benchmarks.ts';

type Token = ReturnType<MarkdownRenderer['parse']>[number];

/** The page that renders BENCHMARKS.md (through VitePress's `<!--@include:-->`). */
export const BENCHMARKS_PAGE = 'benchmarks.md';

const sourceNote =
  '<p class="qk-bench-note" data-testid="bench-note">This page is the repository\'s ' +
  '<code>BENCHMARKS.md</code>, rendered when the site is built. Charts below a table draw ' +
  "that table's figures; the table is the record.</p>\n";

/** The plain text of an inline token: text and code spans, emphasis markers dropped. */
function plainText(token: Token | undefined): string {
  if (!token) return '';
  const children = token.children ?? [];
  if (children.length === 0) return token.content;
  return children
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('')
    .trim();
}

/** Reads the table that opens at `tokens[start]` (a `table_open`) into plain cells. */
function readTable(
  tokens: readonly Token[],
  start: number,
): { table: BenchmarkTable; end: number } {
  const columns: string[] = [];
  const rows: string[][] = [];
  let row: string[] | undefined;
  let inHead = false;
  let index = start;
  for (; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (token.type === 'table_close') break;
    if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = [];
    else if (token.type === 'tr_close' && row) {
      if (!inHead) rows.push(row);
      row = undefined;
    } else if (token.type === 'th_open' || token.type === 'td_open') {
      const text = plainText(tokens[index + 1]);
      if (inHead) columns.push(text);
      else row?.push(text);
    }
  }
  return { table: { columns, rows }, end: index };
}

/**
 * markdown-it plugin for the benchmarks page: after every table of BENCHMARKS.md it places the
 * charts of that table (static HTML, built here at build time), and under the page's title a
 * line saying where the page comes from. Every other page is left alone; the prose, tables and
 * headings are markdown-it's own rendering of the file, so nothing of it is dropped.
 */
export function benchmarkCharts(md: MarkdownRenderer): void {
  md.core.ruler.push('qk_benchmark_charts', (state) => {
    const env = state.env as { relativePath?: string } | undefined;
    if (env?.relativePath !== BENCHMARKS_PAGE) return;
    const tokens = state.tokens;
    let notePlaced = false;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index];
      if (!token) continue;
      if (!notePlaced && token.type === 'heading_close' && token.tag === 'h1') {
        const note = new state.Token('html_block', '', 0);
        note.content = sourceNote;
        tokens.splice(index + 1, 0, note);
        notePlaced = true;
        continue;
      }
      if (token.type !== 'table_open') continue;
      const { table, end } = readTable(tokens, index);
      const html = tableChartsHtml(table);
      if (html === '') {
        index = end;
        continue;
      }
      const charts = new state.Token('html_block', '', 0);
      charts.content = html;
      tokens.splice(end + 1, 0, charts);
      index = end + 1;
    }
  });
}
