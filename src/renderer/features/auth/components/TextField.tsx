import type { InputHTMLAttributes, Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly inputRef?: Ref<HTMLInputElement>;
}

/** A labelled input of the sign-in forms: the label wraps the field, so it names it without an id. */
export function TextField({ label, onValue, inputRef, ...input }: TextFieldProps) {
  return (
    <label className="form__field">
      <span>{label}</span>
      <input
        ref={inputRef}
        {...input}
        onChange={(event) => {
          onValue(event.target.value);
        }}
      />
    </label>
  );
}
