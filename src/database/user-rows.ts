import type { DeepPartial, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

/**
 * Rows that belong to one user and have a uuid id (agents, workflows): what their repositories do
 * alike when a row is created or changed, reading it back as the database stored it (defaults,
 * timestamps).
 */
interface UserRow extends ObjectLiteral {
  id: string;
  userId: string | null;
}

/** Inserts a row and returns it as stored. */
export async function insertUserRow<T extends UserRow>(repo: Repository<T>, values: DeepPartial<T>): Promise<T> {
  const saved = await repo.save(repo.create(values));
  return repo.findOneByOrFail({ id: saved.id } as FindOptionsWhere<T>);
}

/** Applies `fields` to the user's row `id` and returns it as stored; null when the user has no such row. */
export async function updateUserRow<T extends UserRow>(
  repo: Repository<T>,
  userId: string,
  id: string,
  fields: Partial<T>,
): Promise<T | null> {
  const row = await repo.findOneBy({ userId, id } as FindOptionsWhere<T>);
  if (!row) return null;
  Object.assign(row, fields);
  await repo.save(row);
  return repo.findOneByOrFail({ id } as FindOptionsWhere<T>);
}
