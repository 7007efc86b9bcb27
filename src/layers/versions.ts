import { DeleteLayerVersionCommand, GetLayerVersionPolicyCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import type { ClientFactory } from '../aws/clientFactory';
import { PageTokens } from '../aws/paginationGuard';
import { grantsOf } from './core/grants';
import { lambda, notFound } from './lambdaCalls';

/** Browsing what a Region already has: the versions of a layer, who may use one, and deleting one. */
export interface LayerVersionInfo {
  readonly version: number;
  readonly arn: string;
  readonly description?: string;
  readonly createdDate?: string;
  readonly runtimes: readonly string[];
  readonly architectures: readonly string[];
}

/** Every version of a layer in a Region, newest first (full pagination, 50 per page). */
export async function listVersions(factory: ClientFactory, name: string, region: string, signal?: AbortSignal): Promise<LayerVersionInfo[]> {
  const out: LayerVersionInfo[] = [];
  const markers = new PageTokens();
  let marker: string | undefined;
  do {
    let page;
    try {
      page = await lambda(factory, region).send(new ListLayerVersionsCommand({ LayerName: name, Marker: marker, MaxItems: 50 }), { abortSignal: signal });
    } catch (err) {
      if (notFound(err)) return out;
      throw err;
    }
    for (const v of page.LayerVersions ?? []) {
      out.push({
        version: v.Version ?? 0,
        arn: v.LayerVersionArn ?? '',
        description: v.Description,
        createdDate: v.CreatedDate,
        runtimes: v.CompatibleRuntimes ?? [],
        architectures: v.CompatibleArchitectures ?? [],
      });
    }
    marker = markers.next('ListLayerVersions', page.NextMarker);
  } while (marker);
  return out.sort((a, b) => b.version - a.version);
}

/** Who may use one version ("account 123…", "organization o-…", "everyone (public)"); [] = only this account. */
export async function versionGrants(factory: ClientFactory, name: string, region: string, version: number, signal?: AbortSignal): Promise<string[]> {
  try {
    const out = await lambda(factory, region).send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: version }), { abortSignal: signal });
    return grantsOf(out.Policy);
  } catch (err) {
    if (notFound(err)) return [];
    throw err;
  }
}

export async function deleteVersion(factory: ClientFactory, name: string, region: string, version: number, signal?: AbortSignal): Promise<void> {
  await lambda(factory, region).send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version }), { abortSignal: signal });
}
