import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { PaiosConfig } from './config.schema.js';

/** Injection token for the validated configuration object. */
export const PAIOS_CONFIG = Symbol('PAIOS_CONFIG');

/** Makes the configuration, validated once by the CLI before Nest starts, injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PaiosConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: PAIOS_CONFIG, useValue: config }],
      exports: [PAIOS_CONFIG],
    };
  }
}
