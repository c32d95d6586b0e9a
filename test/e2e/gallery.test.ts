/**
 * The gallery: every page of the app in every state (`./page-states.ts`: issue view not linked, linked, in conflict,
 * failing, loading, in error; the field's editors; the create dialog; project settings' tabs, form, mapping, sync log
 * and its detail, no connections, loading, error; the admin page and its error) in light and dark, each written to
 * `test-results/screenshots/<page>-<state>-<theme>.png` (git-ignored). Each state waits for its own content (so a
 * blank frame fails), and `./browser.ts` fails the test on any console error, uncaught error or CSP violation in
 * any frame. The frames' colour mode is checked too: in dark, each frame's `<html>` carries `data-color-mode="dark"`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './browser';
import { FRAMES, stateSuite } from './page-states';

const SHOTS = path.join(RESULTS_DIR, 'screenshots');

stateSuite(
  8030,
  (s, theme) => `${s.page} ${s.state} renders its content without errors (${theme})`,
  async ({ page }, s, theme) => {
    for (const key of s.frames) {
      const mode = await page.frameLocator(FRAMES[key]).locator('html').getAttribute('data-color-mode');
      assert.equal(mode, theme, `${key} frame is drawn in ${theme}`);
    }
    // Spinners and tooltips settle; the screenshot shows what a person sees after a moment.
    await page.waitForTimeout(300);
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${s.page}-${s.state}-${theme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 5_000, `${file} holds a picture`);
  },
);
