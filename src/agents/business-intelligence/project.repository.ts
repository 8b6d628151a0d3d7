import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Calendar } from '../../common/clock.js';
import { DomainError, ErrorCode, isUniqueViolation } from '../../common/errors.js';
import { returnedRows } from '../../database/query-result.js';

export interface Project {
  id: string;
  name: string;
  clientId: string;
  clientName: string;
  currency: string;
  budget: bigint | null;
}

export interface Milestone {
  id: string;
  name: string;
  amount: bigint;
  dueDate: string | null;
  completedAt: string | null;
  project: Project;
}

type Row = Record<string, unknown>;

const toProject = (r: Row): Project => ({
  id: r.id as string,
  name: r.name as string,
  clientId: r.client_id as string,
  clientName: r.client_name as string,
  currency: (r.currency as string).trim(),
  budget: r.budget_minor === null ? null : BigInt(r.budget_minor as string),
});

const PROJECT_SELECT = `SELECT p.*, c.name AS client_name, c.currency FROM projects p JOIN clients c ON c.id = p.client_id`;

/** Projects and milestones of agent #1, per user; each project bills one client in its currency. */
@Injectable()
export class ProjectRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendar: Calendar,
  ) {}

  async createProject(userId: string, clientId: string, name: string, budget: bigint | null): Promise<Project> {
    try {
      const [row] = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO projects (user_id, client_id, name, budget_minor) VALUES ($1, $2, $3, $4) RETURNING id`,
        [userId, clientId, name.trim(), budget?.toString() ?? null],
      );
      return (await this.findProject(userId, row!.id))!;
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError(ErrorCode.Conflict, `you already have a project named ${name.trim()}`);
      throw err;
    }
  }

  /** The names of the person's projects (what they may say aloud). */
  async projectNames(userId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ name: string }[]>(
      `SELECT name FROM projects WHERE user_id = $1 ORDER BY created_at DESC LIMIT 500`,
      [userId],
    );
    return rows.map((r) => r.name);
  }

  async findProject(userId: string, idOrName: string): Promise<Project | null> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName);
    const [row] = await this.dataSource.query<Row[]>(
      `${PROJECT_SELECT} WHERE p.user_id = $1 AND ${byId ? 'p.id = $2' : 'lower(p.name) = lower($2)'}`,
      [userId, idOrName.trim()],
    );
    return row ? toProject(row) : null;
  }

  async addMilestone(project: Project, name: string, amount: bigint, dueDate: string | null): Promise<Milestone> {
    try {
      const [row] = await this.dataSource.query<Row[]>(
        `INSERT INTO milestones (project_id, name, amount_minor, due_date) VALUES ($1, $2, $3, $4) RETURNING *`,
        [project.id, name.trim(), amount.toString(), dueDate],
      );
      return this.toMilestone(row!, project);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError(ErrorCode.Conflict, `${project.name} already has a milestone ${name.trim()}`);
      throw err;
    }
  }

  /** A milestone by name, in the named project or, when unique, in any project. */
  async findMilestone(userId: string, name: string, projectName?: string): Promise<Milestone | null> {
    const params: unknown[] = [userId, name.trim()];
    const rows = await this.dataSource.query<Row[]>(
      `SELECT m.*, m.project_id AS pid FROM milestones m JOIN projects p ON p.id = m.project_id
        WHERE p.user_id = $1 AND lower(m.name) = lower($2) ${projectName ? `AND lower(p.name) = lower($${params.push(projectName.trim())})` : ''}
        LIMIT 2`,
      params,
    );
    if (rows.length !== 1) return null;
    const project = (await this.findProject(userId, rows[0]!.pid as string))!;
    return this.toMilestone(rows[0]!, project);
  }

  /** Open milestones due within `days` days (or already late), soonest first. */
  async milestonesDue(
    userId: string,
    days: number,
  ): Promise<{ name: string; project: string; client: string; dueDate: string }[]> {
    return this.dataSource.query(
      `SELECT m.name, p.name AS project, c.name AS client, m.due_date::text AS "dueDate"
         FROM milestones m JOIN projects p ON p.id = m.project_id JOIN clients c ON c.id = p.client_id
        WHERE p.user_id = $1 AND m.completed_at IS NULL AND m.due_date IS NOT NULL
          AND m.due_date < $3::date + $2::int
        ORDER BY m.due_date, m.name LIMIT 20`,
      [userId, days, this.calendar.today()],
    );
  }

  /**
   * Marks it complete once; returns false when it already was (so nothing is billed twice). Pass the
   * tool's transaction so that the completion and its `milestone.completed` event commit together.
   */
  async complete(milestoneId: string, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await em.query(`UPDATE milestones SET completed_at = NOW() WHERE id = $1 AND completed_at IS NULL RETURNING id`, [
        milestoneId,
      ]),
    );
    return rows.length === 1;
  }

  private toMilestone(r: Row, project: Project): Milestone {
    return {
      id: r.id as string,
      name: r.name as string,
      amount: BigInt(r.amount_minor as string),
      dueDate: typeof r.due_date === 'string' ? r.due_date.slice(0, 10) : null,
      completedAt: r.completed_at ? new Date(r.completed_at as string).toISOString() : null,
      project,
    };
  }
}
