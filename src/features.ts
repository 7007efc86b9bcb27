/** The five features' VS Code layers, one import each. */
export { registerBatchHealth as batchRegister } from './batch/view/register';
export { registerDevHosts as devHostsRegister } from './devhosts/view/register';
export { registerFleets as fleetsRegister } from './fleets/view/register';
export { registerLayers as layersRegister } from './layers/view/register';
export { registerMskConsumers as mskRegister } from './msk/view/register';
