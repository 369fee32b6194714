/** AWS IAM evaluation engine: pure functions over policy documents and account models. */
export * from './account.js';
export * from './catalog.js';
export * from './conditions.js';
export * from './effective.js';
export * from './evaluate.js';
export * from './glob.js';
export * from './pattern-reach.js';
export * from './policy.js';
export * from './principal-eval.js';
export * from './privesc.js';
export * from './privesc-methods.js';
export * from './resource-policy.js';
export * from './sensitivity.js';
export * from './trust.js';
