import { Module } from '@nestjs/common';
import { ResearchAgent } from './research.agent.js';

/** Agent #18. The OutboundClient comes from the orchestrator, VaultService from the global VaultModule. */
@Module({ providers: [ResearchAgent] })
export class ResearchModule {}
