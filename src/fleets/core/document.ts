// The ESM build, named directly: the extension-host test bundler does not prefer "module" and the UMD build breaks there.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { FleetDiagnostic } from './types';
import { nestingTooDeep } from '../../common/jsonDepth';

/**
 * A JSON document parsed the way the AWS CLI will read it (Python's json: no comments, no trailing commas),
 * keeping the syntax tree so every problem can point at the exact value it is about.
 */
export type JsonPath = readonly (string | number)[];

export interface ParsedJson {
  readonly text: string;
  readonly root?: Node;
  readonly value?: unknown;
  readonly diagnostics: FleetDiagnostic[];
}

/**
 * Python's json (the AWS CLI's reader) gives up near 1,000 levels (its recursion limit), so no usable request file is
 * deeper; the recursive parser and walkers here are safe well past it.
 */
export const MAX_NESTING_DEPTH = 900;

export function parseJsonDocument(text: string): ParsedJson {
  // jsonc-parser parses recursively, as do the walkers below: 20,000 nested brackets overflow the stack. Measure
  // the depth first, without recursion, and refuse the file with a reason instead of throwing.
  const tooDeep = nestingTooDeep(text, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    return { text, diagnostics: [{ code: 'json-too-deep', severity: 'error', message: `The JSON is nested more than ${MAX_NESTING_DEPTH} levels deep: the AWS CLI cannot read it, and no EC2 request is. Not read further.`, offset: tooDeep, length: 1 }] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const diagnostics: FleetDiagnostic[] = errors.map((e) => ({
    code: 'json-syntax',
    severity: 'error',
    message: syntaxMessage(e),
    // Clamped to the text: an "unexpected end" error sits at the very end, where there is nothing to underline.
    offset: Math.min(e.offset, text.length),
    length: Math.min(Math.max(1, e.length), text.length - Math.min(e.offset, text.length)),
  }));
  if (root) diagnostics.push(...duplicateKeys(root));
  return { text, root, value: root ? getNodeValue(root) : undefined, diagnostics };
}

function syntaxMessage(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  if (code === 'InvalidCommentToken') return 'Comments are not JSON: the AWS CLI (--cli-input-json) rejects this file.';
  if (code === 'PropertyNameExpected' || code === 'ValueExpected') return `JSON syntax: ${code} (a trailing comma? the AWS CLI rejects it).`;
  return `JSON syntax: ${code}.`;
}

/** Python's json keeps the last of two equal keys silently; we say so. */
function duplicateKeys(node: Node): FleetDiagnostic[] {
  const out: FleetDiagnostic[] = [];
  if (node.type === 'object') {
    const seen = new Map<string, Node>();
    for (const prop of node.children ?? []) {
      const key = prop.children?.[0];
      if (!key) continue;
      const name = String(key.value);
      if (seen.has(name)) {
        out.push({ code: 'duplicate-key', severity: 'error', message: `"${name}" appears twice in this object; the AWS CLI would silently keep only the last one.`, offset: key.offset, length: key.length });
      } else seen.set(name, key);
    }
  }
  for (const child of node.children ?? []) out.push(...duplicateKeys(child));
  return out;
}

export function nodeAt(doc: ParsedJson, path: JsonPath): Node | undefined {
  return doc.root ? findNodeAtLocation(doc.root, [...path]) : undefined;
}

/** Range of the value at `path`, else of its nearest existing parent (so a missing key points at its object). */
export function rangeOf(doc: ParsedJson, path: JsonPath): { offset: number; length: number } {
  for (let i = path.length; i >= 0; i--) {
    const n = nodeAt(doc, path.slice(0, i));
    if (n) return { offset: n.offset, length: n.length };
  }
  return { offset: 0, length: Math.max(1, Math.min(doc.text.length, 1)) };
}

/** Range of the key of the property at `path` (e.g. to flag an unknown or misplaced key). */
export function keyRangeOf(doc: ParsedJson, path: JsonPath): { offset: number; length: number } {
  const value = nodeAt(doc, path);
  const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
  return key ? { offset: key.offset, length: key.length } : rangeOf(doc, path);
}

/** Range of an object's opening brace: where "this object lacks X" is reported without underlining it all. */
export function openingOf(doc: ParsedJson, path: JsonPath): { offset: number; length: number } {
  const n = nodeAt(doc, path);
  return n ? { offset: n.offset, length: 1 } : rangeOf(doc, path);
}

export { positionAt } from '../../common/textPosition';
