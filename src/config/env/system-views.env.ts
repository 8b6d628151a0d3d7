import { z } from 'zod';
import { positiveInt } from './env.fields.js';

/**
 * Live views of the system: the performance feed over Socket.io, and the browser that draws Mermaid
 * diagrams (agent #31) with its limits.
 */
export const systemViewsEnv = {
  PERFORMANCE_UPDATE_MS: positiveInt('milliseconds')
    .default(5_000)
    .describe('How often Socket.io clients get `system:performance_update`.'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium').describe('Browser that draws diagrams.'),
  DIAGRAM_TIMEOUT_MS: positiveInt('milliseconds').default(20_000).describe('Time allowed for one drawing.'),
  DIAGRAM_PAGES: positiveInt('a number of pages').default(2).describe('Browser pages kept open for drawing.'),
};
