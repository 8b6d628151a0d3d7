import { AudioConverter } from '../../src/orchestrator/voice/audio-converter.js';
import type { GrammarSource } from '../../src/orchestrator/voice/local/command-grammar.js';
import { LocalSpeechToText } from '../../src/orchestrator/voice/local/local-speech.js';
import { VoiceError } from '../../src/orchestrator/voice/speech.port.js';
import { spokenNote } from '../support/spoken.js';

const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Local speech-to-text with the machine's pocketsphinx, espeak-ng and opus-tools: no network, no fakes. */
describe('local speech-to-text (pocketsphinx)', () => {
  const converter = new AudioConverter('ffmpeg');
  const source: GrammarSource = {
    phrases: [
      'list my clients',
      'who are my clients',
      'invoice Acme for 10 hours at 150',
      'how much revenue last quarter',
      'what did we make this month',
      'lock the vault',
      'unlock my vault',
      'show the system architecture',
    ],
    names: [],
  };
  let asked = 0;
  const stt = new LocalSpeechToText(
    { binary: 'pocketsphinx_continuous', modelDir: MODEL_DIR, espeakPath: 'espeak-ng', opusdecPath: 'opusdec' },
    (audio) => converter.toWav16k(audio.data),
    () => {
      asked++;
      return Promise.resolve(source);
    },
  );
  const note = (data: Buffer) => ({ data, mimeType: 'audio/ogg', filename: 'voice.oga' });

  afterAll(() => stt.close());

  it('understands a command spoken in a voice note, sure of it, with numbers as digits', async () => {
    const heard = await stt.transcribe(note(spokenNote('invoice Acme for ten hours at one hundred fifty')));
    expect(heard.text).toBe('invoice acme for 10 hours at 150');
    expect(heard.confidence).toBeGreaterThanOrEqual(0.5);
    expect(heard.durationSeconds).toBeGreaterThan(1);
  });

  it('hears a client name as soon as it is in the vocabulary, and not before', async () => {
    const before = await stt.transcribe(note(spokenNote('invoice Northwind for ten hours at ninety', 'en-gb')));
    expect(before.text).not.toContain('northwind');
    source.names = ['Northwind'];
    const after = await stt.transcribe(note(spokenNote('invoice Northwind for ten hours at ninety', 'en-gb')));
    expect(after.text).toMatch(/^invoice northwind for 10 hours at \d/);
    source.names = [];
  });

  it('is unsure of speech that is no command at all', async () => {
    const heard = await stt.transcribe(note(spokenNote('please order a large pizza with extra cheese tonight')));
    expect(heard.confidence ?? 0).toBeLessThan(0.5);
  });

  it('reads notes ffmpeg must convert (not OGG/Opus) as well', async () => {
    const wav = await converter.toWav16k(spokenNote('lock the vault'));
    const heard = await stt.transcribe({ data: wav, mimeType: 'audio/wav', filename: 'note.wav' });
    expect(heard.text).toBe('lock the vault');
    expect(asked).toBeGreaterThan(0);
  });

  it('says so when the speech model is not installed', async () => {
    const missing = new LocalSpeechToText(
      { binary: 'pocketsphinx_continuous', modelDir: '/nonexistent/model', espeakPath: 'espeak-ng' },
      (audio) => converter.toWav16k(audio.data),
      () => Promise.resolve(source),
    );
    try {
      await expect(missing.transcribe(note(spokenNote('lock the vault')))).rejects.toThrow(
        /speech model is not installed .*pocketsphinx-en-us/,
      );
    } finally {
      missing.close();
    }
  });

  it('says so when pocketsphinx is not installed', async () => {
    const missing = new LocalSpeechToText(
      { binary: '/nonexistent/pocketsphinx_continuous', modelDir: MODEL_DIR, espeakPath: 'espeak-ng' },
      (audio) => converter.toWav16k(audio.data),
      () => Promise.resolve(source),
    );
    try {
      const failure = missing.transcribe(note(spokenNote('lock the vault')));
      await expect(failure).rejects.toThrow(VoiceError);
      await expect(failure).rejects.toThrow(/pocketsphinx is not installed/);
    } finally {
      missing.close();
    }
  });
});
