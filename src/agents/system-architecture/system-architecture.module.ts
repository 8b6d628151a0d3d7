import { Module } from '@nestjs/common';
import { ArchitectureService } from './architecture.service.js';
import { SystemArchitectureAgent } from './system-architecture.agent.js';

/** Agent #31 and the architecture model and renderer, which the REST API serves as well. */
@Module({ providers: [ArchitectureService, SystemArchitectureAgent], exports: [ArchitectureService] })
export class SystemArchitectureModule {}
