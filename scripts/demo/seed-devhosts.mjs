// Demo data for the Mac Dev Hosts view: EC2 Mac Dedicated Hosts behind a tagged bastion in two Regions.
// moto stamps every host's AllocationTime with "now", so each shows "releasable in 24h 0m" (the 24-hour rule),
// and the empty, just-allocated mac2-m2pro host is the one to try "Release host" on (it explains the wait).
// moto does not list instances on a host (DescribeHosts has no `Instances`); OpsDeck links them through
// Placement.HostId in that case, so no overlay is needed.
import { AllocateHostsCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

const PLAN = [
  { region: 0, zone: 'a', type: 'mac2.metal', host: 'ios-ci-host-1', instances: [{ name: 'ios-build-01', state: 'running' }] },
  { region: 0, zone: 'b', type: 'mac2.metal', host: 'ios-ci-host-2', instances: [{ name: 'Anna’s Mac (dev)', state: 'running' }] },
  { region: 0, zone: 'a', type: 'mac2-m2pro.metal', host: 'spare-m2pro', instances: [] },
  { region: 1, zone: 'a', type: 'mac2.metal', host: 'eu-team-host', instances: [{ name: 'macos1', state: 'running' }] },
  { region: 1, zone: 'b', type: 'mac1.metal', host: 'eu-intel-host', instances: [{ name: 'macos1', state: 'stopped' }] },
];

export async function seed({ endpoint, regions, workspace, log }) {
  const picked = [regions[0] ?? 'us-east-1', regions[1] ?? 'eu-west-1'];
  const clients = picked.map((region) => new EC2Client({ region, endpoint, credentials }));
  const ami = [];
  for (const [n, ec2] of clients.entries()) {
    ami[n] = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images[0].ImageId;
    await ec2.send(new RunInstancesCommand({
      ImageId: ami[n], InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'bastion' }, { Key: 'Name', Value: `bastion-${picked[n]}` }] }],
    }));
  }
  let hosts = 0;
  let instances = 0;
  for (const p of PLAN) {
    const ec2 = clients[p.region];
    const region = picked[p.region];
    const { HostIds } = await ec2.send(new AllocateHostsCommand({
      AvailabilityZone: `${region}${p.zone}`, InstanceType: p.type, Quantity: 1, AutoPlacement: 'off',
      TagSpecifications: [{ ResourceType: 'dedicated-host', Tags: [{ Key: 'Name', Value: p.host }, { Key: 'Team', Value: 'ios' }] }],
    }));
    hosts++;
    for (const i of p.instances) {
      const out = await ec2.send(new RunInstancesCommand({
        ImageId: ami[p.region], InstanceType: p.type, MinCount: 1, MaxCount: 1, Placement: { HostId: HostIds[0], Tenancy: 'host' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: i.name }] }],
      }));
      if (i.state === 'stopped') await ec2.send(new StopInstancesCommand({ InstanceIds: [out.Instances[0].InstanceId] }));
      instances++;
    }
  }
  for (const c of clients) c.destroy();
  // The demo writes SSH config into the workspace, never into the real ~/.ssh.
  const sshDir = join(workspace, '.ssh-demo');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  log(`devhosts: ${hosts} Mac hosts, ${instances} instances, 2 bastions in ${picked.join(', ')}; SSH config goes to ${sshDir}`);
  return {
    'remote.SSH.configFile': join(sshDir, 'config'),
    'opsdeck.devHosts.sshConfigFile': join(sshDir, 'config'),
    'opsdeck.devHosts.managedConfigPath': join(sshDir, 'opsdeck', 'config'),
  };
}
