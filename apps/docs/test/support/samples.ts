import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One ```ts block of a documentation page. */
export interface CodeSample {
  /** Page path relative to the docs root, e.g. `guide/getting-started.md`. */
  readonly page: string;
  /** 1-based line of the block's first code line in the page. */
  readonly line: number;
  readonly code: string;
}

const skippedDirectories = new Set(['node_modules', 'dist', 'test-output', '.vitepress', 'test']);

/** Every markdown page of the site, except the generated API reference. */
export function listPages(docsRoot: string, directory = docsRoot): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (skippedDirectories.has(entry.name) || entry.name.startsWith('.')) continue;
      if (relative(docsRoot, path) === join('reference', 'api')) continue;
      pages.push(...listPages(docsRoot, path));
    } else if (entry.name.endsWith('.md')) {
      pages.push(relative(docsRoot, path));
    }
  }
  return pages.sort();
}

/** The ```ts and ```typescript blocks of one page (other languages are not type-checked). */
export function extractTypeScriptSamples(page: string, markdown: string): CodeSample[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const samples: CodeSample[] = [];
  let open: { fence: string; line: number; typescript: boolean; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const start = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(text);
      if (start) {
        const language = (start[2] ?? '').toLowerCase();
        open = {
          fence: start[1] ?? '```',
          line: index + 2,
          typescript: language === 'ts' || language === 'typescript',
          body: [],
        };
      }
      return;
    }
    if (text.trim().startsWith(open.fence) && text.trim().replace(/[`~]/g, '') === '') {
      if (open.typescript) samples.push({ page, line: open.line, code: open.body.join('\n') });
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  return samples;
}

/** File name of a sample in the scratch project: page path flattened, plus the block's line. */
export function sampleFileName(sample: CodeSample): string {
  return `${sample.page.replace(/\.md$/, '').replace(/[\\/]/g, '__')}__L${sample.line}.ts`;
}

/** Reads and extracts all samples under the docs root. */
export function collectSamples(docsRoot: string): CodeSample[] {
  return listPages(docsRoot).flatMap((page) =>
    extractTypeScriptSamples(page, readFileSync(join(docsRoot, page), 'utf8')),
  );
}
