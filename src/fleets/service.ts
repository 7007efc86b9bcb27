/** The Outposts fleets feature's AWS side (re-exported from src/core.ts as `fleets`). */
export { describeInstanceTypes, listOutposts, loadFleetFacts, lookupLaunchTemplates, lookupSubnets, type CallOptions, type OutpostListOptions } from './service/facts';
export { createLaunchTemplate, deleteFleets, describeFleets, dryRunFleet, launchFleet, DELETE_BATCH, type CreatedLaunchTemplate, type DeleteResult, type DryRunResult, type FleetInstance, type FleetSummary, type LaunchOptions, type LaunchResult } from './service/actions';
