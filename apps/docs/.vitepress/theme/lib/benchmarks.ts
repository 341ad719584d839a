/**
 * Charts for the tables of BENCHMARKS.md. The benchmarks page is BENCHMARKS.md itself, rendered
 * by VitePress's markdown-it; a markdown-it plugin hands each table's cells (as plain text) to
 * {@link chartsForTable} and places the HTML of {@link chartHtml} right after the table.
 *
 * A table gets a chart only where a picture says more than the table does:
 * - columns of ratios (`2.36×`) become one chart on a logarithmic axis around parity (1×), with
 *   the row's goal (a `goal` column such as `≥ 2×`) marked and each bar coloured by whether it
 *   meets it;
 * - any other numeric column of a table with at least three figures becomes a chart of its own,
 *   so every chart has one unit (req/s never shares an axis with ms).
 * The axis always spans every value, so no bar is clipped or hidden.
 */

/** A table as plain text: the first column names the measurement. */
export interface BenchmarkTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A goal from a `goal` column: `≥ 0.5×` is `{ comparator: '>=', value: 0.5 }`. */
export interface RatioGoal {
  readonly comparator: '>=' | '>' | '<=' | '<';
  readonly value: number;
  readonly text: string;
}

/** A position on a chart's axis, as a percentage of the plot's width. */
export interface AxisTick {
  readonly value: number;
  readonly label: string;
  readonly at: number;
}

/** One bar of a ratio chart: one ratio cell. */
export interface RatioBar {
  /** The column the value comes from (`run 1`, `value`). */
  readonly label: string;
  readonly value: number;
  readonly text: string;
  /** Whether the value meets the row's goal; `undefined` when the row has none. */
  readonly meetsGoal: boolean | undefined;
  /** Left edge and width of the bar (from parity to the value), in percent. */
  readonly from: number;
  readonly width: number;
}

/** The bars of one table row in a ratio chart. */
export interface RatioGroup {
  readonly measurement: string;
  readonly goal: (RatioGoal & { readonly at: number }) | undefined;
  readonly bars: readonly RatioBar[];
}

/** A table's ratio columns on a logarithmic axis. */
export interface RatioChart {
  readonly kind: 'ratio';
  readonly groups: readonly RatioGroup[];
  /** Where 1× sits, in percent. */
  readonly parity: number;
  readonly ticks: readonly AxisTick[];
}

/** One numeric column of a table, one bar per row. */
export interface ValueChart {
  readonly kind: 'value';
  /** The column's title, which carries its unit (`req/s`, `p99 ms`). */
  readonly title: string;
  readonly logarithmic: boolean;
  readonly bars: readonly {
    readonly label: string;
    readonly text: string;
    readonly value: number;
    readonly width: number;
  }[];
  readonly ticks: readonly AxisTick[];
}

/** A chart of either kind. */
export type BenchmarkChart = RatioChart | ValueChart;

const numberPattern = /-?(?:\d{1,3}(?:[,_\u202f\u00a0]\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?/i;

/**
 * The first number in a cell, or `undefined`: `"12,345 req/s"` → 12345, `"2.1×"` → 2.1,
 * `"1.2e3"` → 1200, `"n/a"` → undefined.
 */
export function cellNumber(cell: string): number | undefined {
  const match = numberPattern.exec(cell);
  if (!match) return undefined;
  const value = Number(match[0].replace(/[,_\u202f\u00a0]/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

const ratioCellPattern =
  /^(?:(≥|>=|>|≤|<=|<)\s*)?(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*[×x](?:\s*\(.*\))?$/i;

/** A cell holding a ratio (`2.36×`, `≥ 0.5x`), with its comparator if it has one. */
export function ratioCell(
  cell: string,
): { readonly value: number; readonly comparator: string | undefined } | undefined {
  const match = ratioCellPattern.exec(cell.trim());
  if (!match?.[2]) return undefined;
  const value = Number(match[2]);
  return Number.isFinite(value) && value > 0 ? { value, comparator: match[1] } : undefined;
}

function isGoalColumn(title: string): boolean {
  return /\b(goal|target)s?\b/i.test(title);
}

function nonEmpty(table: BenchmarkTable, column: number): string[] {
  return table.rows.map((row) => (row[column] ?? '').trim()).filter((cell) => cell !== '');
}

/** Columns (after the first) most of whose filled cells are ratios. */
export function ratioColumns(table: BenchmarkTable): number[] {
  const columns: number[] = [];
  for (let column = 1; column < table.columns.length; column++) {
    const cells = nonEmpty(table, column);
    const ratios = cells.filter((cell) => ratioCell(cell) !== undefined).length;
    if (ratios > 0 && ratios * 2 >= cells.length) columns.push(column);
  }
  return columns;
}

function parseGoal(cell: string): RatioGoal | undefined {
  const ratio = ratioCell(cell);
  if (!ratio) return undefined;
  const comparators: Record<string, RatioGoal['comparator']> = {
    '≥': '>=',
    '>=': '>=',
    '>': '>',
    '≤': '<=',
    '<=': '<=',
    '<': '<',
  };
  return {
    comparator: comparators[ratio.comparator ?? '≥'] ?? '>=',
    value: ratio.value,
    text: cell.trim(),
  };
}

function meets(goal: RatioGoal, value: number): boolean {
  switch (goal.comparator) {
    case '>=':
      return value >= goal.value;
    case '>':
      return value > goal.value;
    case '<=':
      return value <= goal.value;
    case '<':
      return value < goal.value;
  }
}

const niceSteps = [1, 2, 5];

function formatTick(value: number): string {
  if (value >= 1000) return value.toLocaleString('en-GB');
  return String(Number(value.toPrecision(3)));
}

/**
 * A logarithmic axis covering every value with some room either side, and ticks at 1-2-5 steps
 * (finer steps when the span is narrow). Returns the position of a value in percent.
 */
export function logAxis(values: readonly number[]): {
  at(value: number): number;
  ticks: AxisTick[];
} {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  const low = Math.min(...positive) / 1.3;
  const high = Math.max(...positive) * 1.3;
  const span = Math.log(high) - Math.log(low) || 1;
  const at = (value: number) => ((Math.log(value) - Math.log(low)) / span) * 100;
  const decades: number[] = [];
  for (
    let exponent = Math.floor(Math.log10(low));
    exponent <= Math.ceil(Math.log10(high));
    exponent++
  ) {
    decades.push(10 ** exponent);
  }
  const pick = (steps: readonly number[]) =>
    decades
      .flatMap((decade) => steps.map((step) => Number((decade * step).toPrecision(6))))
      .filter((value) => value >= low && value <= high);
  let tickValues = pick(niceSteps);
  if (tickValues.length < 3) tickValues = pick([1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]);
  if (tickValues.length < 3)
    tickValues = pick([1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]);
  return {
    at,
    ticks: tickValues.map((value) => ({ value, label: formatTick(value), at: at(value) })),
  };
}

/** A linear axis from 0 to a round number at or above every value, with ticks at 1-2-5 steps. */
export function linearAxis(values: readonly number[]): {
  at(value: number): number;
  ticks: AxisTick[];
} {
  const max = Math.max(0, ...values);
  if (max === 0) return { at: () => 0, ticks: [{ value: 0, label: '0', at: 0 }] };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = (niceSteps.find((candidate) => candidate * magnitude >= rough) ?? 10) * magnitude;
  const top = Math.ceil(max / step) * step;
  const ticks: AxisTick[] = [];
  for (let value = 0; value <= top + step / 2; value += step) {
    const rounded = Number(value.toPrecision(6));
    ticks.push({ value: rounded, label: formatTick(rounded), at: (rounded / top) * 100 });
  }
  return { at: (value) => (value / top) * 100, ticks };
}

function ratioChart(table: BenchmarkTable, columns: readonly number[]): RatioChart | undefined {
  const goalColumn = columns.find((column) => isGoalColumn(table.columns[column] ?? ''));
  const valueColumns = columns.filter((column) => column !== goalColumn);
  const rows = table.rows
    .map((row) => ({
      measurement: row[0] ?? '',
      goal: goalColumn === undefined ? undefined : parseGoal(row[goalColumn] ?? ''),
      values: valueColumns.flatMap((column) => {
        const text = (row[column] ?? '').trim();
        const ratio = ratioCell(text);
        return ratio ? [{ label: table.columns[column] ?? '', value: ratio.value, text }] : [];
      }),
    }))
    .filter((row) => row.values.length > 0);
  const allValues = rows.flatMap((row) => [
    ...row.values.map((value) => value.value),
    ...(row.goal ? [row.goal.value] : []),
  ]);
  if (rows.flatMap((row) => row.values).length < 2) return undefined;
  const axis = logAxis([...allValues, 1]);
  const parity = axis.at(1);
  return {
    kind: 'ratio',
    parity,
    ticks: axis.ticks,
    groups: rows.map((row) => ({
      measurement: row.measurement,
      goal: row.goal ? { ...row.goal, at: axis.at(row.goal.value) } : undefined,
      bars: row.values.map((value) => {
        const end = axis.at(value.value);
        return {
          ...value,
          meetsGoal: row.goal ? meets(row.goal, value.value) : undefined,
          from: Math.min(parity, end),
          width: Math.max(0.6, Math.abs(end - parity)),
        };
      }),
    })),
  };
}

function valueChart(table: BenchmarkTable, column: number): ValueChart | undefined {
  const entries = table.rows
    .map((row) => ({
      label: row[0] ?? '',
      text: (row[column] ?? '').trim(),
      value: cellNumber(row[column] ?? ''),
    }))
    .filter(
      (entry): entry is { label: string; text: string; value: number } =>
        entry.value !== undefined && entry.value >= 0,
    );
  // Two figures read better side by side in the table than as two bars.
  if (entries.length < 3) return undefined;
  const values = entries.map((entry) => entry.value);
  const positive = values.filter((value) => value > 0);
  // A column spanning two orders of magnitude would flatten its small values on a linear axis.
  const logarithmic =
    positive.length === values.length && Math.max(...positive) / Math.min(...positive) >= 100;
  const axis = logarithmic ? logAxis(values) : linearAxis(values);
  return {
    kind: 'value',
    title: table.columns[column] ?? '',
    logarithmic,
    ticks: axis.ticks,
    bars: entries.map((entry) => ({ ...entry, width: Math.max(0.6, axis.at(entry.value)) })),
  };
}

/** The charts worth drawing for a table, in the order they should appear. */
export function chartsForTable(table: BenchmarkTable): BenchmarkChart[] {
  const ratios = ratioColumns(table);
  const charts: BenchmarkChart[] = [];
  const ratio = ratioChart(table, ratios);
  if (ratio) charts.push(ratio);
  for (let column = 1; column < table.columns.length; column++) {
    if (ratios.includes(column)) continue;
    const numeric = nonEmpty(table, column).filter((cell) => cellNumber(cell) !== undefined);
    if (numeric.length * 2 < table.rows.length) continue;
    const chart = valueChart(table, column);
    if (chart) charts.push(chart);
  }
  return charts;
}

/** Escapes text for HTML, and braces so a Vue template never reads it as an interpolation. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('{', '&#123;')
    .replaceAll('}', '&#125;');
}

function percent(value: number): string {
  return `${Number(value.toFixed(3))}%`;
}

function gridLines(ticks: readonly AxisTick[]): string {
  return ticks
    .map((tick) => `<span class="qk-chart-gridline" style="left:${percent(tick.at)}"></span>`)
    .join('');
}

function axisRow(ticks: readonly AxisTick[], suffix: string): string {
  const labels = ticks
    .map(
      (tick) =>
        `<span class="qk-chart-tick" style="left:${percent(tick.at)}">${escapeHtml(tick.label)}${suffix}</span>`,
    )
    .join('');
  return `<div class="qk-chart-row qk-chart-axis" aria-hidden="true"><span class="qk-chart-label"></span><span class="qk-chart-ticks">${labels}</span><span class="qk-chart-value"></span></div>`;
}

function ratioHtml(chart: RatioChart): string {
  const grid = gridLines(chart.ticks);
  const groups = chart.groups
    .map((group) => {
      const goal = group.goal
        ? `<span class="qk-chart-goal-text">goal ${escapeHtml(group.goal.text)}</span>`
        : '';
      const bars = group.bars
        .map((bar) => {
          const state = bar.meetsGoal === undefined ? 'none' : bar.meetsGoal ? 'met' : 'missed';
          const verdict =
            bar.meetsGoal === false ? ' <span class="qk-chart-missed">misses goal</span>' : '';
          const goalMark = group.goal
            ? `<span class="qk-chart-goal" style="left:${percent(group.goal.at)}"></span>`
            : '';
          return [
            `<div class="qk-chart-row" data-goal="${state}">`,
            `<span class="qk-chart-label">${escapeHtml(bar.label)}</span>`,
            `<span class="qk-chart-track" aria-hidden="true">${grid}`,
            `<span class="qk-chart-parity" style="left:${percent(chart.parity)}"></span>`,
            `<span class="qk-chart-bar" style="left:${percent(bar.from)};width:${percent(bar.width)}"></span>`,
            `${goalMark}</span>`,
            `<span class="qk-chart-value">${escapeHtml(bar.text)}${verdict}</span>`,
            '</div>',
          ].join('');
        })
        .join('');
      return `<div class="qk-chart-group"><div class="qk-chart-group-title">${escapeHtml(group.measurement)}${goal}</div>${bars}</div>`;
    })
    .join('');
  const hasGoal = chart.groups.some((group) => group.goal !== undefined);
  const caption = `Ratios on a logarithmic axis: bars grow from 1× (dashed), right for above, left for below${
    hasGoal ? '; the solid mark is the goal, and a bar that misses it is drawn in red' : ''
  }.`;
  return `<figure class="qk-chart qk-chart-ratio" data-chart="ratio" v-pre><figcaption>${escapeHtml(caption)}</figcaption>${groups}${axisRow(chart.ticks, '×')}</figure>`;
}

function valueHtml(chart: ValueChart): string {
  const grid = gridLines(chart.ticks);
  const rows = chart.bars
    .map((bar) =>
      [
        '<div class="qk-chart-row">',
        `<span class="qk-chart-label">${escapeHtml(bar.label)}</span>`,
        `<span class="qk-chart-track" aria-hidden="true">${grid}`,
        `<span class="qk-chart-bar" style="left:0;width:${percent(bar.width)}"></span></span>`,
        `<span class="qk-chart-value">${escapeHtml(bar.text)}</span>`,
        '</div>',
      ].join(''),
    )
    .join('');
  const scale = chart.logarithmic ? 'logarithmic axis' : 'linear axis from 0';
  return `<figure class="qk-chart qk-chart-value-chart" data-chart="value" v-pre><figcaption><strong>${escapeHtml(chart.title)}</strong> · ${scale}</figcaption>${rows}${axisRow(chart.ticks, '')}</figure>`;
}

/** The HTML of a chart: plain elements positioned in percent, so it never overflows its column. */
export function chartHtml(chart: BenchmarkChart): string {
  return chart.kind === 'ratio' ? ratioHtml(chart) : valueHtml(chart);
}

/** The HTML of every chart of a table, wrapped in one block (empty when none is worth drawing). */
export function tableChartsHtml(table: BenchmarkTable): string {
  const charts = chartsForTable(table);
  if (charts.length === 0) return '';
  return `<div class="qk-charts" data-testid="bench-charts">${charts.map(chartHtml).join('')}</div>\n`;
}
