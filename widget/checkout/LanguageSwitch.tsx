/**
 * The buyer's choice of language: a GET form that reloads the page with
 * `?locale=` (the server inlines that locale's words). The server renders it
 * below the checkout and no script touches it, so it costs the bundle
 * nothing and works without script. It submits on its button, not on
 * choosing an option: a page that reloads while the buyer moves through the
 * list with the arrow keys would be a change of context on input (WCAG 3.2.2).
 * Each language is named in itself by Intl.DisplayNames.
 */
import { useI18n } from './i18n/i18n';
import { LOCALES } from './i18n/locales';

/** `keep`: the page's other query parameters (parent, theme, widget), kept across the reload. */
export function LanguageSwitch({ keep }: { keep: readonly (readonly [string, string])[] }) {
  const { t, locale } = useI18n();
  return (
    // A footer of the page (the contentinfo landmark), outside the checkout's main.
    <footer class="pf-foot">
      <form class="pf-lang" method="get">
        {keep.map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        <label for="pf-locale">{t('language')}</label>
        <select id="pf-locale" name="locale">
          {LOCALES.map((l) => (
            <option value={l} lang={l} selected={l === locale} key={l}>
              {new Intl.DisplayNames([l], { type: 'language' }).of(l)}
            </option>
          ))}
        </select>
        <button type="submit">{t('languageApply')}</button>
      </form>
    </footer>
  );
}
