/** Writing system of a name, or of one of its tokens. */
export type Script = 'latin' | 'cyrillic' | 'arabic' | 'mixed' | 'unknown';

export type Sex = 'female' | 'male' | 'unknown';

/** The parts a name can be made of (DOMAIN.md §6). */
export type NameRole = 'given' | 'surname' | 'patronymic' | 'kunya' | 'nasab' | 'nisba';

export type NameOrder = 'given-first' | 'surname-first' | 'unknown';

/**
 * A name split into its parts. Strings keep the spelling they were written in (case included), so an
 * explanation can quote them back to a case worker.
 */
export interface NameParts {
  /** The text the parts were parsed from, when they were parsed. */
  original?: string;
  given: string[];
  surname: string[];
  /** As written: 'Erlanovna', 'Erlan qyzy', 'Erlan oʻgʻli'. */
  patronymic?: string | undefined;
  /** Abu/Umm + name ('Umm Yusuf'): a name taken from a child, often the only name used in camps. */
  kunya?: { kind: 'abu' | 'umm'; name: string } | undefined;
  /** ibn/bin/bint + the father's name. */
  nasab?: { kind: 'ibn' | 'bint'; name: string }[];
  /** Attributive names, article removed: 'Kazakhi', 'Turkistani', 'كازاخي'. */
  nisba?: string[];
  honorifics?: string[];
  order?: NameOrder;
  script?: Script;
  /** Sex implied by grammar (patronymic, kunya, nasab); never by surname ending, which lists often get wrong. */
  impliedSex?: 'female' | 'male' | undefined;
}

/**
 * How two parts were found to correspond:
 * - exact: the same letters once case, punctuation and Arabic orthography are normalised;
 * - transliteration: the same sounds written under different rules (ZHANBULATOVA / Dschanbulatowa);
 * - consonant-skeleton: the same consonants, vowels unwritten or different (محمد / Muhammad);
 * - morphology: the same stem with another ending (Zhanbulatova / Zhanbulatov / Zhanbulatzoda);
 * - typo: close but not equivalent under any rule (an edit or two);
 * - joined: one side writes as one word what the other writes as two (Muhammadali / Muhammad Ali);
 * - different: compared and found not to correspond.
 */
export type MatchMethod =
  | 'exact'
  | 'transliteration'
  | 'consonant-skeleton'
  | 'morphology'
  | 'typo'
  | 'joined'
  | 'different';

export interface PartMatch {
  leftPart: NameRole;
  rightPart: NameRole;
  left: string;
  right: string;
  method: MatchMethod;
  /** Similarity of the two parts, 0..1. */
  score: number;
  /** Weight of this pair in the name score. */
  weight: number;
  /** One line a case worker can read. */
  detail: string;
}

export interface MissingPart {
  side: 'left' | 'right';
  part: NameRole;
  text: string;
}

export interface NameComparison {
  /** 0 (nothing in common) .. 1 (the same name). */
  score: number;
  matches: PartMatch[];
  /** Parts present on one side only: they lower the score a little, they do not contradict. */
  missing: MissingPart[];
  /** Facts about the comparison as a whole: reordering, joined names, kunya on one side only. */
  notes: string[];
  /** The matches, missing parts and notes as sentences, most important first. */
  explanation: string[];
  left: NameParts;
  right: NameParts;
}

/** A date of birth as a range; a known day has from === to. */
export interface BirthRange {
  from: string;
  to: string;
}

export interface PersonEvidence {
  /** Every variant and alias known for the person. */
  names: string[];
  sex?: Sex;
  birth?: BirthRange;
  /** ISO 3166-1 alpha-2. */
  nationality?: string[];
  placeOfBirth?: string;
  motherName?: string;
  fatherName?: string;
}

export type PersonDecision = 'match' | 'possible' | 'no_match';

export type EvidenceKind =
  | 'name'
  | 'sex'
  | 'birth'
  | 'nationality'
  | 'placeOfBirth'
  | 'motherName'
  | 'fatherName'
  | 'relationship';

export type EvidenceEffect = 'strongly-supports' | 'supports' | 'neutral' | 'against' | 'strongly-against';

export interface EvidenceItem {
  kind: EvidenceKind;
  effect: EvidenceEffect;
  detail: string;
  /** Change in log-odds this item made (0 when neutral or when the names did not agree enough to use it). */
  weight: number;
}

export interface PersonComparison {
  score: number;
  decision: PersonDecision;
  /** The best pair of name variants, with its own explanation. */
  name: NameComparison | undefined;
  evidence: EvidenceItem[];
  explanation: string[];
}
