import { describeCrashLoop } from '../support/crash-loop.js';

describeCrashLoop('embedded');
