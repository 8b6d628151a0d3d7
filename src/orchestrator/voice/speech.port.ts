/**
 * Speech-to-text and text-to-speech behind one port each, so the chat gateway does not care whether
 * the words come from OpenAI, a local Whisper server speaking the same API, or espeak-ng.
 */

export interface AudioInput {
  data: Buffer;
  /** As the platform reported it (audio/ogg for Telegram voice notes). */
  mimeType: string;
  filename: string;
}

export interface Transcript {
  text: string;
  language?: string;
  durationSeconds?: number;
  /** 0..1, how sure the engine is of `text`; absent when it does not say (cloud services). */
  confidence?: number;
}

/** What the engine may use to hear better: whose words these are (their clients, projects, agents). */
export interface TranscriptionHints {
  userId?: string;
}

export interface SpeechAudio {
  data: Buffer;
  /** Always OGG/Opus: what Telegram plays as a voice note and Discord/Slack play inline. */
  mimeType: 'audio/ogg';
  filename: string;
}

export abstract class SpeechToText {
  abstract readonly provider: string;
  abstract transcribe(audio: AudioInput, hints?: TranscriptionHints): Promise<Transcript>;
}

/** A person's choices for a spoken reply; each engine uses what it can. */
export interface SpeakOptions {
  voice?: string;
  /** 1 is normal speed. */
  speed?: number;
  /** BCP 47 tag, e.g. en or de-DE. */
  language?: string;
}

export abstract class TextToSpeech {
  abstract readonly provider: string;
  abstract synthesize(text: string, options?: SpeakOptions): Promise<SpeechAudio>;
}

/** Transcription or synthesis failed; the message is safe to show (no keys, no raw responses). */
export class VoiceError extends Error {
  override name = 'VoiceError';
}
