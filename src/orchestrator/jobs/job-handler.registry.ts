import { Injectable, SetMetadata } from '@nestjs/common';
import { JobQueueError, type JobHandler, type JobName } from './job-queue.port.js';

export const ON_JOB = 'paios:on-job';

/** Marks a provider method as the handler of a job name; JobsModule finds it at boot. */
export const OnJob = (name: JobName): MethodDecorator => SetMetadata(ON_JOB, name);

/** Job name -> handler. Both drivers dispatch through it; a name has exactly one handler. */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new JobQueueError(`job "${name}" already has a handler`);
    this.handlers.set(name, handler);
  }

  get(name: string): JobHandler | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }

  /** Boot-time check: scheduling a job nobody handles is a programming error, not a runtime surprise. */
  assertHandled(name: string): void {
    if (!this.handlers.has(name)) throw new JobQueueError(`no handler is registered for job "${name}"`);
  }
}
