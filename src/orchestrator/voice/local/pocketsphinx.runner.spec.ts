import { parseOutput } from './pocketsphinx.runner.js';
import { espeakToArpabet } from './pronunciations.js';

describe('pocketsphinx output', () => {
  it('reads the words, the path score, the frames and the measured cepstral mean', () => {
    const log = [
      'INFO: cmn_live.c(138): Update to   < 62.33 -3.69 -6.45 >',
      'INFO: fsg_search.c(853): 167 frames, 316157 HMMs (1893/fr), 230401 senones (1379/fr)',
      'INFO: pocketsphinx.c(1168): list my clients (-8004)',
    ].join('\n');
    expect(parseOutput('list my clients(2)\n', log)).toEqual({
      text: 'list my clients',
      score: -8004,
      frames: 167,
      cepstralMean: '62.33,-3.69,-6.45',
    });
  });

  it('reports no score when nothing was heard', () => {
    expect(parseOutput('\n', 'INFO: fsg_search.c(853): 90 frames, 10 HMMs')).toMatchObject({ text: '', score: null });
  });
});

describe('espeak-ng phonemes to ARPAbet', () => {
  it('maps espeak-ng mnemonics to the phones of the CMU dictionary', () => {
    expect(espeakToArpabet("g_l_'oU_b_E_k_s")).toBe('G L OW B EH K S');
    expect(espeakToArpabet("I_n_'aI_t2_E_k")).toBe('IH N AY T EH K');
  });

  it('gives up on a phone it does not know rather than guess', () => {
    expect(espeakToArpabet('q_W_!')).toBeNull();
  });
});
