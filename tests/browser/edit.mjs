// The edit flows of Röd tråd in headless Chromium: an administrator logs in, every kind of form
// is checked with axe-core (WCAG 2.1 A and AA), a form is sent with refused values and checked
// again as it shows the errors, then put right and saved. Usage:
//   node edit.mjs BASE_URL OUT_DIR EMAIL PASSWORD PATH...
// Prints one JSON line per page and per step; exits 1 on any violation or failed step.
import { mkdirSync } from 'node:fs';
import { axe, launch, shotName, watchPolicy } from './lib.mjs';

const [base, outDir, email, password, ...paths] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
let failures = 0;

function report(line) {
  console.log(JSON.stringify(line));
  if (line.violations > 0 || line.ok === false) {
    failures += 1;
  }
}

async function check(page, path, status) {
  const result = await axe(page);
  await page.screenshot({ path: `${outDir}/edit_${shotName(path)}.png`, fullPage: true });
  report({ path, status, violations: result.violations.length, passes: result.passes });
  if (result.violations.length > 0) {
    console.log(JSON.stringify(result.violations, null, 2));
  }
}

try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await watchPolicy(page);
  await page.goto(`${base}/login`);
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.stacked button[type=submit]')]);
  report({ step: 'login', ok: (await page.textContent('header.site')).includes(email) });

  for (const path of paths) {
    const response = await page.goto(base + path, { waitUntil: 'load' });
    await check(page, path, response ? response.status() : 0);
  }

  // A form sent with a missing title and a date that is no date: shown again with the errors.
  const edit = paths.find((p) => p.startsWith('/edit/activity/'));
  await page.goto(base + edit);
  await page.fill('#f-title', '');
  await page.fill('#f-end', 'till hösten');
  const [refused] = await Promise.all([
    page.waitForNavigation(), page.click('form.edit button[type=submit]'),
  ]);
  report({
    step: 'refused',
    ok: refused.status() === 422
      && await page.isVisible('#form-problems')
      && await page.getAttribute('#f-title', 'aria-invalid') === 'true'
      && await page.inputValue('#f-end') === 'till hösten',
    status: refused.status(),
  });
  await check(page, `${edit}#errors`, refused.status());

  // Put right and saved: the activity's page shows the new title.
  await page.fill('#f-title', 'Brukarinflytande i hela länet');
  await page.fill('#f-end', '2026');
  const [saved] = await Promise.all([
    page.waitForNavigation(), page.click('form.edit button[type=submit]'),
  ]);
  report({
    step: 'saved',
    ok: saved.status() === 200 && (await page.textContent('h1')) === 'Brukarinflytande i hela länet',
    status: saved.status(),
  });

  // The plan owner's act: the draft published as a new version.
  await page.goto(`${base}/plans/psykisk-halsa-2020/versions`);
  const [published] = await Promise.all([
    page.waitForNavigation(), page.click('#publish ~ form button[type=submit], section[aria-labelledby=publish] button'),
  ]);
  report({
    step: 'published',
    ok: published.status() === 200 && (await page.locator('table tbody tr').count()) === 2,
    status: published.status(),
  });
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
