// What the browser checks share: Debian's Chromium started headless, and axe-core run on a
// page for WCAG 2.1 A and AA.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Records every breach of the site's Content-Security-Policy on the page's documents, for
// axe() to report: a page the policy breaks (an inline style or script) fails like a WCAG
// violation. Init scripts run through the DevTools protocol, which the policy does not govern.
export async function watchPolicy(page) {
  await page.addInitScript(() => {
    window.__policyBreaches = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__policyBreaches.push(`${e.violatedDirective} ${e.blockedURI || 'inline'}`);
    });
  });
}

// The page's WCAG 2.1 A/AA violations, each with the first few elements it names, and any
// breach of the Content-Security-Policy. axe-core is evaluated through the DevTools protocol,
// not added as a <script>, which the site's policy (no script at all) would block.
export async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const breaches = await page.evaluate(() => window.__policyBreaches || []);
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
  for (const b of breaches) {
    violations.push({ id: 'content-security-policy', impact: 'serious', help: 'blocked by the policy', nodes: [b] });
  }
  return { passes: result.passes.length, violations };
}

// A file name for a page's screenshot.
export function shotName(path) {
  return path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home';
}
