/** A labelled value the buyer may need to copy: an amount, an address, a transaction hash. */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { useI18n } from './i18n/i18n';

interface FieldProps {
  label: string;
  /** What the copy button puts on the clipboard (the exact value, not the formatted one). */
  copy: string;
  /** Shown while the page runs script; copy needs it. */
  interactive: boolean;
  title?: string;
  /** A shortened value that must read as one piece (a contract): never broken across lines. */
  nowrap?: boolean;
  children: ComponentChildren;
}

export function Field({ label, copy, interactive, title, nowrap, children }: FieldProps) {
  return (
    <div class="pf-field">
      <span class="pf-label">{label}</span>
      <div class="pf-value">
        {/* Amounts, addresses and hashes read left to right in every language. */}
        <code title={title} dir="ltr" class={nowrap ? 'pf-nowrap' : undefined}>
          {children}
        </code>
        {interactive && <CopyButton text={copy} what={label.toLocaleLowerCase()} />}
      </div>
    </div>
  );
}

function CopyButton({ text, what }: { text: string; what: string }) {
  const { t } = useI18n();
  const [label, setLabel] = useState<'copy' | 'copied' | 'selectIt'>('copy');
  // A second click restarts the 2 s.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const flash = (key: 'copied' | 'selectIt') => {
    setLabel(key);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setLabel('copy'), 2000);
  };
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => flash('copied'),
      // Clipboard access can be refused (an iframe without clipboard-write, an old browser): the value is selectable.
      () => flash('selectIt'),
    );
  return (
    <button type="button" class="pf-copy" onClick={copy} aria-live="polite">
      {t(label)}
      <span class="pf-sr"> {what}</span>
    </button>
  );
}
