import { LambdaClient } from '@aws-sdk/client-lambda';
import type { ClientFactory } from '../aws/clientFactory';

/** The Lambda client for a Region, and how a missing layer or version shows in an error. */
export const lambda = (factory: ClientFactory, region: string) => factory.client(LambdaClient, region);
export const errName = (e: unknown): string => (e as { name?: string })?.name ?? '';
export const notFound = (e: unknown) => errName(e) === 'ResourceNotFoundException' || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;
