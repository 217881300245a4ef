import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { WatchlistBirth, WatchlistName } from '../../platform/db/tables/identity.ts';
import { AppError } from '../../platform/errors.ts';
import { readCountry } from './evidence.ts';

/*
 * The UN Security Council Consolidated List in its official XML (shared/data/un-sc-sanctions.xsd),
 * read into plain entries. Pure: no I/O. Tolerates what real lists do: values padded with spaces,
 * empty <QUALITY/> and <ALIAS_NAME/> placeholders, dates as DATE, YEAR or FROM_YEAR/TO_YEAR under
 * TYPE_OF_DATE, several NATIONALITY/VALUEs, NAME_ORIGINAL_SCRIPT in Arabic or Cyrillic. Malformed XML
 * is refused with its line and column, before anything is read.
 */

export interface WatchlistEntry {
  kind: 'individual' | 'entity';
  referenceNumber: string;
  dataId: string | null;
  unListType: string | null;
  listedOn: string | null;
  listedName: string;
  names: WatchlistName[];
  gender: string | null;
  births: WatchlistBirth[];
  /** ISO 3166-1 alpha-2 where the listed value is recognisable; otherwise the listed text. */
  nationalities: string[];
  placesOfBirth: string[];
  documents: Record<string, string>[];
  contentHash: string;
}

export interface ParsedWatchlist {
  dateGenerated: string;
  sha256: string;
  individuals: number;
  entities: number;
  entries: WatchlistEntry[];
}

const REPEATED = new Set([
  'INDIVIDUAL',
  'ENTITY',
  'INDIVIDUAL_ALIAS',
  'ENTITY_ALIAS',
  'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS',
  'INDIVIDUAL_DATE_OF_BIRTH',
  'INDIVIDUAL_PLACE_OF_BIRTH',
  'INDIVIDUAL_DOCUMENT',
  'VALUE',
]);

type Node = Record<string, unknown>;

/** Text of an element: trimmed, inner whitespace collapsed; '' for empty placeholders and 'na'. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value).replace(/\s+/gu, ' ').trim();
    return s.toLowerCase() === 'na' ? '' : s;
  }
  if (typeof value === 'object' && '#text' in (value as Node)) return textOf((value as Node)['#text']);
  return '';
}

function list(value: unknown): Node[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is Node => typeof v === 'object' && v !== null,
  );
}

function values(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const raw = (node as Node).VALUE;
  const arr = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return arr.map(textOf).filter((v) => v !== '');
}

/** One INDIVIDUAL_DATE_OF_BIRTH as a range (DATE, YEAR, or FROM_YEAR/TO_YEAR). */
function birthOf(node: Node): WatchlistBirth | undefined {
  const type = textOf(node.TYPE_OF_DATE).toUpperCase() || 'EXACT';
  const date = textOf(node.DATE);
  const m = /^(\d{4})-(\d{2})-(\d{2})/u.exec(date);
  if (m) {
    const d = `${m[1]}-${m[2]}-${m[3]}`;
    if (type === 'APPROXIMATELY') {
      const y = Number(m[1]);
      return { from: `${y - 1}-01-01`, to: `${y + 1}-12-31`, type };
    }
    return { from: d, to: d, type };
  }
  const year = Number(textOf(node.YEAR));
  if (Number.isInteger(year) && year >= 1900) {
    return type === 'APPROXIMATELY'
      ? { from: `${year - 1}-01-01`, to: `${year + 1}-12-31`, type }
      : { from: `${year}-01-01`, to: `${year}-12-31`, type };
  }
  const from = Number(textOf(node.FROM_YEAR));
  const to = Number(textOf(node.TO_YEAR));
  if (Number.isInteger(from) && Number.isInteger(to) && from >= 1900 && to >= from) {
    return { from: `${from}-01-01`, to: `${to}-12-31`, type };
  }
  return undefined;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function placeOf(node: Node): string {
  return [textOf(node.CITY), textOf(node.STATE_PROVINCE), textOf(node.COUNTRY)]
    .filter((s) => s !== '')
    .join(', ');
}

function readIndividual(node: Node, index: number): WatchlistEntry {
  const referenceNumber = textOf(node.REFERENCE_NUMBER);
  if (referenceNumber === '') {
    throw new AppError('WATCHLIST_FORMAT_INVALID', {
      details: { path: `INDIVIDUALS/INDIVIDUAL[${index + 1}]/REFERENCE_NUMBER` },
    });
  }
  const listedName = [node.FIRST_NAME, node.SECOND_NAME, node.THIRD_NAME, node.FOURTH_NAME]
    .map(textOf)
    .filter((s) => s !== '')
    .join(' ');
  const names: WatchlistName[] = [];
  if (listedName !== '') names.push({ name: listedName, type: 'primary', quality: null });
  const original = textOf(node.NAME_ORIGINAL_SCRIPT);
  if (original !== '') names.push({ name: original, type: 'original_script', quality: null });
  for (const alias of list(node.INDIVIDUAL_ALIAS)) {
    const name = textOf(alias.ALIAS_NAME);
    if (name === '') continue;
    const q = textOf(alias.QUALITY).toLowerCase();
    names.push({
      name,
      type: 'alias',
      quality: q === 'low' ? 'low' : q === 'good' || q === 'a.k.a.' ? 'good' : null,
    });
  }
  const births = list(node.INDIVIDUAL_DATE_OF_BIRTH)
    .map(birthOf)
    .filter((b): b is WatchlistBirth => b !== undefined);
  const nationalities = values(node.NATIONALITY).map((v) => readCountry(v) ?? v);
  const placesOfBirth = list(node.INDIVIDUAL_PLACE_OF_BIRTH)
    .map(placeOf)
    .filter((s) => s !== '');
  const documents = list(node.INDIVIDUAL_DOCUMENT).map((d) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(d)) {
      const t = textOf(v);
      if (t !== '') out[k.toLowerCase()] = t;
    }
    return out;
  });
  const gender = textOf(node.GENDER) || null;
  const entry = {
    kind: 'individual' as const,
    referenceNumber,
    dataId: textOf(node.DATAID) || null,
    unListType: textOf(node.UN_LIST_TYPE) || null,
    listedOn: /^\d{4}-\d{2}-\d{2}/u.exec(textOf(node.LISTED_ON))?.[0] ?? null,
    listedName: listedName || original,
    names,
    gender,
    births,
    nationalities,
    placesOfBirth,
    documents,
  };
  return { ...entry, contentHash: hashOf(entry) };
}

function readEntity(node: Node, index: number): WatchlistEntry {
  const referenceNumber = textOf(node.REFERENCE_NUMBER);
  if (referenceNumber === '') {
    throw new AppError('WATCHLIST_FORMAT_INVALID', {
      details: { path: `ENTITIES/ENTITY[${index + 1}]/REFERENCE_NUMBER` },
    });
  }
  const listedName = textOf(node.FIRST_NAME);
  const names: WatchlistName[] = [];
  if (listedName !== '') names.push({ name: listedName, type: 'primary', quality: null });
  const original = textOf(node.NAME_ORIGINAL_SCRIPT);
  if (original !== '') names.push({ name: original, type: 'original_script', quality: null });
  for (const alias of list(node.ENTITY_ALIAS)) {
    const name = textOf(alias.ALIAS_NAME);
    if (name === '') continue;
    const q = textOf(alias.QUALITY).toLowerCase();
    names.push({ name, type: 'alias', quality: q === 'low' ? 'low' : q === 'good' ? 'good' : null });
  }
  const entry = {
    kind: 'entity' as const,
    referenceNumber,
    dataId: textOf(node.DATAID) || null,
    unListType: textOf(node.UN_LIST_TYPE) || null,
    listedOn: /^\d{4}-\d{2}-\d{2}/u.exec(textOf(node.LISTED_ON))?.[0] ?? null,
    listedName: listedName || original,
    names,
    gender: null,
    births: [],
    nationalities: [],
    placesOfBirth: [],
    documents: [],
  };
  return { ...entry, contentHash: hashOf(entry) };
}

/** Parses a Consolidated List file; throws WATCHLIST_XML_MALFORMED (line, column) or WATCHLIST_FORMAT_INVALID. */
export function parseConsolidatedList(xml: string | Buffer): ParsedWatchlist {
  const buffer = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  const text = buffer.toString('utf8').replace(/^\uFEFF/u, '');
  if (text.includes('\uFFFD')) {
    const before = text.slice(0, text.indexOf('\uFFFD'));
    const line = before.split('\n').length;
    throw new AppError('WATCHLIST_XML_MALFORMED', {
      details: { line, column: before.length - before.lastIndexOf('\n'), reason: 'not valid UTF-8' },
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new AppError('WATCHLIST_XML_MALFORMED', {
      details: { line: valid.err.line, column: valid.err.col, reason: valid.err.code },
    });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (name) => REPEATED.has(name),
  });
  const doc = parser.parse(text) as Node;
  const root = doc.CONSOLIDATED_LIST as Node | undefined;
  if (root === undefined || typeof root !== 'object') {
    throw new AppError('WATCHLIST_FORMAT_INVALID', { details: { path: 'CONSOLIDATED_LIST' } });
  }
  const dateGenerated = textOf(root['@_dateGenerated']);
  if (dateGenerated === '' || Number.isNaN(Date.parse(dateGenerated))) {
    throw new AppError('WATCHLIST_FORMAT_INVALID', { details: { path: 'CONSOLIDATED_LIST/@dateGenerated' } });
  }
  const individuals = list((root.INDIVIDUALS as Node | undefined)?.INDIVIDUAL).map(readIndividual);
  const entities = list((root.ENTITIES as Node | undefined)?.ENTITY).map(readEntity);
  const entries = [...individuals, ...entities];
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.referenceNumber)) {
      throw new AppError('WATCHLIST_FORMAT_INVALID', {
        details: { path: 'REFERENCE_NUMBER', reason: 'duplicate reference number' },
      });
    }
    seen.add(e.referenceNumber);
  }
  return { dateGenerated, sha256, individuals: individuals.length, entities: entities.length, entries };
}
