/**
 * Stand-in for `@atlaskit/feature-gate-js-client/feature-gates` (aliased by the build). Atlaskit components ask it
 * about gates and experiments; nothing ever initialises it inside a Forge iframe, so the real client answers
 * "not initialised → default" too. This stub gives the same answers without shipping the client (~110 KB raw).
 */
const FeatureGates = {
  initializeCompleted: (): boolean => false,
  checkGate: (_name: string): boolean => false,
  getExperimentValue: <T>(_experiment: string, _param: string, defaultValue: T): T => defaultValue,
  getExperiment: (_name: string) => ({ get: <T>(_key: string, defaultValue: T): T => defaultValue }),
};

export default FeatureGates;
