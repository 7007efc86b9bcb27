import type { BatchClient } from '@aws-sdk/client-batch';

export interface ParkSpec {
  key: string;
  name: string;
  queue: string;
  jobDefinition: string | undefined;
  park: 'FAILED' | 'RUNNABLE' | 'PENDING' | 'SUBMITTED';
  dependsOn?: string;
}
export interface Prerequisites {
  serviceRole: string;
  instanceRole: string;
  subnets: string[];
  securityGroupIds: string[];
}
export function setJobTransition(endpoint: string, transition: Record<string, unknown>): Promise<void>;
export function unsetJobTransition(endpoint: string): Promise<void>;
export function freezeJobs(endpoint: string): Promise<void>;
export function batchPrerequisites(endpoint: string, region: string): Promise<Prerequisites>;
export function createComputeEnvironment(batch: BatchClient, pre: Prerequisites, name: string, opts?: { state?: string; maxvCpus?: number; instanceTypes?: string[]; type?: string }): Promise<unknown>;
export function waitForStatus(batch: BatchClient, wanted: Record<string, string>, timeoutMs?: number): Promise<Record<string, string>>;
export function parkJobs(endpoint: string, batch: BatchClient, specs: ParkSpec[], opts?: { step?: number }): Promise<Record<string, string>>;
export function seed(args: { endpoint: string; regions?: string[]; workspace?: string; log?: (msg: string) => void }): Promise<Record<string, unknown>>;
