import * as assert from 'assert';
import { toActionableError } from '../../../src/aws/errors';
import { EndlessPaginationError, PageTokens } from '../../../src/aws/paginationGuard';

describe('aws/paginationGuard PageTokens (one memory per listing)', () => {
  const cases: Array<[string, Array<string | undefined | null>, string]> = [
    ['no token: the listing is complete', [undefined], 'done'],
    ['an empty token ends the listing (CloudWatch sends "")', [''], 'done'],
    ['null ends the listing', [null], 'done'],
    ['advancing tokens page on', ['a', 'b', 'c', undefined], 'done'],
    ['the same token twice in a row stops', ['a', 'a'], 'throws'],
    ['a cycle A → B → A stops', ['a', 'b', 'a'], 'throws'],
  ];
  for (const [name, tokens, expected] of cases) {
    it(name, () => {
      const t = new PageTokens();
      const run = (): void => {
        for (const token of tokens) t.next('ListThings', token);
      };
      if (expected === 'throws') assert.throws(run, (e: unknown) => e instanceof EndlessPaginationError && /ListThings/.test((e as Error).message));
      else assert.doesNotThrow(run);
    });
  }

  it('returns the token to send next, undefined at the end', () => {
    const t = new PageTokens();
    assert.strictEqual(t.next('Op', 'x'), 'x');
    assert.strictEqual(t.next('Op', ''), undefined);
  });

  it('each listing has its own memory: a new PageTokens accepts a token another listing saw', () => {
    new PageTokens().next('Op', 'x');
    assert.strictEqual(new PageTokens().next('Op', 'x'), 'x');
  });

  it('toActionableError keeps the message in words, with the Region and a retry remedy', () => {
    const t = new PageTokens();
    t.next('DescribeHosts', 'a');
    let thrown: unknown;
    try {
      t.next('DescribeHosts', 'a');
    } catch (err) {
      thrown = err;
    }
    const e = toActionableError(thrown, { region: 'eu-west-1' });
    assert.strictEqual(e.code, 'EndlessPaginationError');
    assert.match(e.message, /DescribeHosts returned a page token it had already returned.*\(eu-west-1\)/);
    assert.deepStrictEqual(e.remedy, { kind: 'retry' });
  });
});
