import * as assert from 'assert';
import { certificatePemsFromSecret, certificateText, checkCertificateSecret } from '../../../src/msk/core/certificate';
import { requireTool } from '../../support/tools';
import { clientCertificateSecret } from '../../../scripts/demo/seed-msk.mjs';

describe('msk mTLS certificate check (only the certificate is parsed)', function () {
  this.timeout(20_000);
  let in20: string;
  let in300: string;
  before(function () {
    requireTool(this, 'openssl', ['openssl']);
    in20 = clientCertificateSecret(20, 'soon.example');
    in300 = clientCertificateSecret(300, 'later.example');
  });
  const now = () => Date.now();

  it('20 days left → expiring soon, with subject and date', () => {
    const c = checkCertificateSecret('arn:s', in20, now());
    assert.ok(c.daysLeft === 19 || c.daysLeft === 20, String(c.daysLeft));
    assert.strictEqual(c.expiringSoon, true);
    assert.match(c.subject ?? '', /CN=soon\.example/);
    assert.match(certificateText(c), /renew soon/);
  });
  it('the seed article’s 300-day certificate is fine', () => {
    const c = checkCertificateSecret('arn:s', in300, now());
    assert.strictEqual(c.expiringSoon, false);
  });
  it('expired certificates say so', () => {
    const c = checkCertificateSecret('arn:s', in20, now() + 40 * 86_400_000);
    assert.ok((c.daysLeft ?? 0) < 0);
    assert.match(certificateText(c), /EXPIRED/);
  });
  it('the earliest expiry of a chain counts', () => {
    const chain = JSON.stringify({ certificate: `${JSON.parse(in300).certificate}\n${JSON.parse(in20).certificate}`, privateKey: JSON.parse(in20).privateKey });
    const c = checkCertificateSecret('arn:s', chain, now());
    assert.match(c.subject ?? '', /soon\.example/);
  });
  it('nothing of the private key reaches the result, even when parsing fails', () => {
    const key = JSON.parse(in20).privateKey as string;
    const results = [
      checkCertificateSecret('arn:s', in20, now()),
      checkCertificateSecret('arn:s', `not json ${key}`, now()),
      checkCertificateSecret('arn:s', JSON.stringify({ privateKey: key }), now()),
      checkCertificateSecret('arn:s', JSON.stringify({ certificate: `-----BEGIN CERTIFICATE-----\n${key.slice(40, 200)}\n-----END CERTIFICATE-----`, privateKey: key }), now()),
    ];
    for (const r of results) {
      const text = JSON.stringify(r);
      assert.doesNotMatch(text, /PRIVATE KEY/);
      assert.ok(!text.includes(key.slice(40, 80)), 'no key material');
    }
    assert.deepStrictEqual(results.slice(1).map((r) => r.error), [
      'the secret is not the JSON Lambda expects ({"certificate": …, "privateKey": …})',
      'the secret has no "certificate" field',
      'the certificate could not be parsed',
    ]);
  });
  it('extracts PEM blocks only from the certificate field', () => {
    assert.strictEqual(certificatePemsFromSecret(in20).length, 1);
    assert.throws(() => certificatePemsFromSecret(undefined), /no SecretString/);
    assert.throws(() => certificatePemsFromSecret(JSON.stringify({ certificate: 'x' })), /no PEM/);
  });
});
