// Loads each page of Röd tråd in headless Chromium, runs axe-core on it (WCAG 2.1 A and AA), saves a
// screenshot, checks that the keyboard reaches the content with focus shown, and checks the print
// layout of the report. Usage:
//   node a11y.mjs BASE_URL OUT_DIR PATH...
// Exits 1 and prints the violations when axe-core finds any.
import { mkdirSync } from 'node:fs';
import { axe, launch, shotName, watchPolicy } from './lib.mjs';

const [base, outDir, ...paths] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

const browser = await launch();
let failures = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await watchPolicy(page);
  for (const path of paths) {
    const response = await page.goto(base + path, { waitUntil: 'load' });
    const status = response ? response.status() : 0;
    const result = await axe(page);
    const name = shotName(path);
    await page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
    const { violations } = result;
    // Keyboard: the first Tab reaches the skip link, shown on screen with a focus outline;
    // following it puts focus on the main content, and the next Tab shows its outline too.
    await page.keyboard.press('Tab');
    const focusOf = () => page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      return {
        tag: e.tagName.toLowerCase(), cls: e.className, id: e.id,
        onScreen: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.left < innerWidth,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    const skip = await focusOf();
    await page.keyboard.press('Enter');
    const afterSkip = await focusOf();
    await page.keyboard.press('Tab');
    const next = await focusOf();
    const keyboard = {
      skipLink: skip.cls === 'skip' && skip.onScreen && skip.outline,
      toMain: afterSkip.id === 'main',
      nextVisible: next.onScreen && next.outline && next.tag !== 'body',
    };
    if (!keyboard.skipLink || !keyboard.toMain || !keyboard.nextVisible) {
      failures += 1;
      console.log(JSON.stringify({ path, keyboard, skip, afterSkip, next }));
    }
    await page.goto(base + path, { waitUntil: 'load' });
    let print;
    if (path.includes('/follow-ups/')) {
      // The report's print layout: no site header or footer, each focus area on a new page.
      await page.emulateMedia({ media: 'print' });
      print = await page.evaluate(() => ({
        headerHidden: getComputedStyle(document.querySelector('header.site')).display === 'none',
        footerHidden: getComputedStyle(document.querySelector('footer.site')).display === 'none',
        pageBreaks: [...document.querySelectorAll('.focus-area')]
          .filter((e) => getComputedStyle(e).breakBefore === 'page').length,
      }));
      await page.pdf({ path: `${outDir}/${name}.pdf`, format: 'A4' });
      await page.emulateMedia({ media: 'screen' });
    }
    console.log(JSON.stringify({ path, status, violations: violations.length, passes: result.passes, keyboard, print }));
    if (violations.length > 0) {
      failures += 1;
      console.log(JSON.stringify(violations, null, 2));
    }
  }
} finally {
  await browser.close();
}
process.exit(failures > 0 ? 1 : 0);
