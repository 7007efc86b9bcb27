import * as assert from 'assert';
import { assertPageTokenAdvanced, EndlessPaginationError } from '../../../src/aws/paginationGuard';

describe('assertPageTokenAdvanced', () => {
  const cases: Array<[string, object, object, boolean]> = [
    ['EC2 token repeated', { NextToken: 'a' }, { NextToken: 'a' }, true],
    ['Batch token repeated', { nextToken: 'a' }, { nextToken: 'a' }, true],
    ['Lambda marker repeated', { Marker: 'm' }, { NextMarker: 'm' }, true],
    ['token advanced', { NextToken: 'a' }, { NextToken: 'b' }, false],
    ['last page', { NextToken: 'a' }, {}, false],
    ['first page', {}, { NextToken: 'a' }, false],
    ['empty tokens are not pages', { NextToken: '' }, { NextToken: '' }, false],
  ];
  for (const [title, input, output, throws] of cases) {
    it(title, () => {
      const run = (): void => assertPageTokenAdvanced('DescribeHosts', input, output);
      if (throws) assert.throws(run, (e: Error) => e instanceof EndlessPaginationError && /DescribeHosts returned the same page token/.test(e.message));
      else assert.doesNotThrow(run);
    });
  }
});
