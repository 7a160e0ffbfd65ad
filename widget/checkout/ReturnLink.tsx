/** "Return to store": the top window goes to the merchant's return URL; in the loader's modal, the modal closes instead (onReturn). */
import { useI18n } from './i18n/i18n';
import { leave } from './leave';

export function ReturnLink({ url, modal }: { url: string; modal: boolean }) {
  const { t } = useI18n();
  const onClick = (e: MouseEvent) => {
    e.preventDefault();
    leave({ type: 'return', url });
  };
  return (
    <a class="pf-btn" href={url} target="_top" onClick={modal ? onClick : undefined}>
      {t('returnToStore')}
    </a>
  );
}
