import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Calendar, Clock, SystemClock } from '../common/clock.js';
import type { PaiosConfig } from './config.schema.js';

/** Injection token for the validated configuration object. */
export const PAIOS_CONFIG = Symbol('PAIOS_CONFIG');

/** Makes the configuration, validated once by the CLI before Nest starts, and the clock injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  /** `clock` is the wall clock unless a test stands somewhere else in time. */
  static forRoot(config: PaiosConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: PAIOS_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: Calendar, useValue: new Calendar(clock, config.timezone) },
      ],
      exports: [PAIOS_CONFIG, Clock, Calendar],
    };
  }
}
