/** Text helpers shared by the adapters: markdown to plain words (for speech), and splitting long answers. */
export { plainText, splitText } from '../../common/markdown.js';
