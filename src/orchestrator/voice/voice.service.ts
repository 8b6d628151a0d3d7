import { Inject, Injectable } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AudioConverter } from './audio-converter.js';
import type { VoiceSettings } from './voice-settings.repository.js';
import { EspeakTextToSpeech } from './espeak-tts.js';
import { OpenAiSpeechToText, OpenAiTextToSpeech } from './openai-speech.js';
import {
  type AudioInput,
  type SpeechAudio,
  type SpeechToText,
  type TextToSpeech,
  type Transcript,
  VoiceError,
} from './speech.port.js';

export interface TimedTranscript extends Transcript {
  transcriptionMs: number;
}

/** The voice path: audio in -> words (timed), words -> a spoken reply when text-to-speech is configured. */
@Injectable()
export class VoiceService {
  readonly converter: AudioConverter;
  private readonly stt: SpeechToText | null;
  private readonly tts: TextToSpeech | null;

  constructor(@Inject(PAIOS_CONFIG) config: PaiosConfig) {
    const v = config.voice;
    this.converter = new AudioConverter(v.ffmpegPath);
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

  async transcribe(audio: AudioInput): Promise<TimedTranscript> {
    if (!this.stt)
      throw new VoiceError('voice notes need speech-to-text: set STT_BASE_URL (a Whisper server) or OPENAI_API_KEY');
    if (audio.data.length === 0) throw new VoiceError('the voice note is empty');
    const started = performance.now();
    const transcript = await this.stt.transcribe(audio);
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
