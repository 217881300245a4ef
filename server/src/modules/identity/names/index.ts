export { type Analysis, analyse, type Token } from './analyse.ts';
export {
  compareNames,
  compareTokens,
  explainNames,
  type ScoredNames,
  scoreNames,
  type TokenSimilarity,
} from './compare.ts';
export {
  arabicFineSimilarity,
  fineSimilarity,
  jaroWinkler,
  levenshtein,
  skeletonSimilarity,
} from './distance.ts';
export { KEY_VERSION, nameKeys } from './keys.ts';
export { clearNameMemos } from './memo.ts';
export { detectScript, normaliseName } from './normalise.ts';
export { parseName } from './parse.ts';
export { bestNamePair, cannotReach, comparePersons } from './person.ts';
export { type Phonetics, phoneticsOf, skeletonOf } from './phonetic.ts';
export type * from './types.ts';
