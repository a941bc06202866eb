import { describe, expect, it } from 'vitest';
import { de, en, LANGUAGE_NAMES, LANGUAGES, MESSAGES } from '../../../src/renderer/i18n/messages.js';
import { isLanguage, t } from '../../../src/renderer/i18n/translate.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

describe('i18n table', () => {
  it('lists German first', () => {
    expect(LANGUAGES[0]).toBe('de');
  });

  it('has the same keys in every language', () => {
    const germanKeys = Object.keys(de).sort();
    for (const language of LANGUAGES) {
      expect(Object.keys(MESSAGES[language]).sort(), language).toEqual(germanKeys);
    }
  });

  it('has no empty texts', () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of Object.entries(MESSAGES[language])) {
        expect(text.trim(), `${language}:${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const [key, text] of Object.entries(de)) {
      expect(placeholders(en[key as keyof typeof de]), key).toEqual(placeholders(text));
    }
  });

  it('names each language in itself', () => {
    expect(LANGUAGE_NAMES).toEqual({ de: 'Deutsch', en: 'English' });
  });
});

describe('t', () => {
  it('translates into the chosen language', () => {
    expect(t('de', 'status.reachable')).toBe('Server erreichbar');
    expect(t('de', 'status.unreachable')).toBe('Server nicht erreichbar');
    expect(t('de', 'status.shellReady')).toBe('Station-Shell bereit');
    expect(t('en', 'status.reachable')).toBe('Server reachable');
  });

  it('keeps the product name', () => {
    expect(t('de', 'app.title')).toBe('Kasse & Druckstation');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('de', 'status.version', { version: '1.2.3' })).toBe('Version 1.2.3');
    expect(t('de', 'status.version', {})).toBe('Version {version}');
  });

  it('recognises only supported languages', () => {
    expect(isLanguage('de')).toBe(true);
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('fr')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
