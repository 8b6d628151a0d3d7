/**
 * Rows of a raw `UPDATE/DELETE ... RETURNING` through TypeORM's postgres driver, which answers
 * `[rows, affectedCount]` for those statements and plain rows for SELECT.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
