export * from './suite.ts';
