// Parse every ```mermaid block of a Markdown file with Mermaid itself (under jsdom); exit 1 on any error.
// Usage: AUTHFLOW_MERMAID_DIR=<folder where `npm install mermaid jsdom` ran> node mermaid_parse.mjs FILE.md
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(join(process.env.AUTHFLOW_MERMAID_DIR, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false });

const blocks = [...readFileSync(process.argv[2], 'utf8').matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
let failed = 0;
for (const block of blocks) {
  try {
    await mermaid.parse(block);
  } catch (error) {
    failed += 1;
    console.log(`${block.split('\n')[2]}\n  ${String(error.message || error).split('\n').slice(0, 3).join('\n  ')}`);
  }
}
console.log(`${blocks.length} diagrams, ${failed} failed to parse`);
process.exit(failed ? 1 : 0);
