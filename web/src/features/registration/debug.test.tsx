import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { it } from 'vitest';

function Y() {
  const [v, setV] = useState('');
  const [k, setK] = useState('a');
  return (
    <div>
      <input type="radio" id="r" checked={k === 'b'} onChange={() => setK('b')} />
      <label htmlFor="r">B</label>
      {k === 'b' && (
        <>
          <label htmlFor="y">Year</label>
          <input id="y" inputMode="numeric" value={v} onChange={(e) => { console.log('CHANGED', e.target.value); setV(e.target.value); }} />
        </>
      )}
    </div>
  );
}
it('x', () => {
  render(<Y />);
  fireEvent.click(screen.getByLabelText('B'));
  fireEvent.change(screen.getByLabelText('Year'), { target: { value: '1991' } });
  console.log('VAL', (screen.getByLabelText('Year') as HTMLInputElement).value);
});
