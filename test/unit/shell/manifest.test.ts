import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONTAINER_ID, SHELL_COMMAND, VIEW } from '../../../src/shell/ids';

const root = path.join(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Command { command: string; title: string; category?: string }

describe('package.json manifest', () => {
  it('is the extension opsdeck.aws-opsdeck for VS Code 1.139 or lower', () => {
    assert.strictEqual(`${pkg.publisher}.${pkg.name}`, 'opsdeck.aws-opsdeck');
    assert.strictEqual(pkg.displayName, 'AWS OpsDeck');
    assert.match(pkg.engines.vscode, /^\^1\.1([0-3]\d)\.\d+$/);
  });

  it('activates lazily: never on * or onStartupFinished', () => {
    for (const event of pkg.activationEvents ?? []) assert.ok(event !== '*' && event !== 'onStartupFinished', event);
  });

  it('has contributes in step with the src/*/contributes.json fragments', async () => {
    const { mergedContributes } = await import('../../../scripts/lib/contributes.mjs');
    assert.deepStrictEqual(pkg.contributes, mergedContributes(root), 'run node scripts/build.mjs to regenerate package.json');
  });

  it('documents every setting in the README table', async () => {
    const { settingsTable } = await import('../../../scripts/readme-settings.mjs');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes(settingsTable(pkg)), 'run node scripts/build.mjs to regenerate the README settings table');
  });

  it('describes Burrow as it is: no allowed-lag threshold, partial windows judged, REWIND exists', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const texts = [readme, JSON.stringify(pkg), fs.readFileSync(path.join(root, 'src/msk/core/verdict.ts'), 'utf8')];
    for (const text of texts) {
      assert.ok(!/Burrow's `allowed-lag`|as in Burrow|like Burrow's incomplete|Burrow counts incomplete/.test(text), 'a Burrow claim that is not true is back');
    }
    const differs = readme.slice(readme.indexOf('**How it differs from Burrow.**'));
    assert.match(differs, /no lag threshold/);
    assert.match(differs, /judges a partial window/);
    assert.match(differs, /\*\*REWIND\*\*/);
  });

  it('puts every command under opsdeck. in the AWS OpsDeck category', () => {
    for (const c of pkg.contributes.commands as Command[]) {
      assert.match(c.command, /^opsdeck\./);
      assert.strictEqual(c.category, 'AWS OpsDeck', c.command);
    }
  });

  it('declares every shell command and settings only under opsdeck.', () => {
    const declared = new Set((pkg.contributes.commands as Command[]).map((c) => c.command));
    for (const id of Object.values(SHELL_COMMAND)) assert.ok(declared.has(id), id);
    for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.match(key, /^opsdeck\./);
  });

  it('has one container with the five views, each with welcome content for no credentials / no Regions', () => {
    assert.deepStrictEqual(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), [CONTAINER_ID]);
    const views = pkg.contributes.views[CONTAINER_ID].map((v: { id: string }) => v.id);
    assert.deepStrictEqual(views, Object.values(VIEW));
    for (const id of views) {
      const welcome = pkg.contributes.viewsWelcome.filter((w: { view: string }) => w.view === id);
      assert.ok(welcome.some((w: { contents: string }) => w.contents.includes('command:opsdeck.selectRegions')), id);
      assert.ok(welcome.some((w: { when: string }) => w.when.includes('!opsdeck.credentialsFound')), id);
    }
  });

  it('has an SVG activity-bar icon that follows the theme colour', () => {
    const icon = fs.readFileSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon), 'utf8');
    assert.match(icon, /currentColor/);
  });
});
