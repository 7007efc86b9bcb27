import * as assert from 'assert';
import { DescribeHostsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startOverlay, type Overlay } from '../../../scripts/lib/overlay.mjs';
import { motoEndpoint, motoFactory } from '../../support/aws';

/**
 * A misbehaving endpoint (here: the overlay standing in front of moto) that answers every DescribeHosts page
 * with the token it was sent. The real SDK client, through the factory's middleware, must stop the loop.
 */
describe('endless pagination guard (real SDK over HTTP)', () => {
  let overlay: Overlay;
  let pages = 0;
  before(async () => {
    overlay = await startOverlay({
      upstream: motoEndpoint(),
      hooks: [(req) => {
        if (req.operation !== 'DescribeHosts') return undefined;
        pages++;
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeHostsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-${pages}</requestId><hostSet/><nextToken>again</nextToken></DescribeHostsResponse>`;
        return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
      }],
    });
  });
  after(async () => overlay?.stop());

  it('stops a listing whose endpoint repeats the page token, after two pages', async () => {
    const { factory } = motoFactory(['us-east-1'], overlay.endpoint);
    const ec2 = factory.client(EC2Client, 'us-east-1');
    let token: string | undefined;
    let calls = 0;
    await assert.rejects(
      (async () => {
        do {
          calls++;
          token = (await ec2.send(new DescribeHostsCommand({ NextToken: token }))).NextToken;
        } while (token && calls < 50);
      })(),
      (e: Error) => e.name === 'EndlessPaginationError',
    );
    assert.strictEqual(calls, 2);
    assert.strictEqual(pages, 2);
  });
});
