import { z } from 'zod';

/** Voice notes: speech-to-text in, spoken replies out. */
export const voiceEnv = {
  STT_PROVIDER: z
    .enum(['openai', 'none'], { message: 'expected openai or none' })
    .optional()
    .describe('Speech-to-text for voice notes: any OpenAI-compatible server, or none.'),
  STT_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' })
    .optional()
    .describe('Speech-to-text server, such as a local Whisper server.'),
  STT_API_KEY: z.string().min(1).optional().describe('Key of the speech-to-text server.'),
  STT_MODEL: z.string().min(1).default('whisper-1').describe('Speech-to-text model.'),
  TTS_PROVIDER: z
    .enum(['openai', 'espeak', 'none'], { message: 'expected openai, espeak or none' })
    .optional()
    .describe('Spoken replies to voice notes: OpenAI (compatible servers too), local espeak-ng, or none.'),
  TTS_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' })
    .optional()
    .describe('Text-to-speech server.'),
  TTS_API_KEY: z.string().min(1).optional().describe('Key of the text-to-speech server.'),
  TTS_MODEL: z.string().min(1).default('tts-1').describe('Text-to-speech model.'),
  TTS_VOICE: z
    .string()
    .min(1)
    .default('alloy')
    .describe('Voice of spoken replies for people who chose none (`/api/voice/settings`).'),
};

/** Local programs voice uses (they come last in the schema, where they were added). */
export const audioToolsEnv = {
  FFMPEG_PATH: z.string().min(1).default('ffmpeg').describe('ffmpeg, for audio conversion.'),
  ESPEAK_PATH: z.string().min(1).default('espeak-ng').describe('espeak-ng, for local speech.'),
};
