// Fixture for UI end-to-end specs (test/e2e/*.e2e.ts, run by `mocha --config .mocharc.e2e.json`):
// a real VS Code (code-server, WITHOUT the smoke-test driver so toasts show) with OpsDeck installed from a
// freshly packaged .vsix, driven through Debian chromium by playwright-core.
//
//   describe('my feature', function () {
//     const wb = useWorkbench({ env: { OPSDECK_ENDPOINT_URL: '...' } });
//     it('shows hosts', async () => {
//       await wb().openContainer('AWS OpsDeck');
//       assert.ok((await wb().viewRows('Mac Dev Hosts')).length > 0);
//       await wb().screenshot('hosts');
//     });
//   });
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/lib/browser.mjs';
import { startCodeServer, type CodeServer } from '../../../scripts/lib/codeServer.mjs';
import { repoRoot, testResultsDir } from '../../../scripts/lib/paths.mjs';
import { realVsCodePrereqs } from '../../../scripts/lib/prereqs.mjs';
import { packageExtension, installPackagedExtension } from '../../../scripts/lib/vsix.mjs';

export const screenshotDir = path.join(testResultsDir, 'screenshots');

export interface WorkbenchOptions {
  /** Extra env for code-server, hence for the extension host (e.g. OPSDECK_ENDPOINT_URL, AWS_*). */
  env?: Record<string, string>;
  /** User settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Folder to open; a fresh empty one by default. */
  workspaceFolder?: string;
  /** Default time each helper waits for the UI, in ms. */
  timeoutMs?: number;
  /** Keep workspace trust on: the folder opens in Restricted Mode (default off, i.e. trusted). */
  workspaceTrust?: boolean;
  /** Extension folder to package and install; the repo root by default. */
  extensionPath?: string;
  log?: (msg: string) => void;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const toRe = (m: string | RegExp) => (typeof m === 'string' ? new RegExp(escapeRe(m), 'i') : m);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly server: CodeServer,
    private readonly tmpDir: string,
    readonly timeoutMs: number,
  ) {}

  /** Starts code-server + chromium and waits for the workbench. Throws if the tools are missing. */
  static async start(options: WorkbenchOptions = {}): Promise<Workbench> {
    const log = options.log ?? ((m: string) => console.log(`    [workbench] ${m}`));
    const prereqs = await realVsCodePrereqs({ log });
    if ('skipReason' in prereqs) throw new WorkbenchUnavailable(prereqs.skipReason);
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-e2e-'));
    const extensionsDir = path.join(tmpDir, 'extensions');
    const userDataDir = path.join(tmpDir, 'user-data');
    const workspaceFolder = options.workspaceFolder ?? path.join(tmpDir, 'workspace');
    fs.mkdirSync(workspaceFolder, { recursive: true });
    let server: CodeServer | undefined;
    let context: BrowserContext | undefined;
    try {
      const vsix = await packageExtension({ log, extensionPath: options.extensionPath });
      await installPackagedExtension(vsix, extensionsDir, { userDataDir, tools: prereqs.tools, log });
      server = await startCodeServer({
        userDataDir, extensionsDir, workspaceFolder, log,
        env: options.env ?? {},
        settings: options.settings ?? {},
        smokeTestDriver: false,
        workspaceTrust: options.workspaceTrust ?? false,
        tools: prereqs.tools,
      });
      context = await launchChromium(path.join(tmpDir, 'chromium-profile'));
      const page = context.pages()[0] ?? (await context.newPage());
      const timeoutMs = options.timeoutMs ?? 20_000;
      page.setDefaultTimeout(timeoutMs);
      const t0 = Date.now();
      // The first load takes 6-15 s on an idle machine, much longer on a busy one: generous waits here.
      await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      // The activity bar is the last part to fill in; once it has entries the workbench is usable.
      await page.locator('.activitybar .action-item').first().waitFor({ timeout: 120_000 });
      log(`workbench ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return new Workbench(page, context, server, tmpDir, timeoutMs);
    } catch (err) {
      await context?.close().catch(() => {});
      await server?.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw err;
    }
  }

  private async moveMouseAway(): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1440, height: 900 };
    await this.page.mouse.move(Math.round(size.width * 0.65), Math.round(size.height * 0.3));
  }

  /** Runs `body`; on failure saves a screenshot and names it in the error. */
  private async step<T>(what: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      const shot = await this.screenshot(`failure-${what.replace(/[^\w-]+/g, '_').slice(0, 60)}`).catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${what} failed: ${message}${shot ? `\n(screenshot: ${path.relative(repoRoot, shot)})` : ''}`, { cause: err });
    }
  }

  /** Opens a view container from the activity bar (no-op when it is already open). */
  openContainer(title: string): Promise<void> {
    return this.step(`openContainer(${title})`, async () => {
      const tab = this.page.locator('.activitybar').getByRole('tab', { name: toRe(title) }).first();
      await tab.waitFor();
      const selected = (await tab.getAttribute('aria-selected')) === 'true';
      const sidebarVisible = await this.page.locator('.part.sidebar').isVisible();
      if (!selected || !sidebarVisible) {
        await tab.click();
        await this.moveMouseAway(); // no activity-bar hover tooltip in screenshots
      }
      await this.page
        .locator('.part.sidebar .composite.title')
        .filter({ hasText: toRe(title) })
        .waitFor();
    });
  }

  /** The pane (view) with this title in the open side bar; expands it if collapsed. */
  async pane(viewTitle: string): Promise<Locator> {
    const header = this.page
      .locator('.part.sidebar .pane-header')
      .filter({ has: this.page.locator('.title', { hasText: new RegExp(`^\\s*${escapeRe(viewTitle)}\\s*$`, 'i') }) })
      .first();
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
      await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await header.elementHandle());
    }
    return header.locator('xpath=..'); // .pane
  }

  /**
   * Opens `container` and gives `viewTitle` the side bar's height by collapsing every other view in it;
   * with `minWidth`, drags the side bar's sash so labels and descriptions are readable in screenshots.
   */
  focusView(viewTitle: string, { container = 'AWS OpsDeck', minWidth = 0 }: { container?: string; minWidth?: number } = {}): Promise<Locator> {
    return this.step(`focusView(${viewTitle})`, async () => {
      await this.openContainer(container);
      const wanted = new RegExp(`^\\s*${escapeRe(viewTitle)}\\s*$`, 'i');
      for (const header of await this.page.locator('.part.sidebar .pane-header').all()) {
        const title = oneLine(await header.locator('.title').first().innerText().catch(() => ''));
        if (!wanted.test(title) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      const pane = await this.pane(viewTitle);
      if (minWidth > 0) await this.widenSidebar(minWidth);
      return pane;
    });
  }

  /** Drags the vertical sash on the side bar's right edge until the side bar is at least `minWidth` px wide. */
  private async widenSidebar(minWidth: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= minWidth) return;
    for (const sash of await this.page.locator('.monaco-sash.vertical').all()) {
      const b = await sash.boundingBox();
      if (!b || Math.abs(b.x + b.width / 2 - (box.x + box.width)) > 6) continue;
      const x = b.x + b.width / 2;
      const y = box.y + box.height / 2;
      await this.page.mouse.move(x, y);
      await this.page.mouse.down();
      await this.page.mouse.move(x + (minWidth - box.width) / 2, y, { steps: 5 });
      await this.page.mouse.move(x + (minWidth - box.width) + 20, y, { steps: 5 });
      await this.page.mouse.up();
      await this.moveMouseAway();
      return;
    }
  }

  /** Titles of the views in the open side bar. */
  viewTitles(): Promise<string[]> {
    return this.step('viewTitles', async () => {
      const titles = await this.page.locator('.part.sidebar .pane-header .title').allTextContents();
      return titles.map(oneLine).filter(Boolean);
    });
  }

  /** Texts of the rows of a tree view (label and description), after waiting up to `waitForAny` ms for one. */
  viewRows(viewTitle: string, { waitForAny = 0 }: { waitForAny?: number } = {}): Promise<string[]> {
    return this.step(`viewRows(${viewTitle})`, async () => {
      const rows = (await this.pane(viewTitle)).locator('.pane-body .monaco-list-row');
      if (waitForAny > 0) await rows.first().waitFor({ timeout: waitForAny });
      return (await rows.allInnerTexts()).map(oneLine);
    });
  }

  /** Waits until a row matching `match` shows in a view, and returns its text. */
  waitForRow(viewTitle: string, match: string | RegExp, timeoutMs = this.timeoutMs): Promise<string> {
    return this.step(`waitForRow(${viewTitle}, ${match})`, async () => {
      const row = (await this.pane(viewTitle)).locator('.pane-body .monaco-list-row').filter({ hasText: toRe(match) }).first();
      await row.waitFor({ timeout: timeoutMs });
      return oneLine(await row.innerText());
    });
  }

  /** Expands the first visible tree row matching `text` (optionally only in one view). */
  expandRow(text: string | RegExp, viewTitle?: string): Promise<void> {
    return this.step(`expandRow(${text})`, async () => {
      const scope = viewTitle ? await this.pane(viewTitle) : this.page.locator('.part.sidebar');
      const row = scope.locator('.monaco-list-row').filter({ hasText: toRe(text) }).first();
      await row.waitFor();
      const expanded = await row.getAttribute('aria-expanded');
      if (expanded === null) throw new Error(`row "${oneLine(await row.innerText())}" cannot be expanded`);
      if (expanded === 'false') {
        await row.locator('.monaco-tl-twistie').click();
        await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle());
      }
    });
  }

  /**
   * Right-clicks `row` and runs the context-menu item matching `item`. A click can land while the menu is still
   * settling and be dropped (seen in CI: the item highlighted, the menu still open, no command run): when the menu
   * is still open after the click, Enter runs the item the mouse has focused. Never both: Enter only while the menu
   * is open, and it closes when any item runs.
   */
  runContextMenuItem(row: Locator, item: RegExp): Promise<void> {
    return this.step(`runContextMenuItem(${item})`, async () => {
      await row.click({ button: 'right' });
      const menu = this.page.locator('.context-view .monaco-menu').first();
      await menu.waitFor();
      const entry = menu.locator('.action-item').filter({ has: this.page.locator('.action-label', { hasText: item }) }).first();
      await entry.waitFor();
      await entry.click();
      try {
        await menu.waitFor({ state: 'hidden', timeout: 2_000 });
        return;
      } catch {
        /* still open: the click was dropped */
      }
      await entry.hover();
      await this.page.waitForFunction((el) => !!el && (el.classList.contains('focused') || el.contains(document.activeElement)), await entry.elementHandle(), { timeout: 5_000 });
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
    });
  }

  /** Runs a command from the palette by its full title ("AWS OpsDeck: Show Log"): F1, type, Enter. */
  runCommand(title: string): Promise<void> {
    return this.step(`runCommand(${title})`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input[type="text"], .quick-input-widget input').first();
      await input.waitFor();
      await input.fill(`>${title}`);
      const label = new RegExp(`^\\s*${escapeRe(title)}\\s*$`, 'i');
      const rows = this.page.locator('.quick-input-list .monaco-list-row');
      const match = rows.filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
      try {
        await match.waitFor({ timeout: 10_000 });
      } catch {
        const shown = (await rows.allInnerTexts()).map(oneLine).slice(0, 10);
        throw new Error(`no command titled "${title}" in the palette; it shows: ${JSON.stringify(shown)}`);
      }
      // Enter runs the focused row: the match is normally first; click it otherwise.
      if (await match.evaluate((el) => el.classList.contains('focused'))) await this.page.keyboard.press('Enter');
      else await match.click();
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    });
  }

  /** Text of the first status bar item matching `match` (waits for it). */
  statusBarItemText(match: string | RegExp): Promise<string> {
    return this.step(`statusBarItemText(${match})`, async () => {
      const item = this.page.locator('.part.statusbar .statusbar-item').filter({ hasText: toRe(match) }).first();
      await item.waitFor();
      return oneLine(await item.innerText());
    });
  }

  /** Whether the panel (Output, Problems, …) is open, waiting up to `timeoutMs` for it. */
  async panelOpens(timeoutMs: number): Promise<boolean> {
    return this.page.locator('.part.panel > .content').waitFor({ state: 'visible', timeout: timeoutMs }).then(() => true, () => false);
  }

  /**
   * Waits until the visible text of the bottom panel (e.g. the Output view an output channel shows in)
   * matches, and returns it. Monaco renders spaces as U+00A0; they are normalised to plain spaces here.
   */
  waitForPanelText(match: string | RegExp, timeoutMs = this.timeoutMs): Promise<string> {
    return this.step(`waitForPanelText(${match})`, async () => {
      const re = toRe(match);
      const panel = this.page.locator('.part.panel > .content');
      const deadline = Date.now() + timeoutMs;
      let text = '';
      let visible = false;
      for (;;) {
        visible = await panel.isVisible();
        text = visible ? oneLine((await panel.innerText()).replace(/\u00a0/g, ' ')) : '';
        if (re.test(text)) return text;
        if (Date.now() > deadline) {
          // Say which of the two ways it failed: the panel never opened, or it opened on other (or no) text.
          const title = oneLine(await this.page.locator('.part.panel .composite.title').innerText().catch(() => ''));
          const state = visible ? `the panel is open (title bar: ${JSON.stringify(title)})` : 'the panel is not open';
          throw new Error(`panel text never matched ${re} in ${timeoutMs} ms; ${state}; it shows: ${JSON.stringify(text.slice(0, 400))}`);
        }
        await this.page.waitForTimeout(250);
      }
    });
  }

  /** Texts of the notification toasts on screen now (waits up to `waitForAny` ms for one). */
  notifications({ waitForAny = 0 }: { waitForAny?: number } = {}): Promise<string[]> {
    return this.step('notifications', async () => {
      const toasts = this.page.locator('.notifications-toasts .notification-toast');
      if (waitForAny > 0) await toasts.first().waitFor({ timeout: waitForAny });
      return (await toasts.allInnerTexts()).map(oneLine);
    });
  }

  /** Saves a PNG to test-results/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(screenshotDir, name.endsWith('.png') ? name : `${name}.png`);
    fs.mkdirSync(screenshotDir, { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Copies code-server's logs (extension host, OpsDeck's output channel, …) to test-results/e2e-logs/<name>. */
  saveLogs(name: string): string | undefined {
    const logs = path.join(this.tmpDir, 'user-data', 'logs');
    if (!fs.existsSync(logs)) return undefined;
    const target = path.join(testResultsDir, 'e2e-logs', name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(logs, target, { recursive: true });
    return target;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    await this.server.stop();
    fs.rmSync(this.tmpDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Thrown by Workbench.start when code-server or chromium is missing (never under CI=true: that throws). */
export class WorkbenchUnavailable extends Error {}

/**
 * Registers mocha hooks that start one workbench for the enclosing describe (skipping it loudly when the
 * tools are missing outside CI), screenshot each failed test, and close it afterwards. Returns a getter.
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(300_000); // a cold .tools install takes ~3 min; a warm start ~15 s
    try {
      wb = await Workbench.start(options);
    } catch (err) {
      if (err instanceof WorkbenchUnavailable) this.skip();
      throw err;
    }
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') {
      const name = `failed-${this.currentTest.fullTitle().replace(/[^\w-]+/g, '_').slice(0, 80)}`;
      const shot = await wb.screenshot(name).catch(() => undefined);
      if (shot) console.log(`    screenshot of the failure: ${path.relative(repoRoot, shot)}`);
      const logs = wb.saveLogs(name);
      if (logs) console.log(`    code-server logs of the failure: ${path.relative(repoRoot, logs)}`);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench is not started (use wb() inside tests, not at describe time)');
    return wb;
  };
}
