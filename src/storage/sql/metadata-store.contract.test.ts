import { openTestStore, TEST_ENGINE } from '../../../test/helpers/database.js';
import { metadataStoreContract } from './metadata-store.contract.js';

// The SQL store on this run's engine: `npm test` runs the suite once with FLY_TEST_DB=sqlite and once with postgres.
metadataStoreContract(TEST_ENGINE, openTestStore);
