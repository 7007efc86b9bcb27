/**
 * The MSK consumer health model: plain data shared by the service, the CLI, the tree and the dashboard.
 * No `vscode`, no SDK runtime import.
 */

export type Verdict = 'OK' | 'WARN' | 'STALLED' | 'ERROR' | 'DISABLED';
/** Verdicts that raise the status bar alert and make `opsdeck msk health` exit 3. */
export const BAD_VERDICTS: readonly Verdict[] = ['WARN', 'STALLED', 'ERROR'];

export type KafkaKind = 'msk' | 'self-managed';

export type AuthMode = 'mTLS' | 'SASL/SCRAM-512' | 'SASL/SCRAM-256' | 'SASL/PLAIN' | 'IAM' | 'none';

export interface AuthInfo {
  readonly mode: AuthMode;
  /** Human text, e.g. "mutual TLS (CLIENT_CERTIFICATE_TLS_AUTH)". */
  readonly label: string;
  /** Secrets Manager ARN of the credential (SCRAM/PLAIN/client certificate). */
  readonly secretArn?: string;
  /** Self-managed only: the server root CA secret (SERVER_ROOT_CA_CERTIFICATE). */
  readonly serverRootCaArn?: string;
  /** Self-managed only: VPC subnets / security groups the pollers use. */
  readonly vpcSubnets: readonly string[];
  readonly vpcSecurityGroups: readonly string[];
}

/** One Kafka event source mapping, decoded from ListEventSourceMappings. */
export interface KafkaMapping {
  readonly uuid: string;
  readonly arn?: string;
  readonly region: string;
  readonly functionArn: string;
  readonly functionName: string;
  readonly kind: KafkaKind;
  readonly state: string;
  readonly stateTransitionReason?: string;
  readonly topic?: string;
  /** MSK cluster ARN (MSK only). */
  readonly clusterArn?: string;
  /** MSK cluster name, from the ARN (the `Cluster Name` dimension of AWS/Kafka metrics). */
  readonly clusterName?: string;
  /** Self-managed only. */
  readonly bootstrapServers: readonly string[];
  readonly consumerGroupId?: string;
  readonly batchSize?: number;
  readonly batchingWindowSeconds?: number;
  readonly startingPosition?: string;
  readonly startingPositionTimestamp?: number;
  readonly provisionedPollers?: { readonly min?: number; readonly max?: number; readonly group?: string };
  readonly auth: AuthInfo;
  readonly lastProcessingResult?: string;
  readonly lastModified?: number;
}

/** A time series at a fixed period; `null` = no datapoint in that slot. */
export interface Series {
  /** Epoch ms of each slot's start, ascending. */
  readonly t: readonly number[];
  readonly v: readonly (number | null)[];
}

export interface Thresholds {
  /** Lag (records) that counts as keeping up. OpsDeck's own: Burrow has no threshold (lag touching zero = OK). */
  readonly allowedLag: number;
  /** No invocations for this long with lag above zero = STALLED. */
  readonly stalledMinutes: number;
  /** Fewer lag samples than this in the window = not enough data to call a trend (counts as OK). */
  readonly minSamples: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { allowedLag: 100, stalledMinutes: 10, minSamples: 5 };
export const DEFAULT_WINDOW_MINUTES = 60;

export interface VerdictResult {
  readonly verdict: Verdict;
  /** One line: why. */
  readonly reason: string;
  readonly currentLag?: number;
  /** "lag 6,000 ↑ rising for 60 min". */
  readonly trend: string;
}

export interface CertificateCheck {
  readonly secretArn: string;
  readonly subject?: string;
  readonly notAfter?: string;
  readonly daysLeft?: number;
  readonly expiringSoon?: boolean;
  readonly error?: string;
}

export interface MappingHealth extends VerdictResult {
  readonly mapping: KafkaMapping;
  /** A `PROBLEM:` LastProcessingResult, verbatim. */
  readonly problem?: string;
  /** How OffsetLag was found: the dimension set used, or why none. */
  readonly lagSource: string;
  readonly lagSamples: number;
  readonly certificate?: CertificateCheck;
}

export interface FunctionHealth {
  readonly functionName: string;
  readonly functionArn: string;
  readonly mappings: readonly MappingHealth[];
}

export interface RegionHealth {
  readonly region: string;
  readonly functions: readonly FunctionHealth[];
  readonly error?: string;
  /** Notes that are not errors (e.g. the BytesInPerSec or certificate check could not run). */
  readonly warnings: readonly string[];
}

export interface HealthReport {
  readonly generatedAt: string;
  readonly windowMinutes: number;
  readonly thresholds: Thresholds;
  readonly regions: readonly RegionHealth[];
  readonly counts: Readonly<Record<Verdict, number>>;
  /** WARN + STALLED + ERROR. */
  readonly badCount: number;
  /** API calls made, by operation (when the factory counts). */
  readonly calls?: Readonly<Record<string, number>>;
}
