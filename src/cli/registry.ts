import type { CliCommand } from './types';
import { whoamiCommand } from './whoami';
import { devHostsCommands } from '../devhosts/cli';
import { batchHealthCommand } from '../batch/cli';
import { layerCommands } from '../layers/cli';
import { mskHealthCommand } from '../msk/cli';
import { fleetCommands } from '../fleets/cli';

/** Every subcommand, one line per feature. Modules here must not import the AWS SDK (cold start). */
export const COMMANDS: readonly CliCommand[] = [
  whoamiCommand,
  ...devHostsCommands,
  batchHealthCommand,
  ...layerCommands,
  mskHealthCommand,
  ...fleetCommands,
];
