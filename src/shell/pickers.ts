import vscode = require('vscode');
import { UserCancelledError } from '../aws/cancellation';
import type { ProfileSummary } from '../aws/profiles';
import { BUILT_IN_REGIONS, type RegionInfo } from '../aws/regionCatalog';
import { homeRegion } from '../aws/target';
import type { AwsSession } from './awsSession';
import { SETTING } from './ids';
import { configuration } from './settings';

const KIND_LABEL: Record<ProfileSummary['kind'], string> = {
  sso: 'IAM Identity Center (SSO)',
  role: 'assumed role',
  process: 'credential_process',
  static: 'access keys',
  webIdentity: 'web identity',
  other: '',
};

/** Quick pick over every profile in the shared files; the choice is saved in `opsdeck.profile`. */
export async function pickProfile(session: AwsSession): Promise<void> {
  const profiles = await session.core().listProfiles();
  const items: (vscode.QuickPickItem & { profile: string })[] = [
    { label: '$(server-environment) Default credential chain', description: 'AWS_PROFILE, environment keys, instance or container role', profile: '' },
    ...profiles.map((p) => ({
      label: p.name,
      description: [KIND_LABEL[p.kind], p.region].filter(Boolean).join(' · '),
      picked: p.name === session.settings.profile,
      profile: p.name,
    })),
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: 'AWS OpsDeck: Select Profile',
    placeHolder: `Current: ${session.profileName}`,
    matchOnDescription: true,
  });
  if (!choice) throw new UserCancelledError();
  await configuration().update(SETTING.profile, choice.profile, vscode.ConfigurationTarget.Global);
}

/** Multi-select filled from DescribeRegions (AllRegions); the built-in list when offline. */
export async function pickRegions(session: AwsSession): Promise<void> {
  const chosen = new Set(session.settings.regions);
  const loaded = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AWS OpsDeck: Loading Regions…', cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await session.core().listAccountRegions(session.factory(), homeRegion(session.settings), controller.signal);
      } catch {
        return { regions: [...BUILT_IN_REGIONS], offline: true };
      }
    },
  );
  const items = loaded.regions.map((r: RegionInfo) => ({
    label: r.name,
    description: r.optInStatus === 'not-opted-in' ? 'not enabled in this account' : r.optInStatus === 'opted-in' ? 'opt-in Region (enabled)' : undefined,
    picked: chosen.has(r.name),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: loaded.offline ? 'AWS OpsDeck: Select Regions (offline list — could not call DescribeRegions)' : 'AWS OpsDeck: Select Regions',
    canPickMany: true,
    matchOnDescription: true,
  });
  if (!picked) throw new UserCancelledError();
  await configuration().update(SETTING.regions, picked.map((p) => p.label), vscode.ConfigurationTarget.Global);
}
