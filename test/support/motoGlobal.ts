/**
 * Mocha global fixture for integration tests: one moto_server for the whole run (started on a free loopback
 * port, stopped afterwards), unless the orchestrator already started one and passed OPSDECK_TEST_ENDPOINT.
 */
let stop: (() => Promise<void>) | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.OPSDECK_TEST_ENDPOINT) return;
  const { startMoto } = await import('../../scripts/lib/moto.mjs');
  const moto = await startMoto();
  process.env.OPSDECK_TEST_ENDPOINT = moto.endpoint;
  stop = moto.stop;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stop?.();
}
