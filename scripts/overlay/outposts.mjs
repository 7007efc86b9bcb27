// Overlay handler for the AWS Outposts API, which moto does not implement. It answers ListOutposts, GetOutpost,
// GetOutpostInstanceTypes, ListAssets and ListAssetInstances from the `state` it is given (nothing else is
// invented), and adds `outpostArn` to moto's DescribeSubnets answer for the subnets `state.subnets` places on an
// Outpost (moto's subnets have no Outpost). Every answer it gives carries the `x-opsdeck-overlay: outposts` header.
//
// state = {
//   outposts:      [{ OutpostId, OutpostArn, Name, SiteId, AvailabilityZone, AvailabilityZoneId, LifeCycleStatus,
//                     SupportedHardwareType, OwnerId }],
//   instanceTypes: { [OutpostId]: [{ InstanceType, VCPUs }] },                 // GetOutpostInstanceTypes (configured)
//   assets:        { [OutpostId]: [{ AssetId, RackId, AssetType: 'COMPUTE', ComputeAttributes: { HostId, State,
//                     InstanceFamilies, InstanceTypeCapacities: [{ InstanceType, Count }], MaxVcpus } }] },
//   assetInstances:{ [OutpostId]: [{ InstanceId, InstanceType, AssetId, AccountId, AwsServiceName }] },
//   subnets:       { [SubnetId]: OutpostArn },
// }
import { json } from '../lib/overlay.mjs';

const notFound = (what) => json(404, { message: `${what} not found` }, { 'x-amzn-errortype': 'NotFoundException' });

/** Outposts of the Region the request was signed for (from the ARN), so each Region sees only its own. */
function outpostsIn(state, region) {
  return (state.outposts ?? []).filter((o) => !region || !o.OutpostArn || o.OutpostArn.split(':')[3] === region);
}

function find(state, region, idOrArn) {
  const id = decodeURIComponent(idOrArn);
  return outpostsIn(state, region).find((o) => o.OutpostId === id || o.OutpostArn === id);
}

/** A page of `items` (the Outposts API pages with MaxResults/NextToken; the token is the next index). */
function page(url, items) {
  const max = Number(url.searchParams.get('MaxResults') ?? items.length) || items.length || 1;
  const start = Number(url.searchParams.get('NextToken') ?? 0) || 0;
  const slice = items.slice(start, start + max);
  return { slice, NextToken: start + max < items.length ? String(start + max) : undefined };
}

function outpostsApi(state, req) {
  const parts = req.url.pathname.split('/').filter(Boolean);
  if (req.method !== 'GET' || parts[0] !== 'outposts') {
    return json(501, { message: `the Outposts overlay does not implement ${req.method} ${req.url.pathname}` }, { 'x-amzn-errortype': 'NotImplemented' });
  }
  if (parts.length === 1) {
    const { slice, NextToken } = page(req.url, outpostsIn(state, req.region));
    return json(200, { Outposts: slice, NextToken });
  }
  const outpost = find(state, req.region, parts[1]);
  if (!outpost) return notFound(`Outpost ${decodeURIComponent(parts[1])}`);
  const sub = parts[2];
  if (!sub) return json(200, { Outpost: outpost });
  if (sub === 'instanceTypes') {
    const { slice, NextToken } = page(req.url, state.instanceTypes?.[outpost.OutpostId] ?? []);
    return json(200, { InstanceTypes: slice, NextToken, OutpostId: outpost.OutpostId, OutpostArn: outpost.OutpostArn });
  }
  if (sub === 'assets') {
    const { slice, NextToken } = page(req.url, state.assets?.[outpost.OutpostId] ?? []);
    return json(200, { Assets: slice, NextToken });
  }
  if (sub === 'assetInstances') {
    const { slice, NextToken } = page(req.url, state.assetInstances?.[outpost.OutpostId] ?? []);
    return json(200, { AssetInstances: slice, NextToken });
  }
  return json(501, { message: `the Outposts overlay does not implement GET ${req.url.pathname}` }, { 'x-amzn-errortype': 'NotImplemented' });
}

/** Adds <outpostArn> to the subnets of moto's DescribeSubnets XML that the state puts on an Outpost. */
async function describeSubnets(state, req, ctx) {
  const res = await ctx.forward(req);
  if (res.status !== 200 || !state.subnets || !Object.keys(state.subnets).length) return { ...res, headers: { ...res.headers } };
  let xml = res.body.toString('utf8');
  for (const [subnetId, arn] of Object.entries(state.subnets)) {
    xml = xml.replace(new RegExp(`(<subnetId>${subnetId}</subnetId>)`, 'g'), `$1<outpostArn>${arn}</outpostArn>`);
  }
  return { status: res.status, headers: { ...res.headers }, body: Buffer.from(xml) };
}

/** @param {object} state the Outposts the overlay serves (mutable: tests and the demo may change it). */
export function outpostsHandler(state) {
  // The demo shares one overlay state between handlers: ours lives under `state.outposts` there ({ outposts: […],
  // instanceTypes, … }); tests may pass our state directly (with `outposts` as the array).
  const own = () => (state.outposts && !Array.isArray(state.outposts) ? state.outposts : state);
  return {
    name: 'outposts',
    handle(req, ctx) {
      if (req.service === 'outposts') return outpostsApi(own(), req);
      if (req.service === 'ec2' && req.operation === 'DescribeSubnets') return describeSubnets(own(), req, ctx);
      return undefined;
    },
  };
}

/**
 * The seed article's Outpost, for tests and the demo: an m5 server split into 1 × m5.8xlarge, 3 × m5.2xlarge,
 * 8 × m5.xlarge and 4 × m5.large, and a c5 server of 12 × c5.2xlarge that other workloads fully use. Not
 * configured for m6.2xlarge or r5.2xlarge. `subnetIds` are placed on it.
 */
export function articleOutpostState({ region = 'us-west-2', accountId = '123456789012', subnetIds = [] } = {}) {
  const OutpostId = 'op-0000ffff0000fffff';
  const OutpostArn = `arn:aws:outposts:${region}:${accountId}:outpost/${OutpostId}`;
  const c5Running = Array.from({ length: 12 }, (_, i) => ({ InstanceId: `i-0c5busy${String(i).padStart(9, '0')}`, InstanceType: 'c5.2xlarge', AssetId: 'asset-c5-0001', AccountId: accountId, AwsServiceName: 'EC2' }));
  return {
    outposts: [{ OutpostId, OutpostArn, Name: 'factory-floor-rack-1', SiteId: 'os-0abcdef1234567890', AvailabilityZone: `${region}a`, AvailabilityZoneId: 'usw2-az1', LifeCycleStatus: 'ACTIVE', SupportedHardwareType: 'RACK', OwnerId: accountId }],
    instanceTypes: {
      [OutpostId]: [
        { InstanceType: 'm5.8xlarge', VCPUs: 32 }, { InstanceType: 'm5.2xlarge', VCPUs: 8 }, { InstanceType: 'm5.xlarge', VCPUs: 4 },
        { InstanceType: 'm5.large', VCPUs: 2 }, { InstanceType: 'c5.2xlarge', VCPUs: 8 },
      ],
    },
    assets: {
      [OutpostId]: [
        { AssetId: 'asset-m5-0001', RackId: 'NA1234', AssetType: 'COMPUTE', ComputeAttributes: { HostId: 'h-0m5', State: 'ACTIVE', InstanceFamilies: ['m5'], MaxVcpus: 96, InstanceTypeCapacities: [{ InstanceType: 'm5.8xlarge', Count: 1 }, { InstanceType: 'm5.2xlarge', Count: 3 }, { InstanceType: 'm5.xlarge', Count: 8 }, { InstanceType: 'm5.large', Count: 4 }] } },
        { AssetId: 'asset-c5-0001', RackId: 'NA1234', AssetType: 'COMPUTE', ComputeAttributes: { HostId: 'h-0c5', State: 'ACTIVE', InstanceFamilies: ['c5'], MaxVcpus: 96, InstanceTypeCapacities: [{ InstanceType: 'c5.2xlarge', Count: 12 }] } },
      ],
    },
    assetInstances: { [OutpostId]: c5Running },
    subnets: Object.fromEntries(subnetIds.map((s) => [s, OutpostArn])),
  };
}
