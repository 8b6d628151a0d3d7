import type { DataSource } from 'typeorm';

/**
 * The seed's workflow, set up once per user: `milestone.completed` on #1 creates a draft invoice
 * on #15 for the milestone's client and amount. A user may pause or change it like any workflow.
 */
export async function ensureMilestoneInvoiceWorkflow(dataSource: DataSource, userId: string): Promise<void> {
  await dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`paios:default-workflow:${userId}`]);
    for (const [number, name, description] of [
      [1, 'business-intelligence', 'Projects, milestones, revenue and digests'],
      [15, 'invoicing', 'Clients and invoices'],
    ] as const) {
      await em.query(
        `INSERT INTO agents (user_id, agent_number, name, description, config, is_active) VALUES ($1, $2, $3, $4, '{}', true)
         ON CONFLICT (user_id, agent_number) DO NOTHING`,
        [userId, number, name, description],
      );
    }
    await em.query(
      `INSERT INTO agent_workflows (user_id, source_agent_id, target_agent_id, trigger_conditions, actions, is_active)
       SELECT $1, src.id, dst.id, $2::jsonb, $3::jsonb, true
         FROM agents src, agents dst
        WHERE src.user_id = $1 AND src.agent_number = 1 AND dst.user_id = $1 AND dst.agent_number = 15
          AND NOT EXISTS (SELECT 1 FROM agent_workflows w WHERE w.user_id = $1 AND w.source_agent_id = src.id
                            AND w.trigger_conditions->>'event' = 'milestone.completed')`,
      [
        userId,
        JSON.stringify({ event: 'milestone.completed' }),
        JSON.stringify({
          tool: 'create_invoice',
          parameters: {
            client: '{{payload.client}}',
            quantity: 1,
            rate: '{{payload.amount}}',
            description: '{{payload.description}}',
          },
        }),
      ],
    );
  });
}
