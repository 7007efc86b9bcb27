import type { Inventory, DevInstance, DevHost } from '../core/model';
import type { ConnectionMode, RenderResult } from '../core/render';

/** The last discovery and render, shared by the tree and the commands (owned by the registration, no global). */
export class DevHostsState {
  inventory: Inventory | undefined;
  rendered: RenderResult | undefined;
  loadedAt: Date | undefined;
  /** The connection mode the last render used (the tree says when the configured bastion goes unused). */
  mode: ConnectionMode | undefined;

  findInstance(instanceId: string): DevInstance | undefined {
    return this.inventory?.regions.flatMap((r) => r.instances).find((i) => i.instanceId === instanceId);
  }

  findHost(hostId: string): DevHost | undefined {
    return this.inventory?.regions.flatMap((r) => r.hosts).find((h) => h.hostId === hostId);
  }

  instancesOn(host: DevHost): DevInstance[] {
    return this.inventory?.regions.find((r) => r.region === host.region)?.instances.filter((i) => i.hostId === host.hostId) ?? [];
  }

  /** Aliases rendered for an instance, in identity order. */
  aliasesFor(instanceId: string): { alias: string; identity: string; user: string }[] {
    return (this.rendered?.entries ?? []).filter((e) => e.kind === 'mac' && e.instanceId === instanceId).map((e) => ({ alias: e.alias, identity: e.identity, user: e.user }));
  }
}
