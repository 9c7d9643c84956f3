// browser.mjs — the search page of `cari serve` in Debian's headless
// Chromium, driven by playwright-core (run by tests/sh/browser.sh, which
// starts the server and adds the articles used here).
//   node tests/browser/browser.mjs BASE_URL SCREENSHOT.png
// Checks: with JavaScript off, a search typed into the box shows a count,
// highlighted results and page links that work; the page fits a phone; the
// focus is seen and text contrast is enough; with JavaScript on, results
// come as the words are typed (serve/page.js) and completions fill the
// box's list (GET /suggest); a result's tag link filters by it, the filter
// is kept and can be dropped, the date sort and a year's facet work; and
// article text, a tag and a query holding <script> and an onerror <img>
// show as text, and nothing runs (no dialog, no element made from them). Last line:
// "browser: N passed, N failed".
import { chromium } from 'playwright-core';

const [base, shot] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(id, cond, detail) {
  if (cond) passed++;
  else { failed++; console.log(`FAIL [${id}] ${detail ?? ''}`); }
}
const XSS1 = '<script>alert(1)</script>';
const XSS2 = '"><img src=x onerror=alert(1)>';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  // ---- without JavaScript: the page must not need it -------------------
  const plain = await browser.newContext({ javaScriptEnabled: false,
                                           viewport: { width: 900, height: 1200 } });
  const page = await plain.newPage();
  let res = await page.goto(base + '/');
  check('home-200', res.status() === 200, res.status());
  check('home-label', await page.getByLabel('Kata pencarian').count() === 1);
  await page.getByLabel('Kata pencarian').fill('komunitas');
  await Promise.all([page.waitForURL(/\?q=komunitas/),
                     page.getByRole('button', { name: 'Cari' }).click()]);
  const status = await page.locator('.status').innerText();
  check('count', /^\d+ hasil untuk “komunitas”$/.test(status), status);
  const total = parseInt(status, 10);
  check('count-many', total > 10, status);
  const marks = await page.locator('.snippet mark').allInnerTexts();
  check('marks', marks.length >= 5, marks.length);
  check('marks-word', marks.every((m) => /komunitas/i.test(m)), marks.join('|'));
  check('ten-results', await page.locator('ol.results > li').count() === 10);
  const link = page.locator('ol.results h2 a').first();
  check('title-link', /^https?:\/\//.test(await link.getAttribute('href') ?? ''));
  check('date', await page.locator('ol.results time').count() > 0);
  await page.screenshot({ path: shot });
  await Promise.all([page.waitForURL(/page=2/),
                     page.getByRole('link', { name: /Berikutnya/ }).click()]);
  check('page2-start', await page.locator('ol.results').getAttribute('start') === '11');
  check('page2-status', (await page.locator('.status').innerText()) === status);
  check('page2-prev', await page.getByRole('link', { name: /Sebelumnya/ }).count() === 1);
  check('page2-query-kept', await page.getByLabel('Kata pencarian').inputValue() === 'komunitas');
  await Promise.all([page.waitForURL((u) => !/page=/.test(u.search)),
                     page.getByRole('link', { name: /Sebelumnya/ }).click()]);
  check('back-page1', await page.locator('ol.results').getAttribute('start') === '1');
  // A tag under a result is a link that filters by it; the filter shows,
  // stays through a new query, and its chip takes it away again.
  await page.goto(base + '/?q=komunitas');
  const tagLink = page.locator('ol.results .tags a', { hasText: /^Gotong$/ }).first();
  check('tag-link', await tagLink.count() === 1);
  await Promise.all([page.waitForURL(/tag=Gotong/), tagLink.click()]);
  const tagStatus = await page.locator('.status').innerText();
  check('tag-filtered', /^\d+ hasil untuk “komunitas”$/.test(tagStatus) &&
        parseInt(tagStatus, 10) >= 1 && parseInt(tagStatus, 10) < total, tagStatus);
  const tagsShown = await page.locator('ol.results > li').evaluateAll((lis) =>
    lis.map((li) => [...li.querySelectorAll('.tags a')].map((a) => a.textContent)));
  check('tag-every-result', tagsShown.length > 0 &&
        tagsShown.every((ts) => ts.includes('Gotong')), JSON.stringify(tagsShown));
  check('tag-chip', (await page.locator('.filters .chip').innerText()).startsWith('Gotong'));
  check('tag-facet-current', await page.locator('.facets li[aria-current=true]').count() === 1);
  await page.getByLabel('Kata pencarian').fill('warga');
  await Promise.all([page.waitForURL(/q=warga/),
                     page.getByRole('button', { name: 'Cari' }).click()]);
  check('tag-kept', /tag=Gotong/.test(page.url()), page.url());
  await Promise.all([page.waitForURL((u) => !/tag=/.test(u.search)),
                     page.locator('.filters .chip').click()]);
  check('tag-dropped', await page.locator('.filters').count() === 0);
  // Newest first, and a year's facet.
  await Promise.all([page.waitForURL(/sort=date/),
                     page.getByRole('link', { name: 'terbaru' }).click()]);
  const dates = await page.locator('ol.results time').allInnerTexts();
  check('sort-date', dates.length > 1 &&
        dates.every((d, i) => i === 0 || dates[i - 1] >= d), dates.join(' '));
  const year = page.locator('.facets a', { hasText: /^2025/ }).first();
  check('year-facet', await year.count() === 1);
  await Promise.all([page.waitForURL(/from=2025-01-01/), year.click()]);
  const years = await page.locator('ol.results time').allInnerTexts();
  check('year-filtered', years.length > 0 && years.every((d) => d.startsWith('2025')),
        years.join(' '));
  res = await page.goto(base + '/?q=zzqxvtidakada');
  check('none', (await page.locator('.status').innerText()) ===
        'Tidak ada hasil untuk “zzqxvtidakada”.');
  await plain.close();

  // ---- a phone, keyboard focus, contrast (JavaScript on from here) -----
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const js = await ctx.newPage();
  let dialogs = 0;
  js.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await js.goto(base + '/?q=komunitas');
  const fits = await js.evaluate(() =>
    document.documentElement.scrollWidth <= window.innerWidth);
  check('phone-fits', fits);
  await js.getByLabel('Kata pencarian').focus();
  await js.keyboard.press('Tab');
  const focus = await js.evaluate(() => {
    const e = document.activeElement, s = getComputedStyle(e);
    return { tag: e.tagName, outline: s.outlineStyle, width: s.outlineWidth };
  });
  check('focus-button', focus.tag === 'BUTTON', focus.tag);
  check('focus-seen', focus.outline !== 'none' && focus.width !== '0px',
        JSON.stringify(focus));
  const ratios = await js.evaluate(() => {
    const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const bg = getComputedStyle(document.body).backgroundColor;
    const out = {};
    for (const sel of ['body', '.status', '.meta', 'ol.results a', 'label']) {
      const e = document.querySelector(sel);
      if (e) out[sel] = ratio(getComputedStyle(e).color, bg);
    }
    const m = document.querySelector('mark');
    if (m) out.mark = ratio(getComputedStyle(m).color, getComputedStyle(m).backgroundColor);
    return out;
  });
  for (const [sel, r] of Object.entries(ratios))
    check(`contrast ${sel}`, r >= 4.5, r.toFixed(2));
  check('contrast-measured', Object.keys(ratios).length >= 5, JSON.stringify(ratios));

  // ---- search as you type (progressive: app.js) ------------------------
  await js.goto(base + '/');
  await js.getByLabel('Kata pencarian').pressSequentially('kopi', { delay: 40 });
  await js.waitForFunction(() =>
    /hasil untuk “kopi”/.test(document.querySelector('.status')?.textContent ?? ''),
    null, { timeout: 5000 }).catch(() => {});
  const typed = await js.locator('.status').innerText().catch(() => '');
  check('typed-results', /^\d+ hasil untuk “kopi”$/.test(typed), typed);
  check('typed-url', /\?q=kopi$/.test(js.url()), js.url());
  check('typed-focus', await js.evaluate(() => document.activeElement?.id) === 'q');
  check('typed-marks', await js.locator('.snippet mark').count() > 0);

  // ---- suggestions as you type (GET /suggest into the datalist) --------
  await js.goto(base + '/');
  await js.getByLabel('Kata pencarian').pressSequentially('catatan keg', { delay: 40 });
  await js.waitForFunction(() =>
    document.querySelectorAll('#saran option').length > 0, null,
    { timeout: 5000 }).catch(() => {});
  const sugg = await js.locator('#saran option').evaluateAll((os) => os.map((o) => o.value));
  check('suggest-options', sugg.length > 0, JSON.stringify(sugg));
  check('suggest-completes', sugg.includes('catatan kegiatan'), JSON.stringify(sugg));
  check('suggest-prefix', sugg.every((v) => v.startsWith('catatan keg')), JSON.stringify(sugg));
  await js.getByLabel('Kata pencarian').fill('');
  await js.getByLabel('Kata pencarian').pressSequentially('jah', { delay: 40 });
  await js.waitForFunction(() =>
    [...document.querySelectorAll('#saran option')].some((o) => o.value === 'jahil'),
    null, { timeout: 5000 }).catch(() => {});
  check('suggest-again', await js.locator('#saran option[value="jahil"]').count() === 1);

  // ---- hostile text: shown as text, nothing runs -----------------------
  await js.goto(base + '/?q=jahil');
  const h2 = await js.locator('ol.results h2').first().innerText();
  check('xss-title-text', h2.includes(XSS1) && h2.includes(XSS2), h2);
  const snip = await js.locator('ol.results .snippet').first().innerText();
  check('xss-body-text', snip.includes(XSS1) && snip.includes(XSS2), snip);
  check('xss-snippet-mark', (await js.locator('ol.results .snippet mark').first().innerText()) === 'jahil');
  const made = await js.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    script: [...document.querySelectorAll('script')].filter((e) => e.getAttribute('src') !== '/app.js').length,
    js: [...document.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
  }));
  check('xss-no-elements', made.img === 0 && made.script === 0 && made.js === 0,
        JSON.stringify(made));
  // A hostile tag: shown as text under the result and in the facets; its
  // link filters by it (percent-encoded), and nothing runs.
  const tagTexts = await js.locator('ol.results .tags a').allInnerTexts();
  check('xss-tag-text', tagTexts.includes(XSS2), JSON.stringify(tagTexts));
  const facetTexts = await js.locator('.facets a').allInnerTexts();
  check('xss-tag-facet', facetTexts.some((t) => t.startsWith(XSS2)), JSON.stringify(facetTexts));
  const hostile = js.locator('ol.results .tags a', { hasText: 'onerror' }).first();
  await Promise.all([js.waitForURL(/tag=/), hostile.click()]);
  check('xss-tag-filter', (await js.locator('.status').innerText()) === '1 hasil untuk “jahil”');
  check('xss-tag-chip', (await js.locator('.filters .chip').innerText()).startsWith(XSS2));
  check('xss-tag-hidden', await js.locator('input[type=hidden][name=tag]').inputValue() === XSS2);
  check('xss-tag-no-elements', await js.evaluate(() =>
    document.querySelectorAll('img, script:not([src="/app.js"])').length === 0));
  const q = XSS1 + XSS2;
  await js.goto(base + '/?q=' + encodeURIComponent(q));
  check('xss-query-echo', (await js.locator('.status .q').innerText()) === q);
  check('xss-query-value', (await js.getByLabel('Kata pencarian').inputValue()) === q);
  check('xss-query-no-elements', await js.evaluate(() =>
    document.querySelectorAll('img, script:not([src="/app.js"])').length === 0));
  await js.waitForTimeout(300); // an onerror would have fired by now
  check('xss-no-dialog', dialogs === 0, dialogs);
  await ctx.close();
} catch (e) {
  failed++;
  console.log(`FAIL [exception] ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
