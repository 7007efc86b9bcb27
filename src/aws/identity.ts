import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientFactory } from './clientFactory';

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export async function getCallerIdentity(factory: ClientFactory, region: string, signal?: AbortSignal): Promise<CallerIdentity> {
  const out = await factory.client(STSClient, region).send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
}
