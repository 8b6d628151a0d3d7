import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import { AudioConverter } from './audio-converter.js';
import { LocalSpeechToText } from './local/local-speech.js';
import type { VoiceSettings } from './voice-settings.repository.js';
import { EspeakTextToSpeech } from './espeak-tts.js';
import { OpenAiSpeechToText, OpenAiTextToSpeech } from './openai-speech.js';
import {
  type AudioInput,
  type SpeechAudio,
  type SpeechToText,
  type TextToSpeech,
  type Transcript,
  type TranscriptionHints,
  VoiceError,
} from './speech.port.js';

export interface TimedTranscript extends Transcript {
  transcriptionMs: number;
}

/** What people say to paios itself, besides its agents' tools: local speech listens for these too. */
const OWN_PHRASES = [
  'help',
  'what can you do',
  'retry voice note',
  'try again',
  'cancel',
  'the first one',
  'the second one',
  'the third one',
];

/** The voice path: audio in -> words (timed), words -> a spoken reply when text-to-speech is configured. */
@Injectable()
export class VoiceService implements OnModuleDestroy {
  readonly converter: AudioConverter;
  private readonly stt: SpeechToText | null;
  private readonly tts: TextToSpeech | null;
  /** Below this, a local transcript is checked with the person before anything runs. */
  readonly confirmBelow: number;

  constructor(@Inject(PAIOS_CONFIG) config: PaiosConfig, registry: AgentRegistry) {
    const v = config.voice;
    this.converter = new AudioConverter(v.ffmpegPath);
    this.confirmBelow = v.stt.confidence;
    this.stt =
      v.stt.provider === 'openai'
        ? new OpenAiSpeechToText(
            { apiKey: v.stt.apiKey, baseUrl: v.stt.baseUrl, model: v.stt.model },
            async (audio) => ({
              data: await this.converter.toWav16k(audio.data),
              mimeType: 'audio/wav',
              filename: 'voice.wav',
            }),
          )
        : v.stt.provider === 'local'
          ? new LocalSpeechToText(
              {
                binary: v.stt.pocketsphinxPath,
                modelDir: v.stt.modelDir,
                espeakPath: v.espeakPath,
                opusdecPath: v.stt.opusdecPath,
              },
              (audio) => this.converter.toWav16k(audio.data),
              // Read per note: a client added a minute ago is heard in the next voice note.
              async (hints) => ({
                phrases: [...registry.catalog().flatMap((t) => t.examples), ...OWN_PHRASES],
                names: hints.userId
                  ? await registry.vocabulary(hints.userId)
                  : registry.list().map((s) => s.name.replace(/-/g, ' ')),
              }),
            )
          : null;
    this.tts =
      v.tts.provider === 'openai'
        ? new OpenAiTextToSpeech({
            apiKey: v.tts.apiKey,
            baseUrl: v.tts.baseUrl,
            model: v.tts.model,
            voice: v.tts.voice,
          })
        : v.tts.provider === 'espeak'
          ? new EspeakTextToSpeech(v.espeakPath, this.converter)
          : null;
  }

  get canTranscribe(): boolean {
    return this.stt !== null;
  }

  get canSpeak(): boolean {
    return this.tts !== null;
  }

  onModuleDestroy(): void {
    if (this.stt instanceof LocalSpeechToText) this.stt.close();
  }

  async transcribe(audio: AudioInput, hints: TranscriptionHints = {}): Promise<TimedTranscript> {
    if (!this.stt)
      throw new VoiceError(
        'voice notes need speech-to-text: set STT_PROVIDER=local (pocketsphinx), STT_BASE_URL (a Whisper server) or OPENAI_API_KEY',
      );
    if (audio.data.length === 0) throw new VoiceError('the voice note is empty');
    const started = performance.now();
    const transcript = await this.stt.transcribe(audio, hints);
    return { ...transcript, transcriptionMs: performance.now() - started };
  }

  /** `settings`: the person's voice, speed and language (their voice settings), else the server's. */
  async speak(text: string, settings?: Partial<VoiceSettings>): Promise<SpeechAudio> {
    if (!this.tts) throw new VoiceError('text-to-speech is not configured (TTS_PROVIDER)');
    return this.tts.synthesize(text, {
      voice: settings?.voice ?? undefined,
      speed: settings?.speed,
      language: settings?.language ?? undefined,
    });
  }
}
