import type { FleetPlan } from './plan';
import type { FleetRequest } from './types';

/**
 * What a launch commits the account to, per fleet Type, stated honestly for the confirmation and the plan:
 * - `instant`: one synchronous attempt; at most N instances now, which run (and bill) until terminated;
 * - `maintain` (EC2's default when Type is absent): keeps the target running, replacing instances that stop,
 *   until the fleet is deleted, so it bills until deleted; "at most N" is only the size at any one time;
 * - `request`: a one-time asynchronous request for the target; instances are not replaced.
 */
export type FleetType = 'instant' | 'maintain' | 'request';

/** The Type EC2 uses for a request: the file's, or `maintain` when absent (CreateFleet's default). */
export function fleetTypeOf(request: FleetRequest): FleetType {
  return request.Type === 'instant' || request.Type === 'request' ? request.Type : 'maintain';
}

export interface LaunchCommitment {
  readonly type: FleetType;
  /** True when the file has no Type and EC2's default (`maintain`) applies. */
  readonly typeDefaulted: boolean;
  /** One sentence: what the launch does and how much. */
  readonly headline: string;
  /** How long it bills and how to stop it. */
  readonly billing: string;
}

export function launchCommitment(request: FleetRequest, plan: Pick<FleetPlan, 'target' | 'unit' | 'maxInstances' | 'maxVcpus'>): LaunchCommitment {
  const type = fleetTypeOf(request);
  const typeDefaulted = request.Type === undefined;
  const target = `${plan.target} ${plan.unit === 'units' ? 'capacity unit(s)' : plan.unit}`;
  const size = `${plan.maxInstances} instance(s)${plan.maxVcpus !== undefined ? ` (${plan.maxVcpus} vCPUs)` : ''}`;
  const named = typeDefaulted ? 'maintain (no Type in the file: EC2\'s default)' : type;
  switch (type) {
    case 'instant':
      return {
        type, typeDefaulted,
        headline: `instant fleet: one attempt now for ${target}; it creates at most ${size} now and never replaces them.`,
        billing: 'The instances bill until you terminate them (delete the fleet with its instances in the Outposts Fleets view or with opsdeck fleet delete).',
      };
    case 'request':
      return {
        type, typeDefaulted,
        headline: `request fleet: a one-time request for ${target} (up to ${size}), fulfilled asynchronously; instances that stop are not replaced.`,
        billing: 'The instances bill until you terminate them (delete the fleet with its instances in the Outposts Fleets view or with opsdeck fleet delete).',
      };
    default:
      return {
        type, typeDefaulted,
        headline: `${named} fleet: keeps ${target} running (up to ${size} at a time) until you delete the fleet; EC2 launches asynchronously and replaces every instance that stops or fails.`,
        billing: 'It bills until you delete the fleet: terminating its instances is not enough, EC2 starts new ones (delete it in the Outposts Fleets view or with opsdeck fleet delete).',
      };
  }
}
