export * from './enums.js';
export * from './handoff-request.js';
export * from './handoff-view.js';
export * from './desktop-api.js';
export * from './error-body.js';
export * from './outcome.js';
