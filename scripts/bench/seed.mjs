// Seeds moto for the API-economy and parallelism figures through the SDK (credentials are moto's test keys).
import { AllocateHostsCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/**
 * Per Region: `hosts` EC2 Mac Dedicated Hosts (mac2.metal), one instance on each, and one tagged bastion.
 * @returns {Promise<Record<string, { hosts: number, instances: number, amis: number, bastions: number }>>}
 */
export async function seedDevHosts(endpoint, regions, { hosts = 2 } = {}) {
  const out = {};
  await Promise.all(regions.map(async (region) => {
    const ec2 = new EC2Client({ region, endpoint, credentials });
    try {
      const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images[0].ImageId;
      await ec2.send(new RunInstancesCommand({
        ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'bastion' }] }],
      }));
      for (let h = 0; h < hosts; h++) {
        const { HostIds } = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: `${region}a`, InstanceType: 'mac2.metal', Quantity: 1, AutoPlacement: 'off' }));
        await ec2.send(new RunInstancesCommand({
          ImageId: ami, InstanceType: 'mac2.metal', MinCount: 1, MaxCount: 1, Placement: { HostId: HostIds[0], Tenancy: 'host' },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `mac-${region}-${h}` }] }],
        }));
      }
      out[region] = { hosts, instances: hosts, amis: 1, bastions: 1 };
    } finally {
      ec2.destroy();
    }
  }));
  return out;
}

/**
 * The fewest calls a complete dev-host discovery can make in one Region (what the APIs allow):
 *   DescribeHosts      max(1, ceil(hosts / 500))              (MaxResults ≤ 500, one instance-type filter)
 *   DescribeInstances  ceil(instances / 1000) when hosts > 0  (one filter — instance-type or host-id, ≤ 200
 *                                                              values — pages of ≤ 1000)
 *                      + 1 for bastions by tag               (a second filter set: EC2 ANDs filters)
 *   DescribeImages     ceil(distinct AMIs / 200)              (macOS version from the AMI name)
 */
export function minimumDiscoveryCalls({ hosts, instances, amis }) {
  const describeHosts = Math.max(1, Math.ceil(hosts / 500));
  const macInstances = hosts > 0 ? Math.max(1, Math.ceil(instances / 1000)) : 0;
  const images = instances > 0 ? Math.ceil(amis / 200) : 0;
  return { DescribeHosts: describeHosts, DescribeInstances: macInstances + 1, DescribeImages: images, total: describeHosts + macInstances + 1 + images };
}
