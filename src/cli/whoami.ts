import { homeRegion } from '../aws/target';
import { effectiveProfileName } from '../aws/target';
import { EXIT, type CliCommand } from './types';

export const whoamiCommand: CliCommand = {
  path: ['whoami'],
  summary: 'Show the resolved profile, Regions, endpoint and the caller identity (STS GetCallerIdentity)',
  help: 'Resolves credentials exactly as the AWS CLI does and calls STS GetCallerIdentity once.',
  async run(ctx) {
    const region = homeRegion(ctx.settings);
    const identity = await ctx.core().getCallerIdentity(ctx.factory(), region, ctx.signal);
    const result = {
      profile: effectiveProfileName(ctx.settings.profile),
      regions: ctx.settings.regions,
      endpointUrl: ctx.settings.endpointUrl ?? null,
      account: identity.account,
      arn: identity.arn,
      userId: identity.userId,
    };
    if (ctx.json) ctx.printJson(result);
    else {
      ctx.out(`Profile:  ${result.profile}`);
      ctx.out(`Regions:  ${result.regions.join(', ') || '(none; pass --region)'}`);
      ctx.out(`Endpoint: ${result.endpointUrl ?? 'AWS default'}`);
      ctx.out(`Account:  ${result.account}`);
      ctx.out(`Identity: ${result.arn}`);
    }
    return EXIT.ok;
  },
};
