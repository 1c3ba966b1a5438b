// A labelled search box for a table, debounced to the next frame by the caller's render.
import { el } from './dom';

export function createFilterBox(label: string, placeholder: string, value: string, onChange: (value: string) => void): HTMLInputElement {
  const input = el('input', { type: 'search', class: 'filter', placeholder, 'aria-label': label, spellcheck: 'false', autocomplete: 'off', maxlength: 200 });
  input.value = value;
  input.addEventListener('input', () => onChange(input.value));
  return input;
}
