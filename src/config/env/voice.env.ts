import { z } from 'zod';

/** Voice notes: speech-to-text in, spoken replies out. */
export const voiceEnv = {
  STT_PROVIDER: z
    .enum(['openai', 'local', 'none'], { message: 'expected openai, local or none' })
    .optional()
    .describe(
      'Speech-to-text for voice notes: any OpenAI-compatible server, local pocketsphinx (no network; the default when no server or key is set), or none.',
    ),
  STT_CONFIDENCE: z.coerce
    .number({ message: 'expected a number from 0 to 1' })
    .min(0, 'expected a number from 0 to 1')
    .max(1, 'expected a number from 0 to 1')
    .default(0.5)
    .describe('Local speech-to-text: below this confidence paios asks "did you mean ...?" before acting.'),
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
  POCKETSPHINX_PATH: z
    .string()
    .min(1)
    .default('pocketsphinx_continuous')
    .describe('pocketsphinx_continuous, for local speech-to-text.'),
  POCKETSPHINX_MODEL_DIR: z
    .string()
    .min(1)
    .default('/usr/share/pocketsphinx/model/en-us')
    .describe('Acoustic model, dictionary and language model of local speech-to-text (pocketsphinx-en-us).'),
  OPUSDEC_PATH: z
    .string()
    .min(1)
    .default('opusdec')
    .describe('opusdec (opus-tools): decodes OGG/Opus voice notes for local speech-to-text faster than ffmpeg.'),
};
