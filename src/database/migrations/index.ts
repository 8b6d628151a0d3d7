import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Listed explicitly (not globbed) so that the same list works from src/ under Jest and from dist/. */
export const MIGRATIONS = [InitialSchema1764000000000];
