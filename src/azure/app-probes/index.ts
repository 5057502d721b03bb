export type { ProbeOptions } from './probe-options.js';
export { probeHealth, type HealthProbe } from './probe-health.js';
export { kuduNameResolve, kuduTcpping, type NameResolveResult, type TcppingResult } from './kudu-command.js';
