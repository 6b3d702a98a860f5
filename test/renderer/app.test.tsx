import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';

test('renders the product name', async () => {
  const screen = await render(<App />);
  await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Comité PTCE');
});
