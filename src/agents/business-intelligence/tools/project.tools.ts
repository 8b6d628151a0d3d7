import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { DomainError } from '../../../common/errors.js';
import { formatMoney, MoneyError, parseAmount, toDecimalText } from '../../../sdk/money.js';
import { ensureMilestoneInvoiceWorkflow } from '../default-workflow.js';
import type { ProjectRepository } from '../project.repository.js';
import type { LedgerRepository } from '../../../orchestrator/ledger/ledger.repository.js';
import { BUSINESS_EXAMPLES } from './business.examples.js';

const answer = <T>(work: () => Promise<T>) => answering([DomainError, MoneyError], work);

export function projectTools(
  projects: ProjectRepository,
  ledger: LedgerRepository,
  dataSource: DataSource,
): ToolDefinition[] {
  return [
    defineTool({
      name: 'add_project',
      description: 'Start a project for a client',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      input: z.object({
        name: z.string().trim().min(1, 'a project needs a name'),
        client: z.string().trim().min(1, 'which client?'),
        budget: z.union([z.number(), z.string()]).optional(),
      }),
      examples: BUSINESS_EXAMPLES.add_project,
      extract: (text) => {
        const m = /\bproject\s+(?:called\s+|named\s+)?(.+?)\s+for\s+(.+?)(?=\s+with\b|\s+budget\b|,|$)/i.exec(text);
        const budget = /budget(?:\s+of)?\s+\D{0,2}([\d.,]+)/i.exec(text)?.[1];
        return { name: m?.[1], client: m?.[2], budget: budget?.replace(/,/g, '') };
      },
      handler: (p, ctx) =>
        answer(async () => {
          const client = await ledger.findClient(ctx.userId, p.client);
          if (!client)
            throw new ToolError(`I don't know a client called ${p.client}. Add it first: "add a client ${p.client}".`);
          const project = await projects.createProject(
            ctx.userId,
            client.id,
            p.name,
            p.budget !== undefined ? parseAmount(p.budget, client.currency) : null,
          );
          await ensureMilestoneInvoiceWorkflow(dataSource, ctx.userId);
          return {
            text: `Started ${project.name} for ${client.name}.`,
            data: { id: project.id, name: project.name, client: client.name },
          };
        }),
    }),
    defineTool({
      name: 'add_milestone',
      description: 'Add a milestone to a project, billable on completion',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      input: z.object({
        project: z.string().trim().min(1, 'which project?'),
        name: z.string().trim().min(1, 'a milestone needs a name'),
        amount: z.union([z.number(), z.string()]),
        dueDate: z.iso.date().optional(),
      }),
      examples: BUSINESS_EXAMPLES.add_milestone,
      extract: (text, entities) => {
        const m = /\bmilestone\s+(.+?)\s+(?:to|for|on)\s+(.+?)(?=\s+(?:at|worth|for)\s+\D{0,2}\d|$)/i.exec(text);
        const money = entities.find((e) => e.type === 'money' || e.type === 'number');
        const date = entities.find((e) => e.type === 'date');
        return {
          name: m?.[1],
          project: m?.[2],
          amount: money && 'value' in money ? money.value : undefined,
          dueDate: date?.type === 'date' ? date.date : undefined,
        };
      },
      handler: (p, ctx) =>
        answer(async () => {
          const project = await projects.findProject(ctx.userId, p.project);
          if (!project) throw new ToolError(`There is no project ${p.project}.`);
          const ms = await projects.addMilestone(
            project,
            p.name,
            parseAmount(p.amount, project.currency),
            p.dueDate ?? null,
          );
          return {
            text: `${project.name}: milestone ${ms.name}, ${formatMoney(ms.amount, project.currency)} on completion.`,
            data: {
              id: ms.id,
              project: project.name,
              name: ms.name,
              amount: toDecimalText(ms.amount, project.currency),
              currency: project.currency,
            },
          };
        }),
    }),
    defineTool({
      name: 'mark_milestone_complete',
      description: 'Mark a project milestone complete (and bill it)',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      input: z.object({ milestone: z.string().trim().min(1, 'which milestone?'), project: z.string().optional() }),
      examples: BUSINESS_EXAMPLES.mark_milestone_complete,
      extract: (text) => {
        const m =
          /\bmilestone\s+(.+?)(?:\s+(?:of|on|for)\s+(.+?))?\s+(?:is\s+)?(?:complete|completed|done|finished)\b/i.exec(
            text,
          ) ??
          /\b(?:complete|finish)\s+milestone\s+(.+?)(?:\s+(?:of|on|for)\s+(.+))?$/i.exec(text) ??
          /\bfinished the\s+(.+?)\s+milestone/i.exec(text);
        return { milestone: m?.[1], project: m?.[2] };
      },
      handler: (p, ctx) =>
        answer(async () => {
          const ms = await projects.findMilestone(ctx.userId, p.milestone, p.project);
          if (!ms)
            throw new ToolError(
              `I can't find one milestone called ${p.milestone}${p.project ? ` in ${p.project}` : ''}.`,
            );
          // The workflow exists before the event does, so the event's relay always finds it.
          await ensureMilestoneInvoiceWorkflow(dataSource, ctx.userId);
          const amount = toDecimalText(ms.amount, ms.project.currency);
          // The completion and its event commit together: a crash cannot keep one without the other.
          const completed = await ctx.transaction(async (tx) => {
            if (!(await projects.complete(ms.id, tx.manager))) return false;
            await tx.emit('milestone.completed', {
              milestoneId: ms.id,
              projectId: ms.project.id,
              project: ms.project.name,
              clientId: ms.project.clientId,
              client: ms.project.clientName,
              amount,
              currency: ms.project.currency,
              description: `${ms.project.name}: ${ms.name}`,
            });
            return true;
          });
          if (!completed) throw new ToolError(`${ms.name} of ${ms.project.name} was already complete.`);
          return {
            text: `${ms.name} of ${ms.project.name} is complete: ${formatMoney(ms.amount, ms.project.currency)} to bill ${ms.project.clientName}.`,
            data: {
              milestoneId: ms.id,
              project: ms.project.name,
              client: ms.project.clientName,
              amount,
              currency: ms.project.currency,
            },
          };
        }),
    }),
  ];
}
