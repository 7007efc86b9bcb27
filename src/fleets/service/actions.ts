import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteFleetsCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeInstancesCommand,
  EC2Client,
  type CreateFleetCommandInput,
  type CreateFleetCommandOutput,
  type CreateLaunchTemplateCommandInput,
} from '@aws-sdk/client-ec2';
import { isCancellation, mapWithConcurrency } from '../../aws/cancellation';
import type { ClientFactory } from '../../aws/clientFactory';
import { PageTokens } from '../../aws/paginationGuard';
import { outcomeUnknown, requestFingerprint, type LaunchIntent, type LaunchLedger } from '../core/clientToken';
import type { LaunchTemplateFile } from '../core/launchTemplateFile';
import { explainLaunch, type FleetResponseLike, type LaunchReport } from '../core/results';
import type { FleetRequest } from '../core/types';
import type { CallOptions } from './facts';

/** The fleet feature's AWS actions: create the launch template, dry-run, launch, list and delete fleets. */
const code = (err: unknown): string => String((err as { name?: string })?.name ?? '');
const message = (err: unknown): string => String((err as Error)?.message ?? err);

export interface CreatedLaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  /** False when the name existed and a new version was added instead. */
  readonly created: boolean;
}

/** CreateLaunchTemplate from a `*.launch-template.json`; if the name exists, adds a version (CreateLaunchTemplateVersion). */
export async function createLaunchTemplate(factory: ClientFactory, region: string, file: LaunchTemplateFile, { signal }: CallOptions = {}): Promise<CreatedLaunchTemplate> {
  const ec2 = factory.client(EC2Client, region);
  const input = { ...file, DryRun: undefined, ClientToken: undefined } as CreateLaunchTemplateCommandInput;
  try {
    const out = await ec2.send(new CreateLaunchTemplateCommand(input), { abortSignal: signal });
    const lt = out.LaunchTemplate;
    return { id: lt?.LaunchTemplateId ?? '', name: lt?.LaunchTemplateName ?? file.LaunchTemplateName, version: lt?.LatestVersionNumber ?? 1, created: true };
  } catch (err) {
    if (!/AlreadyExists/.test(code(err))) throw err;
  }
  const out = await ec2.send(
    new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: file.LaunchTemplateName, VersionDescription: file.VersionDescription, LaunchTemplateData: file.LaunchTemplateData as CreateLaunchTemplateCommandInput['LaunchTemplateData'] }),
    { abortSignal: signal },
  );
  const v = out.LaunchTemplateVersion;
  return { id: v?.LaunchTemplateId ?? '', name: v?.LaunchTemplateName ?? file.LaunchTemplateName, version: v?.VersionNumber ?? 0, created: false };
}

export interface DryRunResult {
  readonly ok: boolean;
  readonly code: string;
  readonly message: string;
}

/** CreateFleet with DryRun: EC2 answers DryRunOperation when the request would succeed (that error is success). */
export async function dryRunFleet(factory: ClientFactory, region: string, request: FleetRequest, { signal }: CallOptions = {}): Promise<DryRunResult> {
  const ec2 = factory.client(EC2Client, region);
  const { ClientToken: _token, ...rest } = request;
  try {
    await ec2.send(new CreateFleetCommand({ ...(rest as CreateFleetCommandInput), DryRun: true }), { abortSignal: signal });
    return { ok: false, code: 'NoDryRunAnswer', message: 'The endpoint answered a dry run without DryRunOperation: it may have launched for real. Check the Outposts Fleets view.' };
  } catch (err) {
    if (isCancellation(err)) throw err;
    if (code(err) === 'DryRunOperation') return { ok: true, code: 'DryRunOperation', message: 'Would succeed: the request is valid and you have permission.' };
    return { ok: false, code: code(err) || 'Error', message: message(err) };
  }
}

export interface LaunchOptions extends CallOptions {
  /** Where launches are remembered (token per launch intent, reused on every retry and resume). */
  readonly ledger: LaunchLedger;
  /** Persists the ledger: called before the first CreateFleet (a failure sends nothing) and once the result is known. */
  readonly saveLedger: () => Promise<void> | void;
  /**
   * 'resume': resend the pending launch of this request with its ClientToken; 'new': a deliberate new launch
   * with a new token. Omitted: a new launch, or PendingLaunchError (name LaunchPending) when one is pending.
   */
  readonly intent?: LaunchIntent;
  /** The file launched (path or URI), recorded with the launch. */
  readonly source?: string;
  /** Our own attempts after the SDK's retries, for outcomes left unknown (timeouts, resets). Default 3. */
  readonly attempts?: number;
}

export interface LaunchResult {
  readonly token: string;
  /** True when this launch resumed a pending launch (same ClientToken as when it was first sent). */
  readonly resumed: boolean;
  readonly attempts: number;
  readonly response: CreateFleetCommandOutput;
  readonly report: LaunchReport;
  /** Set when the result could not be recorded in the ledger (the launch itself succeeded). */
  readonly ledgerWarning?: string;
}

/**
 * Launches the fleet once. The ClientToken comes from the ledger: a fresh random one per launch intent, saved
 * as pending before anything is sent, the same for every attempt (and for a resume after a crash or restart),
 * and finished once the result is known, so a later deliberate launch never reuses it.
 */
export async function launchFleet(factory: ClientFactory, region: string, request: FleetRequest, options: LaunchOptions): Promise<LaunchResult> {
  const ec2 = factory.client(EC2Client, region);
  const fingerprint = requestFingerprint(region, request);
  const { token, resumed } = options.ledger.begin(fingerprint, { intent: options.intent, region, source: options.source });
  try {
    await options.saveLedger();
  } catch (err) {
    throw Object.assign(new Error(`Nothing was launched: the launch could not be recorded before sending it (${message(err)}).`), { name: 'LedgerUnwritable', cause: err });
  }
  const max = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await ec2.send(new CreateFleetCommand({ ...(request as CreateFleetCommandInput), DryRun: false, ClientToken: token }), { abortSignal: options.signal });
      options.ledger.finish(fingerprint, token, 'created', response.FleetId);
      let ledgerWarning: string | undefined;
      try {
        await options.saveLedger();
      } catch (err) {
        ledgerWarning = `The launch succeeded but could not be recorded as finished (${message(err)}); the next launch of this file will offer to resume it, which returns this fleet.`;
      }
      return { token, resumed, attempts: attempt, response, report: explainLaunch(request, response as unknown as FleetResponseLike), ledgerWarning };
    } catch (err) {
      if (!isCancellation(err) && !outcomeUnknown(err)) {
        // A definite refusal: nothing was launched with this token; the next launch is a new one.
        options.ledger.finish(fingerprint, token, 'refused');
        try {
          await options.saveLedger();
        } catch { /* still pending on disk: a resume would get the same refusal */ }
        throw err;
      }
      // Cancelled or unknown: the request may have reached EC2, so the launch stays pending (resume reuses the token).
      if (isCancellation(err)) throw err;
      if (attempt >= max) {
        throw Object.assign(new Error(`The launch's outcome is unknown (${message(err)}). It stays pending: resuming it resends the same ClientToken, so it cannot launch twice.`), { name: 'LaunchOutcomeUnknown', cause: err });
      }
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

export interface FleetInstance {
  readonly instanceId: string;
  readonly instanceType?: string;
  readonly state?: string;
}

export interface FleetSummary {
  readonly region: string;
  readonly fleetId: string;
  readonly type?: string;
  readonly state?: string;
  readonly createTime?: Date;
  readonly target?: number;
  readonly fulfilled?: number;
  readonly instances: FleetInstance[];
  readonly name?: string;
}

/** DescribeFleets (all pages) with each fleet's instances and their state. */
export async function describeFleets(factory: ClientFactory, region: string, options: CallOptions & { fleetIds?: string[]; includeDeleted?: boolean } = {}): Promise<FleetSummary[]> {
  const { signal } = options;
  const ec2 = factory.client(EC2Client, region);
  const fleets: FleetSummary[] = [];
  const pageTokens = new PageTokens();
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeFleetsCommand({ FleetIds: options.fleetIds, NextToken }), { abortSignal: signal });
    for (const f of page.Fleets ?? []) {
      if (!f.FleetId) continue;
      if (!options.includeDeleted && f.FleetState === 'deleted') continue;
      const instances = (f.Instances ?? []).flatMap((i) => (i.InstanceIds ?? []).map((id) => ({ instanceId: id, instanceType: i.InstanceType })));
      fleets.push({
        region,
        fleetId: f.FleetId,
        type: f.Type,
        state: f.FleetState,
        createTime: f.CreateTime,
        target: f.TargetCapacitySpecification?.TotalTargetCapacity,
        fulfilled: f.FulfilledCapacity,
        instances,
        name: f.Tags?.find((t) => t.Key === 'Name')?.Value,
      });
    }
    NextToken = pageTokens.next('DescribeFleets', page.NextToken);
  } while (NextToken);
  // Request/maintain fleets list instances through DescribeFleetInstances; so do instant fleets on endpoints
  // that leave DescribeFleets' Instances empty.
  const withInstances = await mapWithConcurrency(fleets, 4, async (f) => {
    if (f.instances.length || f.state?.startsWith('deleted')) return f;
    const instances: FleetInstance[] = [];
    const instanceTokens = new PageTokens();
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeFleetInstancesCommand({ FleetId: f.fleetId, NextToken: token }), { abortSignal: signal });
      for (const i of page.ActiveInstances ?? []) if (i.InstanceId) instances.push({ instanceId: i.InstanceId, instanceType: i.InstanceType });
      token = instanceTokens.next('DescribeFleetInstances', page.NextToken);
    } while (token);
    return { ...f, instances };
  });
  const ids = withInstances.flatMap((f) => f.instances.map((i) => i.instanceId));
  const states = await instanceStates(ec2, ids, signal);
  return withInstances.map((f) => ({ ...f, instances: f.instances.map((i) => ({ ...i, state: states.get(i.instanceId) })) }));
}

async function instanceStates(ec2: EC2Client, ids: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 200) {
    const pageTokens = new PageTokens();
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids.slice(i, i + 200) }], NextToken }), { abortSignal: signal });
      for (const r of page.Reservations ?? []) for (const inst of r.Instances ?? []) if (inst.InstanceId) out.set(inst.InstanceId, inst.State?.Name ?? '');
      NextToken = pageTokens.next('DescribeInstances', page.NextToken);
    } while (NextToken);
  }
  return out;
}

export interface DeleteResult {
  readonly deleted: { fleetId: string; state?: string }[];
  readonly failed: { fleetId: string; code: string; message: string }[];
}

/** At most 25 instant fleets per DeleteFleets call (over the limit nothing is deleted). */
export const DELETE_BATCH = 25;

/** DeleteFleets with TerminateInstances (instant fleets must terminate theirs), 25 fleets per call. */
export async function deleteFleets(factory: ClientFactory, region: string, fleetIds: readonly string[], { signal }: CallOptions = {}): Promise<DeleteResult> {
  const ec2 = factory.client(EC2Client, region);
  const result: DeleteResult = { deleted: [], failed: [] };
  for (let i = 0; i < fleetIds.length; i += DELETE_BATCH) {
    const out = await ec2.send(new DeleteFleetsCommand({ FleetIds: fleetIds.slice(i, i + DELETE_BATCH), TerminateInstances: true }), { abortSignal: signal });
    for (const s of out.SuccessfulFleetDeletions ?? []) if (s.FleetId) result.deleted.push({ fleetId: s.FleetId, state: s.CurrentFleetState });
    for (const u of out.UnsuccessfulFleetDeletions ?? []) result.failed.push({ fleetId: u.FleetId ?? '', code: u.Error?.Code ?? 'Error', message: u.Error?.Message ?? '' });
  }
  return result;
}
