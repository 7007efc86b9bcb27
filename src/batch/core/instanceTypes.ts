/**
 * A small offline catalog of EC2 instance shapes, enough to answer "can any instance this compute environment
 * may launch hold this job?" without an extra DescribeInstanceTypes call per screen. Each family is stored as
 * its largest size (vCPUs, GiB); a named size scales from it. Unknown families return undefined, and the rule
 * that uses this then stays silent rather than guess.
 */
export interface InstanceShape {
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** How the shape was derived: the instance type or family it stands for. */
  readonly source: string;
}

// family -> [vCPUs, GiB] of its largest size
const FAMILY_MAX: Readonly<Record<string, readonly [number, number]>> = {
  a1: [16, 32],
  c4: [36, 60], c5: [96, 192], c5a: [96, 192], c5d: [96, 192], c5n: [72, 192], c6a: [192, 384], c6g: [64, 128],
  c6gd: [64, 128], c6gn: [64, 128], c6i: [128, 256], c6id: [128, 256], c6in: [128, 256], c7a: [192, 384],
  c7g: [64, 128], c7gd: [64, 128], c7gn: [64, 128], c7i: [192, 384], c8g: [192, 384],
  m4: [64, 256], m5: [96, 384], m5a: [96, 384], m5d: [96, 384], m5n: [96, 384], m5zn: [48, 192], m6a: [192, 768],
  m6g: [64, 256], m6gd: [64, 256], m6i: [128, 512], m6id: [128, 512], m7a: [192, 768], m7g: [64, 256],
  m7gd: [64, 256], m7i: [192, 768], 'm7i-flex': [64, 256], m8g: [192, 768],
  r4: [64, 488], r5: [96, 768], r5a: [96, 768], r5d: [96, 768], r5n: [96, 768], r6a: [192, 1536], r6g: [64, 512],
  r6gd: [64, 512], r6i: [128, 1024], r6id: [128, 1024], r7a: [192, 1536], r7g: [64, 512], r7i: [192, 1536],
  r8g: [192, 1536],
  t2: [8, 32], t3: [8, 32], t3a: [8, 32], t4g: [8, 32],
  x1: [128, 1952], x1e: [128, 3904], x2idn: [128, 2048], x2iedn: [128, 4096], z1d: [48, 384],
  i3: [64, 488], i3en: [96, 768], i4i: [128, 1024], d2: [36, 244], d3: [32, 256],
  g4dn: [96, 384], g5: [192, 768], g6: [192, 768], p3: [64, 488], p3dn: [96, 768], p4d: [96, 1152], p5: [192, 2048],
  inf1: [96, 192], inf2: [192, 768], trn1: [128, 512],
};

/** Batch's instance-type aliases and the families they stand for. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  optimal: ['c4', 'm4', 'r4'],
  default_x86_64: ['c6i', 'm6i', 'r6i'],
  default_arm64: ['c6g', 'm6g', 'r6g'],
};

const T_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  nano: [2, 0.5], micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32],
};

/** Fargate's largest task: 16 vCPU, 120 GiB. */
export const FARGATE_MAX: InstanceShape = { vcpus: 16, memoryMiB: 120 * 1024, source: 'Fargate' };

function familyShape(family: string): InstanceShape | undefined {
  const max = FAMILY_MAX[family];
  return max ? { vcpus: max[0], memoryMiB: max[1] * 1024, source: `${family}.* (largest)` } : undefined;
}

function sizeVcpus(size: string): number | undefined {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? Number(m[1]) * 4 : undefined;
}

const memo = new Map<string, InstanceShape[] | undefined>();

/** The shapes an `instanceTypes` entry allows: one for a type, the largest of a family, several for an alias. */
export function shapesFor(entry: string): InstanceShape[] | undefined {
  if (!memo.has(entry)) memo.set(entry, computeShapes(entry));
  return memo.get(entry);
}

function computeShapes(entry: string): InstanceShape[] | undefined {
  const name = entry.trim().toLowerCase();
  const alias = ALIASES[name];
  if (alias) return alias.map((f) => ({ ...familyShape(f)!, source: `${name} → ${f}` }));
  const dot = name.indexOf('.');
  if (dot < 0) {
    const shape = familyShape(name);
    return shape ? [shape] : undefined;
  }
  const family = name.slice(0, dot);
  const size = name.slice(dot + 1);
  const max = FAMILY_MAX[family];
  if (!max) return undefined;
  if (/^t\d/.test(family)) {
    const t = T_SIZES[size];
    return t ? [{ vcpus: t[0], memoryMiB: t[1] * 1024, source: name }] : undefined;
  }
  if (size === 'metal' || size.startsWith('metal-')) return [{ vcpus: max[0], memoryMiB: max[1] * 1024, source: name }];
  const vcpus = sizeVcpus(size);
  if (vcpus === undefined || vcpus > max[0]) return undefined;
  return [{ vcpus, memoryMiB: Math.round((max[1] / max[0]) * vcpus * 1024), source: name }];
}

/** All shapes for a list of entries, and the entries the catalog does not know. */
export function shapesForAll(entries: readonly string[]): { shapes: InstanceShape[]; unknown: string[] } {
  const shapes: InstanceShape[] = [];
  const unknown: string[] = [];
  for (const e of entries) {
    const s = shapesFor(e);
    if (s) shapes.push(...s);
    else unknown.push(e);
  }
  return { shapes, unknown };
}
