/**
 * The shapes of the API answers Fly Web reads. Their one definition is the server's src/api/answers.ts
 * (types only, no imports), which the API layer is type-checked against; pages import them from here.
 */
export type * from '../../../src/api/answers';
