import OpenAI, { toFile } from 'openai';
import {
  type AudioInput,
  SpeechToText,
  type SpeakOptions,
  type SpeechAudio,
  TextToSpeech,
  type Transcript,
  VoiceError,
} from './speech.port.js';

/** Extensions the OpenAI transcription endpoint (and Whisper servers copying it) accept. */
const ACCEPTED = new Set(['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']);

/** The file name to upload: Telegram's ".oga" voice notes are Ogg, which the API knows as ".ogg". */
export function uploadName(audio: AudioInput): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(audio.filename)?.[1]?.toLowerCase();
  const fromMime: Record<string, string> = {
    'audio/ogg': 'ogg',
    'audio/opus': 'ogg',
    'audio/mpeg': 'mp3',
    'audio/mp4': 'm4a',
    'audio/x-m4a': 'm4a',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/webm': 'webm',
    'audio/flac': 'flac',
  };
  const chosen = ext && ACCEPTED.has(ext) ? (ext === 'oga' ? 'ogg' : ext) : fromMime[audio.mimeType.split(';')[0]!];
  return chosen ? `voice.${chosen}` : null;
}

function describe(err: unknown): string {
  if (err instanceof OpenAI.APIError) return `the speech service answered ${err.status ?? 'with an error'}`;
  if (err instanceof OpenAI.APIConnectionError) return 'the speech service could not be reached';
  return err instanceof Error ? err.message : String(err);
}

export interface OpenAiSpeechOptions {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  timeoutMs?: number;
}

/** The SDK client of a speech server; a local server takes any key. */
function speechClient(options: OpenAiSpeechOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? 'not-needed-for-local-servers',
    baseURL: options.baseUrl,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: 2,
  });
}

/** Whisper transcription through the `openai` SDK (OpenAI, or any server that speaks its API). */
export class OpenAiSpeechToText extends SpeechToText {
  readonly provider = 'openai';
  private readonly client: OpenAI;

  constructor(
    private readonly options: OpenAiSpeechOptions,
    private readonly convert: (audio: AudioInput) => Promise<AudioInput>,
  ) {
    super();
    this.client = speechClient(options);
  }

  async transcribe(audio: AudioInput): Promise<Transcript> {
    const input = uploadName(audio) ? audio : await this.convert(audio);
    const name = uploadName(input) ?? 'voice.wav';
    try {
      const result = await this.client.audio.transcriptions.create({
        file: await toFile(input.data, name),
        model: this.options.model,
        response_format: 'verbose_json',
      });
      return { text: result.text.trim(), language: result.language, durationSeconds: result.duration };
    } catch (err) {
      throw new VoiceError(`transcription failed: ${describe(err)}`);
    }
  }
}

/** Speech through the `openai` SDK, asked for Opus so no conversion is needed. */
export class OpenAiTextToSpeech extends TextToSpeech {
  readonly provider = 'openai';
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiSpeechOptions & { voice: string }) {
    super();
    this.client = speechClient(options);
  }

  async synthesize(text: string, options: SpeakOptions = {}): Promise<SpeechAudio> {
    try {
      const res = await this.client.audio.speech.create({
        model: this.options.model,
        voice: options.voice ?? this.options.voice,
        ...(options.speed !== undefined && options.speed !== 1 ? { speed: options.speed } : {}),
        input: text.slice(0, 4000),
        response_format: 'opus',
      });
      return { data: Buffer.from(await res.arrayBuffer()), mimeType: 'audio/ogg', filename: 'reply.ogg' };
    } catch (err) {
      throw new VoiceError(`speech synthesis failed: ${describe(err)}`);
    }
  }
}
