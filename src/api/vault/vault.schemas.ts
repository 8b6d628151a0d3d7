import { z } from 'zod';

export const serviceName = z
  .string({ message: 'expected a service name' })
  .trim()
  .min(1, 'service_name must not be empty')
  .max(255, 'service_name is at most 255 characters');
const secretData = z
  .record(z.string(), z.unknown(), { message: 'expected data as a JSON object (the secret fields)' })
  .refine((v) => Object.keys(v).length > 0, 'data must hold at least one field');
const metadata = z.record(z.string(), z.unknown(), { message: 'expected metadata as a JSON object' });

/** The seed's POST /api/credentials body. */
export const createCredentialSchema = z
  .object({ service_name: serviceName, data: secretData, metadata: metadata.optional() })
  .strict();

export const updateCredentialSchema = z
  .object({ data: secretData.optional(), metadata: metadata.optional() })
  .strict()
  .refine((v) => v.data !== undefined || v.metadata !== undefined, 'give data, metadata or both');

const password = (what: string) =>
  z.string({ message: `expected ${what}` }).max(1024, 'a master password is at most 1024 characters');

export const unlockSchema = z.object({ password: password('the master password').min(1) }).strict();

export const changeMasterSchema = z
  .object({
    old_password: password('the current master password').min(1),
    new_password: password('the new master password').min(12, 'a master password needs at least 12 characters'),
  })
  .strict();

export const grantSchema = z
  .object({
    agent: z.number({ message: 'expected an agent number' }).int().min(1).max(999, 'agent numbers go up to 999'),
    service_name: serviceName,
  })
  .strict();

/** An agent number in a path: digits only, 1 to 999. */
export const agentNumberParam = z
  .string()
  .regex(/^\d{1,3}$/, 'expected an agent number from 1 to 999')
  .transform(Number)
  .pipe(z.number().min(1, 'expected an agent number from 1 to 999'));

export const auditQuerySchema = z.object({
  limit: z.coerce.number({ message: 'expected a number' }).int().min(1).max(500).default(50),
});

export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;
export type UnlockInput = z.infer<typeof unlockSchema>;
export type ChangeMasterInput = z.infer<typeof changeMasterSchema>;
export type GrantInput = z.infer<typeof grantSchema>;

export const credentialViewSchema = z.object({
  id: z.uuid(),
  serviceName: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const vaultStatusSchema = z.object({
  created: z.boolean(),
  unlocked: z.boolean(),
  serverKey: z.boolean(),
  credentials: z.number().int(),
  autoLockSeconds: z.number().int(),
});
