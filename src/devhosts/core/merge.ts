/**
 * OpsDeck's region in the user's SSH config: the lines between a START and an END marker. Merging works on
 * bytes (latin1 string view of the Buffer, one char per byte), so invalid UTF-8, CRLF, tabs, a BOM or a missing
 * final newline in the user's file come back exactly as they were. New regions go at the very top (after a BOM):
 * ssh takes the first value it sees, and Remote-SSH only lists hosts from an `Include` at the top.
 */
export const START_MARKER = '# --- START OPSDECK MAC DEV HOSTS (managed; do not edit between the markers) ---';
export const END_MARKER = '# --- END OPSDECK MAC DEV HOSTS ---';
const START_PREFIX = '# --- START OPSDECK MAC DEV HOSTS';
const END_PREFIX = '# --- END OPSDECK MAC DEV HOSTS';
const BOM = '\u00ef\u00bb\u00bf'; // the UTF-8 BOM seen through latin1

export class MarkerError extends Error {
  override readonly name = 'MarkerError';
  constructor(message: string, readonly lines: readonly number[]) {
    super(message);
  }
}

interface Line {
  readonly start: number; // offset of the first char
  readonly end: number; // offset after the line ending
  readonly text: string; // without the line ending
  readonly number: number; // 1-based
}

function splitLines(s: string): Line[] {
  const lines: Line[] = [];
  // A BOM belongs to the file, not to its first line: the region after it can start at line 1.
  let pos = s.startsWith(BOM) ? BOM.length : 0;
  let n = 1;
  while (pos < s.length) {
    const nl = s.indexOf('\n', pos);
    const end = nl === -1 ? s.length : nl + 1;
    lines.push({ start: pos, end, text: s.slice(pos, nl === -1 ? s.length : nl).replace(/\r$/, ''), number: n++ });
    pos = end;
  }
  return lines;
}

export interface Region {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
}

/** Finds OpsDeck's region; undefined when absent. Duplicate, unterminated or reversed markers throw MarkerError. */
export function findRegion(latin1: string): Region | undefined {
  const lines = splitLines(latin1);
  const starts = lines.filter((l) => l.text.trim().startsWith(START_PREFIX));
  const ends = lines.filter((l) => l.text.trim().startsWith(END_PREFIX));
  if (!starts.length && !ends.length) return undefined;
  if (starts.length > 1) throw new MarkerError(`OpsDeck's START marker appears ${starts.length} times (lines ${starts.map((l) => l.number).join(', ')}). Remove the extra block by hand; nothing was changed.`, starts.map((l) => l.number));
  if (ends.length > 1) throw new MarkerError(`OpsDeck's END marker appears ${ends.length} times (lines ${ends.map((l) => l.number).join(', ')}). Remove the extra one by hand; nothing was changed.`, ends.map((l) => l.number));
  if (!ends.length) throw new MarkerError(`OpsDeck's START marker on line ${starts[0].number} has no END marker. Fix or remove it by hand; nothing was changed.`, [starts[0].number]);
  if (!starts.length) throw new MarkerError(`OpsDeck's END marker on line ${ends[0].number} has no START marker. Fix or remove it by hand; nothing was changed.`, [ends[0].number]);
  if (ends[0].number < starts[0].number) throw new MarkerError(`OpsDeck's END marker (line ${ends[0].number}) comes before its START marker (line ${starts[0].number}). Fix it by hand; nothing was changed.`, [ends[0].number, starts[0].number]);
  return { start: starts[0].start, end: ends[0].end, startLine: starts[0].number, endLine: ends[0].number };
}

/** The line ending the file already uses (CRLF if its first line break is CRLF), LF for new files. */
export function detectEol(latin1: string): '\n' | '\r\n' {
  const nl = latin1.indexOf('\n');
  return nl > 0 && latin1[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** The full region text for a body (Include line or the whole managed config), in the file's line endings. */
export function regionText(body: string, eol: '\n' | '\r\n'): string {
  const lines = [START_MARKER, ...body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n'), END_MARKER];
  return lines.join(eol) + eol;
}

export interface MergeResult {
  readonly content: Buffer;
  readonly changed: boolean;
  readonly action: 'inserted' | 'replaced' | 'unchanged' | 'removed' | 'absent';
  /** 1-based line range of OpsDeck's region in the result. */
  readonly lines?: { readonly from: number; readonly to: number };
}

/** Puts `body` between the markers: replaced in place if the region exists, else inserted at the top. */
export function mergeRegion(original: Buffer, body: string): MergeResult {
  const s = original.toString('latin1');
  const region = findRegion(s);
  const eol = detectEol(s);
  const block = Buffer.from(regionText(body, eol), 'utf8').toString('latin1');
  const blockLines = block.split('\n').length - 1;
  if (region) {
    // Keep the line ending the region's last line had (a region at EOF may lack one).
    const old = s.slice(region.start, region.end);
    const replacement = old.endsWith('\n') ? block : block.replace(/\r?\n$/, '');
    const next = s.slice(0, region.start) + replacement + s.slice(region.end);
    const changed = next !== s;
    return { content: changed ? Buffer.from(next, 'latin1') : original, changed, action: changed ? 'replaced' : 'unchanged', lines: { from: region.startLine, to: region.startLine + blockLines - 1 } };
  }
  const at = s.startsWith(BOM) ? BOM.length : 0;
  const next = s.slice(0, at) + block + s.slice(at);
  return { content: Buffer.from(next, 'latin1'), changed: true, action: 'inserted', lines: { from: 1, to: blockLines } };
}

/** Undo: removes OpsDeck's region (markers included) and nothing else. */
export function removeRegion(original: Buffer): MergeResult {
  const s = original.toString('latin1');
  const region = findRegion(s);
  if (!region) return { content: original, changed: false, action: 'absent' };
  return { content: Buffer.from(s.slice(0, region.start) + s.slice(region.end), 'latin1'), changed: true, action: 'removed' };
}

/** The bytes of the region's body (between the markers), for "what is there now". */
export function regionBody(original: Buffer): string | undefined {
  const s = original.toString('latin1');
  const region = findRegion(s);
  if (!region) return undefined;
  const lines = splitLines(s.slice(region.start, region.end));
  return Buffer.from(lines.slice(1, -1).map((l) => l.text).join('\n'), 'latin1').toString('utf8');
}

/** Lines before OpsDeck's region that are more than blank lines and comments (they would win over it). */
export function linesBeforeRegion(original: Buffer): number[] {
  const s = original.toString('latin1');
  const region = findRegion(s);
  if (!region) return [];
  return splitLines(s.slice(0, region.start)).filter((l) => l.text.replace(BOM, '').trim() && !l.text.trim().startsWith('#')).map((l) => l.number);
}

/** The `Include` line that pulls the managed file in; the path is quoted when it holds spaces. */
export function includeLine(managedPath: string): string {
  return `Include ${/\s/.test(managedPath) ? `"${managedPath}"` : managedPath}`;
}
