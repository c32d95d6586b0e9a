/**
 * The OpenAPI response validator now lives with the emulator (`sandbox/jira/openapi.ts`) so the emulator can check
 * its own responses; this re-export keeps the tests' imports working.
 */
export { findOperation, validateResponse, type ResponseToValidate, type ValidationResult } from '../../sandbox/jira/openapi';
