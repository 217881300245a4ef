import type { Random } from './random.ts';
import { type Romanisation, romanise, toArabicScript } from './transliteration.ts';

/**
 * Invented name material. Given names and surname stems are common ones combined at random, so no
 * generated person is anyone's record. An entry 'Russian form|national form' carries both
 * Cyrillic spellings when they differ (Гульнара in a Russian-language registry, Гүлнара in Kazakh).
 */

export type Ethnicity = 'kazakh' | 'uzbek' | 'tajik' | 'kyrgyz' | 'chechen' | 'dagestani' | 'russian';
export type Sex = 'female' | 'male';

export interface NameForm {
  /** Cyrillic as a Russian-language registry writes it. */
  ru: string;
  /** Cyrillic in the national alphabet (same as `ru` when nothing differs). */
  nat: string;
  /** Conventional Arabic spelling and Latin spellings, for names of Arabic origin. */
  arabic?: string;
  latin?: readonly string[];
}

interface Pool {
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
  nationalLanguage: string;
  nationalScheme: Romanisation | null;
  nisba: readonly (readonly [string, string])[];
}

const POOLS: Readonly<Record<Ethnicity, Pool>> = {
  kazakh: {
    female: [
      'Гульнара|Гүлнара',
      'Айгуль|Айгүл',
      'Динара',
      'Жанар',
      'Асель|Әсел',
      'Салтанат',
      'Айжан',
      'Гульмира|Гүлмира',
      'Мадина',
      'Камила',
      'Алия|Әлия',
      'Назгуль|Назгүл',
      'Жибек',
      'Ботагоз|Ботагөз',
      'Айнур',
      'Сауле|Сәуле',
      'Акмарал|Ақмарал',
      'Толкын|Толқын',
      'Индира',
      'Асем|Әсем',
    ],
    male: [
      'Серик|Серік',
      'Нурлан|Нұрлан',
      'Ерлан',
      'Кайрат|Қайрат',
      'Асхат',
      'Даурен|Дәурен',
      'Ержан',
      'Бауыржан',
      'Жандос',
      'Арман',
      'Мурат',
      'Талгат|Талғат',
      'Ерболат',
      'Бекзат',
      'Азамат',
      'Канат|Қанат',
      'Нуржан|Нұржан',
      'Айдос',
      'Дамир',
      'Ринат',
    ],
    surnames: [
      'Жанбулатов|Жанболатов',
      'Нурланов|Нұрланов',
      'Сериков|Серіков',
      'Кенжебаев',
      'Ахметов',
      'Абдрахманов',
      'Байжанов',
      'Омаров',
      'Есенов',
      'Тулегенов|Төлегенов',
      'Жумабаев|Жұмабаев',
      'Искаков|Ысқақов',
      'Сагинтаев|Сағынтаев',
      'Касымов|Қасымов',
      'Бекмуханов',
      'Мукашев',
      'Сулейменов',
      'Утебаев|Өтебаев',
      'Куанышев|Қуанышев',
      'Оспанов',
    ],
    nationalLanguage: 'kk',
    nationalScheme: 'kazakh_latin_2021',
    nisba: [
      ['al-Kazakhi', 'الكازاخي'],
      ['al-Qazaqi', 'القزقي'],
      ['al-Turkistani', 'التركستاني'],
    ],
  },
  uzbek: {
    female: [
      'Дилноза',
      'Нигора',
      'Мадина',
      'Гулноза',
      'Шахноза',
      'Зарина',
      'Феруза',
      'Мохира',
      'Наргиза',
      'Севара',
      'Дильфуза|Дилфуза',
      'Умида',
      'Мухлиса',
      'Гулчехра|Гулчеҳра',
      'Нодира',
      'Зульфия|Зулфия',
      'Лобар',
      'Малика',
      'Угилой|Ўғилой',
      'Хуршида|Ҳуршида',
    ],
    male: [
      'Алишер',
      'Жамшид',
      'Бобур',
      'Шухрат|Шуҳрат',
      'Улугбек|Улуғбек',
      'Рустам',
      'Фаррух',
      'Отабек',
      'Тимур',
      'Санжар',
      'Дилшод',
      'Ботир',
      'Шерзод',
      'Азиз',
      'Хуршид|Ҳуршид',
      'Джахонгир|Жаҳонгир',
      'Акмал',
      'Одил',
      'Равшан',
      'Гайрат|Ғайрат',
    ],
    surnames: [
      'Каримов',
      'Рахимов|Раҳимов',
      'Юсупов',
      'Турсунов',
      'Хасанов|Ҳасанов',
      'Ахмедов',
      'Исмоилов',
      'Мирзаев',
      'Нурматов',
      'Абдуллаев',
      'Умаров',
      'Тошматов',
      'Холматов',
      'Эргашев',
      'Султанов',
      'Джураев|Жўраев',
      'Шарипов',
      'Усмонов',
      'Гафуров|Ғафуров',
      'Кодиров|Қодиров',
    ],
    nationalLanguage: 'uz',
    nationalScheme: 'uzbek_latin',
    nisba: [
      ['al-Uzbeki', 'الأوزبكي'],
      ['al-Uzbaki', 'الأزبكي'],
      ['al-Turkistani', 'التركستاني'],
    ],
  },
  tajik: {
    female: [
      'Мехрона|Меҳрона',
      'Ситора',
      'Нилуфар',
      'Гулрухсор',
      'Фарзона',
      'Мадина',
      'Шахло',
      'Зарина',
      'Парвина',
      'Манижа',
      'Тахмина|Таҳмина',
      'Малохат',
      'Дилафруз',
      'Хуршеда',
      'Нигина',
      'Фотима',
      'Шабнам',
      'Рухшона',
      'Гулчехра|Гулчеҳра',
      'Зебо',
    ],
    male: [
      'Фаридун',
      'Рустам',
      'Далер',
      'Комрон',
      'Бахтиёр',
      'Джамшед|Ҷамшед',
      'Фирдавс',
      'Сухроб|Суҳроб',
      'Шохрух|Шоҳрух',
      'Умед',
      'Навруз',
      'Исмоил',
      'Амир',
      'Мехрож|Меҳрож',
      'Акбар',
      'Абдулло',
      'Шерали|Шералӣ',
      'Зафар',
      'Парвиз',
      'Хуршед',
    ],
    surnames: [
      'Рахимов|Раҳимов',
      'Саидов',
      'Назаров',
      'Шарипов',
      'Каримов',
      'Давлатов',
      'Рустамов',
      'Холов',
      'Сафаров',
      'Мирзоев',
      'Бобоев',
      'Ёров',
      'Курбонов|Қурбонов',
      'Гаффоров|Ғаффоров',
      'Джураев|Ҷӯраев',
      'Файзуллоев',
      'Нурматов',
      'Одинаев',
      'Содиков|Содиқов',
      'Хакимов|Ҳакимов',
    ],
    nationalLanguage: 'tg',
    nationalScheme: 'tajik_latin',
    nisba: [
      ['al-Tajiki', 'الطاجيكي'],
      ['al-Tajik', 'الطاجيك'],
      ['al-Khurasani', 'الخراساني'],
    ],
  },
  kyrgyz: {
    female: [
      'Айгерим',
      'Айпери',
      'Бермет',
      'Жылдыз',
      'Гулзат',
      'Нургуль|Нургүл',
      'Айзада',
      'Чолпон',
      'Асель',
      'Назира',
      'Мээрим',
      'Каныкей',
      'Бегимай',
      'Элнура',
      'Динара',
    ],
    male: [
      'Азамат',
      'Бакыт',
      'Нурбек',
      'Эрлан',
      'Улан',
      'Таалай',
      'Адилет',
      'Бектур',
      'Кубанычбек',
      'Максат',
      'Нурсултан',
      'Мирлан',
      'Эрмек',
      'Тилек',
      'Асан',
    ],
    surnames: [
      'Асанов',
      'Токтогулов',
      'Абдыкадыров',
      'Жумабеков',
      'Мамытов',
      'Осмонов',
      'Сыдыков',
      'Турдубаев',
      'Кадыров',
      'Эсенбаев',
      'Бообеков',
      'Мамбетов',
      'Шаршеев',
      'Омурбеков|Өмүрбеков',
      'Алымбеков',
    ],
    nationalLanguage: 'ky',
    nationalScheme: 'kyrgyz_latin',
    nisba: [
      ['al-Qirghizi', 'القرغيزي'],
      ['al-Kirgizi', 'الكيرغيزي'],
      ['al-Turkistani', 'التركستاني'],
    ],
  },
  chechen: {
    female: [
      'Хава',
      'Зарема',
      'Мадина',
      'Седа',
      'Петимат',
      'Малика',
      'Раиса',
      'Зулихан',
      'Лиана',
      'Луиза',
      'Хеда',
      'Айшат',
      'Марьям',
      'Амина',
      'Халимат',
    ],
    male: [
      'Рамзан',
      'Ахмед',
      'Ибрагим',
      'Магомед',
      'Руслан',
      'Аслан',
      'Хасан',
      'Муса',
      'Ислам',
      'Беслан',
      'Адам',
      'Турпал',
      'Алихан',
      'Шамиль',
      'Идрис',
    ],
    surnames: [
      'Ахмадов',
      'Мусаев',
      'Исаев',
      'Умаров',
      'Магомадов',
      'Эльмурзаев',
      'Хамзатов',
      'Садулаев',
      'Батукаев',
      'Межидов',
      'Абдурахманов',
      'Шамсудинов',
      'Мациев',
      'Хаджиев',
      'Юсупов',
    ],
    nationalLanguage: 'ru',
    nationalScheme: null,
    nisba: [
      ['al-Shishani', 'الشيشاني'],
      ['ash-Shishani', 'الشيشاني'],
      ['al-Qawqazi', 'القوقازي'],
    ],
  },
  dagestani: {
    female: [
      'Патимат',
      'Загидат',
      'Аминат',
      'Хадижат',
      'Умукусум',
      'Саида',
      'Разият',
      'Мадина',
      'Джамиля',
      'Заира',
    ],
    male: [
      'Магомед',
      'Гаджи',
      'Расул',
      'Шамиль',
      'Абдулла',
      'Ахмед',
      'Гасан',
      'Мурад',
      'Камиль',
      'Арсен',
      'Омар',
    ],
    surnames: [
      'Магомедов',
      'Гаджиев',
      'Алиев',
      'Абдулаев',
      'Рамазанов',
      'Гасанов',
      'Исмаилов',
      'Курбанов',
      'Омаров',
      'Мусаев',
      'Сулейманов',
      'Шамилов',
    ],
    nationalLanguage: 'ru',
    nationalScheme: null,
    nisba: [
      ['al-Daghestani', 'الداغستاني'],
      ['al-Dagestani', 'الداغستاني'],
      ['al-Qawqazi', 'القوقازي'],
    ],
  },
  russian: {
    female: [
      'Анна',
      'Екатерина',
      'Елена',
      'Ольга',
      'Наталья',
      'Ирина',
      'Татьяна',
      'Юлия',
      'Мария',
      'Светлана',
      'Кристина',
      'Дарья',
    ],
    male: [
      'Александр',
      'Дмитрий',
      'Сергей',
      'Андрей',
      'Алексей',
      'Евгений',
      'Иван',
      'Максим',
      'Николай',
      'Денис',
    ],
    surnames: [
      'Иванов',
      'Смирнов',
      'Кузнецов',
      'Попов',
      'Васильев',
      'Петров',
      'Соколов',
      'Михайлов',
      'Новиков',
      'Фёдоров',
      'Морозов',
      'Волков',
      'Лебедев',
      'Козлов',
      'Егоров',
    ],
    nationalLanguage: 'ru',
    nationalScheme: null,
    nisba: [
      ['al-Rusi', 'الروسي'],
      ['ar-Rusi', 'الروسي'],
      ['al-Muhajira', 'المهاجرة'],
    ],
  },
};

/** Names of Arabic origin, given to most children born in Syria and Iraq and taken by converts. */
const ARABIC_GIVEN: Readonly<Record<Sex, readonly NameForm[]>> = {
  male: [
    { ru: 'Юсуф', nat: 'Юсуф', arabic: 'يوسف', latin: ['Yusuf', 'Yousef', 'Youssef', 'Jusuf'] },
    {
      ru: 'Мухаммад',
      nat: 'Муҳаммад',
      arabic: 'محمد',
      latin: ['Muhammad', 'Mohammed', 'Mohamed', 'Muhammed'],
    },
    { ru: 'Абдулла', nat: 'Абдулла', arabic: 'عبدالله', latin: ['Abdullah', 'Abdulla', 'Abdallah'] },
    { ru: 'Умар', nat: 'Умар', arabic: 'عمر', latin: ['Umar', 'Omar', 'Oumar'] },
    { ru: 'Ибрахим', nat: 'Иброҳим', arabic: 'إبراهيم', latin: ['Ibrahim', 'Ibraheem'] },
    { ru: 'Хамза', nat: 'Ҳамза', arabic: 'حمزة', latin: ['Hamza', 'Hamzah'] },
    { ru: 'Али', nat: 'Али', arabic: 'علي', latin: ['Ali'] },
    { ru: 'Усама', nat: 'Усама', arabic: 'أسامة', latin: ['Usama', 'Osama', 'Oussama'] },
    { ru: 'Билал', nat: 'Билол', arabic: 'بلال', latin: ['Bilal', 'Belal'] },
    { ru: 'Абдуррахман', nat: 'Абдураҳмон', arabic: 'عبد الرحمن', latin: ['Abdurrahman', 'Abd al-Rahman'] },
    { ru: 'Халид', nat: 'Холид', arabic: 'خالد', latin: ['Khalid', 'Khaled'] },
    { ru: 'Яхья', nat: 'Яҳё', arabic: 'يحيى', latin: ['Yahya', 'Yahia'] },
    { ru: 'Исмаил', nat: 'Исмоил', arabic: 'إسماعيل', latin: ['Ismail', 'Ismael'] },
    { ru: 'Муса', nat: 'Мусо', arabic: 'موسى', latin: ['Musa', 'Moussa'] },
    { ru: 'Зубайр', nat: 'Зубайр', arabic: 'زبير', latin: ['Zubayr', 'Zubair'] },
    { ru: 'Салахуддин', nat: 'Салоҳиддин', arabic: 'صلاح الدين', latin: ['Salahuddin', 'Salah al-Din'] },
    { ru: 'Муаз', nat: 'Муоз', arabic: 'معاذ', latin: ['Muadh', 'Muaz', 'Moaz'] },
    { ru: 'Тальха', nat: 'Талҳа', arabic: 'طلحة', latin: ['Talha', 'Talhah'] },
  ],
  female: [
    { ru: 'Айша', nat: 'Ойша', arabic: 'عائشة', latin: ['Aisha', 'Aicha', 'Ayesha'] },
    { ru: 'Хадиджа', nat: 'Хадича', arabic: 'خديجة', latin: ['Khadija', 'Khadidja', 'Hadija'] },
    { ru: 'Марьям', nat: 'Марям', arabic: 'مريم', latin: ['Maryam', 'Mariam', 'Meryem'] },
    { ru: 'Фатима', nat: 'Фотима', arabic: 'فاطمة', latin: ['Fatima', 'Fatma', 'Fatimah'] },
    { ru: 'Сафия', nat: 'Сафия', arabic: 'صفية', latin: ['Safiya', 'Safia', 'Safiyya'] },
    { ru: 'Асия', nat: 'Осиё', arabic: 'آسية', latin: ['Asiya', 'Assia', 'Asia'] },
    { ru: 'Зайнаб', nat: 'Зайнаб', arabic: 'زينب', latin: ['Zaynab', 'Zainab', 'Zeinab'] },
    { ru: 'Хафса', nat: 'Ҳафса', arabic: 'حفصة', latin: ['Hafsa', 'Hafsah'] },
    { ru: 'Сумайя', nat: 'Сумайя', arabic: 'سمية', latin: ['Sumayya', 'Soumaya', 'Sumaya'] },
    { ru: 'Рукия', nat: 'Руқия', arabic: 'رقية', latin: ['Ruqayya', 'Rukiya', 'Roqaya'] },
    { ru: 'Умама', nat: 'Умома', arabic: 'أمامة', latin: ['Umama', 'Oumama'] },
    { ru: 'Асма', nat: 'Асмо', arabic: 'أسماء', latin: ['Asma', 'Asmaa'] },
    { ru: 'Нусайба', nat: 'Нусайба', arabic: 'نسيبة', latin: ['Nusayba', 'Nusaibah'] },
    { ru: 'Хаджар', nat: 'Ҳожар', arabic: 'هاجر', latin: ['Hajar', 'Hagar'] },
    { ru: 'Амина', nat: 'Омина', arabic: 'آمنة', latin: ['Amina', 'Amna', 'Aminah'] },
    { ru: 'Халима', nat: 'Ҳалима', arabic: 'حليمة', latin: ['Halima', 'Halimah'] },
  ],
};

function form(entry: string): NameForm {
  const [ru, nat] = entry.split('|');
  return { ru: ru as string, nat: nat ?? (ru as string) };
}

export function pickGiven(rng: Random, ethnicity: Ethnicity, sex: Sex, arabicShare: number): NameForm {
  if (rng.chance(arabicShare)) return rng.pick(ARABIC_GIVEN[sex]);
  const pool = POOLS[ethnicity];
  return form(rng.pick(sex === 'female' ? pool.female : pool.male));
}

/** The masculine form of a family name. */
export function pickSurname(rng: Random, ethnicity: Ethnicity): NameForm {
  return form(rng.pick(POOLS[ethnicity].surnames));
}

/** A father's given name used as a surname (a Kazakh and Uzbek practice). */
export function surnameFromGiven(given: NameForm): NameForm {
  return { ru: patronymicBase(given.ru, 'ов', 'ев'), nat: patronymicBase(given.nat, 'ов', 'ев') };
}

function patronymicBase(given: string, hard: string, soft: string): string {
  if (/[йь]$/u.test(given)) return `${given.slice(0, -1)}${soft}`;
  if (/[аеиоуыэюяёӣ]$/u.test(given)) return `${given}${soft}`;
  return `${given}${hard}`;
}

export function gendered(surnameMasc: string, sex: Sex): string {
  if (sex === 'male') return surnameMasc;
  if (/(ов|ев|ёв|ин|ын)$/u.test(surnameMasc)) return `${surnameMasc}а`;
  if (/ский$/u.test(surnameMasc)) return `${surnameMasc.slice(0, -2)}ая`;
  return surnameMasc;
}

/** The Tajik post-2007 surname: Раҳимов → Раҳимзода, the same for women and men. */
export function zodaForm(surnameMasc: string): string {
  return `${surnameMasc.replace(/(ов|ев)$/u, '')}зода`;
}

export function russianPatronymic(fatherGiven: string, sex: Sex): string {
  const base = patronymicBase(fatherGiven, 'ов', 'ев');
  return sex === 'male' ? `${base}ич` : `${base}на`;
}

/** Kazakh ұлы/қызы, Kyrgyz уулу/кызы, Uzbek ўғли/қизи after the father's name. */
export function nationalPatronymic(ethnicity: Ethnicity, fatherGiven: string, sex: Sex): string | null {
  switch (ethnicity) {
    case 'kazakh':
      return `${fatherGiven}${sex === 'male' ? 'ұлы' : 'қызы'}`;
    case 'kyrgyz':
      return `${fatherGiven} ${sex === 'male' ? 'уулу' : 'кызы'}`;
    case 'uzbek':
      return `${fatherGiven} ${sex === 'male' ? 'ўғли' : 'қизи'}`;
    case 'tajik':
    case 'chechen':
    case 'dagestani':
    case 'russian':
      return null;
  }
}

export function nationalLanguage(ethnicity: Ethnicity): string {
  return POOLS[ethnicity].nationalLanguage;
}

export function nationalScheme(ethnicity: Ethnicity): Romanisation | null {
  return POOLS[ethnicity].nationalScheme;
}

export function pickNisba(rng: Random, ethnicity: Ethnicity): readonly [string, string] {
  return rng.pick(POOLS[ethnicity].nisba);
}

/** The name in Latin letters for a kunya or an NGO list: a conventional spelling if it has one. */
export function latinGiven(rng: Random, given: NameForm): string {
  if (given.latin && given.latin.length > 0) return rng.pick(given.latin);
  return romanise(given.ru, 'bgn_pcgn').replace(/'/g, '');
}

export function arabicGiven(given: NameForm, defective: boolean): string {
  return given.arabic ?? toArabicScript(given.ru, defective);
}

const OCR_CONFUSIONS: readonly (readonly [RegExp, string])[] = [
  [/rn/u, 'm'],
  [/m/u, 'rn'],
  [/l/u, 'I'],
  [/u/u, 'v'],
  [/e/u, 'c'],
  [/O/u, '0'],
  [/i/u, 'l'],
];

/** One clerical slip: a swapped, dropped or doubled letter, or an OCR confusion. */
export function typo(rng: Random, text: string): string {
  if (text.length < 4) return text;
  const at = rng.int(1, text.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + text.charAt(at) + text.slice(at);
    default: {
      const [pattern, replacement] = rng.pick(OCR_CONFUSIONS);
      const changed = text.replace(pattern, replacement);
      return changed === text ? text.slice(0, at) + text.slice(at + 1) : changed;
    }
  }
}
