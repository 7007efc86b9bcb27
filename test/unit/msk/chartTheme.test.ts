import * as assert from 'assert';
import { CHART_THEME_VARIABLES, chartThemeSignature, readChartTheme, THEME_ATTRIBUTES } from '../../../src/msk/webview/chartTheme';

/** The dashboard's colours come from the theme's CSS variables and change with it (dashboard.ts re-creates the charts). */
const DARK: Record<string, string> = { '--vscode-charts-blue': ' #3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-foreground': '#cccccc', '--vscode-editorWidget-border': '#454545' };
const LIGHT: Record<string, string> = { '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-foreground': '#616161', '--vscode-editorWidget-border': '#c8c8c8' };

describe('MSK dashboard chart theme', () => {
  it('reads every colour from the --vscode-* variables (trimmed), with Dark+ fallbacks for missing ones', () => {
    const t = readChartTheme((n) => LIGHT[n] ?? '');
    assert.deepStrictEqual(t, { series: ['#1a85ff', '#d18616', '#b180d7', '#89d185', '#cca700'], red: '#e51400', foreground: '#616161', grid: '#c8c8c8' });
    assert.strictEqual(readChartTheme((n) => DARK[n] ?? '').series[0], '#3794ff');
    assert.deepStrictEqual(readChartTheme(() => '   ').series, CHART_THEME_VARIABLES.series.map(([, f]) => f));
  });

  it('the signature changes with a theme switch and not otherwise', () => {
    const dark = chartThemeSignature(readChartTheme((n) => DARK[n] ?? ''));
    assert.strictEqual(chartThemeSignature(readChartTheme((n) => DARK[n] ?? '')), dark);
    assert.notStrictEqual(chartThemeSignature(readChartTheme((n) => LIGHT[n] ?? '')), dark);
    assert.notStrictEqual(chartThemeSignature(readChartTheme((n) => ({ ...DARK, '--vscode-editorWidget-border': '#fff' })[n] ?? '')), dark, 'grid colour counts');
  });

  it('watches what VS Code changes on a theme switch', () => {
    for (const a of ['class', 'style', 'data-vscode-theme-kind', 'data-vscode-theme-id']) assert.ok(THEME_ATTRIBUTES.includes(a), a);
  });
});
