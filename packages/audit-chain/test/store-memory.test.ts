import { createMemoryStore } from '../src/index.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('memory', { callerTransactions: false, databaseEnforcedAppendOnly: false }, async () => ({ store: createMemoryStore() }));
