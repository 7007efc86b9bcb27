import * as assert from 'assert';
import { execFile } from 'child_process';
import { promisify } from 'util';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { motoEndpoint, motoFactory, resetMoto, TEST_CREDENTIALS } from '../../support/aws';
import { requireTool } from '../../support/tools';
import { runCli } from '../../support/cli';
import * as fleets from '../../../src/fleets/service';
import { LaunchLedger } from '../../../src/fleets/core/clientToken';
import { validateLaunchTemplateFile } from '../../../src/fleets/core/launchTemplateFile';
import { fleetReferences } from '../../../src/fleets/core/overrides';
import { planFleet } from '../../../src/fleets/core/plan';
import { validateFleet } from '../../../src/fleets/core/validate';
import type { FleetRequest } from '../../../src/fleets/core/types';
import type { Overlay, OverlayRequest } from '../../../scripts/lib/overlay.mjs';
import type { OutpostsOverlayState } from '../../../scripts/overlay/outposts.mjs';
import { NEEDS } from '../../../scripts/lib/machineNeeds.mjs';

const REGION = 'us-west-2';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'fleets', 'article');
const ARTICLE_FLEET = fs.readFileSync(path.join(FIXTURES, 'ec2-fleet.json'), 'utf8');
const ARTICLE_LT_DATA = fs.readFileSync(path.join(FIXTURES, 'launch-template.json'), 'utf8');
const ARTICLE_LT_ID = 'lt-010654c96462292e8';

/**
 * Against moto through the overlay proxy. What is real moto: EC2 (VPC, subnet, CreateLaunchTemplate,
 * DescribeInstanceTypes, CreateFleet, DescribeFleets, DeleteFleets, instances). What is the overlay (moto has no
 * Outposts API): ListOutposts, GetOutpostInstanceTypes, ListAssets, ListAssetInstances answered from the
 * article's Outpost, and the OutpostArn added to DescribeSubnets for our subnet. Responses the overlay gave carry
 * `x-opsdeck-overlay: outposts`, which the first test checks.
 */
describe('fleets: launch template + the article\'s fleet file against moto (+ Outposts overlay)', function () {
  this.timeout(120_000);
  let overlay: Overlay;
  let state: OutpostsOverlayState;
  let subnetId: string;
  let ami: string;
  let ltId: string;
  let fleetFile: string;
  let request: FleetRequest;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fleets-'));
  const seen: { operation?: string; token?: string | null; overlay?: boolean }[] = [];

  before(async () => {
    await resetMoto();
    const { startOverlay } = await import('../../../scripts/lib/overlay.mjs');
    const { outpostsHandler, articleOutpostState } = await import('../../../scripts/overlay/outposts.mjs');
    const { factory } = motoFactory([REGION]);
    const ec2 = factory.client(EC2Client, REGION);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.40.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!;
    ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
    factory.dispose();
    state = articleOutpostState({ region: REGION, subnetIds: [subnetId] });
    const record = (req: OverlayRequest): undefined => {
      if (req.operation === 'CreateFleet') seen.push({ operation: 'CreateFleet', token: new URLSearchParams(req.body.toString()).get('ClientToken') });
      return undefined;
    };
    overlay = await startOverlay({ upstream: motoEndpoint(), handlers: [outpostsHandler(state)], hooks: [record] });
  });
  after(async () => {
    await overlay?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('overlay, stated: the Outposts API answers come from the overlay (moto has none), labelled in a header', async () => {
    const res = await fetch(`${overlay.endpoint}/outposts`, { headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${REGION}/outposts/aws4_request` } });
    assert.strictEqual(res.headers.get('x-opsdeck-overlay'), 'outposts');
    const body = (await res.json()) as { Outposts: { OutpostId: string }[] };
    assert.deepStrictEqual(body.Outposts.map((o) => o.OutpostId), ['op-0000ffff0000fffff']);
  });

  it('creates the launch template from its file (the article\'s launch-template.json as LaunchTemplateData)', async () => {
    const data = ARTICLE_LT_DATA.replace('<YOUR-AMI>', ami).replace('<YOUR-OUTPOST-SUBNET>', subnetId).replace('<YOUR-OUTPOST-AZ>', `${REGION}a`).replace('<YOUR-TAG-KEY>', 'workload').replace('<YOUR-TAG-VALUE>', 'outposts-fleet');
    const text = `{ "LaunchTemplateName": "outpost-article-lt", "LaunchTemplateData": ${data} }`;
    const parsed = validateLaunchTemplateFile(text);
    assert.deepStrictEqual(parsed.diagnostics, []);
    const { factory, counter } = motoFactory([REGION], overlay.endpoint);
    const created = await fleets.createLaunchTemplate(factory, REGION, parsed.file!);
    assert.match(created.id, /^lt-/);
    assert.deepStrictEqual([created.created, created.version], [true, 1]);
    // Same file again: the name exists, so it becomes version 2 instead of failing.
    const again = await fleets.createLaunchTemplate(factory, REGION, parsed.file!);
    assert.deepStrictEqual([again.id, again.created, again.version], [created.id, false, 2]);
    assert.deepStrictEqual(counter.byOperation(), { CreateLaunchTemplate: 2, CreateLaunchTemplateVersion: 1 });
    ltId = created.id;
    // The article's fleet file, byte for byte except the id the article says to paste from step 1.
    fleetFile = path.join(tmp, 'ec2-fleet.json');
    fs.writeFileSync(fleetFile, ARTICLE_FLEET.replace(ARTICLE_LT_ID, ltId));
    request = JSON.parse(fs.readFileSync(fleetFile, 'utf8')) as FleetRequest;
    factory.dispose();
  });

  it('validates and plans the article\'s file with facts from moto + overlay: 4 × m5.large, with few calls', async () => {
    const { factory, counter } = motoFactory([REGION], overlay.endpoint);
    const text = fs.readFileSync(fleetFile, 'utf8');
    const facts = await fleets.loadFleetFacts(factory, REGION, fleetReferences(request));
    const codes = validateFleet(text, facts).diagnostics.map((d) => `${d.severity}:${d.code}:${text.slice(d.offset, d.offset + d.length)}`);
    assert.deepStrictEqual(codes, ['warning:type-unknown:"m6.2xlarge"', 'warning:type-not-on-outpost:"r5.2xlarge"']);
    const plan = planFleet(request, facts);
    assert.deepStrictEqual(plan.expected.map((e) => `${e.instances}x${plan.rows[e.row].instanceType}`), ['4xm5.large']);
    assert.strictEqual(plan.rows.find((r) => r.instanceType === 'c5.2xlarge')!.status, 'no-capacity');
    // One DescribeInstanceTypes for the file's five types, one wildcard query for m6.2xlarge's neighbours.
    assert.deepStrictEqual(
      counter.byOperation(),
      { DescribeInstanceTypes: 2, DescribeLaunchTemplates: 1, DescribeLaunchTemplateVersions: 1, DescribeSubnets: 1, ListOutposts: 1, GetOutpostInstanceTypes: 1, ListAssets: 1, ListAssetInstances: 1 },
    );
    // A missing launch template is an error with the exact range.
    const missing = await fleets.loadFleetFacts(factory, REGION, fleetReferences(JSON.parse(ARTICLE_FLEET) as FleetRequest));
    const d = validateFleet(ARTICLE_FLEET, missing).diagnostics.find((x) => x.code === 'launch-template-not-found')!;
    assert.strictEqual(ARTICLE_FLEET.slice(d.offset, d.offset + d.length), `"${ARTICLE_LT_ID}"`);
    factory.dispose();
  });

  it('dry run reports "would succeed" (moto answers DryRunOperation before checking anything, unlike EC2)', async () => {
    const { factory, counter } = motoFactory([REGION], overlay.endpoint);
    const r = await fleets.dryRunFleet(factory, REGION, request);
    assert.deepStrictEqual([r.ok, r.code], [true, 'DryRunOperation']);
    const fleetsNow = await fleets.describeFleets(factory, REGION);
    assert.strictEqual(fleetsNow.length, 0, 'a dry run launches nothing');
    assert.strictEqual(counter.count('CreateFleet'), 1);
    factory.dispose();
  });

  it('launches the article\'s fleet file once, with a ClientToken (moto ignores Priority and Outpost capacity: it takes the first override)', async () => {
    const { factory, counter } = motoFactory([REGION], overlay.endpoint);
    const ledger = new LaunchLedger();
    const r = await fleets.launchFleet(factory, REGION, request, { ledger, saveLedger: () => {} });
    assert.match(r.response.FleetId!, /^fleet-/);
    assert.strictEqual(r.report.outcome, 'launched');
    assert.ok(r.report.instanceCount >= 1);
    // Real EC2 on the article's Outpost would answer InvalidParameterValue (m6.2xlarge) and
    // InsufficientCapacityOnOutpost (c5.2xlarge) and launch 4 × m5.large (see the unit test of the article's
    // response). moto ignores Priority and capacity and launches the first override: we only assert what it does.
    assert.deepStrictEqual(r.response.Instances!.map((i) => i.InstanceType), ['m6.2xlarge']);
    assert.strictEqual(counter.count('CreateFleet'), 1);
    assert.strictEqual(seen.at(-1)!.token, r.token);
    assert.deepStrictEqual(ledger.toJSON().pending, {}, 'finished once the answer arrived');
    assert.strictEqual(Object.values(ledger.toJSON().finished)[0].token, r.token);
    // A deliberate second launch gets a new token.
    const again = await fleets.launchFleet(factory, REGION, request, { ledger, saveLedger: () => {} });
    assert.notStrictEqual(again.token, r.token);
    factory.dispose();
  });

  it('retries a launch whose response was lost with the SAME ClientToken (moto does not dedupe tokens; EC2 does)', async () => {
    let dropped = 0;
    const dropFirstResponse = async (req: OverlayRequest, ctx: { forward(r: OverlayRequest): Promise<unknown> }): Promise<'drop' | undefined> => {
      if (req.operation !== 'CreateFleet' || dropped) return undefined;
      dropped++;
      await ctx.forward(req); // moto creates the fleet…
      return 'drop'; // …and the response never reaches the client
    };
    overlay.hooks.push(dropFirstResponse);
    const { factory } = motoFactory([REGION], overlay.endpoint, { maxAttempts: 1 });
    const ledger = new LaunchLedger();
    const before = seen.length;
    const r = await fleets.launchFleet(factory, REGION, request, { ledger, saveLedger: () => {} });
    overlay.hooks.pop();
    const tokens = seen.slice(before).map((s) => s.token);
    assert.strictEqual(tokens.length, 2, 'one lost attempt + one retry');
    assert.deepStrictEqual(tokens, [r.token, r.token]);
    assert.strictEqual(r.attempts, 2);
    factory.dispose();
  });

  it('CLI: opsdeck fleet plan / launch --yes --json on the same file and endpoint', async () => {
    const cli = async (args: string[]) => {
      const r = await runCli(args, { extraArgs: ['--region', REGION, '--endpoint-url', overlay.endpoint] });
      return { code: r.code, out: r.stdout, err: r.stderr };
    };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, OPSDECK_STATE_DIR: tmp });
    const plan = await cli(['fleet', 'plan', fleetFile, '--json']);
    assert.strictEqual(plan.code, 0, plan.err);
    const p = JSON.parse(plan.out) as { plan: { rows: { instanceType: string }[]; expected: { row: number; instances: number }[] } };
    assert.deepStrictEqual(p.plan.expected.map((e) => `${e.instances}x${p.plan.rows[e.row].instanceType}`), ['4xm5.large']);
    const launch = await cli(['fleet', 'launch', fleetFile, '--yes', '--json']);
    assert.strictEqual(launch.code, 0, launch.err);
    const l = JSON.parse(launch.out) as { clientToken: string; report: { fleetId: string; outcome: string } };
    assert.match(l.report.fleetId, /^fleet-/);
    assert.strictEqual(l.report.outcome, 'launched');
    const ledger = JSON.parse(fs.readFileSync(path.join(tmp, 'fleet-launches.json'), 'utf8')) as { pending: object; finished: Record<string, { token: string; result: string; fleetId: string }> };
    assert.deepStrictEqual(ledger.pending, {});
    assert.ok(Object.values(ledger.finished).some((e) => e.token === l.clientToken && e.result === 'created' && e.fleetId === l.report.fleetId));
    const dry = await cli(['fleet', 'launch', fleetFile, '--dry-run']);
    assert.strictEqual(dry.code, 0, dry.err);
    assert.match(dry.out, /would succeed/);
  });

  it('CLI: the same file launched deliberately on two "machines" (fresh state folders) sends two different ClientTokens', async () => {
    const before = seen.length;
    const tokens: string[] = [];
    for (const machine of ['machine-a', 'machine-b']) {
      const stateDir = path.join(tmp, machine);
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, OPSDECK_STATE_DIR: stateDir });
      const r = await runCli(['fleet', 'launch', fleetFile, '--yes', '--json'], { extraArgs: ['--region', REGION, '--endpoint-url', overlay.endpoint] });
      assert.strictEqual(r.code, 0, r.stderr);
      tokens.push((JSON.parse(r.stdout) as { clientToken: string }).clientToken);
    }
    Object.assign(process.env, { OPSDECK_STATE_DIR: tmp });
    assert.deepStrictEqual(seen.slice(before).map((x) => x.token), tokens, 'what went over the wire');
    assert.notStrictEqual(tokens[0], tokens[1], 'a fresh ledger must not reproduce the first launch\'s token (EC2 would return the old fleet)');
  });

  it('CLI: a maintain fleet (and one without Type) answers with a FleetId only: "created, launching asynchronously", exit 0', async () => {
    const cli = (args: string[]) => runCli(args, { extraArgs: ['--region', REGION, '--endpoint-url', overlay.endpoint] });
    for (const type of ['maintain', undefined]) {
      const o = JSON.parse(fs.readFileSync(fleetFile, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      delete o.OnDemandOptions.MinTargetCapacity; // instant-only
      if (type) o.Type = type;
      else delete o.Type;
      const file = path.join(tmp, `${type ?? 'no-type'}.fleet.json`);
      fs.writeFileSync(file, JSON.stringify(o, null, 2));
      const r = await cli(['fleet', 'launch', file, '--yes']);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^fleet fleet-[0-9a-f-]+ created; EC2 launches its instances asynchronously — watch it in the Outposts Fleets view\./m);
      assert.doesNotMatch(r.stdout, /No instances launched/);
    }
    const { factory } = motoFactory([REGION], overlay.endpoint);
    const maintain = (await fleets.describeFleets(factory, REGION)).filter((f) => f.type === 'maintain');
    assert.strictEqual(maintain.length, 2, 'moto records both as maintain fleets (its default Type too)');
    factory.dispose();
  });

  it('lists fleets with their instances, then deletes them and terminates the instances', async () => {
    const { factory, counter } = motoFactory([REGION], overlay.endpoint);
    const list = await fleets.describeFleets(factory, REGION);
    assert.ok(list.filter((f) => f.type === 'instant').length >= 5);
    assert.ok(list.filter((f) => f.type === 'instant').every((f) => f.instances.length >= 1 && f.instances.every((i) => i.state === 'running')));
    const ids = list.map((f) => f.fleetId);
    const result = await fleets.deleteFleets(factory, REGION, ids);
    assert.deepStrictEqual(result.deleted.map((d) => d.fleetId).sort(), [...ids].sort());
    assert.strictEqual(counter.count('DeleteFleets'), 1);
    const ec2 = factory.client(EC2Client, REGION);
    const instanceIds = list.flatMap((f) => f.instances.map((i) => i.instanceId));
    const states = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds }))).Reservations!.flatMap((x) => x.Instances!.map((i) => i.State!.Name));
    assert.ok(states.every((s) => s === 'terminated' || s === 'shutting-down'), JSON.stringify(states));
    factory.dispose();
  });

  it('the same files are accepted by the real AWS CLI (create-launch-template and create-fleet --cli-input-json)', async function () {
    const aws = requireTool(this, 'AWS CLI', [...NEEDS.aws.paths]); // where the machine check looks
    const env = { ...process.env, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' };
    // Asynchronously: the overlay proxy runs in this process and must keep answering while the CLI waits.
    const run = async (args: string[]): Promise<Record<string, unknown>> =>
      JSON.parse((await promisify(execFile)(aws, [...args, '--endpoint-url', overlay.endpoint, '--region', REGION, '--output', 'json'], { env, encoding: 'utf8' })).stdout) as Record<string, unknown>;
    const ltFile = path.join(tmp, 'cli.launch-template.json');
    fs.writeFileSync(ltFile, JSON.stringify({ LaunchTemplateName: 'cli-lt', LaunchTemplateData: { ImageId: ami, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId }] } }));
    const lt = await run(['ec2', 'create-launch-template', '--cli-input-json', `file://${ltFile}`]) as { LaunchTemplate: { LaunchTemplateId: string } };
    assert.match(lt.LaunchTemplate.LaunchTemplateId, /^lt-/);
    const out = await run(['ec2', 'create-fleet', '--cli-input-json', `file://${fleetFile}`]) as { FleetId: string; Instances: unknown[] };
    assert.match(out.FleetId, /^fleet-/);
    assert.ok(out.Instances.length >= 1);
    void ltId;
  });
});
