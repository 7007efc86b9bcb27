// The dashboard's chart colours, read from the editor theme's CSS variables (pure: the webview passes a reader
// over getComputedStyle). VS Code rewrites those variables on a theme switch without reloading the webview, so
// dashboard.ts watches the attributes in THEME_ATTRIBUTES and re-creates the charts when the signature changes.

export interface ChartTheme {
  /** Line colours, in series order. */
  readonly series: readonly string[];
  /** The Errors line. */
  readonly red: string;
  readonly foreground: string;
  readonly grid: string;
}

/** Theme variable → fallback (VS Code's Dark+ values) for each colour a chart uses. */
export const CHART_THEME_VARIABLES = {
  series: [
    ['--vscode-charts-blue', '#3794ff'],
    ['--vscode-charts-orange', '#d18616'],
    ['--vscode-charts-purple', '#b180d7'],
    ['--vscode-charts-green', '#89d185'],
    ['--vscode-charts-yellow', '#cca700'],
  ],
  red: ['--vscode-charts-red', '#f14c4c'],
  foreground: ['--vscode-foreground', '#ccc'],
  grid: ['--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'],
} as const;

/** Attributes VS Code changes on a theme switch: body class and data-vscode-theme-*, the variables in html's style. */
export const THEME_ATTRIBUTES = ['class', 'style', 'data-vscode-theme-kind', 'data-vscode-theme-id', 'data-vscode-theme-name'];

export function readChartTheme(read: (variable: string) => string): ChartTheme {
  const css = ([name, fallback]: readonly [string, string]): string => read(name).trim() || fallback;
  const v = CHART_THEME_VARIABLES;
  return { series: v.series.map(css), red: css(v.red), foreground: css(v.foreground), grid: css(v.grid) };
}

/** Equal for equal colours: the charts are re-created only when it changes. */
export function chartThemeSignature(t: ChartTheme): string {
  return [...t.series, t.red, t.foreground, t.grid].join('|');
}
