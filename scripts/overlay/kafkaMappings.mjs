// Overlay handler: Lambda event source mappings for Kafka (Amazon MSK and self-managed), which moto cannot create.
// It is overlay data, not moto's: every answer it produces carries `x-opsdeck-overlay: kafkaMappings`.
//
//   CreateEventSourceMapping  POST   /2015-03-31/event-source-mappings/           Kafka sources only (else → moto);
//                                    the function must exist in moto (checked with GetFunction through moto)
//   ListEventSourceMappings   GET    /2015-03-31/event-source-mappings/?FunctionName&EventSourceArn&Marker&MaxItems
//                                    moto's own mappings (SQS, Kinesis, DynamoDB) merged with ours, ≤100 per page
//   Get/Update/Delete         GET|PUT|DELETE /2015-03-31/event-source-mappings/{UUID}   ours only (else → moto)
//
// State lives in `state.kafkaMappings` (Region → Map<UUID, mapping>) so seeds and tests can also set what the API
// cannot (State, LastProcessingResult, StateTransitionReason): use `putKafkaMapping` / `patchKafkaMapping`.
import { randomUUID } from 'node:crypto';
import { json } from '../lib/overlay.mjs';

const BASE = '/2015-03-31/event-source-mappings/';
const PAGE_MAX = 100;

function regionMap(state, region) {
  state.kafkaMappings ??= {};
  return (state.kafkaMappings[region] ??= new Map());
}

export const isKafkaSource = (body) =>
  /^arn:aws[a-z-]*:kafka:/.test(body?.EventSourceArn ?? '') || Boolean(body?.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS?.length);

const functionNameOf = (nameOrArn) => {
  const s = String(nameOrArn ?? '');
  const m = /(?:^|:)function:([^:]+)/.exec(s);
  return m ? m[1] : s.split(':')[0];
};

/** Stores a complete mapping record (as Lambda returns it) for a Region; returns it. */
export function putKafkaMapping(state, region, mapping) {
  const uuid = mapping.UUID ?? randomUUID();
  const record = { UUID: uuid, State: 'Enabled', StateTransitionReason: 'USER_INITIATED', LastProcessingResult: 'OK', LastModified: Date.now() / 1000, ...mapping };
  regionMap(state, region).set(uuid, record);
  return record;
}

/** Changes fields of a stored mapping (e.g. LastProcessingResult) anywhere; returns it or undefined. */
export function patchKafkaMapping(state, uuid, patch) {
  for (const map of Object.values(state.kafkaMappings ?? {})) {
    const m = map.get(uuid);
    if (m) return Object.assign(m, patch, { LastModified: Date.now() / 1000 });
  }
  return undefined;
}

const lambdaError = (status, type, message) => json(status, { Type: 'User', message }, { 'x-amzn-errortype': type });

function matches(m, query) {
  const fn = query.get('FunctionName');
  const source = query.get('EventSourceArn');
  if (fn && functionNameOf(m.FunctionArn) !== functionNameOf(fn)) return false;
  if (source && m.EventSourceArn !== source) return false;
  return true;
}

/** Forwards a GET to moto with the caller's signed headers (moto does not verify signatures). */
function forwardGet(req, ctx, path, search = '') {
  const headers = { ...req.headers };
  delete headers['content-length'];
  delete headers['content-type'];
  return ctx.forward({ ...req, method: 'GET', url: new URL(path + search, req.url), headers, body: Buffer.alloc(0) });
}

export function kafkaMappingsHandler(state) {
  state.kafkaMappings ??= {};
  return {
    name: 'kafkaMappings',
    async handle(req, ctx) {
      if (req.service !== 'lambda' || !req.url.pathname.startsWith(BASE.slice(0, -1))) return undefined;
      const region = req.region ?? 'us-east-1';
      const rest = decodeURIComponent(req.url.pathname.slice(BASE.length).replace(/\/$/, ''));
      const ours = regionMap(state, region);

      if (!rest && req.method === 'POST') {
        const body = JSON.parse(req.body.toString() || '{}');
        if (!isKafkaSource(body)) return undefined; // SQS, Kinesis, DynamoDB: moto's own
        const fn = await forwardGet(req, ctx, `/2015-03-31/functions/${encodeURIComponent(functionNameOf(body.FunctionName))}`);
        if (fn.status !== 200) return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${body.FunctionName}`);
        const functionArn = JSON.parse(fn.body.toString()).Configuration?.FunctionArn;
        const { Enabled, FunctionName, ...config } = body;
        const record = putKafkaMapping(state, region, {
          ...config,
          UUID: randomUUID(),
          FunctionArn: functionArn,
          BatchSize: config.BatchSize ?? 100,
          State: Enabled === false ? 'Disabled' : 'Enabled',
          LastProcessingResult: 'No records processed',
        });
        record.EventSourceMappingArn = `arn:aws:lambda:${region}:${functionArn.split(':')[4]}:event-source-mapping:${record.UUID}`;
        ctx.log(`overlay: created Kafka mapping ${record.UUID} for ${FunctionName}`);
        return json(202, record);
      }

      if (!rest && req.method === 'GET') {
        const query = req.url.searchParams;
        const mine = [...ours.values()].filter((m) => matches(m, query));
        const filters = new URLSearchParams();
        for (const k of ['FunctionName', 'EventSourceArn']) if (query.get(k)) filters.set(k, query.get(k));
        const upstream = await forwardGet(req, ctx, BASE, filters.size ? `?${filters}` : '');
        if (upstream.status !== 200 && mine.length === 0) return upstream;
        const theirs = upstream.status === 200 ? JSON.parse(upstream.body.toString()).EventSourceMappings ?? [] : [];
        const all = [...theirs, ...mine];
        const start = query.get('Marker') ? Number(Buffer.from(query.get('Marker'), 'base64url').toString()) : 0;
        if (!Number.isInteger(start) || start < 0 || start > all.length) return lambdaError(400, 'InvalidParameterValueException', 'Invalid Marker');
        const max = Math.min(PAGE_MAX, Math.max(1, Number(query.get('MaxItems') ?? PAGE_MAX) || PAGE_MAX));
        const page = all.slice(start, start + max);
        const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
        return json(200, { EventSourceMappings: page, ...(next ? { NextMarker: next } : {}) });
      }

      const record = ours.get(rest);
      if (!record) return undefined; // not ours: moto answers (or 404s)
      if (req.method === 'GET') return json(200, record);
      if (req.method === 'DELETE') {
        ours.delete(rest);
        return json(202, { ...record, State: 'Deleting' });
      }
      if (req.method === 'PUT') {
        const { Enabled, FunctionName: _ignored, ...patch } = JSON.parse(req.body.toString() || '{}');
        Object.assign(record, patch, Enabled === undefined ? {} : { State: Enabled ? 'Enabled' : 'Disabled', StateTransitionReason: 'USER_INITIATED' }, { LastModified: Date.now() / 1000 });
        return json(202, record);
      }
      return undefined;
    },
  };
}
