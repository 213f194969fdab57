/**
 * The graph's HTML in a real browser: Debian's chromium, headless, driven by
 * playwright-core. For hello and the IOMMU example every PD and channel is
 * drawn with a real size, hovering shows its details, and a screenshot is
 * taken (MICROKIT_GRAPH_SCREENSHOT=path writes the IOMMU one there, which is
 * how docs/graph-iommu.png was made).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { exampleSystems, graphArgs, sdfFacts } from './support.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => p !== undefined && existsSync(p));
if (CHROMIUM === undefined) {
  console.warn('tests/graph/browser.test.ts: SKIPPED: no chromium at /usr/bin/chromium (or $CHROMIUM_PATH); .ci/run installs it with apt-get');
}

const cases = ['systems/hello/hello.system', 'systems/x86_64_iommu_dma_test/x86_64_iommu_dma_test.system'];

describe.skipIf(!HAS_SHARED || CHROMIUM === undefined)('graph HTML in headless chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(cases)('draws every PD and channel of %s, with details on hover', async (system) => {
    const run = exampleSystems().find((r) => r.system === system)!;
    const dir = mkdtempSync(join(tmpdir(), 'mk-graph-browser-'));
    const html = join(dir, 'system.html');
    const r = await cli(['graph', ...graphArgs(run), '-o', html], { cwd: EXAMPLES, env: { MICROKIT_SDK: SHARED_SDK } });
    expect(r.code, r.stderr).toBe(0);

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(html).href);

    const facts = sdfFacts(run);
    const ids = [...facts.pds.map((pd) => `pd:${pd}`), ...Array.from({ length: facts.channels }, (_, i) => `channel:${i}`)];
    for (const id of ids) {
      const box = await page.locator(`[id="${id}"]`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width * box!.height, id).toBeGreaterThan(0);
    }

    const shot = process.env.MICROKIT_GRAPH_SCREENSHOT && system.includes('iommu') ? resolve(process.env.MICROKIT_GRAPH_SCREENSHOT) : join(dir, 'shot.png');
    await page.locator('main svg').screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(1000);

    // Hover the first PD: its details appear.
    const pd = facts.pds[0];
    await page.locator(`[id="pd:${pd}"]`).hover();
    const tip = page.locator('#details');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain(`protection domain ${pd}`);

    expect(errors).toEqual([]);
    // Self-contained: nothing but the file itself was loaded.
    expect(requests).toEqual([pathToFileURL(html).href]);
    await page.close();
  });
});
