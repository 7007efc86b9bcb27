// Demo data for Outposts fleets: the seed article's Outpost (served by the overlay: moto has no Outposts API),
// a VPC subnet placed on it, a launch template created from the article's launch-template.json, and in the demo
// workspace the article's ec2-fleet.json (as ec2-fleet.fleet.json, with the template id the article says to
// paste), its launch template file, and a broken fleet file that shows the diagnostics. One small instant fleet
// is launched so the view's Fleets list has something in it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateFleetCommand, CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { articleOutpostState } from '../overlay/outposts.mjs';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTICLE_LT_ID = 'lt-010654c96462292e8';

export async function seed({ endpoint, regions, workspace, log = () => {}, overlayState = {} }) {
  const region = regions.includes('us-west-2') ? 'us-west-2' : regions[0] ?? 'us-east-1';
  const ec2 = new EC2Client({ endpoint, region, credentials });
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }));
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc.VpcId, CidrBlock: '10.50.1.0/24', AvailabilityZone: `${region}a` }))).Subnet.SubnetId;
  overlayState.outposts = articleOutpostState({ region, subnetIds: [subnet] });
  const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images[0].ImageId;

  const articleData = readFileSync(join(root, 'test/fixtures/fleets/article/launch-template.json'), 'utf8')
    .replace('<YOUR-AMI>', ami).replace('<YOUR-OUTPOST-SUBNET>', subnet).replace('<YOUR-OUTPOST-AZ>', `${region}a`)
    .replace('<YOUR-TAG-KEY>', 'workload').replace('<YOUR-TAG-VALUE>', 'outposts-fleet');
  const ltFile = { LaunchTemplateName: 'outpost-article-lt', LaunchTemplateData: JSON.parse(articleData) };
  const lt = (await ec2.send(new CreateLaunchTemplateCommand(ltFile))).LaunchTemplate.LaunchTemplateId;

  const fleetText = readFileSync(join(root, 'test/fixtures/fleets/article/ec2-fleet.json'), 'utf8').replace(ARTICLE_LT_ID, lt);
  // One launched fleet for the view (moto launches the first override; m5.large is first here).
  const small = JSON.parse(fleetText);
  small.LaunchTemplateConfigs[0].Overrides = [{ InstanceType: 'm5.large', WeightedCapacity: 0.25, Priority: 1 }];
  small.TagSpecifications = [{ ResourceType: 'fleet', Tags: [{ Key: 'Name', Value: 'demo-web-tier' }] }];
  const launched = await ec2.send(new CreateFleetCommand(small));

  if (workspace) {
    const dir = join(workspace, 'fleets');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ec2-fleet.fleet.json'), fleetText);
    writeFileSync(join(dir, 'outpost.launch-template.json'), `${JSON.stringify(ltFile, null, 2)}\n`);
    const broken = JSON.parse(fleetText);
    delete broken.LaunchTemplateConfigs[0].Overrides[1].Priority;
    broken.LaunchTemplateConfigs[0].Overrides[2].WeightedCapacity = 0;
    broken.OnDemandOptions = { AllocationStrategy: 'prioritized', MinTargetCapacity: 1 };
    writeFileSync(join(dir, 'broken.fleet.json'), `${JSON.stringify(broken, null, 2)}\n`);
  }
  log(`fleets: Outpost op-0000ffff0000fffff (overlay) in ${region}, subnet ${subnet} on it, launch template ${lt}, fleet ${launched.FleetId}`);
  return { 'opsdeck.fleets.region': region };
}
