import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Dates, times and numbers in the reader's language (Intl, the browser's CLDR data). Dates from
 * the API are ISO strings: `YYYY-MM-DD` calendar dates are formatted without a time zone shift.
 */
export interface Formatters {
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
  number(value: number): string;
  /** "3 days ago" / "in 2 days" from now. */
  relative(value: string | null | undefined, now?: Date): string;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(value: string): Date {
  return CALENDAR_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
}

export function createFormatters(language: string): Formatters {
  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFormat = new Intl.NumberFormat(language);
  const relativeFormat = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  return {
    date: (value) => (value ? dateFormat.format(parse(value)) : ''),
    dateTime: (value) => {
      if (!value) return '';
      return CALENDAR_DATE.test(value)
        ? dateFormat.format(parse(value))
        : dateTimeFormat.format(parse(value));
    },
    number: (value) => numberFormat.format(value),
    relative: (value, now = new Date()) => {
      if (!value) return '';
      const seconds = (parse(value).getTime() - now.getTime()) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 60) return relativeFormat.format(Math.round(seconds), 'second');
      if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
      if (abs < 86_400 * 60) return relativeFormat.format(Math.round(seconds / 86_400), 'day');
      if (abs < 86_400 * 730) return relativeFormat.format(Math.round(seconds / (86_400 * 30)), 'month');
      return relativeFormat.format(Math.round(seconds / (86_400 * 365)), 'year');
    },
  };
}

export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => createFormatters(language), [language]);
}
